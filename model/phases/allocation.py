"""Allocation: the shared context of the step, then the leadership policy decides who leads
which task, who works on it and who addresses which problem; the leadership record.

The context is computed once: autonomous and controlled motivation, peer support (who can
count on colleagues' backing, ``rules.leadership.peer_support``) and tie strengths.
"""

from __future__ import annotations

import numpy as np

from model.codes import RELATEDNESS
from model.rules import leadership
from model.world import Step, StepContext, World


def run(world: World, step: Step) -> None:
    step.context = context(world)
    tasks = world.tasks
    waiting_before = tasks.waiting.copy()
    world.leader_load = world.leader_used = 0.0
    tasks.attended[:] = False
    world.policy.allocate(world, step.context)
    started = waiting_before & ~tasks.waiting
    step.events.started = int(started.sum())
    step.events.started_by_leader = int((started & ~tasks.self_organised).sum())
    step.events.start_waits = (world.steps - tasks.arrival[started]).astype(float)
    step.events.claims = step.context.claims
    record_leadership(world)


def context(world: World) -> StepContext:
    s, p = world.state, world.params
    autonomous = s.autonomous
    w = world.directed_strength()
    willing = leadership.willingness_to_follow(p.shared_purpose, s.sat[:, RELATEDNESS], autonomous)
    support = leadership.peer_support(
        willingness=willing, src=world.ties.src, dst=world.ties.dst, w=w
    )
    return StepContext(autonomous, s.controlled, support, w, extra_demand=np.zeros(s.n))


def record_leadership(world: World) -> None:
    """Who led whom this step: the lead record per employee and the lead → member pairs."""
    s, tasks = world.state, world.tasks
    s.lead_record[1:] = s.lead_record[:-1]  # a week older: the oldest drops out
    workers = np.flatnonzero(s.task >= 0)
    lead = tasks.lead[s.task[workers]]
    keep = (lead >= 0) & (lead != workers)
    world.lead_pairs.append((lead[keep], workers[keep]))
    running = tasks.lead[(tasks.started >= 0) & (tasks.lead >= 0)]
    s.lead_record[0] = np.bincount(running, minlength=s.n)
