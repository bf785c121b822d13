"""The channels by which turbulence and complexity act, each of which can be frozen.

Turbulence and task complexity reach the organisation by several routes at once. To learn
which route carries a result, a run can hold any of them at a reference level while the
others see the scenario's value (``Parameters.frozen_channels``, a comma-separated list of
names below). A frozen turbulence channel sees ``REFERENCE_TURBULENCE``; a frozen
complexity channel sees every task at ``REFERENCE_COMPLEXITY``; a frozen report lag is no
lag (the hub hears at once). Freezing changes what a channel sees, never how many random
draws it takes, so the rest of a run meets the same market.
"""

from __future__ import annotations

import numpy as np

REFERENCE_TURBULENCE = 0.5
"""The turbulence a frozen turbulence channel sees (the middle of the studied range)."""

REFERENCE_COMPLEXITY = 0.5
"""The complexity a frozen complexity channel sees for every task (the default mean)."""

TURBULENCE_CHANNELS: dict[str, str] = {
    "demand_drift": "how fast demand moves between domains (``rules.market.revert_demand``)",
    "requirement_drift": "what open tasks require drifts (``rules.turbulence."
                         "drift_requirements``)",
    "knowhow_drift": "what people's know-how is worth drifts, so estimates go stale "
                     "(``rules.turbulence.drift_knowhow``)",
    "turbulent_exceptions": "running tasks raise exceptions more often "
                            "(``rules.turbulence.exception_probability``)",
    "problem_arrivals": "problems arrive more often (``Environment.new_problems``)",
    "deadline_slack": "deadlines leave less slack (``Environment.new_tasks``)",
    "report_lag": "news reaches the formal leader ``report_lag`` steps late (frozen: at "
                  "once)",
}
"""Every route by which turbulence acts, and what it does."""

COMPLEXITY_CHANNELS: dict[str, str] = {
    "interdependence": "complex tasks need more people (``Environment.new_tasks``)",
    "complex_exceptions": "complex tasks raise exceptions more often and show skill gaps "
                          "(``rules.turbulence.exception_probability``)",
    "skill_demands": "complex tasks demand more skill for the same pace, and are planned "
                     "knowing it (``rules.experiences.skill_fit``, "
                     "``rules.market.planned_pace``)",
    "decision_load": "complex tasks take more of a decider's attention to staff "
                     "(``rules.leadership.staffing_attention``)",
}
"""Every route by which task complexity acts, and what it does."""

CHANNELS: dict[str, str] = {**TURBULENCE_CHANNELS, **COMPLEXITY_CHANNELS}
"""Every channel that ``Parameters.frozen_channels`` may name."""


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


def turbulence_seen(channel: str, turbulence: float, frozen: frozenset[str]) -> float:
    """The turbulence ``channel`` sees: the reference level if frozen, else the scenario's."""
    return REFERENCE_TURBULENCE if channel in frozen else turbulence


def complexity_seen(channel: str, complexity: np.ndarray,
                    frozen: frozenset[str]) -> np.ndarray:
    """The task complexities ``channel`` sees: every task at the reference level if
    frozen, else their own."""
    if channel in frozen:
        return np.full_like(np.asarray(complexity, float), REFERENCE_COMPLEXITY)
    return complexity
