"""The organisation's world: everything a step reads and writes, and what a step passes on.

``World`` holds the state of one organisation (employees, tasks, problems, ties, the
environment, the formal leader, the random generator, the step count and the
parameters). The phases of ``model.phases`` and the leadership policies act on it; none of
them touches the Mesa model. The Mesa shell (``model.organisation``) builds a world, runs
the schedule on it and collects its outputs; it learns of people joining and leaving
through a ``Roster``, which is how Mesa agents are created and removed.

``Step`` carries what one phase hands to the next within a step: the shared context
(computed once), the work outcome and the step's events (``StepEvents``).
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import networkx as nx
import numpy as np

from model import channels
from model.codes import IDLE, NO_LEADER, NO_TASK
from model.environment import Environment
from model.network import Ties, build_graph, team_of
from model.params import INIT_ONLY, Parameters
from model.rules import leadership, wellbeing
from model.state import EmployeeState, ProblemLog, TaskBoard

if TYPE_CHECKING:
    from model.policies.base import LeadershipPolicy


class Roster(Protocol):
    """Told when someone joins or leaves a slot (the Mesa shell keeps its agents by it)."""

    def join(self, slot: int) -> int:
        """Someone joins ``slot``; return their unique id."""

    def leave(self, slot: int) -> None:
        """The person in ``slot`` leaves."""


class CountingRoster:
    """A roster without agents: unique ids counted from ``first`` (1: for a world used on
    its own)."""

    def __init__(self, first: int = 1) -> None:
        self._ids = itertools.count(first)

    def join(self, slot: int) -> int:
        return next(self._ids)

    def leave(self, slot: int) -> None:
        pass


def _empty() -> np.ndarray:
    return np.zeros(0)


@dataclass
class ClaimRecord:
    """The claims granted this step: what each lead brought to the task it took on (the
    four conditions of distributed leadership, as the quantities they govern)."""

    value: np.ndarray = field(default_factory=_empty)
    skill: np.ndarray = field(default_factory=_empty)
    energy: np.ndarray = field(default_factory=_empty)
    support: np.ndarray = field(default_factory=_empty)


@dataclass
class CostLedger:
    """Person-weeks spent this step on each kind of act, by whoever does it (the formal
    leader's attention at ``rules.leadership.DECISION_WEEKS`` a decision, employees' time,
    and energy spent beyond one's work at the job demand of a week's work)."""

    staffing: float = 0.0  # deciding who works on what: a leader staffing, a lead its team
    claims: float = 0.0  # contests: claims lost to a rival
    problems: float = 0.0  # addressing, surfacing and working around problems
    exceptions: float = 0.0  # deciding exceptions raised by running tasks
    coordination: float = 0.0  # coordinating teams: a leader's span, process loss, leading

    KINDS = ("staffing", "claims", "problems", "exceptions", "coordination")


@dataclass
class StepContext:
    """Quantities computed once per step and shared by the policy and the rules."""

    autonomous: np.ndarray
    controlled: np.ndarray
    support: np.ndarray  # peer support each employee can count on
    directed_strength: np.ndarray  # tie strength per directed edge, 0 where a slot is vacant
    extra_demand: np.ndarray  # energy each employee spends this step beyond its own work
    decision_time: np.ndarray  # person-weeks each employee spends deciding, out of its work
    rebuffed: np.ndarray  # whether each employee's claim was refused or lost to a rival
    staffed: np.ndarray  # whether the formal leader staffed each employee this step, or
    # handed it a task: its week of working with them (``phases.learning.collaborated``)
    claims: ClaimRecord = field(default_factory=ClaimRecord)
    costs: CostLedger = field(default_factory=lambda: CostLedger())


@dataclass
class WorkOutcome:
    """What the work phase produced, per employee (first six), per task (``progress``) and
    per worker (the rest), before finished tasks leave the board."""

    join_mode: np.ndarray
    effort: np.ndarray
    fit: np.ndarray
    progressing: np.ndarray
    completed: np.ndarray
    failed: np.ndarray
    progress: np.ndarray  # per task: work done on it this step
    workers: np.ndarray  # slots on a task this step
    domain: np.ndarray  # each worker's task domain
    skill: np.ndarray  # each worker's skill in it, before learning
    worker_effort: np.ndarray  # each worker's effort
    best_on_task: np.ndarray  # best skill on each worker's task
    watched: np.ndarray  # whether the formal leader runs each worker's task
    pressure: np.ndarray  # per employee: time pressure of one's task (0 when idle)
    blocked: np.ndarray  # per employee: whether one's task is stuck on an exception


@dataclass
class StepEvents:
    """What happened in one step, counted as it happens (read by ``model.metrics``)."""

    arrived: int = 0
    initiated: int = 0  # tasks put on the board by their proposers (phases.initiative)
    started: int = 0
    started_by_leader: int = 0  # of the tasks started, those the formal leader staffed
    completed: int = 0
    late: int = 0  # of the tasks completed, those delivered after their deadline
    failed: int = 0
    lapsed: int = 0  # ideas nobody took up by their last week (phases.initiative)
    latencies: np.ndarray = field(default_factory=_empty)  # of the tasks completed
    qualities: np.ndarray = field(default_factory=_empty)  # of the tasks completed
    value_completed: float = 0.0  # summed value of the tasks completed, as delivered
    start_waits: np.ndarray = field(default_factory=_empty)  # arrival → start, tasks started
    claims: ClaimRecord = field(default_factory=ClaimRecord)  # granted this step
    costs: CostLedger = field(default_factory=CostLedger)  # person-weeks by kind of act
    offered: float = 0.0  # person-weeks asked by the tasks that arrived
    arrived_value: np.ndarray = field(default_factory=_empty)  # value of each arriving task
    fit_at_work: float = float("nan")  # skill fit of those at work (mean)
    fit_planned: float = float("nan")  # the fit plans assumed for that work (mean)
    on_task: int = 0  # in post and on a task in the week's work
    in_post: int = 0  # in post in the week's work
    exits: int = 0
    hires: int = 0
    # problems that left this step, by route (``ProblemLog.ROUTES``)
    problems_solved_by_leader: int = 0  # the formal leader addressed them
    problems_solved_locally: int = 0  # people of their team with the right to decide did
    problems_obsolete: int = 0  # circumstances moved on
    problems_worked_around: int = 0  # their team patched around them


@dataclass
class Step:
    """What one step's phases pass along, filled in schedule order."""

    events: StepEvents = field(default_factory=StepEvents)
    context: StepContext | None = None
    outcome: WorkOutcome | None = None
    problem_load: np.ndarray | None = None  # unresolved trouble around each employee (work)


class ArrivalStreams(NamedTuple):
    """Where the market's arrivals draw from, one stream each: how many tasks arrive, their
    domains and complexity (``tasks``); the members each needs (``members``); and which
    teams new problems hit (``problems``). Spawned from the market's stream
    (``World.env_rng``), which keeps the drift of demand and of know-how."""

    tasks: np.random.Generator
    members: np.random.Generator
    problems: np.random.Generator


SHORT_SUM = 8
"""numpy 2 sums a contiguous block of fewer numbers than this one after another from 0
(a longer one pairwise, in 8 accumulators): blocks this short any organisation batch
may sum with ``np.bincount``, which adds in the same order."""


def short_block_sums(values: np.ndarray, org: np.ndarray,
                     orgs: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Each organisation's sum of ``values`` (items in organisation order, ``org`` theirs)
    and count, the sums the bits ``np.add.reduce`` gives each block alone, where every
    block is shorter than ``SHORT_SUM`` (one ``bincount`` for all); else None (sum them
    block by block)."""
    if values.dtype != np.float64:
        return None
    counts = np.bincount(org, minlength=orgs)
    if counts.max(initial=0) >= SHORT_SUM:
        return None
    return np.bincount(org, weights=values, minlength=orgs), counts


class Parts(list):
    """Each organisation's part of items of a batch (a list of arrays, one an
    organisation), which keeps the items whole beside it (``values``, their organisations
    ``org``), so that what reads every part at once need not join them again
    (``means``)."""

    def __init__(self, parts: list[np.ndarray], values: np.ndarray, org: np.ndarray,
                 orgs: int) -> None:
        super().__init__(parts)
        self.values, self.org, self.orgs = values, org, orgs

    def means(self) -> list[float] | None:
        """Each part's mean (NaN over none) as ``sum / n`` of each part alone gives it,
        where every part is short (``short_block_sums``); else None (sum them alone)."""
        short = short_block_sums(self.values, self.org, self.orgs)
        if short is None:
            return None
        sums, counts = short
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counts > 0, sums / counts, np.nan).tolist()


class World:
    """One organisation's state. Build it, then ``found()`` it (hires the founders and,
    under a formal-leader policy, appoints the best-connected of them)."""

    def __init__(self, params: Parameters, rng: np.random.Generator,
                 roster: Roster | None = None) -> None:
        from model.policies import get_policy  # late: the policies import this module

        p = self.params = params
        self.rng = rng
        # The market has its own streams, spawned from the model's: the same seed gives every
        # policy the same drift, tasks and problems (common random numbers); the drift of
        # demand and know-how draws from one, each kind of arrival from one of its own
        # (``ArrivalStreams``), so that a setting that changes how many of one kind arrive
        # (a problem rate, a task rate, a frozen channel) leaves the rest as they were.
        self.env_rng: np.random.Generator = rng.spawn(1)[0]
        self.arrival_rng = ArrivalStreams(*self.env_rng.spawn(3))
        self.roster: Roster = roster if roster is not None else CountingRoster()
        self.steps = 0
        n = p.n_employees
        self.state = EmployeeState.empty(n, p.n_domains, p.leadership_window)
        self.state.team[:] = team_of(n, p.team_size)
        self.graph: nx.Graph = build_graph(p.network, n, p.mean_degree, p.team_size,
                                           p.rewiring, rng)
        self.ties = Ties.from_graph(self.graph, self.state.team, rng)
        self.n_teams = int(self.state.team.max()) + 1
        self.skill_estimate = np.zeros((n, p.n_domains))  # the formal leader's beliefs
        # outcomes of each person's work the formal leader has seen: successes, failures
        self.readiness_record = np.zeros((n, 2))
        self.tasks = TaskBoard()
        self.problems = ProblemLog()
        self.environment = Environment.start(p.n_domains, p.turbulence)
        self.frozen = frozenset(channels.parse(p.frozen_channels))
        self.protocol_coverage = p.protocol_coverage
        self.lead_pairs: deque[tuple[np.ndarray, np.ndarray]] = deque(
            maxlen=p.leadership_window
        )
        self.pending_exits = 0  # departures by event since the last step
        self.leader_load = 0.0  # demand on the formal leader's attention over its budget
        self.leader_used = 0.0  # share of its budget the formal leader spent this step
        self.leader_budget = 0.0  # the attention it decided with this step
        self.policy: LeadershipPolicy = get_policy(p.policy)(self)
        self.leader = NO_LEADER
        self.succession_timer = -1
        # one organisation; ``model.batch.stack`` makes a world of several
        self.orgs, self.size, self.teams_per_org = 1, n, self.n_teams
        self.slot_org = np.zeros(n, dtype=np.int64)  # the organisation of each slot
        self.focus: int | None = None  # the organisation a batch's world stands for now

    def found(self) -> None:
        """Hire the founding employees and appoint the formal leader, if the policy has one."""
        self.hire(np.arange(self.state.n), founders=True)
        if self.policy.has_formal_leader:
            self.appoint_leader(int(np.argmax(self.ties.degree)))

    # ------------------------------------------------------------------ draws
    def draws(self, *, slots: Any = None, tasks: Any = None, teams: Any = None,
              orgs: Any = None, axis: int = 0, stream: str = "own") -> Any:
        """The generator for one draw per item: employees in ``slots`` (slot numbers,
        ascending), tasks of the board (an index or a mask), problems or others by their
        ``teams``, or items by their organisations ``orgs``. A single organisation's own
        generator (``stream``: ``"own"``), its market's (``"market"``) or the one the
        members of arriving tasks are drawn from (``"members"``, ``ArrivalStreams``); in
        an organisation batch (``model.batch``) each organisation's items draw from its
        own."""
        if self.orgs == 1:
            return {"own": self.rng, "market": self.env_rng,
                    "members": self.arrival_rng.members}[stream]
        if axis == 0 and isinstance(slots, slice) and slots == slice(None):
            return self.everyone[stream]  # every slot: N an organisation (``batch.stack``)
        from model.batch import OrganisationStreams, counts_by_org, in_order  # (imports us)
        if slots is not None:
            org = self.slot_org[slots]
        elif tasks is not None:
            org = self.tasks.org[tasks]
        elif orgs is not None:
            org = np.asarray(orgs)
        else:
            org = np.asarray(teams) // self.teams_per_org
        in_order(org)
        return OrganisationStreams(self.everyone[stream].generators,
                                   counts_by_org(org, self.orgs), axis)

    # ------------------------------------------------------------------ per organisation
    def count_by_org(self, counts: np.ndarray, org: np.ndarray | None = None) -> np.ndarray:
        """Each organisation's total of whole numbers (or flags) given per employee, or per
        item of the organisations ``org``: one float per organisation."""
        if self.orgs == 1:
            return np.array([float(counts.sum())])
        return np.bincount(self.slot_org if org is None else org, weights=counts,
                           minlength=self.orgs)

    def one_or_each(self, values: np.ndarray) -> Any:
        """``values``, one per organisation: a number alone (what a world of one
        organisation keeps, in its cost ledger for one), the array in a batch."""
        return float(values[0]) if self.orgs == 1 else values

    def tally(self, org: np.ndarray, where: np.ndarray | None = None) -> Any:
        """How many items there are (given by their organisations, ``org``), or of them
        where ``where`` holds: a number, or one per organisation in a batch."""
        if self.orgs == 1:
            return len(org) if where is None else int(where.sum())
        chosen = org if where is None else org[where]
        return np.bincount(chosen, minlength=self.orgs)

    def total(self, values: np.ndarray, org: np.ndarray) -> Any:
        """The sum of ``values`` (items of the organisations ``org``, in organisation
        order): a number, or one per organisation in a batch, each summed as it is alone."""
        if self.orgs == 1:
            return float(values.sum())
        short = short_block_sums(values, org, self.orgs)  # every block short: one call
        if short is not None:
            return short[0]
        # ``np.add.reduce`` is what ``part.sum()`` calls, without its Python wrapper
        return np.array([np.add.reduce(part) for part in self._parts(values, org)])

    def running_total(self, values: np.ndarray, org: np.ndarray) -> np.ndarray:
        """The running sum of ``values`` (items of the organisations ``org``, in
        organisation order), started afresh in each organisation, each summed as it is
        alone."""
        if self.orgs == 1:
            return np.cumsum(values)
        # each organisation's items in a row of their own, followed by nothing (zeros): the
        # running sums along the rows start afresh in each and add as its items alone do
        counts = np.bincount(org, minlength=self.orgs)
        place = np.arange(len(org)) - (np.cumsum(counts) - counts)[org]  # its place in its row
        rows = np.zeros((self.orgs, counts.max()), dtype=values.dtype)
        rows[org, place] = values
        return np.cumsum(rows, axis=1)[org, place]

    def split(self, values: np.ndarray, org: np.ndarray) -> Any:
        """``values`` (items of the organisations ``org``, in organisation order) as they
        are, or in a batch each organisation's part (``Parts``, which keeps them whole as
        well)."""
        if self.orgs == 1:
            return values
        return Parts(self._parts(values, org), values, org, self.orgs)

    def _parts(self, values: np.ndarray, org: np.ndarray) -> list[np.ndarray]:
        """Each organisation's block of ``values`` (items in organisation order)."""
        bounds = np.searchsorted(org, np.arange(self.orgs + 1)).tolist()
        return [values[a:b] for a, b in itertools.pairwise(bounds)]

    def org_mean(self, values: np.ndarray, mask: np.ndarray | None = None, *,
                 slots: np.ndarray | None = None) -> np.ndarray:
        """Each organisation's mean of ``values`` (per employee, over those in ``mask``; or
        per item of the employees ``slots``), given back for each employee or item."""
        chosen = np.ones(len(values), dtype=bool) if mask is None else mask
        if self.orgs == 1:  # nobody chosen: no mean (NaN, without numpy's warning)
            return np.full(len(values), values[chosen].mean() if chosen.any() else np.nan)
        org = self.slot_org if slots is None else self.slot_org[slots]
        means = np.full(self.orgs, np.nan)  # an organisation without any: no mean
        for r in np.unique(org[chosen]).tolist():
            means[r] = values[(org == r) & chosen].mean()
        return means[org]

    def per_org(self, rule: Any, **quantities: Any) -> Any:
        """``rule`` of each organisation's quantities (arrays of one value per organisation,
        or values common to all): its value, or in a batch each employee's organisation's."""
        def of(r: int) -> dict[str, Any]:
            return {k: v[r] if isinstance(v, np.ndarray) else v for k, v in quantities.items()}
        if self.orgs == 1:
            return rule(**of(0))
        return np.array([rule(**of(r)) for r in range(self.orgs)])[self.slot_org]

    def each_org(self, name: str) -> list[Any]:
        """Parameter ``name`` of each organisation: the world's alone; in a batch each
        organisation's own (they may differ in ``model.batch.VARYING``)."""
        if self.orgs == 1:
            return [getattr(self.params, name)]
        return [getattr(params, name) for params in self.org_params]

    def param_for(self, name: str, org: Any = None, *, slots: Any = None) -> Any:
        """Parameter ``name`` as items see it: the world's own alone, or where every
        organisation of a batch has the same; else (``model.batch.VARYING``) each item's
        organisation's (``org``: the organisation of each item, or one organisation's
        number; or ``slots``: the employee each item belongs to, whose organisation is
        looked up only then)."""
        value = getattr(self.params, name)
        if self.orgs == 1 or value == value:  # NaN: the batch's organisations differ in it
            return value
        if slots is not None:
            org = self.slot_org[slots]
        if org is None:
            raise ValueError(f"the organisations of this batch differ in {name}: say whose "
                             "(org)")
        return np.array(self.each_org(name))[org]

    def draws_for(self, name: str) -> bool:
        """Whether the organisations draw for parameter ``name`` this step: it is above 0
        (in a batch, for all of them or none: ``model.batch.DRAWN_ONLY_ABOVE_ZERO``)."""
        above = {value > 0 for value in self.each_org(name)}
        if len(above) > 1:
            raise ValueError(f"the organisations of this batch are on both sides of 0 in "
                             f"{name}: each would draw other than alone")
        return above.pop()

    def param_of_employees(self, name: str, *, column: bool = False) -> Any:
        """Parameter ``name`` as each employee sees it: its organisation's (``param_for``
        over the slots); with ``column``, as a column that scales an (employees, k) array
        row by row. A number where every organisation has the same."""
        value = self.param_for(name, slots=slice(None))
        return value[:, None] if column and np.ndim(value) else value

    # ------------------------------------------------------------------ views
    def turbulence_for(self, channel: str, org: Any = None) -> Any:
        """The turbulence a channel of ``model.channels`` sees (reference level if frozen):
        of organisation ``org`` (a number, or one per item) in an organisation batch."""
        if self.orgs == 1:
            moving = self.environment.turbulence
        else:
            each = [e.turbulence for e in self.environments]
            if len(set(each)) == 1:
                moving = each[0]
            elif org is None:
                raise ValueError("the organisations of this batch differ in turbulence: "
                                 "say whose (org)")
            else:
                moving = np.array(each)[org]
        return channels.turbulence_seen(channel, moving, self.frozen,
                                        self.params.channel_turbulence)

    def turbulence_of_each(self, channel: str) -> list[float]:
        """The turbulence a channel sees in each organisation, one number each (what
        ``turbulence_for(channel, org)`` gives organisation by organisation, worked out
        once for all of them)."""
        return [channels.turbulence_seen(channel, e.turbulence, self.frozen,
                                         self.params.channel_turbulence)
                for e in ([self.environment] if self.orgs == 1 else self.environments)]

    def markets(self) -> list[tuple[Environment, np.random.Generator, ArrivalStreams]]:
        """Each organisation's market, the stream its demand drifts by, and those its
        arrivals are drawn from."""
        if self.orgs == 1:
            return [(self.environment, self.env_rng, self.arrival_rng)]
        return list(zip(self.environments, self.env_rngs, self.arrival_rngs, strict=True))

    def add_problems(self, teams: np.ndarray) -> None:
        """New problems join the log, each at the end of its organisation's part."""
        self.problems.add(teams, self.steps)
        if self.orgs > 1:
            self.problems.reorder(np.argsort(self.problems.team // self.teams_per_org,
                                             kind="stable"))

    def add_tasks(self, columns: dict[str, np.ndarray]) -> None:
        """New tasks join the board, each at the end of its organisation's block."""
        self.tasks.add(**columns)
        if self.orgs > 1:
            remap = self.tasks.reorder(np.argsort(self.tasks.org, kind="stable"))
            on = self.state.task >= 0
            self.state.task[on] = remap[self.state.task[on]]

    def complexity_for(self, channel: str, complexity: np.ndarray) -> np.ndarray:
        """The task complexities a channel of ``model.channels`` sees (the organisation's
        mean complexity is read only for a frozen channel: organisations of a batch then
        share it, ``model.batch.shape_of``)."""
        if channel not in self.frozen:
            return complexity
        return channels.complexity_seen(channel, complexity, self.frozen,
                                        mean=self.param_for("task_complexity"),
                                        reference=self.params.channel_complexity)

    @property
    def report_lag(self) -> int:
        """Steps news takes to reach the formal leader (0 with the channel frozen)."""
        return 0 if "report_lag" in self.frozen else self.params.report_lag

    def members_per_task(self) -> np.ndarray:
        """How many people work on each task of the board, in board order."""
        on_task = self.state.task[self.state.task >= 0]
        return np.bincount(on_task, minlength=len(self.tasks))

    def idle_mask(self) -> np.ndarray:
        """Employees in post, not on a task and not the formal leader."""
        s = self.state
        idle = s.active & (s.task == NO_TASK)
        if self.orgs > 1:  # each organisation's formal leader
            idle[self.leader[self.leader != NO_LEADER]] = False
        elif self.leader != NO_LEADER:
            idle[self.leader] = False
        return idle

    def coverage(self, org: Any = None) -> Any:
        """Protocol coverage, of each item's organisation ``org`` in a batch."""
        if self.orgs == 1:
            return self.protocol_coverage
        if org is None:
            raise ValueError("protocol coverage is one per organisation in a batch: say "
                             "whose (org)")
        return self.protocol_coverage[org]

    def in_focus(self, mask: np.ndarray, of: str) -> np.ndarray:
        """``mask`` over the employees (``of="slots"``), tasks or problems, kept to the
        organisation this world stands for (``model.batch.organisations``); as it is in a
        world of one organisation."""
        if self.focus is None:
            return mask
        if of == "slots":
            org = self.slot_org
        elif of == "tasks":
            org = self.tasks.org
        else:
            org = self.problems.team // self.teams_per_org
        return mask & (org == self.focus)

    def formal_leaders(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The formal leader in post (in each organisation of a batch that has one): its
        slot, the share of its attention it used this week and its load."""
        leader = np.atleast_1d(self.leader)
        present = leader != NO_LEADER
        return (leader[present], np.atleast_1d(self.leader_used)[present],
                np.atleast_1d(self.leader_load)[present])

    def new_week_for_leaders(self) -> None:
        """A formal leader starts the week with none of its attention used; its load stays
        until it decides (its last queue), and is nothing without a leader."""
        if self.orgs > 1:
            self.leader_used[:] = 0.0
            self.leader_load[self.leader == NO_LEADER] = 0.0
            return
        self.leader_used = 0.0
        if self.leader == NO_LEADER:
            self.leader_load = 0.0

    def leader_attention(self, org: Any = None) -> Any:
        """The formal leader's attention this week, in decisions
        (``rules.leadership.leader_attention``): its capacity, less as it is drained (with
        ``leader_fatigue``), grown with headcount (with ``span_of_control``); in a batch,
        organisation ``org``'s (a number), or each of the organisations ``org`` (an array)."""
        p = self.params
        leader, load = ((self.leader, self.leader_load) if org is None
                        else (self.leader[org], self.leader_load[org]))
        if not p.leader_fatigue:
            energy, pressure = 1.0, 0.0
        else:  # its state as the week starts: its energy, and last week's queue
            energy = self.state.energy[leader]
            pressure = wellbeing.queue_pressure(load)
        attention = leadership.leader_attention(
            capacity=self.param_for("leader_capacity", org), energy=energy, pressure=pressure,
            positions=p.n_employees, span_of_control=p.span_of_control)
        return float(attention) if np.ndim(attention) == 0 else attention

    def set_for_leaders(self, orgs: np.ndarray, **values: np.ndarray) -> None:
        """Set what the formal leaders of the organisations ``orgs`` have one of (its
        load, attention used, budget: ``name=values``, one value per organisation in
        ``orgs``); a number in a world of one organisation."""
        for name, value in values.items():
            if self.orgs == 1:
                if len(orgs):
                    setattr(self, name, float(value[0]))
            else:
                getattr(self, name)[orgs] = value

    def directed_strength(self) -> np.ndarray:
        """Tie strength per directed edge, 0 where either end is a vacant slot."""
        on, ties = self.state.active, self.ties
        return ties.strength[ties.edge] * on[ties.src] * on[ties.dst]

    def lead_pairs_in_window(self) -> tuple[np.ndarray, np.ndarray]:
        """(lead, member) slot pairs of every task led in the recent window."""
        if not self.lead_pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        leads, members = zip(*self.lead_pairs, strict=True)
        return np.concatenate(leads), np.concatenate(members)

    # ------------------------------------------------------------------ people
    def hire(self, slots: np.ndarray, founders: bool) -> None:
        """People join in ``slots``: fresh state, weak ties (newcomers), a first impression."""
        if len(slots) == 0:
            return
        self.state.hire(slots, self.draws(slots=slots), self.steps, newcomer=not founders)
        if not self.params.frustration_pathway:
            self.state.frus[slots] = 0.0
        if not founders:
            self.ties.reset(slots)
        self.first_impressions(slots)
        self.readiness_record[slots] = 0.0
        for slot in slots.tolist():
            self.state.agent_id[slot] = self.roster.join(slot)

    def exit(self, slots: np.ndarray) -> None:
        """The employees in ``slots`` leave; their slots wait ``hiring_delay`` steps. The
        ties they made at work go with them (a newcomer takes over the founding structure's
        ties of the post, not its predecessor's colleagues)."""
        if len(slots) == 0:
            return
        leaving = np.zeros(self.state.n + 1, dtype=bool)  # the last entry: NO_LEADER (-1)
        leaving[slots] = True
        ties = self.ties
        ties.drop(ties.at_work & (leaving[ties.u] | leaving[ties.v]))
        if self.orgs > 1:  # in each organisation whose formal leader leaves
            gone = leaving[self.leader]
            self.leader[gone] = NO_LEADER
            self.succession_timer[gone] = self.params.succession_delay
        elif self.leader != NO_LEADER and leaving[self.leader]:  # the succession starts
            self.leader = NO_LEADER
            self.succession_timer = self.params.succession_delay
        self.tasks.lead[leaving[self.tasks.lead]] = NO_LEADER
        for slot in slots.tolist():
            self.roster.leave(slot)
        self.state.vacate(slots, self.params.hiring_delay)

    def first_impressions(self, slots: np.ndarray) -> None:
        """The formal leader's estimate of people it has not yet seen work."""
        size = (len(slots), self.skill_estimate.shape[1])
        noise = self.draws(slots=slots).normal(0.0, leadership.ESTIMATE_NOISE, size=size)
        self.skill_estimate[slots] = leadership.first_impression(self.state.skills[slots], noise)

    # ------------------------------------------------------------------ the formal leader
    def appoint_leader(self, slot: int) -> None:
        s = self.state
        if s.task[slot] >= 0:
            self.tasks.lead[self.tasks.lead == slot] = NO_LEADER
            s.task[slot] = NO_TASK
            s.join_mode[slot] = IDLE
        self.leader = slot
        self.leader_load = 0.0  # a new leader starts with no queue of its own
        self.succession_timer = -1
        here = self.in_focus(np.ones(s.n, dtype=bool), "slots")  # its organisation
        self.first_impressions(np.flatnonzero(s.active & here))
        self.readiness_record[here] = 0.0  # a new leader has seen nobody's work yet

    def appoint_successor(self) -> None:
        """The most skilled employee in post takes over the formal leader's role."""
        s = self.state
        merit = np.where(self.in_focus(s.active, "slots"), s.skills.mean(axis=1), -np.inf)
        if np.isfinite(merit).any():
            self.appoint_leader(int(np.argmax(merit)))

    # ------------------------------------------------------------------ interventions
    def intervene(self, changes: dict[str, Any]) -> None:
        """Change parameters of the running organisation from the next step (validated
        like any parameter; ``INIT_ONLY`` ones cannot change). State that mirrors a
        parameter follows it: the market's turbulence, protocol coverage (protocols are
        written to that level), the frozen channels. A change of policy hands over
        (``hand_over``). Nothing is drawn from the market's stream, so the rest of the run
        meets the same market (appointing a leader draws its first impressions from the
        organisation's)."""
        if self.orgs > 1:
            raise NotImplementedError("an organisation batch takes no interventions: run "
                                      "these runs one at a time (run_model)")
        fixed = sorted(set(changes) & INIT_ONLY)
        if fixed:
            raise ValueError(f"{', '.join(fixed)} cannot change while the organisation runs; "
                             f"allowed: any parameter but {', '.join(sorted(INIT_ONLY))}")
        old = self.params
        self.params = old.replace(**changes)
        if "turbulence" in changes:
            self.environment.turbulence = self.params.turbulence
        if "protocol_coverage" in changes:
            self.protocol_coverage = self.params.protocol_coverage
        if "frozen_channels" in changes:
            self.frozen = frozenset(channels.parse(self.params.frozen_channels))
        if self.params.policy != old.policy:
            from model.policies import get_policy

            self.hand_over(get_policy(self.params.policy)(self))
        elif "protocol_coverage" in changes and hasattr(self.policy, "initial_coverage"):
            self.policy.initial_coverage = self.params.protocol_coverage

    def hand_over(self, policy: LeadershipPolicy) -> None:
        """A new leadership policy takes over the running organisation; work in progress
        goes on and decision rights lapse.

        - Without a formal leader in the new policy, the formal leader becomes an ordinary
          employee and the teams it ran lead themselves: their supervisor leads if still on
          the team, else their most skilled member.
        - With one, the running self-organised teams pass to the formal leadership (which
          decides their exceptions from now on), and where there is no leader and no
          succession under way, the best-connected employee in post is appointed (as at
          founding); a succession under way runs its course.
        """
        if self.orgs > 1:
            raise NotImplementedError("an organisation batch takes no change of policy: run "
                                      "these runs one at a time (run_model)")
        s, tasks = self.state, self.tasks
        self.policy = policy
        s.decision_rights[:] = False
        running = tasks.started >= 0
        if not policy.has_formal_leader:
            self.leader, self.succession_timer = NO_LEADER, -1
            run = np.flatnonzero(~tasks.self_organised & running)
            for task in run.tolist():
                members = np.flatnonzero((s.task == task) & s.active)
                supervisor = int(tasks.supervisor[task])
                if supervisor in set(members.tolist()):
                    tasks.lead[task] = supervisor
                elif len(members):
                    tasks.lead[task] = int(members[np.argmax(s.skills[members,
                                                                       tasks.domain[task]])])
                else:
                    tasks.lead[task] = NO_LEADER
            tasks.self_organised[run] = True
            return
        handed = np.flatnonzero(tasks.self_organised & running)
        tasks.self_organised[handed] = False
        tasks.lead[handed] = NO_LEADER
        if self.leader == NO_LEADER and self.succession_timer < 0:
            degree = np.where(s.active, self.ties.degree, -1)
            self.appoint_leader(int(np.argmax(degree)))

    def remove_leader(self) -> int | None:
        """The leader leaves now (under distributed: the most active emergent leader).

        Under a formal-leader policy, allocation stalls until a successor takes over after
        ``succession_delay`` steps. Returns the unique id of who left, or None.
        """
        if self.orgs > 1:
            raise NotImplementedError("an organisation batch takes no departures by event: "
                                      "run these runs one at a time (run_model)")
        slot = self.policy.remove_leader(self)
        if slot == NO_LEADER or not self.state.active[slot]:
            return None
        unique_id = int(self.state.agent_id[slot])
        self.exit(np.array([slot]))
        self.pending_exits += 1
        return unique_id
