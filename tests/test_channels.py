"""Channels by which turbulence and complexity act, each of which can be frozen
(``model.channels``, ``Parameters.frozen_channels``)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run

from model import channels
from model.environment import Environment
from model.params import Parameters
from model.rules import market


def test_frozen_channels_are_checked_and_written_one_way():
    assert Parameters(frozen_channels=" report_lag,demand_drift,report_lag").frozen_channels \
        == "demand_drift,report_lag"
    assert Parameters().frozen_channels == ""
    with pytest.raises(ValueError, match="frozen_channels.*unknown channel.*: nonsense"
                                         ".*allowed: .*demand_drift"):
        Parameters(frozen_channels="demand_drift,nonsense")
    with pytest.raises(ValueError, match="frozen_channels.*expected text"):
        Parameters(frozen_channels=3)


def test_a_frozen_channel_sees_the_reference_level_and_the_others_the_scenario():
    frozen = frozenset({"deadline_slack", "skill_demands"})
    assert channels.turbulence_seen("deadline_slack", 0.9, frozen) == 0.5
    assert channels.turbulence_seen("demand_drift", 0.9, frozen) == 0.9
    kappa = np.array([0.1, 0.9])
    assert channels.complexity_seen("skill_demands", kappa, frozen).tolist() == [0.5, 0.5]
    assert channels.complexity_seen("interdependence", kappa, frozen) is kappa


def test_with_interdependence_frozen_the_work_arriving_is_still_the_same_at_any_complexity():
    """``needed`` drawn at the reference level: the normaliser is ``(1 + m·r/2)(1 + 2c)``,
    so the mean person-weeks asked stay ``size · 15`` whatever the mean complexity."""
    assert market.mean_task_scale(0.8, 8, interdependence=0.5) == pytest.approx(
        (1 + 7 * 0.25) * (1 + 1.6))
    rng = np.random.default_rng(1)
    for c in (0.2, 0.8):
        env = Environment.start(4, 0.3)
        asked = np.concatenate([env.new_tasks(rng, 400, c, 8, 6, 0, size=1.0,
                                              frozen=frozenset({"interdependence"}))
                                ["person_weeks"] for _ in range(20)])
        assert asked.mean() == pytest.approx(15.0, rel=0.03)


def test_freezing_a_channel_changes_what_it_sees_not_the_draws_of_the_market():
    """The same seed with the deadline slack frozen: the same tasks arrive (domains, sizes,
    values) and only their deadlines differ; at turbulence 0.5 freezing changes nothing."""
    def arrivals(frozen, turbulence):
        env = Environment.start(4, turbulence)
        return env.new_tasks(np.random.default_rng(7), 30, 0.5, 8, 6, 0,
                             frozen=frozenset(frozen))
    live, frozen = arrivals((), 0.9), arrivals(("deadline_slack",), 0.9)
    for column in ("domain", "complexity", "needed", "value", "work_total"):
        assert np.array_equal(live[column], frozen[column])
    assert (frozen["deadline"] > live["deadline"]).any()  # slack at 0.5, not 0.9
    assert not (frozen["deadline"] < live["deadline"]).any()
    same = arrivals(("deadline_slack",), 0.5)
    assert np.array_equal(same["deadline"], arrivals((), 0.5)["deadline"])


def test_a_frozen_report_lag_means_the_hub_hears_at_once():
    model = run(0, policy="heroic", report_lag=3, frozen_channels="report_lag")
    assert model.world.report_lag == 0
    assert run(0, policy="heroic", report_lag=3).world.report_lag == 3


@pytest.mark.parametrize("channel", list(channels.CHANNELS))
def test_at_the_reference_scenario_only_the_complexity_channels_change_a_run(channel):
    """Frozen at a scenario already at the reference levels (turbulence and complexity
    0.5, no report lag), a turbulence channel sees what it saw live: the run is identical.
    A complexity channel still changes it: live, each task has its own κ around 0.5."""
    reference = {"turbulence": 0.5, "task_complexity": 0.5, "report_lag": 0,
                 "policy": "heroic", "n_employees": 40}
    live = run(15, rng=5, **reference).datacollector.get_model_vars_dataframe()
    frozen = run(15, rng=5, frozen_channels=channel,
                 **reference).datacollector.get_model_vars_dataframe()
    if channel in channels.COMPLEXITY_CHANNELS:
        assert not frozen.equals(live)
    else:
        assert frozen.equals(live)


def test_freezing_a_channel_moves_what_it_carries():
    """Complex work with its decision load frozen asks less of the heroic leader; a
    turbulent market with its problem arrivals frozen brings fewer problems."""
    def mean(column, **params):
        return np.mean([run(40, rng=seed, n_employees=60, **params)
                        .datacollector.get_model_vars_dataframe()[column].iloc[10:].mean()
                        for seed in range(3)])
    complex_work = {"policy": "heroic", "task_complexity": 0.8}
    assert mean("leader_load", frozen_channels="decision_load", **complex_work) < mean(
        "leader_load", **complex_work)
    turbulent = {"policy": "heroic", "turbulence": 0.9}
    assert mean("open_problems", frozen_channels="problem_arrivals", **turbulent) < mean(
        "open_problems", **turbulent)
