"""Individual differences: causality orientations, strain vulnerability, positive
affectivity and the perception bias they imply."""

import numpy as np
import pytest

from model.rules import dispositions


def test_orientations_are_standard_scores_and_nearly_independent():
    d = dispositions.draw_dispositions(np.random.default_rng(1), 20_000)
    for trait in (d.autonomy_orientation, d.control_orientation, d.strain_vulnerability):
        assert abs(trait.mean()) < 0.03 and abs(trait.std() - 1) < 0.03
    assert abs(np.corrcoef(d.autonomy_orientation, d.control_orientation)[0, 1]) < 0.03
    for other in (d.autonomy_orientation, d.leaving_propensity, d.drive):
        assert abs(np.corrcoef(d.strain_vulnerability, other)[0, 1]) < 0.03


def test_positive_affectivity_is_a_standard_score_apart_from_negative_affectivity():
    """Positive and negative affectivity are two dimensions, not the ends of one (Watson,
    Clark & Tellegen 1988): the trait is drawn on its own."""
    d = dispositions.draw_dispositions(np.random.default_rng(5), 20_000)
    trait = d.positive_affectivity
    assert abs(trait.mean()) < 0.03 and abs(trait.std() - 1) < 0.03
    for other in (d.strain_vulnerability, d.perception_bias, d.autonomy_orientation, d.drive):
        assert abs(np.corrcoef(trait, other)[0, 1]) < 0.03


def test_perception_bias_hand_computed():
    bias = dispositions.perception_bias(autonomy_orientation=np.array([0.0, 1.0, 0.0, 2.0]),
                                        strain_vulnerability=np.array([0.0, 0.0, 1.0, -1.0]),
                                        own=np.array([0.0, 0.0, 0.0, 0.01]))
    np.testing.assert_allclose(bias, [0.0, 0.05, -0.06, 0.1 + 0.06 + 0.01])


def test_the_autonomy_oriented_read_acts_as_more_supportive_the_strain_prone_as_less():
    d = dispositions.draw_dispositions(np.random.default_rng(2), 20_000)
    traits = np.column_stack([d.autonomy_orientation, d.strain_vulnerability, np.ones(20_000)])
    (autonomy, vulnerability, _), *_ = np.linalg.lstsq(traits, d.perception_bias, rcond=None)
    assert autonomy == pytest.approx(dispositions.PERCEPTION_FROM_AUTONOMY_ORIENTATION, abs=0.003)
    assert vulnerability == pytest.approx(-dispositions.PERCEPTION_FROM_NEGATIVE_AFFECTIVITY,
                                          abs=0.003)
    residual = d.perception_bias - traits[:, :2] @ [autonomy, vulnerability]
    assert abs(residual.std() - dispositions.PERCEPTION_NOISE) < 0.003
    assert abs(np.corrcoef(d.control_orientation, d.perception_bias)[0, 1]) < 0.03


def test_the_draws_are_those_before_the_lens():
    """The lens is worked out from traits already drawn: the generator draws what it drew
    before strain vulnerability entered the lens, in the same order, then positive
    affectivity, and ends in that state."""
    rng, before = np.random.default_rng(4), np.random.default_rng(4)
    d = dispositions.draw_dispositions(rng, 50)
    autonomy, control = before.standard_normal(50), before.standard_normal(50)
    own = before.normal(0.0, dispositions.PERCEPTION_NOISE, 50)
    drive, specific = before.standard_normal(50), before.standard_normal((50, 5))
    propensity, vulnerability = before.standard_normal(50), before.standard_normal(50)
    positive = before.standard_normal(50)
    for drawn, expected in [(d.positive_affectivity, positive),
                            (d.autonomy_orientation, autonomy), (d.control_orientation, control),
                            (d.drive, drive), (d.regulation_specific, specific),
                            (d.leaving_propensity, propensity),
                            (d.strain_vulnerability, vulnerability)]:
        np.testing.assert_array_equal(drawn, expected)
    np.testing.assert_array_equal(d.perception_bias, dispositions.perception_bias(
        autonomy_orientation=autonomy, strain_vulnerability=vulnerability, own=own))
    assert rng.bit_generator.state == before.bit_generator.state


def test_same_generator_same_people():
    a = dispositions.draw_dispositions(np.random.default_rng(3), 5)
    b = dispositions.draw_dispositions(np.random.default_rng(3), 5)
    np.testing.assert_array_equal(a.perception_bias, b.perception_bias)
