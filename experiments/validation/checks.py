"""The checks of ``shared/PATTERNS.md``: each reads the runs of the conditions it names and
returns its rows (and any figure data). A check never adjusts the model: when a pattern
does not hold, its row says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from experiments.validation.conditions import Runs
from experiments.validation.statistics import (
    Estimate,
    correlation,
    mean_difference,
    pooled_correlation,
    r_squared,
    relative_weights,
    standardised_difference,
)


@dataclass
class Row:
    pattern: str
    statistic: str
    target: str
    value: str
    holds: bool
    source: str


@dataclass
class CheckResult:
    """What a check found: its rows, and any figure data by name (e.g. the V7 surface)."""

    rows: list[Row]
    figures: dict[str, np.ndarray] = field(default_factory=dict)


CHECKS: list[Callable[[Runs], CheckResult]] = []
"""Every check, in report order."""


def check(fn: Callable[[Runs], list[Row] | CheckResult]) -> Callable[[Runs], CheckResult]:
    """Register a check; a check that returns only rows has no figures."""
    def checked(runs: Runs) -> CheckResult:
        found = fn(runs)
        return found if isinstance(found, CheckResult) else CheckResult(found)

    checked.__name__, checked.__doc__ = fn.__name__, fn.__doc__
    CHECKS.append(checked)
    return checked


@check
def v1_autonomy_support(runs: Runs) -> list[Row]:
    frames = runs.agents("heroic", policy="heroic")
    r = {reg: pooled_correlation(frames, "perceived_support", reg)
         for reg in ("intrinsic", "identified", "introjected", "external")}
    needs = pooled_correlation(frames, "perceived_support", "sat_mean")
    order = (r["intrinsic"].value > r["identified"].value > r["introjected"].value
             and abs(r["introjected"].value) < 0.15 and abs(r["external"].value) < 0.15)
    low = runs.outcome("heroic las 0.1", "rai", policy="heroic", leader_autonomy_support=0.1)
    high = runs.outcome("heroic las 0.9", "rai", policy="heroic", leader_autonomy_support=0.9)
    rise = mean_difference(high, low)
    source = "Slemp et al. 2018"
    return [
        Row("V1", "corr(perceived autonomy support, regulation): intrinsic, identified, "
            "introjected, external", ".38 > .31 > -.04 ≈ .00",
            ", ".join(f"{k} {v.text()}" for k, v in r.items()), order, source),
        Row("V1", "corr(perceived autonomy support, mean need satisfaction)", "≈ .55 (.35–.75)",
            needs.text(), 0.35 <= needs.value <= 0.75, source),
        Row("V1", "mean rai, leader autonomy support 0.9 minus 0.1", "> 0", rise.text(),
            rise.low > 0, source),
    ]


@check
def v2_rewards(runs: Runs) -> list[Row]:
    off = runs.agents("heroic", policy="heroic")
    on = runs.agents("heroic rewards", policy="heroic", contingent_rewards=1.0)
    d = standardised_difference(pd.concat(on).intrinsic.to_numpy(),
                                pd.concat(off).intrinsic.to_numpy())
    def d_of_style(high: float, low: float) -> Estimate:
        frames = {style: runs.agents(f"heroic las {style}", policy="heroic",
                                     leader_autonomy_support=style) for style in (high, low)}
        return standardised_difference(pd.concat(frames[high]).intrinsic.to_numpy(),
                                       pd.concat(frames[low]).intrinsic.to_numpy())

    d_step, d_range = d_of_style(0.6, 0.5), d_of_style(0.9, 0.1)
    source = "Deci, Koestner & Ryan 1999"
    return [
        Row("V2", "d of intrinsic, contingent rewards on vs off (across employees)",
            "≈ -0.34 (-0.6 to -0.1)", d.text(), -0.6 <= d.value <= -0.1, source),
        Row("V2", "d of intrinsic, leader one step more informational (style 0.6 vs the "
            "default 0.5; the whole range, 0.9 vs 0.1, for comparison)",
            "≈ +0.33 (+0.1 to +0.6)", f"{d_step.text()} (whole range {d_range.value:+.2f})",
            0.1 <= d_step.value <= 0.6, source),
    ]


@check
def v3_needs(runs: Runs) -> list[Row]:
    frame = pd.concat(runs.agents("heroic", policy="heroic"))
    needs = ["sat_autonomy", "sat_competence", "sat_relatedness"]
    engagement = relative_weights(frame, needs, "energy")
    performing = relative_weights(frame.dropna(subset=["performance"]), needs, "performance")
    r2 = max(r_squared(frame, needs, "external"), r_squared(frame, needs, "introjected"))
    shares = "/".join(f"{100 * engagement[n]:.0f}" for n in needs)
    source = "Van den Broeck et al. 2016"
    return [
        Row("V3", "relative weights of A/C/R for engagement (energy as vitality), %",
            "≈ 63/13/25 (autonomy largest)", shares,
            engagement["sat_autonomy"] == max(engagement.values()), source),
        Row("V3", "relative weights of A/C/R for task performance (rated while working), %",
            "≈ 20/64/16 (competence largest)", "/".join(f"{100 * performing[n]:.0f}"
                                                       for n in needs),
            performing["sat_competence"] == max(performing.values()), source),
        Row("V3", "R² of the needs on external or introjected (larger)", "near 0 (< .10)",
            f"{r2:.2f}", r2 < 0.10, source),
    ]


@check
def v4_frustration(runs: Runs) -> list[Row]:
    def effect(pathway: bool, column: str) -> Estimate:
        tag = "on" if pathway else "off"
        ctrl = runs.outcome(f"controlling {tag}", column, policy="heroic",
                            leader_autonomy_support=0.1, frustration_pathway=pathway)
        supp = runs.outcome(f"supportive {tag}", column, policy="heroic",
                            leader_autonomy_support=0.9, frustration_pathway=pathway)
        return mean_difference(ctrl, supp)

    rows = []
    for column in ("exits", "burnout_share"):
        with_f, without = effect(True, column), effect(False, column)
        rows.append(Row(
            "V4", f"controlling minus supportive leader: {column}, frustration on | off",
            "on > 0, off ≈ 0 (or much smaller)", f"{with_f.text(3)} | {without.text(3)}",
            with_f.low > 0 and (not without.excludes_zero() or without.value < with_f.value / 2),
            "Chen et al. 2015"))
    corr = pooled_correlation(runs.agents("heroic", policy="heroic"), "perceived_support",
                              "turnover_intention")
    rows.append(Row("V4", "corr(perceived autonomy support, turnover intention)",
                    "≈ -.40 (-.6 to -.2)", corr.text(), -0.6 <= corr.value <= -0.2,
                    "Slemp et al. 2018; Tett & Meyer 1993"))
    return rows


@check
def v5_shared_leadership(runs: Runs) -> list[Row]:
    teams = [r["teams"] for r in runs.of("distributed", policy="distributed")]
    performance = pooled_correlation(teams, "leadership_density", "performance")
    satisfaction = pooled_correlation(teams, "leadership_density", "need_satisfaction")
    return [Row(
        "V5", "across teams (distributed), corr(shared leadership density, team performance) "
        "| corr(density, team need satisfaction)", "≈ .2–.35 (.10–.50), and larger for "
        "satisfaction", f"{performance.text()} | {satisfaction.text()}",
        0.10 <= performance.value <= 0.50 and satisfaction.value > performance.value,
        "Wang, Waldman & Zhang 2014; D'Innocenzo et al. 2016")]


@check
def v6_peer_support(runs: Runs) -> list[Row]:
    low = runs.outcome("purpose 0.1", "leaders_active", policy="distributed", shared_purpose=0.1)
    high = runs.outcome("purpose 0.9", "leaders_active", policy="distributed", shared_purpose=0.9)
    rise = mean_difference(high, low)
    none = runs.outcome("no support", "leaders_active", policy="distributed", claim_support=0.9)
    base = runs.outcome("distributed", "leaders_active", policy="distributed")
    source = "Carson, Tesluk & Marrone 2007"
    return [
        Row("V6", "people who led lately, shared purpose 0.9 minus 0.1", "> 0", rise.text(1),
            rise.low > 0, source),
        Row("V6", "people who led lately when peer support is hard to get (claim_support "
            "0.9) vs default", "collapses to a few", f"{none.mean():.1f} vs {base.mean():.1f}",
            none.mean() < 0.25 * base.mean(), source),
    ]


V7_GRID = (0.1, 0.5, 0.9)


@check
def v7_structure(runs: Runs) -> CheckResult:
    surface = np.zeros((len(V7_GRID), len(V7_GRID)))
    for i, complexity in enumerate(V7_GRID):
        for j, turbulence in enumerate(V7_GRID):
            kwargs = {"task_complexity": complexity, "turbulence": turbulence}
            h = runs.outcome(f"v7 heroic {i}{j}", "tasks_completed", policy="heroic", **kwargs)
            d = runs.outcome(f"v7 distributed {i}{j}", "tasks_completed",
                             policy="distributed", **kwargs)
            surface[i, j] = h.mean() - d.mean()
    simple, complex_ = surface[0, 0], surface[-1, -1]
    frames = [f.dropna(subset=["distance_to_leader"]) for f in runs.agents("heroic",
                                                                           policy="heroic")]
    periphery = pooled_correlation(frames, "distance_to_leader", "sat_autonomy")
    source = "Leavitt 1951; Shaw 1978; Wang 2014; D'Innocenzo 2016"
    return CheckResult([
        Row("V7", "heroic minus distributed throughput: simple & stable | complex & turbulent",
            "≥ 0 | ≤ 0 (a sensitivity surface: see v7_surface.png)",
            f"{simple:+.2f} | {complex_:+.2f}", simple >= 0 and complex_ <= 0, source),
        Row("V7", "under heroic, corr(distance to the formal leader, autonomy satisfaction)",
            "< 0 (peripheral employees less satisfied)", periphery.text(),
            periphery.high < 0, source),
    ], figures={"v7_surface": surface})


@check
def v8_protocols(runs: Runs) -> list[Row]:
    kwargs = {"task_complexity": 0.5}
    started_d = runs.outcome("flat", "tasks_started", policy="distributed",
                             protocol_coverage=0.0, **kwargs)
    done_d = runs.outcome("flat", "tasks_completed", policy="distributed",
                          protocol_coverage=0.0, **kwargs)
    started_h = runs.outcome("v8 heroic", "tasks_started", policy="heroic", **kwargs)
    done_h = runs.outcome("v8 heroic", "tasks_completed", policy="heroic", **kwargs)
    done_p = runs.outcome("flat with protocols", "tasks_completed", policy="distributed",
                          protocol_coverage=1.0, **kwargs)
    restore = mean_difference(done_p, done_d)
    source = "Lee 2022; Adler, Heckscher & Prusak 2011"
    return [
        Row("V8", "no protocols: distributed vs heroic, started | completed per step",
            "starts more, finishes fewer",
            f"{started_d.mean():.2f} vs {started_h.mean():.2f} | {done_d.mean():.2f} vs "
            f"{done_h.mean():.2f}", started_d.mean() > started_h.mean()
            and done_d.mean() < done_h.mean(), source),
        Row("V8", "completed per step, protocol coverage 1 minus 0 (distributed)", "> 0",
            restore.text(), restore.low > 0, source),
    ]


@check
def v9_quality(runs: Runs) -> list[Row]:
    kwargs = {"policy": "heroic", "task_complexity": 0.2}

    def run_means(name: str, column: str, **params: Any) -> np.ndarray:
        return np.array([frame[column].mean() for frame in runs.agents(name, **params)])

    work_on = run_means("simple rewards", "performance", contingent_rewards=1.0, **kwargs)
    work_off = run_means("simple", "performance", **kwargs)
    q_on = runs.outcome("simple rewards", "mean_quality", contingent_rewards=1.0, **kwargs)
    q_off = runs.outcome("simple", "mean_quality", **kwargs)
    quantity, quality = mean_difference(work_on, work_off), mean_difference(q_on, q_off)
    runs.of("heroic las 0.1", policy="heroic", leader_autonomy_support=0.1)
    runs.of("heroic las 0.9", policy="heroic", leader_autonomy_support=0.9)
    outcomes = runs.outcomes_of(["simple", "simple rewards", "heroic las 0.1",
                                 "heroic las 0.9"])
    outcomes = outcomes.dropna(subset=["autonomous_motivation", "mean_quality"])
    corr = correlation(outcomes.autonomous_motivation, outcomes.mean_quality)
    source = "Cerasoli, Nicklin & Ford 2014"
    return [
        Row("V9", "contingent rewards on simple tasks: work done per person per working step "
            "| task quality (on minus off)", "> 0 | ≤ 0", f"{quantity.text(3)} | {quality.text(3)}",
            quantity.low > 0 and not quality.low > 0, source),
        Row("V9", "across runs, corr(autonomous motivation, quality)", "> 0",
            corr.text(), corr.low > 0, source),
    ]




OPERATIONALISATION = (
    "Cross-sectional checks (V1, V3, V4c, V7b) use every employee at the last step, under a "
    "heroic leader of the default style; correlations are pooled over runs by Fisher's z.",
    "V2b: the model has no separate feedback lever, so informational feedback is one step "
    "(0.1) of the leader's style from the default; the whole range is shown beside it. "
    "Given V1's cross-sectional slope, a whole-range contrast must give d ≈ 2: that is what "
    "a leader style that differs by 8 SD of perceived support does.",
    "V3a: engagement is read as energy (vitality). V3b: task performance is an employee's "
    "contribution per step while working (moving average), as a rater of their work sees it.",
    "V5: teams are the formal teams; shared leadership is the density of lead → member pairs "
    "inside the team over the recent window (Carson et al. 2007); team performance is "
    "contribution per member per step.",
    "V7b: the periphery of a centralised structure is the distance along ties to the formal "
    "leader (Leavitt 1951).",
    "V9a: quantity is work done per person per working step; the organisation's completed "
    "count is bound by the formal leader's queue, not by effort.",
)
"""How each check reads the model, printed in the report."""
