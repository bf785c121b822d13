"""Integration tests of the organisation model."""

import gc
import inspect
import weakref

import mesa
import numpy as np
import pandas as pd
import pytest
from conftest import assert_state_valid, run
from mesa.discrete_space import Network

from model import MODEL_OUTPUTS, Employee, LeadershipPolicy, OrganisationModel, register_policy
from model.metrics import centralization_by_group, freeman_centralization
from model.policies import policy_names

DESIGN_OUTPUTS = (
    "tasks_arrived", "tasks_completed", "tasks_failed", "backlog", "mean_task_latency",
    "mean_quality", "open_problems", "sat_autonomy", "sat_competence", "sat_relatedness",
    "frus_autonomy", "frus_competence", "frus_relatedness", "amotivation", "external",
    "introjected", "identified", "intrinsic", "autonomous_motivation", "controlled_motivation",
    "rai", "share_autonomous", "mean_vitality", "mean_exhaustion", "burnout_share",
    "utilisation", "leader_load", "value_completed", "leaders_active",
    "leadership_centralization", "mean_tie_strength", "exits", "headcount",
)


@pytest.mark.parametrize("policy", ["heroic", "distributed", "fostering"])
def test_every_design_output_is_collected_every_step(policy):
    model = run(20, policy=policy)
    df = model.datacollector.get_model_vars_dataframe()
    assert set(DESIGN_OUTPUTS) <= set(df.columns)
    assert list(df.columns) == list(MODEL_OUTPUTS)
    assert len(df) == 21  # the initial state plus one row a step
    assert_state_valid(model)


@pytest.mark.parametrize("policy", ["heroic", "distributed", "fostering"])
def test_tasks_are_conserved(policy):
    model = run(40, policy=policy, turbulence=0.8)
    df = model.datacollector.get_model_vars_dataframe()
    arrived = df.tasks_arrived.sum()
    assert arrived > 0
    assert arrived == df.tasks_completed.sum() + df.tasks_failed.sum() + df.backlog.iloc[-1]
    assert len(model.tasks) == df.backlog.iloc[-1]


@pytest.mark.parametrize("policy", ["heroic", "distributed"])
def test_headcount_changes_only_through_exits_and_hires(policy):
    model = run(60, policy=policy, quit_rate=0.5, hiring_delay=2,
                leader_autonomy_support=0.0)
    df = model.datacollector.get_model_vars_dataframe()
    assert df.exits.sum() > 0 and df.hires.sum() > 0
    change = df.headcount.diff().iloc[1:]
    np.testing.assert_array_equal(change, (df.hires - df.exits).iloc[1:])
    assert len(model.agents) == df.headcount.iloc[-1] == model.state.active.sum()


def test_same_parameters_and_seed_give_identical_output():
    a = run(25, policy="distributed", rng=11).datacollector.get_model_vars_dataframe()
    b = run(25, policy="distributed", rng=11).datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(a, b)


def test_seed_sequence_is_accepted_and_reproducible():
    seq = np.random.SeedSequence(1234).spawn(2)[1]
    a = run(10, rng=seq).datacollector.get_model_vars_dataframe()
    again = np.random.SeedSequence(1234).spawn(2)[1]
    b = run(10, rng=again).datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(a, b)


def test_different_seeds_give_different_runs_and_networks():
    a, b = run(10, rng=1), run(10, rng=2)
    assert not np.array_equal(a.ties.u, b.ties.u) or not np.array_equal(a.ties.v, b.ties.v)
    assert not a.datacollector.get_model_vars_dataframe().equals(
        b.datacollector.get_model_vars_dataframe()
    )


@pytest.mark.parametrize("network", ["small_world", "scale_free", "teams"])
def test_graph_generation_is_seeded_from_the_model(network):
    a = OrganisationModel(n_employees=80, network=network, rng=5)
    b = OrganisationModel(n_employees=80, network=network, rng=5)
    assert set(a.grid.G.edges()) == set(b.grid.G.edges())
    assert a.grid.G.number_of_edges() > 0


def test_employees_are_mesa_agents_on_a_network_that_read_the_state():
    model = run(5, policy="distributed")
    assert isinstance(model.grid, Network)
    agents = list(model.agents)
    assert all(isinstance(a, Employee) for a in agents)
    agent = agents[0]
    assert agent.cell is model.grid[agent.slot]
    model.state.reg[agent.slot] = [0.1, 0.2, 0.3, 0.4, 0.9]
    assert agent.intrinsic == 0.9
    assert agent.rai == pytest.approx(1.8 + 0.4 - 0.3 - 0.4)
    assert agent.dominant_regulation == "intrinsic"
    model.state.helplessness[agent.slot], model.state.decision_rights[agent.slot] = 0.25, True
    assert agent.helplessness == 0.25 and agent.decision_rights
    assert agent.voice_efficacy == model.state.voice_efficacy[agent.slot]
    neighbours = list(agent.cell.neighborhood.agents)
    assert neighbours and all(isinstance(a, Employee) for a in neighbours)
    assert np.mean(model.agents.get("energy")) == pytest.approx(
        model.state.energy[model.state.active].mean()
    )


def test_agent_level_data_is_opt_in_and_thinned():
    with pytest.raises(RuntimeError, match="collect_agents=True"):
        run(10).datacollector.get_agent_vars_dataframe()
    model = run(20, collect_agents=True, agent_every=5)
    df = model.datacollector.get_agent_vars_dataframe()
    steps = sorted(df.index.get_level_values(0).unique())
    assert steps == [0, 5, 10, 15, 20]
    assert {"intrinsic", "rai", "energy", "skill_0", "is_formal_leader"} <= set(df.columns)
    last = df.xs(20, level=0)
    assert len(last) == model.state.active.sum()
    one = next(iter(model.agents))
    assert last.loc[one.unique_id, "energy"] == pytest.approx(one.energy)


def test_mesa_batch_run_accepts_the_model():
    # Mesa 3.5 seeds through batch_run(rng=...); 3.3 through the parameters
    takes_rng = "rng" in inspect.signature(mesa.batch_run).parameters
    parameters = {"n_employees": 40, "policy": ["heroic", "distributed"]}
    seeding = {"rng": [1]} if takes_rng else {"iterations": 1}
    if not takes_rng:
        parameters["rng"] = 1
    results = mesa.batch_run(
        OrganisationModel, parameters=parameters, max_steps=5, number_processes=1,
        display_progress=False, **seeding,
    )
    df = pd.DataFrame(results)
    assert set(df.policy) == {"heroic", "distributed"}
    assert "rai" in df.columns


def test_removing_the_heroic_leader_stalls_allocation_until_a_successor():
    model = run(15, policy="heroic", succession_delay=6, n_employees=80)
    old = model.formal_leader
    assert old is not None
    left = model.remove_leader()
    assert left == old.unique_id and model.formal_leader is None
    started, leaders = [], []
    for _ in range(10):
        model.step()
        started.append(model.metrics["tasks_started"])
        leaders.append(None if model.formal_leader is None else model.formal_leader.unique_id)
    # nobody starts work while the post is vacant; the successor starts it again (and may
    # itself leave later, by the rules anyone leaves by: its appointment is what counts)
    assert sum(started[:5]) == 0 and leaders[:5] == [None] * 5
    assert any(leader is not None and leader != left for leader in leaders[5:])
    assert sum(started[6:]) > 0


def test_the_leader_staffs_complex_tasks_more_slowly():
    def started(complexity: float) -> float:
        # one leader of fixed attention (no supervisors, no fatigue): the decision load alone
        model = run(40, policy="heroic", task_complexity=complexity, task_rate=0.2,
                    problem_rate=0.0, leader_capacity=4, n_employees=200,
                    span_of_control=False, leader_fatigue=False)
        return model.datacollector.get_model_vars_dataframe().tasks_started.iloc[10:].mean()

    simple, hard = started(0.1), started(0.9)
    # demand exceeds capacity: about 4 / 0.6 simple tasks a step against 4 / 1.4 hard ones
    assert simple > 1.8 * hard
    assert hard < 4.0


def test_the_leaders_ties_grow_with_those_it_leads():
    model = run(60, policy="heroic")
    tie = model.ties.strength_to(model.leader)
    neighbours = model.ties.dst[model.ties.src == model.leader]
    assert tie[neighbours].mean() > 0.2  # not left to fade: staffing them is working with them
    others = np.setdiff1d(np.arange(model.state.n), np.r_[neighbours, model.leader])
    assert (tie[others] == 0).all()


@pytest.mark.parametrize("span_of_control", [True, False])
def test_the_formal_leader_works_with_whom_it_staffs_or_whose_team_it_coordinates(
        span_of_control):
    """``phases.learning.collaborated``: the formal leader's tie with a member of a team
    it runs grows in a week it staffed them; week to week only where it coordinates the
    team itself (without span of control), not where its supervisor does."""
    from model.phases.learning import collaborated

    model = run(30, policy="heroic", span_of_control=span_of_control)
    for _ in range(30):  # a week with two of the leader's neighbours at work on its teams
        world, s, tasks, ties = model.world, model.state, model.world.tasks, model.ties
        on_led_team = (s.task >= 0) & (s.task < len(tasks))
        on_led_team[on_led_team] = tasks.lead[s.task[on_led_team]] == model.leader
        from_leader = np.flatnonzero((ties.u == model.leader) & on_led_team[ties.v])
        if len(from_leader) >= 2:
            break
        model.step()
    assert len(from_leader) >= 2  # the leader's neighbours at work on teams it runs
    member = ties.v[from_leader]
    tasks.attended[s.task[member]] = True  # (what coordinating them marks)
    moved = np.ones(len(tasks))
    nobody = np.zeros(s.n, dtype=bool)
    staffed = nobody.copy()
    staffed[member[0]] = True  # staffed this week: one of them
    coordinated = collaborated(world, moved, nobody)[from_leader]
    assert coordinated.all() == (not span_of_control)
    with_staffing = collaborated(world, moved, staffed)[from_leader]
    assert with_staffing[0]
    assert (with_staffing[1:] == coordinated[1:]).all()
    # a week its team did not move, coordinating it is no work together; staffing still is
    still = np.zeros(len(tasks))
    assert not collaborated(world, still, nobody)[from_leader].any()
    assert collaborated(world, still, staffed)[from_leader][0]


def test_leader_departure_step_removes_the_leader_at_that_step():
    model = run(12, policy="heroic", leader_departure_step=10, succession_delay=50)
    df = model.datacollector.get_model_vars_dataframe()
    assert df.formal_leader_present.loc[9] == 1 and df.formal_leader_present.loc[10] == 0
    assert df.exits.loc[10] >= 1


def test_under_distributed_the_most_active_emergent_leader_leaves():
    model = run(20, policy="distributed")
    led = np.where(model.state.active, model.state.led_recently, -1)
    most_active = model.employee_at(int(np.argmax(led))).unique_id
    assert model.remove_leader() == most_active
    assert most_active not in {a.unique_id for a in model.agents}


def test_market_shock_raises_turbulence_and_reshuffles_demand():
    model = run(5)
    before_t, before_d = model.turbulence, model.environment.demand.copy()
    model.market_shock()
    assert model.turbulence == pytest.approx(min(1.0, before_t + 0.4))
    assert not np.allclose(model.environment.demand, before_d)
    with pytest.raises(ValueError, match="jump"):
        model.market_shock(2.0)


def test_leadership_metrics_distinguish_heroic_from_distributed():
    heroic = run(30, policy="heroic").metrics
    distributed = run(30, policy="distributed").metrics
    assert heroic["leaders_active"] == 1 and heroic["leadership_centralization"] == 1.0
    assert distributed["leaders_active"] > 5
    assert distributed["leadership_centralization"] < 0.5


@pytest.fixture(params=["pair table", "sorted pairs"])
def pairs_counted(request, monkeypatch):
    """Each of ``centralization_by_group``'s two ways of counting distinct pairs."""
    from model import metrics

    monkeypatch.setattr(metrics, "PAIR_TABLE_CELLS_PER_PAIR",
                        10**9 if request.param == "pair table" else 0)
    return request.param


def test_freeman_centralization_hand_computed(pairs_counted):
    assert freeman_centralization(np.array([0, 0, 0]), np.array([1, 2, 3])) == 1.0
    # two leaders of two each: N=6, degrees 2,2,0,0,0,0 -> sum(2 - d) = 8, / 25
    c = freeman_centralization(np.array([0, 0, 1, 1]), np.array([2, 3, 4, 5]))
    assert c == pytest.approx(8 / 25)
    # duplicated pairs count once
    assert freeman_centralization(np.array([0, 0]), np.array([1, 1])) == 1.0
    assert np.isnan(freeman_centralization(np.array([]), np.array([])))


def test_centralization_of_each_group_is_its_own_freeman_centralization(pairs_counted):
    """Groups numbered apart (people of group g are g·size … (g + 1)·size − 1), as the
    organisations of a batch: each group's value is the centralisation of its pairs alone,
    in its own numbering, exactly; NaN for a group where nobody led."""
    rng = np.random.default_rng(3)
    size, groups = 12, 5
    leads, members = [], []
    for g in (0, 1, 3, 4):  # group 2 leads nobody
        k = int(rng.integers(1, 30))
        leads.append(g * size + rng.integers(0, 3 if g == 4 else size, k))
        members.append(g * size + rng.integers(0, size, k))
    lead, member = np.concatenate(leads), np.concatenate(members)
    order = rng.permutation(len(lead))  # pairs in any order
    got = centralization_by_group(lead[order], member[order], size, groups)
    for g in range(groups):
        mine = member // size == g
        alone = freeman_centralization(lead[mine] - g * size, member[mine] - g * size)
        assert got[g] == alone or (np.isnan(got[g]) and np.isnan(alone))
    assert np.isnan(got[2]) and not np.isnan(got[[0, 1, 3, 4]]).any()


def test_a_student_can_add_a_policy_by_writing_one_class():
    @register_policy
    class Lottery(LeadershipPolicy):
        """Waiting tasks go to random idle employees."""

        name = "lottery_test"

        def allocate(self, world, ctx):
            from model.policies.allocation import join

            waiting = np.flatnonzero(world.tasks.waiting)
            idle = np.flatnonzero(world.idle_mask())
            k = min(len(waiting), len(idle))
            people = world.rng.permutation(idle)[:k]
            join(world, people, waiting[:k], 3, np.ones(k))
            world.tasks.lead[waiting[:k]] = people
            world.tasks.started[waiting[:k]] = world.steps
            world.tasks.self_organised[waiting[:k]] = True

    assert "lottery_test" in policy_names()
    model = run(40, policy="lottery_test")
    assert model.datacollector.get_model_vars_dataframe().tasks_completed.sum() > 0
    assert_state_valid(model)


def test_a_finished_model_is_freed():
    refs = []
    for seed in range(5):
        model = run(5, rng=seed, n_employees=40)
        refs.append(weakref.ref(model))
        del model
    gc.collect()
    assert all(r() is None for r in refs)


@pytest.mark.parametrize(("n", "team_size"), [(10, 9), (10, 10), (12, 2), (50, 7)])
def test_team_networks_build_at_awkward_sizes(n, team_size):
    model = OrganisationModel(n_employees=n, team_size=team_size, network="teams",
                              mean_degree=6, rng=1)
    model.step()
    degree = model.ties.degree
    assert degree.mean() > 0


def test_the_same_seed_object_twice_gives_the_same_run():
    """A SeedSequence passed twice builds the same organisation twice: building one does
    not advance the caller's seed (the market's stream is spawned from a copy)."""
    from experiments.simulate import run_model

    seed = np.random.SeedSequence(5)
    params = {"policy": "distributed", "n_employees": 30}
    first = run_model(params, rng=seed, steps=20).timeseries
    again = run_model(params, rng=seed, steps=20).timeseries
    fresh = run_model(params, rng=np.random.SeedSequence(5), steps=20).timeseries
    pd.testing.assert_frame_equal(first, again, check_exact=True)
    pd.testing.assert_frame_equal(first, fresh, check_exact=True)
    assert seed.n_children_spawned == 0
