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


UNUSED_TIE_DISSOLVES = 52
"""Weeks without working together after which a tie made at work dissolves. Work ties
decay fast: most new colleague relationships are gone within a year, unless renewed (Burt
2000, 2002: decay is steepest for new, unrenewed ties). The founding structure's ties (the
formal teams and the organisation's standing relations) only fade."""


def co_workers(people: np.ndarray, task: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of ``people`` on the same task (``task`` each one's), as two arrays:
    those who work together, between whom a tie forms where there was none (Feld 1981: a
    shared focus of activity makes ties), whoever formed the team."""
    order = np.argsort(task, kind="stable")
    people, task = people[order], task[order]
    firsts, seconds = [], []
    for gap in range(1, len(people)):
        same = task[gap:] == task[:-gap]
        if not same.any():
            break  # sorted by task: no pair further apart shares one
        firsts.append(people[:-gap][same])
        seconds.append(people[gap:][same])
    if not firsts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(firsts), np.concatenate(seconds)


def dissolves(*, made_at_work: np.ndarray, last_together: np.ndarray, now: int) -> np.ndarray:
    """Which ties dissolve this week: those made at work whose two have not worked
    together for ``UNUSED_TIE_DISSOLVES`` weeks (Burt 2000); the founding ties never do."""
    return np.asarray(made_at_work) & (now - np.asarray(last_together) >= UNUSED_TIE_DISSOLVES)
