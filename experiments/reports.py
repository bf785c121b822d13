"""What an experiment found: a summary table with 95 % intervals, and figures (PNG) beside
the data. Each named experiment has its own figure; any other experiment gets the generic
summary, and Sobol or Morris designs get their sensitivity indices."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt  # no backend forced: notebooks draw inline, a terminal Agg
import numpy as np
import pandas as pd
from scipy import special

from experiments import designs
from experiments.spec import SCHEDULE, Experiment
from experiments.store import FINAL_PREFIX, Results
from experiments.style import policy_colour
from model.metrics import MODEL_OUTPUTS, OUTPUT_UNITS
from model.params import Parameters, close_match

KEY_OUTCOMES = {
    "tasks_completed": "tasks completed / step",
    "tasks_failed": "tasks failed / step",
    "mean_quality": "work quality",
    "sat_autonomy": "autonomy satisfaction",
    "frus_autonomy": "autonomy frustration",
    "autonomous_motivation": "autonomous motivation",
    "controlled_motivation": "controlled motivation",
    "rai": "relative autonomy index",
    "mean_vitality": "vitality",
    "mean_exhaustion": "exhaustion",
    "burnout_share": "share burnt out",
    "exits": "exits / step",
    "leaders_active": "people who led lately",
    "leadership_centralization": "leadership centralisation",
}

BINNED_FROM = 8
"""Design points of one colour from which a sampling design's figure draws a binned mean
of the final outcomes against a parameter (fewer: the dots alone)."""


def t_quantile(p: float, df: Any) -> Any:
    """Student's t quantile, ``scipy.stats.t.ppf(p, df)`` (the same function,
    ``scipy.special.stdtrit``, without scipy.stats: a second's import at the start of
    every sweep)."""
    return special.stdtrit(df, p)


def mean_ci(values: pd.Series, level: float = 0.95) -> tuple[float, float]:
    """Mean and half-width of its ``level`` confidence interval (Student's t)."""
    x = values.dropna().to_numpy(dtype=float)
    if len(x) == 0:
        return float("nan"), float("nan")
    if len(x) == 1:
        return float(x[0]), float("nan")
    half = t_quantile(0.5 + level / 2, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return float(x.mean()), float(half)


def summary_table(results: Results, by: list[str]) -> pd.DataFrame:
    """Final outcomes by design point: mean and 95 % half-width over replications."""
    if isinstance(by, str):
        by = [by]
    runs = results.finished()
    missing = [name for name in by if name not in runs]
    if missing:
        have = list(results.factors) or [c for c in runs if not c.startswith(FINAL_PREFIX)]
        raise ValueError(f"no run parameter {', '.join(map(repr, missing))}"
                         f"{close_match(missing[0], have)} to group by; this dataset's "
                         f"factors: {', '.join(have)}")
    groups = runs.groupby(by, sort=True) if by else [((), runs)]
    rows = []
    for key, group in groups:
        row = dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True))
        row["runs"] = len(group)
        for name in KEY_OUTCOMES:
            mean, half = mean_ci(group[FINAL_PREFIX + name])
            row[name] = mean
            row[f"{name}_ci95"] = half
        rows.append(row)
    return pd.DataFrame(rows)


DEFAULT_FIGURE_OUTCOMES = ("tasks_completed", "autonomous_motivation", "burnout_share",
                           "exits")


def _colour(key: Any, k: int) -> str:
    return policy_colour(key, k)


def outcome_range(outcome: str) -> tuple[float, float]:
    """The values an outcome can take, from its unit (``model.metrics.OUTPUT_UNITS``):
    intervals drawn for it are clipped to this range."""
    unit = OUTPUT_UNITS.get(outcome, ("", ""))[0]
    if unit.endswith("0-1") or unit == "0 or 1":
        return 0.0, 1.0
    if unit.startswith("index -3 to 3"):
        return -3.0, 3.0
    return 0.0, np.inf


def _round(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float | np.floating) else str(value)


def varied(experiment: dict[str, Any]) -> list[str]:
    """What varies between the design points of an experiment as a manifest records it:
    swept, crossed and, with ``schedules``, ``schedule`` (``Experiment.factors``)."""
    return [*experiment.get("swept", {}), *experiment.get("crossed", {}),
            *([SCHEDULE] if experiment.get("schedules") else [])]


def interventions_drawn(experiment: dict[str, Any]) -> list[tuple[int, str]]:
    """Each step at which some run is intervened on, with what happens then (and under
    which schedule), for the default figure's dashed lines and caption."""
    def said(changes: dict[str, Any]) -> str:
        return ", ".join(f"{k} = {_round(v)}" for k, v in changes.items())

    drawn = [(i["step"], said(i["set"])) for i in experiment.get("interventions", [])]
    for label, entries in experiment.get("schedules", {}).items():
        drawn += [(i["step"], f"{label}: {said(i['set'])}") for i in entries]
    return sorted(drawn, key=lambda d: d[0])


def colour_variable(experiment: dict[str, Any], runs: pd.DataFrame) -> str | None:
    """What the default figure colours by: the intervention schedule if several are
    crossed, else the policy if it varies, else the first varied parameter with at most
    six values, else nothing."""
    varied_here = varied(experiment)
    if SCHEDULE in varied_here and runs[SCHEDULE].nunique() > 1:
        return SCHEDULE
    if "policy" in varied_here and runs["policy"].nunique() > 1:
        return "policy"
    for name in varied_here:
        if runs[name].nunique() <= 6:
            return name
    return None


def default_figure(results: Results, path: Path,
                   outcomes: tuple[str, ...] = DEFAULT_FIGURE_OUTCOMES) -> Path:
    """The figure any dataset gets, small multiples: each outcome over time, one line per
    value of the colour variable (the policy if it varies), averaged over everything else;
    and per other varied parameter, the final outcome against it: for a grid the mean at
    each value, for a sampling design each design point's mean and a binned mean. Every
    interval is 95 % over runs, clipped to what the outcome can take; the caption says
    what each panel averages over. A dataset that kept only some outputs (``outputs = [...]``)
    gets those of ``outcomes`` it has, or else its first four."""
    experiment = results.manifest.get("experiment", {})
    kept = [c for c in results.timeseries.columns if c in set(MODEL_OUTPUTS)]
    outcomes = tuple(o for o in outcomes if o in kept) or tuple(kept[:4])
    if not outcomes:
        raise ValueError("the dataset kept no model output to draw")
    factors = varied(experiment)
    runs = results.finished()
    colour_by = colour_variable(experiment, runs)
    drawn = interventions_drawn(experiment)
    across = [p for p in factors if p != colour_by and pd.api.types.is_numeric_dtype(runs[p])]
    grid = experiment.get("design", "grid") == "grid"
    ts = results.with_parameters(*factors) if factors else results.timeseries
    groups = sorted(runs[colour_by].unique(), key=str) if colour_by else [None]
    columns = 1 + len(across)
    width = 3.9 if columns <= 4 else max(2.6, 18.0 / columns)  # a page, not a poster
    fig, axes = plt.subplots(len(outcomes), columns, squeeze=False,
                             figsize=(width * columns, 2.4 * len(outcomes) + 1.1),
                             layout="constrained")
    for i, outcome in enumerate(outcomes):
        low, high = outcome_range(outcome)
        label = KEY_OUTCOMES.get(outcome, outcome)
        for k, value in enumerate(groups):
            colour = _colour(value, k) if colour_by else "#333333"
            name = f"{colour_by} {_round(value)}" if colour_by else "all runs"
            part = ts[ts[colour_by] == value] if colour_by else ts
            per_run = part.groupby(["run_id", "step"])[outcome].mean().unstack("run_id")
            mean = per_run.mean(axis=1)
            half = _half_width(per_run)
            ax = axes[i][0]
            ax.plot(mean.index, mean.to_numpy(), color=colour, lw=1.4, label=name)
            ax.fill_between(mean.index, np.clip(mean - half, low, high),
                            np.clip(mean + half, low, high), color=colour, alpha=0.15, lw=0)
            here = runs[runs[colour_by] == value] if colour_by else runs
            for j, parameter in enumerate(across, 1):
                _final_against(axes[i][j], here, parameter, FINAL_PREFIX + outcome, colour,
                               grid, (low, high))
        axes[i][0].set_ylabel(label, fontsize=9)
        for step in sorted({step for step, _ in drawn}):
            axes[i][0].axvline(step, color="#555555", ls="--", lw=0.9)
        for j, parameter in enumerate(across, 1):
            if i == len(outcomes) - 1:
                axes[i][j].set_xlabel(parameter, fontsize=9)
            axes[i][j].grid(alpha=0.25)
        axes[i][0].grid(alpha=0.25)
    axes[0][0].set_title("over time", fontsize=10)
    for j, parameter in enumerate(across, 1):
        axes[0][j].set_title(f"final, against {parameter}", fontsize=10)
    axes[-1][0].set_xlabel("step (week)", fontsize=9)
    others = [p for p in factors if p != colour_by]
    averaged = ", ".join(others) if others else "nothing else (one point per colour)"
    changes = "; ".join(f"after step {step}: {what}" for step, what in drawn)
    caption = ("Over time: each line averages the runs of its colour over "
               f"{averaged}" + (f"; dashed: interventions ({changes})" if changes else "")
               + "." + ("" if not across else " Final (mean over the last quarter of a "
                        "run): " + ("the mean at each value, averaged over the other "
                                    "factors." if grid else "dots are design points (mean "
                                    "over their replications, without an interval), "
                                    "the line their mean in bins of the parameter (drawn "
                                    f"where a colour has at least {BINNED_FROM} points).")))
    caption = textwrap.fill(caption, width=max(60, int(17 * width * columns)))
    per_point = runs.groupby("point_id").size() if "point_id" in runs else pd.Series([len(runs)])
    each = (f"{per_point.min()}" if per_point.min() == per_point.max()
            else f"{per_point.min()}–{per_point.max()}")
    fig.suptitle(f"{experiment.get('name', results.root.name)}: means"
                 f"{' with 95 % intervals' if grid or not across else ''} of {len(runs)} "
                 f"runs, {each} a design point"
                 + ("" if grid or not across else " (intervals over time only)"), fontsize=11)
    handles, names = axes[0][0].get_legend_handles_labels()
    if colour_by:
        fig.legend(handles, names, loc="outside lower center", ncol=min(len(names), 6),
                   frameon=False, fontsize=9, title=caption, title_fontsize=8)
    else:
        fig.text(0.5, -0.01, caption, ha="center", va="top", fontsize=8)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path


def _half_width(per_run: pd.DataFrame) -> pd.Series:
    n = per_run.count(axis=1)
    sd = per_run.std(axis=1, ddof=1)
    return (t_quantile(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n)).fillna(0.0)


def _final_against(ax, runs: pd.DataFrame, parameter: str, column: str, colour: str,
                   grid: bool, bounds: tuple[float, float]) -> None:
    """The final outcome against one parameter, in one colour."""
    if grid:
        at = runs.groupby(parameter)[column].apply(mean_ci)
        mean = at.str[0]
        half = at.str[1].fillna(0.0)
        lower = np.clip(mean - half, *bounds)
        upper = np.clip(mean + half, *bounds)
        ax.errorbar(mean.index, mean, yerr=[mean - lower, upper - mean], fmt="o-", ms=4,
                    capsize=2, color=colour, lw=1.2)
        return
    points = runs.groupby("point_id")[[parameter, column]].mean().sort_values(parameter)
    ax.scatter(points[parameter], points[column], s=10, color=colour, alpha=0.6, lw=0)
    if len(points) >= BINNED_FROM:
        bins = pd.qcut(points[parameter], q=min(6, len(points) // 4), duplicates="drop")
        binned = points.groupby(bins, observed=True).mean()
        ax.plot(binned[parameter], binned[column], color=colour, lw=1.4)


def markdown(table: pd.DataFrame, digits: int = 3) -> str:
    cols = list(table.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in table.itertuples(index=False):  # (each column's own type: an id stays whole)
        cells = [str(int(v)) if isinstance(v, float) and c == "runs" and float(v).is_integer()
                 else f"{v:.{digits}f}" if isinstance(v, float) else str(v)
                 for c, v in zip(cols, row, strict=True)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(results: Results, experiment: Experiment) -> list[str]:
    """Write summary and figures into the result directory; return lines to print."""
    from experiments.simulate import start_said

    out = results.root
    if results.finished().empty:
        return ["no finished runs to report on"]
    names = experiment.factors
    by = names if experiment.design == "grid" else ["point_id", *names]
    table = summary_table(results, by)
    table.to_csv(out / "summary.csv", index=False)
    shown = table[[*by, "runs", *KEY_OUTCOMES]]
    text = (f"# {experiment.name}\n\n{experiment.description}\n\nFinal outcomes by design "
            f"point (mean over the last quarter of each run, {start_said(experiment.warm_up)}), "
            "averaged over replications; "
            "95 % intervals in summary.csv.\n\n" + markdown(shown) + "\n")
    crossed = [n for n in names if n not in experiment.swept]
    if experiment.design != "grid" and crossed:
        pooled = summary_table(results, crossed)
        pooled.to_csv(out / "summary_pooled.csv", index=False)
        points = results.finished().point_id.nunique() // max(1, len(pooled))
        text += (f"\n## Pooled over the design's {points} sample points, per "
                 f"{', '.join(crossed)}\n\nEach row averages every run of every "
                 "sample point under that value (the sample points are the same for each "
                 "value, on the same seeds); summary_pooled.csv has the intervals.\n\n"
                 + markdown(pooled[[*crossed, "runs", *KEY_OUTCOMES]]) + "\n")
    (out / "summary.md").write_text(text)
    lines = [f"{experiment.name}: {experiment.description}"]
    figure = FIGURES.get(experiment.name)
    if figure is not None:
        lines += _never_fails(figure, results, experiment, out)
    else:  # any other experiment gets the default figure (named in the last line)
        lines += _never_fails(plot, results, experiment, out)
        lines += _never_fails(policy_contrasts, results, experiment, out)
    if experiment.design in ("sobol", "morris"):
        lines += _never_fails(sensitivity, results, experiment, out)
    tables = ", ".join(sorted(p.name for p in out.glob("*.csv")))
    lines.append(f"summary: {out / 'summary.md'} (and {tables}); "
                 f"figures: {', '.join(p.name for p in sorted(out.glob('*.png'))) or 'none'}")
    return lines


def plot(results: Results, experiment: Experiment, out: Path) -> list[str]:
    """The default figure, ``plot.png`` (named in the report's last line)."""
    default_figure(results, out / "plot.png")
    return []


def _never_fails(draw, results: Results, experiment: Experiment, out: Path) -> list[str]:
    """A figure or table that cannot be made for this dataset (a combination it needs is
    missing) is reported in a line; it never fails a sweep whose runs all finished."""
    try:
        return draw(results, experiment, out)
    except (KeyError, ValueError, IndexError) as error:
        plt.close("all")
        return [f"{draw.__name__}: not made for this dataset ({type(error).__name__}: "
                f"{error}); the summary table has every design point"]


# ------------------------------------------------------------------------ named figures
def _by_policy_lines(ax, table, x, outcome):
    low, high = outcome_range(outcome)  # (a share's interval stays inside [0, 1])
    for k, (policy, group) in enumerate(table.groupby("policy")):
        group = group.sort_values(x)
        mean, half = group[outcome], group[f"{outcome}_ci95"].fillna(0.0)
        lower, upper = np.clip(mean - half, low, high), np.clip(mean + half, low, high)
        ax.errorbar(group[x], mean, yerr=[mean - lower, upper - mean], marker="o",
                    capsize=3, label=policy, color=_colour(policy, k))


def heroic_vs_distributed(results: Results, experiment: Experiment, out: Path) -> list[str]:
    table = summary_table(results, ["policy", "turbulence", "task_complexity"])
    complexities = sorted(table.task_complexity.unique())
    outcomes = ["tasks_completed", "autonomous_motivation", "sat_autonomy", "burnout_share",
                "exits"]
    fig, axes = plt.subplots(len(outcomes), len(complexities), squeeze=False,
                             figsize=(3.6 * len(complexities), 2.6 * len(outcomes)),
                             sharex=True, sharey="row")
    for j, c in enumerate(complexities):
        for i, outcome in enumerate(outcomes):
            ax = axes[i][j]
            _by_policy_lines(ax, table[table.task_complexity == c], "turbulence", outcome)
            if i == 0:
                ax.set_title(f"task complexity {c}")
            if j == 0:
                ax.set_ylabel(KEY_OUTCOMES[outcome])
            if i == len(outcomes) - 1:
                ax.set_xlabel("turbulence")
                ax.set_xticks(sorted(table.turbulence.unique()))  # the design's levels
    axes[0][0].legend()
    fig.suptitle("Heroic vs distributed leadership: each policy's mean, 95 % CI over its "
                 "replications\n(the contrast, paired by seed where the runs pair: "
                 "differences.csv)")
    fig.tight_layout()
    fig.savefig(out / "heroic_vs_distributed.png", dpi=120)
    plt.close(fig)

    missing = {"heroic", "distributed"} - set(table.policy)
    if missing:
        return [f"no heroic against distributed comparison: this dataset has no "
                f"{' or '.join(sorted(missing))} runs that finished"]
    return write_contrasts(results, out, ["task_complexity", "turbulence"], "heroic",
                           ["distributed"], labels={"task_complexity": "complexity"})


CONTRAST_OUTCOMES = ("tasks_completed", "autonomous_motivation", "burnout_share", "exits")
"""The outcomes a sweep that crosses policies contrasts (``differences.csv``)."""
PRINTED_CONTRASTS = {"tasks_completed": ("tasks/step", 2),
                     "autonomous_motivation": ("autonomous motivation", 3)}
"""Those of them printed: the column's heading and the decimals shown."""


def policy_contrasts(results: Results, experiment: Experiment, out: Path) -> list[str]:
    """A sweep that crosses ``policy`` (``[crossed] policy = [...]``, two or more): each
    policy minus the first listed, per cell of the grid's other factors (a sampling design:
    pooled over its sample points, per crossed value or schedule), paired by seed
    (``policy_differences``): ``differences.csv``, a section of ``summary.md`` and printed
    lines."""
    policies = [p for p in experiment.crossed.get("policy", [])
                if p in set(results.finished().policy)]
    if len(policies) < 2:
        return []
    grid = experiment.design == "grid"
    cells = [f for f in experiment.factors if f != "policy" and (grid or f not in experiment.swept)]
    return write_contrasts(results, out, cells, policies[0], policies[1:])


def write_contrasts(results: Results, out: Path, cells: list[str], reference: str,
                    others: list[str], labels: dict[str, str] | None = None) -> list[str]:
    """Each of ``others`` minus ``reference`` on ``CONTRAST_OUTCOMES`` per cell
    (``policy_differences``): written to ``differences.csv`` (a ``contrast`` column names
    each) and ``summary.md``; returns the lines that print tasks completed and autonomous
    motivation per cell, ``labels`` naming the cells' columns."""
    runs = results.finished()
    outcomes = [o for o in CONTRAST_OUTCOMES if FINAL_PREFIX + o in runs]
    if not outcomes:
        return []
    printed = [o for o in PRINTED_CONTRASTS if o in outcomes]
    labels = labels or {}
    widths = [max(10, len(labels.get(c, c))) for c in cells]
    frames, lines = [], []
    for policy in others:
        differences = policy_differences(runs, cells, policy, reference, outcomes)
        frames.append(differences.assign(contrast=f"{policy} - {reference}"))
        paired = bool(differences.paired.all())
        how = "paired by seed: the same markets" if paired else "not paired: Welch intervals"
        pooled = "" if cells else "; pooled over the design points"
        with open(out / "summary.md", "a") as summary:
            summary.write(f"\n## {policy.capitalize()} minus {reference}\n\nMean difference "
                          f"over the replications, with its 95 % interval ({how} under both "
                          f"policies{pooled}; differences.csv).\n\n{markdown(differences)}\n")
        heads = [labels.get(c, c).rjust(w) for c, w in zip(cells, widths, strict=True)]
        heads += [PRINTED_CONTRASTS[o][0].ljust(3 * PRINTED_CONTRASTS[o][1] + 14)
                  for o in printed]
        lines += [f"{policy} minus {reference}, mean [95 % interval] ({how}{pooled}):",
                  ("  " + "  ".join(heads)).rstrip()]
        for key, cell in (differences.groupby(cells, sort=True) if cells
                          else [((), differences)]):
            key = key if isinstance(key, tuple) else (key,)
            row = cell.set_index("outcome")
            parts = [f"{v:{w}.2f}" if isinstance(v, float) else f"{v!s:>{w}}"
                     for v, w in zip(key, widths, strict=True)]
            for outcome in printed:
                d, r = PRINTED_CONTRASTS[outcome][1], row.loc[outcome]
                parts.append(contrast_cell(r["mean"], r.low, r.high, d).ljust(3 * d + 14))
            lines.append(("  " + "  ".join(parts)).rstrip())
    pd.concat(frames, ignore_index=True).to_csv(out / "differences.csv", index=False)
    return lines


def contrast_cell(mean: float, low: float, high: float, digits: int) -> str:
    """``+0.12 [-0.03, +0.27]``: a mean difference and its 95 % interval as printed; ``[no
    interval]`` where there is none (one replication), ``undefined`` for no mean."""
    if not np.isfinite(mean):
        return "undefined"
    bounds = (f"[{low:+.{digits}f}, {high:+.{digits}f}]"
              if np.isfinite(low) and np.isfinite(high) else "[no interval]")
    return f"{mean:+.{digits}f} {bounds}"


def policy_differences(runs: pd.DataFrame, cells: list[str], a: str, b: str,
                       outcomes: list[str]) -> pd.DataFrame:
    """Policy ``a`` minus policy ``b`` on each final outcome, per cell (``cells``: the
    columns that make one), with its 95 % interval. Where every run of a cell has its
    twin under the other policy on the same seed (``[crossed] policy``: common random
    numbers), the mean and t interval of the paired differences; otherwise the difference
    of the means with a Welch interval. A pair is one seed at one setting of the other
    parameters that vary (those not in ``cells``): a Sobol' or Morris design runs every
    point of a replication on one seed. ``outcomes`` are named as the model names them
    (``tasks_completed``, not ``final_tasks_completed``); ``runs`` is a runs table
    (``load_results(...).finished()``). ``cells=[]``: one contrast over every run, the
    policy contrast of a sampling design (a Latin hypercube, Sobol' or Morris sweep with
    ``[crossed] policy``) pooled over its points."""
    if not isinstance(runs, pd.DataFrame):
        raise TypeError(f"runs={type(runs).__name__}: give the runs table, "
                        "load_results(...).finished(), not the loaded dataset itself")
    if isinstance(outcomes, str):
        outcomes = [outcomes]
    if isinstance(cells, str):
        raise ValueError(f"cells={cells!r}: give a list of the columns that make a cell, "
                         f"e.g. [{cells!r}] or ['task_complexity', 'turbulence'] ([] for "
                         "one contrast over every run)")
    cells = list(cells)
    settings = {*Parameters.__dataclass_fields__, SCHEDULE}
    factors = [c for c in runs.columns if c in settings and runs[c].astype(str).nunique() > 1]
    missing = [c for c in (*cells, "policy", "seed_spawn_key") if c not in runs]
    if missing:
        raise ValueError(f"the runs table has no column {', '.join(map(repr, missing))}"
                         f"{close_match(missing[0], list(runs.columns))}; give a runs table "
                         "(load_results(...).finished()) and cells among its parameter "
                         f"columns; those that vary across its runs: "
                         f"{', '.join(factors) or 'none'}")
    pair = ["seed_spawn_key", *(c for c in factors if c not in ("policy", *cells))]
    policies = sorted(runs.policy.unique())
    for policy in (a, b):
        if policy not in policies:
            raise ValueError(f"no runs under policy {policy!r}; this table has {policies}")
    for outcome in outcomes:
        if FINAL_PREFIX + outcome not in runs:
            hint = (f" (name it {outcome.removeprefix(FINAL_PREFIX)!r}, without the prefix)"
                    if outcome.startswith(FINAL_PREFIX) else "")
            have = sorted(c.removeprefix(FINAL_PREFIX) for c in runs
                          if c.startswith(FINAL_PREFIX))
            raise ValueError(f"no outcome {outcome!r}{close_match(outcome, have)} in the "
                             f"runs table{hint}; its "
                             f"outcomes: {', '.join(have)}")
    rows = []
    for key, cell in runs.groupby(cells, sort=True) if cells else [((), runs)]:
        seeds = {policy: group.set_index(pair)
                 for policy, group in cell.groupby("policy")}
        left, right = seeds.get(a), seeds.get(b)
        if left is None or right is None:
            continue
        paired = (left.index.is_unique and right.index.is_unique
                  and set(left.index) == set(right.index))
        for outcome in outcomes:
            column = FINAL_PREFIX + outcome
            if paired:
                mean, half = mean_ci(left[column] - right[column].reindex(left.index))
            else:
                mean, half = _welch(left[column], right[column])
            rows.append({**dict(zip(cells, key, strict=True)), "outcome": outcome,
                         "mean": mean, "low": mean - half, "high": mean + half,
                         "runs": len(left), "paired": paired})
    return pd.DataFrame(rows)


def _welch(x: pd.Series, y: pd.Series, level: float = 0.95) -> tuple[float, float]:
    """Difference of means and the half-width of its Welch interval (NaN with fewer than
    two runs on a side)."""
    x, y = x.dropna().to_numpy(float), y.dropna().to_numpy(float)
    if len(x) < 2 or len(y) < 2:
        return (float(x.mean() - y.mean()) if len(x) and len(y) else float("nan"),
                float("nan"))
    vx, vy = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    se = np.sqrt(vx + vy)
    df = (vx + vy) ** 2 / (vx ** 2 / (len(x) - 1) + vy ** 2 / (len(y) - 1)) if se > 0 else 1
    return float(x.mean() - y.mean()), float(t_quantile(0.5 + level / 2, df) * se)


def _timeseries_by_policy(results, experiment, out, name, outcomes, title, marker=None):
    """Each outcome over time by policy: the mean over runs (5-step rolling) with its 95 %
    interval over runs as a band."""
    ts = results.with_parameters("policy")
    by = ts.groupby(["policy", "step"])[outcomes]
    mean, sd, n = by.mean(), by.std(ddof=1), by.count()
    half = sd * t_quantile(0.975, np.maximum(n - 1, 1)) / np.sqrt(n)
    fig, axes = plt.subplots(len(outcomes), 1, figsize=(7.5, 2.3 * len(outcomes)), sharex=True)
    for ax, outcome in zip(np.atleast_1d(axes), outcomes, strict=True):
        for k, (policy, series) in enumerate(mean[outcome].groupby(level=0)):
            values = series.droplevel(0).rolling(5, min_periods=1).mean()
            band = half[outcome].loc[policy].rolling(5, min_periods=1).mean()
            colour = _colour(policy, k)
            ax.plot(values.index, values, label=policy, color=colour, lw=1.4)
            ax.fill_between(values.index, values - band, values + band, color=colour,
                            alpha=0.18, lw=0)
        if marker is not None:
            ax.axvline(marker, color="k", linestyle=":", linewidth=1)
        ax.set_ylabel(KEY_OUTCOMES.get(outcome, outcome), fontsize=9)
    np.atleast_1d(axes)[0].legend(fontsize=8, frameon=False)
    np.atleast_1d(axes)[-1].set_xlabel("step (week); 5-step rolling mean over runs, band: "
                                       "95 % interval")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(out / f"{name}.png", dpi=120)
    plt.close(fig)
    return mean


def leader_departure(results: Results, experiment: Experiment, out: Path) -> list[str]:
    step = int(results.runs.leader_departure_step.dropna().iloc[0])
    outcomes = ["tasks_completed", "backlog", "autonomous_motivation", "exits"]
    mean = _timeseries_by_policy(results, experiment, out, "leader_departure", outcomes,
                                 f"The leader leaves at step {step}", marker=step)
    lines = [f"before (steps {step - 20}..{step - 1}) -> after (steps {step}..{step + 19}):"]
    for policy in mean.index.get_level_values(0).unique():
        m = mean.loc[policy]
        before, after = m.loc[step - 20:step - 1].mean(), m.loc[step:step + 19].mean()
        lines.append(f"  {policy:12s} throughput {before.tasks_completed:.2f} -> "
                     f"{after.tasks_completed:.2f}, backlog {before.backlog:.1f} -> "
                     f"{after.backlog:.1f}, exits {before.exits:.2f} -> {after.exits:.2f}")
    return lines


REGULATION_WORDS = {"intrinsic": "intrinsic motivation", "identified": "identified regulation",
                    "introjected": "introjected regulation",
                    "external": "external regulation", "rai": "relative autonomy index"}


def autonomy_support(results: Results, experiment: Experiment, out: Path) -> list[str]:
    table = summary_table(results, ["leader_autonomy_support", "contingent_rewards"])
    runs = results.finished()
    names = ["intrinsic", "identified", "introjected", "external", "rai"]
    fig, axes = plt.subplots(2, 3, figsize=(11, 6.4), sharex=True)
    for k, (ax, name) in enumerate(zip(axes.flat, names, strict=False)):
        for j, (rewards, group) in enumerate(runs.groupby("contingent_rewards")):
            stats_ = group.groupby("leader_autonomy_support")[FINAL_PREFIX + name].apply(
                lambda v: pd.Series(mean_ci(v), index=["mean", "half"])).unstack()
            ax.errorbar(stats_.index, stats_["mean"], yerr=stats_["half"], marker="o",
                        capsize=3, color=f"C{j}", label=f"contingent rewards {rewards:g}")
        ax.set_title(REGULATION_WORDS[name], fontsize=10)
        ax.set_ylabel("final mean" if name != "rai" else "final mean (−3 … +3)")
        if k >= 2:
            ax.set_xlabel("leader's autonomy support")
    axes.flat[-1].axis("off")
    axes.flat[0].legend(fontsize=8, frameon=False)
    fig.suptitle("Motivation by the leader's style (0 controlling, 1 autonomy-supportive), "
                 "with and without pay tied to output\n(final means, 95 % intervals over runs)",
                 fontsize=11)
    fig.tight_layout()
    fig.savefig(out / "autonomy_support.png", dpi=120)
    plt.close(fig)
    lines = ["mean rai by leader style (no rewards -> with rewards):"]
    for las, group in table.groupby("leader_autonomy_support"):
        rai = group.set_index("contingent_rewards").rai
        lines.append(f"  style {las:.2f}: " + ", ".join(f"{v:+.2f}" for v in rai.values))
    return lines


FIGURES: dict[str, Callable[[Results, Experiment, Path], list[str]]] = {
    "heroic_vs_distributed": heroic_vs_distributed,
    "leader_departure": leader_departure,
    "autonomy_support": autonomy_support,
}


# ------------------------------------------------------------------------ sensitivity
SENSITIVITY_OUTCOMES = ["tasks_completed", "autonomous_motivation", "exits", "leaders_active"]


def sensitivity(results: Results, experiment: Experiment, out: Path) -> list[str]:
    """Sobol' (Saltelli 2002; Jansen 1999) or Morris (1991) indices of the main outcomes,
    on the mean over replications of each design point; with ``[crossed]`` values or
    ``[schedules]``, for each of their combinations on its own (each is a whole sample of
    the design: pooled, they would not be)."""
    problem = designs.salib_problem(experiment)
    runs = results.runs
    if (runs.status != "ok").any():
        return ["sensitivity indices skipped: some runs failed (every point is needed)"]
    by = [*experiment.crossed, *([SCHEDULE] if experiment.schedules else [])]
    parts = []  # (what the combination is, in words; its indices)
    for key, group in (runs.groupby(by, sort=False) if by else [((), runs)]):
        label = dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True))
        per_point = (group.groupby("point_id")[[FINAL_PREFIX + o for o in SENSITIVITY_OUTCOMES]]
                     .mean().sort_index())  # a crossed value's points: the sample, in order
        where = ", ".join(f"{k} {v}" for k, v in label.items())
        parts.append((where, pd.DataFrame([{**label, **row} for row
                                           in _indices(problem, experiment, per_point)])))
    table = pd.concat([part for _, part in parts], ignore_index=True)
    table.to_csv(out / f"{experiment.design}_indices.csv", index=False)
    value = "ST" if experiment.design == "sobol" else "mu_star"
    fig, axes = plt.subplots(len(parts), len(SENSITIVITY_OUTCOMES),
                             figsize=(4 * len(SENSITIVITY_OUTCOMES), 3.5 * len(parts)),
                             sharey=True, squeeze=False)
    for row_axes, (where, mine) in zip(axes, parts, strict=True):
        for ax, outcome in zip(row_axes, SENSITIVITY_OUTCOMES, strict=True):
            t = mine[mine.outcome == outcome]
            y = np.arange(len(t))
            if value == "ST":
                ax.barh(y - 0.2, t.S1, height=0.4, xerr=t.S1_conf, label="first order S1")
                ax.barh(y + 0.2, t.ST, height=0.4, xerr=t.ST_conf, label="total ST")
            else:
                ax.barh(y, t.mu_star, xerr=t.mu_star_conf, label="mu*")
            ax.set_yticks(y, t.parameter)
            ax.set_title(KEY_OUTCOMES.get(outcome, outcome) + (f" ({where})" if where else ""),
                         fontsize=9)
            ax.set_xlabel("Sobol' index (share of variance)" if value == "ST"
                          else "μ* (mean absolute elementary effect)")
            ax.axvline(0, color="#555", lw=0.7)
    axes[0][0].legend(fontsize=7)
    spans_zero = (value == "ST" and bool(((table.S1 - table.S1_conf) < 0).any()))
    n_base = experiment.size
    few = value == "mu_star" and n_base < designs.MORRIS_FEW_TRAJECTORIES
    points = len(runs.point_id.unique()) // len(parts)
    fig.suptitle(f"{'Sobol' if value == 'ST' else 'Morris'} indices, N = {n_base} "
                 f"({points} design points{' each' if by else ''}); bars: 95 % intervals"
                 + ("; some intervals span 0: more samples needed" if spans_zero else "")
                 + (f"; {n_base} trajectories: a ranking at most" if few else ""),
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(out / f"{experiment.design}_indices.png", dpi=120)
    plt.close(fig)
    lines = [f"most influential parameter by {value}"
             + (f", for each {' and '.join(by)}:" if by else ":")]
    if spans_zero:
        lines.append(f"  warning: with N = {n_base}, some first-order intervals span 0 (or "
                     "indices leave [0, 1]): read them as a ranking at most, or raise "
                     "design.size")
    if few:
        lines.append(f"  warning: with N = {n_base} trajectories, each parameter's μ* and σ "
                     f"rest on {n_base} elementary effects (10 to 20 is usual): read them as "
                     "a ranking at most, or raise design.size")
    for where, mine in parts:
        for outcome in SENSITIVITY_OUTCOMES:
            t = mine[mine.outcome == outcome].sort_values(value, ascending=False).iloc[0]
            named = (f"{t.parameter} ({value} {t[value]:.2f})" if t[value] > 0 else
                     f"none (every {value} is 0: the outcome did not vary across the design)")
            lines.append(f"  {(where + ': ') if where else ''}{outcome:24s} {named}")
    return lines


def _indices(problem: dict[str, Any], experiment: Experiment,
             per_point: pd.DataFrame) -> list[dict[str, Any]]:
    """Sobol' or Morris indices of each main outcome over one whole sample of the design
    (``per_point``: the mean over replications of each of its points, in sample order)."""
    rows = []
    for outcome in SENSITIVITY_OUTCOMES:
        y = per_point[FINAL_PREFIX + outcome].to_numpy()
        if np.isfinite(y).all() and np.ptp(y) == 0:  # the same everywhere: nothing to
            # apportion (SALib would divide 0 by 0)
            zero = ({"S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0}
                    if experiment.design == "sobol"
                    else {"mu_star": 0.0, "mu_star_conf": 0.0, "sigma": 0.0})
            rows += [{"outcome": outcome, "parameter": name, **zero}
                     for name in problem["names"]]
            continue
        if experiment.design == "sobol":
            from SALib.analyze import sobol

            si = sobol.analyze(problem, y, calc_second_order=False, seed=experiment.seed)
            for k, name in enumerate(problem["names"]):
                rows.append({"outcome": outcome, "parameter": name, "S1": si["S1"][k],
                             "S1_conf": si["S1_conf"][k], "ST": si["ST"][k],
                             "ST_conf": si["ST_conf"][k]})
        else:
            from SALib.analyze import morris

            x = designs.unit_sample(experiment)
            si = morris.analyze(problem, x, y, num_levels=designs.MORRIS_LEVELS,
                                seed=experiment.seed)
            for k, name in enumerate(problem["names"]):
                rows.append({"outcome": outcome, "parameter": name, "mu_star": si["mu_star"][k],
                             "mu_star_conf": si["mu_star_conf"][k], "sigma": si["sigma"][k]})
    return rows
