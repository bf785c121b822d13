"""Outputs (docs/ODD.md §7.9): model-level outputs of a step, cross-sections of a world that
validation, the app and the notebooks share, and the thinned, array-backed agent-level
collector."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from mesa import DataCollector

from model.codes import (
    AMOTIVATION,
    AUTONOMY,
    COMPETENCE,
    EXTERNAL,
    IDENTIFIED,
    INTRINSIC,
    INTROJECTED,
    NEEDS,
    REGULATIONS,
    RELATEDNESS,
)
from model.state import ProblemLog
from model.world import Parts

if TYPE_CHECKING:
    from model.organisation import OrganisationModel
    from model.world import StepEvents, World

MODEL_OUTPUTS: tuple[str, ...] = (
    "tasks_arrived", "tasks_initiated", "tasks_started", "tasks_completed", "tasks_late",
    "tasks_failed", "tasks_lapsed",
    "backlog",
    "mean_task_latency", "mean_quality", "open_problems", "hidden_problems",
    "mean_problem_age",
    "sat_autonomy", "sat_competence", "sat_relatedness",
    "frus_autonomy", "frus_competence", "frus_relatedness",
    "amotivation", "external", "introjected", "identified", "intrinsic",
    "autonomous_motivation", "controlled_motivation", "rai", "share_autonomous",
    "share_amotivation", "share_external", "share_introjected", "share_identified",
    "share_intrinsic",
    "mean_vitality", "mean_exhaustion", "mean_energy", "burnout_share", "turnover_intention",
    "leaders_active", "rights_held", "leader_staffed_share", "mean_helplessness",
    "mean_voice_efficacy",
    "leadership_centralization", "mean_tie_strength", "exits", "hires", "headcount",
    "protocol_coverage",
    "formal_leader_present",
    "value_completed", "leader_load", "utilisation", "mean_start_wait", "open_exceptions",
    "estimate_error", "lead_value", "lead_skill", "lead_energy", "lead_support",
    "mean_task_value", "offered_load", "fit_against_plan", "leader_exhaustion",
    "cost_staffing", "cost_claims", "cost_problems", "cost_exceptions", "cost_coordination",
    "problems_solved_by_leader", "problems_solved_locally", "problems_obsolete",
    "problems_worked_around",
)
"""Every model-level output, collected every step. The outputs of the design plus ``tasks_started``
(pattern V8), ``tasks_late`` (of the tasks completed, those delivered after their
deadline), ``turnover_intention`` (V4), the share of employees whose dominant regulation
is each point of the continuum (``share_<regulation>``), ``hires``, ``mean_energy`` (the
energy people have to act, vitality discounted by exhaustion:
``rules.wellbeing.available_energy``), ``burnout_share`` (the share burnt out: exhaustion
above ``BURNOUT_ABOVE`` for ``BURNOUT_WEEKS`` weeks in a row), ``protocol_coverage`` and
``formal_leader_present``; for fostering, ``hidden_problems`` (open problems nobody has
voiced or surfaced yet), ``mean_problem_age`` (weeks, NaN with none open), ``rights_held``
(share of staff holding decision rights), ``leader_staffed_share`` (share of this step's
task starts the formal leader staffed, NaN when none started), ``mean_helplessness`` and
``mean_voice_efficacy``; and, for the comparison of leadership on equal terms,
``value_completed`` (summed value of the tasks completed, less what lateness cost:
``rules.market.delivered_value``), ``leader_load`` (demand on the
formal leader's attention over its budget, 0 without one), ``utilisation`` (share of staff
who worked on a task this week), ``mean_start_wait`` (arrival to start of the tasks
started), ``open_exceptions``, ``estimate_error`` (mean |formal leader's estimate − skill|,
NaN without a leader) and, over the claims granted this step, the task's value and the
lead's skill, energy and support (``lead_value`` … ``lead_support``); and the world checks'
outputs (``docs/PATTERNS.md`` W1–W5): ``mean_task_value`` (mean value of the tasks arriving
this step, NaN if none), ``offered_load`` (person-weeks the arriving tasks ask, over
positions), ``fit_against_plan`` (the skill fit of those at work over the fit the plans of
their tasks assumed, ``rules.market.planned_fit``: 1 when complex work goes as fast as
planned), ``leader_exhaustion`` (the formal leader's, NaN without one) and the cost ledger,
person-weeks spent this step on each kind of act by whoever did it (``cost_staffing``,
``cost_claims``, ``cost_problems``, ``cost_exceptions``, ``cost_coordination``;
``model.world.CostLedger``); and the routes by which problems leave, counted this step:
addressed by the formal leader (``problems_solved_by_leader``) or by people of their team
with the right to decide (``problems_solved_locally``), become obsolete
(``problems_obsolete``) or worked around (``problems_worked_around``;
``model.state.ProblemLog.ROUTES``)."""


OUTPUT_UNITS: dict[str, tuple[str, str]] = {
    "tasks_arrived": ("tasks/week", "tasks that arrived this step"),
    "tasks_initiated": ("tasks/week", "tasks employees took up unasked this step and put on "
                        "the board (phases.initiative; 0 with initiative_rate 0)"),
    "tasks_started": ("tasks/week", "tasks whose work started this step"),
    "tasks_completed": ("tasks/week", "tasks completed this step"),
    "tasks_late": ("tasks/week", "of the tasks completed this step, those delivered after "
                   "their deadline"),
    "tasks_failed": ("tasks/week", "tasks that passed the last week their client takes them "
                     "(their deadline, or past it as late_acceptance allows) unfinished this "
                     "step (ideas nobody took up lapse instead: tasks_lapsed)"),
    "tasks_lapsed": ("tasks/week", "ideas employees took up unasked (tasks_initiated) that "
                     "nobody started by their last week, this step: promised to nobody, not "
                     "failed work (0 with initiative_rate 0)"),
    "backlog": ("tasks", "open tasks (waiting or running) at the end of the step"),
    "mean_task_latency": ("weeks", "arrival to completion of the tasks completed this step "
                          "(NaN when none)"),
    "mean_quality": ("score 0-1", "quality of the tasks completed this step (NaN when none)"),
    "open_problems": ("problems", "open problems, hidden or known"),
    "hidden_problems": ("problems", "open problems nobody has voiced or surfaced yet"),
    "mean_problem_age": ("weeks", "mean age of the open problems (NaN when none)"),
    "sat_autonomy": ("score 0-1", "mean autonomy satisfaction of those present"),
    "sat_competence": ("score 0-1", "mean competence satisfaction of those present"),
    "sat_relatedness": ("score 0-1", "mean relatedness satisfaction of those present"),
    "frus_autonomy": ("score 0-1", "mean autonomy frustration of those present"),
    "frus_competence": ("score 0-1", "mean competence frustration of those present"),
    "frus_relatedness": ("score 0-1", "mean relatedness frustration of those present"),
    "amotivation": ("score 0-1", "mean amotivation"),
    "external": ("score 0-1", "mean external regulation"),
    "introjected": ("score 0-1", "mean introjected regulation"),
    "identified": ("score 0-1", "mean identified regulation"),
    "intrinsic": ("score 0-1", "mean intrinsic motivation"),
    "autonomous_motivation": ("score 0-1", "mean of identified and intrinsic regulation"),
    "controlled_motivation": ("score 0-1", "mean of external and introjected regulation"),
    "rai": ("index -3 to 3", "relative autonomy index, 2·intrinsic + identified − "
            "introjected − 2·external, mean over those present"),
    "share_autonomous": ("share 0-1", "share whose autonomous motivation exceeds both "
                         "controlled motivation and amotivation"),
    "share_amotivation": ("share 0-1", "share whose strongest regulation is amotivation"),
    "share_external": ("share 0-1", "share whose strongest regulation is external"),
    "share_introjected": ("share 0-1", "share whose strongest regulation is introjected"),
    "share_identified": ("share 0-1", "share whose strongest regulation is identified"),
    "share_intrinsic": ("share 0-1", "share whose strongest regulation is intrinsic"),
    "mean_vitality": ("score 0-1", "mean vitality"),
    "mean_exhaustion": ("score 0-1", "mean exhaustion"),
    "mean_energy": ("score 0-1", "mean energy to act, vitality x (1 - exhaustion)"),
    "burnout_share": ("share 0-1", "share burnt out: exhaustion above 0.368 (the national "
                      "survey's line) four weeks in a row"),
    "turnover_intention": ("score 0-1", "mean intention to quit"),
    "leaders_active": ("people", "distinct employees who led a task in the recent window"),
    "rights_held": ("share 0-1", "share of staff holding decision rights (fostering)"),
    "leader_staffed_share": ("share 0-1", "share of this step's task starts the formal "
                             "leader staffed (NaN when none started)"),
    "mean_helplessness": ("score 0-1", "mean learned helplessness"),
    "mean_voice_efficacy": ("score 0-1", "mean voice efficacy"),
    "leadership_centralization": ("index 0-1", "Freeman out-degree centralisation of the "
                                  "window's lead-member pairs: 1 one leader, 0 shared "
                                  "(NaN when nobody led)"),
    "mean_tie_strength": ("score 0-1", "mean strength of ties between those present"),
    "exits": ("people/week", "employees who left this step"),
    "hires": ("people/week", "employees hired this step"),
    "headcount": ("people", "employees present"),
    "protocol_coverage": ("share 0-1", "share of coordination covered by protocols"),
    "formal_leader_present": ("0 or 1", "whether a formal leader is in post"),
    "value_completed": ("value/week", "summed value of the tasks completed this step, less "
                        "what lateness cost (an average task is worth 1 on time)"),
    "leader_load": ("ratio", "demand on the formal leader's attention over its budget (0 "
                    "without one)"),
    "utilisation": ("share 0-1", "share of those in post who worked on a task this week"),
    "mean_start_wait": ("weeks", "arrival to start of the tasks started this step (NaN when "
                        "none)"),
    "open_exceptions": ("tasks", "running tasks stalled on an undecided exception"),
    "estimate_error": ("score 0-1", "mean |formal leader's skill estimate - skill| (NaN "
                       "without one, or with nobody else in post)"),
    "lead_value": ("value", "mean value of the tasks claimed this step (NaN when none)"),
    "lead_skill": ("score 0-1", "mean skill of this step's claimants for their task (NaN "
                   "when none)"),
    "lead_energy": ("score 0-1", "mean energy of this step's claimants (NaN when none)"),
    "lead_support": ("share 0-1", "mean support for this step's granted claims (NaN when "
                     "none)"),
    "mean_task_value": ("value", "mean value of the tasks arriving this step (1 in "
                        "expectation; NaN when none)"),
    "offered_load": ("person-weeks/position", "person-weeks the arriving tasks ask, over "
                     "positions"),
    "fit_against_plan": ("ratio", "skill fit of those at work over the fit their tasks' "
                         "plans assumed (1: as planned; NaN when nobody works)"),
    "leader_exhaustion": ("score 0-1", "the formal leader's exhaustion (NaN without one)"),
    "cost_staffing": ("person-weeks/week", "time spent staffing tasks, by a leader or a "
                      "claimant"),
    "cost_claims": ("person-weeks/week", "time lost to claims that lost to a rival"),
    "cost_problems": ("person-weeks/week", "time spent on problems: addressing, surveys, "
                      "workarounds, and working time lingering problems took"),
    "cost_exceptions": ("person-weeks/week", "time spent deciding exceptions"),
    "cost_coordination": ("person-weeks/week", "time spent coordinating: span of control, "
                          "protocols, teams' process loss"),
    "problems_solved_by_leader": ("problems/week", "known problems the formal leader "
                                  "addressed this step"),
    "problems_solved_locally": ("problems/week", "known problems people of their team with "
                                "the right to decide addressed this step (anyone under "
                                "distributed leadership; rights holders under fostering)"),
    "problems_obsolete": ("problems/week", "open problems that stopped mattering this step"),
    "problems_worked_around": ("problems/week", "open problems their team worked around this "
                               "step"),
}
"""Every model output's unit and definition, one row each: the one table that the
datasets' Parquet schema and manifest, and the ODD's output table, are made from. A step
is one working week; a rate "/week" is per step."""


def freeman_centralization(leads: np.ndarray, members: np.ndarray) -> float:
    """Freeman (1978) out-degree centralisation of a lead → member network.

    ``C = Σ_i (d_max − d_i) / (N − 1)²`` over the N people in the network, where ``d_i``
    counts the distinct people ``i`` led. 1 for a star (one leader leads everyone), 0 when
    everyone leads equally many. NaN when nobody led anyone.
    """
    leads, members = np.asarray(leads, np.int64), np.asarray(members, np.int64)
    size = int(max(leads.max(), members.max())) + 1 if len(leads) else 1
    return float(centralization_by_group(leads, members, size, 1)[0])


PAIR_TABLE_CELLS_PER_PAIR = 32
"""``centralization_by_group`` marks pairs in a table when it has at most this many cells
per pair (faster than sorting them there; measured, 2026-12-04)."""


def centralization_by_group(leads: np.ndarray, members: np.ndarray, size: int,
                            groups: int) -> np.ndarray:
    """``freeman_centralization`` of each group's lead → member pairs, where the people of
    group ``g`` are numbered ``g·size … (g + 1)·size − 1`` (as the organisations of a
    batch are), each member in its lead's group: one value per group, NaN where fewer than
    two people take part.

    Each distinct pair counts once: found through a table of every group's possible pairs
    where that table is small beside the pairs (a batch of organisations of 100), else
    by sorting the pairs; both give the same whole-number degrees."""
    out = np.full(groups, np.nan)
    if len(leads) == 0:
        return out
    leads, members = np.asarray(leads, np.int64), np.asarray(members, np.int64)
    people = size * groups
    if groups * size * size <= PAIR_TABLE_CELLS_PER_PAIR * len(leads):
        cell = leads * size + members % size  # row: a lead; column: whom, in its group
        at = np.arange(len(cell))
        writer = np.empty(people * size, dtype=np.int64)  # (cells no pair falls in: unread)
        writer[cell] = at  # each cell keeps one of the pairs that fall in it
        distinct = writer[cell] == at  # that pair, and only it, stands for the cell
        out_degree = np.bincount(leads[distinct], minlength=people)  # 0: led nobody
        taking_part = out_degree > 0
        taking_part[members] = True
    else:
        pairs = np.sort(leads * people + members)
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # each distinct once
        lead = pairs // people
        taking_part = np.zeros(people, dtype=bool)
        taking_part[lead] = taking_part[pairs % people] = True
        out_degree = np.bincount(lead, minlength=people)
    n = taking_part.reshape(groups, size).sum(axis=1)
    out_degree = out_degree.reshape(groups, size)
    some = n >= 2
    # Σ over the n people of (d_max − d_i); people who only followed contribute d_max each
    out[some] = ((n * out_degree.max(axis=1) - out_degree.sum(axis=1))[some]
                 / (n[some] - 1) ** 2)
    return out


NEEDS_AND_REGULATIONS = (*(f"sat_{need}" for need in NEEDS),
                         *(f"frus_{need}" for need in NEEDS), *REGULATIONS)
"""The outputs averaged down the people from one block of (people, columns)."""


def model_outputs(world: World, events: StepEvents) -> dict[str, float]:
    """Compute every model-level output from the world and this step's ``events``."""
    return {name: values[0] for name, values in output_columns(world, events).items()}


def organisation_outputs(world: World, events: StepEvents) -> list[dict[str, float]]:
    """Every model-level output of each organisation of ``world``: one dictionary per
    organisation (``output_columns`` read organisation by organisation)."""
    columns = output_columns(world, events)
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def output_columns(world: World, events: StepEvents) -> dict[str, list[Any]]:
    """Every model-level output of each organisation of ``world`` (one, alone; each of an
    organisation batch, ``model.batch``), as it has them alone, one list per output with
    a value for each organisation: the per-employee columns, counts and the leadership
    network computed once for all organisations, then each organisation's means over its
    own people (one contiguous sum each, as alone), and its own tasks, problems, ties,
    leader and ``events``."""
    s = world.state
    orgs, n = world.orgs, world.size
    on = s.active
    autonomous, controlled = s.autonomous, s.controlled
    columns = {
        "autonomous_motivation": autonomous,
        "controlled_motivation": controlled,
        "rai": s.rai,
        "share_autonomous": (autonomous > controlled) & (autonomous > s.reg[:, 0]),
        **{f"share_{name}": is_dominant for name, is_dominant in zip(
            REGULATIONS, s.dominant_regulation == np.arange(len(REGULATIONS))[:, None],
            strict=True)},
        "mean_vitality": s.vitality,
        "mean_exhaustion": s.exhaustion,
        "mean_energy": s.energy,
        "burnout_share": s.burnt_out,
        "turnover_intention": s.turnover_intention,
        "rights_held": s.decision_rights,
        "mean_helplessness": s.helplessness,
        "mean_voice_efficacy": s.voice_efficacy,
    }
    tasks, problems, ties = world.tasks, world.problems, world.ties
    problem_org = problems.team // world.teams_per_org
    kept = np.flatnonzero(on)  # those in post, organisation by organisation
    # each a column per employee in post: summed down the people as they always were
    # (the needs and regulations person by person, the rest along each row)
    needs_and_regulations = np.concatenate((s.sat, s.frus, s.reg), axis=1).take(kept, axis=0)
    per_employee = np.stack(list(columns.values())).take(kept, axis=1)
    between = on[ties.u] & on[ties.v]
    strength = ties.strength[between]
    age = (world.steps - problems.arrival).astype(float)
    if orgs == 1:
        kept_at, task_at, problem_at = [0, len(kept)], [0, len(tasks)], [0, len(problems)]
        tie_at = [0, len(strength)]
    else:
        bounds = np.arange(orgs + 1)
        kept_at = np.searchsorted(kept, bounds * n).tolist()
        task_at = np.searchsorted(tasks.org, bounds).tolist()
        problem_at = np.searchsorted(problem_org, bounds).tolist()
        tie_at = np.searchsorted(ties.u[between], bounds * n).tolist()

    if orgs == 1:
        def each(value: Any) -> list[Any]:  # a count or an event's value, alone
            return [value]
    else:
        from model.batch import event_parts  # (imports the world)

        def each(value: Any) -> list[Any]:  # each organisation's count or event's value
            return event_parts(value, orgs)

    def event(name: str) -> list[Any]:
        return each(getattr(events, name))

    def mean_of(name: str, of: Any = events) -> list[float]:  # of each one's items
        value = getattr(of, name)
        means = value.means() if isinstance(value, Parts) else None  # all at once
        return means if means is not None else [_mean(items) for items in each(value)]

    def means_over_people(values: np.ndarray, axis: int,
                          names: tuple[str, ...]) -> dict[str, list[float]]:
        """Each named column's mean over each organisation's people in post (employees
        along ``axis`` of ``values``)."""
        by_org = [_block_means(values[a:b] if axis == 0 else values[:, a:b], axis)
                  for a, b in itertools.pairwise(kept_at)]
        return dict(zip(names, zip(*by_org, strict=True), strict=True))

    leaders = np.atleast_1d(world.leader).tolist()
    lead, member = world.lead_pairs_in_window()
    started, by_leader = event("started"), event("started_by_leader")
    on_task, in_post = event("on_task"), event("in_post")
    outputs: dict[str, list[Any]] = {
        "tasks_arrived": event("arrived"),
        "tasks_initiated": event("initiated"),
        "tasks_started": started,
        "tasks_completed": event("completed"),
        "tasks_late": event("late"),
        "tasks_failed": event("failed"),
        "tasks_lapsed": event("lapsed"),
        "backlog": [b - a for a, b in itertools.pairwise(task_at)],
        "mean_task_latency": mean_of("latencies"),
        "mean_quality": mean_of("qualities"),
        "open_problems": [b - a for a, b in itertools.pairwise(problem_at)],
        "hidden_problems": each(world.tally(problem_org, problems.hidden)),
        "mean_problem_age": [_mean(age[c:d]) for c, d in itertools.pairwise(problem_at)],
        # each one's means over its people in post, one contiguous sum each, as alone: the
        # needs and regulations summed person by person, the rest along each row
        **means_over_people(needs_and_regulations, 0, NEEDS_AND_REGULATIONS),
        **means_over_people(per_employee, 1, tuple(columns)),
        "leaders_active": each(world.tally(world.slot_org, s.led_recently > 0)),
        "leader_staffed_share": [mine / all_ if all_ else float("nan")
                                 for mine, all_ in zip(by_leader, started, strict=True)],
        "leadership_centralization": centralization_by_group(lead, member, n, orgs).tolist(),
        "mean_tie_strength": [_mean(strength[a:b]) for a, b in itertools.pairwise(tie_at)],
        "exits": event("exits"),
        "hires": event("hires"),
        "headcount": [b - a for a, b in itertools.pairwise(kept_at)],
        "protocol_coverage": np.atleast_1d(world.protocol_coverage).astype(float).tolist(),
        "formal_leader_present": [int(leader >= 0) for leader in leaders],
        "value_completed": event("value_completed"),
        "leader_load": np.atleast_1d(world.leader_load).astype(float).tolist(),
        "mean_start_wait": mean_of("start_waits"),
        "open_exceptions": each(world.tally(tasks.org, tasks.exception)),
        "estimate_error": estimate_errors(world).tolist(),
        **{f"lead_{name}": mean_of(name, events.claims)
           for name in ("value", "skill", "energy", "support")},
        "mean_task_value": mean_of("arrived_value"),
        "offered_load": [offered / n for offered in event("offered")],
        # before the first week's work (the founding's record) nobody has worked: 0
        "utilisation": [working / staff if staff else 0.0
                        for working, staff in zip(on_task, in_post, strict=True)],
        "fit_against_plan": [at_work / planned for at_work, planned
                             in zip(event("fit_at_work"), event("fit_planned"), strict=True)],
        "leader_exhaustion": [float(s.exhaustion[leader]) if leader >= 0 else float("nan")
                              for leader in leaders],
        **{f"cost_{kind}": [float(spent) for spent in each(getattr(events.costs, kind))]
           for kind in events.costs.KINDS},
        **{f"problems_{route}": event(f"problems_{route}") for route in ProblemLog.ROUTES},
    }
    return outputs


def estimate_errors(world: World) -> np.ndarray:
    """Mean absolute error of each formal leader's skill estimates over the employees in
    post in its organisation, itself left out (NaN without a formal leader, or with nobody
    else): how stale central knowledge is. One value per organisation."""
    s, n = world.state, world.size
    leaders = np.atleast_1d(world.leader)
    out = np.full(world.orgs, np.nan)
    if not (leaders >= 0).any():
        return out
    seen = s.active.copy()
    seen[leaders[leaders >= 0]] = False
    people = np.flatnonzero(seen)
    error = np.abs(world.skill_estimate.take(people, axis=0)
                   - s.skills.take(people, axis=0)).ravel()
    if world.orgs == 1:
        out[0] = _mean(error)
        return out
    at = (np.searchsorted(people, np.arange(world.orgs + 1) * n) * s.skills.shape[1]).tolist()
    for r in np.flatnonzero(leaders >= 0).tolist():
        out[r] = _mean(error[at[r]:at[r + 1]])
    return out


def _mean(values: np.ndarray) -> float:
    """The mean, NaN over nothing (``sum / n``: what ``np.mean`` computes, bit for bit,
    without its per-call overhead, which at 100 employees is most of the cost)."""
    n = len(values)  # (a float over a whole number divides as numpy divides them)
    return float(np.add.reduce(values)) / n if n else float("nan")  # values.sum(), direct


def _block_means(values: np.ndarray, axis: int) -> list[float]:
    """The mean of each per-employee column over one organisation's people in post,
    ``values`` its block of the columns (employees along ``axis``), NaN over nobody. Along
    axis 1 (rows of columns) each row is summed as ``_mean`` sums it alone (the same
    contiguous reduction, so the same last bit); the needs and regulations, a (people,
    columns) block, were always averaged down the people (``mean(axis=0)``: summed person
    by person), and still are."""
    count = values.shape[axis]
    if count == 0:
        return [float("nan")] * values.shape[1 - axis]
    return (np.add.reduce(values, axis=axis) / count).tolist()


# ----------------------------------------------------------------------- cross-sections
def employee_cross_section(world: World) -> pd.DataFrame:
    """One row per employee in post: the state the validation checks read."""
    s = world.state
    on = s.active
    return pd.DataFrame({
        "perceived_support": s.perceived_support[on], "intrinsic": s.reg[on, INTRINSIC],
        "identified": s.reg[on, IDENTIFIED], "introjected": s.reg[on, INTROJECTED],
        "external": s.reg[on, EXTERNAL],
        "sat_autonomy": s.sat[on, AUTONOMY], "sat_competence": s.sat[on, COMPETENCE],
        "sat_relatedness": s.sat[on, RELATEDNESS], "sat_mean": s.sat[on].mean(axis=1),
        "energy": s.energy[on], "vitality": s.vitality[on], "exhaustion": s.exhaustion[on],
        "burnt_out": s.burnt_out[on], "demands": s.demands[on],
        "amotivation": s.reg[on, AMOTIVATION], "frus_mean": s.frus[on].mean(axis=1),
        "turnover_intention": s.turnover_intention[on],
        "performance": s.performance[on], "distance_to_leader": distance_to_leader(world)[on],
    })


def distance_to_leader(world: World) -> np.ndarray:
    """Steps along ties from each employee to the formal leader (NaN without a leader, or
    out of its reach): the centre and periphery of a centralised structure (Leavitt 1951)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import shortest_path

    n = world.state.n
    if world.leader < 0:
        return np.full(n, np.nan)
    ties = world.ties
    graph = coo_matrix((np.ones(len(ties.u)), (ties.u, ties.v)), shape=(n, n)).tocsr()
    hops = shortest_path(graph, directed=False, unweighted=True, indices=world.leader)
    return np.where(np.isinf(hops), np.nan, hops)


def team_cross_section(world: World) -> pd.DataFrame:
    """One row per formal team of three or more: how shared its leadership was over the
    recent window, what it produced and how satisfied its members are.

    ``leadership_density``: distinct lead → member pairs inside the team over the window,
    out of the ``k(k − 1)`` possible (shared leadership as network density; Carson, Tesluk
    & Marrone 2007). ``performance``: contribution per member per step (idle steps count
    0). ``need_satisfaction``: mean need satisfaction of its members.
    """
    s = world.state
    n_teams = world.n_teams
    lead, member = world.lead_pairs_in_window()
    inside = (s.team[lead] == s.team[member]) & s.active[lead] & s.active[member]
    pairs = np.unique(np.stack([lead[inside], member[inside]]), axis=1)
    on = s.active
    size = np.bincount(s.team[on], minlength=n_teams).astype(float)
    density = np.bincount(s.team[pairs[0]], minlength=n_teams) / np.maximum(size * (size - 1), 1)

    def team_mean(values: np.ndarray) -> np.ndarray:
        return np.bincount(s.team[on], weights=values[on], minlength=n_teams) / np.maximum(size, 1)

    frame = pd.DataFrame({
        "size": size, "leadership_density": density,
        "performance": team_mean(s.output), "need_satisfaction": team_mean(s.sat.mean(axis=1)),
    })
    return frame[frame["size"] >= 3]


# ----------------------------------------------------------------------- agent records
AGENT_OUTPUTS: tuple[str, ...] = (
    *(f"sat_{n}" for n in NEEDS), *(f"frus_{n}" for n in NEEDS), *REGULATIONS,
    "autonomous", "controlled", "rai", "vitality", "exhaustion", "energy", "burnt_out",
    "turnover_intention", "perceived_support", "performance", "team", "led_recently",
    "is_formal_leader",
)


class OrganisationDataCollector(DataCollector):
    """Mesa's DataCollector with agent-level records read straight from the state arrays,
    and only every ``agent_every`` steps (thinned at collection time)."""

    def __init__(self, model_reporters: dict, collect_agents: bool, agent_every: int,
                 n_domains: int) -> None:
        self.agent_every = agent_every
        self.skill_columns = tuple(f"skill_{d}" for d in range(n_domains))
        agent_reporters = (
            {name: name for name in (*AGENT_OUTPUTS, *self.skill_columns)}
            if collect_agents else None
        )
        super().__init__(model_reporters=model_reporters, agent_reporters=agent_reporters)

    def collect(self, model: OrganisationModel) -> None:
        """Append this step's outputs (``model.metrics``, plain numbers: nothing to copy,
        unlike Mesa's general collector, which deep-copies every value), then let Mesa
        collect the agent level."""
        metrics = model.metrics
        for name, values in self.model_vars.items():
            values.append(metrics[name])
        collected_at = getattr(self, "_collection_steps", None)
        if collected_at is not None:  # Mesa 3.5 records when it collected (batch_run reads it)
            collected_at.append(model.time)
        reporters, self.model_reporters = self.model_reporters, {}
        try:
            super().collect(model)
        finally:
            self.model_reporters = reporters

    def get_agent_vars_dataframe(self):
        if not self.agent_reporters:
            raise RuntimeError(
                "agent-level data was not collected: build the model with "
                "collect_agents=True (and agent_every=N to keep every N-th step)"
            )
        return super().get_agent_vars_dataframe()

    def _record_agents(self, model: OrganisationModel):
        if model.steps % self.agent_every:
            return []
        s = model.world.state
        slots = np.flatnonzero(s.active)
        columns = [
            s.sat[slots].T, s.frus[slots].T, s.reg[slots].T,
            np.stack([s.autonomous[slots], s.controlled[slots], s.rai[slots],
                      s.vitality[slots], s.exhaustion[slots], s.energy[slots],
                      s.burnt_out[slots].astype(float),
                      s.turnover_intention[slots], s.perceived_support[slots],
                      s.performance[slots]]),
        ]
        floats = np.concatenate(columns).T.tolist()
        teams = s.team[slots].tolist()
        led = s.led_recently[slots].tolist()
        leader = (slots == model.world.leader).tolist()
        skills = s.skills[slots].tolist()
        ids = s.agent_id[slots].tolist()
        step = model.steps
        return [
            (step, ids[i], *floats[i], teams[i], led[i], leader[i], *skills[i])
            for i in range(len(slots))
        ]
