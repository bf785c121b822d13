"""Allocation mechanics shared by the leadership policies.

The *decisions* (who may claim, who supports, who volunteers, how a leader acts) are the
rules in ``model.rules.leadership``; this module only does the bookkeeping of matching
people to tasks on the world, vectorised: no loop over employees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from model import batch, rows
from model.codes import ASSIGNED, CLAIMED, NO_LEADER, NO_TASK, RELATEDNESS, VOLUNTEERED
from model.rules import experiences, leadership, wellbeing
from model.world import ClaimRecord, CostLedger

if TYPE_CHECKING:
    from model.world import StepContext, World


def first_per_group(groups: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Positions of the highest-scoring element of each group (the first among equals),
    group by group in ascending order (``groups``: whole numbers ≥ 0)."""
    if len(groups) == 0 or np.isnan(score).any():  # (NaN: after every number, as sorted)
        order = np.lexsort((-score, groups))
        sorted_groups = groups[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = sorted_groups[1:] != sorted_groups[:-1]
        return order[first]
    # each group's best score, then the first position that has it: what sorting by
    # group and score finds, without the sort (twice as fast on a batch's workers)
    best = np.full(int(groups.max()) + 1, -np.inf)
    np.maximum.at(best, groups, score)
    at_best = np.flatnonzero(score == best[groups])
    first = np.full(len(best), len(groups))
    np.minimum.at(first, groups[at_best], at_best)
    return first[first < len(groups)]


def rank_in_group(groups: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Rank (0 = best) of each element within its group, by descending score."""
    order = np.lexsort((-score, groups))
    sorted_groups = groups[order]
    run_start = np.searchsorted(sorted_groups, sorted_groups)  # where each one's group starts
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order)) - run_start
    return ranks


def thresholds(world: World, org: np.ndarray) -> dict[str, Any]:
    """The claim thresholds of the conditions that are switched on (0 where one is off),
    for people of the organisations ``org`` (in a batch, each one's own)."""
    p = world.params
    return {"min_skill": (world.param_for("claim_competence", org) if p.condition_equipped
                          else 0.0),
            "min_energy": world.param_for("claim_energy", org) if p.condition_energy else 0.0,
            "min_support": (world.param_for("claim_support", org) if p.condition_support
                            else 0.0)}


def who_is_ready_to_lead(world: World, ctx: StepContext) -> np.ndarray:
    """Who is equipped (in their best domain), energised and supported to lead now: the
    rule ``leadership.ready_to_lead`` (change it there) over everyone in post, with this
    world's thresholds."""
    s = world.state
    return s.active & leadership.ready_to_lead(
        skill=rows.maximum(s.skills), energy=s.energy, support=ctx.support,
        **thresholds(world, world.slot_org),
    )


def join(world: World, people: np.ndarray, tasks: np.ndarray, mode: int,
         support: np.ndarray) -> None:
    s = world.state
    s.task[people] = tasks
    s.join_mode[people] = mode
    s.join_support[people] = support


def _slack(world: World, remaining_work: np.ndarray, members: np.ndarray,
           task: np.ndarray) -> np.ndarray:
    """Steps to spare before each task's deadline, given the work left and its team."""
    tasks = world.tasks
    return leadership.slack(deadline=tasks.deadline[task], now=world.steps,
                            work_left=remaining_work, members=members,
                            complexity=world.complexity_for("skill_demands",
                                                            tasks.complexity[task]))


def _ranked(world: World, slack_: np.ndarray, task: np.ndarray) -> np.ndarray:
    """The slack decision makers rank these tasks by (``leadership.ranking_slack``: work
    behind its deadline that its client takes late behind work that can still be on
    time), or with ``late_work_last`` off their slack."""
    if not world.params.late_work_last:
        return slack_
    return leadership.ranking_slack(slack_, world.tasks.lateness_accepted(task))


def charge_time(ctx: StepContext, people: np.ndarray, person_weeks: np.ndarray | float) -> None:
    """``people`` spend ``person_weeks`` each deciding, out of their own work this step."""
    np.add.at(ctx.decision_time, people, person_weeks)


def supervisors_decide(world: World, ctx: StepContext) -> None:
    """With ``span_of_control``, each team of two or more the formal leader runs has a
    supervisor, its most skilled member, who leads it as a claimant leads a self-organised
    team (someone alone on a task leads nobody; its exceptions go up): it
    coordinates the team (and pays ``leading_drain`` for it, ``phases.wellbeing``) and
    decides its exception with the chance a self-organised lead has
    (``local_resolution_chance(protocols, its skill)``, the team's best: ``know_how``),
    at the time a decision costs anyone, decided or not (``EXCEPTION_ATTENTION``
    decisions, out of its own work); what it cannot decide goes up to the leader.
    Staffing, problems and priorities stay at the top (Perrow 1967; Galbraith 1974)."""
    if not world.params.span_of_control:
        return
    s, tasks = world.state, world.tasks
    supervisor = most_skilled_member(world, ~tasks.self_organised & (tasks.started >= 0))
    if len(supervisor) == 0:
        return
    team = s.task[supervisor]
    tasks.attended[team] = True  # coordinated, by its supervisor or by the one on it alone
    members = world.members_per_task()
    alone = members[team] < 2  # a team of one has nobody to lead
    supervisor, team = supervisor[~alone], team[~alone]
    tasks.supervisor[team] = supervisor
    raised = tasks.exception[team]
    chance = leadership.local_resolution_chance(world.coverage(tasks.org[team]),
                                                s.skills[supervisor, tasks.domain[team]])
    decided = raised & (world.draws(tasks=team).random(len(team)) < chance)
    tasks.exception[team[decided]] = False
    cost = leadership.EXCEPTION_ATTENTION * leadership.DECISION_WEEKS
    charge_time(ctx, supervisor[raised], cost)  # each tried, decided or not
    ctx.costs.exceptions += cost * world.tally(tasks.org[team], where=raised)


def leader_decides(world: World, capacity: float | np.ndarray | None = None,
                   problems_first: bool = False, left_alone: np.ndarray | None = None,
                   reserved: float | np.ndarray = 0.0, costs: CostLedger | None = None,
                   delegate_to: np.ndarray | None = None,
                   staffed: np.ndarray | None = None) -> None:
    """The formal leader spends one step's attention on what has reached it.

    What it knows: waiting tasks, known problems (voiced or surfaced) and free employees
    reported at least ``report_lag`` steps ago, and the exceptions of the teams it runs
    (Galbraith 1974; Radner 1993); a leader stepping back leaves the waiting tasks in
    ``left_alone`` (a mask over the task board) to others this week; ``reserved``
    attention of its budget
    (``World.leader_attention``: its capacity, less when drained, grown with headcount under
    span of control; ``capacity`` overrides it) is already spent this step on other things
    (a fostering leader's surveys and protocols). What it spends goes into ``costs``.
    Each decision costs attention: an exception
    ``EXCEPTION_ATTENTION`` (decided with the chance anyone who decides one has,
    ``decide_exceptions``; one it fails stays raised for next week, as a lead's does), a
    problem one unit, staffing a task
    ``staffing_attention(κ, needed)``; a fostering leader delegating a task to the rights
    holder ``delegate_to`` names (over the task board; ``-1``: none) chooses one person,
    ``staffing_attention(κ, 1)``, and the holder leads it and recruits as a claimant does
    (``_delegate``). Under
    ``leader_queue='triage'`` it takes decisions by ``triage_priority`` (value and urgency
    per unit of attention) and lets go of waiting
    tasks it can no longer finish in time (``leadership.can_still_finish``, as claimants
    do); under ``'fifo'`` oldest first. A team it runs that someone has left (a quit
    mid-task) it refills as a staffing decision for those missing,
    ``staffing_attention(κ, missing)``, while the task can still be finished, as a
    self-organised team's lead recruits replacements (``recruit_volunteers``). A problem, with
    nothing due, is worth ``PROBLEM_VALUE`` at ``PROBLEM_SLACK`` steps' slack less the
    steps it has been known. ``problems_first``: a fostering leader addresses known
    problems before anything else. It starts a decision while it has attention left.
    Without ``span_of_control``, what attention is left after its decisions and staffing
    coordinates the teams it runs, those it has just staffed among them (``_coordinate``),
    ``span_attention`` each, most urgent first, and teams beyond what it can attend to lose
    efficiency; with it, their supervisors lead them (``supervisors_decide``,
    ``supervisors_take_charge``). A staffing
    decision it could not carry out (nobody it knew to be free) costs no attention.

    A staffing decision takes the free employee it believes most skilled (its own, slowly
    updated estimates) and, beside them, those it believes best, preferring the same
    formal team (``leadership.TEAM_PREFERENCE``), in a defined order (best first, slot
    order among equals: every numpy gives the same team in the same order); each
    assignment act is as autonomy-supportive as its style, with more latitude for those
    close to it (``exchange_latitude``). Sets ``world.leader_load`` (the attention
    everything it knows of would take, over its budget) and ``world.leader_used``.

    In an organisation batch every organisation's formal leader decides at once, each over
    its own organisation's items (``org``) and people, as it decides alone: its queue in
    its own order, its running totals and sums its own (``World.running_total``,
    ``World.total``), the j-th task of each leader's list staffed together, each from its
    own people, and one draw of acts per organisation (a generator gives the same numbers
    for k₁ then k₂ as for k₁ + k₂). ``capacity`` and ``reserved``: a number, or one per
    organisation. ``staffed`` (a mask over the slots, the step's ``StepContext.staffed``):
    marks whom it staffed or handed a task to.
    """
    if world.focus is not None:
        raise ValueError("leader_decides decides for every organisation of a batch at once: "
                         "call it on the batch, not on one organisation of it")
    leaders = np.atleast_1d(world.leader)
    orgs = len(leaders)
    leading = np.flatnonzero(leaders != NO_LEADER)  # organisations with a formal leader
    if len(leading) == 0:
        return
    if capacity is None:
        capacity = (np.array([world.leader_attention()]) if world.orgs == 1
                    else np.broadcast_to(world.leader_attention(leading), len(leading)))
    else:
        capacity = np.broadcast_to(np.asarray(capacity, dtype=float), orgs)[leading]
    reserved = (np.full(len(leading), float(reserved)) if np.ndim(reserved) == 0
                else np.asarray(reserved, dtype=float)[leading])
    world.set_for_leaders(leading, leader_budget=capacity)  # this week's attention
    costs = costs if costs is not None else CostLedger()
    budget = capacity - reserved  # what is left for decisions and coordination
    drained = budget <= 0
    if drained.any():
        world.set_for_leaders(leading[drained],
                              leader_load=reserved[drained] / capacity[drained],
                              leader_used=np.ones(int(drained.sum())))
        leading, capacity, budget, reserved = (leading[~drained], capacity[~drained],
                                               budget[~drained], reserved[~drained])
        if len(leading) == 0:
            return
    decides = np.zeros(orgs, dtype=bool)
    decides[leading] = True
    budget_of = np.zeros(orgs)
    budget_of[leading] = budget

    p, tasks, problems, now = world.params, world.tasks, world.problems, world.steps
    triage = p.leader_queue == "triage"
    task_org, problem_org = tasks.org, problems.team // world.teams_per_org
    members = world.members_per_task()
    remaining = np.maximum(tasks.work_total - tasks.work_done, 0.0)
    deciding_task = decides[task_org] if world.orgs > 1 else True  # (its own, alone)
    mine = np.flatnonzero((tasks.started >= 0) & ~tasks.self_organised & deciding_task)
    supervised = p.span_of_control  # supervisors coordinate the teams it runs
    mine_slack = _slack(world, remaining[mine], members[mine], mine)
    raised = tasks.exception[mine]
    reported_waiting = (tasks.waiting & (now - tasks.arrival >= world.report_lag)
                        & deciding_task)
    if left_alone is not None:
        reported_waiting &= ~left_alone
    waiting = np.flatnonzero(reported_waiting)
    waiting_slack = _slack(world, tasks.work_total[waiting], tasks.needed[waiting], waiting)
    if triage:  # it lets go of what it cannot staff in time
        feasible = leadership.can_still_finish(waiting_slack,
                                               tasks.lateness_accepted(waiting))
        waiting, waiting_slack = waiting[feasible], waiting_slack[feasible]
    # teams it runs that someone left: refilling them is a staffing decision for those
    # missing, worth taking while the task can still be finished with its full team
    understaffed = mine[members[mine] < tasks.needed[mine]]
    missing = tasks.needed[understaffed] - members[understaffed]
    refill_slack = _slack(world, remaining[understaffed], tasks.needed[understaffed],
                          understaffed)
    if triage:
        feasible = leadership.can_still_finish(refill_slack,
                                               tasks.lateness_accepted(understaffed))
        understaffed, missing, refill_slack = (understaffed[feasible], missing[feasible],
                                               refill_slack[feasible])
    reported = np.flatnonzero(problems.known & (now - problems.known_since >= world.report_lag)
                              & (decides[problem_org] if world.orgs > 1 else True))

    # decisions: exceptions (kind 0), problems (1), staffing (2), refills (3)
    exceptions = mine[raised]
    kinds = np.repeat(np.arange(4), [len(exceptions), len(reported), len(waiting),
                                     len(understaffed)])
    items = np.concatenate((exceptions, reported, waiting, understaffed))
    org = (np.concatenate((task_org[exceptions], problem_org[reported], task_org[waiting],
                           task_org[understaffed]))
           if world.orgs > 1 else np.zeros(len(items), dtype=np.int64))
    delegated = (delegate_to[waiting] >= 0 if delegate_to is not None
                 else np.zeros(len(waiting), dtype=bool))
    cost = np.concatenate((
        np.full(len(exceptions), leadership.EXCEPTION_ATTENTION), np.ones(len(reported)),
        leadership.staffing_attention(world.complexity_for("decision_load",
                                                           tasks.complexity[waiting]),
                                      np.where(delegated, 1, tasks.needed[waiting])),
        leadership.staffing_attention(world.complexity_for("decision_load",
                                                           tasks.complexity[understaffed]),
                                      missing)))
    arrival = np.concatenate((tasks.arrival[exceptions], problems.arrival[reported],
                              tasks.arrival[waiting], tasks.arrival[understaffed]))
    if triage:
        value = np.concatenate((tasks.value[exceptions],
                                np.full(len(reported), leadership.PROBLEM_VALUE),
                                tasks.value[waiting], tasks.value[understaffed]))
        slack = np.concatenate((_ranked(world, mine_slack[raised], exceptions),
                                leadership.PROBLEM_SLACK - (now - problems.known_since[reported]),
                                _ranked(world, waiting_slack, waiting),
                                _ranked(world, refill_slack, understaffed)))
        order_key = -leadership.triage_priority(value=value, slack=slack, cost=cost)
    else:
        order_key = arrival.astype(float)
    if world.orgs > 1:  # each organisation's items together, as it lists them alone
        by_org = np.argsort(org, kind="stable")
        kinds, items, org, cost, arrival, order_key = (
            kinds[by_org], items[by_org], org[by_org], cost[by_org], arrival[by_org],
            order_key[by_org])
    first = (kinds == 1) if problems_first else np.zeros(len(kinds), dtype=bool)
    queue = np.lexsort((items, kinds, arrival, order_key, ~first, org))
    used_before = world.running_total(cost[queue], org[queue]) - cost[queue]
    chosen = queue[used_before < budget_of[org[queue]]]  # starts one while attention is left
    chosen_org = org[chosen]
    decided = np.atleast_1d(world.total(cost[chosen], chosen_org))

    # what everything it knows of would take: its decisions, and without span of control
    # coordinating each team it runs (the teams it staffs this week counted below)
    runs = np.bincount(task_org[mine], minlength=orgs)  # how many teams each runs
    coordinating = np.zeros(orgs) if supervised else p.span_attention * runs
    asked = np.atleast_1d(world.total(cost, org))
    load = (asked[leading] + coordinating[leading] + reserved) / capacity
    used = np.zeros(orgs)  # its decisions first; coordinating, if it must, after staffing
    used[leading] = (np.minimum(decided[leading], budget) + reserved) / capacity

    chosen_kind, chosen_item = kinds[chosen], items[chosen]
    spent = cost[chosen] * leadership.DECISION_WEEKS
    entry_of_kind = np.array([0, 1, 2, 2])  # kinds 2 and 3, new teams and refills: staffing
    for entry, name in enumerate(("exceptions", "problems", "staffing")):
        of_kind = entry_of_kind[chosen_kind] == entry
        setattr(costs, name, getattr(costs, name)
                + world.total(spent[of_kind], chosen_org[of_kind]))
    decide_exceptions(world, np.sort(chosen_item[chosen_kind == 0]))
    solved = np.zeros(len(problems), dtype=bool)
    solved[chosen_item[chosen_kind == 1]] = True
    problems.resolve(solved, by="solved_by_leader")

    staffs = (chosen_kind == 2) | (chosen_kind == 3)  # new teams and refills, in its order
    to_staff, staff_org = chosen_item[staffs], chosen_org[staffs]
    refill, staff_cost = chosen_kind[staffs] == 3, cost[chosen][staffs]
    if delegate_to is not None:
        handed = ~refill & (delegate_to[to_staff] >= 0)
        _delegate(world, to_staff[handed], delegate_to[to_staff[handed]])
        if staffed is not None:
            staffed[delegate_to[to_staff[handed]]] = True
        to_staff, staff_org, refill, staff_cost = (to_staff[~handed], staff_org[~handed],
                                                   refill[~handed], staff_cost[~handed])
    wanted = np.where(refill, tasks.needed[to_staff] - members[to_staff],
                      tasks.needed[to_staff])
    team, got = _staff_in_turn(world, to_staff, staff_org, wanted)
    # it pays for the people it brings: nobody it knew to be free, no act and no attention
    # spent on it; fewer than it wanted, the per-person part for those it did not find
    unspent = np.where(got == 0, staff_cost, leadership.recruiting_attention(
        world.complexity_for("decision_load", tasks.complexity[to_staff])) * (wanted - got))
    if (unspent > 0).any():
        unspent_by_org = np.atleast_1d(world.total(unspent, staff_org))
        short = np.unique(staff_org[unspent > 0])
        used[short] = np.maximum(0.0, used[short] - unspent_by_org[short]
                                 / capacity[np.searchsorted(leading, short)])
        costs.staffing -= world.one_or_each(unspent_by_org * leadership.DECISION_WEEKS)
    started = to_staff[(got > 0) & ~refill]
    if len(team):
        join(world, team, np.repeat(to_staff[got > 0], got[got > 0]), ASSIGNED,
             _leaders_act(world, team))
        if staffed is not None:
            staffed[team] = True
        tasks.lead[started] = leaders[task_org[started]]
        tasks.started[started] = now
        tasks.self_organised[started] = False
    if supervised:  # its supervisors coordinate the teams it runs, from their first week
        tasks.attended[to_staff[got > 0]] = True
        supervisors_take_charge(world)
    else:
        load = load + p.span_attention * np.bincount(
            task_org[started], minlength=orgs)[leading] / capacity
        _coordinate(world, np.union1d(mine, started), leading, capacity, budget, reserved,
                    used, costs, triage)
    world.set_for_leaders(leading, leader_load=load, leader_used=used[leading])


def _coordinate(world: World, runs: np.ndarray, leading: np.ndarray, capacity: np.ndarray,
                budget: np.ndarray, reserved: np.ndarray, used: np.ndarray,
                costs: CostLedger, triage: bool) -> None:
    """Without span of control, the formal leader coordinates the teams it runs (``runs``,
    those it has just staffed among them: a new team's first week is coordinated as any
    week is, as a claimant leads its team from the week it claims it) at ``span_attention``
    each, most urgent first, with the attention its decisions left; teams beyond what it
    can attend to lose efficiency (``attended`` stays False). Adds what it spends to
    ``used`` (a share of each leading organisation's ``capacity``) and to ``costs``."""
    p, tasks, orgs = world.params, world.tasks, len(used)
    task_org = tasks.org
    if p.span_attention <= 0:
        tasks.attended[runs] = True  # coordinating is free: every team it runs is attended
        return
    decided = used[leading] * capacity - reserved  # what its decisions took, net
    left = np.maximum(budget - decided, 0.0)
    if triage:
        members = np.bincount(world.state.task[world.state.task >= 0], minlength=len(tasks))
        remaining = np.maximum(tasks.work_total[runs] - tasks.work_done[runs], 0.0)
        urgency = _ranked(world, _slack(world, remaining, members[runs], runs), runs)
    else:
        urgency = tasks.arrival[runs]
    by_urgency = runs[np.lexsort((runs, urgency, task_org[runs]))]
    count = np.bincount(task_org[runs], minlength=orgs)
    can_attend = np.zeros(orgs, dtype=np.int64)
    for r, time_left in zip(leading.tolist(), left.tolist(), strict=True):
        can_attend[r] = (count[r] if time_left >= p.span_attention * count[r]
                         else int(time_left // p.span_attention))
    urgency_org = task_org[by_urgency]
    place = np.arange(len(by_urgency)) - np.searchsorted(urgency_org, urgency_org)
    tasks.attended[by_urgency[place < can_attend[urgency_org]]] = True
    attended = np.bincount(task_org[runs], weights=tasks.attended[runs], minlength=orgs)
    used[leading] = (np.minimum(decided + p.span_attention * attended[leading], budget)
                     + reserved) / capacity
    costs.coordination += world.one_or_each(p.span_attention * attended
                                            * leadership.DECISION_WEEKS)


def _delegate(world: World, task: np.ndarray, holder: np.ndarray) -> None:
    """The formal leader hands each task to a rights holder, who leads it as a claimant
    does: joins it as its lead, its team self-organised (colleagues join it,
    ``recruit_volunteers``, the holder paying for each who joins out of its own work, as
    a claimant does). Choosing the holder and bringing it was the leader's staffing
    decision for one person, so the holder pays nothing more to take it on (a first team
    of ``n`` costs what staffing ``n`` costs a leader). The holder experiences
    leading it as a claimant does (mode claimed: the autonomy of leading, no controlling
    assignment; an assumption: a delegated lead is given the latitude of one); the act of
    handing it over, as autonomy-supportive as the leader's style and the latitude of those
    close to it, enters only what the holder perceives of the leader's support
    (``phases.needs``)."""
    if len(task) == 0:
        return
    tasks = world.tasks
    join(world, holder, task, CLAIMED, _leaders_act(world, holder))
    tasks.lead[task] = holder
    tasks.started[task] = world.steps
    tasks.self_organised[task] = True


def _leaders_act(world: World, people: np.ndarray) -> np.ndarray:
    """The autonomy support of the formal leader's act toward each of ``people`` (an
    assignment, a hand-over): as autonomy-supportive as its leader's style
    (``leader_act_support``), with the latitude of those close to it
    (``exchange_latitude``)."""
    acts = leadership.leader_act_support(
        style=world.param_for("leader_autonomy_support", slots=people), size=len(people),
        rng=world.draws(slots=people))
    leaders = np.atleast_1d(world.leader)
    closeness = world.ties.strength_to(world.leader if world.orgs == 1
                                       else leaders[leaders != NO_LEADER])
    return leadership.exchange_latitude(support=acts, tie_to_leader=closeness[people])


def _staff_in_turn(world: World, to_staff: np.ndarray, staff_org: np.ndarray,
                   wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The formal leader staffs the tasks ``to_staff`` (of the organisations ``staff_org``,
    each organisation's in its leader's order) one after another, ``wanted`` people each
    (a new team: all it needs; a refill: those missing): each takes the free
    employee it believes most skilled and, beside them, those it believes best,
    preferring the same formal team, best first and slot order among equals, until it
    knows of nobody free. Gives the members, task by task in the order given, and how many
    each got (0: nobody free). Alone, task after task among its free people; in a batch,
    every organisation's j-th task together, each from its own people (the same teams,
    ``tests/test_batch.py``)."""
    s, tasks, n = world.state, world.tasks, world.size
    orgs = world.orgs
    free = world.idle_mask() & (world.steps - s.free_since >= world.report_lag)
    if orgs == 1:
        return _staff_one_by_one(world, to_staff, free, wanted)
    free = free.reshape(orgs, n)
    believed_of = world.skill_estimate.reshape(orgs, n, -1)
    team_of = s.team.reshape(orgs, n)
    turn = np.arange(len(to_staff)) - np.searchsorted(staff_org, staff_org)
    got = np.zeros(len(to_staff), dtype=np.int64)
    whose, picked = [], []
    for j in range(int(turn.max()) + 1 if len(turn) else 0):
        at = np.flatnonzero(turn == j)
        org = staff_org[at]
        pool = free[org]
        count = pool.sum(axis=1)
        if not count.all():  # some know of nobody free: they staff no more
            at, org, pool, count = at[count > 0], org[count > 0], pool[count > 0], count[count > 0]
        if len(at) == 0:
            break  # nobody free anywhere: free people only get fewer
        t = to_staff[at]
        believed = np.where(pool, believed_of[org, :, tasks.domain[t]], -np.inf)
        anchor = np.argmax(believed, axis=1)
        same_team = team_of[org] == team_of[org, anchor][:, None]
        believed = believed + leadership.TEAM_PREFERENCE * same_team
        order = np.argsort(-believed, axis=1, kind="stable")  # best first, then slot
        k = np.minimum(wanted[at], count)
        chosen = order[np.arange(n) < k[:, None]]  # each row's first k, row by row
        rows = np.repeat(np.arange(len(at)), k)
        free[org[rows], chosen] = False
        got[at] = k
        whose.append(at[rows])
        picked.append(org[rows] * n + chosen)
    if not whose:
        return np.zeros(0, dtype=np.int64), got
    whose, picked = np.concatenate(whose), np.concatenate(picked)
    return picked[np.argsort(whose, kind="stable")], got


def _staff_one_by_one(world: World, to_staff: np.ndarray, free: np.ndarray,
                      wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_staff_in_turn`` in a world of one organisation, task after task."""
    s, tasks = world.state, world.tasks
    got = np.zeros(len(to_staff), dtype=np.int64)
    teams = []
    for i, (domain, needed) in enumerate(zip(tasks.domain[to_staff].tolist(),
                                             wanted.tolist(), strict=True)):
        candidates = np.flatnonzero(free)
        if len(candidates) == 0:
            break  # nobody it knows to be free, for this task or the next
        believed = world.skill_estimate[candidates, domain]
        anchor = candidates[np.argmax(believed)]
        same_team = s.team[candidates] == s.team[anchor]
        believed = believed + leadership.TEAM_PREFERENCE * same_team
        team = candidates[np.lexsort((candidates, -believed))[:min(needed, len(candidates))]]
        free[team] = False
        got[i] = len(team)
        teams.append(team)
    return (np.concatenate(teams) if teams else np.zeros(0, dtype=np.int64)), got


def self_organise(world: World, ctx: StepContext, may_act: np.ndarray) -> None:
    """Self-organised teams whose lead left go on under a member, exceptions of
    self-organised teams, claim–grant on waiting tasks, recruiting, then problems: for
    those who ``may_act``."""
    take_over_orphaned_teams(world)
    resolve_exceptions_locally(world, ctx)
    claim_waiting_tasks(world, ctx, may_act)
    recruit_volunteers(world, ctx, may_act)
    address_problems_locally(world, ctx, may_act)


def take_over_orphaned_teams(world: World) -> None:
    """A running self-organised team whose lead has left goes on under its member most
    skilled in the task's domain (the first among equals), who leads it from now on: its
    exceptions, its recruiting, its coordination, at a lead's cost (``leading_drain``),
    as a team the formal leader runs gets a supervisor each week."""
    tasks = world.tasks
    orphaned = tasks.self_organised & (tasks.started >= 0) & (tasks.lead < 0)
    if not orphaned.any():
        return
    successor = most_skilled_member(world, orphaned)
    tasks.lead[world.state.task[successor]] = successor


def abandoned_teams(world: World) -> np.ndarray:
    """Mask over the task board of self-organised tasks under way that nobody works on
    any more (its lead and every member have left) and no member took over: claimable
    again as waiting work is (``claim_waiting_tasks``), its work done kept, as a formal
    leader refills a team it runs that everyone has left (``leader_decides``). Without
    it such a task would sit unled until its last week, a route out of the board that
    only a formal leader's teams had."""
    tasks = world.tasks
    return (tasks.self_organised & (tasks.started >= 0) & (tasks.lead < 0)
            & (world.members_per_task() == 0))


def supervisors_take_charge(world: World) -> None:
    """With ``span_of_control``, a team of two or more the formal leader runs that has no
    supervisor yet this week (one it has just staffed, or refilled from one member) gets
    one at once, its most skilled member, as ``supervisors_decide`` appoints them: it
    leads the team from its first week and pays ``leading_drain`` for it, as a claimant
    leads a self-organised team from the week it takes it on (the same charge for the same
    act: the week a team starts is no free week of leading, led by the formal leader at no
    cost to anyone). A new team has no exception to decide yet. ``leader_decides`` calls
    it after its staffing, so every policy with a formal leader has it."""
    if not world.params.span_of_control:
        return
    s, tasks = world.state, world.tasks
    members = world.members_per_task()
    unled = (~tasks.self_organised & (tasks.started >= 0) & (tasks.supervisor < 0)
             & (members >= 2))
    supervisor = most_skilled_member(world, unled)
    tasks.supervisor[s.task[supervisor]] = supervisor


def most_skilled_member(world: World, of_tasks: np.ndarray) -> np.ndarray:
    """The member most skilled in its task's domain (the lowest slot among equals) of each
    task in the mask ``of_tasks`` that has anyone on it, in task order."""
    s, tasks = world.state, world.tasks
    workers = np.flatnonzero(s.task >= 0)
    workers = workers[of_tasks[s.task[workers]]]
    task = s.task[workers]
    return workers[first_per_group(task, s.skills[workers, tasks.domain[task]])]


def know_how(world: World, raised: np.ndarray, decider: np.ndarray) -> np.ndarray:
    """What is known of each task of ``raised`` (in board order) when ``decider`` (a slot
    each, ``-1``: nobody) decides its exception: the best of the decider's skill in the
    task's domain and that of the member who knows it best, who brings it up (the same
    information for the same decision, whoever decides; Garicano 2000: a problem is passed
    on with what the worker knows of it). 0 with nobody to decide."""
    s, tasks = world.state, world.tasks
    best = np.zeros(len(tasks))  # the best skill on each raised task, 0 with nobody on it
    is_raised = np.zeros(len(tasks) + 1, dtype=bool)  # the last entry: NO_TASK (-1)
    is_raised[raised] = True
    on = np.flatnonzero(is_raised[s.task])
    np.maximum.at(best, s.task[on], s.skills[on, tasks.domain[s.task[on]]])
    own = s.skills[np.maximum(decider, 0), tasks.domain[raised]]
    return np.where(decider >= 0, np.maximum(own, best[raised]), 0.0)


def decide_exceptions(world: World, raised: np.ndarray) -> None:
    """The formal leader decides the exceptions ``raised`` (tasks, in board order) with the
    chance anyone who decides one has, ``local_resolution_chance(protocols, know_how)``: a
    leader who no longer does the work decides as well as it and the team know it."""
    if len(raised) == 0:
        return
    tasks = world.tasks
    leader = np.atleast_1d(world.leader)[tasks.org[raised]]
    chance = leadership.local_resolution_chance(world.coverage(tasks.org[raised]),
                                                know_how(world, raised, leader))
    decided = world.draws(tasks=raised).random(len(raised)) < chance
    tasks.exception[raised[decided]] = False


def resolve_exceptions_locally(world: World, ctx: StepContext) -> None:
    """The lead of a self-organised team decides its exception with the chance anyone who
    decides one has, ``local_resolution_chance(protocols, know_how)`` (its own skill or
    its best-informed member's, whichever is higher); trying costs the lead the time a
    decision costs anyone, decided or not (``EXCEPTION_ATTENTION`` decisions, out of its
    own work), as it costs a supervisor or the formal leader."""
    tasks = world.tasks
    raised = np.flatnonzero(tasks.exception & tasks.self_organised & (tasks.started >= 0))
    if len(raised) == 0:
        return
    lead = tasks.lead[raised]
    chance = leadership.local_resolution_chance(world.coverage(tasks.org[raised]),
                                                know_how(world, raised, lead))
    resolved = world.draws(tasks=raised).random(len(raised)) < chance
    tasks.exception[raised[resolved]] = False
    deciders = lead[lead >= 0]  # each tried, decided or not
    cost = leadership.EXCEPTION_ATTENTION * leadership.DECISION_WEEKS
    charge_time(ctx, deciders, cost)
    ctx.costs.exceptions += cost * world.tally(world.slot_org[deciders])


def _pull_of(world: World, people_wanted: np.ndarray, org: np.ndarray,
             idle: np.ndarray) -> float | np.ndarray:
    """The pull (``leadership.backlog_pull``) of the work in view, the ``people_wanted``
    by items of the organisations ``org``, on the ``idle`` (a mask over the slots): a
    number alone, in a batch each employee's organisation's."""
    return world.per_org(leadership.backlog_pull, protocol_coverage=world.protocol_coverage,
                         people_wanted=world.count_by_org(people_wanted, org),
                         idle=world.count_by_org(idle))


def claim_waiting_tasks(world: World, ctx: StepContext, may_act: np.ndarray) -> None:
    """Employees claim a waiting task, or one under way that everyone has left
    (``abandoned_teams``: its work left, not its whole, weighed), where the four
    conditions hold; peers grant or withhold (DeRue & Ashford 2010; Adler, Heckscher &
    Prusak 2011).

    Each condition that is switched on shapes who steps forward and what they take on:
    *benefit*, the task's value (in which of a few looked-at tasks one claims, and a
    minimum, ``MIN_TASK_VALUE``); *equipped*, one's skill for it; *energy*, one's energy
    (in stepping forward, ``claim_propensity``); *support*, the colleagues likely to
    follow against those the task needs (``leadership.claim_support``: in the gate, in
    winning among rivals and in the grant, with one's reputation). A condition switched off drops
    out of those choices (the organisation's mean stands in for it). With
    ``claims_see_slack`` claimants leave alone work that can no longer be finished
    (``leadership.can_still_finish``, as a triaging leader does); with ``backlog_pull``
    waiting work that protocols make visible pulls the idle forward
    (``leadership.backlog_pull``); who took up work unasked this week
    (``phases.initiative``) steps forward with it and weighs it beside the tasks it looks
    at if it would have stepped forward anyway (else it considers the idea alone), nobody
    else hearing of it before next week. Rivals who lose
    a task pay ``COLLISION_COST``, and a claim lost or refused frustrates the claimant
    (``ctx.rebuffed``); a granted lead spends the time a staffing decision of one person
    takes anyone (``staffing_attention(κ, 1)`` decisions), and then
    ``recruiting_attention`` for each colleague who joins it (``recruit_volunteers``);
    what it sees of others' autonomy support while it leads is its peers', as while it
    was free.
    """
    s, tasks, p = world.state, world.tasks, world.params
    waiting = np.flatnonzero(tasks.waiting | abandoned_teams(world))
    idle = world.idle_mask() & may_act
    room = _slack(world, tasks.work_total[waiting] - tasks.work_done[waiting],
                  tasks.needed[waiting], waiting)
    if p.claims_see_slack and len(waiting):
        feasible = leadership.can_still_finish(room, tasks.lateness_accepted(waiting))
        waiting, room = waiting[feasible], room[feasible]
    # how pressing each is: to the peers granting a lead (a crisis), by its slack; to
    # claimants choosing among tasks, as every decision maker ranks work (``_ranked``)
    urgency, ranked_urgency = np.zeros(len(tasks)), np.zeros(len(tasks))
    urgency[waiting] = leadership.triage_priority(value=1.0, slack=room, cost=1.0)
    ranked_urgency[waiting] = leadership.triage_priority(
        value=1.0, slack=_ranked(world, room, waiting), cost=1.0)
    on = s.active
    energy_seen = s.energy if p.condition_energy else world.org_mean(s.energy, on)
    pull = (_pull_of(world, tasks.needed[waiting], tasks.org[waiting], idle)
            if p.backlog_pull else 0.0)
    propensity = (leadership.claim_propensity(autonomous=ctx.autonomous, energy=energy_seen,
                                              helplessness=s.helplessness, pull=pull)
                  if p.claims_need_initiative else 1.0)
    steps_forward = world.draws(slots=slice(None)).random(s.n) < propensity
    # who took up work unasked this week (``phases.initiative``) steps forward with it: one
    # who would have stepped forward anyway weighs it against the waiting work it looks
    # at, one who would not considers it alone; nobody else hears of it before next week
    is_fresh = (tasks.proposer[waiting] >= 0) & (tasks.arrival[waiting] == world.steps)
    pool = waiting[~is_fresh]
    own_idea = np.full(s.n, NO_TASK)
    own_idea[tasks.proposer[waiting[is_fresh]]] = waiting[is_fresh]
    candidates = np.flatnonzero(idle & (steps_forward | (own_idea != NO_TASK)))
    # who looks at the waiting work: who stepped forward, where something waits in view
    looks = (steps_forward[candidates]
             & (np.bincount(tasks.org[pool], minlength=world.orgs)[world.slot_org[candidates]]
                > 0))
    keep = looks | (own_idea[candidates] != NO_TASK)
    candidates, looks = candidates[keep], looks[keep]
    if len(waiting) == 0 or len(candidates) == 0:
        return
    mine = own_idea[candidates]
    looked_at = np.repeat(mine[:, None], leadership.TASKS_LOOKED_AT, axis=1)
    looked_at[looks] = pool[batch.pick_within(world, tasks.org[pool],
                                              world.slot_org[candidates[looks]],
                                              leadership.TASKS_LOOKED_AT)]
    has_idea = mine != NO_TASK
    if has_idea.any():  # one's own idea beside what one looked at (else the first again)
        looked_at = np.column_stack((looked_at, np.where(has_idea, mine, looked_at[:, 0])))
    skill_for = s.skills[candidates[:, None], tasks.domain[looked_at]]
    appeal = np.ones(looked_at.shape)  # with neither condition on: the first looked at
    if p.condition_equipped:
        appeal = appeal * skill_for
    if p.condition_benefit:
        appeal = appeal * tasks.value[looked_at]
    if p.claims_see_slack:  # the soonest due first, as a triaging leader serves it
        appeal = appeal * ranked_urgency[looked_at]
    best = np.argmax(appeal, axis=1)
    rows = np.arange(len(candidates))
    task, skill = looked_at[rows, best], skill_for[rows, best]
    willing = leadership.willingness_to_follow(world.param_of_employees("shared_purpose"),
                                               s.sat[:, RELATEDNESS], ctx.autonomous)
    # anyone free may follow a lead, rights or none (following takes no decision right)
    followers = leadership.likely_followers(willingness=willing, free=world.idle_mask(),
                                            src=world.ties.src, dst=world.ties.dst,
                                            w=ctx.directed_strength, of=candidates)
    support = leadership.claim_support(followers=followers[candidates],
                                       needed=tasks.needed[task])
    value_margin = (tasks.value[task] - leadership.MIN_TASK_VALUE if p.condition_benefit
                    else np.ones(len(task)))
    ok = leadership.may_claim(
        skill=skill, energy=s.energy[candidates], support=support,
        task_value=value_margin,
        **thresholds(world, world.slot_org[candidates]),
    )
    claimants, task, skill, support = candidates[ok], task[ok], skill[ok], support[ok]
    if len(claimants) == 0:
        return
    support_seen = (support if p.condition_support
                    else world.org_mean(support, slots=claimants))
    score = ((skill if p.condition_equipped else 1.0) * support_seen
             + 1e-9 * world.draws(slots=claimants).random(len(claimants)))
    winner = first_per_group(task, score)
    lost = np.ones(len(claimants), dtype=bool)
    lost[winner] = False
    ctx.extra_demand[claimants[lost]] += leadership.COLLISION_COST
    ctx.rebuffed[claimants[lost]] = True
    ctx.costs.claims += (leadership.COLLISION_COST / wellbeing.WORKLOAD
                         * world.tally(world.slot_org[claimants], where=lost))
    claimants, task, skill = claimants[winner], task[winner], skill[winner]
    support, support_seen = support[winner], support_seen[winner]
    grant = (leadership.grant_probability(
        support=support_seen, reputation=s.reputation[claimants],
        urgency=urgency[task] if p.claims_see_slack else 0.0)
             if p.claims_need_grant else 1.0)
    granted = world.draws(slots=claimants).random(len(claimants)) < grant
    ctx.rebuffed[claimants[~granted]] = True
    claimants, task, skill, support = (claimants[granted], task[granted], skill[granted],
                                       support[granted])
    # a lead sees of others' autonomy support what it saw while free, its peers' (the
    # backing for its claim is a count of likely followers, nobody's act)
    join(world, claimants, task, CLAIMED, ctx.support[claimants])
    tasks.lead[task] = claimants
    tasks.started[task] = np.where(tasks.started[task] < 0, world.steps, tasks.started[task])
    tasks.self_organised[task] = True
    staffing = leadership.staffing_attention(  # deciding to lead, and bringing itself
        world.complexity_for("decision_load", tasks.complexity[task]), 1)
    charge_time(ctx, claimants, staffing * leadership.DECISION_WEEKS)
    org = tasks.org[task]
    ctx.costs.staffing += world.total(staffing, org) * leadership.DECISION_WEEKS
    ctx.claims = ClaimRecord(value=world.split(tasks.value[task], org),
                             skill=world.split(skill, org),
                             energy=world.split(s.energy[claimants], org),
                             support=world.split(support, org))


def recruit_volunteers(world: World, ctx: StepContext, may_act: np.ndarray) -> None:
    """Idle colleagues join self-organised tasks short of members: leads ask their
    neighbours, and each idle person looks at a few open places across the organisation
    (``TASKS_LOOKED_AT``, as claimants look at waiting tasks), each seen with chance
    ``protocol_coverage``, where protocols make work visible (the collaboration
    infrastructure, Adler, Heckscher & Prusak 2011; seeking work, Wrzesniewski & Dutton
    2001). Each asked person goes to the
    lead they are most willing to help (``volunteer_propensity``, with the lead's peer
    support); each task takes the best by willingness × skill fit (volunteers know what
    they can do and offer where they fit), up to its need, and its lead spends
    ``recruiting_attention`` decisions on each who joins. With ``backlog_pull`` the open
    places in view pull those asked to say yes (``joining_propensity``, the pull of
    ``backlog_pull`` over the open places and the idle who may act), as waiting work pulls
    claimants; who is taken is still ranked by willingness × fit. With
    ``claims_see_slack`` a lead recruits only for work that can still be finished with its
    full team, as a triaging leader refills only such teams."""
    s, tasks, ties, p = world.state, world.tasks, world.ties, world.params
    if len(tasks) == 0:
        return
    members = world.members_per_task()
    spots = np.where(tasks.self_organised & (tasks.started >= 0), tasks.needed - members, 0)
    leads_with_spots = np.full(s.n, NO_TASK, dtype=np.int64)
    recruiting = np.flatnonzero((spots > 0) & (tasks.lead >= 0))
    if p.claims_see_slack:  # as a triaging leader refills: only what can still be finished
        remaining = np.maximum(tasks.work_total[recruiting] - tasks.work_done[recruiting], 0.0)
        recruiting = recruiting[leadership.can_still_finish(
            _slack(world, remaining, tasks.needed[recruiting], recruiting),
            tasks.lateness_accepted(recruiting))]
    leads_with_spots[tasks.lead[recruiting]] = recruiting
    idle = world.idle_mask() & may_act
    asked = idle[ties.src] & (leads_with_spots[ties.dst] >= 0)
    person, lead, tie = ties.src[asked], ties.dst[asked], ctx.directed_strength[asked]
    pool = _where_recruiting(world, np.flatnonzero(idle), recruiting)
    if (p.recruit_beyond_ties and len(recruiting) and len(pool)
            and np.any(world.protocol_coverage > 0)):
        reach_person = np.repeat(pool, leadership.TASKS_LOOKED_AT)
        reach_lead = tasks.lead[recruiting[batch.pick_within(
            world, tasks.org[recruiting], world.slot_org[reach_person])]]
        reached = (world.draws(slots=reach_person).random(len(reach_person))
                   < world.coverage(world.slot_org[reach_person]))
        person = np.concatenate((person, reach_person[reached]))
        lead = np.concatenate((lead, reach_lead[reached]))
        # a stranger, or a tie counted once
        tie = np.concatenate((tie, np.zeros(int(reached.sum()))))
    if len(person) == 0:
        return
    if world.orgs > 1:  # each organisation's asked people together, in the order they have alone
        order = np.argsort(world.slot_org[person], kind="stable")
        person, lead, tie = person[order], lead[order], tie[order]
    lead_support = (ctx.support[lead] if p.condition_support
                    else world.org_mean(ctx.support, s.active)[lead])
    willing = leadership.volunteer_propensity(
        autonomous=ctx.autonomous[person], sat_relatedness=s.sat[person, RELATEDNESS], tie=tie,
        energy=s.energy[person], lead_support=lead_support,
    )
    pick = first_per_group(person,
                           willing + 1e-9 * world.draws(slots=person).random(len(person)))
    person, lead, willing, tie = person[pick], lead[pick], willing[pick], tie[pick]
    says_yes = willing
    if p.backlog_pull:  # open places one can see pull the idle as waiting work does claimants
        pull = _pull_of(world, spots[recruiting], tasks.org[recruiting], idle)
        says_yes = leadership.joining_propensity(willing, pull if np.ndim(pull) == 0
                                                 else pull[person])
    accepts = world.draws(slots=person).random(len(person)) < says_yes
    person, lead, willing, tie = person[accepts], lead[accepts], willing[accepts], tie[accepts]
    task = leads_with_spots[lead]
    fit = experiences.skill_fit(s.skills[person, tasks.domain[task]],
                                world.complexity_for("skill_demands", tasks.complexity[task]))
    taken = rank_in_group(task, willing * fit) < spots[task]
    person, lead, task = person[taken], lead[taken], task[taken]
    join(world, person, task, VOLUNTEERED,
         leadership.emergent_lead_support(ctx.autonomous[lead]))
    attention = leadership.recruiting_attention(  # each lead, for each who joins it
        world.complexity_for("decision_load", tasks.complexity[task]))
    charge_time(ctx, lead, attention * leadership.DECISION_WEEKS)
    ctx.costs.staffing += world.total(attention, tasks.org[task]) * leadership.DECISION_WEEKS


def _where_recruiting(world: World, pool: np.ndarray, recruiting: np.ndarray) -> np.ndarray:
    """The idle people of ``pool`` who may look for work beyond their ties: in an
    organisation batch, those whose own organisation has a task recruiting and protocols
    that reach (alone, the test below decides for everyone at once)."""
    if world.orgs == 1:
        return pool
    org = world.slot_org[pool]
    recruiting_here = np.bincount(world.tasks.org[recruiting], minlength=world.orgs)
    return pool[(recruiting_here[org] > 0) & (world.protocol_coverage[org] > 0)]


def address_problems_locally(world: World, ctx: StepContext,
                             may_act: np.ndarray) -> None:
    """Team members with the right to decide address their team's known problems.

    Each known problem is addressed with ``leadership.local_resolution_chance``; each one
    addressed costs its team one decision's time (``DECISION_WEEKS``, what it costs a formal
    leader), shared by those of the team able to act, out of their own work.
    """
    problems, s = world.problems, world.state
    if len(problems) == 0:
        return
    able = may_act & who_is_ready_to_lead(world, ctx)
    n_teams = world.n_teams
    n_able = np.bincount(s.team, weights=able, minlength=n_teams)
    share = n_able / np.maximum(np.bincount(s.team, weights=s.active, minlength=n_teams), 1)
    chance = leadership.local_resolution_chance(
        world.coverage(problems.team // world.teams_per_org), share[problems.team])
    solved = problems.known & (world.draws(teams=problems.team).random(len(problems))
                               < chance)
    if solved.any():
        per_team = leadership.DECISION_WEEKS * np.bincount(problems.team[solved],
                                                           minlength=n_teams)
        each = np.divide(per_team, n_able, out=np.zeros(n_teams), where=n_able > 0)
        ctx.decision_time += each[s.team] * able
        ctx.costs.problems += world.total(per_team, np.arange(n_teams) // world.teams_per_org)
    problems.resolve(solved, by="solved_locally")
