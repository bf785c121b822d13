"""Scheduled events and succession: a leader who is due to leave leaves; a vacant formal
lead is filled after ``succession_delay`` steps by the most skilled employee in post."""

from __future__ import annotations

from model.codes import NO_LEADER
from model.world import Step, World


def run(world: World, step: Step) -> None:
    p = world.params
    if p.leader_departure_step is not None and world.steps == p.leader_departure_step:
        world.remove_leader()
    if world.policy.has_formal_leader and world.leader == NO_LEADER:
        if world.succession_timer <= 0:
            world.appoint_successor()
        else:
            world.succession_timer -= 1
    step.events.exits += world.pending_exits  # departures by event since the last step
    world.pending_exits = 0
