"""Turbulence as change in what is true: what tasks require and what people's know-how is
worth drift, and running tasks raise exceptions. Pure and vectorised.

A turbulent environment does not only shorten deadlines: it changes the circumstances of
time and place that those doing the work see and a distant decision maker does not (Hayek
1945). Exceptions are the information a task needs during execution beyond what was
planned, and they grow with task uncertainty (Galbraith 1974).
"""

from __future__ import annotations

import numpy as np

from model.rules.numeric import clip


def drift_requirements(complexity: np.ndarray, turbulence: float, drift: float,
                       noise: np.ndarray) -> np.ndarray:
    """What open tasks require, one step later: ``κ ← clip(κ + turbulence·drift·z)``, with
    ``z ~ N(0, 1)`` drawn by the caller (Galbraith 1974: requirements change in execution)."""
    return clip(complexity + turbulence * drift * noise, 0.0, 1.0)


def drift_knowhow(skills: np.ndarray, turbulence: float, drift: float,
                  noise: np.ndarray) -> np.ndarray:
    """What each person's know-how is worth for each domain's current work, one step later:
    ``s ← clip(s + turbulence·drift·z)``, ``z ~ N(0, 1)``.

    The market's demands move on, so yesterday's expertise fits today's tasks more or less
    well; the change is seen at once by the person and their co-workers, and by a formal
    leader only when it next watches them work (March 1991: a turbulent reality makes an
    organisation's code go stale; Hayek 1945).
    """
    return clip(skills + turbulence * drift * noise, 0.0, 1.0)


PROTOCOL_EXCEPTIONS = 0.5
"""Share of exceptions full protocol coverage pre-empts (an agreed procedure already says
what to do)."""


def exception_probability(*, rate: float, complexity: np.ndarray, turbulence: float,
                          skill_gap: np.ndarray, protocol_coverage: float = 0.0) -> np.ndarray:
    """Chance that a running task raises an exception this step:
    ``1 − exp(−rate·(κ + turbulence + gap)·(1 − 0.5·coverage))``.

    Exceptions grow with task complexity, environmental uncertainty and the gap between
    what the task needs and what its team has (Galbraith 1974; Jin & Levitt 1996, the
    Virtual Design Team); rules and programmes cover some of them in advance (Galbraith
    1974). ``rate`` 0 switches exceptions off.
    """
    covered = 1.0 - PROTOCOL_EXCEPTIONS * protocol_coverage
    return 1.0 - np.exp(-rate * (complexity + turbulence + np.maximum(skill_gap, 0.0)) * covered)
