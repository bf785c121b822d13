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


DRIVER_ARGS = {"sat", "perceived_support", "shared_purpose", "problem_load", "vitality",
               "control_climate", "contingent_rewards", "time_pressure",
               "autonomy_orientation", "control_orientation", "drive"}
TARGET_ARGS = {"sat", "frus", "contingent_rewards", "problem_load", "specific"}


def _targets(**change):
    """Targets of one employee, through both rules (drivers, then loadings)."""
    args = dict(
        sat=np.full((1, 3), 0.5), frus=np.full((1, 3), 0.2), perceived_support=np.array([0.5]),
        control_climate=0.5, contingent_rewards=0.0, shared_purpose=0.5,
        problem_load=np.array([0.0]), vitality=np.array([0.5]), time_pressure=np.array([0.0]),
    )
    args.update(change)
    drivers = motivation.motivational_drivers(**{k: v for k, v in args.items()
                                                 if k in DRIVER_ARGS})
    return motivation.regulation_targets(drivers, **{k: v for k, v in args.items()
                                                     if k in TARGET_ARGS})[0]


def test_regulation_targets_hand_computed():
    t = _targets()
    internalisation = 0.35 * 0.5 + 0.35 * 0.5 + 0.2 * 0.5 + 0.2 * 0.5  # 0.55
    intensity = 0.45 + 0.1 * 0.5  # 0.5
    pressure = 0.5  # climate; no rewards, deadlines, or support below neutral
    assert t[0] == pytest.approx(0.08 - 0.05 * internalisation + 0.05 * pressure
                                 + 0.35 * 0.2 + 0.15 * 0.2)
    assert t[1] == pytest.approx(0.15 * intensity + 0.35 * pressure)
    assert t[2] == pytest.approx(0.15 * internalisation + 0.4 * intensity + 0.25 * pressure)
    assert t[3] == pytest.approx(0.65 * internalisation + 0.25 * intensity)
    assert t[4] == pytest.approx(0.55 * internalisation + 0.2 * intensity - 0.05 * pressure
                                 + 0.15 * 0.5 + 0.1 * 0.5)


def test_contingent_rewards_lower_intrinsic_and_raise_external():
    base, rewarded = _targets(), _targets(contingent_rewards=1.0)
    assert rewarded[4] < base[4]
    assert rewarded[1] > base[1]


def test_autonomy_support_raises_intrinsic_and_identified():
    low, high = _targets(perceived_support=np.array([0.1])), _targets(
        perceived_support=np.array([0.9])
    )
    assert high[4] > low[4] and high[3] > low[3]


def test_orientations_move_the_whole_continuum_through_the_drivers():
    """The autonomy orientation raises internalisation (most for identified and intrinsic,
    less for introjected); the control orientation raises felt pressure (most for external,
    against intrinsic)."""
    base = _targets()
    autonomy = _targets(autonomy_orientation=np.array([1.0])) - base
    control = _targets(control_orientation=np.array([1.0])) - base
    np.testing.assert_allclose(autonomy[1:], 0.12 * np.array([0.0, 0.15, 0.65, 0.55]))
    np.testing.assert_allclose(control[1:], 0.2 * np.array([0.35, 0.25, 0.0, -0.05]))


def test_deadlines_add_felt_pressure():
    assert _targets(time_pressure=np.array([1.0]))[1] > _targets()[1]


def test_lingering_problems_lower_identified_and_raise_amotivation():
    trouble = _targets(problem_load=np.array([1.0]))
    assert trouble[3] < _targets()[3] and trouble[0] > _targets()[0]


def test_competence_frustration_raises_amotivation():
    frus = np.array([[0.2, 0.9, 0.2]])
    assert _targets(frus=frus)[0] > _targets()[0]


def test_controlled_targets_do_not_depend_on_relatedness_or_competence():
    sat_low, sat_high = np.array([[0.5, 0.1, 0.5]]), np.array([[0.5, 0.9, 0.5]])
    a, b = _targets(sat=sat_low), _targets(sat=sat_high)
    assert a[1] == b[1] and a[2] == b[2]  # competence: only intrinsic (and amotivation)


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
    before = _targets()
    changed = {**motivation.LOADINGS["intrinsic"], "sat_autonomy": 0.35}
    monkeypatch.setitem(motivation.LOADINGS, "intrinsic", changed)
    after = _targets()
    assert after[4] == pytest.approx(before[4] + 0.2 * 0.5)  # intrinsic: +0.2 × sat_A
    np.testing.assert_array_equal(after[:4], before[:4])
