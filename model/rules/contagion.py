"""Contagion along collaboration ties: motivation (bounded) and exhaustion (crossover).

Pure and vectorised over directed edge arrays ``src -> dst`` with the tie strength ``w`` of
each directed entry.
"""

from __future__ import annotations

import numpy as np

from model.codes import IDENTIFIED, INTRINSIC
from model.rules.numeric import clip

CROSSOVER_ABOVE = 0.5
"""Exhaustion above which a colleague passes exhaustion on: the visibly, highly exhausted
(Bakker, Le Blanc & Schaufeli 2005 found the burnout complaints one perceives among
colleagues predict one's own). No source fixes the level. It was the model's line for
burnout until that line moved to the national survey's (``wellbeing.BURNOUT_ABOVE``, ODD
item 27), and it stays here by a rule, not a source: a change in how burnout is counted
changes no dynamics. Moving the crossover with it is a change of the channel, to be made on
its own evidence (tried: ODD item 27 says what it moved)."""


def bounded_assimilation(
    *,
    x: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    w: np.ndarray,
    rate: float,
    distance: float,
) -> np.ndarray:
    """Change in ``x`` from assimilating to neighbours that are not too different.

    ``Δx_i = μ · Σ_j w_ij · 1[|x_j − x_i| < ε] · (x_j − x_i) / Σ_j w_ij``

    Motivation spreads between people who work together (Radel et al. 2010), but only
    between people whose motivation is close enough (bounded confidence, Deffuant et al.
    2000; Hegselmann & Krause 2002), so groups stay heterogeneous (Radel et al. 2015).
    Returns the change, not the new value.
    """
    n = len(x)
    diff = x[dst] - x[src]
    close = np.abs(diff) < distance
    pull = np.bincount(src, weights=w * close * diff, minlength=n)
    total = np.bincount(src, weights=w, minlength=n)
    return rate * np.divide(pull, total, out=np.zeros(n), where=total > 0)


def exhaustion_crossover(
    *,
    exhaustion: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    w: np.ndarray,
    rate: float,
    passes_on_above: float | None = None,
) -> np.ndarray:
    """Exhaustion caught from highly exhausted colleagues (crossover; Bakker, Le Blanc &
    Schaufeli 2005).

    ``Δx_i = κ · Σ_j w_ij · 1[x_j > b] · max(0, x_j − x_i) / Σ_j w_ij``

    A separate channel from motivational contagion: only highly exhausted neighbours
    (exhaustion above ``b``: ``passes_on_above``, or ``CROSSOVER_ABOVE`` if not given) pass
    it on, and only to those less exhausted. Returns the change.
    """
    n = len(exhaustion)
    line = CROSSOVER_ABOVE if passes_on_above is None else passes_on_above
    neighbour = exhaustion[dst]
    gap = np.maximum(0.0, neighbour - exhaustion[src]) * (neighbour > line)
    caught = np.bincount(src, weights=w * gap, minlength=n)
    total = np.bincount(src, weights=w, minlength=n)
    return rate * np.divide(caught, total, out=np.zeros(n), where=total > 0)


def assimilate_autonomous(reg: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """Regulations after contagion: the shift in autonomous motivation moves both of its
    parts, identified and intrinsic, by the same amount (clipped to [0, 1]); the
    controlled regulations do not spread through this channel (Radel et al. 2010)."""
    reg = reg.copy()
    for column in (IDENTIFIED, INTRINSIC):
        reg[:, column] = clip(reg[:, column] + shift, 0, 1)
    return reg
