"""Which mechanism carries which result: every leadership mechanism switched off one at a
time, and three judgements that are off by default switched on (``graded_assignment``,
``late_acceptance``, the latter also with ``late_work_last`` off, and ``initiative_rate``)
(``python -m experiments run mechanisms``).

For each mechanism of DESIGN §4 (a named switch in ``model.params.Parameters``), at four
settings (simple and stable; the defaults; complex and turbulent; simple and very
turbulent, where distributed delivers the more value), heroic and distributed
organisations run on the same seeds with everything on, and again with that one mechanism
off. What is reported is how much switching it off moves the comparison:

    Δ = (heroic − distributed with the mechanism off) − (heroic − distributed, all on)

for throughput (tasks completed per step), value completed per step and autonomous
motivation, with 95 % intervals over seeds (paired: the same seed gives both policies and
every variant the same market, so each seed yields one Δ). A positive Δ on throughput
means the mechanism, when on, works against heroic leadership (or for distributed). The
run-level final outcomes are those of every sweep (``experiments.simulate.run_model``).

Fostering's own steps (``FOSTERING_STEPS``: surveys, addressing problems first, protocols)
are taken away one at a time the same way, at the same settings and on the same seeds,
and what is reported is what each does to the hand-over: the change in the share holding
decision rights, leadership centralisation and the share of task starts the leader
staffs (fostering without the step minus fostering with it, paired by seed, 95 %
intervals; ``summarise_fostering``).

Writes ``summary.md``, ``summary.csv`` (one row per mechanism × setting × outcome),
``fostering.csv`` (one row per step × setting × outcome), ``runs.csv`` (one row per run)
and ``mechanisms.png`` into ``results/mechanisms/``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from experiments.simulate import SETTLING_WEEKS, map_in_batches, run_batch, same_condition

MECHANISMS: dict[str, tuple[str, dict[str, Any]]] = {
    "report lag": ("news reaches the formal leader a step late", {"report_lag": 0}),
    "attention budget": ("the formal leader's attention is bounded",
                         {"leader_capacity": 100_000}),
    "triage": ("the formal leader triages by value and urgency, and sheds",
               {"leader_queue": "fifo"}),
    "coordinating teams": ("coordinating each team the formal leadership runs costs the "
                           "leader attention (inert with span of control on, the default: "
                           "supervisors coordinate)", {"span_attention": 0.0}),
    "exceptions": ("running tasks raise exceptions that stall them until decided",
                   {"exception_rate": 0.0}),
    "requirement drift": ("turbulence changes what open tasks require",
                          {"requirement_drift": 0.0}),
    "know-how drift": ("turbulence changes what know-how is worth (stale estimates)",
                       {"knowhow_drift": 0.0}),
    "coordination for all": ("the formal leader's teams pay coordination too",
                             {"coordination_for_all": False}),
    "lead coordination": ("an able, attentive lead reduces its team's coordination loss",
                          {"lead_coordination": 0.0}),
    "benefit": ("claims aim at valuable work", {"condition_benefit": False}),
    "equipped": ("who claims, and what, depends on skill", {"condition_equipped": False}),
    "energy": ("who claims depends on energy", {"condition_energy": False}),
    "support": ("claims, grants and volunteers depend on peer support",
                {"condition_support": False}),
    "initiative": ("stepping forward takes autonomous motivation and energy",
                   {"claims_need_initiative": False}),
    "grant": ("peers may withhold a claim", {"claims_need_grant": False}),
    "recruiting beyond ties": ("leads recruit beyond their ties where protocols reach",
                               {"recruit_beyond_ties": False}),
    "reputation": ("a lead's outcomes shape later grants", {"reputation_rate": 0.0}),
    "leading drains": ("leading a task is a job demand on top of one's own work",
                       {"leading_drain": 0.0}),
    "problems": ("problems arise and linger until someone with the right decides",
                 {"problem_rate": 0.0}),
    "hidden problems": ("problems stay hidden until voiced (or surfaced)",
                        {"problems_hidden": False}),
    "helplessness": ("lingering problems leave a helplessness that outlasts them",
                     {"learned_helplessness": False}),
    "week's circumstances": ("what one gets done in a week varies beyond motivation and skill",
                             {"performance_noise": 0.0}),
    "problems expire": ("open problems become obsolete as circumstances move on",
                        {"problems_expire": False}),
    "workarounds": ("teams work around problems left open, at a cost in their time",
                    {"problem_workarounds": False}),
    "problems hinder work": ("lingering problems take the working time of those around them",
                             {"problems_hinder_work": False}),
    "leader fatigue": ("the formal leader's attention follows its energy and its queue",
                       {"leader_fatigue": False}),
    "leader may quit": ("the formal leader can quit, which starts the succession",
                        {"leader_may_quit": False}),
    "span of control": ("supervisors decide the exceptions they can and coordinate the "
                        "leader's teams; its attention grows with headcount",
                        {"span_of_control": False}),
    "claims see slack": ("claimants leave alone work that can no longer be finished",
                         {"claims_see_slack": False}),
    "backlog pull": ("visible waiting work and open places pull idle people forward",
                     {"backlog_pull": False}),
    "planning optimism": ("deadlines assume work goes faster than planned",
                          {"planning_optimism": 0.0}),
    "leaving for outside reasons": ("some leave for reasons outside work, whatever they intend",
                                    {"outside_quit_rate": 0.0}),
    "pressure thwarts needs": ("time pressure beyond the planned pace frustrates all three "
                               "needs", {"pressure_thwarts_needs": False}),
    "late delivery": ("switched on (off by default, ODD items 34–35): work unfinished at "
                      "its deadline is still delivered, late and worth less, until the last "
                      "week its client takes it, half as long again as it allowed; work "
                      "that can only be late ranked after work that can still be on time",
                      {"late_acceptance": 0.5}),
    "late delivery, overdue first": ("as late delivery, but every decision maker ranks "
                                     "work that can only be late by its slack, the most "
                                     "overdue first (late_work_last off; ODD item 35)",
                                     {"late_acceptance": 0.5, "late_work_last": False}),
    "self-initiated work": ("switched on (off by default, ODD item 36): the idle take up "
                            "work nobody asked for (initiative_rate 0.1); it joins the board "
                            "where they may act, else only if voiced to the formal leader",
                            {"initiative_rate": 0.1}),
    "graded assignment cost": ("the other judgement, switched on: an assignment costs "
                               "autonomy unless fully supportive, a neutral one too",
                               {"graded_assignment": True}),
}
"""Each mechanism: what it is, and the parameters that switch it off (or, for the
entries that are off by default, on)."""

SETTINGS: dict[str, dict[str, Any]] = {
    "simple & stable": {"task_complexity": 0.2, "turbulence": 0.1},
    # where the flagship and the robustness study's bases both have heroic clearly ahead
    # in throughput (after ODD item 42, the flagship on 40 paired seeds)
    "complex & stable": {"task_complexity": 0.8, "turbulence": 0.1},
    "defaults": {},
    "complex & turbulent": {"task_complexity": 0.8, "turbulence": 0.9},
    # the flagship's one cell where distributed delivers clearly more value (ODD item 22)
    "simple & very turbulent": {"task_complexity": 0.2, "turbulence": 0.9},
}

FOSTERING_STEPS: dict[str, tuple[str, dict[str, Any]]] = {
    "surfacing": ("surveys bring hidden problems, and what peers see of people, into the open",
                  {"surface_issues": False}),
    "addressing": ("known problems first in the leader's queue", {"address_problems": False}),
    "protocols": ("protocols, built with the attention the leader has left",
                  {"build_protocols": False}),
}
"""Each step of fostering independence: what it is, and the parameters that take it away."""

HANDOVER: dict[str, str] = {
    "rights_held": "share holding decision rights",
    "leadership_centralization": "leadership centralisation",
    "leader_staffed_share": "share of task starts the leader staffs",
}
"""What fostering's steps are for: how far decisions have been handed over."""

OUTCOMES: dict[str, str] = {
    "tasks_completed": "throughput (tasks / step)",
    "value_completed": "value completed / step",
    "autonomous_motivation": "autonomous motivation",
    "burnout_share": "share burnt out",
    "exits": "exits / step",
}

ALL_ON = "all on"


@dataclass(frozen=True)
class Design:
    """How much to simulate: the full run by default, small for tests."""

    replications: int = 20  # 10 let the base contrast's status move between two seed
    # draws (ODD item 20); 20 halve the variance of every paired difference
    steps: int = 200
    seed: int = 20261201
    employees: int = 100
    warm_up: int = SETTLING_WEEKS  # heroic and distributed at work, the founding transient
    # past; fostering's steps are read from its founding (the hand-over is a process)


Task = tuple[dict[str, Any], int, int, int, str, str, str]
"""(parameters, seed, steps, warm-up, mechanism, setting, policy)"""


def _many(tasks: list[Task]) -> list[dict[str, Any]]:
    """Replications of one variant, setting and policy, run together (``steps`` weeks
    after the warm-up): each run's row."""
    steps, warm_up = tasks[0][2], tasks[0][3]
    results = run_batch([task[0] for task in tasks],
                        rngs=[np.random.SeedSequence(task[1]) for task in tasks],
                        steps=steps, record_every=None, warm_up=warm_up)
    return [{"mechanism": mechanism, "setting": setting, "policy": policy, "seed": seed,
             **{name: result.final[name] for name in (*OUTCOMES, *HANDOVER)}}
            for (_, seed, _, _, mechanism, setting, policy), result in zip(tasks, results,
                                                                          strict=True)]


def plan(design: Design) -> list[Task]:
    """Every run: variant × setting × policy × seed (seeds shared across all of them),
    heroic and distributed for each mechanism, then fostering for each of its steps."""
    variants = {ALL_ON: {}, **{name: off for name, (_, off) in MECHANISMS.items()}}
    steps = {ALL_ON: {}, **{name: off for name, (_, off) in FOSTERING_STEPS.items()}}
    seeds = [design.seed + k for k in range(design.replications)]
    return [
        ({"n_employees": design.employees, **SETTINGS[setting], **off, "policy": policy},
         seed, design.steps, warm_up, name, setting, policy)
        for chosen, policies, warm_up in ((variants, ("heroic", "distributed"), design.warm_up),
                                          (steps, ("fostering",), 0))
        for (name, off), setting, policy, seed in itertools.product(
            chosen.items(), SETTINGS, policies, seeds)
    ]


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Per mechanism, setting and outcome: heroic − distributed with it off, all on, and the
    paired change Δ with its 95 % interval over seeds."""
    runs = runs[runs.policy.isin(("heroic", "distributed"))]
    wide = runs.pivot_table(index=["mechanism", "setting", "seed"], columns="policy",
                            values=list(OUTCOMES))
    rows = []
    for outcome in OUTCOMES:
        gap = (wide[(outcome, "heroic")] - wide[(outcome, "distributed")]).rename("gap")
        gap = gap.reset_index()
        base = gap[gap.mechanism == ALL_ON].set_index(["setting", "seed"]).gap
        for (mechanism, setting), group in gap.groupby(["mechanism", "setting"], sort=False):
            off = group.set_index("seed").gap
            on = base.loc[setting].reindex(off.index)
            delta = (off - on).to_numpy(float)
            mean, low, high = interval(delta)
            _, on_low, on_high = interval(on.to_numpy(float))
            rows.append({"mechanism": mechanism, "setting": setting, "outcome": outcome,
                         "gap_all_on": float(on.mean()), "gap_all_on_low": on_low,
                         "gap_all_on_high": on_high, "gap_off": float(off.mean()),
                         "delta": mean, "low": low, "high": high, "seeds": len(delta)})
    table = pd.DataFrame(rows)
    order = {name: k for k, name in enumerate([ALL_ON, *MECHANISMS])}
    return table.sort_values(["outcome", "mechanism", "setting"],
                             key=lambda c: c.map(order) if c.name == "mechanism" else c,
                             kind="stable").reset_index(drop=True)


def summarise_fostering(runs: pd.DataFrame) -> pd.DataFrame:
    """Per step of fostering, setting and hand-over outcome: fostering with every step,
    without this one, and the paired change Δ (without minus with) with its 95 % interval
    over seeds."""
    fostering = runs[runs.policy == "fostering"].set_index(["setting", "seed"])
    base = fostering[fostering.mechanism == ALL_ON]
    rows = []
    for outcome in HANDOVER:
        for step in FOSTERING_STEPS:
            for setting in SETTINGS:
                without = fostering[fostering.mechanism == step].loc[setting, outcome]
                with_all = base.loc[setting, outcome].reindex(without.index)
                mean, low, high = interval((without - with_all).to_numpy(float))
                rows.append({"step": step, "setting": setting, "outcome": outcome,
                             "with_all": float(with_all.mean()),
                             "without": float(without.mean()), "delta": mean, "low": low,
                             "high": high, "seeds": len(without)})
    return pd.DataFrame(rows)


def interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean of the finite ``values`` and its 95 % interval (Student's t): ``(mean, low,
    high)``; the bounds are NaN with fewer than two values."""
    values = values[np.isfinite(values)]
    if len(values) < 2:
        return float(np.mean(values)) if len(values) else float("nan"), np.nan, np.nan
    mean = float(values.mean())
    half = float(stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values)))
    return mean, mean - half, mean + half


def interval_cell(mean: float, low: float, high: float, digits: int = 3) -> str:
    """A report's cell: ``mean [low, high]`` with signs, in bold where the interval
    excludes 0 ("undefined" for a number that is not finite)."""
    def number(x: float) -> str:
        return "undefined" if not np.isfinite(x) else f"{x:+.{digits}f}"

    mark = "**" if low > 0 or high < 0 else ""
    return f"{mark}{number(mean)}{mark} [{number(low)}, {number(high)}]"


def write_report(runs: pd.DataFrame, table: pd.DataFrame, design: Design,
                 out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    runs.to_csv(out / "runs.csv", index=False)
    table.to_csv(out / "summary.csv", index=False)
    steps = summarise_fostering(runs)
    steps.to_csv(out / "fostering.csv", index=False)
    base = table[table.mechanism == ALL_ON]
    lines = [
        "# Which mechanism carries which result", "",
        f"Heroic and distributed leadership, {design.employees} employees, {design.steps} "
        f"steps after a warm-up of {design.warm_up} weeks (the founding transient past; "
        "fostering's steps from its founding), "
        f"{design.replications} seeds per cell (the same seeds, hence the same "
        "market, for both policies and every variant); final outcomes are means over the "
        "last quarter. **Heroic minus distributed with everything on** [95 % interval "
        "over seeds, paired]:", "",
        "| outcome | " + " | ".join(SETTINGS) + " |", "|---|" + "---|" * len(SETTINGS),
        *[f"| {OUTCOMES[o]} | " + " | ".join(
            interval_cell(*base[(base.outcome == o) & (base.setting == s)].iloc[0][
                ["gap_all_on", "gap_all_on_low", "gap_all_on_high"]], digits=2)
            for s in SETTINGS) + " |" for o in OUTCOMES],
        "",
        "Each mechanism switched off alone: **Δ = change in heroic minus distributed** "
        "[95 % interval over seeds]. Δ > 0 on throughput: with the mechanism on, heroic does "
        "worse relative to distributed, i.e. it works against heroic (or for distributed).",
        "",
    ]
    for outcome, label in OUTCOMES.items():
        part = table[(table.outcome == outcome) & (table.mechanism != ALL_ON)]
        lines += [f"## {label}", "", "| mechanism (switched off) | what it is | "
                  + " | ".join(SETTINGS) + " |", "|---|---|" + "---|" * len(SETTINGS)]
        for name, (meaning, _) in MECHANISMS.items():
            lines.append(_delta_row(part[part.mechanism == name], name, meaning))
        lines.append("")
    lines += ["Bold: the interval excludes 0.", ""]
    lines += _fostering_lines(steps)
    (out / "summary.md").write_text("\n".join(lines))

    columns = 3  # panels a row: a page, not a banner
    panel_rows = -(-len(OUTCOMES) // columns)
    fig, grid = plt.subplots(panel_rows, columns, figsize=(5.6 * columns, 7.0 * panel_rows),
                             sharey=True, squeeze=False)
    axes = grid.ravel()
    names = list(MECHANISMS)
    y = np.arange(len(names))
    colours = plt.get_cmap("tab10").colors  # a setting each, in order (repeating past ten)
    spacing = 0.8 / len(SETTINGS)  # a setting's marks side by side within a mechanism's row
    for ax, (outcome, label) in zip(axes, OUTCOMES.items(), strict=False):
        part = table[table.outcome == outcome].set_index(["mechanism", "setting"])
        for k, setting in enumerate(SETTINGS):
            rows = part.xs(setting, level="setting").reindex(names)
            offset = (k - (len(SETTINGS) - 1) / 2) * spacing
            ax.errorbar(rows.delta, y + offset,
                        xerr=[rows.delta - rows.low, rows.high - rows.delta], fmt="o",
                        ms=4, capsize=2, color=colours[k % len(colours)], label=setting)
        ax.axvline(0, color="#555", lw=0.8)
        ax.set_title(f"{label}", fontsize=11)
        ax.set_xlabel("Δ (heroic − distributed), mechanism off minus all on")
        ax.grid(axis="x", alpha=0.3)
    for row in grid:
        row[0].set_yticks(y, names)
    axes[0].invert_yaxis()  # (shared: every panel lists the mechanisms top down)
    handles, labels = axes[0].get_legend_handles_labels()
    for spare in axes[len(OUTCOMES):]:
        spare.set_axis_off()
    if len(axes) > len(OUTCOMES):  # the legend in the spare panel
        axes[len(OUTCOMES)].legend(handles, labels, frameon=False, fontsize=11,
                                   loc="center", title="setting")
    else:
        fig.legend(handles, labels, frameon=False, fontsize=10, loc="lower center",
                   ncol=len(SETTINGS))
    fig.suptitle("Which mechanism carries the heroic–distributed difference "
                 f"(95 % intervals, {design.replications} seeds)", fontsize=12)
    fig.tight_layout(rect=(0, 0.0 if len(axes) > len(OUTCOMES) else 0.04, 1, 1))
    fig.savefig(out / "mechanisms.png", dpi=150)
    plt.close(fig)
    return [f"mechanisms: {len(runs)} runs -> {out / 'summary.md'} (and summary.csv, "
            "fostering.csv, mechanisms.png)"]


def _fostering_lines(steps: pd.DataFrame) -> list[str]:
    """The report's section on fostering's steps: each taken away, its effect on the
    hand-over at each setting."""
    lines = ["## Fostering's steps: each taken away", "",
             "Fostering without the step minus fostering with every step, the same seeds "
             "(paired); Δ [95 % interval]. Bold: the interval excludes 0.", ""]
    for outcome, label in HANDOVER.items():
        part = steps[steps.outcome == outcome]
        with_all = part.groupby("setting", sort=False).with_all.first()
        lines += [f"**{label}** (with every step: " + ", ".join(
            f"{setting} {with_all[setting]:.2f}" for setting in SETTINGS) + ")", "",
            "| step (taken away) | what it is | " + " | ".join(SETTINGS) + " |",
            "|---|---|" + "---|" * len(SETTINGS)]
        for name, (meaning, _) in FOSTERING_STEPS.items():
            lines.append(_delta_row(part[part.step == name], name, meaning))
        lines.append("")
    return lines


def _delta_row(rows: pd.DataFrame, name: str, meaning: str) -> str:
    """A table row: one switch's Δ [95 % interval] in each setting, bold where the
    interval excludes 0."""
    cells = []
    for setting in SETTINGS:
        r = rows[rows.setting == setting].iloc[0]
        cells.append(interval_cell(r.delta, r.low, r.high, digits=2))
    return f"| {name} | {meaning} | " + " | ".join(cells) + " |"


def run(out: Path, design: Design, workers: int | None = None,
        dask: str | None = None) -> list[str]:
    """Run every variant through the sweep runner's executor seam and write the report."""
    from experiments.runner import make_executor

    tasks = plan(design)
    with make_executor(workers, dask) as (executor, _, capacity):
        runs = pd.DataFrame(map_in_batches(executor, _many, tasks, same_condition,
                                           workers=capacity))
    return write_report(runs, summarise(runs), design, out)
