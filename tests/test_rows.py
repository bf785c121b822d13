"""``model.rows``: each row's mean and maximum exactly as numpy's ``mean(axis=1)`` and
``max(axis=1)``, to the last bit."""

import numpy as np
import pytest

from model import rows


@pytest.mark.parametrize("k", range(1, 11))
def test_row_mean_and_maximum_are_numpys_to_the_last_bit(k):
    rng = np.random.default_rng(k)
    for n in (1, 7, 100, 1600):
        values = rng.standard_normal((n, k)) * 10.0 ** rng.integers(-8, 9, (n, k))
        for got, expected in ((rows.mean(values), values.mean(axis=1)),
                              (rows.maximum(values), values.max(axis=1))):
            assert got.dtype == expected.dtype
            assert got.tobytes() == expected.tobytes()


def test_signed_zeros_and_nan_as_numpy_has_them():
    values = np.array([[-0.0, -0.0, -0.0], [0.0, -0.0, -0.0], [-0.0, 0.0, -0.0],
                       [np.nan, 1.0, 2.0], [1.0, np.nan, -0.0], [-0.0, 0.0, 0.0]])
    for got, expected in ((rows.mean(values), values.mean(axis=1)),
                          (rows.maximum(values), values.max(axis=1))):
        assert got.tobytes() == expected.tobytes()
        np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))


def test_a_column_or_a_view_is_read_as_numpy_reads_it():
    rng = np.random.default_rng(0)
    block = rng.random((50, 6))
    for values in (block[:, :3], block[::2, 1:5], block[:, :1]):
        assert rows.mean(values).tobytes() == values.mean(axis=1).tobytes()
        assert rows.maximum(values).tobytes() == values.max(axis=1).tobytes()
