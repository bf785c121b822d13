"""One run of the model, summarised: the one function the sweep runner, the validation and
``python -m model`` call, so that they agree on what a result is.

A run's *final outcomes* are the means of every model output over the last quarter of its
steps (``final_rows``), step 0 (the organisation as founded) never included.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from experiments import DEFAULT_BATCH_SIZE, MAX_STEPS
from model.batch import shape_of
from model.metrics import MODEL_OUTPUTS

FINAL_WINDOW = 0.25
"""Final outcomes are means over this last share of a run's steps."""


SETTLING_WEEKS = 364
"""Weeks a default organisation runs before a study compares it (``warm_up``): seven years,
the founding transient past. An organisation whose staff are all hired at once, with
founding ties only and skills not yet specialised, goes through a wave of overload in its
first two to three years (burnout about 30 % in weeks 51–100, and up to a fifth of the
tasks that end failing) and then settles as skills specialise, the network fills and
turnover replaces the founding cohort. Measured (80 seeds a policy, 800 weeks: ``python -m
experiments.settling``; ``docs/ODD.md``, item 30): under every policy the 52-week means of
burnout, exits, exhaustion and turnover intention are within 15 % of their level over
weeks 601–800 from week 325 on (burnout from 299, exits from 325); this is that, rounded
up to whole years. The field's figures (``docs/PATTERNS.md``) describe organisations at
work, not just founded."""


SWEEP_WARM_UP = f"warm_up = {SETTLING_WEEKS} in the spec, or --warm-up {SETTLING_WEEKS}"
"""How a sweep asks for the studies' warm-up."""


def start_said(warm_up: int, how: str = SWEEP_WARM_UP) -> str:
    """How a run's start is said wherever runs are described: after its warm-up, or from
    the founding (the founding transient included, which the studies leave out), with
    ``how`` a warm-up is asked for."""
    if warm_up:
        return f"after a warm-up of {warm_up} weeks"
    return f"from the founding, no warm-up (the studies warm up first: {how})"


def final_rows(steps: int) -> int:
    """How many of the last steps the final outcomes average over: a quarter, at least one."""
    return max(1, round(steps * FINAL_WINDOW))


@dataclass
class RunResult:
    """One finished run: its outputs step by step, its final outcomes, and what ``observe``
    saw of the world at the last step."""

    timeseries: pd.DataFrame  # one row per step, from step 0 (the start)
    final: dict[str, float]  # mean of each model output over the final window
    observed: Any = None
    snapshot: Any = None  # what ``snapshot`` saw of the world at its step


def recorded_steps(steps: int, record_every: int | None) -> list[int]:
    """The steps whose outputs a run keeps: step 0, every ``record_every``-th step (none
    besides 0 if None) and the final window (``final_rows``)."""
    kept = set(range(0, steps + 1, record_every)) if record_every else {0}
    return sorted(kept | set(range(steps - final_rows(steps) + 1, steps + 1)))


def check_length(steps: Any, warm_up: Any) -> None:
    """Refuse a run length that is not a whole number of weeks within ``MAX_STEPS``."""
    for name, value, low in (("steps", steps, 1), ("warm_up", warm_up, 0)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) \
                or not low <= value <= MAX_STEPS:
            raise ValueError(f"{name}={value!r} is not allowed; allowed: a whole number in "
                             f"[{low}, {MAX_STEPS}]")


def run_model(parameters: Mapping[str, Any], *, rng: Any, steps: int,
              observe: Callable[[Any], Any] | None = None,
              snapshot: tuple[int, Callable[[Any], Any]] | None = None,
              record_every: int | None = 1,
              interventions: Sequence[tuple[int, Mapping[str, Any]]] = (),
              warm_up: int = 0) -> RunResult:
    """Build the model from ``parameters`` and ``rng``, run ``steps`` steps and free it.

    ``observe(world)``, if given, is called on the world after the last step (e.g. for a
    cross-section from ``model.metrics``); its result comes back as ``observed``.
    ``snapshot = (k, see)`` calls ``see(world)`` after step ``k`` (``RunResult.snapshot``).
    ``record_every``: the time series keeps the steps of ``recorded_steps`` (indexed by
    step), and the outputs of the others are not computed; the model runs the same.
    ``interventions``: ``(k, changes)`` pairs, each applied after step ``k``
    (``OrganisationModel.intervene``; k = 0 before the first step).
    ``warm_up``: weeks the organisation runs before week 0, so that week 0 shows a
    settled organisation, not one just founded; steps (interventions, ``snapshot`` and a
    scheduled ``leader_departure_step``) count from the end of the warm-up, whose outputs
    are not kept.
    """
    from model.organisation import OrganisationModel  # late: keeps this module light

    check_length(steps, warm_up)
    kept = recorded_steps(steps, record_every)
    wanted = {warm_up + k for k in kept}
    if warm_up and parameters.get("leader_departure_step") is not None:
        # a scheduled departure counts from week 0, as interventions do
        parameters = {**parameters,
                      "leader_departure_step": parameters["leader_departure_step"] + warm_up}
    model = OrganisationModel(rng=rng, **parameters)
    scheduled: dict[int, dict[str, Any]] = {}
    for k, changes in interventions:
        scheduled.setdefault(warm_up + int(k), {}).update(changes)
    try:
        seen = None
        for _ in range(warm_up + steps):
            if model.steps in scheduled:
                model.intervene(**scheduled[model.steps])
            model.recording = model.steps + 1 in wanted
            model.step()
            if snapshot is not None and model.steps == warm_up + snapshot[0]:
                seen = snapshot[1](model.world)
        timeseries = _kept_series(model, kept, steps, warm_up)
        observed = observe(model.world) if observe is not None else None
    finally:
        model.release()
    return RunResult(timeseries, _final(timeseries, steps), observed, seen)


def _kept_series(model: Any, kept: list[int], steps: int, warm_up: int) -> pd.DataFrame:
    """The time series a model collected, indexed by the steps kept (its collector's
    frame, ``get_model_vars_dataframe``, built from one array per output: a third of the
    time of building it from lists; every output is a plain ``int`` or ``float``, and
    whole numbers are kept as 64-bit on every platform, as pandas keeps them)."""
    def column(values: list) -> np.ndarray:
        array = np.asarray(values)
        return array.astype(np.int64, copy=False) if array.dtype.kind in "iu" else array

    timeseries = pd.DataFrame({name: column(values)
                               for name, values in model.datacollector.model_vars.items()})
    if warm_up:  # week 0 is the last warm-up week; the founding row is not kept
        timeseries = timeseries.iloc[1:]
    if warm_up or len(kept) < steps + 1:
        timeseries.index = pd.Index(kept, name=timeseries.index.name)
    return timeseries


def _final(timeseries: pd.DataFrame, steps: int) -> dict[str, float]:
    """The final outcomes: each output's mean over the final window (one mean over the
    window's columns, each column's own mean to the last bit because ``_kept_series``
    keeps each column's values together)."""
    last = timeseries.iloc[1:].tail(final_rows(steps))[list(MODEL_OUTPUTS)]
    return dict(zip(MODEL_OUTPUTS, last.mean().astype(float).tolist(), strict=True))


def run_batch(parameters: Mapping[str, Any] | Sequence[Mapping[str, Any]], *,
              rngs: Sequence[Any], steps: int,
              observe: Callable[[Any], Any] | None = None,
              snapshot: tuple[int, Callable[[Any], Any]] | None = None,
              record_every: int | None = 1, warm_up: int = 0) -> list[RunResult]:
    """``run_model(parameters, rng=rng, steps=steps, observe=observe, snapshot=snapshot,
    record_every=record_every, warm_up=warm_up)`` for each of ``rngs`` (``parameters``
    the same for all, or one each): the same results exactly, run as one organisation
    batch (``model.batch``) where the batch can hold the organisations together
    (``model.batch.together``: the same parameters but those in ``VARYING``),
    else one run after another. ``observe`` and ``snapshot`` see each organisation as the
    whole world it has alone (``model.batch.alone``)."""
    from model import batch
    from model.metrics import output_columns
    from model.organisation import OrganisationModel
    from model.phases import SCHEDULE
    from model.world import Step

    each = ([parameters] * len(rngs) if isinstance(parameters, Mapping)
            else list(parameters))
    if len(each) != len(rngs):
        raise ValueError(f"{len(each)} parameter sets for {len(rngs)} runs; allowed: one "
                         "set for all, or one for each run")
    if (len(rngs) < 2 or not all(batch.together(each[0], other) for other in each)
            or len({id(rng) for rng in rngs}) < len(rngs)):  # one generator twice: in turn
        return [run_model(own, rng=rng, steps=steps, observe=observe,
                          snapshot=snapshot, record_every=record_every, warm_up=warm_up)
                for own, rng in zip(each, rngs, strict=True)]
    check_length(steps, warm_up)
    kept = recorded_steps(steps, record_every)
    wanted = {warm_up + k for k in kept}
    # the batch reads the world, not Mesa's agents: everyone has the unique id Mesa would
    # give (its count, from 1 for the founders), without an agent or the network space
    models = [OrganisationModel(rng=rng, mesa_agents=False, **own)
              for own, rng in zip(each, rngs, strict=True)]
    seen: list[Any] = [None] * len(models)
    try:
        world = batch.stack([model.world for model in models])
        recorded = []  # each kept step's outputs, one list per output over the organisations
        for t in range(1, warm_up + steps + 1):
            world.steps = t
            step = Step()
            for phase in SCHEDULE:
                phase.run(world, step)
            if t in wanted:
                recorded.append(output_columns(world, step.events))
            if snapshot is not None and t == warm_up + snapshot[0]:
                seen = [snapshot[1](one) for one in batch.alone(world)]
        for name in models[0].datacollector.model_vars if recorded else ():
            for model, series in zip(models, zip(*(outputs[name] for outputs in recorded),
                                                 strict=True), strict=True):
                model.datacollector.model_vars[name].extend(series)  # its series
        observed = ([observe(one) for one in batch.alone(world)] if observe is not None
                    else [None] * len(models))
        results = []
        for model, saw, looked in zip(models, observed, seen, strict=True):
            timeseries = _kept_series(model, kept, steps, warm_up)
            results.append(RunResult(timeseries, _final(timeseries, steps), saw, looked))
    finally:
        for model in models:
            model.release()
    return results


Task = TypeVar("Task")


def in_batches(tasks: Sequence[Task], same: Callable[[Task], Hashable], *,
               size: int = DEFAULT_BATCH_SIZE, workers: int = 1) -> list[list[Task]]:
    """``tasks`` in order, cut into batches: consecutive tasks for which ``same`` gives
    the same (the replications of one condition, and conditions alike but in what an
    organisation batch keeps apart) in near-equal batches of at most ``size``,
    and no bigger than an even share of ``tasks`` among the ``workers``, so that a short
    list still keeps every worker busy."""
    size = max(1, min(size, math.ceil(len(tasks) / max(workers, 1))))
    batches = []
    for run in (list(group) for _, group in itertools.groupby(tasks, key=same)):
        parts = math.ceil(len(run) / size)
        bounds = [round(k * len(run) / parts) for k in range(parts + 1)]
        batches.extend(run[a:b] for a, b in itertools.pairwise(bounds))
    return batches


def same_condition(task: tuple) -> Hashable:
    """What the runs of one batch share, for a study's task ``(parameters, seed, steps,
    ...)``: the steps (and the warm-up, where a whole number follows them), and the
    parameters but those organisations of one batch may differ in
    (``model.batch.shape_of``), so that replications of one condition, and of conditions
    that differ only in what a batch keeps apart (``VARYING``), run together."""
    warm_up = task[3:4] if len(task) > 3 and type(task[3]) is int else ()
    return repr(shape_of(task[0])), task[2], *warm_up


def map_in_batches(executor: Any, many: Callable[[list[Task]], list[Any]],
                   tasks: Sequence[Task], same: Callable[[Task], Hashable], *,
                   size: int = DEFAULT_BATCH_SIZE, workers: int = 1) -> list[Any]:
    """``many`` mapped by ``executor`` over ``in_batches`` of ``tasks`` gathered by
    ``same`` (tasks alike run together wherever they stand in ``tasks``: a study that
    plans policy inside a setting still runs a policy's settings as one organisation
    batch): one result per task, in the order of ``tasks``. A study's ``many(batch)``
    runs a batch together (``run_batch``) and gives each task's result."""
    if not tasks:
        return []
    keys = [same(task) for task in tasks]
    first: dict[Hashable, int] = {}
    for key in keys:
        first.setdefault(key, len(first))
    order = sorted(range(len(tasks)), key=lambda i: (first[keys[i]], i))  # kind by kind
    batches = in_batches([tasks[i] for i in order], same, size=size, workers=workers)
    results = [result for done in executor.map(many, batches) for result in done]
    if len(results) != len(tasks):
        raise RuntimeError(f"{getattr(many, '__name__', many)} gave {len(results)} results "
                           f"for {len(tasks)} tasks; it must give one per task")
    back: list[Any] = [None] * len(tasks)
    for i, result in zip(order, results, strict=True):
        back[i] = result
    return back
