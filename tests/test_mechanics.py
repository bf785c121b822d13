"""Unit tests for the plumbing the rules run on: allocation bookkeeping, the network, the
environment and the task board. Hand-built worlds and hand-computed answers."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from model import network
from model.codes import ASSIGNED, CLAIMED, NO_LEADER, NO_TASK
from model.environment import Environment
from model.network import NEWCOMER_TIE, Ties, build_graph, team_of
from model.params import Parameters
from model.phases import allocation as allocation_phase
from model.policies import allocation
from model.state import ProblemLog, TaskBoard
from model.world import World


def world_of(**params) -> World:
    params.setdefault("n_employees", 20)
    world = World(Parameters(**params), np.random.default_rng(1))
    world.found()
    return world


def add_tasks(world: World, k: int, **columns) -> None:
    base = {"domain": np.zeros(k, dtype=np.int64), "complexity": np.full(k, 0.5),
            "needed": np.ones(k, dtype=np.int64), "value": np.ones(k),
            "work_total": np.full(k, 2.0), "arrival": np.zeros(k, dtype=np.int64),
            "deadline": np.full(k, 99, dtype=np.int64)}
    world.tasks.add(**{**base, **columns})


# ----------------------------------------------------------------------- allocation
def test_first_and_rank_per_group():
    groups = np.array([0, 0, 1, 1, 1])
    score = np.array([0.2, 0.9, 0.5, 0.1, 0.7])
    assert sorted(allocation.first_per_group(groups, score).tolist()) == [1, 4]
    assert allocation.rank_in_group(groups, score).tolist() == [1, 0, 1, 2, 0]


def test_first_per_group_is_the_first_of_each_group_sorted_by_score():
    """The best of each group, the first among equals, in group order: what sorting by
    group and then by descending score (stable) puts first, ties, signed zeros, infinities
    and NaN included."""
    rng = np.random.default_rng(0)
    for trial in range(2000):
        n = int(rng.integers(0, 40))
        groups = rng.integers(0, int(rng.integers(1, 20)), n)
        score = [rng.random(n), rng.integers(0, 3, n).astype(float),
                 rng.choice([-0.0, 0.0, 1.0, -np.inf, np.inf], n),
                 np.where(rng.random(n) < 0.2, np.nan, rng.random(n))][trial % 4]
        order = np.lexsort((-score, groups))
        first = np.ones(n, dtype=bool)
        first[1:] = groups[order][1:] != groups[order][:-1]
        np.testing.assert_array_equal(allocation.first_per_group(groups, score),
                                      order[first], strict=True)


def test_a_fifo_leader_decides_within_its_capacity_oldest_first():
    world = world_of(policy="heroic", n_employees=30, leader_queue="fifo", report_lag=0,
                     span_attention=0.0)
    # three tasks of complexity 0.5 and two members: staffing costs 1 × (0.25 + 0.5) = 0.75
    add_tasks(world, 3, arrival=np.array([2, 0, 1]), needed=np.array([2, 2, 2]))
    world.steps = 3
    allocation.leader_decides(world, capacity=1.0, problems_first=False)
    started = world.tasks.started >= 0
    assert started.tolist() == [False, True, True]  # the two oldest (0.75 < 1 left for the 2nd)
    s = world.state
    for t in np.flatnonzero(started):
        members = np.flatnonzero(s.task == t)
        assert len(members) == 2 and (s.join_mode[members] == ASSIGNED).all()
        assert world.leader not in members and world.tasks.lead[t] == world.leader
    assert not world.tasks.self_organised[started].any()
    assert world.leader_load == pytest.approx(3 * 0.75 / 1.0)
    assert world.leader_used == 1.0


def test_news_reaches_the_leader_after_the_report_lag():
    world = world_of(policy="heroic", n_employees=30, report_lag=2)
    add_tasks(world, 2, arrival=np.array([0, 4]))
    world.steps = 5  # the task of step 4 has not been reported yet
    world.state.free_since[:] = 0
    allocation.leader_decides(world, capacity=6.0, problems_first=False)
    assert (world.tasks.started >= 0).tolist() == [True, False]
    # people freed a step ago are not yet known to be free
    world2 = world_of(policy="heroic", n_employees=30, report_lag=2)
    add_tasks(world2, 1)
    world2.steps = 5
    world2.state.free_since[:] = 4
    allocation.leader_decides(world2, capacity=6.0, problems_first=False)
    assert world2.tasks.started[0] < 0  # decided, but nobody it knows to be free


def test_a_triage_leader_serves_value_and_urgency_and_sheds_the_infeasible():
    world = world_of(policy="heroic", n_employees=40, report_lag=0, span_attention=0.0)
    world.steps = 10
    # task 0: cannot be finished in time (expected duration 4/(2·0.4) = 5 > 3 steps left)
    # task 1: worth 1, due in 11; task 2: worth 3, due in 11; each costs 0.75 to staff
    add_tasks(world, 3, arrival=np.array([0, 9, 9]), deadline=np.array([13, 21, 21]),
              value=np.array([5.0, 1.0, 3.0]), needed=np.array([2, 2, 2]),
              work_total=np.full(3, 4.0))
    allocation.leader_decides(world, capacity=0.5, problems_first=False)
    assert (world.tasks.started >= 0).tolist() == [False, False, True]
    assert world.leader_load == pytest.approx(2 * 0.75 / 0.5)  # the shed task is not demand


def test_left_over_attention_coordinates_the_teams_it_runs():
    world = world_of(policy="heroic", n_employees=40, report_lag=0, span_attention=0.5,
                     span_of_control=False)
    add_tasks(world, 3, needed=np.array([1, 1, 1]))
    world.tasks.started[:] = 0
    world.state.task[_not_the_leader(world, 3)] = [0, 1, 2]  # each team whole
    world.tasks.exception[0] = True
    world.state.skills[world.leader, 0] = 1.0  # it knows the domain: it decides for sure
    allocation.leader_decides(world, capacity=1.5, problems_first=False)
    # the exception takes 0.5; the 1.0 left attends two of the three teams
    assert not world.tasks.exception[0]
    assert world.tasks.attended.sum() == 2
    assert world.leader_load == pytest.approx((0.5 + 3 * 0.5) / 1.5)


def _not_the_leader(world: World, k: int) -> np.ndarray:
    """The first ``k`` slots other than the formal leader's."""
    return np.array([slot for slot in range(world.state.n) if slot != world.leader][:k])


def test_the_leader_refills_a_team_someone_left_as_a_staffing_decision():
    world = world_of(policy="heroic", n_employees=40, report_lag=0, span_attention=0.0)
    world.steps = 10
    # task 0 needs 3 and has 2 (someone left): refilling one costs (0.5 + 0.5)·(0.25 +
    # 0.25) = 0.5; task 1 needs 3, has 1, and cannot be finished even whole: not refilled
    add_tasks(world, 2, needed=np.array([3, 3]), work_total=np.array([6.0, 60.0]),
              deadline=np.array([40, 12]))
    world.tasks.started[:], world.tasks.lead[:] = 5, world.leader
    on = _not_the_leader(world, 3)
    world.state.task[on] = [0, 0, 1]
    allocation.leader_decides(world, capacity=6.0, problems_first=False)
    s = world.state
    assert (s.task == 0).sum() == 3 and (s.task == 1).sum() == 1
    joined = np.flatnonzero((s.task == 0) & ~np.isin(np.arange(s.n), on))
    assert s.join_mode[joined].tolist() == [ASSIGNED]
    assert world.tasks.started[0] == 5 and world.tasks.lead[0] == world.leader  # as before
    assert world.leader_used == pytest.approx(0.5 / 6)


def test_the_leader_pays_only_for_the_people_it_brings():
    world = world_of(policy="heroic", n_employees=20, report_lag=0, span_attention=0.0)
    world.steps = 10
    # task 1 holds everyone but one, in full; task 0 needs three and finds one free:
    # (0.5 + 0.5)·(0.25 + 0.25·1) = 0.5, not the 1.0 a team of three would cost
    add_tasks(world, 2, needed=np.array([3, 18]), work_total=np.array([6.0, 600.0]))
    world.tasks.started[1], world.tasks.lead[1] = 5, world.leader
    busy = _not_the_leader(world, 18)
    world.state.task[busy] = 1
    allocation.leader_decides(world, capacity=6.0, problems_first=False)
    assert (world.state.task == 0).sum() == 1
    assert world.leader_used == pytest.approx(0.5 / 6)


def test_a_lead_recruits_only_for_work_that_can_still_be_finished():
    for sees_slack, joining in ((True, 0), (False, 2)):
        world = world_of(policy="distributed", n_employees=20, claims_see_slack=sees_slack)
        world.steps, lead = 1, 0
        # sixty person-weeks due in two weeks: not even a full team of three can finish it
        add_tasks(world, 1, needed=np.array([3]), work_total=np.array([60.0]),
                  deadline=np.array([3]))
        allocation.join(world, np.array([lead]), np.array([0]), CLAIMED, np.array([1.0]))
        world.tasks.lead[0], world.tasks.started[0] = lead, 0
        world.tasks.self_organised[0] = True
        s = world.state
        s.reg[:, 3:], s.energy[:], s.sat[:] = 1.0, 1.0, 1.0
        world.ties.strength[:] = 1.0  # volunteering is certain
        ctx = allocation_phase.context(world)
        allocation.recruit_volunteers(world, ctx, s.active.copy())
        assert (s.task == 0).sum() - 1 == joining


def test_a_lead_pays_for_each_colleague_who_joins_its_team():
    from model.rules import leadership

    world = world_of(policy="distributed", n_employees=30, recruit_beyond_ties=False)
    add_tasks(world, 1, needed=np.array([30]))
    world.tasks.started[0] = 0
    world.tasks.self_organised[0] = True
    lead = 0
    world.state.task[lead], world.tasks.lead[0] = 0, lead
    world.state.energy[:] = 1.0
    ctx = allocation_phase.context(world)
    allocation.recruit_volunteers(world, ctx, world.state.active)
    joined = int((world.state.task == 0).sum()) - 1
    assert joined > 0
    # (0.5 + 0.5)·0.25 decisions of a week each, for each who joined
    assert ctx.decision_time[lead] == pytest.approx(joined * 0.25 * leadership.DECISION_WEEKS)
    assert ctx.costs.staffing == pytest.approx(joined * 0.25 * leadership.DECISION_WEEKS)


def test_a_claimant_sees_its_peers_support_not_the_backing_for_its_claim():
    world = world_of(policy="distributed", n_employees=30, claims_need_initiative=False,
                     claims_need_grant=False, claims_see_slack=False)
    add_tasks(world, 1, needed=np.array([3]))
    world.steps = 1
    world.state.skills[:] = 0.9
    world.state.energy[:] = 1.0
    ctx = allocation_phase.context(world)
    allocation.claim_waiting_tasks(world, ctx, world.state.active)
    lead = world.tasks.lead[0]
    assert lead >= 0
    assert world.state.join_support[lead] == ctx.support[lead]


def test_a_team_whose_lead_left_goes_on_under_its_most_skilled_member():
    world = world_of(policy="distributed", n_employees=20)
    add_tasks(world, 1, needed=np.array([3]), domain=np.array([1]))
    world.tasks.started[0], world.tasks.self_organised[0] = 0, True
    world.state.task[[4, 5, 6]] = 0
    world.state.skills[[4, 5, 6], 1] = [0.3, 0.8, 0.8]  # 5 and 6 equal: the first
    world.tasks.lead[0] = -1  # its lead left
    allocation.take_over_orphaned_teams(world)
    assert world.tasks.lead[0] == 5


def test_a_task_everyone_has_left_is_claimable_again_with_its_work_done_kept():
    """A self-organised task whose lead and members have all left is claimable, as a
    formal leader refills a team everyone has left: the claimant takes it up where it
    stood (its start week kept, not a second start), weighing the work left."""
    world = world_of(policy="distributed", n_employees=30, claims_need_initiative=False,
                     claims_need_grant=False)
    world.steps = 20
    # 3 person-weeks left of 30, due in 10 weeks: too late were the whole 30 weighed
    add_tasks(world, 2, needed=np.array([1, 1]), work_total=np.array([30.0, 30.0]),
              deadline=np.array([30, 30]))
    world.tasks.work_done[:] = 27.0
    world.tasks.started[:], world.tasks.self_organised[:] = 5, True
    world.state.task[7] = 1  # task 1 still has a member: not abandoned, though unled
    assert allocation.abandoned_teams(world).tolist() == [True, False]
    world.state.skills[:] = 0.9
    world.state.energy[:] = 1.0
    ctx = allocation_phase.context(world)
    allocation.claim_waiting_tasks(world, ctx, world.state.active)
    assert world.tasks.lead[0] >= 0 and world.state.task[world.tasks.lead[0]] == 0
    assert world.tasks.started[0] == 5
    assert world.tasks.lead[1] == -1  # a member's: taken over, not claimed


def test_the_leader_staffs_whom_it_believes_best_preferring_one_team():
    world = world_of(policy="heroic", n_employees=24, team_size=8, report_lag=0)
    world.skill_estimate[:] = 0.0
    world.skill_estimate[[3, 12, 13], 0] = [0.9, 0.8, 0.7]
    add_tasks(world, 1, needed=np.array([2]))
    allocation.leader_decides(world, capacity=5, problems_first=False)
    team = set(np.flatnonzero(world.state.task == 0).tolist())
    # 3 is believed best (team 0); 12 (team 1, 0.8) beats a team-mate believed 0.0 + 0.15
    assert team == {3, 12}


def test_the_leaders_team_comes_in_a_defined_order_best_first_then_by_slot():
    """Who joins, and in which order (each member gets its own act of the leader), is
    defined: believed best first, slot order among equals, whoever asks numpy for it."""
    world = world_of(policy="heroic", n_employees=24, team_size=8, report_lag=0)
    world.skill_estimate[:] = 0.0
    world.skill_estimate[[11, 14, 19, 21, 22], 0] = [0.9, 0.9, 0.9, 0.5, 0.7]
    add_tasks(world, 1, needed=np.array([3]))  # 11 and 14 tie (team 1's bonus), then 19
    acts = []
    original = allocation.join

    def recording_join(world, members, tasks, how, support):
        acts.append(members.tolist())
        return original(world, members, tasks, how, support)

    allocation.join = recording_join
    try:
        allocation.leader_decides(world, capacity=5, problems_first=False)
    finally:
        allocation.join = original
    assert acts == [[11, 14, 19]]

def test_a_leader_with_problems_first_resolves_them_before_tasks():
    world = world_of(policy="fostering", n_employees=30, report_lag=0)
    add_tasks(world, 2, arrival=np.array([0, 0]))
    world.problems.add(np.array([0, 1, 2]), step=0)
    world.problems.make_known(np.array([True, True, False]), step=0)
    world.steps = 1
    allocation.leader_decides(world, capacity=2, problems_first=True)
    assert world.problems.team.tolist() == [2]  # hidden: nobody voiced it, the leader cannot act
    world.problems.resolve(np.array([True]), by="solved_by_leader")
    assert len(world.problems) == 0 and (world.tasks.started < 0).all()


def test_a_self_organised_team_resolves_its_exception_at_the_time_a_decision_costs():
    world = world_of(policy="distributed", protocol_coverage=1.0)
    add_tasks(world, 1)
    allocation.join(world, np.array([0]), np.array([0]), CLAIMED, np.array([1.0]))
    tasks = world.tasks
    tasks.lead[0], tasks.started[0], tasks.self_organised[0], tasks.exception[0] = 0, 0, True, True
    ctx = allocation_phase.context(world)
    allocation.resolve_exceptions_locally(world, ctx)  # full protocol coverage: chance 1
    assert not tasks.exception[0]
    # half a decision (0.5 of 1/6 person-week), out of the lead's own work, in the ledger
    assert ctx.decision_time[0] == pytest.approx(0.5 / 6) and ctx.decision_time[1:].sum() == 0
    assert ctx.costs.exceptions == pytest.approx(0.5 / 6)


def test_every_decider_decides_with_its_teams_know_how_and_pays_for_trying():
    """A self-organised lead who does not know the domain decides with its member's
    know-how, as the formal leader does; and trying costs the decision's time whether it
    succeeds or not, for a lead, a supervisor and the formal leader alike."""
    for member_skill, decided in ((1.0, True), (0.0, False)):  # no protocols: c = 0
        world = world_of(policy="distributed", protocol_coverage=0.0)
        add_tasks(world, 1)
        allocation.join(world, np.array([0, 1]), np.array([0, 0]), CLAIMED, np.ones(2))
        tasks = world.tasks
        tasks.lead[0], tasks.started[0], tasks.self_organised[0] = 0, 0, True
        tasks.exception[0] = True
        world.state.skills[[0, 1], 0] = [0.0, member_skill]
        ctx = allocation_phase.context(world)
        allocation.resolve_exceptions_locally(world, ctx)
        assert tasks.exception[0] != decided
        assert ctx.decision_time[0] == pytest.approx(0.5 / 6)  # tried: paid either way
    world = world_of(policy="heroic", n_employees=30, protocol_coverage=0.0,
                     span_of_control=True, report_lag=0)
    add_tasks(world, 1)
    members = _not_the_leader(world, 2)
    world.state.task[members] = 0
    world.tasks.started[0], world.tasks.exception[0] = 0, True
    world.state.skills[members, 0] = 0.0  # nobody knows it: the supervisor fails
    ctx = allocation_phase.context(world)
    allocation.supervisors_decide(world, ctx)
    assert world.tasks.exception[0] and ctx.decision_time[members].sum() == pytest.approx(
        0.5 / 6) and ctx.costs.exceptions == pytest.approx(0.5 / 6)


def test_a_team_just_staffed_gets_its_most_skilled_member_as_supervisor_at_once():
    """``supervisors_take_charge``: a formal team of two or more without a supervisor gets
    its most skilled member; a team of one none; a team with one keeps it; nothing at all
    without span of control."""
    for span in (True, False):
        world = world_of(policy="heroic", n_employees=30, span_of_control=span)
        add_tasks(world, 3)
        people = _not_the_leader(world, 5)
        world.state.task[people] = [0, 0, 0, 1, 2]  # a team of three, one of one, one of one
        world.tasks.started[:] = 0
        world.state.skills[people, world.tasks.domain[0]] = [0.2, 0.9, 0.5, 0.0, 0.0]
        world.tasks.supervisor[:] = -1
        world.tasks.supervisor[2] = people[4]  # (already has one: kept)
        allocation.supervisors_take_charge(world)
        expected = [people[1], -1, people[4]] if span else [-1, -1, people[4]]
        assert world.tasks.supervisor.tolist() == expected


def test_someone_alone_on_a_formal_task_leads_it_as_a_claimant_alone_does():
    """``phases.work.lead_of_each_task``: under span of control a formal team of one is
    led by its only member (its own skill, its own energy), as a claimant alone leads
    itself; a team of two by its supervisor; without span of control both by the formal
    leader (0.1 of the lead's skill enters the quality of the work, ``rules.work``)."""
    from model.phases.work import lead_of_each_task
    for span in (True, False):
        world = world_of(policy="heroic", n_employees=30, span_of_control=span)
        add_tasks(world, 2)
        people = _not_the_leader(world, 3)
        s, tasks = world.state, world.tasks
        s.task[people] = [0, 0, 1]  # a team of two, a team of one
        tasks.started[:] = 0
        tasks.attended[:] = True
        s.skills[people, tasks.domain[0]] = [0.3, 0.6, 0.0]
        s.skills[people[2], tasks.domain[1]] = 0.8
        s.skills[world.leader, tasks.domain] = 0.1
        s.vitality[:], s.exhaustion[:] = 1.0, 0.0  # energy 1 for all ...
        s.vitality[people[2]] = 0.0  # ... but the one alone: 0
        tasks.supervisor[:] = -1
        if span:
            tasks.supervisor[0] = people[1]
        workers = np.flatnonzero(s.task >= 0)
        skill, quality = lead_of_each_task(world, workers, np.bincount(s.task[workers]))
        if span:  # supervisor 0.6 at full energy; alone 0.8 at energy 0: 0.8 · 0.5
            assert skill.tolist() == pytest.approx([0.6, 0.8])
            assert quality.tolist() == pytest.approx([0.6, 0.4])
        else:  # the formal leader's 0.1 at full energy for both
            assert skill.tolist() == pytest.approx([0.1, 0.1])
            assert quality.tolist() == pytest.approx([0.1, 0.1])


def test_claims_need_the_four_conditions_and_one_winner_per_task():
    world = world_of(policy="distributed", n_employees=20, claim_support=0.0,
                     claim_energy=0.0, claim_competence=0.0)
    s = world.state
    s.reg[:, 3:] = 1.0  # autonomous 1: everyone steps forward ...
    s.energy[:] = 1.0
    add_tasks(world, 1)
    ctx = allocation_phase.context(world)
    ctx.support[:] = 1.0  # ... and every claim is granted
    allocation.claim_waiting_tasks(world, ctx, s.active.copy())
    claimants = np.flatnonzero(s.join_mode == CLAIMED)
    assert len(claimants) == 1 and world.tasks.lead[0] == claimants[0]
    assert world.tasks.self_organised[0]
    # a task worth too little is not claimed
    world2 = world_of(policy="distributed", claim_support=0.0, claim_energy=0.0,
                      claim_competence=0.0)
    world2.state.reg[:, 3:] = 1.0
    world2.state.energy[:] = 1.0
    add_tasks(world2, 1, value=np.array([0.1]))
    ctx2 = allocation_phase.context(world2)
    ctx2.support[:] = 1.0
    allocation.claim_waiting_tasks(world2, ctx2, world2.state.active.copy())
    assert (world2.state.task == NO_TASK).all()


def test_volunteers_come_from_the_leads_idle_neighbours_up_to_the_need():
    world = world_of(policy="distributed", n_employees=20)
    lead = 0
    add_tasks(world, 1, needed=np.array([3]))
    allocation.join(world, np.array([lead]), np.array([0]), CLAIMED, np.array([1.0]))
    world.tasks.lead[0], world.tasks.started[0], world.tasks.self_organised[0] = lead, 0, True
    s = world.state
    s.reg[:, 3:] = 1.0
    s.energy[:] = 1.0
    s.sat[:] = 1.0
    world.ties.strength[:] = 1.0  # volunteering is certain
    ctx = allocation_phase.context(world)
    allocation.recruit_volunteers(world, ctx, s.active.copy())
    joined = np.flatnonzero((s.task == 0) & (np.arange(s.n) != lead))
    neighbours = set(world.ties.dst[world.ties.src == lead].tolist())
    assert len(joined) == 2 and set(joined.tolist()) <= neighbours


def test_problems_linger_where_nobody_may_act_and_go_where_protocols_cover_them():
    world = world_of(policy="distributed", protocol_coverage=1.0)
    world.problems.add(np.array([0, 1, 0]), step=0)
    world.problems.make_known(np.ones(3, dtype=bool), step=0)
    ctx = allocation_phase.context(world)
    nobody = np.zeros(world.state.n, dtype=bool)
    allocation.address_problems_locally(world, ctx, nobody)
    assert len(world.problems) == 3  # nobody able to act: they linger
    world.state.energy[:] = 1.0
    world.state.skills[:] = 1.0
    ctx.support[:] = 1.0
    allocation.address_problems_locally(world, ctx, world.state.active.copy())
    assert len(world.problems) == 0  # full coverage, able people: chance 1


def test_idle_mask_excludes_the_leader_workers_and_vacancies():
    world = world_of(policy="heroic")
    world.state.task[2] = 0
    world.exit(np.array([5]))
    idle = world.idle_mask()
    assert not idle[[world.leader, 2, 5]].any() and idle.sum() == world.state.n - 3


# ----------------------------------------------------------------------- network
@pytest.mark.parametrize("kind", ["small_world", "scale_free", "teams"])
def test_graphs_are_seeded_from_the_generator(kind):
    a = build_graph(kind, 40, 6, 8, 0.1, np.random.default_rng(5))
    b = build_graph(kind, 40, 6, 8, 0.1, np.random.default_rng(5))
    assert sorted(a.nodes) == list(range(40))
    assert sorted(a.edges) == sorted(b.edges)
    assert 3 <= 2 * a.number_of_edges() / 40 <= 8


def test_small_world_team_mates_are_neighbours():
    graph = build_graph("small_world", 32, 6, 8, 0.0, np.random.default_rng(1))
    team = team_of(32, 8)
    assert np.mean([team[u] == team[v] for u, v in graph.edges]) > 0.7


def test_team_of_gives_consecutive_blocks_and_folds_a_remainder():
    assert team_of(10, 4).tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    assert team_of(3, 8).tolist() == [0, 0, 0]


def test_ties_are_stored_once_and_indexed_both_ways():
    graph = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)])
    team = np.array([0, 0, 1, 1])
    ties = Ties.from_graph(graph, team, np.random.default_rng(0))
    assert len(ties.u) == 4 and len(ties.src) == 8
    assert ties.degree.tolist() == [2, 2, 3, 1]
    # within a team 0.3–0.6, across 0.1–0.3
    same = team[ties.u] == team[ties.v]
    assert ((ties.strength[same] >= 0.3) & (ties.strength[same] <= 0.6)).all()
    assert ((ties.strength[~same] >= 0.1) & (ties.strength[~same] <= 0.3)).all()
    to_two = ties.strength_to(2)
    assert to_two[3] == ties.strength[(ties.u == 2) & (ties.v == 3)][0] and to_two[2] == 0
    ties.reset(np.array([3]))
    assert ties.strength_to(3)[2] == NEWCOMER_TIE and ties.strength_to(1)[0] != NEWCOMER_TIE
    # to several slots at once (the leaders of a batch's organisations, apart)
    apart = Ties.from_graph(nx.Graph([(0, 1), (1, 2), (3, 4), (4, 5)]), np.zeros(6, int),
                            np.random.default_rng(1))
    both = apart.strength_to(np.array([1, 4]))
    assert both.tolist() == [*apart.strength_to(1)[:3], *apart.strength_to(4)[3:]]
    assert both[[0, 2, 3, 5]].all() and both[1] == both[4] == 0


# ----------------------------------------------------------------------- environment
def test_demand_is_a_softmax_and_reverts_to_an_even_spread_without_turbulence():
    env = Environment(np.log(np.array([1.0, 3.0])), turbulence=0.0)
    np.testing.assert_allclose(env.demand, [0.25, 0.75])
    env.drift(np.random.default_rng(0))  # log demand: 0.9 of the way it was, no noise
    np.testing.assert_allclose(env.demand, np.array([1.0, 3.0**0.9]) / (1.0 + 3.0**0.9))
    env.shock(np.random.default_rng(0), 0.4)
    assert env.turbulence == pytest.approx(0.4)
    env.shock(np.random.default_rng(0), 0.9)
    assert env.turbulence == 1.0


def test_new_tasks_carry_their_attributes():
    env = Environment.start(4, turbulence=0.5)
    tasks = env.new_tasks(np.random.default_rng(2), expected=200.0, complexity=0.5,
                          team_size=8, patience=12, step=7, size=2.0)
    k = len(tasks["domain"])
    assert 150 < k < 250
    assert ((tasks["needed"] >= 1) & (tasks["needed"] <= 8)).all()
    np.testing.assert_allclose(tasks["value"], 1.0)  # even demand: every domain worth 1
    needed, kappa = tasks["needed"], tasks["complexity"]
    # person-weeks: size 2 · 15 · needed·(1 + 2κ) over the mean of that at complexity .5 (5.75)
    asked = 2.0 * 15.0 * needed * (1 + 2 * kappa) / 5.75
    np.testing.assert_allclose(tasks["person_weeks"], asked)
    pace = 0.4 * (1 - np.maximum(0, kappa - 0.65))  # the planned pace knows the fit
    np.testing.assert_allclose(tasks["work_total"], asked * pace)
    planned = asked / needed  # weeks at that pace, a reserve of 1/12 of it, 12·(1 − .25) slack
    assert (tasks["arrival"] == 7).all()
    np.testing.assert_array_equal(tasks["deadline"],
                                  7 + np.round(planned * 13 / 12 + 9).astype(int))


def test_the_schedule_reserve_keeps_long_simple_work_feasible_in_a_turbulent_market(
        monkeypatch):
    """Without the reserve, long simple tasks in a very turbulent market run out of time
    before they start and staff sit idle (the deadline cliff of ODD item 24); with it more
    of the staff work. Over four seed sets (6 paired seeds each, weeks 81-160), with no
    late delivery (``late_acceptance`` 0), which since ODD item 34 also keeps such work
    feasible."""
    from experiments.simulate import run_batch
    from model.rules import market

    def utilisation(reserve: float, first_seed: int) -> float:
        monkeypatch.setattr(market, "SCHEDULE_RESERVE", reserve)
        runs = run_batch({"policy": "heroic", "task_complexity": 0.2, "turbulence": 0.9,
                          "n_employees": 40, "late_acceptance": 0.0},
                         rngs=[np.random.SeedSequence(first_seed + s) for s in range(6)],
                         steps=160)
        return float(np.mean([r.timeseries.utilisation.iloc[81:].mean() for r in runs]))

    for first_seed in (0, 100, 200, 300):
        assert utilisation(1 / 12, first_seed) > utilisation(0.0, first_seed) + 0.05


def test_problems_arrive_more_often_with_turbulence():
    rng = np.random.default_rng(3)
    calm = sum(len(Environment.start(2, 0.0).new_problems(rng, 1.0, 10)) for _ in range(200))
    rough = sum(len(Environment.start(2, 1.0).new_problems(rng, 1.0, 10)) for _ in range(200))
    assert calm / 200 == pytest.approx(5, rel=0.1) and rough / 200 == pytest.approx(15, rel=0.1)


# ----------------------------------------------------------------------- task board
def test_the_task_board_adds_keeps_and_remaps():
    board = TaskBoard()
    board.add(domain=np.array([0, 1, 2]), needed=np.array([1, 2, 3]))
    assert len(board) == 3 and board.waiting.all() and (board.lead == NO_LEADER).all()
    assert board.work_done.tolist() == [0.0, 0.0, 0.0]
    board.started[1] = 4
    assert board.waiting.tolist() == [True, False, True]
    remap = board.keep(np.array([True, False, True]))
    assert remap.tolist() == [0, -1, 1] and board.domain.tolist() == [0, 2]
    with pytest.raises(AttributeError):
        board.no_such_column  # noqa: B018


def test_the_problem_log_adds_and_resolves():
    log = ProblemLog()
    log.add(np.array([3, 1]), step=5)
    log.resolve(np.array([True, False]), by="solved_by_leader")
    assert log.team.tolist() == [1] and log.arrival.tolist() == [5]


def test_connecting_new_ties_keeps_both_views_sorted_and_consistent():
    graph = nx.Graph([(0, 1), (2, 3), (1, 4)])
    ties = Ties.from_graph(graph, np.zeros(5, dtype=np.int64), np.random.default_rng(0))
    pairs = list(zip(ties.u.tolist(), ties.v.tolist(), strict=True))
    before = dict(zip(pairs, ties.strength.tolist(), strict=True))
    made = ties.connect(np.array([3, 0, 1, 4, 2]), np.array([0, 1, 3, 4, 1]))
    assert made == 3  # (0, 3), (1, 3), (1, 2) are new; (0, 1) exists; (4, 4) is no tie
    rebuilt = Ties._indexed(ties.u, ties.v, ties.strength, ties.n)
    for name in ("u", "v", "src", "dst", "edge", "degree"):
        np.testing.assert_array_equal(getattr(ties, name), getattr(rebuilt, name), name)
    assert list(zip(ties.u.tolist(), ties.v.tolist(), strict=True)) == sorted(
        [(0, 1), (1, 4), (2, 3), (0, 3), (1, 3), (1, 2)])
    for pair, strength in before.items():  # old ties keep their strength
        assert ties.strength[(ties.u == pair[0]) & (ties.v == pair[1])][0] == strength
    assert ties.strength_to(3)[[0, 1, 2]].tolist() == [NEWCOMER_TIE, NEWCOMER_TIE, before[(2, 3)]]
    assert ties.connect(np.array([0]), np.array([1])) == 0


def test_dropping_ties_keeps_both_views_sorted_and_consistent():
    graph = nx.Graph([(0, 1), (2, 3), (1, 4), (0, 3), (1, 2)])
    ties = Ties.from_graph(graph, np.zeros(5, dtype=np.int64), np.random.default_rng(0))
    ties.connect(np.array([2, 0]), np.array([4, 4]), step=7)
    assert ties.at_work.sum() == 2 and set(ties.last_together[ties.at_work]) == {7}
    pairs = list(zip(ties.u.tolist(), ties.v.tolist(), strict=True))
    strength = dict(zip(pairs, ties.strength.tolist(), strict=True))
    gone = (ties.u == 0) & (ties.v == 3) | (ties.u == 2) & (ties.v == 4)
    assert ties.drop(gone) == 2 and ties.drop(np.zeros(len(ties.u), bool)) == 0
    pairs = list(zip(ties.u.tolist(), ties.v.tolist(), strict=True))
    assert pairs == [(0, 1), (0, 4), (1, 2), (1, 4), (2, 3)]
    rebuilt = Ties._indexed(ties.u, ties.v, ties.strength, ties.n)
    for name in ("u", "v", "src", "dst", "edge", "degree"):
        np.testing.assert_array_equal(getattr(ties, name), getattr(rebuilt, name), name)
    for pair, w in zip(pairs, ties.strength.tolist(), strict=True):
        assert w == strength[pair]  # each kept tie keeps its strength
    assert ties.at_work.tolist() == [False, True, False, False, False]


def test_working_together_makes_ties_under_every_policy_and_unused_ones_dissolve(
        monkeypatch):
    """After every week's learning, under every policy: any two who worked together on a
    task that moved are tied, whoever formed the team (the formal leader's teams too; Feld
    1981), and no tie made at work has gone unused for ``UNUSED_TIE_DISSOLVES`` weeks
    (Burt 2000); the founding ties are never dropped."""
    from model import OrganisationModel
    from model.phases import learning
    from model.rules import learning as rules_learning

    original = learning.run
    pairs_seen = []

    def checked(world, step):
        founding = {(u, v) for u, v, w in zip(world.ties.u.tolist(), world.ties.v.tolist(),
                                              world.ties.at_work.tolist(), strict=True) if not w}
        original(world, step)
        s, o, ties = world.state, step.outcome, world.ties
        moved = o.workers[o.progress[s.task[o.workers]] > 0]
        a, b = rules_learning.co_workers(moved, s.task[moved])
        tied = set(zip(ties.u.tolist(), ties.v.tolist(), strict=True))
        together = zip(a.tolist(), b.tolist(), strict=True)
        assert all((min(x, y), max(x, y)) in tied for x, y in together)
        assert (world.steps - ties.last_together[ties.at_work]
                < rules_learning.UNUSED_TIE_DISSOLVES).all()
        assert founding <= tied | {(u, v) for u, v in founding
                                   if not (s.active[u] and s.active[v])}
        pairs_seen.append(len(a))

    monkeypatch.setattr(learning, "run", checked)
    for policy in ("heroic", "distributed"):
        pairs_seen.clear()
        model = OrganisationModel(policy=policy, n_employees=40, rng=3)
        for _ in range(80):
            model.step()
        assert sum(pairs_seen) > 0 and model.world.ties.at_work.any(), policy
        if policy == "heroic":  # the leader's teams made ties: more than the founding
            assert len(model.world.ties.u) > len(model.world.graph.edges)


def test_co_workers_are_every_pair_on_one_task_and_only_unused_work_ties_dissolve():
    from model.rules.learning import UNUSED_TIE_DISSOLVES, co_workers, dissolves

    a, b = co_workers(np.array([5, 1, 7, 3, 9]), np.array([2, 0, 2, 0, 2]))
    assert sorted(zip(a.tolist(), b.tolist(), strict=True)) == [(1, 3), (5, 7), (5, 9), (7, 9)]
    assert [len(x) for x in co_workers(np.array([4]), np.array([0]))] == [0, 0]
    # made at work 52 weeks ago and not used since: gone; 51: kept; founding: never
    now = 100
    gone = dissolves(made_at_work=np.array([True, True, False]),
                     last_together=np.array([now - UNUSED_TIE_DISSOLVES,
                                             now - UNUSED_TIE_DISSOLVES + 1, 0]), now=now)
    assert gone.tolist() == [True, False, False] and UNUSED_TIE_DISSOLVES == 52


def test_a_leavers_work_ties_go_with_it():
    world = world_of(policy="distributed", n_employees=20)
    founding = len(world.ties.u)
    world.ties.connect(np.array([0, 0, 5]), np.array([7, 9, 9]), step=0)
    world.exit(np.array([9]))
    pairs = set(zip(world.ties.u.tolist(), world.ties.v.tolist(), strict=True))
    assert (0, 7) in pairs and (0, 9) not in pairs and (5, 9) not in pairs
    assert len(world.ties.u) == founding + 1  # its founding ties stay with the post


def test_the_formal_leader_decides_an_exception_at_the_odds_anyone_has():
    """``local_resolution_chance(protocols, know-how)``, the know-how the best of the
    leader's and of the member who brings it up: with no protocols, an exception nobody
    knows the domain of is never decided, one either knows always is; with full protocols
    any know-how will do, none will not."""
    for coverage, leader, member, decided in ((0.0, 0.0, 0.0, False), (0.0, 1.0, 0.0, True),
                                              (0.0, 0.0, 1.0, True), (1.0, 0.01, 0.0, True),
                                              (1.0, 0.0, 0.0, False)):
        world = world_of(policy="heroic", n_employees=30, report_lag=0, span_attention=0.0,
                         span_of_control=False, protocol_coverage=coverage)
        add_tasks(world, 1)
        world.tasks.started[:] = 0
        worker = _not_the_leader(world, 1)
        world.state.task[worker] = 0
        world.tasks.exception[0] = True
        world.state.skills[world.leader, 0] = leader
        world.state.skills[worker, 0] = member
        allocation.leader_decides(world, capacity=6.0, problems_first=False)
        assert world.tasks.exception[0] != decided, (coverage, leader, member)
    # in between, as often as the chance says (c + (1 - c)·q = 0.2 + 0.8·0.5 = 0.6)
    world = world_of(policy="heroic", n_employees=30, protocol_coverage=0.2)
    raised = np.arange(4000)
    add_tasks(world, len(raised))
    world.state.skills[world.leader, 0] = 0.5
    world.tasks.exception[:] = True
    allocation.decide_exceptions(world, raised)
    assert (~world.tasks.exception).mean() == pytest.approx(0.6, abs=0.03)


def test_merging_new_ties_in_places_them_as_np_insert_does():
    rng = np.random.default_rng(3)
    for length, k in [(0, 2), (5, 1), (40, 6), (300, 25)]:
        old = rng.random(length)
        at = np.sort(rng.integers(0, length + 1, size=k))  # repeats: several before one
        new = rng.random(k)
        new_to, kept = network._insertion(at, length)
        np.testing.assert_array_equal(network._merged(old, kept, new, new_to),
                                      np.insert(old, at, new))
        assert np.flatnonzero(kept).tolist() == [
            i + int(np.searchsorted(at, i, side="right")) for i in range(length)]


def test_attention_spent_elsewhere_leaves_less_for_decisions_and_counts_in_the_load():
    world = world_of(policy="heroic", n_employees=30, leader_queue="fifo", report_lag=0,
                     span_attention=0.0)
    # three tasks of complexity 0.5 and two members: staffing costs 0.75 each
    add_tasks(world, 3, arrival=np.array([0, 1, 2]), needed=np.array([2, 2, 2]))
    world.steps = 3
    allocation.leader_decides(world, capacity=2.0, problems_first=False, reserved=1.0)
    assert (world.tasks.started >= 0).tolist() == [True, True, False]  # 0 and 0.75 < 1 left
    assert world.leader_load == pytest.approx((3 * 0.75 + 1.0) / 2.0)
    assert world.leader_used == pytest.approx((1.0 + 1.0) / 2.0)


def test_output_means_are_each_columns_own_mean_to_the_last_bit():
    """The outputs averaged in one block (``metrics._block_means``, along either axis)
    equal ``np.mean`` of each column over the people in post, exactly, with vacancies
    open; and are NaN when nobody is in post."""
    from model.metrics import model_outputs
    from model.organisation import OrganisationModel
    from model.world import Step

    model = OrganisationModel(rng=np.random.SeedSequence(3), policy="heroic", n_employees=40,
                              quit_rate=0.6)
    for _ in range(30):
        model.step()
    s = model.world.state
    on = s.active
    assert 0 < on.sum() < s.n  # someone's post is vacant: the mean is over those in post
    out = model_outputs(model.world, Step().events)
    assert out["rai"] == np.mean(s.rai[on])
    assert out["share_intrinsic"] == np.mean(s.dominant_regulation[on] == 4)
    assert out["sat_competence"] == np.mean(s.sat[on], axis=0)[1]
    assert out["intrinsic"] == np.mean(s.reg[on], axis=0)[4]
    s.active[:] = False
    nobody = model_outputs(model.world, Step().events)
    assert np.isnan(nobody["rai"]) and np.isnan(nobody["frus_relatedness"])


def test_demands_as_a_survey_reads_them_average_the_weeks_in_post_then_half_a_year(monkeypatch):
    """``state.demands`` (read by validation V12c) is the mean of one's weekly demands
    over one's weeks in post, and from 26 weeks on a moving average of weight 1/26: with
    every week's demands set to the week's number, a founder reports (1 + … + 26) / 26 =
    13.5 after 26 weeks and 13.5 + (27 − 13.5) / 26 after 27; someone hired after week h
    reports the mean of weeks h + 1 … t."""
    from model.organisation import OrganisationModel
    from model.phases import wellbeing as wellbeing_phase
    from model.rules import wellbeing

    np.testing.assert_allclose(wellbeing_phase.DEMAND_MEMORY, 1 / 26)
    model = OrganisationModel(rng=np.random.SeedSequence(2), policy="distributed",
                              n_employees=40, quit_rate=0.5)
    monkeypatch.setattr(wellbeing, "job_demands",
                        lambda **seen: np.full(len(seen["working"]), float(model.world.steps)))
    s = model.world.state
    for _ in range(26):
        model.step()
    founders = s.active & (s.hired_step == 0)
    newcomers = s.active & (s.hired_step > 0) & (s.hired_step < 26)
    assert founders.any() and newcomers.any()
    np.testing.assert_allclose(s.demands[founders], 13.5)
    np.testing.assert_allclose(s.demands[newcomers], (s.hired_step[newcomers] + 1 + 26) / 2)
    model.step()
    founders &= s.active
    np.testing.assert_allclose(s.demands[founders], 13.5 + (27 - 13.5) / 26)


def test_utilisation_counts_those_who_worked_this_week(monkeypatch):
    """Utilisation is the share of those in post who worked on a task in the week's work
    phase, read before the ``completion`` phase frees the members of finished tasks (who
    did work that week)."""
    from model.organisation import OrganisationModel
    from model.phases import work

    during_work = []
    original = work.run

    def recording(world, step):
        original(world, step)
        s = world.state
        during_work.append(np.mean(s.task[s.active] >= 0))

    monkeypatch.setattr(work, "run", recording)
    model = OrganisationModel(rng=np.random.SeedSequence(5), policy="distributed",
                              n_employees=60)
    after_step = []
    for _ in range(40):
        model.step()
        s = model.world.state
        assert model.metrics["utilisation"] == during_work[-1]
        after_step.append(np.mean(s.task[s.active] >= 0))
    # tasks finished: those who worked on them count, though free by the step's end
    assert np.sum(np.array(during_work) > np.array(after_step)) >= 10
