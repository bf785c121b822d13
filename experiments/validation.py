"""Pattern-oriented validation (Grimm et al. 2005): the checks of ``shared/PATTERNS.md``.

``python -m experiments run validation`` (or ``make validate``) runs every check on fresh
seeds and writes ``report.md`` and ``report.csv`` (pattern, statistic, target, value with a
95 % interval, holds or not) and the V7 surface figure into ``results/validation/``.

The statistics are pure functions of data frames, so each is tested on synthetic data with
a known answer (``tests/test_validation.py``). A check never adjusts the model: when a
pattern does not hold, the report says so.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from model import OrganisationModel, Parameters

# ----------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0

    def text(self, digits: int = 2) -> str:
        if math.isnan(self.value):
            return "undefined"
        return f"{self.value:.{digits}f} [{self.low:.{digits}f}, {self.high:.{digits}f}]"


def pooled_correlation(frames: list[pd.DataFrame], x: str, y: str) -> Estimate:
    """Correlation of ``x`` and ``y`` within each frame (one run), pooled over runs by
    Fisher's z weighted by n − 3, with its 95 % interval (Hedges & Olkin 1985)."""
    zs, weights = [], []
    for frame in frames:
        a, b = frame[x].to_numpy(float), frame[y].to_numpy(float)
        if len(a) > 3 and a.std() > 0 and b.std() > 0:
            r = np.clip(np.corrcoef(a, b)[0, 1], -0.999999, 0.999999)
            zs.append(np.arctanh(r))
            weights.append(len(a) - 3)
    if not zs:
        return Estimate(math.nan, math.nan, math.nan)
    w = np.array(weights, float)
    z = float(np.average(zs, weights=w))
    half = 1.96 / math.sqrt(w.sum())
    return Estimate(math.tanh(z), math.tanh(z - half), math.tanh(z + half))


def standardised_difference(treated: np.ndarray, control: np.ndarray) -> Estimate:
    """Cohen's d (pooled SD) with its large-sample 95 % interval (Hedges & Olkin 1985)."""
    a, b = np.asarray(treated, float), np.asarray(control, float)
    na, nb = len(a), len(b)
    pooled = math.sqrt(((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / (na + nb - 2))
    d = (a.mean() - b.mean()) / pooled if pooled > 0 else math.nan
    se = math.sqrt((na + nb) / (na * nb) + d * d / (2 * (na + nb)))
    return Estimate(d, d - 1.96 * se, d + 1.96 * se)


def mean_difference(treated: np.ndarray, control: np.ndarray) -> Estimate:
    """Difference of means with a Welch 95 % interval (runs as the unit). Runs where the
    outcome is undefined (NaN, e.g. no task completed to have a quality) are left out;
    with fewer than two runs left on a side, the difference is undefined (NaN)."""
    treated = np.asarray(treated, float)
    control = np.asarray(control, float)
    treated, control = treated[~np.isnan(treated)], control[~np.isnan(control)]
    if len(treated) < 2 or len(control) < 2:
        return Estimate(math.nan, math.nan, math.nan)
    res = stats.ttest_ind(treated, control, equal_var=False)
    ci = res.confidence_interval(0.95)
    diff = float(np.mean(treated) - np.mean(control))
    return Estimate(diff, float(ci.low), float(ci.high))


def correlation(x: np.ndarray, y: np.ndarray) -> Estimate:
    """Pearson correlation with its 95 % interval (Fisher z); NaN where undefined (fewer
    than four pairs, or no variation)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 4 or x.std() == 0 or y.std() == 0:
        return Estimate(math.nan, math.nan, math.nan)
    result = stats.pearsonr(x, y)
    ci = result.confidence_interval(0.95)
    return Estimate(float(result.statistic), float(ci.low), float(ci.high))


def relative_weights(frame: pd.DataFrame, predictors: list[str], outcome: str) -> dict[str, float]:
    """Johnson's (2000) relative weights: each predictor's share of R² (shares sum to 1);
    NaN where undefined (too few rows, or a variable that does not vary)."""
    x = frame[predictors].to_numpy(float)
    y = frame[outcome].to_numpy(float)
    if len(y) < len(predictors) + 2 or y.std() == 0 or (x.std(0) == 0).any():
        return dict.fromkeys(predictors, math.nan)  # undefined
    x = (x - x.mean(0)) / x.std(0)
    y = (y - y.mean()) / y.std()
    rxx = np.corrcoef(x, rowvar=False)
    rxy = x.T @ y / len(y)
    evals, evecs = np.linalg.eigh(rxx)
    lam = evecs @ np.diag(np.sqrt(np.clip(evals, 0, None))) @ evecs.T
    beta = np.linalg.solve(lam, rxy)
    raw = (lam**2) @ (beta**2)
    return dict(zip(predictors, raw / raw.sum(), strict=True))


def r_squared(frame: pd.DataFrame, predictors: list[str], outcome: str) -> float:
    x = np.column_stack([np.ones(len(frame)), frame[predictors].to_numpy(float)])
    y = frame[outcome].to_numpy(float)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    residual = y - x @ beta
    return float(1 - residual.var() / y.var())


# ----------------------------------------------------------------------- simulation
def simulate(task: tuple[dict[str, Any], int, int]) -> dict[str, Any]:
    """One run: final outcomes (mean of the last quarter) and the final cross-section."""
    params, seed, steps = task
    model = OrganisationModel(rng=np.random.SeedSequence(seed), **params)
    for _ in range(steps):
        model.step()
    df = model.datacollector.get_model_vars_dataframe()
    outcomes = df.iloc[-max(1, steps // 4):].mean().to_dict()
    s = model.state
    on = s.active
    agents = pd.DataFrame({  # the cross-section the checks read, one row per employee
        "perceived_support": s.perceived_support[on], "intrinsic": s.reg[on, 4],
        "identified": s.reg[on, 3], "introjected": s.reg[on, 2], "external": s.reg[on, 1],
        "sat_autonomy": s.sat[on, 0], "sat_competence": s.sat[on, 1],
        "sat_relatedness": s.sat[on, 2], "sat_mean": s.sat[on].mean(axis=1),
        "energy": s.energy[on], "turnover_intention": s.turnover_intention[on],
        "performance": s.performance[on], "distance_to_leader": distance_to_leader(model)[on],
    })
    teams = team_cross_section(model)
    model.release()
    return {"params": params, "seed": seed, "outcomes": outcomes, "agents": agents,
            "teams": teams}


def distance_to_leader(model: OrganisationModel) -> np.ndarray:
    """Steps along ties from each employee to the formal leader (NaN without a leader, or
    out of its reach): the centre and periphery of a centralised structure (Leavitt 1951)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import shortest_path

    n = model.state.n
    if model.leader < 0:
        return np.full(n, np.nan)
    ties = model.ties
    graph = coo_matrix((np.ones(len(ties.u)), (ties.u, ties.v)), shape=(n, n)).tocsr()
    hops = shortest_path(graph, directed=False, unweighted=True, indices=model.leader)
    return np.where(np.isinf(hops), np.nan, hops)


def team_cross_section(model: OrganisationModel) -> pd.DataFrame:
    """One row per formal team: how shared its leadership was over the recent window, what
    it produced and how satisfied its members are.

    ``leadership_density``: distinct lead → member pairs inside the team over the window,
    out of the ``k(k − 1)`` possible (shared leadership as network density; Carson, Tesluk
    & Marrone 2007). ``performance``: contribution per member per step (idle steps count
    0). ``need_satisfaction``: mean need satisfaction of its members.
    """
    s = model.state
    n_teams = int(s.team.max()) + 1
    lead, member = model.lead_pairs_in_window()
    inside = (s.team[lead] == s.team[member]) & s.active[lead] & s.active[member]
    pairs = np.unique(np.stack([lead[inside], member[inside]]), axis=1)
    on = s.active
    size = np.bincount(s.team[on], minlength=n_teams).astype(float)
    density = np.bincount(s.team[pairs[0]], minlength=n_teams) / np.maximum(size * (size - 1), 1)

    def team_mean(values: np.ndarray) -> np.ndarray:
        return np.bincount(s.team[on], weights=values[on], minlength=n_teams) / np.maximum(size, 1)

    frame = pd.DataFrame({
        "size": size, "leadership_density": density,
        "performance": team_mean(s.output), "need_satisfaction": team_mean(s.sat.mean(axis=1)),
    })
    return frame[frame["size"] >= 3]


@dataclass(frozen=True)
class Design:
    """How much to simulate: the full run by default, small for tests. ``base`` changes
    model parameters for every condition (a robustness variant); a condition's own
    parameters take precedence."""

    employees: int = Parameters().n_employees
    steps: int = 150
    seeds: int = 20
    seed: int = 20261127
    base: tuple[tuple[str, Any], ...] = ()


ROBUSTNESS: dict[str, dict[str, Any]] = {
    "50 employees": {"n_employees": 50},
    "200 employees": {"n_employees": 200},
    "stable (turbulence 0.1)": {"turbulence": 0.1},
    "turbulent (turbulence 0.6)": {"turbulence": 0.6},
    "simpler tasks (complexity 0.3)": {"task_complexity": 0.3},
    "harder tasks (complexity 0.7)": {"task_complexity": 0.7},
    "scale-free network": {"network": "scale_free"},
    "weak shared purpose (0.3)": {"shared_purpose": 0.3},
}
"""Other defaults under which every check is repeated: the report says which still hold."""


class Runs:
    """Runs of named conditions, executed through one executor, on fresh seeds.

    Condition k of a validation gets the k-th block of seeds. ``cache`` may be shared
    between validations: a condition with the same parameters and seeds is run once.
    """

    def __init__(self, design: Design, executor: cf.Executor,
                 cache: dict[Any, list[dict[str, Any]]] | None = None) -> None:
        self.design, self.executor = design, executor
        self._names: dict[str, list[dict[str, Any]]] = {}
        self._shared = {} if cache is None else cache
        self._next_seed = design.seed
        self.v7_surface: np.ndarray | None = None

    def of(self, name: str, **params: Any) -> list[dict[str, Any]]:
        if name not in self._names:
            full = {"n_employees": self.design.employees, **dict(self.design.base), **params}
            seeds = range(self._next_seed, self._next_seed + self.design.seeds)
            self._next_seed += self.design.seeds
            key = (tuple(sorted(full.items())), seeds.start, seeds.stop, self.design.steps)
            if key not in self._shared:
                tasks = [(full, s, self.design.steps) for s in seeds]
                self._shared[key] = list(self.executor.map(simulate, tasks))
            self._names[name] = self._shared[key]
        return self._names[name]

    def outcome(self, name: str, column: str, **params: Any) -> np.ndarray:
        return np.array([r["outcomes"][column] for r in self.of(name, **params)])

    def agents(self, name: str, **params: Any) -> list[pd.DataFrame]:
        return [r["agents"] for r in self.of(name, **params)]

    def outcomes_of(self, names: list[str]) -> pd.DataFrame:
        """Run-level outcomes of conditions already run, one row per run."""
        return pd.DataFrame([r["outcomes"] for name in names for r in self._names[name]])


# ----------------------------------------------------------------------- the checks


@dataclass
class Row:
    pattern: str
    statistic: str
    target: str
    value: str
    holds: bool
    source: str


CHECKS: list[Callable[[Runs], list[Row]]] = []


def check(fn):
    CHECKS.append(fn)
    return fn


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
def v7_structure(runs: Runs) -> list[Row]:
    surface = np.zeros((len(V7_GRID), len(V7_GRID)))
    for i, complexity in enumerate(V7_GRID):
        for j, turbulence in enumerate(V7_GRID):
            kwargs = {"task_complexity": complexity, "turbulence": turbulence}
            h = runs.outcome(f"v7 heroic {i}{j}", "tasks_completed", policy="heroic", **kwargs)
            d = runs.outcome(f"v7 distributed {i}{j}", "tasks_completed",
                             policy="distributed", **kwargs)
            surface[i, j] = h.mean() - d.mean()
    runs.v7_surface = surface
    simple, complex_ = surface[0, 0], surface[-1, -1]
    frames = [f.dropna(subset=["distance_to_leader"]) for f in runs.agents("heroic",
                                                                           policy="heroic")]
    periphery = pooled_correlation(frames, "distance_to_leader", "sat_autonomy")
    source = "Leavitt 1951; Shaw 1978; Wang 2014; D'Innocenzo 2016"
    return [
        Row("V7", "heroic minus distributed throughput: simple & stable | complex & turbulent",
            "≥ 0 | ≤ 0 (a sensitivity surface: see v7_surface.png)",
            f"{simple:+.2f} | {complex_:+.2f}", simple >= 0 and complex_ <= 0, source),
        Row("V7", "under heroic, corr(distance to the formal leader, autonomy satisfaction)",
            "< 0 (peripheral employees less satisfied)", periphery.text(),
            periphery.high < 0, source),
    ]


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


# ----------------------------------------------------------------------- the report


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


@dataclass
class Validation:
    """The checks at the defaults (``table``), whether each still holds under every
    robustness variant (``robustness``: one column per variant), and the V7 surfaces."""

    design: Design
    table: pd.DataFrame
    robustness: pd.DataFrame
    surfaces: dict[str, np.ndarray]  # by organisation size, smallest first


def _checks(runs: Runs) -> pd.DataFrame:
    table = pd.DataFrame([dataclasses.asdict(r) for fn in CHECKS for r in fn(runs)])
    letters = table.groupby("pattern").cumcount().map(lambda k: "abcdefgh"[k])
    table.insert(0, "check", table.pattern + letters)
    return table


def validate(design: Design, executor: cf.Executor,
             variants: dict[str, dict[str, Any]] | None = None) -> Validation:
    """Every check at the defaults, then again under each variant (on half the seeds)."""
    variants = ROBUSTNESS if variants is None else variants
    cache: dict[Any, list[dict[str, Any]]] = {}
    runs = Runs(design, executor, cache)
    table = _checks(runs)
    robustness = pd.DataFrame({"check": table.check, "defaults": table.holds})
    surfaces = {design.employees: runs.v7_surface}
    for label, change in variants.items():
        variant = dataclasses.replace(design, seeds=max(2, design.seeds // 2),
                                      base=tuple(sorted(change.items())))
        variant_runs = Runs(variant, executor, cache)
        robustness[label] = _checks(variant_runs).holds.to_numpy()
        if "n_employees" in change:
            surfaces[change["n_employees"]] = variant_runs.v7_surface
    named = {f"{n} employees{' (defaults)' if n == design.employees else ''}": surfaces[n]
             for n in sorted(surfaces)}
    return Validation(design, table, robustness, named)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def write_report(result: Validation, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    table, robustness, design = result.table, result.robustness, result.design
    table.to_csv(out / "report.csv", index=False)
    robustness.to_csv(out / "robustness.csv", index=False)
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
