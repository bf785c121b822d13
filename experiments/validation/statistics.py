"""The statistics of the validation checks: pure functions of data frames, each tested on
synthetic data with a known answer (``tests/test_validation.py``)."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


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
    per_run = []
    for frame in frames:
        a, b = frame[x].to_numpy(float), frame[y].to_numpy(float)
        if len(a) > 3 and a.std() > 0 and b.std() > 0:
            per_run.append((float(np.corrcoef(a, b)[0, 1]), len(a)))
    z, weight = _fisher_pooled(per_run)
    if weight == 0:
        return Estimate(math.nan, math.nan, math.nan)
    half = 1.96 / math.sqrt(weight)
    return Estimate(math.tanh(z), math.tanh(z - half), math.tanh(z + half))


def _fisher_pooled(per_run: list[tuple[float, int]]) -> tuple[float, float]:
    """Correlations of runs of ``n`` people each, ``(r, n)``, pooled: the mean of their
    Fisher's z weighted by ``n − 3``, and the total weight (0, with z NaN, for none)."""
    if not per_run:
        return math.nan, 0.0
    r = np.clip([r for r, _ in per_run], -0.999999, 0.999999)
    weights = np.array([n - 3 for _, n in per_run], float)
    return float(np.average(np.arctanh(r), weights=weights)), float(weights.sum())


def correlation_ceiling(x: np.ndarray, share: float, floor: float = 0.0) -> float:
    """The correlation with ``x`` that the best rule would be expected to give a yes/no
    outcome of ``share`` (leaving within a year), when every person has the chance
    ``floor`` of it whatever ``x`` is (leaving for reasons outside work: a chance for
    each person, not a share of those with the outcome).

    Among rules ``P(yes | x) = floor + (1 − floor)·g(x)`` with ``g`` in [0, 1] and that
    share, ``Cov(x, yes)`` is largest for a threshold: ``g = 1`` on the top
    ``s = (share − floor) / (1 − floor)`` of ``x`` and 0 below (maximising a covariance
    at a fixed mean puts every chance at a bound), so this is ``Cov(x, E[yes | x]) /
    (SD(x)·√(share·(1 − share)))`` for that rule. With ``floor`` 0 it bounds the
    correlation itself: the people with the outcome at the top of ``x`` (how a base rate
    far from one half caps a correlation with a dichotomy, Nunnally & Bernstein 1994);
    with a floor it is an expected value, which a sample's correlation may pass by
    chance. NaN when ``x`` does not vary, ``share`` is 0 or 1 or ``floor`` is 1; 0 when
    the share is no more than the floor gives."""
    values = np.sort(np.asarray(x, dtype=float))[::-1]
    n = len(values)
    if n < 2 or values[0] == values[-1] or not 0.0 < share < 1.0 or not 0.0 <= floor < 1.0:
        return math.nan
    top = max(0.0, (share - floor) / (1.0 - floor)) * n  # how many the threshold takes
    whole = int(top)
    top_sum = values[:whole].sum() + (top - whole) * (values[whole] if whole < n else 0.0)
    covariance = (1.0 - floor) * (top_sum - top * values.mean()) / n
    return float(covariance / (values.std() * math.sqrt(share * (1.0 - share))))


def pooled_ceiling(frames: list[pd.DataFrame], x: str, y: str, floor: float = 0.0) -> float:
    """``correlation_ceiling`` of ``x`` in each frame (one run) at the share of its rows
    with ``y``, pooled over runs as ``pooled_correlation`` pools their correlations
    (Fisher's z weighted by n − 3). With ``floor`` 0, the most
    ``pooled_correlation(frames, x, y)`` can be; with a floor, what the best rule would be
    expected to give."""
    per_run = []
    for frame in frames:
        ceiling = correlation_ceiling(frame[x].to_numpy(float), float(frame[y].mean()), floor)
        if len(frame) > 3 and not math.isnan(ceiling):
            per_run.append((ceiling, len(frame)))
    return math.tanh(_fisher_pooled(per_run)[0])


def paired_difference(treated: np.ndarray, control: np.ndarray) -> Estimate:
    """Mean of the differences of paired runs (the same seed under two conditions: common
    random numbers), with its 95 % t interval over the pairs. Pairs where either outcome
    is undefined (NaN) are left out; with fewer than two pairs left, undefined (NaN)."""
    a, b = np.asarray(treated, float), np.asarray(control, float)
    if a.shape != b.shape:
        raise ValueError(f"paired runs must match one to one: {len(a)} against {len(b)}")
    d = (a - b)[~(np.isnan(a) | np.isnan(b))]
    if len(d) < 2:
        return Estimate(math.nan, math.nan, math.nan)
    mean = float(d.mean())
    half = float(stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / math.sqrt(len(d)))
    return Estimate(mean, mean - half, mean + half)


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
    with warnings.catch_warnings():  # runs all alike: no interval (NaN), said without noise
        warnings.simplefilter("ignore", RuntimeWarning)
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


def standardised_betas(frame: pd.DataFrame, predictors: list[str], outcome: str) -> np.ndarray:
    """Standardised regression coefficients of ``outcome`` on ``predictors`` (OLS on
    z-scores): what each predicts beyond the others."""
    x = frame[predictors].to_numpy(float)
    y = frame[outcome].to_numpy(float)
    x = (x - x.mean(0)) / x.std(0)
    y = (y - y.mean()) / y.std()
    return np.linalg.lstsq(np.column_stack([np.ones(len(y)), x]), y, rcond=None)[0][1:]


def mean_with_interval(values: np.ndarray) -> Estimate:
    """Mean over runs with its normal 95 % interval; NaN runs left out."""
    values = np.asarray(values, float)
    values = values[~np.isnan(values)]
    if len(values) < 2:
        return Estimate(math.nan, math.nan, math.nan)
    half = 1.96 * values.std(ddof=1) / math.sqrt(len(values))
    return Estimate(float(values.mean()), float(values.mean() - half), float(values.mean() + half))


def risk_ratio(cases: list[pd.Series], exposed: list[pd.Series]) -> float:
    """Risk of being a case among the exposed over the risk among the rest, counts pooled
    over runs; NaN where either group is empty or the rest has no case."""
    counts = np.array([[c[e].sum(), e.sum(), c[~e].sum(), (~e).sum()]
                       for c, e in zip(cases, exposed, strict=True)], float).sum(axis=0)
    if counts[1] == 0 or counts[3] == 0 or counts[2] == 0:
        return math.nan
    return float((counts[0] / counts[1]) / (counts[2] / counts[3]))


# ------------------------------------------------------------- windows of a time series
def in_window(frame: pd.DataFrame, window: tuple[int, int]) -> pd.DataFrame:
    """The steps of a time series (indexed by step) in ``window = (a, b)``: steps a+1 … b,
    so that windows (100, 200) and (200, 300) are 100 steps each and do not overlap."""
    first, last = window
    steps = frame.index.to_numpy()
    return frame[(steps > first) & (steps <= last)]


def window_mean(frames: list[pd.DataFrame], column: str, window: tuple[int, int]) -> float:
    """Mean over runs of each run's mean of ``column`` in ``window`` (undefined steps left
    out); NaN where no run has a defined value there."""
    means = [in_window(f, window)[column].mean() for f in frames]
    means = [m for m in means if not math.isnan(m)]
    return float(np.mean(means)) if means else math.nan


def weighted_window_mean(frames: list[pd.DataFrame], column: str, weight: str,
                         window: tuple[int, int]) -> float:
    """Mean of ``column`` in ``window`` over runs, each step weighted by ``weight`` (e.g.
    the mean value of the tasks arriving in a step by how many arrived): the mean per unit
    of weight, pooled over steps and runs. NaN with no weight."""
    total = count = 0.0
    for frame in frames:
        part = in_window(frame, window)
        value, w = part[column].to_numpy(float), part[weight].to_numpy(float)
        kept = (w > 0) & ~np.isnan(value)
        total += float((value[kept] * w[kept]).sum())
        count += float(w[kept].sum())
    return total / count if count > 0 else math.nan


def pooled_share(frames: list[pd.DataFrame], part: str, other: str,
                 window: tuple[int, int]) -> float:
    """``part`` over ``part + other``, each summed over ``window`` and runs (e.g. tasks
    failed of tasks that ended); NaN when nothing was counted."""
    a = sum(float(in_window(f, window)[part].sum()) for f in frames)
    b = sum(float(in_window(f, window)[other].sum()) for f in frames)
    return a / (a + b) if a + b > 0 else math.nan


def spread(values: list[float]) -> float:
    """How far the largest of some positive levels lies above the smallest (max/min − 1);
    infinite when the smallest is not positive, NaN when any level is undefined."""
    values = np.asarray(values, float)
    if np.isnan(values).any() or len(values) == 0:
        return math.nan
    low, high = values.min(), values.max()
    return float(high / low - 1) if low > 0 else math.inf


def allowed_growth(before: float, ratio: float, slack: float) -> float:
    """The most a level may reach later without running away: ``ratio`` times its level
    before, or its level plus ``slack`` where that level is below ``slack`` (a tiny level
    may double without anything running away)."""
    return before * ratio if before >= slack else before + slack
