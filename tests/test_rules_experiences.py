"""Hand-computed cases for the need-experience rule."""

import numpy as np
import pytest

from model.codes import ASSIGNED, AUTONOMY, CLAIMED, IDLE, VOLUNTEERED
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
    _, neg = _experience(ASSIGNED, support=0.1)
    assert neg[0] == pytest.approx(0.8 * (1 - 2 * 0.1))


def test_an_assignment_frustrates_beyond_a_neutral_act_or_graded():
    """The default: 0.8·max(0, 1 − 2σ), so a neutral act (0.5) or a supportive one costs
    nothing and a controlling one (0.25) 0.8·0.5. With ``graded_assignment``: 0.8·(1 − σ)
    at σ 0.25, 0.5, 0.75. Satisfaction is σ either way."""
    for support, beyond, graded in ((0.25, 0.4, 0.6), (0.5, 0.0, 0.4), (0.75, 0.0, 0.2)):
        pos, neg = _experience(ASSIGNED, support=support)
        pos_g, neg_g = _experience(ASSIGNED, support=support, graded_assignment=True)
        assert neg[0] == pytest.approx(beyond) and neg_g[0] == pytest.approx(graded)
        assert pos[0] == pos_g[0] == pytest.approx(support)
    for mode in (CLAIMED, VOLUNTEERED, IDLE):  # only an assignment is an act of the leader's
        assert np.array_equal(_experience(mode, graded_assignment=True)[1],
                              _experience(mode)[1])


def test_waiting_on_a_decision_frustrates_autonomy():
    _, neg = _experience(IDLE, waiting_for_decision=np.array([True]))
    assert neg[0] == pytest.approx(0.35)


def test_competence_from_fit_progress_completion_and_feedback():
    pos, neg = _experience(CLAIMED, completed=np.array([1.0]), skill_fit=np.array([0.8]),
                           progressing=np.array([0.5]))
    assert pos[1] == pytest.approx(0.8 * (0.5 + 0.2) + 0.3 + 0.15 * 0.5)
    assert neg[1] == pytest.approx(1.2 * 0.2)


def test_feedback_comes_with_the_act_that_put_one_on_the_task_whoever_acted():
    """Informational feedback, ``0.15 · σ_act``, for everyone at work, whoever acted: the
    same act gives the same feedback to the assigned, a claimant and a volunteer; the idle
    get none."""
    work = {"skill_fit": np.array([0.6]), "progressing": np.array([0.5])}
    given = {mode: _experience(mode, support=0.7, **work)[0][1]
             for mode in (ASSIGNED, CLAIMED, VOLUNTEERED)}
    assert given[ASSIGNED] == given[CLAIMED] == given[VOLUNTEERED] == pytest.approx(
        0.6 * (0.5 + 0.4 * 0.5) + 0.15 * 0.7)
    warmer = _experience(CLAIMED, support=0.9, **work)[0][1]
    assert warmer - given[CLAIMED] == pytest.approx(0.15 * 0.2)
    idle = [_experience(IDLE, support=s)[0][1] for s in (0.1, 0.9)]
    assert idle == [pytest.approx(0.3)] * 2


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


def test_problem_load_tells_a_few_lingering_problems_from_a_pile():
    load = experiences.problem_load(np.array([0.0, 10.0, 50.0, 500.0]))
    np.testing.assert_allclose(load, [0.0, 0.5, 50 / 60, 500 / 510])
    assert (load < 1).all()


def test_waiting_frustrates_those_whose_own_work_waits():
    # 4 people wanted by the waiting tasks, 10 idle who may not start work: 0.4 each
    assert experiences.own_work_waiting(people_wanted=4, waiting_people=10) == pytest.approx(0.4)
    assert experiences.own_work_waiting(people_wanted=30, waiting_people=10) == 1.0
    assert experiences.own_work_waiting(people_wanted=3, waiting_people=0) == 0.0


def test_a_rebuffed_claim_frustrates_autonomy_like_a_mildly_controlling_assignment():
    kw = dict(join_mode=np.array([IDLE, IDLE]), join_support=np.zeros(2),
              skill_fit=np.ones(2), progressing=np.zeros(2), completed=np.zeros(2),
              failed=np.zeros(2), waiting_for_decision=np.zeros(2), problem_load=np.zeros(2),
              coworker_tie=np.zeros(2), neighbour_tie=np.ones(2), exhaustion=np.zeros(2),
              contingent_rewards=0.0)
    _, negative = experiences.need_experiences(**kw, rebuffed=np.array([True, False]))
    assert negative[0, AUTONOMY] == pytest.approx(0.8 * 0.5)
    assert negative[1, AUTONOMY] == 0.0


def test_problems_leave_by_obsolescence_and_workarounds_each_a_switch():
    from model.rules import problems

    age = np.full(20_000, 10)  # all past the response window
    obsolete, around = problems.leave_otherwise(np.random.default_rng(0), age=age, expire=True,
                                                work_around=True)
    assert obsolete.mean() == pytest.approx(1 / 26, abs=0.005)
    assert around.mean() == pytest.approx(0.1 * (1 - 1 / 26), abs=0.01)
    assert not (obsolete & around).any()
    young = problems.leave_otherwise(np.random.default_rng(0), age=np.zeros(100, int),
                                     expire=True, work_around=True)[1]
    assert not young.any()  # nobody works around a problem they might still see fixed
    off = problems.leave_otherwise(np.random.default_rng(0), age=age, expire=False,
                                   work_around=False)
    assert not off[0].any() and not off[1].any()


def test_pressure_beyond_the_plan_is_what_a_week_asks_past_the_planned_pace():
    """``clip(2·pressure − 1, 0, 1)``: nothing on or ahead of plan (0.5 and under), 0.5 at
    1.5 times the planned pace (pressure 0.75), all at twice it or more (1)."""
    pressure = np.array([0.0, 0.3, 0.5, 0.6, 0.75, 1.0])
    assert np.allclose(experiences.pressure_beyond_plan(pressure),
                       [0.0, 0.0, 0.0, 0.2, 0.5, 1.0])


@pytest.mark.parametrize("mode", [CLAIMED, ASSIGNED, VOLUNTEERED])
def test_pressure_beyond_the_plan_thwarts_all_three_needs(mode):
    """A week at pressure 0.75 adds 0.4·0.5 = 0.2 to the frustration of each need
    (Bartholomew et al. 2014) and leaves satisfaction as it was; on plan (0.5) it adds
    nothing."""
    pos, neg = _experience(mode, support=0.5)
    pos_p, neg_p = _experience(mode, support=0.5, time_pressure=np.array([0.75]))
    assert np.array_equal(pos_p, pos)
    assert neg_p == pytest.approx(neg + 0.2)
    assert np.array_equal(_experience(mode, support=0.5, time_pressure=np.array([0.5]))[1], neg)


def test_pressure_frustration_clips_at_one():
    """Frustrating experiences stay in [0, 1]: a failed week a little beyond one's skill
    frustrates competence 1.2·0.2 + 0.6 = 0.84, and full pressure would add 0.4."""
    _, neg = _experience(CLAIMED, skill_fit=np.array([0.8]), failed=np.array([1.0]))
    assert neg[1] == pytest.approx(0.84)
    _, neg = _experience(CLAIMED, skill_fit=np.array([0.8]), failed=np.array([1.0]),
                         time_pressure=np.array([1.0]))
    assert neg[1] == 1.0


def test_the_needs_read_the_pace_a_task_needs_not_a_leaders_queue(monkeypatch):
    """The needs phase passes each worker its task's time pressure and a formal leader,
    who works on no task, none, however far over its budget its queue is (ODD item 28:
    a queue read against one week's budget is not on a task's scale)."""
    from model import OrganisationModel

    seen = {}
    real = experiences.need_experiences

    def spy(**kwargs):
        seen["pressure"] = np.broadcast_to(kwargs["time_pressure"], kwargs["join_mode"].shape)
        return real(**kwargs)

    monkeypatch.setattr(experiences, "need_experiences", spy)
    org = OrganisationModel(n_employees=40, rng=3, policy="heroic", leader_capacity=1)
    loads, most = [], 0.0
    for _ in range(30):
        org.step()
        world = org.world
        loads.append(float(world.leader_load))
        assert seen["pressure"][world.leader] == 0.0
        most = max(most, float(seen["pressure"].max()))
    assert max(loads) > 1.0  # the leader was over its budget, and still read no pressure
    assert most > 0.0  # while those on tasks read theirs
