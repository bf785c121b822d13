"""Learning (skills) and collaboration ties. Pure and vectorised."""

from __future__ import annotations

import numpy as np

from model.rules.numeric import clip


def learn(
    *,
    skill: np.ndarray,
    effort_: np.ndarray,
    best_colleague: np.ndarray,
    learning_rate: float,
    peer_learning: float,
) -> np.ndarray:
    """Skill after a step of work in a domain.

    ``s ← s + λ·effort·(1 − s) + π·max(0, s_best − s)``: learning by doing with diminishing
    returns (Arrow 1962), and from more skilled collaborators (Argote & Ingram 2000).
    """
    gain = learning_rate * effort_ * (1.0 - skill) + peer_learning * np.maximum(
        0.0, best_colleague - skill
    )
    return clip(skill + gain, 0.0, 1.0)


def forget(skill: np.ndarray, rate: float) -> np.ndarray:
    """Unused skill decays: ``s ← s·(1 − φ)`` (Arthur et al. 1998)."""
    return skill * (1.0 - rate)


def update_ties(
    *, strength: np.ndarray, collaborated: np.ndarray, growth: float, decay: float,
    floor: float = 0.02,
) -> np.ndarray:
    """Tie strength after a step.

    ``w ← w + γ(1 − w)`` where the two worked together on a progressing task; otherwise
    ``w ← w − δ(w − floor)``: ties grow through successful collaboration and fade
    without it (Granovetter 1973; Reagans & McEvily 2003).
    """
    grown = strength + growth * (1.0 - strength)
    faded = strength - decay * (strength - floor)
    return clip(np.where(collaborated, grown, faded), 0.0, 1.0)
