"""Each row's mean or maximum of a narrow block, one value per employee: what numpy's
``values.mean(axis=1)`` and ``values.max(axis=1)`` give, to the last bit, column by column.

Numpy reduces a (people, k) block row by row, and at a few columns a row its per-row cost
is most of the time: 49 µs for the mean of 1,600 × 3 and 89 µs for the maximum of
1,600 × 4, against 10 µs column by column. Fewer than eight numbers numpy adds one after
another, starting from 0 (eight or more it sums pairwise, and ``mean`` then does it
itself); a maximum is the same in any order, a NaN anywhere giving NaN, and numpy's
comes from a row's left to its right, as here (so even a maximum of 0 and −0 is the same
zero). ``tests/test_rows.py`` checks both against numpy, signed zeros and NaN included.
"""

from __future__ import annotations

import numpy as np

SUMMED_IN_ORDER = 8
"""Numpy adds fewer than this many numbers one after another (more: pairwise)."""


def mean(values: np.ndarray) -> np.ndarray:
    """``values.mean(axis=1)`` of a (people, k) block."""
    k = values.shape[1]
    if k == 0 or k >= SUMMED_IN_ORDER:
        return values.mean(axis=1)
    total = values[:, 0] + 0.0  # from 0, as numpy starts: -0.0 becomes 0.0
    for column in range(1, k):
        total = total + values[:, column]
    return total / k


def maximum(values: np.ndarray) -> np.ndarray:
    """``values.max(axis=1)`` of a (people, k) block, k ≥ 1."""
    if values.shape[1] == 0:
        return values.max(axis=1)  # (numpy's error)
    highest = values[:, 0]
    for column in range(1, values.shape[1]):
        highest = np.maximum(highest, values[:, column])
    return highest
