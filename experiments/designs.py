"""Designs: the parameter points of an experiment.

- ``grid``: the full product of the swept lists.
- ``lhs``: a Latin hypercube of ``size`` points (``scipy.stats.qmc``; McKay et al. 1979).
- ``sobol``: Saltelli's scheme for Sobol' indices, ``size·(D + 2)`` points (SALib).
- ``morris``: ``size`` Morris trajectories, ``size·(D + 1)`` points (SALib).

Sampling designs draw in the unit hypercube, then map each dimension: a range to
``low + u·(high − low)`` (rounded for whole-number parameters), a list of choices to
``choices[floor(u·k)]``. Their random draws are seeded from the experiment's seed.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import Any

import numpy as np

from experiments.spec import SCHEDULE, Experiment, Range
from model.params import Parameters

DESIGN_SEED_KEY = 2**31 - 1
"""Spawn key of the design's own random stream (runs use spawn keys 0, 1, 2, ...)."""

MORRIS_LEVELS = 4
MORRIS_FEW_TRAJECTORIES = 10
"""Below this many trajectories a Morris design's report warns: each parameter's μ* and σ
rest on that many elementary effects, and 10 to 20 is the usual number (Saltelli et al.
2004, Sensitivity Analysis in Practice); with a few, two trajectories may even coincide."""


def points(experiment: Experiment) -> list[dict[str, Any]]:
    """Swept-parameter values of each design point, in a fixed order: each sample point
    under every combination of the ``crossed`` values, one after the other."""
    return [point for _, point in crossed_points(experiment)]


def crossed_points(experiment: Experiment) -> list[tuple[int, dict[str, Any]]]:
    """Each design point with the index of its sample point: the runs of one sample point
    under each crossed value (and each of the ``schedules``, named under ``schedule``)
    share their seeds (common random numbers), so that a contrast between them is
    paired. The crossed values are the outer loop: every sample point under the first
    value, then under the next, so the runs of one value (one policy, often one shape)
    stand together and travel in large organisation batches (``runner.batches`` takes
    consecutive runs)."""
    samples = sample_points(experiment)
    crossed = {**experiment.crossed,
               **({SCHEDULE: list(experiment.schedules)} if experiment.schedules else {})}
    names = list(crossed)
    combos = [dict(zip(names, c, strict=True))
              for c in itertools.product(*(crossed[n] for n in names))]
    return [(k, {**sample, **combo}) for combo in combos for k, sample in enumerate(samples)]


def sample_points(experiment: Experiment) -> list[dict[str, Any]]:
    """The design's own points (before crossing)."""
    names = list(experiment.swept)
    if experiment.design == "grid":
        values = [experiment.swept[n] for n in names]
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)]
    unit = unit_sample(experiment)
    return [{n: _map(experiment.swept[n], u, n) for n, u in zip(names, row, strict=True)}
            for row in unit]


def unit_sample(experiment: Experiment) -> np.ndarray:
    """The design's sample in [0, 1]^D (sampling designs only)."""
    d = len(experiment.swept)
    seed = design_rng(experiment)
    if experiment.design == "lhs":
        from scipy.stats import qmc  # only a hypercube needs it (a slow import)

        return qmc.LatinHypercube(d=d, rng=seed).random(experiment.size)
    problem = salib_problem(experiment)
    if experiment.design == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, experiment.size, calc_second_order=False, seed=seed)
    if experiment.design == "morris":
        from SALib.sample import morris

        return morris.sample(problem, experiment.size, num_levels=MORRIS_LEVELS, seed=seed)
    raise ValueError(f"design {experiment.design!r} has no unit sample")


def salib_problem(experiment: Experiment) -> dict[str, Any]:
    """SALib's problem: every swept parameter on [0, 1] (mapped to its values by ``points``)."""
    names = list(experiment.swept)
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def design_rng(experiment: Experiment) -> np.random.Generator:
    sequence = np.random.SeedSequence(experiment.seed, spawn_key=(DESIGN_SEED_KEY,))
    return np.random.default_rng(sequence)


def _map(spec: list[Any] | Range, u: float, name: str) -> Any:
    """A point of the unit interval as a value of ``spec``: a range linearly; a whole-number
    range as each of its whole numbers equally often (``floor(low + u·(high − low + 1))``;
    rounding would give each end half a share); a list as one of its items, equally often."""
    if isinstance(spec, Range):
        if _is_whole_number_parameter(name):
            low, high = math.ceil(spec.low), math.floor(spec.high)
            return min(high, low + math.floor(float(u) * (high - low + 1)))
        return spec.low + float(u) * (spec.high - spec.low)
    return spec[min(int(u * len(spec)), len(spec) - 1)]


def _is_whole_number_parameter(name: str) -> bool:
    field = {f.name: f for f in dataclasses.fields(Parameters)}[name]
    return field.type.startswith("int")
