"""Individual differences: causality orientations and the perception bias they imply."""

import numpy as np

from model.rules import dispositions


def test_orientations_are_standard_scores_and_nearly_independent():
    d = dispositions.draw_dispositions(np.random.default_rng(1), 20_000)
    for trait in (d.autonomy_orientation, d.control_orientation, d.strain_vulnerability):
        assert abs(trait.mean()) < 0.03 and abs(trait.std() - 1) < 0.03
    assert abs(np.corrcoef(d.autonomy_orientation, d.control_orientation)[0, 1]) < 0.03
    for other in (d.autonomy_orientation, d.leaving_propensity, d.drive):
        assert abs(np.corrcoef(d.strain_vulnerability, other)[0, 1]) < 0.03


def test_autonomy_oriented_people_read_acts_as_more_supportive():
    d = dispositions.draw_dispositions(np.random.default_rng(2), 20_000)
    slope = np.polyfit(d.autonomy_orientation, d.perception_bias, 1)[0]
    assert abs(slope - dispositions.PERCEPTION_FROM_AUTONOMY_ORIENTATION) < 0.003
    residual = d.perception_bias - slope * d.autonomy_orientation
    assert abs(residual.std() - dispositions.PERCEPTION_NOISE) < 0.003
    assert abs(np.corrcoef(d.control_orientation, d.perception_bias)[0, 1]) < 0.03


def test_same_generator_same_people():
    a = dispositions.draw_dispositions(np.random.default_rng(3), 5)
    b = dispositions.draw_dispositions(np.random.default_rng(3), 5)
    np.testing.assert_array_equal(a.perception_bias, b.perception_bias)
