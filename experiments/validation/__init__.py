"""Pattern-oriented validation (Grimm et al. 2005): the checks of ``docs/PATTERNS.md``.

``python -m experiments run validation`` (or ``make validate``) runs every check on fresh
seeds and writes ``report.md`` and ``report.csv`` (pattern, statistic, target, value with a
95 % interval, holds or not), ``robustness.csv``, ``plausibility.csv``, the world checks'
``world_cells.csv`` and ``ledger.csv``, and the V7 surface figure into
``results/validation/``.

- ``statistics``: pure functions of data frames, each tested on synthetic data;
- ``conditions``: how much to simulate, the robustness variants, the runs of a condition;
- ``checks``: one function per pattern (V1–V12) and per world check (W1–W5), returning
  its rows and figure data;
- ``report``: every check at the defaults and under each variant, and the report.

A check never adjusts the model: when a pattern does not hold, the report says so.
"""

from experiments.validation.checks import (
    CHECKS,
    OPERATIONALISATION,
    V7_GRID,
    WORLD_CHECKS,
    CheckResult,
    Row,
    ledger_rows,
    load_rows,
    market_rows,
    runaway_rows,
    work_rows,
    world_cells,
)
from experiments.validation.conditions import ROBUSTNESS, Design, Runs, simulate, simulate_series
from experiments.validation.report import Validation, run, run_checks, validate, write_report
from experiments.validation.statistics import (
    Estimate,
    correlation,
    correlation_ceiling,
    mean_difference,
    mean_with_interval,
    paired_difference,
    pooled_ceiling,
    pooled_correlation,
    r_squared,
    relative_weights,
    risk_ratio,
    standardised_betas,
    standardised_difference,
)

__all__ = [
    "CHECKS", "OPERATIONALISATION", "ROBUSTNESS", "V7_GRID", "WORLD_CHECKS", "CheckResult",
    "Design", "Estimate", "Row", "Runs", "Validation", "correlation", "correlation_ceiling",
    "ledger_rows", "load_rows", "market_rows", "mean_difference", "mean_with_interval",
    "paired_difference", "pooled_ceiling", "pooled_correlation", "r_squared",
    "relative_weights", "risk_ratio", "run", "run_checks", "runaway_rows", "simulate",
    "simulate_series", "standardised_betas", "standardised_difference", "validate",
    "work_rows", "world_cells", "write_report",
]
