"""Channels by which turbulence and complexity act, each of which can be frozen
(``model.channels``, ``Parameters.frozen_channels``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import run
from scipy import stats

from model import channels
from model.environment import Environment
from model.params import Parameters
from model.rules import market


def test_frozen_channels_are_checked_and_written_one_way():
    assert Parameters(frozen_channels=" report_lag,demand_drift,report_lag").frozen_channels \
        == "demand_drift,report_lag"
    assert Parameters().frozen_channels == ""
    with pytest.raises(ValueError, match=r"frozen_channels.*unknown channel.*: nonsense"
                                         r".*allowed: .*demand_drift"):
        Parameters(frozen_channels="demand_drift,nonsense")
    with pytest.raises(ValueError, match=r"frozen_channels.*expected text"):
        Parameters(frozen_channels=3)


def test_a_frozen_channel_sees_the_reference_level_and_the_others_the_scenario():
    frozen = frozenset({"deadline_slack", "skill_demands"})
    assert channels.turbulence_seen("deadline_slack", 0.9, frozen, 0.3) == 0.3
    assert channels.turbulence_seen("demand_drift", 0.9, frozen, 0.3) == 0.9
    kappa = np.array([0.1, 0.5, 0.9])
    assert channels.complexity_seen("interdependence", kappa, frozen, mean=0.8,
                                    reference=0.5) is kappa
    assert channels.complexity_seen("skill_demands", kappa, frozen, mean=0.5,
                                    reference=0.5) is kappa  # at the reference: itself
    moved = channels.complexity_seen("skill_demands", kappa, frozen, mean=0.8, reference=0.5)
    # the same quantile of Beta(3, 3) as of Beta(4.8, 1.2): lower, in the same order
    assert (moved < kappa).all() and (np.diff(moved) > 0).all()
    assert stats.beta.cdf(moved, 3, 3) == pytest.approx(stats.beta.cdf(kappa, 4.8, 1.2))


def test_with_interdependence_frozen_the_work_arriving_is_still_the_same_at_any_complexity():
    """``needed`` drawn at the reference's quantile: the normaliser is
    ``1 + 2c + m·r/2 + m·E[κ·κ_r]``, so the mean person-weeks asked stay ``size · 15``
    whatever the mean complexity; at r = c it is the live normaliser."""
    assert market.mean_task_scale(0.8, 8, interdependence=0.8) == pytest.approx(
        market.mean_task_scale(0.8, 8), rel=1e-5)
    rng = np.random.default_rng(1)
    for c in (0.2, 0.8):
        env = Environment.start(4, 0.3)
        asked = np.concatenate([env.new_tasks(rng, 400, c, 8, 6, 0, size=1.0,
                                              frozen=frozenset({"interdependence"}))
                                ["person_weeks"] for _ in range(20)])
        assert asked.mean() == pytest.approx(15.0, rel=0.03)


def test_freezing_a_channel_changes_what_it_sees_not_the_draws_of_the_market():
    """The same seed with the deadline slack frozen: the same tasks arrive (domains, sizes,
    values) and only their deadlines differ."""
    def arrivals(frozen, turbulence):
        env = Environment.start(4, turbulence)
        return env.new_tasks(np.random.default_rng(7), 30, 0.5, 8, 6, 0,
                             frozen=frozenset(frozen))
    live, frozen = arrivals((), 0.9), arrivals(("deadline_slack",), 0.9)
    for column in ("domain", "complexity", "needed", "value", "work_total"):
        assert np.array_equal(live[column], frozen[column])
    assert (frozen["deadline"] > live["deadline"]).any()  # slack at 0.3, not 0.9
    assert not (frozen["deadline"] < live["deadline"]).any()


def test_a_frozen_report_lag_means_the_hub_hears_at_once():
    model = run(0, policy="heroic", report_lag=3, frozen_channels="report_lag")
    assert model.world.report_lag == 0
    assert run(0, policy="heroic", report_lag=3).world.report_lag == 3


def _outputs(channel: str, rng: int = 5, **params) -> pd.DataFrame:
    return run(20, rng=rng, n_employees=40, frozen_channels=channel,
               **params).datacollector.get_model_vars_dataframe()


@pytest.mark.parametrize("policy", ["heroic", "distributed", "fostering"])
@pytest.mark.parametrize("channel", list(channels.CHANNELS))
def test_a_channel_frozen_at_the_scenarios_own_level_changes_nothing(channel, policy):
    """Freezing a channel at turbulence .3 and mean complexity .5 (the reference levels)
    gives bit-identical output to the live model there (report lag: with no lag); at
    turbulence .9 and complexity .8 it changes the run (of one seed or another: in 20
    weeks a seed may meet no case the channel decides)."""
    at_reference = {"turbulence": 0.3, "task_complexity": 0.5, "report_lag": 0,
                    "policy": policy}
    assert _outputs(channel, **at_reference).equals(_outputs("", **at_reference))
    away = {"turbulence": 0.9, "task_complexity": 0.8, "policy": policy}
    inert = ((channel == "report_lag" and policy == "distributed")  # nobody to report to
             or (channel == "protocol_staleness" and policy != "fostering"))  # no builder
    changed = any(not _outputs(channel, rng=seed, **away).equals(_outputs("", rng=seed, **away))
                  for seed in (5, 6, 7))
    assert changed != inert


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
