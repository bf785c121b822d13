"""One colour per leadership policy, used by every figure: the experiment reports, the
notebooks and the workshop app (colour-blind-safe Dark2 hues)."""

from __future__ import annotations

from typing import Any

POLICY_COLOURS = {"heroic": "#d95f02", "distributed": "#1b9e77", "fostering": "#7570b3"}
"""The built-in policies' colours; any other policy gets a colour from the default cycle."""


def policy_colour(policy: Any, k: int = 0) -> str:
    """The colour of ``policy`` (or of the k-th other series)."""
    return POLICY_COLOURS.get(str(policy), f"C{k % 10}")
