"""How long an organisation takes to settle after its founding: the measurement behind
``experiments.simulate.SETTLING_WEEKS``, the warm-up the studies and the validation run
before they read an organisation.

An organisation founded at once (all its staff hired in week 0, founding ties only,
skills not yet specialised) goes through a wave of overload and settles as skills
specialise, the network fills and turnover replaces the founding cohort. For each policy,
``measure`` runs the default organisation on ``seeds`` seeds for ``weeks`` weeks and
gives, for each output, the first week from which its ``WINDOW``-week mean (over the runs)
stays within ``tolerance`` of its level over the last quarter of the run
(``settled_from``). ``python -m experiments.settling`` prints the table and the warm-up it
implies (the latest of them, rounded up to whole years)::

    python -m experiments.settling                 # 80 seeds, 800 weeks: about 2 minutes
    python -m experiments.settling --seeds 20 --weeks 600 --tolerance 0.2
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence

import numpy as np
import pandas as pd

OUTPUTS = ("burnout_share", "exits", "mean_exhaustion", "turnover_intention")
"""What must have settled: the states the field's figures describe (burnout, turnover,
exhaustion and intention; ``docs/PATTERNS.md`` P1, P2, P5)."""
POLICIES = ("heroic", "distributed", "fostering")
WINDOW = 52
"""Weeks in each mean: a year, as the field's figures count."""
STRIDE = 13
"""Weeks between the windows' starts (a quarter)."""
TAIL = 0.25
"""The last share of the run whose mean is the settled level."""


def settled_from(series: np.ndarray, tolerance: float, window: int = WINDOW,
                 stride: int = STRIDE, tail: float = TAIL) -> int | None:
    """The first week ``w`` (a multiple of ``stride``) such that the mean of ``series``
    (indexed by week, week 0 the founding) over every ``window`` weeks starting after
    ``w`` (every ``stride``-th) lies within ``tolerance`` (a share) of its mean over the
    last ``tail`` of the weeks; None if none does before the tail begins."""
    weeks = len(series) - 1
    start_of_tail = _tail_start(weeks, tail)
    settled = float(np.mean(series[start_of_tail:]))
    starts = range(1, weeks - window + 2, stride)
    near = [abs(float(np.mean(series[s:s + window])) - settled) <= tolerance * abs(settled)
            for s in starts]
    for k, begin in enumerate(starts):
        if begin > start_of_tail:
            break
        if all(near[k:]):
            return begin - 1
    return None


def _tail_start(weeks: int, tail: float = TAIL) -> int:
    """The first week of the last ``tail`` of ``weeks`` weeks (at least the last one)."""
    return weeks - max(1, round(weeks * tail)) + 1


def measure(seeds: int = 80, weeks: int = 800, tolerance: float = 0.15,
            seed: int = 60_000) -> pd.DataFrame:
    """For each policy and output of ``OUTPUTS``: the week it settles from
    (``settled_from``), its mean in the founding wave (weeks 26–150) and its settled
    level, over ``seeds`` default organisations run for ``weeks`` weeks."""
    from experiments.simulate import run_batch

    rows = []
    tail_from = _tail_start(weeks)
    for policy in POLICIES:
        runs = run_batch({"policy": policy}, steps=weeks,
                         rngs=[np.random.SeedSequence(seed + k) for k in range(seeds)])
        mean = np.mean([r.timeseries[list(OUTPUTS)].to_numpy() for r in runs],
                       axis=0)  # (weeks + 1, outputs)
        for j, output in enumerate(OUTPUTS):
            rows.append({"policy": policy, "output": output,
                         "settled_from": settled_from(mean[:, j], tolerance),
                         "founding_wave": float(mean[26:151, j].mean()),
                         "settled_level": float(mean[tail_from:, j].mean())})
    return pd.DataFrame(rows)


def warm_up_implied(table: pd.DataFrame) -> int | None:
    """The latest week any output of any policy settles from, rounded up to whole years
    (None if one never settles within the run)."""
    if table.settled_from.isna().any():
        return None
    return int(math.ceil(table.settled_from.max() / WINDOW) * WINDOW)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.settling",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=80)
    parser.add_argument("--weeks", type=int, default=800)
    parser.add_argument("--tolerance", type=float, default=0.15)
    args = parser.parse_args(argv)
    for name, value, low in (("seeds", args.seeds, 1), ("weeks", args.weeks, 2 * WINDOW)):
        if value < low:
            print(f"error: --{name}={value} is not allowed; allowed: a whole number >= {low}",
                  file=sys.stderr)
            return 2
    if not 0 < args.tolerance < 1:
        print(f"error: --tolerance={args.tolerance} is not allowed; allowed: a share in "
              "(0, 1)", file=sys.stderr)
        return 2
    table = measure(args.seeds, args.weeks, args.tolerance)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    implied = warm_up_implied(table)
    print(f"warm-up implied: {implied} weeks" if implied is not None else
          "warm-up implied: none (an output does not settle within the run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
