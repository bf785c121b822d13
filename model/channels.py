"""The channels by which turbulence and complexity act, each of which can be frozen.

Turbulence and task complexity reach the organisation by several routes at once. To learn
which route carries a result, a run can hold any of them at a reference level while the
others see the scenario's value (``Parameters.frozen_channels``, a comma-separated list of
names below). A frozen turbulence channel sees ``channel_turbulence``; a frozen complexity
channel sees each task as it would be in an organisation whose mean complexity is
``channel_complexity`` (the task at the same quantile of that organisation's complexity
distribution, so that tasks still differ); a frozen report lag is no lag (the hub hears at
once). At the reference levels (and no report lag) a frozen channel sees exactly what it
sees live. Freezing changes what a channel sees, not how the draws are made; but where
what it sees sets how many draws are taken, the market's stream then moves on differently
(an equally likely market, not the same one): problem arrivals (their Poisson count sets
how many teams are drawn) and, for teams of more than about 60, interdependence (numpy's
binomial sampler). The report lag is frozen at none rather than at a level, since it is
a delay whose effect turbulence only scales.
"""

from __future__ import annotations

import numpy as np

from model.rules.numeric import clip

TURBULENCE_CHANNELS: dict[str, str] = {
    "demand_drift": "how fast demand moves between domains (``rules.market.revert_demand``)",
    "requirement_drift": "what open tasks require drifts (``rules.turbulence."
                         "drift_requirements``)",
    "knowhow_drift": "what people's know-how is worth drifts, so estimates go stale "
                     "(``rules.turbulence.drift_knowhow``)",
    "turbulent_exceptions": "running tasks raise exceptions more often "
                            "(``rules.turbulence.exception_probability``)",
    "problem_arrivals": "problems arrive more often (``Environment.new_problems``)",
    "deadline_slack": "deadlines leave less slack (``Environment.deadline_slack``)",
    "report_lag": "news reaches the formal leader ``report_lag`` steps late, so what it "
                  "decides on is older the faster things move (frozen: it hears at once)",
    "protocol_staleness": "a fostering leader's protocols go stale as the market moves "
                          "(``rules.delegation.protocols_after``)",
}
"""Every route by which turbulence acts, and what it does."""

COMPLEXITY_CHANNELS: dict[str, str] = {
    "interdependence": "complex tasks need more people (``environment.needed_members``)",
    "complex_exceptions": "complex tasks raise exceptions more often and show skill gaps "
                          "(``rules.turbulence.exception_probability``)",
    "skill_demands": "complex tasks demand more skill for the same pace, and are planned "
                     "knowing it (``rules.experiences.skill_fit``, "
                     "``rules.market.planned_pace``)",
    "decision_load": "complex tasks take more of a decider's attention to staff: the "
                     "coordination of deciding (``rules.leadership.staffing_attention``)",
}
"""Every route by which task complexity acts, and what it does."""

CHANNELS: dict[str, str] = {**TURBULENCE_CHANNELS, **COMPLEXITY_CHANNELS}
"""Every channel that ``Parameters.frozen_channels`` may name."""

LOCAL_KNOWLEDGE = ("requirement_drift", "knowhow_drift", "report_lag")
"""The channels of local knowledge: those doing the work learn of a change first (what a
task requires, what know-how is worth), reports to a hub lag, estimates go stale (Hayek
1945)."""


def parse(frozen: str) -> tuple[str, ...]:
    """The channel names in a ``frozen_channels`` string, checked, sorted and without
    repeats (so that equal sets compare equal). Raises ``ValueError`` naming the unknown
    ones."""
    names = sorted({name.strip() for name in frozen.split(",") if name.strip()})
    unknown = [name for name in names if name not in CHANNELS]
    if unknown:
        raise ValueError(f"unknown channel(s): {', '.join(unknown)}")
    return tuple(names)


def canonical(frozen: str) -> str:
    """A ``frozen_channels`` string in its one written form: names sorted, comma-joined."""
    return ",".join(parse(frozen))


def turbulence_seen(channel: str, turbulence: float, frozen: frozenset[str],
                    reference: float) -> float:
    """The turbulence ``channel`` sees: ``reference`` if frozen, else the scenario's."""
    return reference if channel in frozen else turbulence


def beta_shape(mean: float) -> tuple[float, float]:
    """The shape of arriving tasks' complexity at a mean complexity: ``Beta(6c, 6(1 − c))``,
    ``c`` kept inside [0.02, 0.98]."""
    c = float(clip(mean, 0.02, 0.98))
    return 6.0 * c, 6.0 * (1.0 - c)


def complexity_seen(channel: str, complexity: np.ndarray, frozen: frozenset[str], *,
                    mean: float, reference: float) -> np.ndarray:
    """The task complexities ``channel`` sees: if frozen, each task's complexity moved to
    the same quantile of the distribution at mean ``reference`` (``F_ref⁻¹(F_mean(κ))``);
    else, or where the two means are the same, their own."""
    if channel not in frozen or beta_shape(mean) == beta_shape(reference):
        return complexity
    from scipy import stats  # only a frozen channel needs it (a slow import)

    quantile = stats.beta.cdf(clip(complexity, 0.0, 1.0), *beta_shape(mean))
    return stats.beta.ppf(quantile, *beta_shape(reference))


_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(64)
_U = 0.5 * (_NODES + 1.0)  # Gauss-Legendre nodes on (0, 1)


def comonotone_mean(mean: float, reference: float) -> float:
    """``E[κ · κ_ref]`` when ``κ_ref`` is ``κ`` at the same quantile of the reference
    distribution: ``∫₀¹ F_mean⁻¹(u) F_ref⁻¹(u) du`` (Gauss-Legendre, 64 nodes)."""
    from scipy import stats

    here = stats.beta.ppf(_U, *beta_shape(mean))
    there = stats.beta.ppf(_U, *beta_shape(reference))
    return float(0.5 * np.sum(_WEIGHTS * here * there))
