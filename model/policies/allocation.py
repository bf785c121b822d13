"""Allocation mechanics shared by the leadership policies.

The *decisions* (who may claim, who supports, who volunteers, how a leader acts) are the
rules in ``model.rules.leadership``; this module only does the bookkeeping of matching
people to tasks on the world, vectorised: no loop over employees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.codes import ASSIGNED, CLAIMED, NO_LEADER, NO_TASK, RELATEDNESS, VOLUNTEERED
from model.rules import leadership

if TYPE_CHECKING:
    from model.world import StepContext, World


def first_per_group(groups: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Positions of the highest-scoring element of each group."""
    order = np.lexsort((-score, groups))
    first = np.ones(len(order), dtype=bool)
    first[1:] = groups[order][1:] != groups[order][:-1]
    return order[first]


def rank_in_group(groups: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Rank (0 = best) of each element within its group, by descending score."""
    order = np.lexsort((-score, groups))
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order)) - run_start
    return ranks


def ready_to_lead(world: World, ctx: StepContext) -> np.ndarray:
    """Who is equipped (in their best domain), energised and supported to lead now."""
    s, p = world.state, world.params
    return s.active & leadership.ready_to_lead(
        skill=s.skills.max(axis=1), energy=s.energy, support=ctx.support,
        min_skill=p.claim_competence, min_energy=p.claim_energy, min_support=p.claim_support,
    )


def join(world: World, people: np.ndarray, tasks: np.ndarray, mode: int,
         support: np.ndarray) -> None:
    s = world.state
    s.task[people] = tasks
    s.join_mode[people] = mode
    s.join_support[people] = support


def leader_decides(world: World, capacity: int, problems_first: bool) -> None:
    """The formal leader works down the queue, oldest first, while it has decision time left.

    A problem takes one decision; a task takes ``decision_load(complexity)`` of them
    (Shaw 1964). Each decision either addresses one open problem or staffs one waiting
    task: the idle employee it believes most skilled (by its own, slowly updated
    estimates) and, beside them, those it believes best, preferring the same formal team
    (``leadership.TEAM_PREFERENCE``). Each assignment act is as autonomy-supportive as the leader's
    style, with more latitude for those close to it (``exchange_latitude``).
    ``problems_first``: a fostering leader addresses problems right away.
    """
    leader = world.leader
    if leader == NO_LEADER or capacity <= 0:
        return
    tasks, problems = world.tasks, world.problems
    waiting = np.flatnonzero(tasks.waiting)
    kinds = np.r_[np.zeros(len(problems), dtype=np.int64), np.ones(len(waiting), dtype=np.int64)]
    items = np.r_[np.arange(len(problems)), waiting]
    arrival = np.r_[problems.arrival, tasks.arrival[waiting]]
    priority = kinds if problems_first else np.zeros_like(kinds)
    load = np.r_[np.ones(len(problems)), leadership.decision_load(tasks.complexity[waiting])]
    queue = np.lexsort((items, arrival, priority))
    time_used_before = np.cumsum(load[queue]) - load[queue]
    chosen = queue[time_used_before < capacity]  # starts a decision while time is left

    solved = np.zeros(len(problems), dtype=bool)
    solved[items[chosen][kinds[chosen] == 0]] = True
    problems.resolve(solved)

    idle = world.idle_mask()
    style = world.params.leader_autonomy_support
    closeness = world.ties.strength_to(leader)
    for t in items[chosen][kinds[chosen] == 1]:
        free = np.flatnonzero(idle)
        if len(free) == 0:
            break
        k = min(int(tasks.needed[t]), len(free))
        believed = world.skill_estimate[free, tasks.domain[t]]
        anchor = free[np.argmax(believed)]
        same_team = world.state.team[free] == world.state.team[anchor]
        believed = believed + leadership.TEAM_PREFERENCE * same_team
        team = free[np.argpartition(-believed, k - 1)[:k]] if k < len(free) else free
        acts = leadership.leader_act_support(style=style, size=k, rng=world.rng)
        join(world, team, t, ASSIGNED, leadership.exchange_latitude(acts, closeness[team]))
        idle[team] = False
        tasks.lead[t] = leader
        tasks.started[t] = world.steps
        tasks.self_organised[t] = False


def self_organise(world: World, ctx: StepContext, may_act: np.ndarray) -> None:
    """Claim–grant on waiting tasks, then recruiting, then problems: for those who ``may_act``."""
    claim_waiting_tasks(world, ctx, may_act)
    recruit_volunteers(world, ctx, may_act)
    address_problems_locally(world, ctx, may_act)


def claim_waiting_tasks(world: World, ctx: StepContext, may_act: np.ndarray) -> None:
    """Eligible employees claim a waiting task; peers grant or withhold (DeRue & Ashford 2010)."""
    s, tasks, p, rng = world.state, world.tasks, world.params, world.rng
    waiting = np.flatnonzero(tasks.waiting)
    idle = world.idle_mask() & may_act
    steps_forward = rng.random(s.n) < leadership.claim_propensity(ctx.autonomous, s.energy)
    candidates = np.flatnonzero(idle & steps_forward)
    if len(waiting) == 0 or len(candidates) == 0:
        return
    size = (len(candidates), leadership.TASKS_LOOKED_AT)
    looked_at = waiting[rng.integers(len(waiting), size=size)]
    skill_for = s.skills[candidates[:, None], tasks.domain[looked_at]]
    best = np.argmax(skill_for, axis=1)
    rows = np.arange(len(candidates))
    task, skill = looked_at[rows, best], skill_for[rows, best]
    ok = leadership.may_claim(
        skill=skill, energy=s.energy[candidates], support=ctx.support[candidates],
        task_value=tasks.value[task] - leadership.MIN_TASK_VALUE,
        min_skill=p.claim_competence, min_energy=p.claim_energy, min_support=p.claim_support,
    )
    claimants, task, skill = candidates[ok], task[ok], skill[ok]
    if len(claimants) == 0:
        return
    score = skill * ctx.support[claimants] + 1e-9 * rng.random(len(claimants))
    winner = first_per_group(task, score)
    claimants, task = claimants[winner], task[winner]
    granted = rng.random(len(claimants)) < leadership.grant_probability(ctx.support[claimants])
    claimants, task = claimants[granted], task[granted]
    join(world, claimants, task, CLAIMED, ctx.support[claimants])
    tasks.lead[task] = claimants
    tasks.started[task] = world.steps
    tasks.self_organised[task] = True


def recruit_volunteers(world: World, ctx: StepContext, may_act: np.ndarray) -> None:
    """Leads of self-organised tasks short of members ask their idle neighbours to join."""
    s, tasks, ties, rng = world.state, world.tasks, world.ties, world.rng
    if len(tasks) == 0:
        return
    on_task = s.task >= 0
    members = np.bincount(s.task[on_task], minlength=len(tasks))
    spots = np.where(tasks.self_organised & (tasks.started >= 0), tasks.needed - members, 0)
    leads_with_spots = np.full(s.n, NO_TASK, dtype=np.int64)
    recruiting = np.flatnonzero((spots > 0) & (tasks.lead >= 0))
    leads_with_spots[tasks.lead[recruiting]] = recruiting
    idle = world.idle_mask() & may_act
    asked = idle[ties.src] & (leads_with_spots[ties.dst] >= 0)
    if not asked.any():
        return
    person, lead = ties.src[asked], ties.dst[asked]
    tie = ctx.directed_strength[asked]
    willing = leadership.volunteer_propensity(
        autonomous=ctx.autonomous[person], sat_relatedness=s.sat[person, RELATEDNESS], tie=tie,
        energy=s.energy[person],
    )
    pick = first_per_group(person, willing + 1e-9 * rng.random(len(person)))
    person, lead, willing = person[pick], lead[pick], willing[pick]
    accepts = rng.random(len(person)) < willing
    person, lead, willing = person[accepts], lead[accepts], willing[accepts]
    task = leads_with_spots[lead]
    taken = rank_in_group(task, willing) < spots[task]
    person, lead, task = person[taken], lead[taken], task[taken]
    join(world, person, task, VOLUNTEERED,
         leadership.emergent_lead_support(ctx.autonomous[lead]))


def address_problems_locally(world: World, ctx: StepContext,
                             may_act: np.ndarray) -> None:
    """Team members with the right to decide address their team's open problems.

    Each open problem is addressed with ``leadership.local_resolution_chance``.
    """
    problems, s = world.problems, world.state
    if len(problems) == 0:
        return
    able = may_act & ready_to_lead(world, ctx)
    n_teams = world.n_teams
    share = np.bincount(s.team, weights=able, minlength=n_teams) / np.maximum(
        np.bincount(s.team, weights=s.active, minlength=n_teams), 1
    )
    chance = leadership.local_resolution_chance(world.protocol_coverage, share[problems.team])
    problems.resolve(world.rng.random(len(problems)) < chance)
