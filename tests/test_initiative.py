"""Self-initiated work (``phases.initiative``, ``rules.leadership.opportunity_chance``):
the idle take up work nobody asked for in the domain they know best; where they may act
it joins the board and they look at it first, where only a formal leader decides it
reaches the board only if voiced; the market meets every policy as it did."""

from __future__ import annotations

import types

import numpy as np
import pandas as pd
import pytest
from conftest import clearly_above

from experiments.simulate import run_batch
from model.organisation import OrganisationModel
from model.phases import initiative
from model.rules import leadership, market
from model.rules import problems as problem_rules
from model.world import Step


def test_the_chance_of_taking_up_work_unasked_is_the_rate_times_the_drive():
    chance = leadership.opportunity_chance(
        autonomous=np.array([0.5, 1.0, 0.8, 1.0]), energy=np.array([0.8, 1.0, 0.5, 1.0]),
        helplessness=np.array([0.25, 0.0, 1.0, 0.0]), rate=np.array([0.2, 0.3, 0.9, 2.0]))
    # 0.2·0.5·0.8·0.75; 0.3 at full drive; the helpless never; a rate above 1 at most 1
    np.testing.assert_allclose(chance, [0.06, 0.3, 0.0, 1.0])


def _world(policy: str, steps: int = 30, **params):
    model = OrganisationModel(rng=np.random.SeedSequence(5), policy=policy, n_employees=60,
                              mesa_agents=False, **params)
    for _ in range(steps):
        model.step()
    return model.world


@pytest.mark.parametrize("policy", ["distributed", "fostering"])
def test_an_idea_is_a_task_in_its_proposers_best_domain_at_the_markets_value(policy):
    world = _world(policy, 2, initiative_rate=1.0)  # (early: most are still idle)
    world.steps += 1
    before, skills = len(world.tasks), world.state.skills.copy()
    step = Step()
    initiative.run(world, step)
    tasks = world.tasks
    new = np.arange(before, len(tasks))
    assert len(new) == step.events.initiated > 0
    proposer = tasks.proposer[new]
    assert (proposer >= 0).all() and len(set(proposer)) == len(proposer)
    assert world.idle_mask()[proposer].all()
    np.testing.assert_array_equal(tasks.domain[new], skills[proposer].argmax(axis=1))
    shares = market.demand_shares(world.environment.log_demand)
    np.testing.assert_allclose(tasks.value[new], market.task_value(shares, tasks.domain[new]))
    assert (tasks.arrival[new] == world.steps).all() and (tasks.started[new] < 0).all()
    assert (tasks.deadline[new] > world.steps).all() and (tasks.needed[new] >= 1).all()


def test_without_voice_no_idea_reaches_a_formal_leader(monkeypatch):
    monkeypatch.setattr(problem_rules, "voice_probability",
                        lambda **kw: np.zeros(len(kw["safety"])))
    world = _world("heroic", initiative_rate=1.0)
    assert (world.tasks.proposer < 0).all()
    monkeypatch.setattr(problem_rules, "voice_probability",
                        lambda **kw: np.ones(len(kw["safety"])))
    world = _world("heroic", initiative_rate=1.0)
    assert (world.tasks.proposer >= 0).sum() > 0


def test_nobody_but_its_proposer_hears_of_an_idea_in_its_first_week():
    # the proposer steps forward with its idea and weighs it against the waiting work it
    # looks at: ideas taken on in the week they were proposed are all led by their proposer
    model = OrganisationModel(rng=np.random.SeedSequence(8), policy="distributed",
                              n_employees=60, mesa_agents=False, initiative_rate=0.5)
    taken, by_proposer = 0, 0
    for _ in range(40):
        model.step()
        tasks = model.world.tasks
        fresh = (tasks.proposer >= 0) & (tasks.started == model.world.steps)
        fresh &= tasks.arrival == model.world.steps
        taken += int(fresh.sum())
        by_proposer += int((tasks.lead[fresh] == tasks.proposer[fresh]).sum())
    assert taken > 10 and by_proposer == taken


def test_initiative_leaves_the_market_every_policy_meets_as_it_was():
    runs = [run_batch({"policy": "distributed", "n_employees": 60, "initiative_rate": rate},
                      rngs=[3], steps=120)[0].timeseries for rate in (0.0, 0.4)]
    off, on = runs
    np.testing.assert_array_equal(off["tasks_arrived"], on["tasks_arrived"])
    np.testing.assert_array_equal(off["mean_task_value"], on["mean_task_value"])
    np.testing.assert_array_equal(off["offered_load"], on["offered_load"])
    assert (off["tasks_initiated"] == 0).all() and on["tasks_initiated"].sum() > 20


def _started_and_completed(rate: float, seeds, **params) -> tuple[np.ndarray, np.ndarray]:
    runs = run_batch({"n_employees": 80, "initiative_rate": rate, **params},
                     rngs=list(seeds), steps=160)
    return (np.array([r.timeseries.loc[81:, "tasks_started"].mean() for r in runs]),
            np.array([r.timeseries.loc[81:, "tasks_completed"].mean() for r in runs]))


def test_a_flat_organisation_starts_more_with_initiative_and_leaves_more_unfinished():
    # Lee 2022: without procedures, self-started work adds starts, not finished work in
    # proportion (the idle leave waiting client work for their own ideas)
    seeds = range(8)
    started_off, done_off = _started_and_completed(0.0, seeds, policy="distributed",
                                                   protocol_coverage=0.0)
    started_on, done_on = _started_and_completed(0.2, seeds, policy="distributed",
                                                 protocol_coverage=0.0)
    assert clearly_above(started_on, started_off)
    assert clearly_above(started_on - done_on, started_off - done_off)


def test_a_formal_leader_staffs_the_ideas_voiced_to_it():
    seeds = range(6)
    started_off, _ = _started_and_completed(0.0, seeds, policy="heroic")
    started_on, _ = _started_and_completed(0.3, seeds, policy="heroic")
    assert clearly_above(started_on, started_off)


def test_an_idea_nobody_takes_up_lapses_and_does_not_count_as_failed_work(monkeypatch):
    # with the formal leader gone and no successor in sight nothing starts: every market
    # task that passes its last week fails, every idea lapses
    monkeypatch.setattr(problem_rules, "voice_probability",
                        lambda **kw: np.ones(len(kw["safety"])))
    model = OrganisationModel(rng=np.random.SeedSequence(2), policy="heroic", n_employees=60,
                              mesa_agents=False, initiative_rate=1.0, succession_delay=500)
    model.remove_leader()
    failed = arrived = lapsed = initiated = 0
    for _ in range(60):
        model.step()
        failed += model.metrics["tasks_failed"]
        arrived += model.metrics["tasks_arrived"]
        lapsed += model.metrics["tasks_lapsed"]
        initiated += model.metrics["tasks_initiated"]
    tasks = model.world.tasks
    assert (tasks.started < 0).all()
    assert failed == arrived - int((tasks.proposer < 0).sum()) > 0
    assert lapsed == initiated - int((tasks.proposer >= 0).sum()) > 0


def test_the_drive_to_take_up_work_unasked_is_the_phases_own():
    # the helpless take up nothing, however idle (the rule's drive, read in the phase)
    world = _world("distributed", 2, initiative_rate=1.0)
    world.state.helplessness[:] = 1.0
    world.steps += 1
    step = Step()
    initiative.run(world, step)
    assert step.events.initiated == 0


def test_under_fostering_rights_holders_need_no_voice_and_the_others_do(monkeypatch):
    monkeypatch.setattr(problem_rules, "voice_probability",
                        lambda **kw: np.zeros(len(kw["safety"])))
    model = OrganisationModel(rng=np.random.SeedSequence(4), policy="fostering",
                              n_employees=60, mesa_agents=False, initiative_rate=1.0)
    proposers = []
    for _ in range(80):
        # the rights held as the week's ideas come (a review at the week's end may take
        # some back: ``FosteringPolicy`` adapts after the initiative phase)
        held = model.world.state.decision_rights.copy()
        model.step()
        tasks = model.world.tasks
        fresh = (tasks.proposer >= 0) & (tasks.arrival == model.world.steps)
        proposers.extend(held[tasks.proposer[fresh]])
    assert len(proposers) > 5 and all(proposers)


def _first_week_share(monkeypatch, value: float) -> float:
    """Of the ideas proposed, the share started in their first week, every idea worth
    ``value``, with everyone idle who may act looking at the waiting work."""
    monkeypatch.setattr(initiative, "market", types.SimpleNamespace(
        demand_shares=market.demand_shares,
        task_value=lambda shares, domain: np.full(len(domain), value)))
    model = OrganisationModel(rng=np.random.SeedSequence(8), policy="distributed",
                              n_employees=60, mesa_agents=False, initiative_rate=0.5,
                              claims_need_initiative=False)
    proposed = taken = 0
    for _ in range(60):
        model.step()
        tasks = model.world.tasks
        fresh = (tasks.proposer >= 0) & (tasks.arrival == model.world.steps)
        proposed += model.metrics["tasks_initiated"]
        taken += int((fresh & (tasks.started == model.world.steps)).sum())
    return taken / proposed


def test_a_proposer_weighs_its_idea_against_the_waiting_work(monkeypatch):
    # an idea worth little loses to the client work its proposer looks at, one worth much
    # wins (the share then is what the gate and the grant let through)
    assert _first_week_share(monkeypatch, 0.3) < 0.5 * _first_week_share(monkeypatch, 5.0)


@pytest.mark.parametrize("policy", ["heroic", "distributed", "fostering"])
def test_at_rate_zero_initiative_draws_nothing_and_changes_nothing(monkeypatch, policy):
    from model import organisation, phases

    def series():
        return run_batch({"policy": policy, "n_employees": 60}, rngs=[6],
                         steps=80)[0].timeseries

    with_phase = series()
    others = tuple(phase for phase in phases.SCHEDULE if phase is not initiative)
    monkeypatch.setattr(phases, "SCHEDULE", others)  # (as a batch reads it)
    monkeypatch.setattr(organisation, "SCHEDULE", others)  # (as a model alone reads it)
    monkeypatch.setattr(initiative, "run", None)  # (were it still run, it would fail)
    without = series()
    assert (with_phase["tasks_initiated"] == 0).all()
    pd.testing.assert_frame_equal(with_phase, without)
