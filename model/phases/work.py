"""Work: progress from skill × effort × coordination, in the week's circumstances;
completion, failure, quality and value; each employee's performance record
(``rules.work``); leads' reputations from how their tasks ended
(``rules.leadership.update_reputation``). A task with an unresolved exception makes no
progress, and the problems lingering around a worker's team take working time
(``rules.work.time_lost_to_problems``; the week's problem load, ``problem_load``, is
handed on to the phases that follow). Each worker's time pressure
(``rules.wellbeing.task_time_pressure``), how far behind the task is as the week starts
(against its deadline, or a re-planned date where that is lost), mobilises extra effort
and is a job demand. A task unfinished at its deadline fails there; with
``late_acceptance`` above 0 (off by default) it is still worked on, late and worth less
(``rules.market.delivered_value``), until the last week its client takes it
(``rules.market.last_week``), and fails then. Finished tasks stay on the board until the
``completion`` phase, so that the phases between see how the step's work went."""

from __future__ import annotations

import numpy as np

from model.codes import NO_LEADER
from model.rules import experiences, leadership, market, wellbeing
from model.rules import work as rules
from model.world import Step, WorkOutcome, World


def run(world: World, step: Step) -> None:
    s, p, tasks, ctx, events = world.state, world.params, world.tasks, step.context, step.events
    n_tasks = len(tasks)
    workers = np.flatnonzero(s.task >= 0)
    t = s.task[workers]
    domain = tasks.domain[t]
    skill = s.skills[workers, domain]
    demands = world.complexity_for("skill_demands", tasks.complexity)
    fit_w = experiences.skill_fit(skill, demands[t])

    def per_worker(values: np.ndarray, default: float = 0.0) -> np.ndarray:
        out = np.full(s.n, default, dtype=float)
        out[workers] = values
        return out

    org_w = world.slot_org[workers]
    # utilisation is read here, in the week people work, before finished tasks free theirs
    events.on_task = world.tally(org_w)
    events.in_post = world.tally(world.slot_org, where=s.active)
    if len(workers):  # the fit at work against the fit the plans of that work assumed
        events.fit_at_work = _per(world.total(fit_w, org_w), events.on_task)
        events.fit_planned = _per(world.total(market.planned_fit(demands[t]), org_w),
                                  events.on_task)
    # how far behind each task is as the week starts: against its deadline, and where that
    # is lost, against a re-planned date (``replan_lost_deadlines``)
    last_week = tasks.last_week if p.replan_lost_deadlines else tasks.deadline
    pressure = wellbeing.task_time_pressure(
        work_left=np.maximum(0.0, tasks.work_total - tasks.work_done),
        weeks_to_deadline=np.maximum(tasks.deadline - world.steps, 0),
        weeks_to_last_week=np.maximum(last_week - world.steps, 0),
        needed=tasks.needed, pace=market.planned_pace(demands))
    pressure_all = per_worker(pressure[t])
    effort_all = rules.effort(energy=s.energy, autonomous=ctx.autonomous,
                              controlled=ctx.controlled, contingent_rewards=p.contingent_rewards,
                              pressure=pressure_all)
    effort_w = effort_all[workers]
    # time spent deciding (exceptions, problems, staffing one's team) is not spent working,
    # nor the time the problems lingering around one take
    at_work = 1.0 - np.minimum(ctx.decision_time[workers], 1.0)
    step.problem_load = problem_load(world)  # the week's, for the phases that follow too
    lost = (rules.time_lost_to_problems(step.problem_load[workers]) * at_work
            if p.problems_hinder_work else np.zeros(len(workers)))
    at_work = at_work - lost
    contrib = rules.contribution(skill, effort_w, fit_w) * at_work * rules.circumstances(
        world.draws(slots=workers), len(workers),
        world.param_for("performance_noise", slots=workers))
    members = np.bincount(t, minlength=n_tasks)
    contrib_sum = np.bincount(t, weights=contrib, minlength=n_tasks)
    lead_skill, lead_quality = lead_of_each_task(world, workers, members)
    quality_sum = np.bincount(
        t, weights=contrib * rules.work_quality(skill, ctx.autonomous[workers], lead_skill[t]),
        minlength=n_tasks,
    )
    efficiency = rules.coordination_efficiency(
        members=members, cost=world.param_for("coordination_cost", tasks.org),
        protocol_coverage=world.coverage(tasks.org), lead_quality=lead_quality,
        lead_share=world.param_for("lead_coordination", tasks.org),
    )
    if not p.coordination_for_all:  # the formal leader's teams coordinate for free
        efficiency = np.where(tasks.self_organised, efficiency, 1.0)
    blocked = tasks.exception.copy()
    moving = (~blocked).astype(float)
    progress = moving * rules.team_progress(contributions_sum=contrib_sum, members=members,
                                            needed=tasks.needed,
                                            coordination_efficiency=efficiency)
    ctx.costs.coordination += world.total(members * (1.0 - efficiency) * moving, tasks.org)
    # on the ledger as coordination is: only on work that moves (a stalled task's people
    # lose the week to its exception, not again to the problems around them)
    ctx.costs.problems += world.total(lost * moving[t], org_w)
    mean_quality = np.divide(quality_sum, contrib_sum, out=np.zeros(n_tasks),
                             where=contrib_sum > 0)
    tasks.work_done += progress
    tasks.quality_sum += progress * mean_quality

    done = tasks.work_done >= tasks.work_total
    # past its deadline a task may still be delivered, late and worth less, until the last
    # week its client takes it (``market.last_week``); then it fails (an idea nobody took
    # up, ``phases.initiative``, was promised to nobody: it lapses)
    idea = (tasks.proposer >= 0) & (tasks.started < 0)
    ended = ~done & (world.steps >= tasks.last_week)
    failed = ended & ~idea
    weeks_late = world.steps - tasks.deadline[done]
    events.completed = world.tally(tasks.org, where=done)
    events.late = world.tally(tasks.org[done], where=weeks_late > 0)
    events.failed = world.tally(tasks.org, where=failed)
    events.lapsed = world.tally(tasks.org, where=ended & idea)
    org_done = tasks.org[done]
    events.latencies = world.split((world.steps - tasks.arrival[done]).astype(float), org_done)
    events.qualities = world.split(tasks.quality_sum[done] / tasks.work_done[done], org_done)
    events.value_completed = world.total(
        market.delivered_value(tasks.value[done], weeks_late), org_done)
    ended = (done | failed) & tasks.self_organised & (tasks.lead >= 0)
    leads = tasks.lead[ended]
    s.reputation[leads] = leadership.update_reputation(
        s.reputation[leads], done[ended], world.param_for("reputation_rate", slots=leads))

    best = np.zeros(n_tasks)
    np.maximum.at(best, t, skill)

    s.performance, s.output = rules.track_performance(
        performance=s.performance, output=s.output, contribution_=per_worker(contrib),
        working=s.task >= 0,
    )
    staffing = rules.staffing_level(members, tasks.needed)
    step.outcome = WorkOutcome(
        join_mode=s.join_mode.copy(),
        effort=per_worker(effort_w),
        fit=per_worker(fit_w, default=1.0),
        progressing=per_worker((staffing * efficiency * moving)[t]),
        completed=per_worker(done[t]),
        failed=per_worker(failed[t]),
        progress=progress,
        workers=workers,
        domain=domain,
        skill=skill,
        worker_effort=effort_w,
        best_on_task=best[t],
        watched=~tasks.self_organised[t],
        pressure=pressure_all,
        blocked=per_worker(blocked[t]),
    )


def _per(total: float | np.ndarray, count: int | np.ndarray) -> float | np.ndarray:
    """``total / count``; in a batch, NaN for an organisation with none."""
    if np.ndim(count) == 0:
        return float(total / count)
    return np.divide(total, count, out=np.full(len(count), np.nan), where=count > 0)


def lead_of_each_task(world: World, workers: np.ndarray,
                      members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each task's lead's skill in its domain, and how well the lead coordinates it
    (``rules.leadership.lead_coordination_quality``): the employee who claimed a
    self-organised task; for the teams the formal leader runs, its supervisor under span
    of control (someone alone on such a task leads itself, as a claimant alone does),
    else the leader if it attends this step. 0 for a task whose lead has gone.
    ``workers``: the slots on a task; ``members``: how many each task has."""
    s, tasks = world.state, world.tasks
    leader = world.leader[tasks.org] if world.orgs > 1 else world.leader  # each task's own
    formal = np.where(tasks.supervisor >= 0, tasks.supervisor, leader)
    if world.params.span_of_control:  # a formal team of one: its only member
        only = np.full(len(tasks), NO_LEADER, dtype=np.int64)
        only[s.task[workers]] = workers  # a team of one's member (of a larger, one of them)
        formal = np.where(~tasks.self_organised & (members == 1), only, formal)
    lead = np.where(tasks.self_organised, tasks.lead, formal)
    present = lead != NO_LEADER
    at = np.maximum(lead, 0)
    skill = np.where(present, s.skills[at, tasks.domain], 0.0)
    attended = tasks.self_organised | tasks.attended
    quality = leadership.lead_coordination_quality(
        lead_skill=skill, lead_energy=np.where(present, s.energy[at], 0.0), attended=attended)
    return skill, quality


def problem_load(world: World) -> np.ndarray:
    """Each employee's problem load: the problem-weeks of their team's open problems."""
    s, log = world.state, world.problems
    weeks = np.bincount(log.team, weights=world.steps - log.arrival,
                        minlength=world.n_teams)
    return experiences.problem_load(weeks[s.team])
