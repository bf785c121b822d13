"""Allocation mechanics shared by the leadership policies.

The *decisions* (who may claim, who supports, who volunteers, how a leader acts) are the
rules in ``model.rules.leadership``; this module only does the bookkeeping of matching
people to tasks, vectorised: no loop over employees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.codes import ASSIGNED, CLAIMED, NO_LEADER, NO_TASK, VOLUNTEERED
from model.rules import leadership

if TYPE_CHECKING:
    from model.organisation import OrganisationModel, StepContext

TASKS_LOOKED_AT = 3
"""How many waiting tasks an employee considers before claiming the one it is best at."""

TEAM_PREFERENCE = 0.15
"""How much a formal leader prefers keeping a task inside one formal team (in skill units)."""

MIN_TASK_VALUE = 0.25
"""A task worth less than this (relative to an average task) is not worth taking the lead on."""


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


def idle_mask(model: OrganisationModel) -> np.ndarray:
    s = model.state
    idle = s.active & (s.task == NO_TASK)
    if model.leader != NO_LEADER:
        idle[model.leader] = False
    return idle


def ready_to_lead(model: OrganisationModel, ctx: StepContext) -> np.ndarray:
    """Who is equipped (in their best domain), energised and supported to lead now."""
    s, p = model.state, model.params
    return s.active & leadership.ready_to_lead(
        s.skills.max(axis=1), s.energy, ctx.support,
        p.claim_competence, p.claim_energy, p.claim_support,
    )


def join(model: OrganisationModel, people: np.ndarray, tasks: np.ndarray, mode: int,
         support: np.ndarray) -> None:
    s = model.state
    s.task[people] = tasks
    s.join_mode[people] = mode
    s.join_support[people] = support


def leader_decides(model: OrganisationModel, capacity: int, problems_first: bool) -> None:
    """The formal leader works down the queue, oldest first, while it has decision time left.

    A problem takes one decision; a task takes ``decision_load(complexity)`` of them
    (Shaw 1964). Each decision either addresses one open problem or staffs one waiting
    task: the idle employee it believes most skilled (by its own, slowly updated
    estimates) and, beside them, those it believes best, preferring the same formal team
    (``TEAM_PREFERENCE``). Each assignment act is as autonomy-supportive as the leader's
    style, with more latitude for those close to it (``exchange_latitude``).
    ``problems_first``: a fostering leader addresses problems right away.
    """
    leader = model.leader
    if leader == NO_LEADER or capacity <= 0:
        return
    tasks, problems = model.tasks, model.problems
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

    idle = idle_mask(model)
    style = model.params.leader_autonomy_support
    closeness = model.ties.strength_to(leader)
    for t in items[chosen][kinds[chosen] == 1]:
        free = np.flatnonzero(idle)
        if len(free) == 0:
            break
        k = min(int(tasks.needed[t]), len(free))
        believed = model.skill_estimate[free, tasks.domain[t]]
        anchor = free[np.argmax(believed)]
        believed = believed + TEAM_PREFERENCE * (model.state.team[free] == model.state.team[anchor])
        team = free[np.argpartition(-believed, k - 1)[:k]] if k < len(free) else free
        acts = leadership.leader_act_support(style, k, model.rng)
        join(model, team, t, ASSIGNED, leadership.exchange_latitude(acts, closeness[team]))
        idle[team] = False
        tasks.lead[t] = leader
        tasks.started[t] = model.steps
        tasks.self_organised[t] = False


def self_organise(model: OrganisationModel, ctx: StepContext, may_act: np.ndarray) -> None:
    """Claim–grant on waiting tasks, then recruiting, then problems: for those who ``may_act``."""
    claim_waiting_tasks(model, ctx, may_act)
    recruit_volunteers(model, ctx, may_act)
    address_problems_locally(model, ctx, may_act)


def claim_waiting_tasks(model: OrganisationModel, ctx: StepContext, may_act: np.ndarray) -> None:
    """Eligible employees claim a waiting task; peers grant or withhold (DeRue & Ashford 2010)."""
    s, tasks, p, rng = model.state, model.tasks, model.params, model.rng
    waiting = np.flatnonzero(tasks.waiting)
    idle = idle_mask(model) & may_act
    steps_forward = rng.random(s.n) < leadership.claim_propensity(ctx.autonomous, s.energy)
    candidates = np.flatnonzero(idle & steps_forward)
    if len(waiting) == 0 or len(candidates) == 0:
        return
    looked_at = waiting[rng.integers(len(waiting), size=(len(candidates), TASKS_LOOKED_AT))]
    skill_for = s.skills[candidates[:, None], tasks.domain[looked_at]]
    best = np.argmax(skill_for, axis=1)
    rows = np.arange(len(candidates))
    task, skill = looked_at[rows, best], skill_for[rows, best]
    ok = leadership.may_claim(
        skill, s.energy[candidates], ctx.support[candidates],
        tasks.value[task] - MIN_TASK_VALUE, p.claim_competence, p.claim_energy, p.claim_support,
    )
    claimants, task, skill = candidates[ok], task[ok], skill[ok]
    if len(claimants) == 0:
        return
    score = skill * ctx.support[claimants] + 1e-9 * rng.random(len(claimants))
    winner = first_per_group(task, score)
    claimants, task = claimants[winner], task[winner]
    granted = rng.random(len(claimants)) < leadership.grant_probability(ctx.support[claimants])
    claimants, task = claimants[granted], task[granted]
    join(model, claimants, task, CLAIMED, ctx.support[claimants])
    tasks.lead[task] = claimants
    tasks.started[task] = model.steps
    tasks.self_organised[task] = True


def recruit_volunteers(model: OrganisationModel, ctx: StepContext, may_act: np.ndarray) -> None:
    """Leads of self-organised tasks short of members ask their idle neighbours to join."""
    s, tasks, ties, rng = model.state, model.tasks, model.ties, model.rng
    if len(tasks) == 0:
        return
    on_task = s.task >= 0
    members = np.bincount(s.task[on_task], minlength=len(tasks))
    spots = np.where(tasks.self_organised & (tasks.started >= 0), tasks.needed - members, 0)
    leads_with_spots = np.full(s.n, NO_TASK, dtype=np.int64)
    recruiting = np.flatnonzero((spots > 0) & (tasks.lead >= 0))
    leads_with_spots[tasks.lead[recruiting]] = recruiting
    idle = idle_mask(model) & may_act
    asked = idle[ties.src] & (leads_with_spots[ties.dst] >= 0)
    if not asked.any():
        return
    person, lead = ties.src[asked], ties.dst[asked]
    tie = ctx.directed_strength[asked]
    willing = leadership.volunteer_propensity(
        ctx.autonomous[person], s.sat[person, 2], tie, s.energy[person]
    )
    pick = first_per_group(person, willing + 1e-9 * rng.random(len(person)))
    person, lead, willing = person[pick], lead[pick], willing[pick]
    accepts = rng.random(len(person)) < willing
    person, lead, willing = person[accepts], lead[accepts], willing[accepts]
    task = leads_with_spots[lead]
    taken = rank_in_group(task, willing) < spots[task]
    person, lead, task = person[taken], lead[taken], task[taken]
    join(model, person, task, VOLUNTEERED,
         leadership.emergent_lead_support(ctx.autonomous[lead]))


def address_problems_locally(model: OrganisationModel, ctx: StepContext,
                             may_act: np.ndarray) -> None:
    """Team members with the right to decide address their team's open problems.

    A problem is addressed with probability ``c + (1 − c)·q`` when ``q > 0``: ``c`` is
    protocol coverage (a procedure says what to do), ``q`` the share of the team able and
    supported to act; with nobody able to act, the problem lingers.
    """
    problems, s = model.problems, model.state
    if len(problems) == 0:
        return
    able = may_act & ready_to_lead(model, ctx)
    n_teams = int(s.team.max()) + 1
    share = np.bincount(s.team, weights=able, minlength=n_teams) / np.maximum(
        np.bincount(s.team, weights=s.active, minlength=n_teams), 1
    )
    coverage, q = model.protocol_coverage, share[problems.team]
    chance = np.where(q > 0, coverage + (1.0 - coverage) * q, 0.0)
    problems.resolve(model.rng.random(len(problems)) < chance)
