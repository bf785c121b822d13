"""Hand-computed cases for the needs and regulation rules."""

import numpy as np
import pytest

from model.rules import motivation


def test_derived_measures_follow_their_definitions():
    reg = np.array([[0.1, 0.2, 0.4, 0.6, 0.8]])  # amot, ext, intro, iden, intr
    assert motivation.autonomous_motivation(reg)[0] == pytest.approx(0.7)
    assert motivation.controlled_motivation(reg)[0] == pytest.approx(0.3)
    # 2*0.8 + 0.6 - 0.4 - 2*0.2 = 1.4
    assert motivation.relative_autonomy_index(reg)[0] == pytest.approx(1.4)
    assert motivation.dominant_regulation(reg)[0] == 4


def test_dominant_regulation_prefers_the_more_autonomous_on_ties():
    reg = np.array([[0.5, 0.5, 0.5, 0.5, 0.5], [0.9, 0.1, 0.1, 0.1, 0.1]])
    assert motivation.dominant_regulation(reg).tolist() == [4, 0]


def test_needs_move_a_fraction_alpha_toward_experience():
    sat = np.array([[0.5, 0.5, 0.5]])
    frus = np.array([[0.2, 0.2, 0.2]])
    pos = np.array([[1.0, 0.0, 0.5]])
    neg = np.array([[0.0, 1.0, 0.2]])
    new_sat, new_frus = motivation.update_needs(
        sat=sat, frus=frus, experience_pos=pos, experience_neg=neg, rate=0.1, frustration_rate=0.5
    )
    np.testing.assert_allclose(new_sat, [[0.55, 0.45, 0.5]])
    np.testing.assert_allclose(new_frus, [[0.1, 0.6, 0.2]])


def test_satisfaction_and_frustration_are_separate_states():
    # a step with both good and bad autonomy experiences raises both
    sat, frus = np.full((1, 3), 0.3), np.full((1, 3), 0.3)
    both = np.full((1, 3), 0.9)
    new_sat, new_frus = motivation.update_needs(
        sat=sat, frus=frus, experience_pos=both, experience_neg=both, rate=0.5,
        frustration_rate=0.5,
    )
    assert (new_sat > sat).all() and (new_frus > frus).all()


def _targets(**change):
    args = dict(
        sat=np.full((1, 3), 0.5), frus=np.full((1, 3), 0.2), perceived_support=np.array([0.5]),
        control_climate=0.5, contingent_rewards=0.0, shared_purpose=0.5,
        problem_load=np.array([0.0]),
    )
    args.update(change)
    return motivation.regulation_targets(**args)[0]


def test_regulation_targets_hand_computed():
    t = _targets()
    # amotivation 0.05 + 0.55*0.2 + 0.2*0.2 - 0.15*0.5
    assert t[0] == pytest.approx(0.05 + 0.11 + 0.04 - 0.075)
    # external 0.1 + 0 + 0.3*0.5
    assert t[1] == pytest.approx(0.25)
    # introjected 0.2 + 0.35*0.5 + 0.1*0.5*0.5
    assert t[2] == pytest.approx(0.2 + 0.175 + 0.025)
    # identified 0.1 + 0.25*0.5 + 0.25*0.5 + 0.2*0.5 + 0 - 0
    assert t[3] == pytest.approx(0.45)
    # intrinsic 0.1 + 0.45*0.5 + 0.3*0.5 + 0 - 0
    assert t[4] == pytest.approx(0.475)


def test_contingent_rewards_lower_intrinsic_and_raise_external():
    base, rewarded = _targets(), _targets(contingent_rewards=1.0)
    assert rewarded[4] < base[4]
    assert rewarded[1] > base[1]


def test_autonomy_support_raises_intrinsic_and_identified():
    low, high = _targets(perceived_support=np.array([0.1])), _targets(
        perceived_support=np.array([0.9])
    )
    assert high[4] > low[4] and high[3] > low[3]


def test_causality_orientations_shift_only_their_own_regulations():
    base = _targets()
    autonomy = _targets(autonomy_orientation=np.array([1.0]))
    control = _targets(control_orientation=np.array([-2.0]))
    np.testing.assert_allclose(autonomy - base, [0, 0, 0, 0.12, 0.12])
    np.testing.assert_allclose(control - base, [0, -0.24, -0.24, 0, 0])


def test_lingering_problems_lower_identified():
    assert _targets(problem_load=np.array([1.0]))[3] < _targets()[3]


def test_competence_frustration_raises_amotivation():
    frus = np.array([[0.2, 0.9, 0.2]])
    assert _targets(frus=frus)[0] > _targets()[0]


def test_controlled_targets_do_not_depend_on_relatedness_or_competence():
    sat_low, sat_high = np.array([[0.5, 0.1, 0.1]]), np.array([[0.5, 0.9, 0.9]])
    a, b = _targets(sat=sat_low), _targets(sat=sat_high)
    assert a[1] == b[1] and a[2] == b[2]


def test_regulations_move_toward_targets_and_stay_in_unit_interval():
    reg = np.array([[0.0, 1.0, 0.5, 0.5, 0.5]])
    targets = np.array([[1.0, 0.0, 0.5, 0.7, 0.3]])
    np.testing.assert_allclose(
        motivation.update_regulations(reg, targets, 0.25), [[0.25, 0.75, 0.5, 0.55, 0.45]]
    )


def test_perceived_support_reads_acts_through_a_personal_bias():
    p = motivation.perceived_autonomy_support(
        perceived=np.array([0.5, 0.5]), observed=np.array([0.8, 0.95]),
        bias=np.array([0.1, 0.1]), rate=0.5,
    )
    np.testing.assert_allclose(p, [0.5 + 0.5 * 0.4, 0.5 + 0.5 * 0.5])


def test_every_target_coefficient_is_one_named_place(monkeypatch):
    sat, frus = np.full((1, 3), 0.5), np.zeros((1, 3))
    kwargs = {"sat": sat, "frus": frus, "perceived_support": np.array([0.5]),
              "control_climate": 0.0, "contingent_rewards": 0.0, "shared_purpose": 0.5,
              "problem_load": np.zeros(1)}
    before = motivation.regulation_targets(**kwargs)[0]
    changed = {**motivation.TARGET_WEIGHTS["intrinsic"], "sat_autonomy": 0.65}
    monkeypatch.setitem(motivation.TARGET_WEIGHTS, "intrinsic", changed)
    after = motivation.regulation_targets(**kwargs)[0]
    assert after[4] == pytest.approx(before[4] + 0.2 * 0.5)  # intrinsic: +0.2 × sat_A
    np.testing.assert_array_equal(after[:4], before[:4])
