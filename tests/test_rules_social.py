"""Hand-computed cases for contagion, leadership, work, learning and turnover rules."""

import numpy as np
import pytest

from model.rules import contagion, leadership, learning, turnover, work

# a path 0 - 1 - 2, both directions
SRC = np.array([0, 1, 1, 2])
DST = np.array([1, 0, 2, 1])


def test_bounded_assimilation_ignores_neighbours_beyond_epsilon():
    x = np.array([0.5, 0.6, 1.0])
    w = np.ones(4)
    dx = contagion.bounded_assimilation(x=x, src=SRC, dst=DST, w=w, rate=0.5, distance=0.3)
    # 0 pulled toward 1 (diff .1); 1 pulled toward 0 only (2 too far); 2 has no close neighbour
    np.testing.assert_allclose(dx, [0.05, -0.025, 0.0])


def test_bounded_assimilation_keeps_groups_apart():
    x = np.array([0.1, 0.15, 0.9])
    for _ in range(200):
        x = x + contagion.bounded_assimilation(x=x, src=SRC, dst=DST, w=np.ones(4),
                                                rate=0.5, distance=0.3)
    assert x[2] == pytest.approx(0.9) and x[0] == pytest.approx(x[1], abs=1e-6)


def test_exhaustion_flows_only_from_the_exhausted():
    x = np.array([0.1, 0.9, 0.5])
    dx = contagion.exhaustion_crossover(exhaustion=x, src=SRC, dst=DST, w=np.ones(4), rate=0.5,
                                        passes_on_above=0.8)
    # 0 catches from 1 (gap .8); 1 catches nothing; 2 catches from 1 (gap .4)
    np.testing.assert_allclose(dx, [0.4, 0.0, 0.2])


def test_peer_support_is_tie_weighted_willingness():
    willing = np.array([0.2, 0.0, 0.8])
    w = np.array([1.0, 1.0, 3.0, 3.0])
    s = leadership.peer_support(willingness=willing, src=SRC, dst=DST, w=w)
    np.testing.assert_allclose(s, [0.0, (1 * 0.2 + 3 * 0.8) / 4, 0.0])


def test_willingness_to_follow():
    f = leadership.willingness_to_follow(0.5, np.array([1.0]), np.array([0.0]))
    assert f[0] == pytest.approx(0.2 + 0.3)


def test_may_claim_needs_all_four_conditions():
    base = dict(skill=np.array([0.6]), energy=np.array([0.6]), support=np.array([0.6]),
                task_value=np.array([1.0]), min_skill=0.5, min_energy=0.5, min_support=0.5)
    assert leadership.may_claim(**base)[0]
    for key, value in [("skill", 0.4), ("energy", 0.4), ("support", 0.4), ("task_value", 0.0)]:
        assert not leadership.may_claim(**{**base, key: np.array([value])})[0], key


def test_claim_grant_and_volunteer_propensities():
    assert leadership.claim_propensity(np.array([0.5]), np.array([0.8]))[0] == pytest.approx(0.4)
    assert leadership.grant_probability(np.array([1.3]))[0] == 1.0
    v = leadership.volunteer_propensity(
        autonomous=np.array([1.0]), sat_relatedness=np.array([0.0]), tie=np.array([0.5]),
        energy=np.array([0.0]),
    )
    assert v[0] == pytest.approx(1.0 * 0.5 * 0.75 * 0.5)


def test_leader_acts_centre_on_its_style():
    rng = np.random.default_rng(0)
    acts = leadership.leader_act_support(style=0.8, size=20_000, rng=rng)
    assert acts.mean() == pytest.approx(0.8, abs=0.01)
    assert 0 < acts.std() < 0.2


def test_close_members_get_more_latitude_from_the_leader():
    support = leadership.exchange_latitude(np.array([0.4, 0.4, 1.0]), np.array([0.0, 0.5, 0.9]))
    np.testing.assert_allclose(support, [0.4, 0.4 + 0.5 * 0.5 * 0.6, 1.0])


def test_complex_tasks_take_more_of_the_leaders_time():
    np.testing.assert_allclose(leadership.decision_load(np.array([0.1, 0.5, 0.9])),
                               [0.6, 1.0, 1.4])


def test_skill_estimate_moves_slowly_toward_what_is_seen():
    estimate = leadership.update_skill_estimate(np.array([0.2]), np.array([0.8]))
    assert estimate[0] == pytest.approx(0.26)


def test_effort_and_contribution():
    e = work.effort(energy=np.array([1.0]), autonomous=np.array([1.0]),
                    controlled=np.array([0.0]), contingent_rewards=0.0)
    assert e[0] == pytest.approx(0.8)
    drained = work.effort(energy=np.array([0.0]), autonomous=np.array([1.0]),
                          controlled=np.array([0.0]), contingent_rewards=0.0)
    assert drained[0] == pytest.approx(0.4)
    rewarded = work.effort(energy=np.array([1.0]), autonomous=np.array([0.5]),
                           controlled=np.array([0.5]), contingent_rewards=1.0)
    assert rewarded[0] == pytest.approx(0.7 * 1.25)
    pressed = work.effort(energy=np.array([0.0]), autonomous=np.array([1.0]),
                          controlled=np.array([0.0]), contingent_rewards=0.0,
                          pressure=np.array([1.0]))
    assert pressed[0] == pytest.approx(0.4 * 1.5)  # compensatory effort (Hockey 1997)
    assert work.contribution(np.array([0.5]), np.array([0.8]), np.array([0.5]))[0] == (
        pytest.approx(0.8 * 0.65 * 0.5)
    )


def test_performance_is_rated_while_working_output_counts_idle_steps():
    performance = np.array([np.nan, 0.5, 0.5])
    output = np.array([0.0, 0.5, 0.5])
    contribution = np.array([0.8, 0.9, 0.0])
    working = np.array([True, True, False])
    perf, out = work.track_performance(performance=performance, output=output,
                                       contribution_=contribution, working=working, rate=0.1)
    np.testing.assert_allclose(perf, [0.8, 0.5 + 0.1 * 0.4, 0.5])  # first rating; idle: kept
    np.testing.assert_allclose(out, [0.08, 0.5 + 0.1 * 0.4, 0.45])  # idle counts 0
    untouched = work.track_performance(performance=np.array([np.nan]), output=np.zeros(1),
                                       contribution_=np.zeros(1), working=np.array([False]))[0]
    assert np.isnan(untouched).all()


def test_understaffed_interdependent_tasks_lose_more_than_their_share():
    full = work.team_progress(contributions_sum=np.array([1.0]), members=np.array([4]),
                              needed=np.array([4]), coordination_efficiency=np.array([1.0]))
    half = work.team_progress(contributions_sum=np.array([0.5]), members=np.array([2]),
                              needed=np.array([4]), coordination_efficiency=np.array([1.0]))
    assert full[0] == 1.0 and half[0] == pytest.approx(0.25)


@pytest.mark.parametrize(("loss", "expected"), [(0.0, 0.5), (2.0, 0.5 * 0.5**2)])
def test_how_much_more_a_short_team_loses_is_one_constant(monkeypatch, loss, expected):
    # 0: only its missing members' share; 2: each shortfall costs the rest as much again
    monkeypatch.setattr(work, "SHORT_TEAM_LOSS", loss)
    half = work.team_progress(contributions_sum=np.array([0.5]), members=np.array([2]),
                              needed=np.array([4]), coordination_efficiency=np.array([1.0]))
    assert half[0] == pytest.approx(expected)


def test_every_team_pays_coordination_less_with_protocols_and_an_able_lead():
    m = np.array([3, 3, 1])
    eff = work.coordination_efficiency(members=m, cost=0.3, protocol_coverage=0.0,
                                       lead_quality=np.array([0.0, 1.0, 0.0]), lead_share=0.5)
    # 1 − 0.3·(2/3) = 0.8; a perfect lead halves the loss: 0.9; one person: no loss
    np.testing.assert_allclose(eff, [0.8, 0.9, 1.0])
    eff = work.coordination_efficiency(members=m, cost=0.3, protocol_coverage=1.0,
                                       lead_quality=np.zeros(3), lead_share=0.5)
    np.testing.assert_allclose(eff, [1.0, 1.0, 1.0])


def test_lead_coordination_needs_skill_energy_and_attention():
    q = leadership.lead_coordination_quality(
        lead_skill=np.array([0.8, 0.8, 0.8]), lead_energy=np.array([1.0, 0.0, 1.0]),
        attended=np.array([True, True, False]))
    np.testing.assert_allclose(q, [0.8, 0.4, 0.0])


def test_quality_of_work():
    quality = work.work_quality(np.array([0.4]), np.array([0.8]), np.array([1.0]))[0]
    assert quality == pytest.approx(0.45 * 0.4 + 0.45 * 0.8 + 0.1)


def test_staffing_attention_grows_with_complexity_and_team_size():
    a = leadership.staffing_attention(np.array([0.5, 0.5, 1.0]), np.array([3, 7, 3]))
    np.testing.assert_allclose(a, [1.0 * 1.0, 1.0 * 2.0, 1.5 * 1.0])


def test_triage_priority_is_value_times_urgency_per_unit_of_attention():
    pi = leadership.triage_priority(value=np.array([2.0, 2.0, 2.0]),
                                    slack=np.array([4.0, 0.5, -3.0]), cost=np.array([0.5, 1, 1]))
    np.testing.assert_allclose(pi, [2 / 4 / 0.5, 2.0, 2.0])  # urgency capped once due


def test_work_that_can_only_be_late_ranks_after_all_work_that_can_be_on_time():
    # slack 3; two weeks behind, taken up to 5 late (3 weeks to its last week); two weeks
    # behind with no lateness accepted (as it is: nothing is late at the default); nine
    # behind with 5 accepted (past even its last week on plan: the front of late work);
    # half a week; twenty weeks to spare; a week behind, taken a week late (its last week)
    slack = np.array([3.0, -2.0, -2.0, -9.0, 0.5, 20.0, -1.0])
    rank = leadership.ranking_slack(slack, np.array([5, 5, 0, 5, 5, 5, 1]))
    late = leadership.LATE_WORK_SLACK
    np.testing.assert_allclose(rank, [3.0, late * 3, -2.0, late * 1, 0.5, 20.0, late * 1])
    assert np.argsort(rank, kind="stable").tolist() == [2, 4, 0, 5, 3, 6, 1]
    pi = leadership.triage_priority(value=np.ones(7), slack=rank, cost=np.ones(7))
    np.testing.assert_allclose(pi, [1 / 3, 1 / (late * 3), 1.0, 1 / late, 1.0, 1 / 20,
                                    1 / late])
    # with no lateness accepted anywhere it is the slack, whatever its sign
    np.testing.assert_array_equal(leadership.ranking_slack(slack), slack)


def test_slack_is_the_same_sight_for_a_leader_and_a_claimant():
    # 6 units of work left, 3 people at the planned pace 0.4 (κ .5): 5 weeks; due in 8
    room = leadership.slack(deadline=np.array([18, 18]), now=10, work_left=np.array([6.0, 9.0]),
                            members=np.array([3, 3]), complexity=np.array([0.5, 0.9]))
    # 9 units at κ .9: the plan expects fit 0.75 (skill 0.65), pace 0.3: 9 / 0.9 = 10 weeks
    np.testing.assert_allclose(room, [3.0, 8 - 10.0])
    assert leadership.can_still_finish(room).tolist() == [True, False]
    # two weeks behind its deadline: still wanted where the client takes it two weeks late
    assert leadership.can_still_finish(room, np.array([0, 2])).tolist() == [True, True]
    assert leadership.can_still_finish(room, np.array([0, 1])).tolist() == [True, False]


def test_reputation_follows_outcomes_and_shapes_the_grant():
    r = leadership.update_reputation(np.array([0.5, 0.5]), np.array([True, False]), 0.2)
    np.testing.assert_allclose(r, [0.6, 0.4])
    g = leadership.grant_probability(np.array([0.6, 0.6, 0.9]), np.array([0.5, 0.0, 1.0]))
    np.testing.assert_allclose(g, [0.6, 0.3, 1.0])
    # urgent work: peers accept a lead more readily (Hamblin 1958)
    urgent = leadership.grant_probability(np.array([0.6, 0.6]), 0.5, np.array([0.25, 1.0]))
    np.testing.assert_allclose(urgent, [0.6 + 0.4 * 0.25, 1.0])


def test_volunteers_follow_a_backed_lead():
    kw = {"autonomous": np.array([1.0]), "sat_relatedness": np.array([1.0]),
          "tie": np.array([1.0]), "energy": np.array([1.0])}
    assert leadership.volunteer_propensity(**kw)[0] == pytest.approx(1.0)
    assert leadership.volunteer_propensity(**kw, lead_support=0.2)[0] == pytest.approx(0.7)


def test_turbulence_drifts_requirements_and_knowhow_and_raises_exceptions():
    from model.rules import turbulence

    z = np.array([1.0, -1.0, 5.0])
    np.testing.assert_allclose(turbulence.drift_requirements(np.array([0.5, 0.5, 0.9]), 0.5,
                                                             0.1, z), [0.55, 0.45, 1.0])
    np.testing.assert_allclose(turbulence.drift_knowhow(np.array([0.5]), 0.0, 0.1, z[:1]),
                               [0.5])  # no turbulence, no drift
    p = turbulence.exception_probability(rate=0.2, complexity=np.array([0.5, 0.5]),
                                         turbulence=0.5, skill_gap=np.array([0.0, -0.3]))
    np.testing.assert_allclose(p, 1 - np.exp(-0.2))  # a negative gap counts as none
    assert turbulence.exception_probability(rate=0.0, complexity=np.array([1.0]),
                                            turbulence=1.0, skill_gap=np.array([1.0]))[0] == 0


def test_learning_by_doing_and_from_colleagues():
    s = learning.learn(skill=np.array([0.5]), effort_=np.array([1.0]),
                       best_colleague=np.array([0.9]), learning_rate=0.1, peer_learning=0.5)
    assert s[0] == pytest.approx(0.5 + 0.05 + 0.2)
    assert learning.forget(np.array([0.5]), 0.1)[0] == pytest.approx(0.45)


def test_ties_grow_with_collaboration_and_fade_without():
    w = learning.update_ties(strength=np.array([0.5, 0.5]), collaborated=np.array([True, False]),
                             growth=0.2, decay=0.1, floor=0.0)
    np.testing.assert_allclose(w, [0.6, 0.45])


def test_turnover_intention_and_quitting():
    one, zero = np.array([1.0]), np.array([0.0])
    worst = turnover.intention_target(mean_frus=one, mean_sat=zero, autonomous=zero,
                                      exhaustion=one, vitality=zero)
    assert worst[0] == pytest.approx(1.0)
    mid = turnover.intention_target(mean_frus=np.array([0.2]), mean_sat=np.array([0.6]),
                                    autonomous=np.array([0.5]), exhaustion=np.array([0.3]),
                                    vitality=np.array([0.6]), propensity=np.array([1.0]))
    # .35·.2 + .15·.4 + .2·.5 + .2·.3 + .1·.4 + .1·1 = .07 + .06 + .1 + .06 + .04 + .1
    assert mid[0] == pytest.approx(0.43)
    assert turnover.update_intention(np.array([0.2]), one)[0] == pytest.approx(0.28)
    # .04 · .5^3.5 = .04 / (8·√2)
    assert turnover.quit_probability(np.array([0.5]), 0.04)[0] == pytest.approx(
        0.04 / (8 * 2 ** 0.5))


def test_people_also_leave_for_reasons_outside_work_whatever_they_intend():
    q = np.array([0.0, 0.5, 1.0])
    # work .04·q^3.5 = 0, .0035355, .04; with outside .01 each: w + .01 − .01·w
    np.testing.assert_allclose(turnover.quit_probability(q, 0.04, 0.01),
                               [0.01, 0.0135002, 0.0496], rtol=1e-5)
    # without outside reasons the chance is the work route's, to the last bit
    assert np.array_equal(turnover.quit_probability(q, 0.04, 0.0),
                          0.04 * q**turnover.QUIT_CURVE)


def test_first_impression_is_halfway_to_the_truth_plus_noise():
    skill = np.array([0.4, 0.8, 0.0])
    np.testing.assert_allclose(leadership.first_impression(skill, np.zeros(3)), [0.4, 0.6, 0.2])
    np.testing.assert_allclose(leadership.first_impression(skill, np.array([0.0, 0.5, -0.5])),
                               [0.4, 1.0, 0.0])  # clipped


def test_local_resolution_needs_someone_able_and_protocols_help():
    chance = leadership.local_resolution_chance(0.3, np.array([0.0, 0.5, 1.0]))
    np.testing.assert_allclose(chance, [0.0, 0.3 + 0.7 * 0.5, 1.0])


def test_staffing_level_is_capped_at_full():
    np.testing.assert_allclose(work.staffing_level(np.array([1, 4, 6]), np.array([4, 4, 4])),
                               [0.25, 1.0, 1.0])


def test_contagion_moves_both_autonomous_regulations_only():
    reg = np.array([[0.1, 0.2, 0.3, 0.5, 0.99]])
    out = contagion.assimilate_autonomous(reg, np.array([0.05]))
    np.testing.assert_allclose(out, [[0.1, 0.2, 0.3, 0.55, 1.0]])
    assert reg[0, 3] == 0.5  # the input is not changed


def test_a_claim_is_supported_by_the_free_willing_colleagues_it_would_need():
    # employee 0 is tied to 1 (free, willing .8, tie 1) and 2 (busy); employee 3 has no ties
    followers = leadership.likely_followers(
        willingness=np.array([0.5, 0.8, 0.9, 0.5]), free=np.array([True, True, False, True]),
        src=np.array([0, 0, 1, 2]), dst=np.array([1, 2, 0, 0]), w=np.array([1.0, 1.0, 1.0, 0.0]))
    np.testing.assert_allclose(followers, [0.8, 0.5, 0.25, 0.0])
    # asked about some only: theirs exactly as before, the rest 0
    rng = np.random.default_rng(3)
    ties = dict(src=np.sort(rng.integers(0, 50, 400)), dst=rng.integers(0, 50, 400),
                w=rng.random(400))
    people = dict(willingness=rng.random(50), free=rng.random(50) < 0.4)
    everyone = leadership.likely_followers(**people, **ties)
    some = leadership.likely_followers(**people, **ties, of=np.array([3, 17, 40]))
    assert some[[3, 17, 40]].tolist() == everyone[[3, 17, 40]].tolist()
    assert np.count_nonzero(np.delete(some, [3, 17, 40])) == 0
    support = leadership.claim_support(followers=np.array([0.8, 0.8, 0.8, 0.0]),
                                       needed=np.array([1, 2, 5, 1]))
    np.testing.assert_allclose(support, [0.8, 0.8, 0.2, 0.0])  # a big task needs more backing


def test_visible_waiting_work_pulls_the_idle_forward():
    assert leadership.backlog_pull(protocol_coverage=0.5, people_wanted=4, idle=8) == 0.25
    assert leadership.backlog_pull(protocol_coverage=0.5, people_wanted=40, idle=8) == 0.5
    assert leadership.backlog_pull(protocol_coverage=0.0, people_wanted=4, idle=8) == 0.0
    assert leadership.backlog_pull(protocol_coverage=0.5, people_wanted=4, idle=0) == 0.0
    p = leadership.claim_propensity(np.array([0.5]), np.array([0.4]), 0.0, pull=0.25)
    assert p[0] == pytest.approx(0.2 + 0.8 * 0.25)
    # the same pull raises the chance an idle colleague asked to join says yes
    v = leadership.joining_propensity(np.array([0.2, 0.0, 1.0]), 0.25)
    np.testing.assert_allclose(v, [0.2 + 0.8 * 0.25, 0.25, 1.0])
    np.testing.assert_allclose(leadership.joining_propensity(np.array([0.3]), 0.0), [0.3])


def test_the_leaders_attention_follows_its_state_and_the_organisations_size():
    full = leadership.leader_attention(capacity=6, energy=1.0, pressure=0.0, positions=100,
                                       span_of_control=True)
    drained = leadership.leader_attention(capacity=6, energy=0.0, pressure=0.0, positions=100,
                                          span_of_control=True)
    pressed = leadership.leader_attention(capacity=6, energy=0.0, pressure=1.0, positions=100,
                                          span_of_control=True)
    assert (full, drained, pressed) == pytest.approx((6.0, 3.0, 4.5))  # as anyone's effort
    big = leadership.leader_attention(capacity=6, energy=1.0, pressure=0.0, positions=200,
                                      span_of_control=True)
    alone = leadership.leader_attention(capacity=6, energy=1.0, pressure=0.0, positions=200,
                                        span_of_control=False)
    assert (big, alone) == pytest.approx((12.0, 6.0))
