"""The organisation batch (``model.batch``): each organisation in a batch runs bit for bit
as it runs alone: every employee field, the task board, the problem log, the ties, the
market and the final states of its random generators."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest

from model import batch
from model.organisation import OrganisationModel
from model.params import Parameters
from model.phases import SCHEDULE
from model.world import Step, World


def founded(params: Parameters, seed: int) -> World:
    world = World(params, np.random.default_rng(np.random.SeedSequence(seed)))
    world.found()
    return world


def run(world: World, steps: int) -> World:
    for t in range(1, steps + 1):
        world.steps = t
        step = Step()
        for phase in SCHEDULE:
            phase.run(world, step)
    return world


def assert_same(alone: dict, in_batch: dict, where: str) -> None:
    assert alone.keys() == in_batch.keys()
    for key, value in alone.items():
        if isinstance(value, dict):
            assert value == in_batch[key], f"{where}: {key}"
        else:
            np.testing.assert_array_equal(in_batch[key], value, err_msg=f"{where}: {key}",
                                          strict=True)


def test_a_stacked_batch_reads_back_each_organisation_as_it_was_built():
    params = Parameters(policy="distributed", n_employees=30)
    alone = [founded(params, seed) for seed in (1, 2, 3)]
    expected = [batch.organisation(w, 0) for w in alone]
    stacked = batch.stack([founded(params, seed) for seed in (1, 2, 3)])
    for r in range(3):
        assert_same(expected[r], batch.organisation(stacked, r), f"organisation {r}")


def test_streams_draw_for_each_organisation_what_it_draws_alone():
    counts = np.array([3, 0, 5])
    alone = [np.random.default_rng(seed) for seed in range(3)]
    expected = np.concatenate([g.beta(2.0, 3.0, size=(k, 2))
                               for g, k in zip(alone, counts, strict=True)])
    streams = batch.OrganisationStreams([np.random.default_rng(seed) for seed in range(3)],
                                        counts)
    np.testing.assert_array_equal(streams.beta(2.0, 3.0, size=(8, 2)), expected)
    along = batch.OrganisationStreams([np.random.default_rng(seed) for seed in range(3)],
                                      counts, axis=-1)
    rows = np.concatenate([np.random.default_rng(seed).random((2, k))
                           for seed, k in zip(range(3), counts, strict=True)], axis=1)
    np.testing.assert_array_equal(along.random((2, 8)), rows)
    with pytest.raises(ValueError, match="7 items"):
        streams.random(7)


def test_streams_draw_items_of_their_own_parameters_as_the_generator_draws_them():
    """A few items with parameters of their own are drawn one at a time (numpy's array
    path draws them item by item with the same sampler): the same numbers and the same
    generator state as one call with the arrays, for few items and for many."""
    counts = np.array([3, 0, 1, 12, 8])
    rng = np.random.default_rng(5)
    p, a, low = rng.random(24), rng.random(24) + 0.5, rng.normal(size=24)
    draws = {"binomial": (4, p), "beta": (a, 2.0), "normal": (low, a),
             "uniform": (low, low + a)}
    for method, params in draws.items():
        alone = [np.random.default_rng(seed) for seed in range(5)]
        bounds = np.concatenate(([0], np.cumsum(counts)))
        expected = np.concatenate([
            getattr(g, method)(*(v[bounds[r]:bounds[r + 1]] if np.ndim(v) else v
                                 for v in params), size=int(counts[r]))
            for r, g in enumerate(alone)])
        generators = [np.random.default_rng(seed) for seed in range(5)]
        streams = batch.OrganisationStreams(generators, counts)
        got = getattr(streams, method)(*params, size=24)
        np.testing.assert_array_equal(got, expected, strict=True, err_msg=method)
        for g, h in zip(generators, alone, strict=True):
            assert g.bit_generator.state == h.bit_generator.state, method


def run_shocked(world: World, steps: int, shocks: dict[int, int],
                departures: dict[int, int] | None = None) -> World:
    """``run``, with a market shock at step ``shocks[org]`` in organisation ``org``, and
    its formal leader leaving at step ``departures[org]``."""
    for t in range(1, steps + 1):
        world.steps = t
        for org, at in shocks.items():
            if at == t:
                environment, market, _ = world.markets()[org]
                environment.shock(market, 0.4)
        for org, at in (departures or {}).items():
            leader = np.atleast_1d(world.leader)[org]
            if at == t and leader >= 0:
                world.exit(np.array([leader]))
        step = Step()
        for phase in SCHEDULE:
            phase.run(world, step)
    return world


VARIANTS = {
    "defaults": {},
    "conditions off": {"condition_support": False, "condition_energy": False,
                       "claims_see_slack": False, "backlog_pull": False,
                       "claims_need_grant": False, "claims_need_initiative": False},
    "churn and problems": {"quit_rate": 0.6, "hiring_delay": 2, "problem_rate": 0.5,
                           "network": "scale_free", "task_rate": 0.15},
    "the leader's ways": {"span_of_control": True, "leader_queue": "fifo",
                          "leader_fatigue": False, "leader_capacity": 3.0},
    "leaders quit": {"quit_rate": 0.9, "leader_may_quit": True, "succession_delay": 2,
                     "hiring_delay": 1},
    "handing over": {"delegation_bar": 0.6, "survey_interval": 4, "step_back_window": 3,
                     "delegate_tasks": True},
    "initiative": {"initiative_rate": 0.5},
    "no protocols": {"recruit_beyond_ties": False, "network": "teams",
                     "protocol_coverage": 0.0, "turbulence": 0.2},
}


@pytest.mark.parametrize("policy", ["distributed", "heroic", "fostering"])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_each_organisation_of_a_batch_runs_as_it_runs_alone(policy, variant):
    params = Parameters(**{"policy": policy, "n_employees": 40, "turbulence": 0.7,
                           **VARIANTS[variant]})
    seeds = (11, 12, 13)
    # the second organisation's market is shaken, the third's formal leader leaves
    alone = [run_shocked(founded(params, seed), 40, {0: 12} if r == 1 else {},
                         {0: 8} if r == 2 else {})
             for r, seed in enumerate(seeds)]
    stacked = run_shocked(batch.stack([founded(params, seed) for seed in seeds]), 40,
                          {1: 12}, {2: 8})
    if policy == "fostering" and variant == "handing over":  # rights handed over
        assert all(w.state.decision_rights.sum() > 10 for w in alone)
    if policy != "distributed":  # the departure happened
        first = founded(params, seeds[2])
        assert alone[2].state.agent_id[first.leader] != first.state.agent_id[first.leader]
    for r, world in enumerate(alone):
        assert_same(batch.organisation(world, 0), batch.organisation(stacked, r),
                    f"organisation {r}")


CELLS = [(0.1, 0.2), (0.9, 0.8), (0.5, 0.5), (0.9, 0.2)]
"""(turbulence, task complexity) of the organisations of a batch of design points."""
APART = [
    {"task_rate": 0.03, "problem_rate": 0.3, "leader_autonomy_support": 0.2,
     "shared_purpose": 0.9, "claim_support": 0.2, "quit_rate": 0.6, "outside_quit_rate": 0.01,
     "need_rate": 0.3,
     "frustration_rate": 0.05, "regulation_rate": 0.2, "contagion_rate": 0.2,
     "contagion_distance": 0.05, "exhaustion_contagion": 0.1, "recovery_rate": 0.05,
     "learning_rate": 0.1, "peer_learning": 0.0, "forgetting": 0.02, "tie_growth": 0.2,
     "tie_decay": 0.05, "reputation_rate": 0.5, "leading_drain": 0.4,
     "coordination_cost": 0.6, "lead_coordination": 0.9, "claim_competence": 0.3,
     "claim_energy": 0.5, "planning_optimism": 0.0, "late_acceptance": 0.0, "leader_capacity": 3,
     "protocol_coverage": 0.0, "protocol_attention": 0.5, "delegation_bar": 0.6,
     "requirement_drift": 0.05, "knowhow_drift": 0.1, "exception_rate": 0.4,
     "initiative_rate": 0.05, "performance_noise": 1.2},
    {"task_rate": 0.06, "problem_rate": 0.1, "leader_autonomy_support": 0.8,
     "shared_purpose": 0.2, "claim_support": 0.7, "quit_rate": 0.1, "outside_quit_rate": 0.0,
     "need_rate": 0.05,
     "frustration_rate": 0.3, "regulation_rate": 0.02, "contagion_rate": 0.0,
     "contagion_distance": 0.5, "exhaustion_contagion": 0.0, "recovery_rate": 0.3,
     "learning_rate": 0.01, "peer_learning": 0.2, "forgetting": 0.0, "tie_growth": 0.02,
     "tie_decay": 0.0, "reputation_rate": 0.05, "leading_drain": 0.0,
     "coordination_cost": 0.1, "lead_coordination": 0.0, "claim_competence": 0.6,
     "claim_energy": 0.2, "planning_optimism": 0.3, "late_acceptance": 1.0, "leader_capacity": 9,
     "protocol_coverage": 0.6, "protocol_attention": 2.0, "delegation_bar": 0.9,
     "requirement_drift": 0.3, "knowhow_drift": 0.01, "exception_rate": 0.05,
     "initiative_rate": 0.2, "performance_noise": 0.2},
    {"task_rate": 0.045, "problem_rate": 0.15, "leader_autonomy_support": 0.5,
     "shared_purpose": 0.5, "claim_support": 0.5, "quit_rate": 0.3, "outside_quit_rate": 0.0008,
     "need_rate": 0.15,
     "frustration_rate": 0.15, "regulation_rate": 0.08, "contagion_rate": 0.05,
     "contagion_distance": 0.25, "exhaustion_contagion": 0.03, "recovery_rate": 0.15,
     "learning_rate": 0.04, "peer_learning": 0.05, "forgetting": 0.004, "tie_growth": 0.08,
     "tie_decay": 0.01, "reputation_rate": 0.2, "leading_drain": 0.15,
     "coordination_cost": 0.35, "lead_coordination": 0.5, "claim_competence": 0.45,
     "claim_energy": 0.35, "planning_optimism": 0.1, "late_acceptance": 0.5, "leader_capacity": 6,
     "protocol_coverage": 0.3, "protocol_attention": 1.0, "delegation_bar": 0.8,
     "requirement_drift": 0.1, "knowhow_drift": 0.03, "exception_rate": 0.2,
     "initiative_rate": 0.1, "performance_noise": 0.76509},
    {"task_rate": 0.05, "problem_rate": 0.2, "leader_autonomy_support": 0.9,
     "shared_purpose": 0.6, "claim_support": 0.4, "quit_rate": 0.9, "outside_quit_rate": 0.02,
     "need_rate": 0.5,
     "frustration_rate": 0.5, "regulation_rate": 0.3, "contagion_rate": 0.5,
     "contagion_distance": 1.0, "exhaustion_contagion": 0.3, "recovery_rate": 0.6,
     "learning_rate": 0.3, "peer_learning": 0.5, "forgetting": 0.05, "tie_growth": 0.5,
     "tie_decay": 0.2, "reputation_rate": 0.9, "leading_drain": 0.6,
     "coordination_cost": 0.9, "lead_coordination": 0.2, "claim_competence": 0.2,
     "claim_energy": 0.1, "planning_optimism": 0.2, "late_acceptance": 0.25, "leader_capacity": 4,
     "protocol_coverage": 1.0, "protocol_attention": 0.0, "delegation_bar": 0.7,
     "requirement_drift": 0.2, "knowhow_drift": 0.06, "exception_rate": 0.3,
     "initiative_rate": 0.4, "performance_noise": 0.5},
]
"""What else differs between those organisations: every parameter a batch keeps apart."""


def test_the_gate_varies_every_parameter_a_batch_keeps_apart():
    assert {"turbulence", "task_complexity", *APART[0]} == set(batch.VARYING)
    assert all(len({org[name] for org in APART}) == len(APART) for name in APART[0])


@pytest.mark.parametrize("policy", ["distributed", "heroic", "fostering"])
@pytest.mark.parametrize("variant", ["defaults", "conditions off", "leaders quit",
                                     "handing over"])
def test_organisations_of_different_parameters_run_as_they_run_alone(policy, variant):
    """Stage 2 of the batch: design points of one shape (the flagship's cells, and every
    other parameter of ``batch.VARYING``) in one world, with a market shock in one
    organisation and a leader leaving in another."""
    params = [Parameters(**{"policy": policy, "n_employees": 40, **VARIANTS[variant],
                            "turbulence": t, "task_complexity": c, **apart})
              for (t, c), apart in zip(CELLS, APART, strict=True)]
    seeds = (11, 12, 13, 14)
    alone = [run_shocked(founded(p, seed), 40, {0: 12} if r == 1 else {},
                         {0: 8} if r == 2 else {})
             for r, (p, seed) in enumerate(zip(params, seeds, strict=True))]
    stacked = run_shocked(batch.stack([founded(p, seed)
                                       for p, seed in zip(params, seeds, strict=True)]),
                          40, {1: 12}, {2: 8})
    assert all(np.isnan(getattr(stacked.params, name)) for name in batch.VARYING)
    assert stacked.each_org("task_complexity") == [c for _, c in CELLS]
    with pytest.raises(ValueError, match="differ in quit_rate: say whose"):
        stacked.param_for("quit_rate")
    for r, world in enumerate(alone):
        assert_same(batch.organisation(world, 0), batch.organisation(stacked, r),
                    f"organisation {r}")


def test_a_batch_reads_each_items_organisations_parameter():
    stacked = batch.stack([founded(Parameters(n_employees=10, need_rate=rate), seed)
                           for rate, seed in ((0.1, 1), (0.3, 2))])
    every = np.repeat([0.1, 0.3], 10)
    np.testing.assert_array_equal(stacked.param_of_employees("need_rate"), every)
    np.testing.assert_array_equal(stacked.param_of_employees("need_rate", column=True),
                                  every[:, None])
    np.testing.assert_array_equal(stacked.param_for("need_rate", slots=[19, 0, 12]),
                                  [0.3, 0.1, 0.3])
    np.testing.assert_array_equal(stacked.param_for("need_rate", [1, 0]), [0.3, 0.1])
    assert stacked.param_of_employees("recovery_rate", column=True) == 0.15  # shared: a number
    alone = founded(Parameters(n_employees=10, need_rate=0.3), 1)
    assert alone.param_of_employees("need_rate", column=True) == 0.3


def test_which_organisations_may_share_a_batch():
    base = {"policy": "heroic", "n_employees": 20}
    assert batch.together(base, {**base, "turbulence": 0.9, "task_complexity": 0.8})
    assert batch.together(base, {**base, "shared_purpose": 0.9, "quit_rate": 0.3})
    assert not batch.together(base, {**base, "span_attention": 0.5})
    for name in batch.DRAWN_ONLY_ABOVE_ZERO:  # above 0 together; at 0 and above 0 apart
        assert batch.together({**base, name: 0.1}, {**base, name: 0.3})
        assert batch.together({**base, name: 0.0}, {**base, name: 0})
        assert not batch.together({**base, name: 0.0}, {**base, name: 0.3})
        assert batch.together(base, {**base, name: 0.3}) == (getattr(Parameters(), name) > 0)
    apart = batch.stack([founded(Parameters(**base, exception_rate=rate), seed)
                         for rate, seed in ((0.1, 1), (0.3, 2))])
    apart.org_params[0] = dataclasses.replace(apart.org_params[0], exception_rate=0.0)
    with pytest.raises(ValueError, match="both sides of 0 in exception_rate"):
        apart.draws_for("exception_rate")  # had stacking let them through
    assert not batch.together(base, {**base, "policy": "distributed"})
    assert not batch.together({**base, "leader_departure_step": 3},
                              {**base, "leader_departure_step": 3})
    frozen = {**base, "frozen_channels": "interdependence"}  # sees each task's quantile of
    assert not batch.together(frozen, {**frozen, "task_complexity": 0.8})  # its own mix
    assert batch.together(frozen, {**frozen, "turbulence": 0.8})
    assert batch.together({"frozen_channels": "report_lag,demand_drift"},  # in any order
                          {"frozen_channels": "demand_drift, report_lag"})
    with pytest.raises(ValueError, match="differ at most in turbulence, task_complexity, "):
        batch.stack([founded(Parameters(**base), 1),
                     founded(Parameters(**base, span_attention=0.5), 2)])
    with pytest.raises(ValueError, match="no complexity channel frozen"):
        batch.stack([founded(Parameters(**frozen), 1),
                     founded(Parameters(**frozen, task_complexity=0.8), 2)])
    same = batch.stack([founded(Parameters(**base), seed) for seed in (1, 2)])
    assert same.params == Parameters(**base)  # nothing differs: the batch's own


def test_a_batch_of_runs_with_parameters_of_their_own_gives_each_what_it_gives_alone():
    from experiments.simulate import run_batch, run_model

    each = [{"policy": "fostering", "n_employees": 30, "turbulence": t, "task_complexity": c}
            for t, c in CELLS]
    results = run_batch(each, rngs=[5, 6, 7, 8], steps=12)
    for params, seed, result in zip(each, [5, 6, 7, 8], results, strict=True):
        alone = run_model(params, rng=seed, steps=12)
        pd.testing.assert_frame_equal(result.timeseries, alone.timeseries, check_exact=True)
    with pytest.raises(ValueError, match="3 parameter sets for 4 runs"):
        run_batch(each[:3], rngs=[5, 6, 7, 8], steps=2)


@pytest.mark.parametrize("policy", ["distributed", "heroic", "fostering"])
@pytest.mark.parametrize(("record_every", "warm_up", "extra"), [
    (1, 0, {}), (4, 0, {"network": "teams", "collect_agents": True}), (None, 5, {})])
def test_a_batch_of_runs_gives_each_run_what_it_gives_alone(policy, record_every, warm_up,
                                                            extra):
    from experiments.simulate import run_batch, run_model

    params = {"policy": policy, "n_employees": 30, "turbulence": 0.6, **extra}

    def seeds() -> list[np.random.SeedSequence]:
        return [np.random.SeedSequence(8, spawn_key=(k,)) for k in range(3)]

    together = run_batch(params, rngs=seeds(), steps=24, record_every=record_every,
                         warm_up=warm_up)
    for seed, result in zip(seeds(), together, strict=True):
        alone = run_model(params, rng=seed, steps=24, record_every=record_every,
                          warm_up=warm_up)
        pd.testing.assert_frame_equal(result.timeseries, alone.timeseries, check_exact=True)
        np.testing.assert_array_equal(list(result.final.values()), list(alone.final.values()))


@pytest.mark.parametrize("policy", ["distributed", "heroic", "fostering"])
def test_what_a_batch_observes_of_each_run_is_what_it_observes_alone(policy):
    """``observe`` and ``snapshot`` see each organisation as the whole world it has alone:
    the validation's cross-sections (network distance to the leader, teams, who led
    whom) and every field of its state, compared exactly."""
    from experiments.simulate import run_batch, run_model
    from experiments.validation.conditions import cross_sections, intentions

    params = {"policy": policy, "n_employees": 30, "turbulence": 0.6, "problem_rate": 0.2}

    def seeds() -> list[np.random.SeedSequence]:
        return [np.random.SeedSequence(5, spawn_key=(k,)) for k in range(3)]

    def look(world: World) -> tuple:
        return cross_sections(world), intentions(world), batch.organisation(world, 0)

    together = run_batch(params, rngs=seeds(), steps=20, observe=look,
                         snapshot=(12, intentions), record_every=None)
    for r, (seed, result) in enumerate(zip(seeds(), together, strict=True)):
        alone = run_model(params, rng=seed, steps=20, observe=look,
                          snapshot=(12, intentions), record_every=None)
        (agents, teams), last, state = result.observed
        (agents_alone, teams_alone), last_alone, state_alone = alone.observed
        pd.testing.assert_frame_equal(agents, agents_alone, check_exact=True)
        pd.testing.assert_frame_equal(teams, teams_alone, check_exact=True)
        pd.testing.assert_frame_equal(last, last_alone, check_exact=True)
        pd.testing.assert_frame_equal(result.snapshot, alone.snapshot, check_exact=True)
        assert_same(state_alone, state, f"organisation {r}")


def test_a_batch_holds_the_policies_it_batches_and_runs_the_others_one_by_one():
    from experiments.simulate import run_batch, run_model

    assert batch.holds({"policy": "distributed"}) and batch.holds({})
    assert batch.holds({"policy": "heroic"}) and batch.holds({"policy": "fostering"})
    assert not batch.holds({"policy": "distributed", "leader_departure_step": 5})
    params = {"policy": "fostering", "n_employees": 20, "leader_departure_step": 3}
    results = run_batch(params, rngs=[1, 2], steps=6)
    alone = run_model(params, rng=2, steps=6)
    pd.testing.assert_frame_equal(results[1].timeseries, alone.timeseries, check_exact=True)


@pytest.mark.parametrize("policy", ["distributed", "heroic", "fostering"])
@pytest.mark.parametrize(("orgs", "size"), [(16, 25), (64, 12)])
def test_large_batches_of_small_organisations_run_as_they_run_alone(policy, orgs, size):
    params = Parameters(policy=policy, n_employees=size, turbulence=0.5, task_rate=0.12,
                        problem_rate=0.2)
    seeds = range(100, 100 + orgs)
    shocks, departures = {5: 6, orgs - 2: 11}, {3: 4, orgs - 1: 9}
    alone = [run_shocked(founded(params, seed), 20, {0: shocks[r]} if r in shocks else {},
                         {0: departures[r]} if r in departures else {})
             for r, seed in enumerate(seeds)]
    stacked = run_shocked(batch.stack([founded(params, seed) for seed in seeds]), 20, shocks,
                          departures)
    for r, world in enumerate(alone):
        assert_same(batch.organisation(world, 0), batch.organisation(stacked, r),
                    f"organisation {r}")


def test_a_batch_refuses_what_it_cannot_hold_and_items_out_of_order():
    params = Parameters(policy="heroic", n_employees=20)
    stacked = batch.stack([founded(params, seed) for seed in (1, 2)])
    with pytest.raises(NotImplementedError, match="no interventions"):
        stacked.intervene({"leader_autonomy_support": 0.9})
    with pytest.raises(NotImplementedError, match="no departures"):
        stacked.remove_leader()
    with pytest.raises(ValueError, match="out of organisation order"):
        stacked.draws(slots=np.array([25, 3]))
    with pytest.raises(ValueError, match="say whose"):
        stacked.coverage()
    departing = Parameters(policy="heroic", n_employees=20, leader_departure_step=3)
    with pytest.raises(ValueError, match="leader_departure_step"):
        batch.stack([founded(departing, seed) for seed in (1, 2)])


def test_tasks_go_in_batches_of_one_condition_spread_over_the_workers():
    from experiments.simulate import in_batches, map_in_batches

    tasks = [("a", k) for k in range(20)] + [("b", k) for k in range(5)] + [("a", 99)]
    condition = lambda task: task[0]  # noqa: E731
    assert [len(b) for b in in_batches(tasks, condition, size=16, workers=1)] == [10, 10, 5, 1]
    assert [len(b) for b in in_batches(tasks[:20], condition, size=16, workers=2)] == [10, 10]
    assert [len(b) for b in in_batches(tasks[:20], condition, size=4, workers=2)] == [4] * 5
    batches = in_batches(tasks, condition, size=3, workers=8)
    assert [task for b in batches for task in b] == tasks
    assert all(len({task[0] for task in b}) == 1 and len(b) <= 3 for b in batches)

    class InTurn:
        def map(self, fn, batches):
            return [fn(b) for b in batches]

    assert map_in_batches(InTurn(), lambda b: [t[1] for t in b], tasks, condition,
                          workers=2) == [t[1] for t in tasks]
    with pytest.raises(RuntimeError, match="one per task"):
        map_in_batches(InTurn(), lambda b: b[:1], tasks, condition)
    interleaved = [(kind, k) for k in range(6) for kind in "ab"]  # a study's policy inside
    seen = []
    assert map_in_batches(InTurn(), lambda b: seen.append(b) or [t[1] for t in b],
                          interleaved, condition, size=16) == [t[1] for t in interleaved]
    assert [{t[0] for t in b} for b in seen] == [{"a"}, {"b"}]  # each kind as one batch


@pytest.mark.parametrize("study", ["mechanisms", "channels", "robustness", "fostering",
                                   "validation", "validation series"])
def test_each_study_runs_a_batch_of_replications_as_it_runs_each_alone(study):
    """A study's runs of one condition together give each run exactly what it gives alone
    (a batch of one is the single run)."""
    import importlib

    from experiments.simulate import in_batches, same_condition

    if study.startswith("validation"):
        from experiments.validation import conditions

        many = conditions.simulate_series if study.endswith("series") else conditions.simulate
        warm = () if study.endswith("series") else (3,)  # the patterns' runs after a warm-up
        tasks = [({"n_employees": 30, "policy": policy, "turbulence": turbulence}, seed, 16,
                  *warm)
                 for policy in ("heroic", "fostering")
                 for seed, turbulence in ((1, 0.6), (2, 0.6), (3, 0.9))]  # two conditions
        same = same_condition
    else:
        module = importlib.import_module(f"experiments.{study}")
        size = {"replications": 3, "steps": 12,
                **({"points": 2} if study == "robustness" else {"employees": 30}),
                **({"warm_up": 3} if study != "fostering" else {})}  # a warm-up, where read
        design = module.Design(**size)
        many, same = module._many, getattr(module, "_same", same_condition)
        plan = module.plan(design)
        firsts = in_batches(plan, same, size=3)
        cells = [b for b in firsts if len({(t[0].get("turbulence"), t[0].get("task_complexity"))
                                           for t in b}) > 1]  # flagship cells together
        second = cells[0] if cells else firsts[len(firsts) // 2]
        tasks = [task for b in (firsts[0], second) for task in b]
    batches = in_batches(tasks, same, size=3)
    assert [len(b) for b in batches] == [3, 3]
    for b in batches:
        together, alone = many(b), [many([task])[0] for task in b]
        for t, a in zip(together, alone, strict=True):
            if isinstance(t, pd.DataFrame):
                pd.testing.assert_frame_equal(t, a, check_exact=True)
                continue
            assert t.keys() == a.keys()
            for key, value in t.items():
                if isinstance(value, pd.DataFrame):
                    pd.testing.assert_frame_equal(value, a[key], check_exact=True)
                elif isinstance(value, dict):
                    np.testing.assert_array_equal(list(value.values()), list(a[key].values()))
                else:
                    assert value == a[key] or (value != value and a[key] != a[key])  # NaN


def test_items_of_a_batch_must_come_in_organisation_order():
    batch.in_order(np.array([0, 0, 1, 3, 3]))
    batch.in_order(np.array([2]))
    batch.in_order(np.array([], dtype=np.int64))
    with pytest.raises(ValueError, match="out of organisation order"):
        batch.in_order(np.array([0, 2, 1]))


def test_a_batch_sums_each_organisations_items_as_it_sums_them_alone():
    """``World.total`` in a batch gives each organisation the bits ``np.add.reduce`` gives
    its block alone: blocks under ``SHORT_SUM`` by one ``bincount`` (numpy sums so few one
    after another from 0, as ``bincount`` does: if a numpy changes that, this fails),
    longer ones block by block."""
    from model.world import SHORT_SUM

    world = batch.stack([founded(Parameters(n_employees=10), seed) for seed in range(6)])
    rng = np.random.default_rng(11)
    for longest in (1, 3, SHORT_SUM - 1, SHORT_SUM, 40):
        for _ in range(200):
            counts = rng.integers(0, longest + 1, world.orgs)
            org = np.repeat(np.arange(world.orgs), counts)
            values = rng.random(len(org)) * 10.0 ** rng.uniform(-4, 4, len(org))
            bounds = np.concatenate(([0], np.cumsum(counts)))
            alone = [np.add.reduce(values[a:b]) for a, b in itertools.pairwise(bounds)]
            np.testing.assert_array_equal(world.total(values, org), alone, strict=False)


def test_a_draw_of_none_moves_no_generator():
    """What the batch and the market rely on to skip a draw of none (``new_problems``, the
    organisation streams): it leaves a generator where it was."""
    drawn, skipped = np.random.default_rng(4), np.random.default_rng(4)
    drawn.integers(7, size=0)
    drawn.beta(2.0, 3.0, size=0)
    drawn.random(0)
    assert drawn.random() == skipped.random()


@pytest.mark.parametrize("policy", ["heroic", "distributed"])
def test_ties_made_and_dissolved_over_a_year_in_a_batch_as_alone(policy):
    """Beyond a year, ties made at work dissolve and leavers' go with them: each
    organisation of a batch makes and loses the same ties, in the same order, as alone."""
    params = Parameters(policy=policy, n_employees=30, quit_rate=0.2, task_rate=0.1)
    seeds = (7, 8, 9)

    def ties_made_by(world: World) -> set:
        t = world.ties
        return set(zip(t.u[t.at_work].tolist(), t.v[t.at_work].tolist(), strict=True))

    alone, dissolved = [], 0
    for seed in seeds:
        world = run(founded(params, seed), 50)
        early = ties_made_by(world)
        for step in range(51, 111):  # on, to week 110
            world.steps = step
            one = Step()
            for phase in SCHEDULE:
                phase.run(world, one)
        dissolved += len(early - ties_made_by(world))
        alone.append(world)
    assert dissolved > 0  # the year passed for some ties
    stacked = run(batch.stack([founded(params, seed) for seed in seeds]), 110)
    for r, world in enumerate(alone):
        assert (world.ties.last_together[world.ties.at_work] > 110 - 52).all()
        assert_same(batch.organisation(world, 0), batch.organisation(stacked, r),
                    f"organisation {r}")


def test_a_model_without_mesa_agents_numbers_its_people_as_mesa_does():
    """``mesa_agents=False`` (what a batch builds) counts unique ids as Mesa's agents do:
    the same world and outputs, hires included."""
    with_agents = OrganisationModel(rng=3, policy="heroic", n_employees=30)
    without = OrganisationModel(rng=3, policy="heroic", n_employees=30, mesa_agents=False)
    assert without.grid is None and len(without.agents) == 0
    for _ in range(60):
        with_agents.step()
        without.step()
    assert with_agents.world.state.agent_id.max() > 30  # people joined
    assert_same(batch.organisation(with_agents.world, 0), batch.organisation(without.world, 0),
                "without Mesa agents")
    pd.testing.assert_frame_equal(with_agents.datacollector.get_model_vars_dataframe(),
                                  without.datacollector.get_model_vars_dataframe(),
                                  check_exact=True)
