"""The conditions a validation runs: how much to simulate (``Design``), the robustness
variants, and ``Runs``, which runs each named condition once, on fresh seeds, through the
sweep runner's executor seam: final outcomes and cross-sections for the pattern checks
(``simulate``), whole time series for the world checks (``simulate_series``)."""

from __future__ import annotations

import concurrent.futures as cf
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from experiments.simulate import SETTLING_WEEKS, map_in_batches, run_batch, same_condition
from model.metrics import employee_cross_section, team_cross_section
from model.params import Parameters


def cross_sections(world) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the checks read of the world at the last step: employees and teams."""
    return employee_cross_section(world), team_cross_section(world)


INTENTION_HORIZON = 52
"""Weeks over which intention is followed to quitting (a year, as in Griffeth et al. 2000)."""


def intention_horizon(steps: int) -> int:
    """The weeks P5 follows each person after reading their intention: a year, or half a
    run shorter than two years."""
    return min(INTENTION_HORIZON, steps // 2)


def intentions(world) -> pd.DataFrame:
    """Who is in post, and how much they intend to leave."""
    s = world.state
    return pd.DataFrame({"agent_id": s.agent_id[s.active],
                         "turnover_intention": s.turnover_intention[s.active]})


def _quitting(observed: Any, earlier: pd.DataFrame) -> tuple[Any, Any, pd.DataFrame]:
    """The cross-sections, and who of those in post a year before the end had quit by the
    end (the formal leader in post at the end left out: it has led all or part of the year,
    not worked as those it led; one who quit during the year stays in, as a leaver)."""
    (agents, teams), last, leader = observed
    earlier = earlier[earlier.agent_id != leader].assign(
        quit=lambda f: ~f.agent_id.isin(last.agent_id)).astype({"quit": float})
    return agents, teams, earlier


def _at_the_end(world) -> tuple[Any, pd.DataFrame, int]:
    return (cross_sections(world), intentions(world),
            world.state.agent_id[world.leader] if world.leader >= 0 else -1)


def simulate(tasks: list[tuple[dict[str, Any], int, int, int]]) -> list[dict[str, Any]]:
    """Runs alike but in what a batch keeps apart (``model.batch.VARYING``; the
    replications of a condition), ``(params, seed, steps, warm_up)`` each, run together
    (``run_batch``; ``steps`` after ``warm_up`` weeks): each run's final outcomes, the
    final cross-sections of employees and teams, and each employee's intention a year
    before the end with whether they quit within that year (the formal leader in post at
    the end left out)."""
    steps, warm_up = tasks[0][2], tasks[0][3]
    horizon = intention_horizon(steps)
    results = run_batch([params for params, *_ in tasks],
                        rngs=[np.random.SeedSequence(seed) for _, seed, *_ in tasks],
                        steps=steps, observe=_at_the_end,
                        snapshot=(steps - horizon, intentions), record_every=None,
                        warm_up=warm_up)
    out = []
    for (params, seed, *_), result in zip(tasks, results, strict=True):
        agents, teams, earlier = _quitting(result.observed, result.snapshot)
        out.append({"params": params, "seed": seed, "outcomes": result.final,
                    "agents": agents, "teams": teams, "intentions": earlier})
    return out


def simulate_series(tasks: list[tuple[dict[str, Any], int, int]]) -> list[dict[str, Any]]:
    """Runs alike but in what a batch keeps apart (the replications of a condition, the
    flagship's cells) run together, every step recorded: each run's time
    series of model outputs (indexed by step, step 0 left out) and its final outcomes.
    What the world checks read."""
    steps = tasks[0][2]
    results = run_batch([params for params, _, _ in tasks],
                        rngs=[np.random.SeedSequence(seed) for _, seed, _ in tasks],
                        steps=steps, record_every=1)
    return [{"params": params, "seed": seed, "series": result.timeseries.iloc[1:],
             "outcomes": result.final} for (params, seed, _), result in zip(tasks, results,
                                                                            strict=True)]


@dataclass(frozen=True)
class Design:
    """How much to simulate: the full run by default, small for tests. ``base`` changes
    model parameters for every condition (a robustness variant); a condition's own
    parameters take precedence. The pattern checks and field figures read organisations
    at work: ``steps`` weeks after ``warm_up`` (``SETTLING_WEEKS``: the founding transient
    past). The world checks run longer from the founding, on fewer seeds per condition
    (``world_steps``, ``world_seeds``): they look for drift and runaway over a long run.
    The field figures are read again at ``field_points`` points of the robustness study's
    hypercube of uncertain inputs, ``field_point_seeds`` runs a point and policy
    (``uncertainty``; 0 points: not read)."""

    employees: int = Parameters().n_employees
    steps: int = 150
    warm_up: int = SETTLING_WEEKS
    seeds: int = 20
    seed: int = 20261127
    base: tuple[tuple[str, Any], ...] = ()
    world_steps: int = 600
    # four runs a cell let W3 and W4 move by their noise (one cell 0.43 on 4, 0.35 on 32)
    world_seeds: int = 8
    # the field figures again over the robustness study's hypercube of uncertain inputs
    # (``uncertainty``): its points, and the seeds each point is read over
    field_points: int = 64
    field_point_seeds: int = 2


ROBUSTNESS: dict[str, dict[str, Any]] = {
    "50 employees": {"n_employees": 50},
    "200 employees": {"n_employees": 200},
    "stable (turbulence 0.1)": {"turbulence": 0.1},
    "turbulent (turbulence 0.6)": {"turbulence": 0.6},
    "simpler tasks (complexity 0.3)": {"task_complexity": 0.3},
    "harder tasks (complexity 0.7)": {"task_complexity": 0.7},
    "scale-free network": {"network": "scale_free"},
    "weak shared purpose (0.3)": {"shared_purpose": 0.3},
}
"""Other defaults under which every check is repeated: the report says which still hold."""


class Runs:
    """Runs of named conditions, executed through one executor, on fresh seeds.

    Condition k of a validation gets the k-th block of seeds (``design.seeds`` of them for
    final outcomes, ``design.world_seeds`` for time series). A condition asked for with
    ``seeds_of`` (another condition's name, asked for before it) runs on that condition's
    seeds instead, run for run, so that the two compare paired (common random numbers:
    the same market under each policy); it still takes its block, so every later condition
    keeps its seeds. ``cache`` may be shared between validations: a condition with the
    same parameters and seeds is run once; ``partners`` (name → the name whose seeds it
    shares) carries the pairing to another validation that asks for the same conditions.
    """

    def __init__(self, design: Design, executor: cf.Executor,
                 cache: dict[Any, list[dict[str, Any]]] | None = None,
                 workers: int = 1, partners: dict[str, str] | None = None) -> None:
        self.design, self.executor, self.workers = design, executor, workers
        self._names: dict[tuple[str, tuple], list[dict[str, Any]]] = {}
        self._by_name: dict[str, list[dict[str, Any]]] = {}
        self._series: dict[tuple, tuple] = {}
        self._shared = {} if cache is None else cache
        self._next_seed = design.seed
        self._seeds_by_name: dict[str, range] = {}
        self.partners: dict[str, str] = dict(partners or {})
        self.asked: list[tuple[str, dict[str, Any]]] = []  # conditions, in the order asked
        # blocks of default runs a cross-section at the defaults reads (``checks.at_defaults``):
        # one while the checks first ask for their conditions, so that every condition keeps
        # its seeds; ``validate`` raises it once the field figures' blocks have run
        self.blocks_at_defaults = 1

    def of(self, name: str, *, seeds_of: str | None = None,
           **params: Any) -> list[dict[str, Any]]:
        """The runs of the condition ``name`` with ``params``: run on first use, on the
        next block of seeds (or, with ``seeds_of``, on the seeds of that condition); the
        same name with other parameters is another condition."""
        condition, _ = self._condition(name, params)
        if seeds_of is not None:
            if self.partners.get(name, seeds_of) != seeds_of:
                raise ValueError(f"condition {name!r} already shares the seeds of "
                                 f"{self.partners[name]!r}, not {seeds_of!r}")
            if (condition in self._names and self._seeds_by_name.get(name)
                    != self._seeds_by_name.get(seeds_of)):
                raise ValueError(f"condition {name!r} already ran on seeds of its own: ask "
                                 f"for it with seeds_of={seeds_of!r} the first time")
            self.partners[name] = seeds_of
        if condition not in self._names:
            self.ask([(name, params)])
        return self._names[condition]

    def ask(self, conditions: list[tuple[str, dict[str, Any]]]) -> None:
        """Run the conditions ``(name, params)`` not run yet, all at once: each takes the
        next block of seeds in the order listed, as ``of`` gives them one after another,
        so a validation that then asks for them in that order finds them run, with the
        same results; conditions that an organisation batch holds together (the same
        parameters but those in ``model.batch.VARYING``) run as one world, and every
        worker stays busy."""
        pending: dict[tuple, list[tuple[dict[str, Any], int, int]]] = {}
        named, seen = [], set()
        for name, params in conditions:
            condition, full = self._condition(name, params)
            if condition in self._names or condition in seen:
                continue
            seen.add(condition)
            seeds = range(self._next_seed, self._next_seed + self.design.seeds)
            self._next_seed += self.design.seeds  # taken even when paired: later seeds stay
            if name in self.partners:
                if self.partners[name] not in self._seeds_by_name:
                    raise ValueError(f"condition {name!r} shares the seeds of "
                                     f"{self.partners[name]!r}, which was not asked for "
                                     "before it")
                seeds = self._seeds_by_name[self.partners[name]]
            self._seeds_by_name[name] = seeds
            key = (condition[1], seeds.start, seeds.stop, self.design.steps,
                   self.design.warm_up)
            if key not in self._shared:
                pending[key] = [(full, s, self.design.steps, self.design.warm_up)
                                for s in seeds]
            named.append((condition, name, key))
            self.asked.append((name, params))
        self._run_pending(simulate, pending)
        for condition, name, key in named:
            self._names[condition] = self._shared[key]
            self._by_name.setdefault(name, []).extend(self._shared[key])

    def _condition(self, name: str, params: dict[str, Any]) -> tuple[tuple, dict[str, Any]]:
        full = {"n_employees": self.design.employees, **dict(self.design.base), **params}
        return (name, tuple(sorted(full.items()))), full

    def series_of(self, conditions: list[tuple[str, dict[str, Any]]]) -> list[list[pd.DataFrame]]:
        """The time series (``simulate_series``, ``design.world_steps`` steps) of each
        ``(name, params)`` condition, one frame per run: conditions new to this validation
        take the next blocks of ``design.world_seeds`` seeds, in the order given, and every
        run not yet cached goes to the executor at once."""
        keys, pending = [], {}
        for name, params in conditions:
            (_, given), full = self._condition(name, params)
            condition = ("series", name, given)
            if condition not in self._series:
                seeds = range(self._next_seed, self._next_seed + self.design.world_seeds)
                self._next_seed += self.design.world_seeds
                self._series[condition] = ("series", condition[2], seeds.start, seeds.stop,
                                           self.design.world_steps)
                if self._series[condition] not in self._shared:
                    pending[self._series[condition]] = [(full, s, self.design.world_steps)
                                                        for s in seeds]
            keys.append(self._series[condition])
        self._run_pending(simulate_series, pending)
        return [[r["series"] for r in self._shared[key]] for key in keys]

    def _run_pending(self, many: Any,
                     pending: dict[tuple, list[tuple[dict[str, Any], int, int]]]) -> None:
        """Every block of ``pending`` (a condition's runs, by its cache key) through the
        executor at once, each block's results then cached under its key."""
        done = iter(self._run(many, [task for block in pending.values() for task in block]))
        for key, block in pending.items():
            self._shared[key] = [next(done) for _ in block]

    def _run(self, many: Any, tasks: list[tuple[dict[str, Any], int, int]]) -> list[Any]:
        """Each task's result; a condition's replications run together (``run_batch``),
        the batches spread over the executor's workers."""
        return map_in_batches(self.executor, many, tasks, same_condition,
                              workers=self.workers)

    def series(self, name: str, **params: Any) -> list[pd.DataFrame]:
        return self.series_of([(name, params)])[0]

    def outcome(self, name: str, column: str, *, seeds_of: str | None = None,
                **params: Any) -> np.ndarray:
        return np.array([r["outcomes"][column]
                         for r in self.of(name, seeds_of=seeds_of, **params)])

    def agents(self, name: str, *, seeds_of: str | None = None,
               **params: Any) -> list[pd.DataFrame]:
        return [r["agents"] for r in self.of(name, seeds_of=seeds_of, **params)]

    def outcomes_of(self, names: list[str]) -> pd.DataFrame:
        """Run-level outcomes of conditions already run, one row per run."""
        return pd.DataFrame([r["outcomes"] for name in names for r in self._by_name[name]])
