"""Which channel carries the environment's interaction with leadership
(``python -m experiments run channels``).

Two interactions of the policy with the environment, on paired seeds (the same seed gives
both policies, both levels and every variant the same market):

- **turbulence × policy**: ``(D − H at turbulence .9) − (D − H at turbulence .1)``, at
  the default complexity;
- **complexity × policy**: ``(D − H at complexity .8) − (D − H at complexity .2)``, at
  the default turbulence;

D distributed, H heroic, for throughput (tasks completed per step), value completed per
step, autonomous motivation and the share burnt out (final outcomes: means over the last
quarter of each run). Each is estimated with every channel live, and again with each
channel by which that factor acts frozen at its reference level (``model.channels``;
``Parameters.frozen_channels``). Δ = (interaction, channel frozen) − (interaction, all
live), with its 95 % interval over seeds, says what a channel does to it: one *carries*
the interaction when freezing it shrinks or reverses it (Δ clear of 0, against the sign of
the interaction with all live), and *works against* it when freezing it enlarges it (Δ
clear of 0, with that sign); an interaction not clear of 0 has no direction, and a
channel whose freezing moves it clearly *moves* it. Channels that act only under
fostering leadership
(``NOT_COMPARED``) are not among the variants: the study compares heroic and distributed.

Finished runs are kept in ``runs.csv`` as they come in, so a study stopped part-way
resumes where it stopped (with the same design; another design starts afresh). Writes
``summary.md``, ``summary.csv``, ``runs.csv`` and ``channels.png`` into
``results/channels/``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.mechanisms import OUTCOMES, interval
from experiments.resumable import run_resumable
from experiments.simulate import SETTLING_WEEKS, run_batch
from model import channels

NOT_COMPARED: dict[str, str] = {
    "protocol_staleness": "acts only on the protocols a fostering leader builds (heroic and "
                          "distributed leaders build none: frozen or live, their runs are "
                          "the same)",
}
"""Channels the study leaves out, and why: freezing them changes no run it makes."""


def _compared(routes: dict[str, str]) -> dict[str, str]:
    return {name: what for name, what in routes.items() if name not in NOT_COMPARED}


FACTORS: dict[str, tuple[str, tuple[float, float], dict[str, str], dict[str, Any]]] = {
    "turbulence": ("turbulence", (0.1, 0.9), _compared(channels.TURBULENCE_CHANNELS), {}),
    "complexity": ("task_complexity", (0.2, 0.8), _compared(channels.COMPLEXITY_CHANNELS), {}),
}
"""Each interaction: the parameter that sets the factor, its low and high level, the
channels by which it acts, and what else is fixed."""

ALL_LIVE = "all live"
POLICIES = ("heroic", "distributed")
KEY = ["factor", "variant", "level", "policy", "seed"]
"""What identifies a run in ``runs.csv``."""


@dataclass(frozen=True)
class Design:
    """How much to simulate: the full study by default, small for tests."""

    replications: int = 40  # 20 let which channel carries an interaction move between
    # two seed draws (ODD item 20); 40 halve the variance of every paired difference
    steps: int = 200
    seed: int = 20261203
    employees: int = 100
    warm_up: int = SETTLING_WEEKS  # organisations at work, the founding transient past


QUICK = Design(replications=6, steps=100)
"""``--quick``: a first look (312 runs of 100 weeks after the warm-up, about 40 seconds on 2
cores)."""

Task = tuple[dict[str, Any], int, int, int, dict[str, Any]]


def _many(tasks: list[Task]) -> list[dict[str, Any]]:
    """Replications of one condition, run together (``steps`` weeks after ``warm_up``):
    each run's key and outcomes."""
    steps, warm_up = tasks[0][2], tasks[0][3]
    results = run_batch([task[0] for task in tasks],
                        rngs=[np.random.SeedSequence(seed) for _, seed, *_ in tasks],
                        steps=steps, record_every=None, warm_up=warm_up)
    return [{**key, **{name: result.final[name] for name in OUTCOMES}}
            for (*_, key), result in zip(tasks, results, strict=True)]


def plan(design: Design) -> list[Task]:
    """Every run: factor × variant (all live, each of its channels frozen) × level ×
    policy × seed, the seeds shared by all."""
    seeds = [design.seed + k for k in range(design.replications)]
    tasks = []
    for factor, (parameter, levels, routes, fixed) in FACTORS.items():
        variants = [ALL_LIVE, *routes]
        for variant, level, policy, seed in itertools.product(variants, levels, POLICIES,
                                                              seeds):
            frozen = "" if variant == ALL_LIVE else variant
            params = {"n_employees": design.employees, **fixed, parameter: level,
                      "policy": policy, "frozen_channels": frozen}
            key = {"factor": factor, "variant": variant, "level": level, "policy": policy,
                   "seed": seed}
            tasks.append((params, seed, design.steps, design.warm_up, key))
    return tasks


def interactions(runs: pd.DataFrame) -> pd.DataFrame:
    """Per factor, variant, outcome and seed: ``(D − H at high) − (D − H at low)``."""
    rows = []
    for (factor, variant, seed), group in runs.groupby(["factor", "variant", "seed"],
                                                       sort=False):
        low, high = FACTORS[factor][1]
        cell = group.set_index(["level", "policy"])
        for outcome in OUTCOMES:
            gap = {level: cell.loc[(level, "distributed"), outcome]
                   - cell.loc[(level, "heroic"), outcome] for level in (low, high)}
            rows.append({"factor": factor, "variant": variant, "seed": seed,
                         "outcome": outcome, "gap_low": gap[low], "gap_high": gap[high],
                         "interaction": gap[high] - gap[low]})
    return pd.DataFrame(rows)


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Per factor, variant and outcome: D − H at each level, the interaction, and (for a
    frozen channel) Δ, its change from all live, each with a 95 % interval over seeds."""
    per_seed = interactions(runs)
    rows = []
    for (factor, outcome), group in per_seed.groupby(["factor", "outcome"], sort=False):
        live = group[group.variant == ALL_LIVE].set_index("seed").interaction
        for variant, part in group.groupby("variant", sort=False):
            part = part.set_index("seed")
            row = {"factor": factor, "outcome": outcome, "variant": variant,
                   "seeds": len(part)}
            for column in ("gap_low", "gap_high", "interaction"):
                row[column], row[f"{column}_lo"], row[f"{column}_hi"] = interval(
                    part[column].to_numpy(float))
            delta = (part.interaction - live.reindex(part.index)).to_numpy(float)
            row["delta"], row["delta_lo"], row["delta_hi"] = (
                interval(delta) if variant != ALL_LIVE else (0.0, 0.0, 0.0))
            rows.append(row)
    return pd.DataFrame(rows)


def _clear(table: pd.DataFrame, factor: str, outcome: str) -> tuple[pd.DataFrame, float]:
    """The frozen channels whose Δ's interval excludes 0, largest first, and the sign of
    the interaction with all live (0 where its interval includes 0: it has no direction
    for a channel to carry or work against)."""
    part = table[(table.factor == factor) & (table.outcome == outcome)]
    live = part[part.variant == ALL_LIVE].iloc[0]
    direction = float(np.sign(live.interaction)) if (
        live.interaction_lo > 0 or live.interaction_hi < 0) else 0.0
    part = part[part.variant != ALL_LIVE]
    clear = part[(part.delta_lo > 0) | (part.delta_hi < 0)]
    return clear.reindex(clear.delta.abs().sort_values(ascending=False).index), direction


def carriers(table: pd.DataFrame, factor: str, outcome: str) -> list[str]:
    """The channels that carry the interaction: freezing one shrinks or reverses it (Δ's
    interval excludes 0, against the sign of the interaction with all live, which is clear
    of 0), largest first."""
    clear, direction = _clear(table, factor, outcome)
    return list(clear[np.sign(clear.delta) == -direction].variant) if direction else []


def counterweights(table: pd.DataFrame, factor: str, outcome: str) -> list[str]:
    """The channels that work against the interaction: freezing one enlarges it (Δ's
    interval excludes 0, with the sign of the interaction with all live), largest
    first."""
    clear, direction = _clear(table, factor, outcome)
    return list(clear[np.sign(clear.delta) == direction].variant) if direction else []


def movers(table: pd.DataFrame, factor: str, outcome: str) -> list[str]:
    """Where the interaction with all live is not clear of 0: the channels whose freezing
    moves it clearly (Δ's interval excludes 0), largest first. An interaction without a
    direction is neither carried nor worked against; such a channel makes one."""
    clear, direction = _clear(table, factor, outcome)
    return [] if direction else list(clear.variant)


def _cell(mean: float, low: float, high: float, bold: bool = False) -> str:
    if not np.isfinite(mean):
        return "undefined"
    mark = "**" if bold else ""
    return f"{mark}{mean:+.3f}{mark} [{low:+.3f}, {high:+.3f}]"


def write_report(runs: pd.DataFrame, table: pd.DataFrame, design: Design,
                 out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "summary.csv", index=False)
    lines = [
        "# Which channel carries the environment's interaction with leadership", "",
        f"Heroic (H) and distributed (D) leadership, {design.employees} employees, "
        f"{design.steps} steps after a warm-up of {design.warm_up} weeks (the founding "
        f"transient past), {design.replications} seeds per cell (the same seeds, hence "
        "the same market, for both policies, both levels and every variant); final "
        "outcomes are means over the last quarter of each run. Interaction: (D − H at the "
        "high level) − (D − H at the low level); Δ: the interaction with the channel "
        "frozen minus all live. A frozen turbulence channel sees turbulence "
        f"{0.3}, a frozen complexity channel each task as at mean complexity 0.5, a "
        "frozen report lag none (`model.channels`). Bold: the 95 % interval (over seeds) "
        "excludes 0. A channel *carries* the interaction when freezing it shrinks or "
        "reverses it (Δ clear of 0, against the interaction's sign with all live) and "
        "*works against* it when freezing it enlarges it (Δ clear of 0, with that sign); an "
        "interaction not clear of 0 has no direction, and a channel whose freezing moves it "
        "clearly makes one. "
        + " ".join(f"Not compared: {name}, which {why}." for name, why in NOT_COMPARED.items()),
        "",
    ]
    for factor, (parameter, (low, high), routes, _) in FACTORS.items():
        lines += [f"## {factor.capitalize()} × policy ({parameter} {low} against {high})",
                  ""]
        for outcome, label in OUTCOMES.items():
            part = table[(table.factor == factor) & (table.outcome == outcome)]
            live = part[part.variant == ALL_LIVE].iloc[0]
            carried = carriers(table, factor, outcome)
            against = counterweights(table, factor, outcome)
            moved = movers(table, factor, outcome)
            clear = live.interaction_lo > 0 or live.interaction_hi < 0
            roles = (f"carried by: {', '.join(carried) if carried else 'no single channel'}"
                     + (f"; worked against by: {', '.join(against)}" if against else "")
                     if clear else "not clear of 0, so neither carried nor worked against"
                     + (f"; freezing one moves it clearly: {', '.join(moved)}" if moved
                        else ""))
            lines += [f"**{label}**: interaction {_cell(live.interaction, live.interaction_lo, live.interaction_hi, clear)}"  # noqa: E501
                      f" (D − H {live.gap_low:+.3f} at {low}, {live.gap_high:+.3f} at "
                      f"{high}); {roles}.",
                      "", "| variant | what the channel does | D − H low | D − H high | "
                      "interaction | Δ from all live |", "|---|---|---|---|---|---|"]
            for r in part.itertuples():
                what = "" if r.variant == ALL_LIVE else routes[r.variant].split(" (``")[0]
                delta = ("" if r.variant == ALL_LIVE else
                         _cell(r.delta, r.delta_lo, r.delta_hi, r.delta_lo > 0 or r.delta_hi < 0))
                lines.append(
                    f"| {r.variant} | {what} | {r.gap_low:+.3f} | {r.gap_high:+.3f} | "
                    f"{_cell(r.interaction, r.interaction_lo, r.interaction_hi)} | {delta} |")
            lines.append("")
    local = list(channels.LOCAL_KNOWLEDGE)
    found = {f"{c} ({OUTCOMES[o]})" for o in OUTCOMES
             for c in (*carriers(table, "turbulence", o), *counterweights(table, "turbulence", o),
                       *movers(table, "turbulence", o))
             if c in local and _favours_distributed(table, c, o)}
    lines += ["## Local knowledge", "",
              "The local-knowledge channels (" + ", ".join(local) + ": those doing the work "
              "learn of a change first, reports to a hub lag, estimates go stale) "
              + ("work for distributed leadership as the market speeds up: freezing one "
                 "moves the turbulence × policy interaction against distributed, clear of 0: "
                 f"{', '.join(sorted(found))}."
                 if found else
                 "carry no advantage to distributed leadership in the turbulence × policy "
                 "interaction: freezing none of them lowers it with an interval clear of "
                 "0."), ""]
    (out / "summary.md").write_text("\n".join(lines))

    # what a channel does is Δ, read from its own interval (two intervals of the
    # interaction, frozen and live, overlapping or not, would not say it: they are paired)
    role_colour = {"carries": "#c44e52", "works against": "#4c72b0",
                   "moves one not clear of 0": "#8172b3", "neither": "#999999"}
    fig, axes = plt.subplots(len(FACTORS), len(OUTCOMES), figsize=(4.6 * len(OUTCOMES), 8.4))
    for row, (factor, (_, (low, high), routes, _)) in zip(axes, FACTORS.items(), strict=True):
        names = list(routes)
        for ax, (outcome, label) in zip(row, OUTCOMES.items(), strict=True):
            part = table[(table.factor == factor) & (table.outcome == outcome)].set_index(
                "variant")
            live = part.loc[ALL_LIVE]
            carried = carriers(table, factor, outcome)
            against = counterweights(table, factor, outcome)
            moved = movers(table, factor, outcome)
            for k, name in enumerate(names):
                r = part.loc[name]
                role = ("carries" if name in carried else
                        "works against" if name in against else
                        "moves one not clear of 0" if name in moved else "neither")
                ax.errorbar(r.delta, k, xerr=[[r.delta - r.delta_lo], [r.delta_hi - r.delta]],
                            fmt="o", ms=5, capsize=2, color=role_colour[role])
            ax.axvline(0, color="#888", lw=0.8)
            ax.set_yticks(np.arange(len(names)), [f"{n} frozen" for n in names], fontsize=9)
            ax.invert_yaxis()
            ax.set_title(f"{label}\nall live {live.interaction:+.3f} "
                         f"[{live.interaction_lo:+.3f}, {live.interaction_hi:+.3f}]",
                         fontsize=10)
            ax.set_xlabel(f"Δ: interaction frozen − all live (D − H at {high} − at {low})",
                          fontsize=8)
            ax.grid(axis="x", alpha=0.3)
        row[0].set_ylabel(f"{factor} × policy", fontsize=11)
    handles = [plt.Line2D([], [], marker="o", ls="", color=colour, label=role)
               for role, colour in role_colour.items()]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=9,
               title="the channel (Δ's 95 % interval clear of 0: freezing it shrinks or "
                     "reverses the interaction, or enlarges it)", title_fontsize=9)
    fig.suptitle("What each channel does to the environment × leadership interaction: Δ when "
                 f"it is frozen (95 % intervals over {design.replications} paired seeds)",
                 fontsize=12)
    fig.tight_layout(rect=(0, 0.05, 1, 0.96))
    fig.savefig(out / "channels.png", dpi=130)
    plt.close(fig)
    return [f"channels: {len(runs)} runs -> {out / 'summary.md'} (and summary.csv, runs.csv, "
            "channels.png)"]


def _favours_distributed(table: pd.DataFrame, channel: str, outcome: str) -> bool:
    """Whether freezing ``channel`` lowers the interaction in distributed's favour
    (for burnout, where lower is better, whether it raises it)."""
    r = table[(table.factor == "turbulence") & (table.outcome == outcome)
              & (table.variant == channel)].iloc[0]
    return (r.delta > 0) if outcome == "burnout_share" else (r.delta < 0)


def run(out: Path, design: Design, workers: int | None = None,
        dask: str | None = None) -> list[str]:
    """Run what is not yet in ``out/runs.csv`` through the sweep runner's executor seam,
    saving as runs finish, and write the report."""
    runs = run_resumable(out, design, plan(design), _many, KEY, workers, dask)
    return write_report(runs, summarise(runs), design, out)
