"""Fostering independence over time, with each of its three steps taken away, where it
settles, and whether stepping back has a cliff
(``python -m experiments run fostering_transition``).

Conditions on the same seeds (hence the same market; where the problem rate differs, only
the problems do: each kind of arrival has its own stream): heroic, distributed, fostering with
all three steps, and fostering without surfacing (``surface_issues``), without addressing
problems first (``address_problems``) and without building protocols
(``build_protocols``); and fostering with and without addressing where problems arrive
twice and four times as fast (the leader must then choose between problems and due
work). Reported over time (mean over runs, 95 % interval band): who leads, rights held,
who staffs task starts, hidden and open problems, autonomous motivation and exhaustion;
per window, each step's
paired effect on what it governs and on the hand-over (rights held, centralisation, the
leader's share of staffing), and whether fostering passes through a phase worse than both
pure policies.

Two more studies share the seeds. **The endpoint**: fostering at handover bars
(``delegation_bar``) 0.6, 0.7 and 0.8 in seven organisations (defaults, a controlling and a
supportive leader, a turbulent market, complex work, problems twice and half as
frequent), read over the last third of the run (weeks 200-300 at the default length),
with its trend, so that what sets the level (the bar or the organisation) can be seen;
and protocol coverage at week 100 compared, paired by seed, between a supportive and a
controlling leader and between problems half and twice as frequent (protocols are
built, not ticked). **Stepping back**:
``step_back_window`` 0, 1, 4, 8 and 12 against the default 2, tasks completed paired by
seed (no cliff: each within 20 % of the default's).

Where problems go: for the pure policies and fostering with and without addressing, the
share of problems leaving by each route (the formal leader, people of the team with the
right to decide, obsolete, worked around) and how often the formal leader's queue
overflows its budget (only then can the order of its queue change what it does).

Writes ``summary.md``, ``summary.csv`` (window means with intervals), ``effects.csv``
(the paired effects), ``against.csv`` (fostering minus each pure policy, paired by
seed), ``endpoint.csv``, ``problem_routes.csv``, ``step_back.csv``,
``timeseries.csv`` (mean per
condition and step) and ``fostering_transition.png`` into ``results/fostering_transition/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from experiments.mechanisms import interval, interval_cell
from experiments.simulate import map_in_batches, run_batch, same_condition

CONDITIONS: dict[str, dict[str, Any]] = {
    "heroic": {"policy": "heroic"},
    "distributed": {"policy": "distributed"},
    "fostering": {"policy": "fostering"},
    "fostering, no surfacing": {"policy": "fostering", "surface_issues": False},
    "fostering, no addressing": {"policy": "fostering", "address_problems": False},
    "fostering, no protocols": {"policy": "fostering", "build_protocols": False},
    "fostering, problems x2": {"policy": "fostering", "problem_rate": 0.3},
    "fostering, no addressing, problems x2": {"policy": "fostering", "problem_rate": 0.3,
                                               "address_problems": False},
    "fostering, problems x4": {"policy": "fostering", "problem_rate": 0.6},
    "fostering, no addressing, problems x4": {"policy": "fostering", "problem_rate": 0.6,
                                               "address_problems": False},
    "fostering, delegating outright": {"policy": "fostering", "delegate_tasks": True},
}
"""Each condition of the core comparison and the parameters that make it. Four repeat the
addressing comparison where problems arrive twice and four times as fast as at the
defaults (the leader must choose between problems and due work); the last adds a variant
of stepping back, delegating tasks outright (``delegate_tasks``)."""

CORE = list(CONDITIONS)

BARS = (0.6, 0.7, 0.8)
"""The handover bars of the endpoint study (``delegation_bar``; 0.8 is the default)."""

ORGANISATIONS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "controlling leader (style .2)": {"leader_autonomy_support": 0.2},
    "supportive leader (style .8)": {"leader_autonomy_support": 0.8},
    "turbulent market (.9)": {"turbulence": 0.9},
    "complex work (.8)": {"task_complexity": 0.8},
    "problems x2": {"problem_rate": 0.3},
    "problems x0.5": {"problem_rate": 0.075},
}
"""The organisations of the endpoint study: where fostering settles for each bar, and
whether the organisation or the bar sets the level."""

for _organisation, _params in ORGANISATIONS.items():
    for _bar in BARS:
        _name = f"endpoint: {_organisation}, bar {_bar}"
        CONDITIONS[_name] = {"policy": "fostering", "delegation_bar": _bar, **_params}

STEP_BACK_WINDOWS = (0, 1, 4, 8, 12)
"""The ``step_back_window`` values compared with the default (2): no cliff."""

for _window in STEP_BACK_WINDOWS:
    CONDITIONS[f"step back {_window}"] = {"policy": "fostering", "step_back_window": _window}

SHOWN = CORE[:6]
"""The conditions the figure draws (the policies and fostering with each step taken away)."""

HANDOVER = ["rights_held", "leadership_centralization", "leader_staffed_share"]
"""What the hand-over is measured by: every step's effect is reported on each."""

STEPS_TAKEN_AWAY: dict[str, tuple[str, str, str, list[str]]] = {
    "fostering, no surfacing": ("no surfacing", "fostering",
                                "surveys bring hidden problems and strengths into the open",
                                ["hidden_problems", "open_problems", *HANDOVER]),
    "fostering, no addressing": ("no addressing", "fostering",
                                 "known problems first in the leader's queue",
                                 ["mean_problem_age", "open_problems", "identified",
                                  *HANDOVER]),
    "fostering, no addressing, problems x2": (
        "no addressing (problems x2)", "fostering, problems x2",
        "the same, problems arriving twice as fast",
        ["mean_problem_age", "open_problems", "identified", *HANDOVER]),
    "fostering, no addressing, problems x4": (
        "no addressing (problems x4)", "fostering, problems x4",
        "the same, problems arriving four times as fast",
        ["mean_problem_age", "open_problems", "identified", *HANDOVER]),
    "fostering, no protocols": ("no protocols", "fostering",
                                "protocols, which make handing over less risky",
                                HANDOVER),
    "fostering, delegating outright": (
        "delegating outright (added)", "fostering",
        "the leader delegates each task it decides on to a free rights holder it believes "
        "equipped (with it minus without)",
        [*HANDOVER, "tasks_completed", "mean_exhaustion"]),
}
"""Each step taken away: its label, the condition it is compared with (paired by seed),
what it is, and the outcomes its absence should move."""

OUTCOMES: dict[str, str] = {
    "leadership_centralization": "leadership centralisation",
    "leaders_active": "people leading",
    "rights_held": "share holding decision rights",
    "leader_staffed_share": "share of task starts the leader staffs",
    "hidden_problems": "hidden problems",
    "open_problems": "open problems",
    "mean_problem_age": "mean age of open problems (weeks)",
    "identified": "identified regulation",
    "autonomous_motivation": "autonomous motivation",
    "mean_exhaustion": "exhaustion",
    "value_completed": "value completed / step",
    "tasks_completed": "tasks completed / step",
    "protocol_coverage": "protocol coverage",
}
"""Every outcome the study follows; the figure draws the first eight and exhaustion."""

ROUTES: dict[str, str] = {
    "problems_solved_by_leader": "the formal leader",
    "problems_solved_locally": "people of the team with the right to decide",
    "problems_obsolete": "obsolete",
    "problems_worked_around": "worked around",
}
"""The routes by which problems leave (``model.state.ProblemLog.ROUTES``), read for the
table of where problems go."""

COLLECTED = [*OUTCOMES, *ROUTES, "leader_load", "formal_leader_present"]
"""Every output the study keeps from each run."""

ROUTE_CONDITIONS = ("heroic", "distributed", "fostering", "fostering, no addressing",
                    "fostering, problems x4", "fostering, no addressing, problems x4")
"""The conditions whose problems' routes the report tabulates."""

FIGURE = ["leadership_centralization", "leaders_active", "rights_held",
          "leader_staffed_share", "hidden_problems", "open_problems",
          "autonomous_motivation", "mean_exhaustion"]

WORSE = {"value_completed": -1, "autonomous_motivation": -1, "mean_exhaustion": +1}
"""Outcomes for the "worse than both ends" check, and which direction is worse."""


@dataclass(frozen=True)
class Design:
    """How much to simulate: the full study by default, small for tests."""

    replications: int = 20
    steps: int = 300
    seed: int = 20261202
    employees: int = 100

    @property
    def windows(self) -> list[tuple[int, int]]:
        """Early (the heroic start), transition, late: [start, end) in steps."""
        a, b = max(1, self.steps // 12), max(2, self.steps // 3)
        return [(1, a), (a, b), (b, self.steps + 1)]

    @property
    def endpoint(self) -> tuple[int, int]:
        """The last third, over which where fostering settles is read: [start, end)."""
        return max(1, 2 * self.steps // 3), self.steps + 1


def _many(tasks: list[tuple[dict[str, Any], int, int, str]]) -> list[pd.DataFrame]:
    """Runs alike but in what a batch keeps apart (``model.batch.VARYING``: the
    replications of a condition, conditions of another climate), run together: each run's
    time series."""
    steps = tasks[0][2]
    results = run_batch([task[0] for task in tasks],
                        rngs=[np.random.SeedSequence(task[1]) for task in tasks],
                        steps=steps)
    frames = []
    for (_, seed, _, condition), result in zip(tasks, results, strict=True):
        frame = result.timeseries[COLLECTED].iloc[1:].copy()
        frame.insert(0, "step", np.arange(1, len(frame) + 1))
        frame.insert(0, "seed", seed)
        frame.insert(0, "condition", condition)
        frames.append(frame)
    return frames


def plan(design: Design) -> list[tuple[dict[str, Any], int, int, str]]:
    """Every run: condition × seed (the seeds shared across conditions)."""
    seeds = [design.seed + k for k in range(design.replications)]
    return [({"n_employees": design.employees, **params}, seed, design.steps, name)
            for name, params in CONDITIONS.items() for seed in seeds]


def window_means(runs: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Per condition, window and seed: the mean of each outcome over the window's steps."""
    frames = []
    for start, end in design.windows:
        part = runs[(runs.step >= start) & (runs.step < end)]
        means = part.groupby(["condition", "seed"])[list(OUTCOMES)].mean().reset_index()
        means.insert(1, "window", f"{start}-{end - 1}")
        frames.append(means)
    return pd.concat(frames, ignore_index=True)


def summarise(runs: pd.DataFrame, design: Design) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Window means with 95 % intervals over seeds; each step's paired effect (fostering
    without it minus fostering with it, seed by seed) with its 95 % interval."""
    windows = window_means(runs, design)
    rows = []
    for (condition, window), group in windows.groupby(["condition", "window"], sort=False):
        for outcome in OUTCOMES:
            mean, low, high = interval(group[outcome].to_numpy(float))
            rows.append({"condition": condition, "window": window, "outcome": outcome,
                         "mean": mean, "low": low, "high": high})
    table = pd.DataFrame(rows)
    effects = [{"taken away": label, **row} for condition, (label, compared_with, _, governs)
               in STEPS_TAKEN_AWAY.items()
               for row in paired_differences(windows, condition, compared_with, governs)]
    return table, pd.DataFrame(effects).rename(columns={"difference": "effect"})


def paired_differences(windows: pd.DataFrame, condition: str, compared_with: str,
                       outcomes: Any) -> list[dict[str, Any]]:
    """``condition`` minus ``compared_with`` on each of ``outcomes`` in each window,
    seed by seed (``window_means``), with its 95 % interval over seeds."""
    first = windows[windows.condition == condition].set_index(["window", "seed"])
    second = windows[windows.condition == compared_with].set_index(["window", "seed"])
    rows = []
    for window in first.index.get_level_values(0).unique():
        for outcome in outcomes:
            diff = (first.loc[window, outcome]
                    - second.loc[window, outcome].reindex(first.loc[window].index))
            mean, low, high = interval(diff.to_numpy(float))
            rows.append({"window": window, "outcome": outcome, "difference": mean,
                         "low": low, "high": high, "seeds": int(np.isfinite(diff).sum())})
    return rows


AGAINST = {"fostering − heroic": "heroic", "fostering − distributed": "distributed"}
"""Fostering against each pure policy, seed by seed (the same seeds: the same market)."""


def against_the_policies(runs: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Fostering minus each pure policy (``AGAINST``) on the outcomes of ``WORSE`` and
    tasks completed, per window, paired by seed, with the 95 % interval: whether it is
    ahead or behind, read from the same markets rather than from two intervals that
    overlap or not."""
    windows = window_means(runs, design)
    return pd.DataFrame([{"contrast": contrast, **row} for contrast, policy in AGAINST.items()
                         for row in paired_differences(windows, "fostering", policy,
                                                       (*WORSE, "tasks_completed"))])


def endpoint_table(runs: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Per organisation and bar: rights held, centralisation, the leader's share of
    staffing and protocol coverage over the endpoint window, mean and 95 % interval over
    seeds, with the last third's trend (late half minus early half of the window) to show
    whether it has settled."""
    start, end = design.endpoint
    middle = (start + end) // 2
    rows = []
    for organisation in ORGANISATIONS:
        for bar in BARS:
            name = f"endpoint: {organisation}, bar {bar}"
            part = runs[(runs.condition == name) & (runs.step >= start) & (runs.step < end)]
            if part.empty:
                continue
            row: dict[str, Any] = {"organisation": organisation, "bar": bar}
            for outcome in ("rights_held", "leadership_centralization",
                            "leader_staffed_share", "protocol_coverage", "value_completed"):
                by_seed = part.groupby("seed")[outcome]
                row[outcome], row[f"{outcome}_low"], row[f"{outcome}_high"] = interval(
                    by_seed.mean().to_numpy(float))
                late = part[part.step >= middle].groupby("seed")[outcome].mean()
                early = part[part.step < middle].groupby("seed")[outcome].mean()
                row[f"{outcome}_trend"] = float((late - early).mean())
            rows.append(row)
    return pd.DataFrame(rows)


COVERAGE_CONTRASTS: dict[str, tuple[str, str]] = {
    "supportive (style .8) minus controlling leader (style .2)":
        ("supportive leader (style .8)", "controlling leader (style .2)"),
    "problems x0.5 minus problems x2": ("problems x0.5", "problems x2"),
}
"""Organisations of the endpoint study whose protocol coverage is compared: protocols are
built, not ticked, so coverage differs between organisations that differ."""


def coverage_table(runs: pd.DataFrame, design: Design, bar: float = 0.8) -> pd.DataFrame:
    """Protocol coverage at the start of the last window (week 100 at the default length:
    the hand-over is under way, and coverage, a slowly moving stock, has had a third of
    the run to follow the organisation) in each pair of ``COVERAGE_CONTRASTS`` at the
    default bar: each side's mean and their difference paired by seed (the same seeds,
    so the same market: where the problem rate differs, only the problems do, each kind
    of arrival having its own stream), with its 95 % interval."""
    week = design.windows[-1][0]
    at = runs[runs.step == week].set_index(["condition", "seed"]).protocol_coverage
    rows = []
    for label, (a, b) in COVERAGE_CONTRASTS.items():
        first, second = (at.loc[f"endpoint: {name}, bar {bar}"] for name in (a, b))
        mean, low, high = interval((first - second.reindex(first.index)).to_numpy(float))
        rows.append({"contrast": label, "week": week, "first": float(first.mean()),
                     "second": float(second.mean()), "difference": mean, "low": low,
                     "high": high})
    return pd.DataFrame(rows)


def step_back_table(runs: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Per ``step_back_window``: tasks and value completed and rights held over the last
    window, with the ratio of tasks completed to the default's (window 2), paired by seed."""
    start, end = design.windows[-1]
    late = runs[(runs.step >= start) & (runs.step < end)]
    means = late.groupby(["condition", "seed"])[["tasks_completed", "value_completed",
                                                 "rights_held"]].mean()
    base = means.loc["fostering"]
    rows = []
    for window in sorted({*STEP_BACK_WINDOWS, 2}):
        name = "fostering" if window == 2 else f"step back {window}"
        if name not in means.index.get_level_values(0):
            continue
        here = means.loc[name]
        ratio = (here.tasks_completed / base.tasks_completed.reindex(here.index)).to_numpy()
        mean, low, high = interval(ratio)
        rows.append({"window": window, "tasks_completed": here.tasks_completed.mean(),
                     "value_completed": here.value_completed.mean(),
                     "rights_held": here.rights_held.mean(), "ratio": mean,
                     "ratio_low": low, "ratio_high": high})
    return pd.DataFrame(rows)


def problem_routes_table(runs: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Per condition of ``ROUTE_CONDITIONS`` and window: the share of the problems that
    left by each route (``ROUTES``; per seed, then the mean over seeds), how many left a
    week, the formal leader's mean load (what it was asked over its budget) and the share
    of weeks in which everything it was asked fitted its budget (load ≤ 1), both over the
    weeks a formal leader was in post. In such a week it takes every decision it knows
    of, so the order of its queue (addressing problems first) cannot change what it
    does."""
    rows = []
    for condition in ROUTE_CONDITIONS:
        for start, end in design.windows:
            part = runs[(runs.condition == condition) & (runs.step >= start)
                        & (runs.step < end)]
            if part.empty:
                continue
            by_seed = part.groupby("seed")[list(ROUTES)].sum()
            left = by_seed.sum(axis=1)
            row: dict[str, Any] = {"condition": condition, "window": f"{start}-{end - 1}"}
            for route in ROUTES:
                row[route] = float((by_seed[route] / left.where(left > 0)).mean())
            row["left_per_week"] = float(left.mean() / (end - start))
            led = part[part.formal_leader_present == 1]  # weeks with a formal leader
            row["leader_load"] = float(led.leader_load.mean()) if len(led) else np.nan
            row["weeks_within_budget"] = (float((led.leader_load <= 1.0).mean())
                                          if len(led) else np.nan)
            rows.append(row)
    return pd.DataFrame(rows)


def worse_than_both(table: pd.DataFrame) -> list[str]:
    """Windows in which fostering is worse than both heroic and distributed on an outcome
    of ``WORSE``, its interval clear of both ends' means."""
    found = []
    for (window, outcome), group in table[table.outcome.isin(list(WORSE))].groupby(
            ["window", "outcome"], sort=False):
        row = group.set_index("condition")
        if not {"fostering", "heroic", "distributed"} <= set(row.index):
            continue
        sign = WORSE[outcome]
        f = row.loc["fostering"]
        ends = [row.loc["heroic", "mean"], row.loc["distributed", "mean"]]
        edge = f.low if sign > 0 else f.high
        if all(sign * (edge - e) > 0 for e in ends):
            found.append(f"{OUTCOMES[outcome]} in steps {window}: fostering {f['mean']:.3f} "
                         f"[{f.low:.3f}, {f.high:.3f}] against heroic {ends[0]:.3f} and "
                         f"distributed {ends[1]:.3f}")
    return found


def _fmt(x: float, digits: int = 3) -> str:
    return "undefined" if not np.isfinite(x) else f"{x:.{digits}f}"


def write_report(runs: pd.DataFrame, design: Design, out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    from experiments.reports import _colour

    out.mkdir(parents=True, exist_ok=True)
    table, effects = summarise(runs, design)
    table.to_csv(out / "summary.csv", index=False)
    effects.to_csv(out / "effects.csv", index=False)
    series = runs.groupby(["condition", "step"], sort=False)[list(OUTCOMES)]
    mean, sd, n = series.mean(), series.std(ddof=1), series.count()
    half = sd * stats.t.ppf(0.975, np.maximum(n - 1, 1)) / np.sqrt(n)
    mean.reset_index().to_csv(out / "timeseries.csv", index=False)

    fig, axes = plt.subplots(4, 2, figsize=(12, 11), sharex=True)
    styles = {"heroic": ("-", 2.0), "distributed": ("-", 2.0), "fostering": ("-", 2.4)}
    for ax, outcome in zip(axes.flat, FIGURE, strict=True):
        for k, condition in enumerate(SHOWN):
            values = mean.loc[condition, outcome].rolling(5, min_periods=1).mean()
            band = half.loc[condition, outcome].rolling(5, min_periods=1).mean()
            line, width = styles.get(condition, ("--", 1.3))
            colour = _colour(condition, k)
            ax.plot(values.index, values, line, lw=width, color=colour, label=condition)
            ax.fill_between(values.index, values - band, values + band, color=colour,
                            alpha=0.12, lw=0)
        ax.set_title(OUTCOMES[outcome], fontsize=10)
        ax.grid(alpha=0.25)
    for ax in axes[-1]:
        ax.set_xlabel("step (week); 5-step rolling mean over runs, band: 95 % interval")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, frameon=False, fontsize=10, loc="lower center", ncol=3)
    fig.suptitle(f"Fostering independence against the pure policies, and with each step "
                 f"taken away ({design.employees} employees, {design.replications} seeds)",
                 fontsize=12)
    fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    fig.savefig(out / "fostering_transition.png", dpi=120)
    plt.close(fig)

    windows = list(dict.fromkeys(table.window))
    late = windows[-1]
    lines = [
        "# Fostering independence as a process", "",
        f"{design.employees} employees, {design.steps} steps, {design.replications} seeds per "
        "condition (the same seeds for every condition, hence the same market; where the "
        "problem rate differs, only the problems do: each kind of arrival has its own "
        "stream). Window means, 95 % intervals over seeds.", "",
        "## Where each condition is, window by window", "",
    ]
    for outcome, label in OUTCOMES.items():
        lines += [f"**{label}**", "", "| condition | " + " | ".join(
            f"steps {w}" for w in windows) + " |", "|---|" + "---|" * len(windows)]
        part = table[table.outcome == outcome].set_index(["condition", "window"])
        for condition in CORE:
            cells = [f"{_fmt(r['mean'])} [{_fmt(r.low)}, {_fmt(r.high)}]"
                     for r in (part.loc[(condition, w)] for w in windows)]
            lines.append(f"| {condition} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["## Each step taken away: fostering without it minus fostering with it", "",
              "Paired over seeds (fostering without the step minus fostering with it, on "
              "the same seed). Bold: the 95 % interval excludes 0.", "",
              "| taken away | what it is | outcome | " + " | ".join(
                  f"steps {w}" for w in windows) + " |",
              "|---|---|---|" + "---|" * len(windows)]
    for step, _, meaning, governs in STEPS_TAKEN_AWAY.values():
        for outcome in governs:
            cells = []
            for w in windows:
                r = effects[(effects["taken away"] == step) & (effects.window == w)
                            & (effects.outcome == outcome)].iloc[0]
                cells.append(interval_cell(r.effect, r.low, r.high))
            lines.append(f"| {step} | {meaning} | {OUTCOMES[outcome]} | "
                         + " | ".join(cells) + " |")
    against = against_the_policies(runs, design)
    against.to_csv(out / "against.csv", index=False)
    lines += ["", "## Fostering against each pure policy, seed by seed", "",
              "Fostering minus heroic and fostering minus distributed on the same seeds (the "
              "same market), window means; bold: the 95 % interval excludes 0.", "",
              "| contrast | outcome | " + " | ".join(f"steps {w}" for w in windows) + " |",
              "|---|---|" + "---|" * len(windows)]
    for contrast in AGAINST:
        for outcome in (*WORSE, "tasks_completed"):
            cells = []
            for w in windows:
                r = against[(against.contrast == contrast) & (against.window == w)
                            & (against.outcome == outcome)].iloc[0]
                cells.append(interval_cell(r.difference, r.low, r.high))
            lines.append(f"| {contrast} | {OUTCOMES[outcome]} | " + " | ".join(cells) + " |")
    worse = worse_than_both(table)
    lines += ["", "## A phase worse than both ends?", ""]
    lines += ([f"- {w}" for w in worse] if worse else
              ["No window in which fostering is worse than both heroic and distributed on "
               "value completed, autonomous motivation or exhaustion (interval clear of both)."])
    where = table[(table.window == late) & (table.condition.isin(["heroic", "distributed",
                                                                    "fostering"]))]
    pick = where.set_index(["condition", "outcome"])["mean"]
    lines += ["", f"## Where fostering ends up (steps {late})", "",
              "| outcome | heroic | fostering | distributed |", "|---|---|---|---|"]
    for outcome in ("leadership_centralization", "leaders_active", "rights_held",
                    "leader_staffed_share", "value_completed", "autonomous_motivation",
                    "mean_exhaustion"):
        lines.append(f"| {OUTCOMES[outcome]} | " + " | ".join(
            _fmt(pick.get((c, outcome), np.nan)) for c in ("heroic", "fostering",
                                                            "distributed")) + " |")
    endpoint = endpoint_table(runs, design)
    endpoint.to_csv(out / "endpoint.csv", index=False)
    start, end = design.endpoint
    lines += ["", f"## The endpoint: where fostering settles (steps {start}-{end - 1})", "",
              "Rights held and leadership centralisation over the last third, per "
              "organisation and handover bar (`delegation_bar`), mean [95 % interval] over "
              "seeds; trend: the second half of the window minus the first (near 0: "
              "settled).", "",
              "| organisation | bar | rights held | trend | centralisation | trend "
              "| leader staffs | protocol coverage | value / step |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in endpoint.itertuples():
        lines.append(
            f"| {r.organisation} | {r.bar} | {r.rights_held:.3f} [{r.rights_held_low:.3f}, "
            f"{r.rights_held_high:.3f}] | {r.rights_held_trend:+.3f} | "
            f"{r.leadership_centralization:.3f} [{r.leadership_centralization_low:.3f}, "
            f"{r.leadership_centralization_high:.3f}] | "
            f"{r.leadership_centralization_trend:+.3f} | {r.leader_staffed_share:.3f} | "
            f"{r.protocol_coverage:.3f} | {r.value_completed:.3f} |")
    routes = problem_routes_table(runs, design)
    routes.to_csv(out / "problem_routes.csv", index=False)
    lines += ["", "## Where problems go, and whether the leader's queue overflows", "",
              "Of the problems that left in each window, the share by each route (per seed, "
              "then the mean over seeds), and how many left a week; the formal leader's "
              "mean load (what it was asked over its budget) and the share of weeks in "
              "which everything it was asked fitted its budget (load ≤ 1), both over the "
              "weeks a formal leader was in post: in such a week "
              "it takes every decision it knows of, so addressing problems first cannot "
              "change what it does.", "",
              "| condition | steps | " + " | ".join(ROUTES.values())
              + " | left / week | leader's load | weeks within budget |",
              "|---|---|" + "---|" * (len(ROUTES) + 3)]
    for r in routes.to_dict("records"):
        lines.append(f"| {r['condition']} | {r['window']} | "
                     + " | ".join(_fmt(r[route]) for route in ROUTES)
                     + f" | {_fmt(r['left_per_week'])} | {_fmt(r['leader_load'])} | "
                     f"{_fmt(r['weeks_within_budget'])} |")
    cover = coverage_table(runs, design)
    week = int(cover.week.iloc[0])
    lines += ["", f"## Protocols are built, not ticked: coverage at week {week}", "",
              "Protocol coverage at the default bar in organisations that differ, paired by "
              "seed (the same seeds: the same market for the two leaders; where the problem "
              "rate differs, only the problems do), mean [95 % interval]; bold: the "
              "interval excludes 0.",
              "", "| organisations | first | second | difference |", "|---|---|---|---|"]
    for r in cover.itertuples():
        lines.append(f"| {r.contrast} | {r.first:.3f} | {r.second:.3f} | "
                     f"{interval_cell(r.difference, r.low, r.high)} |")
    backs = step_back_table(runs, design)
    backs.to_csv(out / "step_back.csv", index=False)
    late = design.windows[-1]
    lines += ["", f"## Stepping back: no cliff (steps {late[0]}-{late[1] - 1})", "",
              "Fostering at each `step_back_window` (weeks the leader leaves a reported task "
              "to those with rights; 2 is the default): tasks completed per step, and their "
              "ratio to the default's, paired by seed, 95 % interval.", "",
              "| window | tasks / step | ratio to window 2 | value / step | rights held |",
              "|---|---|---|---|---|"]
    for r in backs.itertuples():
        lines.append(f"| {r.window} | {r.tasks_completed:.3f} | {r.ratio:.3f} "
                     f"[{r.ratio_low:.3f}, {r.ratio_high:.3f}] | {r.value_completed:.3f} | "
                     f"{r.rights_held:.3f} |")
    (out / "summary.md").write_text("\n".join(lines) + "\n")
    return [f"fostering_transition: {runs.groupby(['condition', 'seed']).ngroups} runs -> "
            f"{out / 'summary.md'} (and summary.csv, effects.csv, against.csv, endpoint.csv, "
            "problem_routes.csv, step_back.csv, timeseries.csv, "
            "fostering_transition.png)", *(f"  worse than both ends: {w}" for w in worse)]


def run(out: Path, design: Design, workers: int | None = None,
        dask: str | None = None) -> list[str]:
    """Run every condition through the sweep runner's executor seam and write the report."""
    from experiments.runner import make_executor

    with make_executor(workers, dask) as (executor, _, capacity):
        runs = pd.concat(map_in_batches(executor, _many, plan(design), same_condition,
                                        workers=capacity), ignore_index=True)
    return write_report(runs, design, out)
