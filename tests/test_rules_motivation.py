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
    # a job's contingencies and a climate of 0.5; no rewards, deadlines or lens
    pressure = 1 - 0.7 * 0.5  # 0.65
    assert t[0] == pytest.approx(0.08 - 0.05 * internalisation + 0.05 * pressure
                                 + 0.35 * 0.2 + 0.15 * 0.2)
    assert t[1] == pytest.approx(0.20 * intensity + 0.25 * pressure)
    assert t[2] == pytest.approx(0.15 * internalisation + 0.4 * intensity + 0.20 * pressure)
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
    # one standard deviation multiplies the odds of pressure 0.65 by e^0.9
    odds = 0.65 / 0.35 * np.exp(0.9)
    more_pressure = odds / (1 + odds) - 0.65
    np.testing.assert_allclose(control[1:], more_pressure * np.array([0.25, 0.20, 0.0, -0.05]))


def test_felt_pressure_hand_computed():
    """The situation's sources combine as chances; the person's lens shifts the log-odds."""
    def felt(**change):
        args = dict(control_climate=0.0, contingent_rewards=0.0, time_pressure=0.0,
                    perceived_support=np.array([0.5]))
        args.update(change)
        return motivation.felt_pressure(**args)[0]

    assert felt() == pytest.approx(0.3)  # a job's ordinary contingencies, alike everywhere
    calm = 0.7 * (1 - 0.4) * (1 - 0.3) * (1 - 0.2 * 0.5)
    assert felt(control_climate=0.4, contingent_rewards=1.0,
                time_pressure=0.5) == pytest.approx(1 - calm)
    lens = 0.9 * 1.5 + 0.45 * (0.5 - 0.1)
    odds = 0.3 / 0.7 * np.exp(lens)
    assert felt(control_orientation=np.array([1.5]),
                perceived_support=np.array([0.1])) == pytest.approx(odds / (1 + odds))


def test_felt_pressure_stays_off_its_bounds_but_for_a_fully_controlling_climate():
    """Before ODD item 42 a linear sum clipped at 0 for four in ten people, where neither
    their orientation nor their support moved it; on the log-odds scale nobody is held."""
    orientation = np.linspace(-3, 3, 13)
    for climate in (0.0, 0.8):
        p = motivation.felt_pressure(control_climate=climate, contingent_rewards=0.0,
                                     time_pressure=0.0, perceived_support=np.full(13, 0.9),
                                     control_orientation=orientation)
        assert (np.diff(p) > 0).all() and (p > 0.01).all() and (p < 0.99).all()
    controlling = motivation.felt_pressure(control_climate=1.0, contingent_rewards=1.0,
                                           time_pressure=1.0, perceived_support=np.zeros(13),
                                           control_orientation=orientation)
    np.testing.assert_array_equal(controlling, 1.0)


def test_each_source_of_pressure_adds_less_the_more_the_others_press():
    def felt(climate, rewards):
        return motivation.felt_pressure(control_climate=climate, contingent_rewards=rewards,
                                        time_pressure=0.0, perceived_support=np.array([0.5]))[0]

    calm_gain = felt(0.0, 1.0) - felt(0.0, 0.0)
    pressed_gain = felt(0.6, 1.0) - felt(0.6, 0.0)
    assert 0 < pressed_gain < calm_gain
    assert pressed_gain / calm_gain == pytest.approx(1 - 0.6)


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
