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
    mean_with_interval,
    pooled_correlation,
    r_squared,
    relative_weights,
    risk_ratio,
    standardised_betas,
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
    engagement = relative_weights(frame, needs, "vitality")
    performing = relative_weights(frame.dropna(subset=["performance"]), needs, "performance")
    r2 = max(r_squared(frame, needs, "external"), r_squared(frame, needs, "introjected"))
    shares = "/".join(f"{100 * engagement[n]:.0f}" for n in needs)
    source = "Van den Broeck et al. 2016"
    return [
        Row("V3", "relative weights of A/C/R for engagement (vitality), %",
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



CONTINUUM = ("external", "introjected", "identified", "intrinsic")
V10_BANDS = {("external", "introjected"): (0.35, 0.50), ("introjected", "identified"): (0.40, 0.55),
             ("external", "intrinsic"): (0.0, 0.15), ("amotivation", "intrinsic"): (-0.45, -0.30)}
BAND_SLACK = 0.05
"""PATTERNS calls the V10 bands approximate: a pair within 0.05 of its band counts."""


def _default_frames(runs: Runs) -> list[pd.DataFrame]:
    return runs.agents("heroic", policy="heroic") + runs.agents("distributed",
                                                                policy="distributed")


@check
def v10_continuum(runs: Runs) -> list[Row]:
    frames = _default_frames(runs)
    r = {(a, b): pooled_correlation(frames, a, b).value
         for i, a in enumerate(CONTINUUM) for b in CONTINUUM[i + 1:]}
    by_lag = [float(np.mean([v for (a, b), v in r.items()
                             if CONTINUUM.index(b) - CONTINUUM.index(a) == lag]))
              for lag in (1, 2, 3)]
    highest = max(r, key=r.get)
    bands = {pair: pooled_correlation(frames, *pair) for pair in V10_BANDS}
    within = {pair: V10_BANDS[pair][0] - BAND_SLACK <= e.value <= V10_BANDS[pair][1] + BAND_SLACK
              for pair, e in bands.items()}
    source = "Ryan & Connell 1989; Howard, Gagné & Bureau 2017; Gagné et al. 2015"
    return [
        Row("V10", "mean corr of the four regulations by distance on the continuum (1 | 2 | 3 "
            "steps); highest pair", "falls with distance; identified–intrinsic highest",
            " | ".join(f"{v:.2f}" for v in by_lag) + f"; {highest[0]}–{highest[1]} "
            f"{r[highest]:.2f}", by_lag[0] > by_lag[1] > by_lag[2]
            and highest == ("identified", "intrinsic"), source),
        Row("V10", "pairs against their bands: external–introjected, introjected–identified, "
            "external–intrinsic, amotivation–intrinsic",
            ".35–.50, .40–.55, .00–.15, -.30 to -.45 (each ± .05)",
            ", ".join(bands[pair].text() for pair in V10_BANDS), all(within.values()), source),
    ]


@check
def v11_two_processes(runs: Runs) -> list[Row]:
    frames = _default_frames(runs)
    needs = ["sat_mean", "frus_mean"]
    vitality = np.array([standardised_betas(f, needs, "vitality") for f in frames])
    exhaustion = np.array([standardised_betas(f, needs, "exhaustion") for f in frames])
    sat_on_vitality = mean_with_interval(vitality[:, 0])
    frus_on_exhaustion = mean_with_interval(exhaustion[:, 1])
    related = pooled_correlation(frames, "vitality", "exhaustion")
    source = "Chen et al. 2015; Bartholomew et al. 2011; Schaufeli & Bakker 2004"
    return [
        Row("V11", "standardised β, across employees: satisfaction on vitality | frustration "
            "on exhaustion, each beside the other", "both > 0",
            f"{sat_on_vitality.text()} | {frus_on_exhaustion.text()}",
            sat_on_vitality.low > 0 and frus_on_exhaustion.low > 0, source),
        Row("V11", "corr(vitality, exhaustion) across employees", "≈ -.3 to -.5 (related, "
            "distinct)", related.text(), -0.5 <= related.value <= -0.3, source),
    ]


@check
def v12_demands_and_resources(runs: Runs) -> list[Row]:
    rises = {}
    for policy in ("heroic", "distributed", "fostering"):
        rises[policy] = {
            c: mean_difference(
                runs.outcome(f"{policy} heavy load", c, policy=policy, task_rate=0.07),
                runs.outcome(f"{policy} light load", c, policy=policy, task_rate=0.03))
            for c in ("mean_exhaustion", "burnout_share")}
    demands_bite = all(e["mean_exhaustion"].low > 0 and e["burnout_share"].value >= 0
                       for e in rises.values())
    style = mean_difference(
        runs.outcome("heroic las 0.9", "mean_vitality", policy="heroic",
                     leader_autonomy_support=0.9),
        runs.outcome("heroic las 0.1", "mean_vitality", policy="heroic",
                     leader_autonomy_support=0.1))
    peers = mean_difference(
        runs.outcome("purpose 0.9", "mean_vitality", policy="distributed", shared_purpose=0.9),
        runs.outcome("purpose 0.1", "mean_vitality", policy="distributed", shared_purpose=0.1))
    frames = _default_frames(runs)
    pressure = risk_ratio([f.burnt_out for f in frames],
                          [f.demands >= f.demands.quantile(0.75) for f in frames])
    support = risk_ratio([f.burnt_out for f in frames],
                         [f.perceived_support <= f.perceived_support.quantile(0.25)
                          for f in frames])
    source = "Bakker & Demerouti 2007, 2017; CBS 2011"
    return [
        Row("V12", "task arrivals 0.07 minus 0.03 per position: mean exhaustion | burnout share "
            "(heroic; distributed; fostering)", "> 0 | ≥ 0 under every policy",
            "; ".join(f"{e['mean_exhaustion'].text()} | {e['burnout_share'].value:+.3f}"
                      for e in rises.values()), demands_bite, source),
        Row("V12", "mean vitality, resources up: leader style 0.9 minus 0.1 (heroic) | shared "
            "purpose 0.9 minus 0.1 (distributed)", "> 0 | > 0", f"{style.text()} | "
            f"{peers.text()}", style.low > 0 and peers.low > 0, source),
        Row("V12", "risk of burnout, top quarter of demands vs the rest | bottom quarter of "
            "perceived support vs the rest", "≈ 3–4× | ≈ 4–5× (each ≥ 2)",
            f"{pressure:.1f}× | {support:.1f}×", pressure >= 2 and support >= 2, source),
    ]


PLAUSIBILITY: tuple[tuple[str, str, str, tuple[float, float]], ...] = (
    ("P1", "annual voluntary turnover", "about 10–25 %", (0.10, 0.25)),
    ("P2", "burnout (sustained high exhaustion)", "about 10–20 %", (0.10, 0.20)),
    ("P3", "utilisation (share of staff on a task)", "about 70–90 %", (0.70, 0.90)),
    ("P4", "tasks that fail (of those that end)", "well under half (< 40 %)", (0.0, 0.40)),
    ("P5", "corr(autonomous motivation, performance) across employees", "ρ ≈ .25–.37",
     (0.25, 0.37)),
    ("P5", "corr(turnover intention, quitting within a year)", "ρ ≈ .35–.45", (0.35, 0.45)),
)
"""The field figures every default run should land near (PATTERNS, Plausibility)."""
WEEKS_PER_YEAR = 52


def plausibility(runs: Runs) -> pd.DataFrame:
    """Each field figure of PATTERNS at the defaults, under each policy: value with a 95 %
    interval, and whether it lies in the field range. Reported, not counted as checks."""
    rows = []
    for policy in ("heroic", "distributed", "fostering"):
        done = runs.of(policy, policy=policy)
        out = pd.DataFrame([r["outcomes"] for r in done])
        agents = [r["agents"].dropna(subset=["performance"]) for r in done]
        agents = [f.assign(autonomous=0.5 * (f.identified + f.intrinsic)) for f in agents]
        ended = out.tasks_failed + out.tasks_completed
        values = {
            "P1": mean_with_interval(out.exits / out.headcount * WEEKS_PER_YEAR),
            "P2": mean_with_interval(out.burnout_share),
            "P3": mean_with_interval(out.utilisation),
            "P4": mean_with_interval(out.tasks_failed / ended.where(ended > 0)),
        }
        performance = pooled_correlation(agents, "autonomous", "performance")
        quitting = pooled_correlation(runs.intentions(policy, policy=policy),
                                      "turnover_intention", "quit")
        for (figure, what, field_range, (low, high)), estimate in zip(
                PLAUSIBILITY, [*values.values(), performance, quitting], strict=True):
            rows.append({"figure": figure, "what": what, "field": field_range, "policy": policy,
                         "value": estimate.text(), "in_range": low <= estimate.value <= high})
    return pd.DataFrame(rows)




OPERATIONALISATION = (
    "Cross-sectional checks (V1, V3, V4c, V7b) use every employee at the last step, under a "
    "heroic leader of the default style; correlations are pooled over runs by Fisher's z.",
    "V2b: the model has no separate feedback lever, so informational feedback is one step "
    "(0.1) of the leader's style from the default; the whole range is shown beside it. "
    "Given V1's cross-sectional slope, a whole-range contrast must give d ≈ 2: that is what "
    "a leader style that differs by 8 SD of perceived support does.",
    "V10–V12 read the default heroic and distributed organisations together (every "
    "employee at the last step); V12's demands are each employee's recent job demands "
    "(workload, time pressure, misfit, problems, blocked work, leading), burnout is "
    "exhaustion above 0.5 for four weeks in a row.",
    "V3a: engagement is read as vitality. V3b: task performance is an employee's "
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
