"""Hand-computed cases for the need-experience rule."""

import numpy as np
import pytest

from model.codes import ASSIGNED, CLAIMED, IDLE, VOLUNTEERED
from model.rules import experiences


def _experience(mode, support=0.5, **change):
    args = dict(
        join_mode=np.array([mode]), join_support=np.array([support]),
        skill_fit=np.array([1.0]), progressing=np.array([1.0]), completed=np.array([0.0]),
        failed=np.array([0.0]), waiting_for_decision=np.array([False]),
        problem_load=np.array([0.0]), coworker_tie=np.array([0.0]),
        neighbour_tie=np.array([0.5]), exhaustion=np.array([0.0]), contingent_rewards=0.0,
    )
    args.update(change)
    pos, neg = experiences.need_experiences(**args)
    return pos[0], neg[0]


def test_choosing_the_task_is_more_autonomous_than_being_assigned():
    claimed, _ = _experience(CLAIMED)
    volunteered, _ = _experience(VOLUNTEERED)
    assigned, _ = _experience(ASSIGNED, support=0.3)
    assert claimed[0] == 1.0
    assert volunteered[0] == pytest.approx(0.85)
    assert assigned[0] == pytest.approx(0.3)


def test_controlling_assignment_frustrates_autonomy():
    _, neg = _experience(ASSIGNED, support=0.25)
    assert neg[0] == pytest.approx(0.8 * 0.75)


def test_waiting_on_a_decision_frustrates_autonomy():
    _, neg = _experience(IDLE, waiting_for_decision=np.array([True]))
    assert neg[0] == pytest.approx(0.35)


def test_competence_from_fit_progress_and_completion():
    pos, neg = _experience(CLAIMED, completed=np.array([1.0]), skill_fit=np.array([0.8]),
                           progressing=np.array([0.5]))
    assert pos[1] == pytest.approx(0.8 * (0.5 + 0.2) + 0.3)
    assert neg[1] == pytest.approx(1.2 * 0.2)


def test_idle_competence_and_relatedness_baselines():
    pos, neg = _experience(IDLE, neighbour_tie=np.array([0.4]))
    assert pos[1] == pytest.approx(0.3) and neg[1] == pytest.approx(0.1)
    assert pos[2] == pytest.approx(0.4) and neg[2] == pytest.approx(0.4 * 0.6)


def test_working_with_close_colleagues_satisfies_relatedness():
    alone, _ = _experience(CLAIMED, coworker_tie=np.array([0.0]))
    together, neg = _experience(CLAIMED, coworker_tie=np.array([0.9]))
    assert together[2] == pytest.approx(0.5 * 0.5 + 0.5 * 0.9) and together[2] > alone[2]
    assert neg[2] == 0.0


def test_frustration_pathway_off_removes_every_frustrating_experience():
    _, neg = _experience(ASSIGNED, support=0.0, failed=np.array([1.0]), frustration_pathway=False)
    assert (neg == 0).all()


def test_skill_fit():
    fit = experiences.skill_fit(np.array([0.2, 0.6, 0.9]), np.array([0.5, 0.5, 0.5]))
    np.testing.assert_allclose(fit, [0.7, 1.0, 1.0])


def test_climate_mixes_into_every_need_autonomy_most():
    positive, negative = np.full((2, 3), 0.4), np.full((2, 3), 0.1)
    pos, neg = experiences.with_climate(positive=positive, negative=negative,
                                           climate=np.array([0.9, 0.5]))
    np.testing.assert_allclose(pos[0], [0.5 * 0.4 + 0.5 * 0.9, 0.8 * 0.4 + 0.2 * 0.9,
                                        0.9 * 0.4 + 0.1 * 0.9])
    np.testing.assert_allclose(neg, 0.1)  # neutral or supportive: no thwarting
    assert pos[0, 0] - pos[1, 0] > pos[0, 1] - pos[1, 1] > pos[0, 2] - pos[1, 2] > 0


def test_controlling_climate_thwarts_every_need_unless_the_pathway_is_off():
    negative = np.full((1, 3), 0.1)
    _, neg = experiences.with_climate(positive=np.zeros((1, 3)), negative=negative,
                                      climate=np.array([0.25]))
    np.testing.assert_allclose(neg[0], 0.1 + 0.4 * 0.5)
    _, off = experiences.with_climate(positive=np.zeros((1, 3)), negative=np.zeros((1, 3)),
                                      climate=np.array([0.0]), frustration_pathway=False)
    assert (off == 0).all()


def test_problem_load_grows_with_problem_weeks_and_saturates():
    load = experiences.problem_load(np.array([0.0, 10.0, 1e6]))
    np.testing.assert_allclose(load, [0.0, 1 - np.exp(-1), 1.0])
