"""Run every check at the defaults and under the robustness variants, and the world checks
at the defaults, and write the report (``report.md``, ``report.csv`` with every check's row,
``robustness.csv``, ``plausibility.csv``, the field figures over the uncertain inputs,
``field_uncertainty.csv``, the world checks' cells and ledger, ``world_cells.csv`` and
``ledger.csv``, and the V7 surfaces, ``v7_surface.png``)."""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.validation import uncertainty
from experiments.validation.checks import (
    CHECKS,
    FAILURE_BELOW,
    FIELD_BLOCKS,
    FIELD_POLICIES,
    LEADER_POLICIES,
    LEDGER,
    OPERATIONALISATION,
    PINNED_AT,
    PLAUSIBILITY,
    RUNAWAY_RATIO,
    RUNAWAY_SLACK,
    SHARE_FIGURES,
    UTILISATION_RANGE,
    V7_GRID,
    WORLD_CHECKS,
    cost_text,
    field_estimates,
    plausibility,
)
from experiments.validation.conditions import ROBUSTNESS, Design, Runs
from experiments.validation.statistics import allowed_growth


@dataclass
class Validation:
    """The checks at the defaults (``table``), whether each still holds under every
    robustness variant (``robustness``: one column per variant; ``reruns``, alike: where the
    variant changed only what the check's conditions set themselves, so that it merely ran
    them again on other, fewer seeds), the V7 surfaces, and the world checks at the defaults
    (``world``: rows like ``table``'s), with what they read of each flagship cell
    (``world_cells``) and the ledger of costs (``ledger``)."""

    design: Design
    table: pd.DataFrame
    robustness: pd.DataFrame
    surfaces: dict[str, np.ndarray]  # by organisation size, smallest first
    plausibility: pd.DataFrame | None = None  # field figures P1–P5 under each policy
    world: pd.DataFrame | None = None  # world checks W1–W5
    world_cells: pd.DataFrame | None = None
    ledger: pd.DataFrame | None = None
    reruns: pd.DataFrame | None = None
    uncertainty: pd.DataFrame | None = None  # field figures at each hypercube point


def run_checks(runs: Runs, checks: list | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Every check of ``checks`` (the pattern checks by default) on ``runs``: the table of
    rows (lettered within each pattern) and the figure data the checks returned, by name."""
    results = [fn(runs) for fn in (CHECKS if checks is None else checks)]
    table = pd.DataFrame([dataclasses.asdict(r) for result in results for r in result.rows])
    letters = table.groupby("pattern").cumcount().map(lambda k: "abcdefgh"[k])
    table.insert(0, "check", table.pattern + letters)
    figures = {name: data for result in results for name, data in result.figures.items()}
    return table, figures


def validate(design: Design, executor: cf.Executor,
             variants: dict[str, dict[str, Any]] | None = None,
             workers: int = 1) -> Validation:
    """Every check at the defaults, then the world checks (at the defaults only, on seeds
    after those of every pattern condition), then every check again under each variant (on
    half the seeds); ``workers``: how many runs ``executor`` works on at once."""
    variants = ROBUSTNESS if variants is None else variants
    cache: dict[Any, list[dict[str, Any]]] = {}
    defaults = Runs(design, executor, cache, workers)
    table, figures = run_checks(defaults)
    asked = list(defaults.asked)  # what the checks ask for, in order: each variant's at once
    # the field figures' default runs of each policy, on the seeds they always had; their
    # further blocks (``field_runs``) on the seeds after the world checks', which keep theirs
    defaults.ask([(policy, {"policy": policy}) for policy in FIELD_POLICIES])
    world, world_figures = run_checks(defaults, WORLD_CHECKS)
    field = plausibility(defaults)
    # now that every default run is in, the cross-sections at the defaults read all of them
    # (``checks.at_defaults``); every other condition is cached, so nothing else moves
    defaults.blocks_at_defaults = FIELD_BLOCKS
    table, figures = run_checks(defaults)
    uncertain = (uncertainty.over_uncertain_inputs(design, executor, FIELD_POLICIES,
                                                   field_estimates, workers)
                 if design.field_points else None)
    robustness = pd.DataFrame({"check": table.check, "defaults": table.holds})
    reruns = pd.DataFrame({"check": table.check, "defaults": False})
    surfaces = {design.employees: figures.get("v7_surface")}
    for label, change in variants.items():
        variant = dataclasses.replace(design, seeds=max(2, design.seeds // 2),
                                      base=tuple(sorted(change.items())))
        runs = Runs(variant, executor, cache, workers, partners=defaults.partners)
        runs.ask(asked)
        variant_table, variant_figures = run_checks(runs)
        robustness[label] = variant_table.holds.to_numpy()
        reruns[label] = table.sets.map(lambda own, change=change: set(change) <= set(own))
        if "n_employees" in change:
            surfaces[change["n_employees"]] = variant_figures.get("v7_surface")
    named = {f"{n} employees{' (defaults)' if n == design.employees else ''}": surfaces[n]
             for n in sorted(surfaces)}
    return Validation(design, table, robustness, named, field, world,
                      world_figures.get("world_cells"), world_figures.get("ledger"), reruns,
                      uncertain)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def _plausibility_lines(field: pd.DataFrame | None) -> list[str]:
    if field is None or field.empty:
        return []
    policies = list(dict.fromkeys(field.policy))
    held = int(field.in_range.sum())
    lines = ["", "## Plausibility: field figures at the defaults", "",
             "Not counted among the checks: where a figure falls far outside its field range, "
             f"a mechanism is missing. **{held} of {len(field)} figures lie in range.** "
             f"Each is read over {int(field.runs.max())} runs a policy (the default runs and "
             f"more of the same on fresh seeds: one block of runs moves a figure by its "
             f"draw), and called in range by its point estimate: its interval may cross a "
             f"bound.", "",
             "| figure | what | field range | " + " | ".join(policies) + " |",
             "|---|---|---|" + "---|" * len(policies)]
    for (figure, what), rows in field.groupby(["figure", "what"], sort=False):
        cells = [f"{r.value}{'' if r.in_range else ' **out**'}" for r in rows.itertuples()]
        lines.append(f"| {figure} | {what} | {rows.field.iloc[0]} | " + " | ".join(cells) + " |")
    bounded = field.dropna(subset=["ceiling"])  # the rows with a ceiling (P5's intention)
    for (figure, what), rows in bounded.groupby(["figure", "what"], sort=False):
        ceilings = ", ".join(f"{r.policy} {r.ceiling:.2f} ({r.bound:.2f})"
                             for r in rows.itertuples())
        lines += ["", f"{figure}, {what}: what the best rule linking quitting to intention "
                  f"would be expected to give at each policy's own share of leavers in these "
                  f"runs, everyone above a threshold of intention leaving and nobody below "
                  f"but for reasons outside work (`outside_quit_rate`); in brackets the most "
                  f"any rule could give were every leaver among the most intending: "
                  f"{ceilings}. Where the first is under the field range, no rule could bring the "
                  f"figure in at that turnover; where it is above, how the model's quitting "
                  f"follows intention keeps the figure under it."]
    return lines


def _uncertainty_lines(points: pd.DataFrame | None, design: Design) -> list[str]:
    """The field figures over the robustness study's hypercube of uncertain inputs."""
    if points is None or points.empty:
        return []
    table = uncertainty.summary(points, PLAUSIBILITY)
    policies = list(dict.fromkeys(table.policy))
    n_points, n_inputs = points.point.nunique(), len(uncertainty.robustness.UNCERTAIN)
    runs = design.field_point_seeds
    lines = ["", "### Field figures over the uncertain inputs", "",
             f"Each field figure again at each of the {n_points} points of the robustness "
             "study's Latin hypercube of uncertain inputs (`experiments.robustness."
             f"UNCERTAIN`: {n_inputs} constants and parameters of leadership, work, the market "
             "and strain, each over a range from its source or ±30 %; not the constants of "
             f"turnover intention and quitting, which it does not vary), {runs} runs a point "
             "and policy on seeds of their own: the mean over the points [95 % interval]; how "
             f"much the figure differs between points net of the noise of a point's {runs} "
             "runs (± one standard deviation: what the inputs themselves do), beside that "
             f"noise; how many points put it in its field range (at {runs} runs a point, "
             "noise pulls a figure near a bound toward half of them); and the input that "
             "moves it most across the points, where its rank correlation is beyond chance "
             f"among the {n_inputs} inputs (p < {uncertainty.CHANCE} / {n_inputs}, per "
             "figure and policy: over them all, about one naming by chance is expected). The "
             "hypercube is centred on its ranges, not on the defaults. Not counted among the "
             "checks; `field_uncertainty.csv`, written by the run, has every point.", "",
             "| figure | what | field range | " + " | ".join(policies) + " |",
             "|---|---|---|" + "---|" * len(policies)]
    for (figure, what), rows in table.groupby(["figure", "what"], sort=False):
        f = f".{3 if figure in SHARE_FIGURES else 2}f"
        cells = [f"{r.mean:{f}} [{r.low:{f}}, {r.high:{f}}]; ±{r.between_points:{f}} between "
                 f"points (a point's noise ±{r.point_noise:{f}}); in range at {r.in_range} of "
                 f"{r.points}; "
                 + (f"moved most by `{r.moved_most_by}` ({r.rank_correlation:+.2f})"
                    if r.moved_most_by else "no input beyond chance")
                 for r in rows.itertuples()]
        lines.append(f"| {figure} | {what} | {rows.field.iloc[0]} | " + " | ".join(cells) + " |")
    failed = next(i for i, (figure, *_) in enumerate(PLAUSIBILITY) if figure == "P4")
    failing = uncertainty.far_out(points, failed, FAILURE_BELOW)  # at W3's line
    chosen = sorted({point for found in failing.values() for point in found})
    if chosen:
        shared = ", ".join(f"`{name}` {rank:.2f}" for name, rank
                           in uncertainty.what_they_share(points, chosen))
        where = "; ".join(f"{policy} at {len(found)} ({', '.join(map(str, found)) or '—'})"
                          for policy, found in failing.items())
        lines += ["", f"Where {FAILURE_BELOW * 100:.0f} % or more of tasks fail (W3's line), "
                  f"the world may break rather than a figure drift out of range: {where} of "
                  f"{n_points} points. What those points share most (their mean percentile "
                  f"rank in the hypercube, 0.50 being none): {shared}. Not all one defect: "
                  "ODD items 33 and 34 say which are found and which not."]
    else:
        lines += ["", f"At none of the {n_points} points do {FAILURE_BELOW * 100:.0f} % or more "
                  "of tasks fail under any policy (W3's line)."]
    return lines


def _mark(text: str, ok: bool) -> str:
    return text if ok else f"**{text}**"


def _world_lines(result: Validation) -> list[str]:
    """The world checks: their rows, what they read of each flagship cell, the ledger."""
    world, cells, ledger, design = result.world, result.world_cells, result.ledger, result.design
    if world is None or world.empty:
        return []
    lines = [
        "", "## World checks: the conditions of a fair comparison", "",
        "Not patterns of the world but conditions the model's world must meet before any "
        "comparison of policies means something (`docs/audits/fairness-audit.md`); not "
        "counted among the checks above, and run at the defaults only. W1–W4 on fresh seeds "
        f"of their own: {design.world_seeds} runs per cell of the "
        f"flagship grid under heroic and distributed, {design.employees} employees, "
        f"{design.world_steps} steps from the founding (no warm-up: they look for drift from "
        "it), every step recorded; W5 reads the default runs above. "
        f"**{int(world.holds.sum())} of {len(world)} world checks hold.**", "",
        "| check | statistic | target | value | holds | source |",
        "|---|---|---|---|---|---|",
        *[f"| {r.check} | {_cell(r.statistic)} | {_cell(r.target)} | {_cell(r.value)} | "
          f"{'yes' if r.holds else '**no**'} | {r.source} |" for r in world.itertuples()],
    ]
    if cells is not None and not cells.empty:
        lines += ["", "### The flagship cells (W1–W4)", "",
                  "Means over the runs of each cell (`world_cells.csv`); in bold, what breaks "
                  "a world check.", "", *_cell_table(cells)]
    if ledger is not None and not ledger.empty:
        lines += ["", "### The ledger (W5)", "",
                  "Person-weeks per week spent on each act, mean over the final window "
                  "[95 % interval over runs] (`ledger.csv`, with the runs whose outputs show "
                  "each act).", "",
                  "| policy | " + " | ".join(LEDGER) + " | total |",
                  "|---|" + "---|" * (len(LEDGER) + 1)]
        for policy, rows in ledger.groupby("policy", sort=False):
            entries = []
            for r in rows.itertuples():
                text = cost_text(r.value) + ("" if np.isnan(r.low) else
                                             f" [{cost_text(r.low)}, {cost_text(r.high)}]")
                if r.runs_act_seen_unpaid:
                    text += f" · **unpaid in {r.runs_act_seen_unpaid} of {r.runs_act_seen}**"
                entries.append(text)
            lines.append(f"| {policy} | " + " | ".join(entries)
                         + f" | {cost_text(rows.value.sum())} |")
    return lines


def _cell_table(cells: pd.DataFrame) -> list[str]:
    def named(prefix: str) -> list[str]:
        return [c for c in cells.columns if c.startswith(prefix)]

    value, problems, load, exhaustion = (named(p) for p in (
        "task_value_", "open_problems_", "leader_load_", "leader_exhaustion_"))

    def span(column: str) -> str:  # "open_problems_200_300" -> "200–300"
        return "–".join(column.rsplit("_", 2)[1:])

    low, high = UTILISATION_RANGE
    header = ["complexity", "turbulence", "policy",
              *[f"task value {span(c)}" for c in value], "offered load",
              "fit at work / planned", "failure",
              "utilisation", f"open problems {span(problems[0])} → {span(problems[1])}",
              f"leader load {span(load[0])} → {span(load[1])}",
              f"leader exhaustion {span(exhaustion[0])}"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]

    def growth(r: Any, columns: list[str]) -> str:
        was, now = getattr(r, columns[0]), getattr(r, columns[1])
        allowed = allowed_growth(was, RUNAWAY_RATIO, RUNAWAY_SLACK)
        return _mark(f"{was:.2f} → {now:.2f}", np.isnan(now) or now <= allowed)

    for r in cells.itertuples(index=False):
        leader = r.policy in LEADER_POLICIES
        row = [f"{r.task_complexity:g}", f"{r.turbulence:g}", r.policy,
               *[f"{getattr(r, c):.2f}" for c in value], f"{r.offered_load:.2f}",
               f"{r.fit_against_plan:.2f}",
               _mark(f"{r.failure:.2f}", not r.failure >= FAILURE_BELOW),
               _mark(f"{r.utilisation:.2f}", np.isnan(r.utilisation)
                     or low <= r.utilisation <= high),
               growth(r, problems), growth(r, load) if leader else "–",
               _mark(f"{getattr(r, exhaustion[0]):.2f}", not getattr(r, exhaustion[0])
                     >= PINNED_AT) if leader else "–"]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def write_report(result: Validation, out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    table, robustness, design = result.table, result.robustness, result.design
    rows = pd.concat([table, result.world])
    rows.assign(sets=rows.sets.map(" ".join)).to_csv(out / "report.csv", index=False)
    robustness.to_csv(out / "robustness.csv", index=False)
    if result.plausibility is not None:
        result.plausibility.to_csv(out / "plausibility.csv", index=False)
    if result.uncertainty is not None:
        result.uncertainty.to_csv(out / "field_uncertainty.csv", index=False)
    if result.world_cells is not None:
        result.world_cells.to_csv(out / "world_cells.csv", index=False)
    if result.ledger is not None:
        result.ledger.to_csv(out / "ledger.csv", index=False)
    held = int(table.holds.sum())
    world_held = (f" World checks: **{int(result.world.holds.sum())} of {len(result.world)} "
                  "hold** (below)." if result.world is not None else "")
    variants = list(robustness.columns[2:])
    reruns = (result.reruns if result.reruns is not None
              else robustness.assign(**{c: False for c in robustness.columns[1:]}))
    rerun = reruns[robustness.columns[1:]].to_numpy(dtype=bool)
    # under every variant that tested it (a mere re-run is no test of robustness)
    always = pd.Series((robustness.iloc[:, 1:].to_numpy(dtype=bool) | rerun).all(axis=1))
    any_rerun = bool(rerun.any())

    def verdict(holds: bool, again: bool) -> str:
        return ("yes" if holds else "no") + (" *" if again else "")

    rerun_note = ("; * marks a variant that changes only what the check's conditions set "
                  "themselves (`sets` in `report.csv`: V7 its task complexity and turbulence, "
                  "for instance), so that it merely re-ran them on other, fewer seeds: no "
                  "test of robustness, and not counted below" if any_rerun else "")
    lines = [
        "# Validation report", "",
        f"Patterns of `docs/PATTERNS.md`, checked on fresh seeds: {design.seeds} runs per "
        f"condition, {design.employees} employees, {design.steps} steps after a warm-up of "
        f"{design.warm_up} weeks (organisations at work, the founding transient past), "
        "outcomes over the last quarter, agent and team cross-sections at the last step, "
        "at the model's default parameters unless stated; a contrast of two conditions is "
        "paired by seed (the second runs on the seeds of the first, so both meet the same "
        "markets), and a cross-section of an organisation at the defaults (V1a, V1b, V3, "
        f"V4c, V5a, V7b, V10, V11, V12c) reads every default run of its policy, the "
        f"{design.seeds * FIELD_BLOCKS} that the field figures read (one block's draw moves "
        "such a correlation by as much as some checks lie from their bounds). "
        f"**{held} of {len(table)} checks hold.** "
        "Intervals are 95 %; a correlation across employees is computed within each run "
        "and pooled over runs by Fisher's z weighted by n − 3 (Hedges & Olkin 1985), so its "
        f"interval counts the people, not how runs differ.{world_held}", "",
        "| check | statistic | target | value [95 % CI] | holds | source |",
        "|---|---|---|---|---|---|",
        *[f"| {r.check} | {_cell(r.statistic)} | {_cell(r.target)} | {_cell(r.value)} | "
          f"{'yes' if r.holds else '**no**'} | {r.source} |" for r in table.itertuples()],
        *_plausibility_lines(result.plausibility),
        *_uncertainty_lines(result.uncertainty, design),
        *_world_lines(result),
        "", "## Robustness", "",
        f"Every check again with one default changed ({max(2, design.seeds // 2)} runs per "
        f"condition; a condition that sets the same parameter itself keeps its own "
        f"value{rerun_note}). Of the {held} checks that hold at the defaults, "
        f"**{int((always & table.holds).sum())} hold under every variant that tests "
        f"them.**", "",
        "| check | defaults | " + " | ".join(variants) + " |",
        "|---|---|" + "---|" * len(variants),
        *["| " + " | ".join([row[0]] + [verdict(v, again) for v, again
                                        in zip(row[1:], flags, strict=True)]) + " |"
          for row, flags in zip(robustness.itertuples(index=False), rerun, strict=True)],
        "| **holding** (of those tested) | " + " | ".join(
            f"{int((robustness[c] & ~reruns[c]).sum())} of {int((~reruns[c]).sum())}"
            for c in robustness.columns[1:]) + " |",
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
    world = result.world
    return [f"validation: {held} of {len(table)} checks hold at the defaults"
            + (f", {int(world.holds.sum())} of {len(world)} world checks" if world is not None
               else "") + f" -> {out / 'report.md'}"]


def run(out: Path, design: Design, workers: int | None = None, dask: str | None = None,
        variants: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """Run every check through the sweep runner's executor seam and write the report."""
    from experiments.runner import make_executor

    with make_executor(workers, dask) as (executor, _, capacity):
        result = validate(design, executor, variants, capacity)
    return write_report(result, out)
