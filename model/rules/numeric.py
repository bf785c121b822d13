"""Numeric helpers the rules share.

``clip(x, low, high)`` is ``np.clip``: the same ufunc, the same bits. ``np.clip`` spends
about 3 µs a call checking its arguments before it reaches that ufunc, on arrays of a
hundred; a step clips some fifty times, so calling the ufunc directly saves 5–6 % of a
run (``benchmarks/README.md``). Numpy keeps it in a private module; where it is not found,
``np.clip`` itself stands in.
"""

from __future__ import annotations

import numpy as np

try:  # numpy 2
    from numpy._core.umath import clip
except ImportError:  # pragma: no cover - numpy 1.26
    try:
        from numpy.core.umath import clip
    except ImportError:
        clip = np.clip

__all__ = ["clip"]
