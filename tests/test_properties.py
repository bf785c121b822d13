"""Property tests: for any valid parameters, state stays in [0, 1], nothing is NaN, and the
bookkeeping holds."""

import dataclasses

import numpy as np
from conftest import assert_state_valid
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model import OrganisationModel, Parameters
from model.channels import CHANNELS
from model.params import NETWORK_KINDS
from model.policies import policy_names

# Keep runs small: the ranges of everything else come from the parameter set itself.
SMALL = {
    "n_employees": st.integers(10, 70),
    "team_size": st.integers(2, 20),
    "mean_degree": st.integers(2, 9),
    "leadership_window": st.integers(1, 15),
    "leader_departure_step": st.none() | st.integers(1, 15),
    "policy": st.sampled_from(policy_names()),
    "network": st.sampled_from(NETWORK_KINDS),
    "frozen_channels": st.sets(st.sampled_from(list(CHANNELS))).map(",".join),
}


def _strategy(f: dataclasses.Field):
    if f.name in SMALL:
        return SMALL[f.name]
    m = f.metadata
    if m["choices"] is not None:
        return st.sampled_from(Parameters.choices(f.name))
    if f.type == "bool":
        return st.booleans()
    if f.type.startswith("int"):
        return st.integers(int(m["low"]), int(min(m["high"], 1000)))
    return st.floats(m["low"], m["high"], allow_nan=False)


PARAMETERS = st.fixed_dictionaries(
    {f.name: _strategy(f) for f in dataclasses.fields(Parameters)}
)


def _valid(kwargs) -> bool:
    try:
        Parameters(**kwargs)
    except ValueError:
        return False
    return True


COUNTS = ["tasks_arrived", "tasks_started", "tasks_completed", "tasks_failed", "backlog",
          "open_problems", "hidden_problems", "leaders_active", "exits", "hires", "headcount",
          "protocol_coverage", "formal_leader_present", "value_completed", "leader_load",
          "open_exceptions"]
PER_TASK = ["mean_task_latency", "mean_quality"]
PER_START = ["mean_start_wait", "leader_staffed_share"]  # undefined when nothing started
PER_PROBLEM = ["mean_problem_age"]  # undefined when no problem is open
PER_CLAIM = ["lead_value", "lead_skill", "lead_energy", "lead_support"]


def _assert_undefined_only_when_nothing_to_average(df):
    """NaN is allowed only where there is nothing to average (documented in ODD §7.9)."""
    assert np.isfinite(df[COUNTS].to_numpy(dtype=float)).all()
    per_employee = df.drop(columns=[*COUNTS, *PER_TASK, *PER_START, *PER_CLAIM, *PER_PROBLEM,
                                    "leadership_centralization", "mean_tie_strength",
                                    "estimate_error", "mean_task_value", "leader_exhaustion",
                                    "fit_against_plan"])
    staffed = df.headcount > 0
    assert np.isfinite(per_employee[staffed].to_numpy(dtype=float)).all()
    assert df.loc[df.tasks_completed > 0, PER_TASK].notna().all().all()
    assert df.loc[df.tasks_started > 0, PER_START].notna().all().all()
    assert df.loc[df.open_problems > 0, PER_PROBLEM].notna().all().all()
    # the leader's estimates of the others: defined when a leader has someone else in post
    led = (df.formal_leader_present == 1) & (df.headcount > df.formal_leader_present)
    assert df.estimate_error.notna().iloc[1:].eq(led.iloc[1:]).all()
    assert df.leader_exhaustion.notna().iloc[1:].eq(df.formal_leader_present.iloc[1:] == 1).all()
    assert df.mean_task_value.notna().iloc[1:].eq(df.tasks_arrived.iloc[1:] > 0).all()
    # defined whenever someone worked this step (those still on a task at its end did)
    assert df.loc[df.utilisation > 0, "fit_against_plan"].notna().all()


def _assert_tie_mean_defined_iff_two_present_people_are_tied(model):
    on = model.state.active
    tied = bool((on[model.ties.u] & on[model.ties.v]).any())
    assert np.isfinite(model.metrics["mean_tie_strength"]) == tied


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kwargs=PARAMETERS, seed=st.integers(0, 2**32 - 1), shock=st.booleans())
def test_state_stays_in_bounds_and_bookkeeping_holds(kwargs, seed, shock):
    assume(_valid(kwargs))
    model = OrganisationModel(rng=seed, **kwargs)
    for step in range(15):
        if shock and step == 7:
            model.market_shock()
            model.remove_leader()
        model.step()
        assert_state_valid(model)
        _assert_tie_mean_defined_iff_two_present_people_are_tied(model)
    df = model.datacollector.get_model_vars_dataframe()
    _assert_undefined_only_when_nothing_to_average(df)
    assert df.tasks_arrived.sum() + df.tasks_initiated.sum() == (
        df.tasks_completed.sum() + df.tasks_failed.sum() + df.tasks_lapsed.sum()
        + df.backlog.iloc[-1]
    )
    assert (df.headcount.diff().iloc[1:] == (df.hires - df.exits).iloc[1:]).all()
    assert df.headcount.iloc[-1] == len(model.agents)
    s = model.state
    assert (s.task[~s.active] == -1).all()
    assert (s.task < len(model.tasks)).all()
