"""The field figures over the uncertain inputs: each figure of ``checks.PLAUSIBILITY``
under each policy, read again at every point of the robustness study's Latin hypercube of
uncertain constants and parameters (``experiments.robustness.UNCERTAIN``, its ranges and
sources), so that a figure just outside its range at the defaults can be told from one
that stays out wherever the uncertain inputs lie (Helton & Davis 2003: Latin hypercube
sampling for uncertainty analysis). Reported beside the field figures, not counted."""

from __future__ import annotations

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
                          field_estimates: Any, workers: int = 1) -> pd.DataFrame:
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
                         "value": estimate.value, **inputs.loc[point].to_dict()})
    return pd.DataFrame(rows)


def summary(points: pd.DataFrame, figures: tuple[tuple[str, str, str, tuple[float, float]],
                                                  ...]) -> pd.DataFrame:
    """For each figure and policy: its mean over the points with a 95 % interval, how many
    points put it in its field range (each point read over a few seeds, so this counts
    their noise too), and the input that moves it most across the points (the largest
    rank correlation, Spearman)."""
    inputs = list(robustness.UNCERTAIN)
    rows = []
    for (index, policy), group in points.groupby(["figure_index", "policy"], sort=False):
        figure, what, field, (low, high) = figures[int(index)]
        values = group.value.to_numpy(float)
        known = ~np.isnan(values)
        rho = {name: _spearman(group[name].to_numpy(float)[known], values[known])
               for name in inputs}
        ranked = [name for name in inputs if np.isfinite(rho[name])]
        moved = max(ranked, key=lambda name: abs(rho[name])) if ranked else None
        mean = mean_with_interval(values[known])
        rows.append({"figure": figure, "what": what, "field": field, "policy": policy,
                     "points": int(known.sum()), "mean": mean.value, "low": mean.low,
                     "high": mean.high,
                     "in_range": int(((values >= low) & (values <= high))[known].sum()),
                     "moved_most_by": moved,
                     "rank_correlation": rho[moved] if moved else float("nan")})
    return pd.DataFrame(rows)


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation, NaN where either side does not vary."""
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    return float(stats.spearmanr(x, y)[0])
