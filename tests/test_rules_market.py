"""The market and the world a comparison of policies needs (world checks W1–W2): demand
that reverts, task values of mean 1, work whose volume does not grow with complexity, plans
that know the work. Hand-computed where a rule is a formula; over seeds where it is a
claim about a run."""

from __future__ import annotations

import numpy as np
import pytest

from model.environment import Environment, draw_tasks, drift, pick_by_shares
from model.rules import market


def test_demand_reverts_to_its_mean_at_the_reversion_rate():
    x = np.array([2.0, -1.0])
    np.testing.assert_allclose(market.revert_demand(x, 0.0, np.zeros(2)), 0.9 * x)
    np.testing.assert_allclose(market.revert_demand(x, 0.8, np.array([1.0, -1.0])),
                               0.9 * x + 0.8 * 0.5 * np.array([1.0, -1.0]))


def test_a_tasks_value_is_its_domains_share_over_the_mean_share_an_arrival_meets():
    shares = np.array([0.5, 0.25, 0.25])  # Σ d² = 0.375
    np.testing.assert_allclose(market.task_value(shares, np.array([0, 1])), [0.5 / 0.375,
                                                                              0.25 / 0.375])
    # the value of an arriving task, domains drawn by demand, has mean exactly 1
    assert float(shares @ market.task_value(shares, np.arange(3))) == pytest.approx(1.0)


def test_the_mean_task_scale_is_hand_computable():
    # c .5, teams of 8: 1 + 2·.5 + 7·.5/2 + 7·(.5·.5/7 + .25) = 5.75
    assert market.mean_task_scale(0.5, 8) == pytest.approx(5.75)
    assert market.mean_task_scale(0.0, 8) == pytest.approx(market.mean_task_scale(0.02, 8))


def test_planned_pace_knows_the_fit_and_the_optimism():
    # a planner assumes skill 0.65: fit 1 up to complexity 0.65, then 1 − (0.9 − 0.65) = 0.75
    np.testing.assert_allclose(market.planned_fit(np.array([0.2, 0.65, 0.9])), [1.0, 1.0, 0.75])
    np.testing.assert_allclose(market.planned_pace(np.array([0.2, 0.65, 0.9])), [0.4, 0.4, 0.3])
    assert market.planned_pace(np.array([0.2]), optimism=0.2)[0] == pytest.approx(0.5)
    assert market.planned_duration(np.array([6.0]), np.array([3]),
                                   np.array([0.5]))[0] == pytest.approx(5.0)


def test_a_deadline_holds_the_plan_a_reserve_in_proportion_and_the_slack():
    planned = np.array([0.2, 12.0, 24.0])
    # 0.2 · 13/12 + 3 = 3.2 -> 3; 12 · 13/12 + 3 = 16; 24 · 13/12 + 3 = 29
    np.testing.assert_array_equal(market.time_allowed(planned, 3.0), [3, 16, 29])
    np.testing.assert_array_equal(market.time_allowed(planned, 3.0, reserve=0.0), [3, 15, 27])
    assert market.time_allowed(np.array([0.1]), 0.0).tolist() == [1]  # at least a week
    # a long task gains on a short one as its plan's optimism costs it more
    gained = market.time_allowed(planned, 3.0) - market.time_allowed(planned, 3.0, reserve=0.0)
    assert (np.diff(gained) > 0).all()


def test_offered_load_does_not_depend_on_complexity():
    rng = np.random.default_rng(5)
    per_week = {}
    for c in (0.2, 0.5, 0.8):
        env = Environment.start(4, turbulence=0.3)
        asked = [env.new_tasks(rng, 3.0, c, 8, 6, step, size=2.0)["person_weeks"].sum()
                 for step in range(3000)]
        per_week[c] = np.mean(asked) / 100  # over 100 positions
    expected = market.offered_load(task_rate=0.03, task_size=2.0)
    assert expected == pytest.approx(0.9)
    for c, load in per_week.items():
        assert load == pytest.approx(expected, rel=0.04), c


def test_a_market_run_for_600_steps_keeps_its_mean_task_value():
    for turbulence in (0.1, 0.9):
        env, rng = Environment.start(4, turbulence), np.random.default_rng(11)
        early, late, spread = [], [], []
        for step in range(600):
            env.drift(rng)
            value = env.new_tasks(rng, 30.0, 0.5, 8, 6, step)["value"]
            (early if 100 <= step < 200 else late if step >= 500 else []).extend(value)
            spread.append(np.ptp(env.log_demand))
        assert np.mean(early) == pytest.approx(1.0, abs=0.05)
        assert np.mean(late) == pytest.approx(1.0, abs=0.05)
        # the spread of log demand stays bounded (a random walk's would grow as √t)
        assert np.mean(spread[500:]) < 1.5 * np.mean(spread[100:200]) + 0.1


def test_drawing_by_shares_is_numpys_choice_to_the_last_bit():
    """The environment's draw of task domains gives what ``Generator.choice(p=…)`` gives,
    and leaves the generator where it leaves it, for any shares and any count (0 too)."""
    shapes = np.random.default_rng(5)
    for case in range(300):
        shares = shapes.random(int(shapes.integers(1, 12))) ** 3
        shares /= shares.sum()
        k = int(shapes.integers(0, 9))
        ours, numpys = np.random.default_rng(case), np.random.default_rng(case)
        drawn = pick_by_shares(np.broadcast_to(shares, (k, len(shares))), ours.random(k))
        expected = numpys.choice(len(shares), size=k, p=shares)
        assert drawn.dtype == expected.dtype and np.array_equal(drawn, expected)
        assert ours.bit_generator.state == numpys.bit_generator.state


def test_person_weeks_take_each_tasks_own_mean_complexity_as_alone():
    """In an organisation batch each task is scaled by its own organisation's mix of work:
    exactly what it asks alone."""
    complexity, needed = np.array([0.1, 0.7, 0.4, 0.9]), np.array([1, 3, 2, 4])
    means = np.array([0.2, 0.2, 0.8, 0.5])
    each = market.person_weeks(size=1.5, needed=needed, complexity=complexity,
                               mean_complexity=means, team_size=6)
    alone = [market.person_weeks(size=1.5, needed=needed[i:i + 1],
                                 complexity=complexity[i:i + 1], mean_complexity=float(m),
                                 team_size=6)[0] for i, m in enumerate(means)]
    np.testing.assert_array_equal(each, alone)
    # by hand: 1.5 · 15 · 1 · (1 + 0.2) / (1 + 0.4 + 5·0.1 + 5·(0.2·0.8/7 + 0.04))
    scale = 1.0 + 0.4 + 5 * 0.1 + 5 * (0.2 * 0.8 / 7 + 0.04)
    assert each[0] == pytest.approx(1.5 * 15 * 1.2 / scale)


def test_markets_drawn_together_draw_what_each_draws_alone():
    """Several markets' drift and arrivals worked out at once (an organisation batch's)
    give each market, to the last bit and generator state, what it gives alone, whatever
    the number of domains (numpy sums a row of eight or more in another order than a
    few: both are checked)."""
    shapes = np.random.default_rng(11)
    for case in range(40):
        domains = int(shapes.integers(1, 33))
        markets = [Environment(shapes.normal(0, 1.5, domains), float(shapes.random()))
                   for _ in range(int(shapes.integers(1, 6)))]
        alone = [Environment(env.log_demand.copy(), env.turbulence) for env in markets]
        rates = shapes.uniform(0, 6, len(markets)).tolist()
        means = shapes.uniform(0, 1, len(markets)).tolist()
        together = [np.random.default_rng([case, r]) for r in range(len(markets))]
        apart = [np.random.default_rng([case, r]) for r in range(len(markets))]
        drift(list(zip(markets, together, strict=True)), [m.turbulence for m in markets])
        drawn = draw_tasks(list(zip(markets, together, strict=True)), rates, means)
        for r, (env, rng) in enumerate(zip(alone, apart, strict=True)):
            env.drift(rng)
            assert np.array_equal(env.log_demand, markets[r].log_demand)
            own = env.draw_tasks(rng, rates[r], means[r])
            mine = drawn["org"] == r
            for column in ("domain", "complexity", "value"):
                assert drawn[column].dtype == own[column].dtype
                assert np.array_equal(drawn[column][mine], own[column])
            assert rng.bit_generator.state == together[r].bit_generator.state


def test_the_last_week_a_client_takes_a_task_is_past_its_deadline_in_proportion():
    deadline, arrival = np.array([10, 30, 9]), np.array([0, 10, 6])
    # allowed 10, 20, 3 weeks: half as long again past the deadline, rounded (1.5 to 2)
    np.testing.assert_array_equal(market.last_week(deadline, arrival, 0.5), [15, 40, 11])
    np.testing.assert_array_equal(market.last_week(deadline, arrival, 0.0), deadline)
    # a batch's tasks, each with its organisation's acceptance
    np.testing.assert_array_equal(
        market.last_week(deadline, arrival, np.array([0.0, 1.0, 0.5])), [10, 50, 11])


def test_a_late_task_loses_its_value_by_the_week_it_is_late():
    value = np.array([2.0, 2.0, 1.0, 1.0])
    late = np.array([0, 26, -3, 200])
    # on time whole; six months late a third less; early no more; never below nothing
    np.testing.assert_allclose(market.delivered_value(value, late), [2.0, 2.0 * 0.67, 1.0, 0.0])
