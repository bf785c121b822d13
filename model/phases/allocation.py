"""Allocation: the shared context of the step, then the leadership policy decides who leads
which task, who works on it and who addresses which problem; the leadership record.

The context is computed once: autonomous and controlled motivation, peer support (who can
count on colleagues' backing, ``rules.leadership.peer_support``) and tie strengths.
"""

from __future__ import annotations

import numpy as np

from model.codes import RELATEDNESS
from model.rules import leadership
from model.rules import problems as problem_rules
from model.world import Step, StepContext, World


def run(world: World, step: Step) -> None:
    step.context = context(world)
    tasks = world.tasks
    waiting_before = tasks.waiting.copy()
    world.new_week_for_leaders()
    tasks.attended[:] = False
    tasks.supervisor[:] = -1
    world.policy.allocate(world, step.context)
    problems_leave_otherwise(world, step.context)
    teams_per_org = world.teams_per_org
    for route, teams in world.problems.take_left().items():
        setattr(step.events, f"problems_{route}", world.tally(teams // teams_per_org))
    started = waiting_before & ~tasks.waiting
    step.events.started = world.tally(tasks.org, where=started)
    step.events.started_by_leader = world.tally(tasks.org, where=started & ~tasks.self_organised)
    step.events.start_waits = world.split((world.steps - tasks.arrival[started]).astype(float),
                                          tasks.org[started])
    step.events.claims = step.context.claims
    step.events.costs = step.context.costs
    record_leadership(world)


def context(world: World) -> StepContext:
    s = world.state
    autonomous = s.autonomous
    w = world.directed_strength()
    willing = leadership.willingness_to_follow(world.param_of_employees("shared_purpose"),
                                               s.sat[:, RELATEDNESS], autonomous)
    support = leadership.peer_support(
        willingness=willing, src=world.ties.src, dst=world.ties.dst, w=w
    )
    return StepContext(autonomous, s.controlled, support, w, extra_demand=np.zeros(s.n),
                       decision_time=np.zeros(s.n), rebuffed=np.zeros(s.n, dtype=bool),
                       staffed=np.zeros(s.n, dtype=bool))


def problems_leave_otherwise(world: World, ctx: StepContext) -> None:
    """Open problems nobody with the right to decide addressed may still leave: they become
    obsolete, or their team works around them at a cost in its time
    (``rules.problems.leave_otherwise``; each route a switch)."""
    p, s, log = world.params, world.state, world.problems
    if len(log) == 0:
        return
    obsolete, worked_around = problem_rules.leave_otherwise(
        world.draws(teams=log.team, axis=-1), age=world.steps - log.arrival,
        expire=p.problems_expire, work_around=p.problem_workarounds)
    if worked_around.any():
        cost = problem_rules.WORKAROUND_DECISIONS * leadership.DECISION_WEEKS
        per_team = cost * np.bincount(log.team[worked_around], minlength=world.n_teams)
        working_here = world.idle_mask() | (s.task >= 0)  # in post, not the formal leader
        members = np.bincount(s.team, weights=working_here, minlength=world.n_teams)
        share = np.divide(per_team, members, out=np.zeros(world.n_teams), where=members > 0)
        ctx.decision_time += share[s.team] * working_here
        staffed = members > 0
        ctx.costs.problems += world.total(per_team[staffed], (np.arange(world.n_teams)
                                                              // world.teams_per_org)[staffed])
    log.leave({"obsolete": obsolete, "worked_around": worked_around})


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
