"""Delegation on demonstrated readiness, and the protocols that let others decide.

A fostering leader holds a belief about each person's readiness, formed from the outcomes
of their work that it observes (Yukl & Fu 1999: delegation goes to those who have shown
competence); decision rights follow the belief, both ways. Protocols (Galbraith 1974:
rules and programmes) take the leader's attention to build, go stale as the market moves,
and make handing over less risky. Pure functions; ``model.policies.fostering`` applies them.
"""

from __future__ import annotations

import numpy as np

BELIEF_PRIOR = 2.0
"""Pseudo-outcomes of the leader's prior on each side (a Beta(2, 2) prior: mean 0.5)."""

BELIEF_MEMORY = 0.97
"""Weekly weight the leader keeps on outcomes it saw before (older ones fade)."""

LEAD_WEIGHT = 1.0
"""Extra weight of an outcome on a task one led (a lead's result says more)."""

PROTOCOL_REASSURANCE = 0.2
"""How far full protocol coverage lowers the belief the leader needs before handing over."""

REVOKE_MARGIN = 0.15
"""How far below the bar a belief must fall before the leader takes rights back."""

REVOKE_FRUSTRATION = 0.3
"""Autonomy frustration of having one's rights taken back (share of the way to 1)."""

PROTOCOL_GAIN = 0.05
"""Protocol coverage gained per unit of the leader's attention, of what is not yet covered."""

PROTOCOL_STALENESS = 0.1
"""Weekly share of built protocols that go stale at turbulence 1 (what is left of the
initial coverage is the organisation's own and does not)."""


def readiness_belief(successes: np.ndarray, failures: np.ndarray) -> np.ndarray:
    """The leader's expected readiness of each person: the mean of
    ``Beta(2 + successes, 2 + failures)``, ``(2 + s) / (4 + s + f)``."""
    return (BELIEF_PRIOR + successes) / (2.0 * BELIEF_PRIOR + successes + failures)


def update_record(successes: np.ndarray, failures: np.ndarray, *, completed: np.ndarray,
                  failed: np.ndarray, led: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The outcomes the leader has seen, after this week: older ones fade by
    ``BELIEF_MEMORY``; each completed (failed) task one worked on adds 1 success (failure),
    ``1 + LEAD_WEIGHT`` if one led it."""
    weight = 1.0 + LEAD_WEIGHT * led
    return (BELIEF_MEMORY * successes + weight * completed,
            BELIEF_MEMORY * failures + weight * failed)


def handover_bar(bar: float, protocol_coverage: float) -> float:
    """The readiness the leader needs to see before handing over: ``bar − 0.2·coverage``
    (agreed procedures make a delegated decision less risky)."""
    return bar - PROTOCOL_REASSURANCE * protocol_coverage


def rights_after(rights: np.ndarray, belief: np.ndarray, bar: float) -> np.ndarray:
    """Who holds decision rights after the leader's review: granted at ``belief ≥ bar``,
    taken back below ``bar − REVOKE_MARGIN``, otherwise as before (a margin, so that one
    bad week does not flip them)."""
    return np.where(rights, belief >= bar - REVOKE_MARGIN, belief >= bar)


def protocols_after(coverage: float, *, attention: float, initial: float,
                    turbulence: float) -> float:
    """Protocol coverage after a week: ``c + 0.05·attention·(1 − c)``, less
    ``0.1·turbulence·(c − c₀)`` gone stale, never below the initial coverage ``c₀``."""
    built = coverage + PROTOCOL_GAIN * attention * (1.0 - coverage)
    stale = PROTOCOL_STALENESS * turbulence * max(built - initial, 0.0)
    return float(min(max(built - stale, initial), 1.0))
