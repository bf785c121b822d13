"""Hand-computed cases for the well-being rules (JD-R: exhaustion and vitality), the shared
drivers of the regulations, and the week's circumstances."""

import numpy as np
import pytest

from model.codes import EXTERNAL, IDENTIFIED, INTRINSIC, INTROJECTED
from model.rules import motivation, wellbeing, work

ONE, ZERO, HALF = np.array([1.0]), np.array([0.0]), np.array([0.5])


def test_time_pressure_is_the_pace_needed_over_the_pace_planned():
    p = wellbeing.time_pressure(work_left=np.array([4.0, 8.0, 2.0, 1.0]),
                                weeks_left=np.array([5, 5, 10, 0]), needed=np.array([2, 2, 2, 2]),
                                pace=0.4)
    # 4/(5·2) = .4 = the plan: .5; twice the plan: 1; slack: .5·.1/.4; no week left: 1
    np.testing.assert_allclose(p, [0.5, 1.0, 0.125, 1.0])


def test_job_demands_add_up():
    d = wellbeing.job_demands(working=ONE, pressure=HALF, misfit=np.array([0.2]),
                              problem_load=np.array([0.4]), blocked=ONE, extra=0.15)
    # .5 + .4·.5 + .3·.2 + .1·.4 + .2 + .15
    assert d[0] == pytest.approx(0.5 + 0.2 + 0.06 + 0.04 + 0.2 + 0.15)
    idle = wellbeing.job_demands(working=ZERO, pressure=ZERO, misfit=ZERO, problem_load=ZERO,
                                 blocked=ZERO)
    assert idle[0] == 0.0


def test_job_resources_weigh_support_peers_and_fit():
    r = wellbeing.job_resources(perceived_support=ONE, peer_support=HALF, skill_fit=ZERO)
    assert r[0] == pytest.approx(0.4 + 0.15)


def test_exhaustion_strains_above_the_threshold_and_recovers_below():
    rest = wellbeing.update_exhaustion(exhaustion=HALF, demands=np.array([0.3]),
                                       resources=ZERO, mean_frus=ZERO, recovery=0.2)
    assert rest[0] == pytest.approx(0.5 - 0.2 * 0.5)  # full recovery below the threshold
    heavy = wellbeing.update_exhaustion(exhaustion=HALF, demands=np.array([1.2]),
                                        resources=ZERO, mean_frus=ZERO, recovery=0.2)
    # overload .58 ≥ 1 − θ: no recovery; strain .45·.58
    assert heavy[0] == pytest.approx(0.5 + 0.45 * 0.58)
    buffered = wellbeing.update_exhaustion(exhaustion=HALF, demands=np.array([1.2]),
                                           resources=ONE, mean_frus=ZERO, recovery=0.2)
    assert buffered[0] == pytest.approx(0.5 + 0.45 * 0.58 * 0.2)
    partial = wellbeing.update_exhaustion(exhaustion=HALF, demands=np.array([0.81]),
                                          resources=ZERO, mean_frus=ONE, recovery=0.2)
    # overload .19 of room .38: half the recovery; frustration .15·(1 − .5)
    assert partial[0] == pytest.approx(0.5 + 0.45 * 0.19 + 0.15 * 0.5 - 0.2 * 0.5 * 0.5)


def test_the_vulnerable_take_more_strain_and_recover_less():
    """Strain vulnerability v scales strain by r = exp(0.15·v) and recovery by 1/r."""
    r = np.exp(wellbeing.VULNERABILITY)  # one SD above the average person
    both = dict(exhaustion=np.array([0.5, 0.5]), resources=np.zeros(2),
                vulnerability=np.array([0.0, 1.0]), recovery=0.2)
    heavy = wellbeing.update_exhaustion(demands=np.full(2, 1.2), mean_frus=np.full(2, 0.4),
                                        **both)
    # overload .58 ≥ 1 − θ: no recovery; strain (.9·.58 + .15·.4)·(1 − .5), times r
    strain = (0.9 * 0.58 + 0.15 * 0.4) * 0.5
    np.testing.assert_allclose(heavy, [0.5 + strain, 0.5 + r * strain])
    rest = wellbeing.update_exhaustion(demands=np.full(2, 0.3), mean_frus=np.zeros(2), **both)
    np.testing.assert_allclose(rest, [0.5 - 0.2 * 0.5, 0.5 - 0.2 / r * 0.5])
    # the same week twice over: the average person ends lower, the gap a lasting one
    x = both.pop("exhaustion")
    for week in range(60):
        demands = np.full(2, 1.0 if week % 4 == 0 else 0.4)
        x = wellbeing.update_exhaustion(exhaustion=x, demands=demands,
                                        mean_frus=np.full(2, 0.2), **both)
    assert x[1] > x[0] + 0.05


def test_vitality_follows_resources_and_satisfaction_not_demands():
    v = wellbeing.update_vitality(vitality=HALF, mean_sat=ONE, autonomous=ONE, resources=ONE,
                                  exhaustion=ZERO)
    target = min(1.0, 0.24 + 0.35 + 0.25 + 0.3)
    assert v[0] == pytest.approx(0.5 + 0.2 * (target - 0.5))
    sapped = wellbeing.update_vitality(vitality=HALF, mean_sat=HALF, autonomous=HALF,
                                       resources=ZERO, exhaustion=ONE)
    assert sapped[0] == pytest.approx(0.5 + 0.2 * (0.24 + 0.3 - 0.1 - 0.5))


def test_positive_affectivity_moves_where_vitality_heads_hand_computed():
    """Each SD of positive affectivity moves the target by 0.05 (Young et al. 2018), in
    either direction, and the target still clips at its bounds."""
    half = np.full(3, 0.5)
    v = wellbeing.update_vitality(vitality=half, mean_sat=half, autonomous=half,
                                  resources=half, exhaustion=np.zeros(3),
                                  positive_affectivity=np.array([0.0, 2.0, -1.0]))
    base = 0.24 + 0.5 * (0.35 + 0.25 + 0.3)
    np.testing.assert_allclose(v, 0.5 + 0.2 * (base + np.array([0.0, 0.1, -0.05]) - 0.5))
    # the trait takes the target over 1 (0.24 + 0.35 + 0.25 + 0.15 + 0.15 = 1.14): it clips
    keen = wellbeing.update_vitality(vitality=HALF, mean_sat=ONE, autonomous=ONE,
                                     resources=HALF, exhaustion=ZERO,
                                     positive_affectivity=np.array([3.0]))
    assert keen[0] == pytest.approx(0.5 + 0.2 * (1.0 - 0.5))


def test_energy_is_vitality_discounted_by_exhaustion_and_burnout_is_sustained():
    assert wellbeing.available_energy(np.array([0.8]), np.array([0.25]))[0] == pytest.approx(0.6)
    weeks = np.zeros(2, dtype=int)
    for x in (0.7, 0.7, 0.7, 0.7):
        weeks = wellbeing.update_exhausted_weeks(weeks, np.array([x, 0.7 if x else 0.0]))
    assert weeks.tolist() == [4, 4] and wellbeing.burnt_out(weeks).all()
    weeks = wellbeing.update_exhausted_weeks(weeks, np.array([0.3, 0.7]))
    assert weeks.tolist() == [0, 5]  # one better week ends the run
    assert not wellbeing.burnt_out(np.array([3]))[0]


def test_high_exhaustion_is_the_national_surveys_line_on_exhaustions_scale():
    # NEA: a mean of 3.21 or more on 1 (never) .. 7 (every day); on 0 .. 1, (3.21 - 1) / 6
    assert pytest.approx(2.21 / 6) == wellbeing.BURNOUT_ABOVE
    weeks = wellbeing.update_exhausted_weeks(np.zeros(3, dtype=int), np.array([0.36, 0.37, 0.5]))
    assert weeks.tolist() == [0, 1, 1]


def drivers_of(**changes):
    args = dict(sat=np.full((1, 3), 0.5), perceived_support=HALF, shared_purpose=0.5,
                problem_load=ZERO, vitality=HALF, control_climate=ZERO, contingent_rewards=0.0,
                time_pressure=ZERO)
    args.update(changes)
    return motivation.motivational_drivers(**args)


def test_motivational_drivers_hand_computed():
    d = drivers_of(control_climate=np.array([0.5]), time_pressure=ONE, drive=np.array([1.0]))
    assert d.internalisation[0] == pytest.approx(0.35 * 0.5 * 2 + 0.2 * 0.5 + 0.2 * 0.5)
    assert d.intensity[0] == pytest.approx(0.45 + 0.1 * 0.5 + 0.15)
    assert d.pressure[0] == pytest.approx(1 - 0.7 * (1 - 0.5) * (1 - 0.2))
    lonely = drivers_of(perceived_support=ZERO, problem_load=ONE)
    assert lonely.internalisation[0] == pytest.approx(0.35 + 0.1 - 0.3)
    odds = 0.3 / 0.7 * np.exp(0.45 * 0.5)  # a job's contingencies, read as less supported
    assert lonely.pressure[0] == pytest.approx(odds / (1 + odds))


def test_regulation_targets_load_on_the_shared_drivers():
    sat, frus = np.full((1, 3), 0.5), np.zeros((1, 3))
    d = motivation.Drivers(internalisation=ONE, intensity=HALF, pressure=ZERO)
    t = motivation.regulation_targets(d, sat=sat, frus=frus, contingent_rewards=0.0,
                                      problem_load=ZERO)[0]
    L = motivation.LOADINGS
    assert t[IDENTIFIED] == pytest.approx(L["identified"]["internalisation"]
                                          + 0.5 * L["identified"]["intensity"])
    assert t[EXTERNAL] == pytest.approx(0.5 * L["external"]["intensity"])
    assert t[INTRINSIC] == pytest.approx(0.55 + 0.1 + 0.15 * 0.5 + 0.1 * 0.5)  # no pressure
    own = motivation.regulation_targets(d, sat=sat, frus=frus, contingent_rewards=0.0,
                                        problem_load=ZERO, specific=np.eye(5)[[2]])[0]
    assert own[INTROJECTED] - t[INTROJECTED] == pytest.approx(motivation.SPECIFIC_SD)


def test_loadings_order_the_continuum():
    """Internalisation loadings rise and pressure loadings fall from external to intrinsic:
    the structure that makes neighbours correlate more than distant regulations."""
    order = ("external", "introjected", "identified", "intrinsic")
    inner = [motivation.LOADINGS[r]["internalisation"] for r in order]
    pressure = [motivation.LOADINGS[r]["pressure"] for r in order]
    assert inner[0] < inner[1] < inner[2] and inner[3] > inner[1]
    assert pressure[0] > pressure[1] > pressure[2] > pressure[3]


def test_circumstances_have_mean_one_and_can_be_switched_off():
    rng = np.random.default_rng(5)
    c = work.circumstances(rng, 200_000, 0.5)
    assert c.mean() == pytest.approx(1.0, abs=0.01) and np.log(c).std() == pytest.approx(0.5, 0.02)
    np.testing.assert_array_equal(work.circumstances(rng, 3, 0.0), np.ones(3))


def test_a_lost_deadline_is_replanned_no_later_than_the_last_week_the_client_takes_it():
    # one member needed, planned pace 1
    work = np.array([4.0, 5.0, 5.0, 6.0, 1.0])
    to_deadline, to_last = np.array([4, 1, 1, 0, 0]), np.array([8, 1, 8, 5, 5])
    lost = wellbeing.deadline_lost(work_left=work, weeks_to_deadline=to_deadline,
                                   needed=np.ones(5, dtype=int), pace=1.0)
    # twice the pace over the weeks left and the deadline week: 10, 4, 4, 2, 2
    assert lost.tolist() == [False, True, True, True, False]
    p = wellbeing.task_time_pressure(work_left=work, weeks_to_deadline=to_deadline,
                                     weeks_to_last_week=to_last,
                                     needed=np.ones(5, dtype=int), pace=1.0)
    # on plan: .5; lost with no later week: still full; lost with 8 weeks to the last:
    # re-planned, on plan (not .5 · 5/8); lost in its deadline week, 6 over 5 weeks: .6;
    # on plan in its deadline week, not lost: full, as before late delivery
    np.testing.assert_allclose(p, [0.5, 1.0, 0.5, 0.6, 1.0])


def test_a_decision_makers_queue_is_its_time_pressure():
    assert wellbeing.queue_pressure(0.0) == 0.0
    assert wellbeing.queue_pressure(1.0) == 0.5
    assert wellbeing.queue_pressure(60.0) == 1.0  # bounded, as anyone's time pressure
    assert isinstance(wellbeing.queue_pressure(1.0), float)
    np.testing.assert_array_equal(wellbeing.queue_pressure(np.array([0.0, 1.0, 60.0])),
                                  [0.0, 0.5, 1.0])  # several decision makers at once


def test_circumstances_of_each_worker_draw_as_one_spread_for_all():
    """A spread per worker (each one's organisation's, in a batch) gives each worker what
    the same spread for all gives, from the same draws."""
    one = work.circumstances(np.random.default_rng(3), 4, 0.5)
    each = work.circumstances(np.random.default_rng(3), 4, np.full(4, 0.5))
    np.testing.assert_array_equal(each, one)
    for spread in (0.76509, 0.70008, 1.24037):  # where x·x and pow(x, 2) differ in the last bit
        one = work.circumstances(np.random.default_rng(3), 50, spread)
        each = work.circumstances(np.random.default_rng(3), 50, np.full(50, spread))
        np.testing.assert_array_equal(each, one)
    mixed = work.circumstances(np.random.default_rng(3), 2, np.array([0.5, 1.0]))
    z = np.random.default_rng(3).standard_normal(2)
    np.testing.assert_allclose(mixed, np.exp(np.array([0.5, 1.0]) * z
                                             - 0.5 * np.array([0.25, 1.0])))
    np.testing.assert_array_equal(work.circumstances(np.random.default_rng(3), 2,
                                                     np.zeros(2)), np.ones(2))
