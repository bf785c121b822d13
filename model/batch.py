"""The organisation batch: R organisations of one shape as one world, so that a sweep's
replications run many organisations through each call (``docs/audits/organisation-batch.md``,
the decision; ``benchmarks/README.md``, how fast).

A batch stacks the worlds of R organisations built alone (each from its own seed): the
employees of organisation ``r`` fill slots ``r·N .. (r + 1)·N − 1``, its teams
``r·T .. (r + 1)·T − 1``, its tasks one contiguous block of the task board (the board stays
in organisation order), its ties one diagonal block of the sorted edge list. Every
organisation keeps its own random generators and draws from them exactly what it draws
alone (``OrganisationStreams``), so that each organisation's run is bit for bit the run it
has alone; ``organisation`` reads one organisation's state back in the form it has alone,
which is how that is checked.

A world of one organisation (``World.orgs == 1``) is the single run: every helper here
then gives back what the phases used before the batch (the world's own generator), so a
single run does not pay for the batch.

What differs between organisations in a batch is kept one value per organisation: the
market, the formal leader and its load, attention and succession, protocol coverage,
each policy's own state (``policies``). The formal leaders' weekly decisions run for
every organisation at once (``model.policies.allocation.leader_decides``: each queue in
its own order, the j-th task of every leader's list staffed together), and so do a
fostering leader's stepping back, review of rights and protocol building; what one
organisation does with its own generator one draw after another (a fostering survey,
a succession) and each organisation's protocol coverage run one organisation at a time
(``organisations``), on the batch's arrays. A batch holds organisations of the same
parameters, under a policy it batches (``holds``), without interventions, or of
parameters that differ only where a batch keeps them apart (``VARYING``: the
environment, the climate, the quit rate, the people's rates, the costs of leading, the
leader's means, the drifts, exceptions and luck; ``together`` says which may share a
batch); anything else runs one organisation at a time (``experiments.simulate.run_batch``).
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from collections import deque
from dataclasses import fields
from typing import TYPE_CHECKING, Any

import numpy as np

from model import channels
from model.codes import NO_TASK
from model.network import Ties
from model.params import Parameters
from model.state import _TASK_FIELDS, EmployeeState, ProblemLog, TaskBoard

if TYPE_CHECKING:
    from model.world import World


def in_order(org: np.ndarray) -> None:
    """Items given by their organisations must come in organisation order: each
    organisation's draws go to its own items only then."""
    if len(org) > 1 and (org[1:] < org[:-1]).any():
        raise ValueError("items of an organisation batch out of organisation order")


def counts_by_org(org: np.ndarray, orgs: int) -> np.ndarray:
    """How many of the items (each given by its organisation, in organisation order) each
    organisation has."""
    return np.bincount(org, minlength=orgs)


class OrganisationStreams:
    """Draws for items of several organisations, in organisation order, each
    organisation's from its own generator: what it draws alone for its own items.

    Takes the place of a ``numpy.random.Generator`` in a phase or a rule: the size along
    ``axis`` is the number of items (the sum of ``counts``); array parameters that run
    along the items are split with them. A generator gives the same numbers for ``k₁``
    then ``k₂`` draws as for ``k₁ + k₂`` only for some distributions, so each organisation
    draws its own count in one call, as alone. Only the organisations with items draw (a
    draw of none does not move a generator).
    """

    SCALAR_ITEMS = 8
    """An organisation with at most this many items, each with parameters of its own,
    draws them one item at a time: numpy draws an array of parameters item by item with
    the same sampler, so the numbers are the same, without the checks of each parameter
    array that cost several microseconds a call."""

    def __init__(self, generators: list[np.random.Generator], counts: np.ndarray,
                 axis: int = 0) -> None:
        self.generators = generators
        self.counts = counts.tolist()
        self.axis = axis
        self.bounds = [0, *itertools.accumulate(self.counts)]
        # (generator, how many, first, past the last) of each organisation with items
        self.drawing = [(generator, k, start, start + k) for generator, k, start
                        in zip(generators, self.counts, self.bounds, strict=False) if k]

    def _draw(self, method: str, size: Any, params: tuple[Any, ...]) -> np.ndarray:
        shape = (size,) if np.isscalar(size) else tuple(size)
        axis = self.axis % len(shape)
        total = self.bounds[-1]
        if shape[axis] != total:
            raise ValueError(f"draws for {shape[axis]} items along axis {axis}, but the "
                             f"organisations have {total}")
        if axis == 0 and not params:  # each fills its own rows
            out = np.empty(shape)
            for generator, _, start, stop in self.drawing:
                getattr(generator, method)(out=out[start:stop])
            return out
        if axis != 0:
            params = tuple(_common(value) for value in params)
        if not self.drawing:  # nobody draws: only the type is needed
            return getattr(self.generators[-1], method)(*params, size=shape)
        along = [isinstance(value, np.ndarray) and value.ndim > 0 and value.shape[0] == total
                 for value in params] if axis == 0 else [False] * len(params)
        before, after = shape[:axis], shape[axis + 1:]
        if not any(along):  # the same parameters for all
            parts = [getattr(generator, method)(*params, size=(*before, k, *after))
                     for generator, k, _, _ in self.drawing]
        else:
            parts = []
            for generator, k, start, stop in self.drawing:
                draw = getattr(generator, method)
                if k <= self.SCALAR_ITEMS and not after:  # item by item (see above)
                    each = [value[start:stop].tolist() if runs else itertools.repeat(value, k)
                            for value, runs in zip(params, along, strict=True)]
                    parts.append(np.array([draw(*own) for own in zip(*each, strict=False)]))
                else:
                    parts.append(draw(*(value[start:stop] if runs else value
                                        for value, runs in zip(params, along, strict=True)),
                                      size=(k, *after)))
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=axis)

    def random(self, size: Any) -> np.ndarray:
        return self._draw("random", size, ())

    def standard_normal(self, size: Any) -> np.ndarray:
        return self._draw("standard_normal", size, ())

    def normal(self, loc: Any = 0.0, scale: Any = 1.0, size: Any = None) -> np.ndarray:
        return self._draw("normal", size, (loc, scale))

    def uniform(self, low: Any = 0.0, high: Any = 1.0, size: Any = None) -> np.ndarray:
        return self._draw("uniform", size, (low, high))

    def beta(self, a: Any, b: Any, size: Any = None) -> np.ndarray:
        return self._draw("beta", size, (a, b))

    def binomial(self, n: Any, p: Any, size: Any = None) -> np.ndarray:
        return self._draw("binomial", size, (n, p))


def _common(value: Any) -> Any:
    """A parameter of draws along another axis than the first: one value for all."""
    if np.ndim(value) > 0:
        raise ValueError("draws along another axis than the first take one value per "
                         "parameter, not one per item")
    return value


def pick_within(world: World, pool_org: np.ndarray, row_org: np.ndarray,
                per_row: int | None = None) -> np.ndarray:
    """For each row (an item of organisation ``row_org``, in organisation order), a
    position (``per_row`` of them) drawn uniformly among the pool items of its own
    organisation (``pool_org``, in organisation order): ``rng.integers(len(pool),
    size=rows)`` (or ``(rows, per_row)``) of a single organisation. An organisation
    without rows draws nothing, as alone."""
    shape = () if per_row is None else (per_row,)
    if world.orgs == 1:
        return world.rng.integers(len(pool_org), size=(len(row_org), *shape))
    in_order(pool_org)
    in_order(row_org)
    pool = counts_by_org(pool_org, world.orgs).tolist()
    rows = counts_by_org(row_org, world.orgs).tolist()
    start = [0, *itertools.accumulate(pool)]
    parts = [world.rngs[r].integers(pool[r], size=(rows[r], *shape)) + start[r]
             for r in range(world.orgs) if rows[r]]
    return np.concatenate(parts) if parts else np.zeros((0, *shape), dtype=np.int64)


class Rosters:
    """The rosters of the organisations of a batch: slot ``s`` is slot ``s mod N`` of
    organisation ``s // N``, which numbers its people as it does alone."""

    def __init__(self, rosters: list[Any], size: int) -> None:
        self.rosters, self.size = rosters, size

    def join(self, slot: int) -> int:
        return self.rosters[slot // self.size].join(slot % self.size)

    def leave(self, slot: int) -> None:
        self.rosters[slot // self.size].leave(slot % self.size)


BATCHED_POLICIES = ("distributed", "heroic", "fostering")
"""The policies an organisation batch runs (a policy of one's own runs one organisation at
a time: its code may not keep organisations apart)."""


def holds(parameters: Any) -> bool:
    """Whether an organisation batch can run organisations of these parameters: a batched
    policy and no scheduled departure (``leader_departure_step``)."""
    return (parameters.get("policy", "distributed") in BATCHED_POLICIES
            and parameters.get("leader_departure_step") is None)


VARYING = ("turbulence", "task_complexity", "task_rate", "problem_rate", "leader_autonomy_support",
           "shared_purpose", "claim_support", "quit_rate", "outside_quit_rate", "need_rate",
           "frustration_rate", "regulation_rate", "contagion_rate", "contagion_distance",
           "exhaustion_contagion", "recovery_rate", "learning_rate", "peer_learning", "forgetting",
           "tie_growth", "tie_decay", "reputation_rate", "leading_drain", "coordination_cost",
           "lead_coordination", "claim_competence", "claim_energy", "planning_optimism",
           "late_acceptance", "leader_capacity", "protocol_coverage", "protocol_attention",
           "delegation_bar", "requirement_drift", "knowhow_drift", "exception_rate",
           "performance_noise", "initiative_rate")
"""The parameters the organisations of one batch may differ in: the environment (the axes
of every study's grid, and how much work and trouble arrive), the climate (the formal
leader's style, shared purpose, how much backing a claim needs), how readily people quit,
the people's rates (how fast needs, regulations, exhaustion and skills move, how
motivation and exhaustion spread, how ties grow and fade, how fast a lead's reputation
follows its outcomes), what coordinating costs (its loss on a team, a lead's share in it,
the energy leading takes), the bars to lead (competence, energy), how optimistic plans
are and how late a client still takes work, the formal leader's means (its capacity,
the protocols it starts with, the attention it gives to building more, the bar for
handing over), and how far requirements
and know-how drift, how often exceptions arise, how much luck a week's work has and how
often the idle take up work unasked (each
on one side of 0 in a batch: ``DRAWN_ONLY_ABOVE_ZERO``). Each is read where it is
known whose it is: turbulence through each organisation's market
(``World.turbulence_for``), the others as each organisation's own (``World.each_org``) or
each item's organisation's (``World.param_for``, ``World.param_of_employees``); protocol
coverage is each organisation's state from the start (``World.coverage``). A frozen
complexity channel sees each task at its quantile of the organisation's complexity
distribution (``model.channels``), so organisations that differ in task complexity share
a batch only with no complexity channel frozen. In a batch whose organisations differ in
one, the batch's ``params`` hold NaN for it, so that a read that does not say whose
cannot pass unnoticed (the gate, ``tests/test_batch.py``, varies them all at once)."""

DRAWN_ONLY_ABOVE_ZERO = ("requirement_drift", "knowhow_drift", "exception_rate",
                         "performance_noise", "initiative_rate")
"""Members of ``VARYING`` at 0 of which an organisation draws nothing for them (no drift,
no exceptions, no luck at work, no initiative): organisations of one batch are all above
0 in each, or all at 0 (``shape_of``), so that each draws what it draws alone; a phase
asks ``World.draws_for``."""
SLOT_COLUMNS = ("lead", "supervisor", "proposer")
"""The task board's columns that name an employee's slot (shifted with its organisation)."""

_DEFAULTS = {f.name: f.default for f in fields(Parameters)}


def shape_of(parameters: Any) -> tuple:
    """What organisations must share to run in one batch: their parameters (a mapping of
    those given, or all of them) but those a batch keeps apart (``VARYING``; the task
    complexity only with no complexity channel frozen; of ``DRAWN_ONLY_ABOVE_ZERO``,
    whether each is above 0)."""
    frozen = channels.parse(parameters.get("frozen_channels", ""))  # (in any order)
    apart = (set(VARYING) if not set(frozen) & set(channels.COMPLEXITY_CHANNELS)
             else set(VARYING) - {"task_complexity"})
    drawn = tuple((f"{name} > 0", parameters.get(name, _DEFAULTS[name]) > 0)
                  for name in DRAWN_ONLY_ABOVE_ZERO)
    return tuple(sorted((name, channels.canonical(value) if name == "frozen_channels"
                         else value) for name, value in parameters.items()
                        if name not in apart)) + drawn


def together(first: Any, other: Any) -> bool:
    """Whether organisations of the parameters ``first`` and ``other`` (mappings) can run
    in one batch: both under what a batch holds (``holds``), of one ``shape_of``."""
    return holds(first) and holds(other) and shape_of(first) == shape_of(other)


# ---------------------------------------------------------------- stacking and reading back
_OWN = ("leader", "leader_load", "leader_used", "leader_budget", "succession_timer",
        "pending_exits", "protocol_coverage")
"""What each organisation of a batch has one of (an array over the organisations)."""


def stack(worlds: list[World]) -> World:
    """One world holding the organisations of ``worlds`` (founded alone, at the same step,
    of parameters that differ at most in ``VARYING``: ``together``), each in its own
    block; the worlds given are not to be used again."""
    first = worlds[0]
    if len(worlds) == 1:  # a batch of one is the single run
        return first
    if not holds(dataclasses.asdict(first.params)):
        raise ValueError(f"an organisation batch does not hold policy={first.params.policy!r} "
                         "with a scheduled leader_departure_step; allowed: policies "
                         f"{', '.join(BATCHED_POLICIES)}, no scheduled departure")
    given = [dataclasses.asdict(w.params) for w in worlds]
    if any(not together(given[0], other) for other in given[1:]):
        raise ValueError("an organisation batch holds organisations whose parameters "
                         f"differ at most in {', '.join(VARYING)} (task_complexity only "
                         "with no complexity channel frozen; "
                         f"{', '.join(DRAWN_ONLY_ABOVE_ZERO)} each above 0 in all or "
                         "in none)")
    n, n_teams, R = first.state.n, first.n_teams, len(worlds)
    batch = object.__new__(type(first))
    batch.__dict__.update(first.__dict__)
    batch.orgs, batch.size, batch.teams_per_org = R, n, n_teams
    batch.org_params = [w.params for w in worlds]
    differ = {name: float("nan") for name in VARYING
              if len({getattr(w.params, name) for w in worlds}) > 1}
    if differ:  # read through whose it is (VARYING), never the batch's
        batch.params = copy.copy(first.params)
        for name, value in differ.items():
            object.__setattr__(batch.params, name, value)
    batch.rng = None  # every draw goes through the organisations' own generators
    batch.rngs = [w.rng for w in worlds]
    batch.env_rngs = [w.env_rng for w in worlds]
    batch.arrival_rngs = [w.arrival_rng for w in worlds]
    batch.arrival_rng = None
    batch.everyone = {  # each stream's draws for every slot, N an organisation
        stream: OrganisationStreams(generators, np.full(R, n))
        for stream, generators in (("own", batch.rngs), ("market", batch.env_rngs),
                                   ("members", [mine.members for mine in batch.arrival_rngs]))}
    batch.environments = [w.environment for w in worlds]
    batch.environment = None
    batch.n_teams = R * n_teams
    batch.graph = None
    batch.roster = Rosters([w.roster for w in worlds], n)

    states = [w.state for w in worlds]
    values = {}
    for f in fields(EmployeeState):
        parts = [getattr(s, f.name) for s in states]
        values[f.name] = np.concatenate(parts, axis=1 if f.name == "lead_record" else 0)
    task_offsets = np.cumsum([0] + [len(w.tasks) for w in worlds])
    slot = [r * n for r in range(R)]
    values["team"] = np.concatenate([s.team + r * n_teams for r, s in enumerate(states)])
    values["task"] = np.concatenate([np.where(s.task >= 0, s.task + task_offsets[r], NO_TASK)
                                     for r, s in enumerate(states)])
    batch.state = EmployeeState(**values)
    batch.slot_org = np.repeat(np.arange(R), n)

    board = TaskBoard()
    for name in _TASK_FIELDS:
        parts = [getattr(w.tasks, name) for w in worlds]
        if name in SLOT_COLUMNS:
            parts = [_shift(part, slot[r]) for r, part in enumerate(parts)]
        if name == "org":
            parts = [np.full(len(w.tasks), r, dtype=np.int64) for r, w in enumerate(worlds)]
        setattr(board, name, np.concatenate(parts))
    batch.tasks = board

    logs = [w.problems for w in worlds]
    if any(log.left for log in logs):
        raise ValueError("a world whose problems' routes out are not yet counted "
                         "(ProblemLog.left) cannot be stacked: stack organisations "
                         "between steps")
    batch.problems = ProblemLog(
        team=np.concatenate([log.team + r * n_teams for r, log in enumerate(logs)]),
        arrival=np.concatenate([log.arrival for log in logs]),
        known_since=np.concatenate([log.known_since for log in logs]),
        ignored=np.concatenate([log.ignored for log in logs]),
        acted_on=[np.concatenate([np.concatenate(log.acted_on) + r * n_teams
                                  if log.acted_on else np.zeros(0, np.int64)
                                  for r, log in enumerate(logs)])],
    )

    ties = [w.ties for w in worlds]
    edge_offsets = np.cumsum([0] + [len(t.u) for t in ties])
    batch.ties = Ties(
        u=np.concatenate([t.u + slot[r] for r, t in enumerate(ties)]),
        v=np.concatenate([t.v + slot[r] for r, t in enumerate(ties)]),
        strength=np.concatenate([t.strength for t in ties]),
        src=np.concatenate([t.src + slot[r] for r, t in enumerate(ties)]),
        dst=np.concatenate([t.dst + slot[r] for r, t in enumerate(ties)]),
        edge=np.concatenate([t.edge + edge_offsets[r] for r, t in enumerate(ties)]),
        degree=np.concatenate([t.degree for t in ties]),
        n=R * n,
        at_work=np.concatenate([t.at_work for t in ties]),
        last_together=np.concatenate([t.last_together for t in ties]),
    )
    batch.skill_estimate = np.concatenate([w.skill_estimate for w in worlds])
    batch.readiness_record = np.concatenate([w.readiness_record for w in worlds])
    batch.lead_pairs = deque(
        (tuple(np.concatenate([w.lead_pairs[i][j] + slot[r] for r, w in enumerate(worlds)])
               for j in range(2)) for i in range(len(first.lead_pairs))),
        maxlen=first.lead_pairs.maxlen)
    for name in _OWN:  # one value per organisation
        setattr(batch, name, np.array([getattr(w, name) for w in worlds]))
    batch.policies = [w.policy for w in worlds]  # what each organisation's policy keeps
    batch.leader = np.array([_shift(np.array(w.leader), slot[r]) for r, w in enumerate(worlds)])
    batch.policy = first.policy
    return batch


def _shift(slots: np.ndarray, offset: int) -> np.ndarray:
    """Slot numbers moved by ``offset``; −1 (nobody) stays."""
    return np.where(slots >= 0, slots + offset, slots)


def organisation(world: World, r: int) -> dict[str, Any]:
    """Organisation ``r``'s state as it has it alone (read from ``alone``): every employee
    field, the task board, the problem log, the ties, the formal leader's beliefs, the
    market and its generators' states (the form in which two runs are compared exactly)."""
    one = world if getattr(world, "orgs", 1) == 1 else alone(world)[r]
    out: dict[str, Any] = {f"state.{f.name}": getattr(one.state, f.name)
                           for f in fields(EmployeeState)}
    out.update({f"tasks.{name}": getattr(one.tasks, name) for name in _TASK_FIELDS
                if name != "org"})
    out.update({f"problems.{name}": getattr(one.problems, name)
                for name in ("team", "arrival", "known_since", "ignored")})
    t = one.ties
    out.update({"ties.u": t.u, "ties.v": t.v, "ties.strength": t.strength, "ties.src": t.src,
                "ties.dst": t.dst, "ties.edge": t.edge, "ties.degree": t.degree,
                "ties.at_work": t.at_work, "ties.last_together": t.last_together})
    out["skill_estimate"] = one.skill_estimate
    out["readiness_record"] = one.readiness_record
    for i, (lead, member) in enumerate(one.lead_pairs):  # who led whom, lately
        out[f"lead_pairs.{i}"] = np.stack((lead, member))
    for name, value in sorted(vars(one.policy).items()):  # what its policy keeps
        out[f"policy.{name}"] = value
    out["market.log_demand"] = one.environment.log_demand
    out["market.turbulence"] = one.environment.turbulence
    for name in _OWN:
        out[name] = getattr(one, name)
    out["rng"] = one.rng.bit_generator.state
    out["env_rng"] = one.env_rng.bit_generator.state
    for kind, generator in one.arrival_rng._asdict().items():
        out[f"arrival_rng.{kind}"] = generator.bit_generator.state
    return out


# ---------------------------------------------------------------- each organisation in turn


def organisations(world: World, which: Any = None) -> Any:
    """Each organisation of a batch in turn (or those of ``which``, a mask over the
    organisations) as a world of its own, for what its formal leader does one decision
    after another: the batch's arrays (its decisions write them), the organisation's own
    generators and values (written back after), and ``World.in_focus`` keeping what it
    looks at to its organisation. A world of one organisation is itself (if ``which``
    holds)."""
    if world.orgs == 1:
        if which is None or bool(np.ravel(which)[0]):
            yield world
        return
    for r in (range(world.orgs) if which is None else np.flatnonzero(which).tolist()):
        one = object.__new__(type(world))
        one.__dict__.update(world.__dict__)
        one.orgs, one.focus = 1, r
        one.rng, one.env_rng, one.environment = (world.rngs[r], world.env_rngs[r],
                                                 world.environments[r])
        one.arrival_rng = world.arrival_rngs[r]
        one.policy, one.params = world.policies[r], world.org_params[r]
        for name in _OWN:
            setattr(one, name, getattr(world, name)[r].item())
        try:
            yield one
        finally:  # what it changed of its own values, kept even if the caller stops
            for name in _OWN:
                getattr(world, name)[r] = getattr(one, name)


# ---------------------------------------------------------------- one organisation alone
def lead_pairs_by_org(world: World) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """Who led whom lately in each organisation of a batch, in its own slot numbers: the
    window's (lead, member) entries, as ``World.lead_pairs`` has them alone."""
    n = world.size
    bounds = np.arange(world.orgs + 1) * n
    at = [np.searchsorted(member, bounds) for _, member in world.lead_pairs]
    return [[(lead[a[r]:a[r + 1]] - r * n, member[a[r]:a[r + 1]] - r * n)
             for (lead, member), a in zip(world.lead_pairs, at, strict=True)]
            for r in range(world.orgs)]


def alone(world: World) -> list[World]:
    """Each organisation of a batch as the whole world it has alone, for what reads a
    world as a run does (``run_model``'s ``observe`` and ``snapshot``, ``organisation``):
    its block of the employees, tasks, problems and ties, its estimates, record, market,
    generators, policy and roster, slot, task and team numbers as it has them alone,
    nothing of the batch's. A world of one organisation is itself."""
    from model.world import World

    if world.orgs == 1:
        return [world]
    n, n_teams, orgs = world.size, world.teams_per_org, world.orgs
    s, board, log, t = world.state, world.tasks, world.problems, world.ties
    edges = np.arange(orgs + 1)
    task_at = np.searchsorted(board.org, edges)
    problem_at = np.searchsorted(log.team // n_teams, edges)
    tie_at = np.searchsorted(t.u, edges * n)
    lead_pairs = lead_pairs_by_org(world)
    batch_only = ("rngs", "env_rngs", "arrival_rngs", "environments", "policies",
                  "org_params", "everyone")
    out = []
    for r in range(orgs):
        mine = slice(r * n, (r + 1) * n)
        one = object.__new__(World)
        one.__dict__.update({k: v for k, v in world.__dict__.items() if k not in batch_only})
        one.orgs, one.focus, one.graph = 1, None, None
        a, b = task_at[r], task_at[r + 1]
        state = {f.name: getattr(s, f.name)[:, mine] if f.name == "lead_record"
                 else getattr(s, f.name)[mine] for f in fields(EmployeeState)}
        state["team"] = state["team"] - r * n_teams
        state["task"] = np.where(state["task"] >= 0, state["task"] - a, NO_TASK)
        one.state = EmployeeState(**state)
        tasks = TaskBoard.__new__(TaskBoard)
        for name in _TASK_FIELDS:
            value = getattr(board, name)[a:b]
            setattr(tasks, name, _shift(value, -r * n) if name in SLOT_COLUMNS
                    else np.zeros_like(value) if name == "org" else value)
        one.tasks = tasks
        a, b = problem_at[r], problem_at[r + 1]
        if log.left:
            raise ValueError("a batch whose problems' routes out are not yet counted "
                             "(ProblemLog.left) cannot be split: split it between steps")
        one.problems = ProblemLog(team=log.team[a:b] - r * n_teams, arrival=log.arrival[a:b],
                                  known_since=log.known_since[a:b], ignored=log.ignored[a:b])
        a, b = tie_at[r], tie_at[r + 1]
        directed = (t.src >= r * n) & (t.src < (r + 1) * n)
        one.ties = Ties(u=t.u[a:b] - r * n, v=t.v[a:b] - r * n, strength=t.strength[a:b],
                        src=t.src[directed] - r * n, dst=t.dst[directed] - r * n,
                        edge=t.edge[directed] - a, degree=t.degree[mine], n=n,
                        at_work=t.at_work[a:b], last_together=t.last_together[a:b])
        one.n_teams, one.slot_org = n_teams, np.zeros(n, dtype=np.int64)
        one.skill_estimate = world.skill_estimate[mine]
        one.readiness_record = world.readiness_record[mine]
        one.lead_pairs = deque(lead_pairs[r], maxlen=world.lead_pairs.maxlen)
        one.environment, one.env_rng, one.rng = (world.environments[r], world.env_rngs[r],
                                                 world.rngs[r])
        one.arrival_rng = world.arrival_rngs[r]
        one.policy, one.roster = world.policies[r], world.roster.rosters[r]
        one.params = world.org_params[r]
        for name in _OWN:
            setattr(one, name, getattr(world, name)[r].item())
        one.leader = int(_shift(np.array(one.leader), -r * n))
        out.append(one)
    return out


def event_parts(value: Any, orgs: int) -> list[Any]:
    """Each organisation's part of a value of a batch's step events (``StepEvents``): a
    list of each organisation's items as it is, one number per organisation as numbers,
    a value common to all (nothing happened anywhere) for each."""
    if isinstance(value, list):  # each organisation's items
        return value
    if isinstance(value, np.ndarray) and len(value):  # one number per organisation
        return value.tolist()
    return [value] * orgs  # common to all
