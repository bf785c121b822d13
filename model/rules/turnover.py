"""Turnover: intention from frustration and low motivation; quitting only through intention."""

from __future__ import annotations

import numpy as np

INTENTION_FROM_FRUSTRATION = 0.5
"""Weight of mean need frustration in where turnover intention heads (Chen et al. 2015)."""
INTENTION_FROM_LOW_SATISFACTION = 0.25
"""Weight of unsatisfied needs (1 − mean satisfaction)."""
INTENTION_FROM_LOW_AUTONOMOUS = 0.25
"""Weight of low autonomous motivation (1 − autonomous; Gagné & Deci 2005)."""
INTENTION_RATE = 0.1
"""Share of the gap to its target that intention closes in a step."""


def intention_target(
    mean_frus: np.ndarray, mean_sat: np.ndarray, autonomous: np.ndarray
) -> np.ndarray:
    """Where turnover intention is heading: ``0.5·frus + 0.25·(1 − sat) + 0.25·(1 − autonomous)``.

    Need frustration predicts ill-being and intention to leave beyond low satisfaction
    (Chen et al. 2015); autonomous motivation binds people to their work (Gagné & Deci 2005).
    """
    return np.clip(INTENTION_FROM_FRUSTRATION * mean_frus
                   + INTENTION_FROM_LOW_SATISFACTION * (1.0 - mean_sat)
                   + INTENTION_FROM_LOW_AUTONOMOUS * (1.0 - autonomous), 0, 1)


def update_intention(intention: np.ndarray, target: np.ndarray,
                     rate: float = INTENTION_RATE) -> np.ndarray:
    """``q ← q + ρ(target − q)``: intentions form over weeks, not at once."""
    return np.clip(intention + rate * (target - intention), 0.0, 1.0)


def quit_probability(intention: np.ndarray, quit_rate: float) -> np.ndarray:
    """Chance of quitting this step: ``quit_rate · q²``.

    Intention is the best single predictor of turnover (Tett & Meyer 1993); the square
    makes quitting rare until intention is high.
    """
    return quit_rate * intention**2
