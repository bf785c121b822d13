"""The rules' ``clip`` is ``np.clip``, bit for bit (it only skips np.clip's dispatch)."""

from __future__ import annotations

import numpy as np
import pytest

from model.rules.numeric import clip


@pytest.mark.parametrize("low, high", [(0.0, 1.0), (0, 1), (0.02, 0.98), (-0.5, 0.25)])
def test_clip_is_np_clip_bit_for_bit(low, high):
    rng = np.random.default_rng(7)
    x = np.concatenate((rng.normal(0.5, 1.0, 997),
                        [np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, low, high]))
    got, want = clip(x, low, high), np.clip(x, low, high)
    assert got.dtype == want.dtype
    assert np.array_equal(got.view(np.uint64), want.view(np.uint64))  # NaN and −0.0 too
    grid = x[:996].reshape(83, 12)
    assert np.array_equal(clip(grid, low, high), np.clip(grid, low, high))


def test_clip_of_a_number_is_a_number_as_np_clip_gives_it():
    for value in (-3.0, 0.4, 7):
        got, want = clip(value, 0.0, 1.0), np.clip(value, 0.0, 1.0)
        assert type(got) is type(want) and got == want
