"""How robust each headline contrast is (``python -m experiments run robustness``).

The headline contrasts are distributed − heroic and fostering − heroic on throughput
(tasks completed per step), value completed per step, autonomous motivation and the share
burnt out, in each cell of the flagship (turbulence .1 / .5 / .9 × complexity .2 / .5 /
.8). Each is re-estimated

- **(a) under named variants**: 50 and 200 employees, leader capacity −30 % / +30 %,
  problems half and twice as frequent, shared purpose .3 / .9, ties that grow and fade
  50 % slower / faster, assignments that cost autonomy unless fully supportive, a
  neutral one too (``graded_assignment``), and a second seed set, each against the base on paired
  seeds;
- **(b) over a Latin hypercube** of the model's uncertain constants and parameters
  (``UNCERTAIN``: each over a range from its source, or ±30 % where it has none; the
  ODD's table of uncertain constants lists them), one seed per point, shared by the
  three policies and nine cells of the point;
- **(c) the short-team form, one value at a time**: heroic's lead on complex work rests
  on how much more than its missing members' share a short team loses
  (``work.SHORT_TEAM_LOSS``, which no source sizes), so distributed − heroic on complex
  work (complexity .8, each turbulence) is re-estimated at each of ``FORMS`` on
  ``form_replications`` paired seeds of its own: where along the form the lead holds.

For each contrast and cell: the share of the hypercube where its sign is the base's, with
a 95 % (Wilson) interval, beside the chance that one seed keeps that sign by seed noise
alone (``noise_share``, from the base's seeds: a point has one seed, so its share is read
against this), and the inputs that move it most (Spearman rank correlation
between input and contrast over the points, a standard global sensitivity measure for
Latin hypercube samples; Helton & Davis 2003), with where the sign holds least (the
input's lower or upper third).

Finished runs are kept in ``runs.csv`` as they come in, so a study stopped part-way
resumes. Writes ``summary.md``, ``summary.csv``, ``variants.csv``, ``hypercube.csv``,
``runs.csv``, ``form.csv`` and ``robustness.png`` into ``results/robustness/``.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from experiments.mechanisms import interval, interval_cell
from experiments.resumable import run_resumable
from experiments.simulate import SETTLING_WEEKS, run_batch
from model.batch import shape_of

MARKETS: dict[float, str] = {0.1: "stable (0.1)", 0.5: "moving (0.5)",
                             0.9: "very turbulent (0.9)"}
"""The flagship's turbulence levels and what the report calls each market."""

CELLS: list[tuple[float, float]] = [(t, c) for t in MARKETS for c in (0.2, 0.5, 0.8)]
"""The flagship's cells: (turbulence, task complexity)."""

POLICIES = ("heroic", "distributed", "fostering")
CONTRASTS: dict[str, tuple[str, str]] = {
    "distributed − heroic": ("distributed", "heroic"),
    "fostering − heroic": ("fostering", "heroic"),
}
OUTCOMES: dict[str, str] = {
    "tasks_completed": "throughput",
    "value_completed": "value completed",
    "autonomous_motivation": "autonomous motivation",
    "burnout_share": "share burnt out",
}

SECOND_SEEDS = 1_000_000
"""How far the second seed set is from the first."""

VARIANTS: dict[str, dict[str, Any]] = {
    "base": {},
    "50 employees": {"n_employees": 50},
    "200 employees": {"n_employees": 200},
    "leader capacity -30%": {"leader_capacity": 4},
    "leader capacity +30%": {"leader_capacity": 8},
    "problems x0.5": {"problem_rate": 0.075},
    "problems x2": {"problem_rate": 0.3},
    "shared purpose .3": {"shared_purpose": 0.3},
    "shared purpose .9": {"shared_purpose": 0.9},
    "ties -50%": {"tie_growth": 0.04, "tie_decay": 0.005},
    "ties +50%": {"tie_growth": 0.12, "tie_decay": 0.015},
    # the rule before ODD item 26, which counted low support twice (§7.4)
    "assignments cost unless supportive": {"graded_assignment": True},
    "second seed set": {},
}
"""The named variants and what they change (leader capacity is whole decisions: 6 ± 2)."""

UNCERTAIN: dict[str, tuple[float, float, str]] = {
    "leadership.DECISION_WEEKS": (1 / 6 * 0.7, 1 / 6 * 1.3, "±30 %"),
    "leadership.EXCEPTION_ATTENTION": (0.35, 0.65, "±30 %"),
    "leadership.PROBLEM_VALUE": (0.7, 1.3, "±30 %"),
    "leadership.COLLISION_COST": (0.07, 0.13, "±30 %"),
    "leadership.ESTIMATE_NOISE": (0.14, 0.26, "±30 %"),
    "market.DEMAND_REVERSION": (0.07, 0.13, "±30 %"),
    "market.BASE_PACE": (0.28, 0.52, "±30 %"),
    "market.TYPICAL_SKILL": (0.5, 0.75, "the staff's mean skill to a founder's best domain"),
    "work.PACE_WHEN_DRAINED": (0.35, 0.65, "±30 %"),
    "work.EFFORT_FROM_PRESSURE": (0.35, 0.65, "±30 %"),
    "wellbeing.STRAIN_RATE": (0.63, 1.17, "±30 %"),
    "experiences.PRESSURE_THWARTING": (0.28, 0.52, "±30 %"),
    "wellbeing.VULNERABILITY": (0.105, 0.195, "±30 %"),
    "dispositions.PERCEPTION_FROM_NEGATIVE_AFFECTIVITY": (0.042, 0.078, "±30 %"),
    "wellbeing.VITALITY_FROM_POSITIVE_AFFECTIVITY": (0.035, 0.065, "±30 %"),
    "delegation.BELIEF_MEMORY": (0.961, 0.979, "±30 % of what is forgotten a week"),
    "delegation.PEER_EVIDENCE": (0.7, 1.3, "±30 %"),
    "problems.SURVEY_DETECTION": (0.49, 0.91, "±30 %"),
    "leader_capacity": (4.0, 8.0, "±30 % (whole decisions)"),
    "leading_drain": (0.105, 0.195, "±30 %"),
    "coordination_cost": (0.245, 0.455, "±30 %"),
    "exception_rate": (0.14, 0.26, "±30 %"),
    "planning_optimism": (0.0, 0.4, "plans run 1 / (1 − o) of their time: 0 to 67 % over "
                          "(Buehler, Griffin & Ross 1994: honours theses took 64 % longer "
                          "than their authors predicted)"),
    "claim_competence": (0.315, 0.585, "±30 %"),
    "work.SHORT_TEAM_LOSS": (0.0, 2.0, "Thompson 1967 gives no number: from a short team "
                             "losing only its missing members' share to twice the default"),
    "task_patience": (4.2, 7.8, "±30 % (whole weeks)"),
    "market.SCHEDULE_RESERVE": (0.0, 0.25, "from none (a slack in weeks alone) to the largest "
                                "rate of the guidelines it is taken from, a week a month "
                                "(Bitten et al. 2014)"),
}
"""Each uncertain input, its range and where the range comes from. ``module.NAME`` is a
constant of ``model.rules.<module>``; a plain name is a parameter."""

WHOLE_NUMBERS = ("leader_capacity", "task_patience")
"""Uncertain parameters that take whole numbers: sampled over their range, then rounded."""

FORMS = (0.0, 0.5, 1.0, 1.5, 2.0)
"""The values of ``work.SHORT_TEAM_LOSS`` in part (c): from a short team losing only its
missing members' share (0) through the default (1) to twice its extra loss (2), the
hypercube's range."""

FORM_POLICIES = ("heroic", "distributed")
"""The policies of part (c): the contrast whose sign rests on the form."""

FORM_SEEDS = 3 * SECOND_SEEDS
"""How far part (c)'s seeds are from the first seed set (seeds of its own)."""

KEY = ["part", "variant", "point", "turbulence", "task_complexity", "policy", "seed"]
"""What identifies a run in ``runs.csv``."""


@dataclass(frozen=True)
class Design:
    """How much to simulate: the full study by default, small for tests."""

    replications: int = 10
    steps: int = 200
    seed: int = 20261204
    points: int = 64
    form_replications: int = 20
    warm_up: int = SETTLING_WEEKS  # organisations at work, the founding transient past

    @property
    def employees(self) -> int:
        return 100


QUICK = Design(replications=2, steps=100, points=12, form_replications=2)
"""``--quick``: a first look (1,032 runs of 100 weeks after the warm-up, about two minutes
on 2 cores)."""


@contextlib.contextmanager
def constants(values: dict[str, float]) -> Iterator[None]:
    """Set constants of ``model.rules`` (``"module.NAME": value``) for the duration, then
    put the originals back."""
    saved = []
    try:
        for name, value in values.items():
            module_name, attribute = name.split(".")
            module = importlib.import_module(f"model.rules.{module_name}")
            saved.append((module, attribute, getattr(module, attribute)))
            setattr(module, attribute, value)
        yield
    finally:
        for module, attribute, value in reversed(saved):
            setattr(module, attribute, value)


Task = tuple[dict[str, Any], dict[str, float], int, int, int, dict[str, Any]]
"""(parameters, patched constants, seed, steps, warm-up, key)"""


def _many(tasks: list[Task]) -> list[dict[str, Any]]:
    """Runs of one set of constants, alike but in what a batch keeps apart (the
    replications of a condition, a point's cells), run together: each
    run's key and outcomes."""
    _, patched, _, steps, warm_up, _ = tasks[0]
    with constants(patched):
        results = run_batch([task[0] for task in tasks],
                            rngs=[np.random.SeedSequence(task[2]) for task in tasks],
                            steps=steps, record_every=None, warm_up=warm_up)
    return [{**key, **{name: result.final[name] for name in OUTCOMES}}
            for (*_, key), result in zip(tasks, results, strict=True)]


def _same(task: Task) -> tuple:
    """What the runs of one batch share: constants, steps, warm-up and parameters but those
    a batch keeps apart (``model.batch.shape_of``: a hypercube point's nine cells run
    together)."""
    params, patched, _, steps, warm_up, _ = task
    return repr(shape_of(params)), repr(sorted(patched.items())), steps, warm_up


def hypercube(design: Design) -> pd.DataFrame:
    """The Latin hypercube of the uncertain inputs: one row per point (scipy's
    ``LatinHypercube``, seeded by the design)."""
    sample = qmc.LatinHypercube(d=len(UNCERTAIN), seed=design.seed).random(design.points)
    low = np.array([r[0] for r in UNCERTAIN.values()])
    high = np.array([r[1] for r in UNCERTAIN.values()])
    frame = pd.DataFrame(qmc.scale(sample, low, high), columns=list(UNCERTAIN))
    for name in WHOLE_NUMBERS:
        frame[name] = frame[name].round().astype(int)
    return frame


def plan(design: Design) -> list[Task]:
    """Every run: (a) variant × cell × policy × seed; (b) point × cell × policy, one seed
    per point. Policies and cells share seeds; so do variants (but the second seed set)."""
    seeds = [design.seed + k for k in range(design.replications)]
    tasks: list[Task] = []
    for variant, changes in VARIANTS.items():
        shift = SECOND_SEEDS if variant == "second seed set" else 0
        for policy, (turbulence, complexity), seed in itertools.product(POLICIES, CELLS,
                                                                        seeds):
            params = {"n_employees": design.employees, "turbulence": turbulence,
                      "task_complexity": complexity, "policy": policy, **changes}
            key = {"part": "variant", "variant": variant, "point": -1,
                   "turbulence": turbulence, "task_complexity": complexity,
                   "policy": policy, "seed": seed + shift}
            tasks.append((params, {}, seed + shift, design.steps, design.warm_up, key))
    for point, row in hypercube(design).iterrows():
        patched = {k: float(v) for k, v in row.items() if "." in k}
        changes = {k: (int(v) if k in WHOLE_NUMBERS else float(v))
                   for k, v in row.items() if "." not in k}
        seed = design.seed + 2 * SECOND_SEEDS + int(point)
        for policy, (turbulence, complexity) in itertools.product(POLICIES, CELLS):
            params = {"n_employees": design.employees, "turbulence": turbulence,
                      "task_complexity": complexity, "policy": policy, **changes}
            key = {"part": "hypercube", "variant": "hypercube", "point": int(point),
                   "turbulence": turbulence, "task_complexity": complexity,
                   "policy": policy, "seed": seed}
            tasks.append((params, patched, seed, design.steps, design.warm_up, key))
    for form in FORMS:
        patched = {"work.SHORT_TEAM_LOSS": form}
        for policy, turbulence, k in itertools.product(
                FORM_POLICIES, MARKETS, range(design.form_replications)):
            seed = design.seed + FORM_SEEDS + k
            params = {"n_employees": design.employees, "turbulence": turbulence,
                      "task_complexity": 0.8, "policy": policy}
            key = {"part": "form", "variant": f"short-team loss {form}", "point": -1,
                   "turbulence": turbulence, "task_complexity": 0.8, "policy": policy,
                   "seed": seed}
            tasks.append((params, patched, seed, design.steps, design.warm_up, key))
    return tasks


def form_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Part (c): per value of the short-team form and turbulence, distributed − heroic on
    throughput and value completed on complex work, paired by seed, with its 95 %
    interval."""
    wide = runs[runs.part == "form"].pivot_table(
        index=["variant", "turbulence", "seed"], columns="policy",
        values=["tasks_completed", "value_completed"])
    rows = []
    for outcome in ("tasks_completed", "value_completed"):
        paired = (wide[(outcome, "distributed")] - wide[(outcome, "heroic")]).rename("value")
        for (variant, turbulence), group in paired.groupby(["variant", "turbulence"]):
            values = group.to_numpy(float)
            mean, low, high = interval(values)
            rows.append({"outcome": outcome, "short_team_loss": float(variant.split()[-1]),
                         "turbulence": turbulence, "mean": mean, "low": low, "high": high,
                         "seeds": int(np.isfinite(values).sum())})
    return pd.DataFrame(rows).sort_values(["outcome", "turbulence", "short_team_loss"],
                                          ignore_index=True)


def contrasts(runs: pd.DataFrame) -> pd.DataFrame:
    """Per run group (variant and seed, or hypercube point) and cell: each contrast on
    each outcome, paired within the group."""
    wide = runs.pivot_table(index=["part", "variant", "point", "seed", "turbulence",
                                   "task_complexity"], columns="policy",
                            values=list(OUTCOMES))
    frames = []
    for contrast, (a, b) in CONTRASTS.items():
        for outcome in OUTCOMES:
            value = (wide[(outcome, a)] - wide[(outcome, b)]).rename("value").reset_index()
            value.insert(0, "outcome", outcome)
            value.insert(0, "contrast", contrast)
            frames.append(value)
    return pd.concat(frames, ignore_index=True)


def noise_share(values: np.ndarray) -> float:
    """The chance that one seed's contrast has the sign of the mean over ``values`` (the
    base's seeds), by seed noise alone: ``Φ(|mean| / sd)`` under a normal spread of
    seeds, as at the base's settings. From a handful of seeds this is a rough figure (five
    seeds leave the spread uncertain by about a third). A hypercube point has one seed, so
    its sign share is read against this: what falls clearly short of it is what the
    uncertain inputs take away. NaN with fewer than two values or no spread."""
    values = values[np.isfinite(values)]
    if len(values) < 2:
        return float("nan")
    sd = float(values.std(ddof=1))
    return float(stats.norm.cdf(abs(values.mean()) / sd)) if sd > 0 else float("nan")


def summarise(runs: pd.DataFrame, design: Design) -> tuple[pd.DataFrame, pd.DataFrame,
                                                            pd.DataFrame]:
    """(variants, hypercube, summary): each contrast per variant and cell with its 95 %
    interval over seeds; per hypercube input, its rank correlation with each contrast;
    per contrast and cell, the base estimate, the variants whose interval lies on the
    other side of 0, the hypercube's sign share with its interval and the inputs that
    move it most."""
    table = contrasts(runs)
    cell = ["contrast", "outcome", "turbulence", "task_complexity"]
    var_rows = []
    for keys, group in table[table.part == "variant"].groupby([*cell, "variant"], sort=False):
        mean, low, high = interval(group.value.to_numpy(float))
        var_rows.append({**dict(zip([*cell, "variant"], keys, strict=True)), "mean": mean,
                         "low": low, "high": high, "seeds": len(group)})
    variants = pd.DataFrame(var_rows)
    cube = hypercube(design)
    points = table[table.part == "hypercube"]
    cube_rows, rows = [], []
    base_seeds = table[(table.part == "variant") & (table.variant == "base")]
    for keys, group in variants[variants.variant == "base"].groupby(cell, sort=False):
        base = group.iloc[0]
        sign = np.sign(base["mean"])
        here = dict(zip(cell, keys, strict=True))
        seeds = base_seeds[(base_seeds[cell] == pd.Series(here)).all(axis=1)].value
        by_noise = noise_share(seeds.to_numpy(float))
        others = variants[(variants[cell] == pd.Series(here)).all(axis=1)
                          & (variants.variant != "base")]
        flipped = others[np.where(sign > 0, others.high < 0, others.low > 0)]
        at = points[(points[cell] == pd.Series(here)).all(axis=1)].set_index("point")
        values = at.value.reindex(cube.index).to_numpy(float)
        finite = np.isfinite(values)
        held = int((np.sign(values[finite]) == sign).sum())
        n = int(finite.sum())
        share_ci = (stats.binomtest(held, n).proportion_ci(method="wilson")
                    if n else None)
        movers = []
        for name in UNCERTAIN:
            x = cube[name].to_numpy(float)[finite]
            varies = n > 2 and np.ptp(x) > 0 and np.ptp(values[finite]) > 0
            rho, p = stats.spearmanr(x, values[finite]) if varies else (np.nan, np.nan)
            third = np.quantile(x, [1 / 3, 2 / 3]) if n else [np.nan, np.nan]
            lower = np.sign(values[finite][x <= third[0]]) == sign
            upper = np.sign(values[finite][x >= third[1]]) == sign
            cube_rows.append({**here, "input": name, "rho": rho, "p": p,
                              "held_lower_third": lower.mean() if lower.size else np.nan,
                              "held_upper_third": upper.mean() if upper.size else np.nan})
            movers.append((abs(rho) if np.isfinite(rho) else 0.0, name, rho, p,
                           cube_rows[-1]))
        movers.sort(reverse=True)
        top = [f"{name} (ρ {rho:+.2f}; sign holds {r['held_lower_third']:.0%} in its "
               f"lower third, {r['held_upper_third']:.0%} in its upper)"
               for _, name, rho, p, r in movers[:2] if np.isfinite(rho) and p < 0.05]
        rows.append({**here, "base": base["mean"], "base_low": base.low,
                     "base_high": base.high,
                     "flipped_by": "; ".join(flipped.variant) if len(flipped) else "",
                     "share_held": held / n if n else np.nan, "by_noise": by_noise,
                     "share_low": share_ci.low if share_ci else np.nan,
                     "share_high": share_ci.high if share_ci else np.nan, "points": n,
                     "moved_most_by": "; ".join(top)})
    return variants, pd.DataFrame(cube_rows), pd.DataFrame(rows)


def _percent(share: float) -> str:
    return "undefined" if not np.isfinite(share) else f"{share:.0%}"


def write_report(runs: pd.DataFrame, design: Design, out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    variants, cube, summary = summarise(runs, design)
    variants.to_csv(out / "variants.csv", index=False)
    cube.to_csv(out / "hypercube.csv", index=False)
    summary.to_csv(out / "summary.csv", index=False)
    lines = [
        "# How robust each headline contrast is", "",
        f"{design.employees} employees (but the size variants), {design.steps} steps after "
        f"a warm-up of {design.warm_up} weeks (the founding transient past). "
        f"(a) Named variants, {design.replications} paired seeds each; (b) a Latin "
        f"hypercube of {design.points} points over {len(UNCERTAIN)} uncertain inputs, one "
        "seed per point shared by the policies and cells; (c) the short-team form one "
        f"value at a time on complex work, {design.form_replications} paired seeds of its "
        "own (at the end). Final outcomes are means over "
        "the last quarter of each run. Per cell (turbulence, complexity): the base "
        "contrast [95 % interval]; the variants in which it turns clearly the other way "
        "(interval on the other side of 0); the share of the hypercube where its sign is "
        "the base's [95 % Wilson interval], beside the chance that one seed keeps that sign "
        "by seed noise alone (Φ(|mean| / sd) over the base's seeds: a hypercube point has "
        "one seed, so what its share falls short of this is what the uncertain inputs take "
        "away); the inputs that move it most (Spearman ρ, p < 0.05) and where its sign "
        "holds least.", "",
    ]
    for contrast in CONTRASTS:
        for outcome, label in OUTCOMES.items():
            part = summary[(summary.contrast == contrast) & (summary.outcome == outcome)]
            lines += [f"## {contrast}: {label}", "",
                      "| turbulence | complexity | base | flips under | sign holds in the "
                      "hypercube | one seed keeps it by noise alone | moved most by |",
                      "|---|---|---|---|---|---|---|"]
            for r in part.itertuples():
                lines.append(
                    f"| {r.turbulence} | {r.task_complexity} | {r.base:+.3f} "
                    f"[{r.base_low:+.3f}, {r.base_high:+.3f}] | {r.flipped_by or 'none'} | "
                    f"{r.share_held:.0%} [{r.share_low:.0%}, {r.share_high:.0%}] | "
                    f"{_percent(r.by_noise)} | "
                    f"{r.moved_most_by or 'no input clearly'} |")
            lines.append("")
    form = form_table(runs)
    form.to_csv(out / "form.csv", index=False)
    lines += ["## The short-team form, one value at a time (complex work)", "",
              "Distributed − heroic on complex work (task complexity 0.8) at each value of "
              "`work.SHORT_TEAM_LOSS` (how much more than its missing members' share a "
              "short team loses: 0, only that share; 1, the default), "
              f"{design.form_replications} paired seeds of its own, mean [95 % interval]. "
              "Bold: the interval excludes 0.", ""]
    for outcome in ("tasks_completed", "value_completed"):
        part = form[form.outcome == outcome]
        lines += [f"**{OUTCOMES[outcome]}**", "",
                  "| short-team loss | " + " | ".join(MARKETS.values()) + " |",
                  "|---|" + "---|" * len(MARKETS)]
        for loss in FORMS:
            cells = []
            for turbulence in MARKETS:
                at = part[(part.short_team_loss == loss) & (part.turbulence == turbulence)]
                if at.empty:
                    cells.append("")
                    continue
                r = at.iloc[0]
                cells.append(interval_cell(r["mean"], r.low, r.high))
            lines.append(f"| {loss:g} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["## The uncertain inputs", "", "| input | low | high | range from |",
              "|---|---|---|---|"]
    lines += [f"| `{name}` | {low:.4g} | {high:.4g} | {source} |"
              for name, (low, high, source) in UNCERTAIN.items()]
    (out / "summary.md").write_text("\n".join(lines) + "\n")

    fig, axes = plt.subplots(len(CONTRASTS), len(OUTCOMES),
                             figsize=(3.6 * len(OUTCOMES), 3.6 * len(CONTRASTS) + 0.8))
    for row, contrast in zip(axes, CONTRASTS, strict=True):
        for ax, (outcome, label) in zip(row, OUTCOMES.items(), strict=True):
            part = summary[(summary.contrast == contrast) & (summary.outcome == outcome)]
            def cells(column: str, part: pd.DataFrame = part) -> pd.DataFrame:
                return part.pivot(index="turbulence", columns="task_complexity",
                                  values=column).sort_index(ascending=False)

            grid, noise, base = cells("share_held"), cells("by_noise"), cells("base")
            # what the inputs take away: a share near 50 % says nothing where seed noise
            # alone would keep the sign about as often (a contrast near 0)
            image = ax.imshow((grid - noise).to_numpy(float), vmin=-0.5, vmax=0.5,
                              cmap="RdYlGn")
            for i, j in itertools.product(range(grid.shape[0]), range(grid.shape[1])):
                text = f"{base.iat[i, j]:+.2f}\n{grid.iat[i, j]:.0%} ({noise.iat[i, j]:.0%})"
                ax.text(j, i, text, ha="center", va="center", fontsize=7.5)
            ax.set_xticks(range(grid.shape[1]), [f"{c}" for c in grid.columns])
            ax.set_yticks(range(grid.shape[0]), [f"{t}" for t in grid.index])
            ax.set_xlabel("task complexity", fontsize=9)
            if ax is row[0]:
                ax.set_ylabel("turbulence", fontsize=9)
            ax.set_title(f"{contrast}\n{label}", fontsize=10)
    fig.colorbar(image, ax=axes, shrink=0.6,
                 label="share of the hypercube keeping the base's sign, minus the share "
                       "seed noise alone would keep")
    fig.suptitle("Robustness of each headline contrast (cell text: base contrast; share of "
                 "the hypercube keeping its sign (by seed noise alone); red: the uncertain "
                 "inputs turn it more often than noise would)", fontsize=11)
    fig.savefig(out / "robustness.png", dpi=130, bbox_inches="tight")
    plt.close(fig)
    return [f"robustness: {len(runs)} runs -> {out / 'summary.md'} (and summary.csv, "
            "variants.csv, hypercube.csv, form.csv, runs.csv, robustness.png)"]


def run(out: Path, design: Design, workers: int | None = None,
        dask: str | None = None) -> list[str]:
    """Run what is not yet in ``out/runs.csv``, saving as runs finish, and write the report."""
    runs = run_resumable(out, design, plan(design), _many, KEY, workers, dask,
                         same=_same)
    return write_report(runs, design, out)
