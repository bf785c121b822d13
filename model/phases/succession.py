"""Scheduled events and succession: a leader who is due to leave leaves; a vacant formal
lead is filled after ``succession_delay`` steps by the most skilled employee in post."""

from __future__ import annotations

import numpy as np

from model import batch
from model.codes import NO_LEADER
from model.world import Step, World


def run(world: World, step: Step) -> None:
    p = world.params
    if p.leader_departure_step is not None and world.steps == p.leader_departure_step:
        world.remove_leader()
    # a formal lead left vacant (one per organisation in a batch, of one policy): none
    # under a policy without a formal leader
    vacant = (world.leader == NO_LEADER) & world.policy.has_formal_leader
    for organisation in batch.organisations(world, vacant):  # each with its own formal lead
        if organisation.succession_timer <= 0:
            organisation.appoint_successor()
        else:
            organisation.succession_timer -= 1
    step.events.exits += world.pending_exits  # departures by event since the last step
    world.pending_exits = 0 if world.orgs == 1 else np.zeros(world.orgs, dtype=np.int64)
