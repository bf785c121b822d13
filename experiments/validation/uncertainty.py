"""The field figures over the uncertain inputs: each figure of ``checks.PLAUSIBILITY``
under each policy, read again at every point of the robustness study's Latin hypercube of
uncertain constants and parameters (``experiments.robustness.UNCERTAIN``, its ranges and
sources), so that a figure just outside its range at the defaults can be told from one
that stays out wherever the uncertain inputs lie (Helton & Davis 2003: Latin hypercube
sampling for uncertainty analysis). Reported beside the field figures, not counted."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from experiments import robustness
from experiments.simulate import map_in_batches
from experiments.validation.conditions import Design, simulate
from experiments.validation.statistics import mean_with_interval
from model.batch import shape_of

SEED_OFFSET = 1_000_000
"""Where the hypercube's seeds start, past the design's seed: far beyond the few thousand
the pattern and world conditions take, so that none of their runs is drawn again."""

FieldTask = tuple[dict[str, Any], tuple[tuple[str, float], ...], int, int, int]
"""(parameters, the point's constants as ``("module.NAME", value)`` pairs, seed, steps,
warm-up)."""


def cube(design: Design) -> pd.DataFrame:
    """The points: the robustness study's hypercube (its seed, ``design.field_points``
    points; at 64, the very points that study reads)."""
    return robustness.hypercube(robustness.Design(points=design.field_points))


def plan(design: Design, policies: tuple[str, ...]) -> list[tuple[int, str, FieldTask]]:
    """Every run: each point under each policy on ``design.field_point_seeds`` seeds of
    its own, the same seeds under every policy (paired, as the field figures' blocks are).
    A point's shares are means over its runs, so it needs two runs at least."""
    if design.field_point_seeds < 2:
        raise ValueError(f"field_point_seeds={design.field_point_seeds!r} is not allowed; "
                         "allowed: a whole number of 2 or more (a point's figures are read "
                         "over its runs)")
    tasks = []
    for point, row in cube(design).iterrows():
        constants = tuple((name, float(value)) for name, value in row.items() if "." in name)
        params = {name: (int(value) if name in robustness.WHOLE_NUMBERS else float(value))
                  for name, value in row.items() if "." not in name}
        first = design.seed + SEED_OFFSET + int(point) * design.field_point_seeds
        for policy in policies:
            full = {"n_employees": design.employees, **dict(design.base), **params,
                    "policy": policy}
            tasks += [(int(point), policy, (full, constants, first + k, design.steps,
                                            design.warm_up))
                      for k in range(design.field_point_seeds)]
    return tasks


def simulate_at_point(tasks: list[FieldTask]) -> list[dict[str, Any]]:
    """Runs of one point alike but in what a batch keeps apart, under the point's constants
    (set for the runs, then put back): ``conditions.simulate``'s results."""
    with robustness.constants(dict(tasks[0][1])):
        return simulate([(params, seed, steps, warm_up)
                         for params, _, seed, steps, warm_up in tasks])


def _same(task: FieldTask) -> tuple:
    """What the runs of one batch share: the point's constants, steps, warm-up and the
    parameters but those a batch keeps apart (``model.batch.shape_of``)."""
    params, constants, _, steps, warm_up = task
    return repr(shape_of(params)), constants, steps, warm_up


def over_uncertain_inputs(design: Design, executor: Any, policies: tuple[str, ...],
                          field_estimates: Callable[[list[dict[str, Any]]], list[Any]],
                          workers: int = 1) -> pd.DataFrame:
    """Each field figure (``field_estimates(runs)``: one estimate a figure, in
    ``PLAUSIBILITY``'s order) of each policy at each point: one row per point, policy and
    figure, with the point's inputs."""
    planned = plan(design, policies)
    results = map_in_batches(executor, simulate_at_point, [task for *_, task in planned],
                             _same, workers=workers)
    by_point: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for (point, policy, _), result in zip(planned, results, strict=True):
        by_point.setdefault((point, policy), []).append(result)
    inputs = cube(design)
    rows = []
    for (point, policy), done in by_point.items():
        for index, estimate in enumerate(field_estimates(done)):
            rows.append({"point": point, "policy": policy, "figure_index": index,
                         "value": estimate.value, "low": estimate.low,
                         "high": estimate.high, **inputs.loc[point].to_dict()})
    return pd.DataFrame(rows)


CHANCE = 0.05
"""A rank correlation names the input that moves a figure only where it is beyond chance
among all the inputs: p < ``CHANCE`` / (number of inputs) (Bonferroni). With a few runs a
point, the largest of 27 correlations with pure noise is about ±.3."""


def summary(points: pd.DataFrame, figures: tuple[tuple[str, str, str, tuple[float, float]],
                                                  ...]) -> pd.DataFrame:
    """For each figure and policy: its mean over the points with a 95 % interval; how much
    it differs between points net of the noise of a point's few runs (the spread of the
    point values, ``sd``, less the mean squared standard error of a point,
    ``point_noise``, read off each point's 95 % interval: what the inputs themselves do,
    ``between_points``); how many points put it in its field range (their noise counts
    too); and the input that moves it most across the points (Spearman), where that is
    beyond chance (``CHANCE``)."""
    inputs = list(robustness.UNCERTAIN)
    rows = []
    for (index, policy), group in points.groupby(["figure_index", "policy"], sort=False):
        figure, what, field, (low, high) = figures[int(index)]
        values = group.value.to_numpy(float)
        known = ~np.isnan(values)
        tests = {name: _spearman(group[name].to_numpy(float)[known], values[known])
                 for name in inputs}
        beyond = [name for name in inputs if tests[name][1] < CHANCE / len(inputs)]
        moved = max(beyond, key=lambda name: abs(tests[name][0])) if beyond else None
        mean = mean_with_interval(values[known])
        error = ((group.high - group.low).to_numpy(float) / (2 * 1.96))[known]
        noise = float(np.sqrt(np.nanmean(error**2))) if np.isfinite(error).any() else math.nan
        spread = float(np.std(values[known], ddof=1)) if known.sum() > 1 else math.nan
        between = math.sqrt(max(spread**2 - noise**2, 0.0)) if np.isfinite(noise) else math.nan
        rows.append({"figure": figure, "what": what, "field": field, "policy": policy,
                     "points": int(known.sum()), "mean": mean.value, "low": mean.low,
                     "high": mean.high, "sd": spread, "point_noise": noise,
                     "between_points": between,
                     "in_range": int(((values >= low) & (values <= high))[known].sum()),
                     "moved_most_by": moved,
                     "rank_correlation": tests[moved][0] if moved else math.nan})
    return pd.DataFrame(rows)


def far_out(points: pd.DataFrame, failure_index: int, bound: float) -> dict[str, list[int]]:
    """The points where, under each policy, the share of tasks that fail is at or above
    ``bound`` (the world checks' W3 line; ``failure_index`` the figure of failed tasks):
    where the world may break rather than a figure drift out of its range."""
    failing = points[(points.figure_index == failure_index) & (points.value >= bound)]
    return {policy: sorted(failing.point[failing.policy == policy].astype(int).tolist())
            for policy in dict.fromkeys(points.policy)}


def what_they_share(points: pd.DataFrame, chosen: list[int],
                    top: int = 3) -> list[tuple[str, float]]:
    """The inputs by which the ``chosen`` points stand furthest from the rest of the
    hypercube: each input's mean percentile rank over them (0.5: no different), the
    ``top`` furthest from 0.5."""
    inputs = points.drop_duplicates("point").set_index("point")[list(robustness.UNCERTAIN)]
    ranks = inputs.rank(pct=True).loc[chosen].mean()
    furthest = (ranks - 0.5).abs().sort_values(ascending=False).index[:top]
    return [(name, float(ranks[name])) for name in furthest]


def _spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman's rank correlation and its p-value, NaN and 1 where either side does not
    vary."""
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan, 1.0
    rho, p = stats.spearmanr(x, y)
    return float(rho), float(p)
