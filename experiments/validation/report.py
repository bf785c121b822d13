"""Run every check at the defaults and under the robustness variants, and write the report
(``report.md``, ``report.csv``, ``robustness.csv`` and the V7 surfaces, ``v7_surface.png``)."""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.validation.checks import CHECKS, OPERATIONALISATION, V7_GRID, plausibility
from experiments.validation.conditions import ROBUSTNESS, Design, Runs


@dataclass
class Validation:
    """The checks at the defaults (``table``), whether each still holds under every
    robustness variant (``robustness``: one column per variant), and the V7 surfaces."""

    design: Design
    table: pd.DataFrame
    robustness: pd.DataFrame
    surfaces: dict[str, np.ndarray]  # by organisation size, smallest first
    plausibility: pd.DataFrame | None = None  # field figures P1–P5 under each policy


def run_checks(runs: Runs) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Every check on ``runs``: the table of rows (lettered within each pattern) and the
    figure data the checks returned, by name."""
    results = [fn(runs) for fn in CHECKS]
    table = pd.DataFrame([dataclasses.asdict(r) for result in results for r in result.rows])
    letters = table.groupby("pattern").cumcount().map(lambda k: "abcdefgh"[k])
    table.insert(0, "check", table.pattern + letters)
    figures = {name: data for result in results for name, data in result.figures.items()}
    return table, figures


def validate(design: Design, executor: cf.Executor,
             variants: dict[str, dict[str, Any]] | None = None) -> Validation:
    """Every check at the defaults, then again under each variant (on half the seeds)."""
    variants = ROBUSTNESS if variants is None else variants
    cache: dict[Any, list[dict[str, Any]]] = {}
    defaults = Runs(design, executor, cache)
    table, figures = run_checks(defaults)
    field = plausibility(defaults)
    robustness = pd.DataFrame({"check": table.check, "defaults": table.holds})
    surfaces = {design.employees: figures.get("v7_surface")}
    for label, change in variants.items():
        variant = dataclasses.replace(design, seeds=max(2, design.seeds // 2),
                                      base=tuple(sorted(change.items())))
        variant_table, variant_figures = run_checks(Runs(variant, executor, cache))
        robustness[label] = variant_table.holds.to_numpy()
        if "n_employees" in change:
            surfaces[change["n_employees"]] = variant_figures.get("v7_surface")
    named = {f"{n} employees{' (defaults)' if n == design.employees else ''}": surfaces[n]
             for n in sorted(surfaces)}
    return Validation(design, table, robustness, named, field)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def _plausibility_lines(field: pd.DataFrame | None) -> list[str]:
    if field is None or field.empty:
        return []
    policies = list(dict.fromkeys(field.policy))
    held = int(field.in_range.sum())
    lines = ["", "## Plausibility: field figures at the defaults", "",
             "Not counted among the checks: where a figure falls far outside its field range, "
             f"a mechanism is missing. **{held} of {len(field)} figures lie in range.**", "",
             "| figure | what | field range | " + " | ".join(policies) + " |",
             "|---|---|---|" + "---|" * len(policies)]
    for (figure, what), rows in field.groupby(["figure", "what"], sort=False):
        cells = [f"{r.value}{'' if r.in_range else ' **out**'}" for r in rows.itertuples()]
        lines.append(f"| {figure} | {what} | {rows.field.iloc[0]} | " + " | ".join(cells) + " |")
    return lines


def write_report(result: Validation, out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    table, robustness, design = result.table, result.robustness, result.design
    table.to_csv(out / "report.csv", index=False)
    robustness.to_csv(out / "robustness.csv", index=False)
    if result.plausibility is not None:
        result.plausibility.to_csv(out / "plausibility.csv", index=False)
    held = int(table.holds.sum())
    variants = list(robustness.columns[2:])
    always = robustness.iloc[:, 1:].all(axis=1)
    lines = [
        "# Validation report", "",
        f"Patterns of `shared/PATTERNS.md`, checked on fresh seeds: {design.seeds} runs per "
        f"condition, {design.employees} employees, {design.steps} steps, outcomes over the "
        "last quarter, agent and team cross-sections at the last step, at the model's "
        f"default parameters unless stated. **{held} of {len(table)} checks hold.** "
        "Intervals are 95 %.", "",
        "| check | statistic | target | value [95 % CI] | holds | source |",
        "|---|---|---|---|---|---|",
        *[f"| {r.check} | {_cell(r.statistic)} | {_cell(r.target)} | {_cell(r.value)} | "
          f"{'yes' if r.holds else '**no**'} | {r.source} |" for r in table.itertuples()],
        *_plausibility_lines(result.plausibility),
        "", "## Robustness", "",
        f"Every check again with one default changed ({max(2, design.seeds // 2)} runs per "
        f"condition; a condition that sets the same parameter itself keeps its own value). "
        f"Of the {held} checks that hold at the defaults, "
        f"**{int((always & table.holds).sum())} hold under every variant.**", "",
        "| check | defaults | " + " | ".join(variants) + " |",
        "|---|---|" + "---|" * len(variants),
        *["| " + " | ".join([row[0]] + ["yes" if v else "no" for v in row[1:]]) + " |"
          for row in robustness.itertuples(index=False)],
        "| **holding** | " + " | ".join(
            f"{int(robustness[c].sum())} of {len(robustness)}" for c in robustness.columns[1:]
        ) + " |",
        "", "## How the checks read the model", "",
        *[f"- {note}" for note in OPERATIONALISATION], "",
        "## V7 as a surface", "",
        "V7 is contested (Wang et al. 2014 vs D'Innocenzo et al. 2016): `v7_surface.png` shows "
        "heroic minus distributed throughput over task complexity × turbulence, at each "
        "organisation size run.",
    ]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    surfaces = {k: v for k, v in result.surfaces.items() if v is not None}
    if surfaces:
        fig, axes = plt.subplots(1, len(surfaces), figsize=(4.2 * len(surfaces), 3.9),
                                 squeeze=False)
        limit = max(np.abs(v).max() for v in surfaces.values()) or 1
        for ax, (label, surface) in zip(axes[0], surfaces.items(), strict=True):
            image = ax.imshow(surface, origin="lower", cmap="RdBu_r", vmin=-limit, vmax=limit)
            ax.set_xticks(range(len(V7_GRID)), V7_GRID)
            ax.set_yticks(range(len(V7_GRID)), V7_GRID)
            ax.set_xlabel("turbulence")
            ax.set_title(label, fontsize=10)
            for (i, j), v in np.ndenumerate(surface):
                ax.text(j, i, f"{v:+.2f}", ha="center", va="center", fontsize=8)
        axes[0, 0].set_ylabel("task complexity")
        fig.colorbar(image, ax=axes[0].tolist(),
                     label="heroic minus distributed,\ntasks completed / step")
        fig.suptitle("V7: where does centralisation win? (red: heroic, blue: distributed)")
        fig.savefig(out / "v7_surface.png", dpi=150, bbox_inches="tight")
        plt.close(fig)
    return [f"validation: {held} of {len(table)} checks hold at the defaults -> "
            f"{out / 'report.md'}"]


def run(out: Path, design: Design, workers: int | None = None, dask: str | None = None,
        variants: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """Run every check through the sweep runner's executor seam and write the report."""
    from experiments.runner import make_executor

    with make_executor(workers, dask) as (executor, _, _):
        result = validate(design, executor, variants)
    return write_report(result, out)
