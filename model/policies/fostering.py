"""Fostering independence: from heroic toward distributed leadership, as a process."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from model.codes import AUTONOMY, CLAIMED, NO_LEADER
from model.policies.allocation import (
    address_problems_locally,
    claim_waiting_tasks,
    leader_decides,
    recruit_volunteers,
    resolve_exceptions_locally,
    supervisors_decide,
    take_over_orphaned_teams,
)
from model.policies.base import register_policy
from model.policies.heroic import HeroicPolicy
from model.rules import delegation, leadership, problems


@register_policy
class FosteringPolicy(HeroicPolicy):
    """Starts heroic; the leader spends its one attention budget on running things and on
    the three steps of fostering independence, each a switch:

    - *get issues out in the open* (``surface_issues``): every ``survey_interval`` steps a
      survey surfaces hidden problems, and its 360-degree side tells the leader how peers
      rate people's readiness (``hear_peers``), at ``problems.SURVEY_ATTENTION`` that week;
    - *address problems right away* (``address_problems``): known problems come first in
      its queue, before staffing;
    - *develop protocols* (``build_protocols``): up to ``protocol_attention`` a step, of
      the attention it has left after its decisions, builds protocols
      (``delegation.protocols_after``), as far as it knows what to write them for (the
      share of open problems it knows of, ``delegation.awareness``: awareness first);
      they cut coordination losses and exceptions and make handing over less risky.

    Decision rights follow the leader's belief in each person's readiness, formed from the
    outcomes of their work it has seen (a failure amid lingering problems counting less:
    ``delegation.update_record``), and from what peers tell it
    (``delegation.readiness_belief``; Yukl & Fu 1999):
    granted above ``delegation.handover_bar``, taken back well below it, at a cost in
    autonomy. Those with rights decide first (claims, their teams' exceptions and
    problems); the leader steps back, task by task
    (``stepping_back``): it leaves to them, for ``step_back_window`` steps while the task
    can wait, as much fresh work as the free people with rights are equipped to take on
    their own initiative, and (``delegate_tasks``) delegates each other task it decides
    on to a free rights holder it believes equipped, who leads it and staffs it as a
    claimant does (Yukl & Fu 1999); the rest it staffs itself. Anyone free may join a
    team a colleague leads: following takes no decision right. Nothing advances by the
    calendar: without outcomes to see, or attention to spare, nothing is handed over.
    """

    name = "fostering"
    has_formal_leader = True
    description: ClassVar[str] = (
        "The leader starts in charge, brings problems into the open and solves them, builds "
        "shared procedures and hands decisions to people as they show they are ready."
    )

    def __init__(self, world) -> None:
        super().__init__(world)
        self.initial_coverage = world.params.protocol_coverage
        self.survey_cost = 0.0  # attention this step's survey took
        self.protocol_spent = 0.0  # attention spent building protocols this step

    def policies(self, world) -> list[FosteringPolicy]:
        """The policy of each organisation of ``world``: this one alone, each
        organisation's own in a batch (each keeps its survey's cost and its protocol
        attention)."""
        return world.policies if world.orgs > 1 else [self]

    def allocate(self, world, ctx) -> None:
        """Those with rights decide first (their teams' exceptions, claims, their teams'
        problems); then the supervisors and the leader, which leaves or delegates to them
        what it can (``stepping_back``) and staffs the rest; then anyone free may join a
        team a colleague leads, short of members (following takes no decision right);
        then, with what attention it has left, the leader builds protocols."""
        may_act = self.may_act(world)
        take_over_orphaned_teams(world)
        resolve_exceptions_locally(world, ctx)
        claim_waiting_tasks(world, ctx, may_act)
        address_problems_locally(world, ctx, may_act)
        supervisors_decide(world, ctx)
        left, delegate_to = self.stepping_back(world)
        leader_decides(world, problems_first=world.params.address_problems,
                       left_alone=left, delegate_to=delegate_to,
                       reserved=np.array([policy.survey_cost
                                          for policy in self.policies(world)]),
                       costs=ctx.costs, staffed=ctx.staffed)
        recruit_volunteers(world, ctx, world.state.active)
        self.build_protocols(world, ctx.costs)  # then, with what attention is left, protocols

    def build_protocols(self, world, costs) -> None:
        """After the formal leader's decisions (the survey's attention reserved), what
        attention it has left goes to protocols (``protocol_spent``; it takes effect in the
        review, ``update_coverage``). In a batch, called on any one organisation's policy, it
        does this for every organisation's leader at once and sets each organisation's
        policy (``costs``: the batch's ledger, one entry per organisation)."""
        p = world.params
        policies = self.policies(world)
        leading = np.flatnonzero(np.atleast_1d(world.leader) != NO_LEADER)
        survey = np.array([policy.survey_cost for policy in policies])
        spent = np.zeros(world.orgs)
        if p.build_protocols and len(leading):  # with the attention left after what it must do
            capacity = np.atleast_1d(world.leader_budget)[leading]  # what it decided with
            used = np.atleast_1d(world.leader_used)[leading]
            left = capacity * np.maximum(0.0, 1.0 - used)
            spent[leading] = [delegation.protocol_attention(
                world.param_for("protocol_attention", org), attention)
                for org, attention in zip(leading.tolist(), left.tolist(), strict=True)]
            world.set_for_leaders(leading, leader_used=used + spent[leading] / capacity)
        for policy, attention in zip(policies, spent.tolist(), strict=True):
            policy.protocol_spent = attention
        has_leader = np.zeros(world.orgs, dtype=bool)
        has_leader[leading] = True
        costs.problems += world.one_or_each(np.where(has_leader, survey, 0.0)
                                            * leadership.DECISION_WEEKS)
        costs.coordination += world.one_or_each(spent * leadership.DECISION_WEEKS)

    def stepping_back(self, world) -> tuple[np.ndarray, np.ndarray]:
        """What the leader hands over this week, task by task, over the task board: the
        waiting tasks it leaves to those with rights to take on their own initiative
        (``delegation.leaves_to_rights_holders``: inside ``step_back_window``, while it can
        wait the week until it decides again, each with a taker in mind), and, with
        ``delegate_tasks``, the rights holder it delegates each other task to
        (``delegation.delegates_to``; ``-1``: it would staff it itself). It knows what it
        knows for its staffing: the tasks and the free people reported to it
        (``report_lag``); it pictures the rights holders free after this week's claims
        whom it believes equipped (``claim_competence``), a holder for one task at most.
        In a batch, called on any one organisation's policy, it decides for every
        organisation's leader at once, each with its own people."""
        s, tasks, p = world.state, world.tasks, world.params
        left = np.zeros(len(tasks), dtype=bool)
        delegate_to = np.full(len(tasks), -1, dtype=np.int64)
        # the rights holders it knows to be free (reported, as for its staffing)
        holders = np.flatnonzero(world.idle_mask() & s.decision_rights
                                 & (world.steps - s.free_since >= world.report_lag))
        if len(holders) == 0 or len(tasks) == 0:
            return left, delegate_to
        bar = world.param_for("claim_competence", slots=holders)  # each one's
        equipped = world.skill_estimate[holders] >= np.reshape(bar, (-1, 1))
        # the waiting tasks it knows of: reported (``report_lag``), as for its staffing
        waiting = np.flatnonzero(tasks.waiting & (world.steps - tasks.arrival >= world.report_lag))
        room = leadership.slack(deadline=tasks.deadline[waiting], now=world.steps,
                                work_left=tasks.work_total[waiting],
                                members=tasks.needed[waiting],
                                complexity=world.complexity_for("skill_demands",
                                                                tasks.complexity[waiting]))
        whose = dict(task_org=tasks.org[waiting], holder_org=world.slot_org[holders])
        takers = delegation.leaves_to_rights_holders(
            domain=tasks.domain[waiting], equipped=equipped,
            age=world.steps - tasks.arrival[waiting], report_lag=world.report_lag,
            window=p.step_back_window, slack=room, **whose)
        left[waiting] = takers >= 0
        if not p.delegate_tasks:
            return left, delegate_to
        pictured = np.zeros(len(holders), dtype=bool)
        pictured[takers[takers >= 0]] = True
        to = delegation.delegates_to(
            domain=tasks.domain[waiting], equipped=equipped,
            slack=np.where(takers < 0, room, -np.inf),
            lateness_accepted=tasks.lateness_accepted(waiting), unavailable=pictured,
            late_work_last=p.late_work_last, **whose)
        delegate_to[waiting] = np.where(to >= 0, holders[np.maximum(to, 0)], -1)
        return left, delegate_to

    def may_act(self, world) -> np.ndarray:
        return world.state.active & world.state.decision_rights

    def control_climate(self, world) -> np.ndarray:
        climate = super().control_climate(world)
        return np.where(world.state.decision_rights, 0.5 * climate, climate)

    def idle_support(self, world, ctx) -> np.ndarray:
        return np.where(world.state.decision_rights, ctx.support, super().idle_support(world, ctx))

    def surface_issues(self, world) -> None:
        """A survey round every ``survey_interval`` steps, while there is a leader: it
        surfaces hidden problems (``problems.surfaced_by_survey``) and hears what peers see
        of people (``hear_peers``), at ``problems.SURVEY_ATTENTION``. In a batch, every
        organisation with a formal leader at once, each drawing from its own generator what
        it draws alone (its problems', then its people's draws)."""
        p, log = world.params, world.problems
        policies = self.policies(world)
        for policy in policies:
            policy.survey_cost = 0.0
        if not p.surface_issues or world.steps % p.survey_interval != 0:
            return  # no round is due
        has_leader = np.atleast_1d(world.leader) != NO_LEADER
        if not has_leader.any():
            return
        for policy, surveyed in zip(policies, has_leader.tolist(), strict=True):
            if surveyed:
                policy.survey_cost = problems.SURVEY_ATTENTION
        surfaced = log.hidden & has_leader[log.team // world.teams_per_org]
        asked = np.flatnonzero(surfaced)
        surfaced[asked] = problems.surfaced_by_survey(world.draws(teams=log.team[asked]),
                                                      len(asked))
        log.make_known(surfaced, world.steps)
        self.hear_peers(world)

    def hear_peers(self, world) -> None:
        """The 360-degree side of a survey round: peers vouch, more often the more skilled,
        for those they have seen at work (``delegation.peer_vouching``), which enters the
        leader's record of readiness: a strength the leader has not watched comes out as a
        noisy rating, not as the truth about anyone's skills (its skill estimates still come
        only from watching, as a heroic leader's do). In a batch, in every organisation with
        a formal leader."""
        s = world.state
        leaders = np.atleast_1d(world.leader)
        has_leader = leaders != NO_LEADER
        rated = s.active & has_leader[world.slot_org]  # (alone: everyone in post)
        rated[leaders[has_leader]] = False
        people = np.flatnonzero(rated)
        vouched, not_vouched = delegation.peer_vouching(
            s.skills[people].max(axis=1), seen_at_work=~np.isnan(s.performance[people]),
            draws=world.draws(slots=people).random(len(people)))
        world.readiness_record[people, 0] += vouched
        world.readiness_record[people, 1] += not_vouched

    def after_step(self, world, step) -> None:
        self.review(world, step)

    def review(self, world, step) -> None:
        """The leader updates what it has seen of each person, reviews decision rights and
        the protocols it built this week take effect (``update_coverage``). In a batch,
        every organisation's leader at once."""
        leaders = np.atleast_1d(world.leader)
        has_leader = leaders != NO_LEADER
        if not has_leader.any():
            return
        p, s, outcome = world.params, world.state, step.outcome
        # the people of the organisations with a leader: everyone, alone (a slice: views)
        mine = (slice(None) if has_leader.all()
                else np.flatnonzero(has_leader[world.slot_org]))
        record = world.readiness_record[mine]
        record[:, 0], record[:, 1] = delegation.update_record(
            record[:, 0], record[:, 1], completed=outcome.completed[mine],
            failed=outcome.failed[mine], led=outcome.join_mode[mine] == CLAIMED,
            clarity=1.0 - step.problem_load[mine])
        belief = delegation.readiness_belief(record[:, 0], record[:, 1])
        bar = delegation.handover_bar(world.param_for("delegation_bar", slots=mine),
                                      world.coverage(world.slot_org[mine]))
        is_leader = np.zeros(s.n, dtype=bool)
        is_leader[leaders[has_leader]] = True
        rights = (delegation.rights_after(s.decision_rights[mine], belief, bar)
                  & s.active[mine] & ~is_leader[mine])
        revoked = s.decision_rights[mine] & ~rights
        frus = s.frus[mine]
        frus[revoked, AUTONOMY] += delegation.REVOKE_FRUSTRATION * (1.0 - frus[revoked, AUTONOMY])
        s.frus[mine], world.readiness_record[mine] = frus, record  # (copies in a batch)
        s.decision_rights[mine] = rights
        if p.build_protocols:
            self.update_coverage(world, has_leader)

    def update_coverage(self, world, which: np.ndarray) -> None:
        """This week's protocol building takes effect, as far as the leader knows what to
        write them for (``delegation.awareness``), less what went stale: in each
        organisation of ``which`` (a mask over the organisations; in a batch each has its
        own coverage, policy and market)."""
        log = world.problems
        org = log.team // world.teams_per_org  # each open problem's organisation
        open_ = np.bincount(org, minlength=world.orgs).tolist()
        known = np.bincount(org[log.known], minlength=world.orgs).tolist()
        coverage = np.atleast_1d(world.protocol_coverage).tolist()
        policies = self.policies(world)
        turbulence = world.turbulence_of_each("protocol_staleness")
        for r in np.flatnonzero(which).tolist():
            coverage[r] = delegation.protocols_after(
                coverage[r], attention=policies[r].protocol_spent,
                initial=policies[r].initial_coverage, turbulence=turbulence[r],
                awareness=delegation.awareness(known=known[r], open_=open_[r]))
        world.protocol_coverage = coverage[0] if world.orgs == 1 else np.array(coverage)
