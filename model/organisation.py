"""The Mesa model: an organisation of employees on a collaboration network.

One step (DESIGN §3): arrivals → allocation by the leadership policy → work → need
experiences → needs → regulations → contagion → energy, learning, ties → turnover and
hiring → data collection. Each phase acts on all employees at once through the pure rules
in ``model.rules``.
"""

from __future__ import annotations

import inspect
import numbers
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np
from mesa import Model
from mesa.discrete_space import Network

from model.agents import Employee
from model.allocation import idle_mask
from model.codes import IDENTIFIED, IDLE, INTRINSIC, NO_LEADER, NO_TASK, RELATEDNESS
from model.environment import Environment
from model.metrics import MODEL_OUTPUTS, OrganisationDataCollector, model_outputs
from model.network import Ties, build_graph, team_of
from model.params import Parameters, check_names
from model.policies import get_policy
from model.rules import (
    contagion,
    energy,
    experiences,
    leadership,
    learning,
    motivation,
    turnover,
    work,
)
from model.rules.energy import BURNOUT_BELOW
from model.state import EmployeeState, ProblemLog, TaskBoard

_NETWORK_TAKES_LAYOUT = "layout" in inspect.signature(Network.__init__).parameters
SKILL_PRIOR = 0.4
"""What a formal leader assumes about the skill of someone it has not seen at work."""
ESTIMATE_NOISE = 0.2
"""How wrong a leader's first impression of a colleague's skill is (standard deviation)."""
MARKET_SHOCK_JUMP = 0.4


@dataclass
class StepContext:
    """Quantities computed once per step and shared by the policy and the rules."""

    autonomous: np.ndarray
    controlled: np.ndarray
    support: np.ndarray  # peer support each employee can count on
    directed_strength: np.ndarray  # tie strength per directed edge, 0 where a slot is vacant


@dataclass
class WorkOutcome:
    """What the work phase produced, per employee and per task, before tasks are cleared."""

    join_mode: np.ndarray
    effort: np.ndarray
    fit: np.ndarray
    progressing: np.ndarray
    completed: np.ndarray
    failed: np.ndarray
    coworker_tie: np.ndarray
    collaborated: np.ndarray  # per undirected tie


def _check_rng(rng: Any) -> None:
    ok = (
        rng is None
        or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool) and rng >= 0)
        or isinstance(rng, np.random.SeedSequence | np.random.Generator)
    )
    if not ok:
        raise ValueError(
            f"rng={rng!r} is not allowed; allowed: None, a non-negative integer, "
            "a numpy SeedSequence or a numpy Generator"
        )


class OrganisationModel(Model):
    """An organisation under a leadership policy. Keyword arguments: see ``Parameters``.

    >>> m = OrganisationModel(n_employees=200, policy="distributed", turbulence=0.6, rng=7)
    >>> for _ in range(50):
    ...     m.step()
    >>> df = m.datacollector.get_model_vars_dataframe()
    """

    def __init__(self, rng: Any = None, **kwargs: Any) -> None:
        check_names(kwargs)
        params = Parameters(**kwargs)
        _check_rng(rng)
        super().__init__(rng=rng)
        self.params = params
        p = params
        n = p.n_employees

        self.state = EmployeeState.empty(n, p.n_domains, p.leadership_window)
        self.state.team[:] = team_of(n, p.team_size)
        graph = build_graph(p.network, n, p.mean_degree, p.team_size, p.rewiring, self.rng)
        self.ties = Ties.from_graph(graph, self.state.team, self.rng)
        layout = {"layout": None} if _NETWORK_TAKES_LAYOUT else {}
        self.grid = Network(graph, capacity=1, random=self.random, **layout)

        self.skill_estimate = np.zeros((n, p.n_domains))
        self._agents_by_slot: list[Employee | None] = [None] * n
        self._hire(np.arange(n), founders=True)
        self.tasks = TaskBoard()
        self.problems = ProblemLog()
        self.environment = Environment.start(p.n_domains, p.turbulence)
        self.protocol_coverage = p.protocol_coverage
        self._lead_pairs: deque[tuple[np.ndarray, np.ndarray]] = deque(
            maxlen=p.leadership_window
        )
        self._pending_exits = 0

        self.policy = get_policy(p.policy)(self)
        self.leader = NO_LEADER
        self.succession_timer = -1
        if self.policy.has_formal_leader:
            self._appoint_leader(int(np.argmax(self.ties.degree)))

        self.metrics = model_outputs(self, _no_events())
        self.datacollector = OrganisationDataCollector(
            {name: (lambda m, k=name: m.metrics[k]) for name in MODEL_OUTPUTS},
            collect_agents=p.collect_agents,
            agent_every=p.agent_every,
            n_domains=p.n_domains,
        )
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ the schedule
    def step(self) -> None:
        p, s = self.params, self.state
        self._leadership_events()
        events = _no_events()
        events["exits"] = self._pending_exits  # departures by event since the last step
        self._pending_exits = 0

        # 1. arrivals; demand drifts with turbulence
        self.environment.drift(self.rng)
        new = self.environment.new_tasks(
            self.rng, p.task_rate * s.active.sum(), p.task_complexity, p.team_size,
            p.task_patience, self.steps,
        )
        self.tasks.add(**new)
        events["arrived"] = len(new["domain"])
        n_teams = int(s.team.max()) + 1
        self.problems.add(self.environment.new_problems(self.rng, p.problem_rate, n_teams),
                          self.steps)

        # 2. allocation by the leadership policy
        ctx = self._context()
        waiting_before = int(self.tasks.waiting.sum())
        self.policy.allocate(self, ctx)
        events["started"] = waiting_before - int(self.tasks.waiting.sum())
        self._record_leadership()

        # 3. work
        outcome = self._work(ctx, events)

        # 4–6. experiences, needs, regulations
        self._motivation(ctx, outcome)

        # 7. contagion along ties (bounded) and exhaustion crossover
        w = ctx.directed_strength  # nobody joined or left since it was computed
        src, dst = self.ties.src, self.ties.dst
        shift = contagion.bounded_assimilation(
            s.autonomous, src, dst, w, p.contagion_rate, p.contagion_distance
        )
        s.reg[:, IDENTIFIED] = np.clip(s.reg[:, IDENTIFIED] + shift, 0, 1)
        s.reg[:, INTRINSIC] = np.clip(s.reg[:, INTRINSIC] + shift, 0, 1)
        drain = contagion.exhaustion_crossover(
            s.energy, src, dst, w, p.exhaustion_contagion, BURNOUT_BELOW
        )

        # 8. energy, learning, ties
        s.energy = energy.update_energy(
            s.energy + drain, s.autonomous, s.sat.mean(axis=1), s.frus.mean(axis=1),
            outcome.effort,
        )
        self.ties.strength = learning.update_ties(
            self.ties.strength, outcome.collaborated, p.tie_growth, p.tie_decay
        )
        self._finish_tasks(outcome)

        # 9. turnover and hiring
        self._turnover(events)
        self.policy.after_step(self)

        # 10. data collection
        self.metrics = model_outputs(self, events)
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ events
    def remove_leader(self) -> int | None:
        """The leader leaves now (under distributed: the most active emergent leader).

        Under a formal-leader policy, allocation stalls until a successor takes over after
        ``succession_delay`` steps. Returns the ``unique_id`` of who left, or None.
        """
        slot = self.policy.remove_leader(self)
        if slot == NO_LEADER or not self.state.active[slot]:
            return None
        unique_id = int(self.state.agent_id[slot])
        if slot == self.leader:
            self.leader = NO_LEADER
            self.succession_timer = self.params.succession_delay
        self._exit(np.array([slot]))
        self._pending_exits += 1
        return unique_id

    def market_shock(self, jump: float = MARKET_SHOCK_JUMP) -> None:
        """A market shock now: turbulence jumps by ``jump`` (capped at 1), demand reshuffles."""
        if not 0.0 <= float(jump) <= 1.0:
            raise ValueError(f"jump={jump!r} is not allowed; allowed: [0.0, 1.0]")
        self.environment.shock(self.rng, float(jump))

    @property
    def turbulence(self) -> float:
        """Current turbulence (the parameter, raised by market shocks)."""
        return self.environment.turbulence

    @property
    def formal_leader(self) -> Employee | None:
        return None if self.leader == NO_LEADER else self._agents_by_slot[self.leader]

    def employee_at(self, slot: int) -> Employee | None:
        return self._agents_by_slot[slot]

    def lead_pairs_in_window(self) -> tuple[np.ndarray, np.ndarray]:
        """(lead, member) slot pairs of every task led in the recent window."""
        if not self._lead_pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        leads, members = zip(*self._lead_pairs, strict=True)
        return np.concatenate(leads), np.concatenate(members)

    def release(self) -> None:
        """Free the model's agents and space now (a finished model is also freed by the
        garbage collector; this only makes it immediate)."""
        self.remove_all_agents()
        self._agents_by_slot = []

    # ------------------------------------------------------------------ phases
    def _context(self) -> StepContext:
        s, p = self.state, self.params
        autonomous = s.autonomous
        w = self._directed_strength()
        willing = leadership.willingness_to_follow(
            p.shared_purpose, s.sat[:, RELATEDNESS], autonomous
        )
        support = leadership.peer_support(willing, self.ties.src, self.ties.dst, w)
        return StepContext(autonomous, s.controlled, support, w)

    def _directed_strength(self) -> np.ndarray:
        on = self.state.active
        return self.ties.strength[self.ties.edge] * on[self.ties.src] * on[self.ties.dst]

    def _work(self, ctx: StepContext, events: dict[str, Any]) -> WorkOutcome:
        """Progress from skill × effort; completion, failure, quality (rules.work)."""
        s, p, tasks = self.state, self.params, self.tasks
        n_tasks = len(tasks)
        workers = np.flatnonzero(s.task >= 0)
        t = s.task[workers]
        domain = tasks.domain[t]
        skill = s.skills[workers, domain]
        fit_w = experiences.skill_fit(skill, tasks.complexity[t])
        effort_all = work.effort(s.energy, ctx.autonomous, ctx.controlled, p.contingent_rewards)
        effort_w = effort_all[workers]
        contrib = work.contribution(skill, effort_w, fit_w)
        members = np.bincount(t, minlength=n_tasks)
        contrib_sum = np.bincount(t, weights=contrib, minlength=n_tasks)
        quality_sum = np.bincount(
            t, weights=contrib * work.work_quality(skill, ctx.autonomous[workers]),
            minlength=n_tasks,
        )
        efficiency = work.coordination_efficiency(
            members, tasks.self_organised, p.coordination_cost, self.protocol_coverage
        )
        progress = work.team_progress(contrib_sum, members, tasks.needed, efficiency)
        mean_quality = np.divide(quality_sum, contrib_sum, out=np.zeros(n_tasks),
                                 where=contrib_sum > 0)
        tasks.work_done += progress
        tasks.quality_sum += progress * mean_quality

        done = tasks.work_done >= tasks.work_total
        failed = ~done & (self.steps >= tasks.deadline)
        events["completed"] = int(done.sum())
        events["failed"] = int(failed.sum())
        events["latencies"] = (self.steps - tasks.arrival[done]).astype(float)
        events["qualities"] = tasks.quality_sum[done] / tasks.work_done[done]

        # learning by doing and from the best colleague on the task; leaders watch
        best = np.zeros(n_tasks)
        np.maximum.at(best, t, skill)
        learned = learning.learn(skill, effort_w, best[t], p.learning_rate, p.peer_learning)
        s.skills = learning.forget(s.skills, p.forgetting)
        s.skills[workers, domain] = learned
        watched = ~tasks.self_organised[t]
        self.skill_estimate[workers[watched], domain[watched]] = (
            leadership.update_skill_estimate(
                self.skill_estimate[workers[watched], domain[watched]], skill[watched]
            )
        )

        def per_worker(values: np.ndarray, default: float = 0.0) -> np.ndarray:
            out = np.full(s.n, default, dtype=float)
            out[workers] = values
            return out

        s.performance, s.output = work.track_performance(
            s.performance, s.output, per_worker(contrib), working=s.task >= 0
        )
        staffing = np.minimum(1.0, members / np.maximum(tasks.needed, 1))
        same_task = (s.task[self.ties.src] == s.task[self.ties.dst]) & (s.task[self.ties.src] >= 0)
        w = ctx.directed_strength
        together = np.bincount(self.ties.src, weights=same_task, minlength=s.n)
        coworker_tie = np.divide(
            np.bincount(self.ties.src, weights=w * same_task, minlength=s.n), together,
            out=np.zeros(s.n), where=together > 0,
        )
        # co-members of a progressing task work together; so do its lead and its members
        u, v = self.ties.u, self.ties.v
        u_task, v_task = s.task[u], s.task[v]
        lead_of = np.r_[tasks.lead, NO_LEADER]  # index -1 (no task) reads NO_LEADER
        together = (u_task >= 0) & (u_task == v_task)
        u_leads_v = lead_of[v_task] == u
        led = u_leads_v | (lead_of[u_task] == v)
        shared = np.where(u_leads_v, v_task, u_task)
        collaborated = together | led
        collaborated[collaborated] = progress[shared[collaborated]] > 0
        return WorkOutcome(
            join_mode=s.join_mode.copy(),
            effort=per_worker(effort_w),
            fit=per_worker(fit_w, default=1.0),
            progressing=per_worker((staffing * efficiency)[t]),
            completed=per_worker(done[t]),
            failed=per_worker(failed[t]),
            coworker_tie=coworker_tie,
            collaborated=collaborated,
        )

    def _motivation(self, ctx: StepContext, outcome: WorkOutcome) -> None:
        """Experiences → needs → perceived support → regulations (rules.experiences/motivation)."""
        s, p = self.state, self.params
        may_act = self.policy.may_act(self)
        waiting = idle_mask(self) & ~may_act & bool(self.tasks.waiting.any())
        load = self._problem_load()
        degree = np.maximum(self.ties.degree, 1)
        neighbour_tie = np.bincount(
            self.ties.src, weights=ctx.directed_strength, minlength=s.n
        ) / degree
        # acts are experienced as perceived: the act's support read through a personal lens
        perceived_act = np.clip(s.join_support + s.perception_bias, 0.0, 1.0)
        positive, negative = experiences.need_experiences(
            outcome.join_mode, perceived_act, outcome.fit, outcome.progressing,
            outcome.completed, outcome.failed, waiting, load, outcome.coworker_tie,
            neighbour_tie, s.energy, p.contingent_rewards, p.frustration_pathway,
        )
        positive, negative = experiences.with_climate(
            positive, negative, s.perceived_support, p.frustration_pathway
        )
        s.sat, s.frus = motivation.update_needs(
            s.sat, s.frus, positive, negative, p.need_rate, p.frustration_rate
        )
        observed = np.where(
            outcome.join_mode == IDLE, self.policy.idle_support(self, ctx), s.join_support
        )
        s.perceived_support = motivation.perceived_autonomy_support(
            s.perceived_support, observed, s.perception_bias, p.need_rate
        )
        targets = motivation.regulation_targets(
            s.sat, s.frus, s.perceived_support, self.policy.control_climate(self),
            p.contingent_rewards, p.shared_purpose, load, s.autonomy_orientation,
            s.control_orientation,
        )
        s.reg = motivation.update_regulations(s.reg, targets, p.regulation_rate)

    def _problem_load(self) -> np.ndarray:
        """Unresolved trouble around each employee: ``1 − exp(−Σ age of team's problems / 10)``."""
        s = self.state
        n_teams = int(s.team.max()) + 1
        age = np.bincount(self.problems.team, weights=self.steps - self.problems.arrival,
                          minlength=n_teams)
        return 1.0 - np.exp(-age[s.team] / 10.0)

    def _finish_tasks(self, outcome: WorkOutcome) -> None:
        """Drop completed and failed tasks; their members become idle."""
        s, tasks = self.state, self.tasks
        finished = (tasks.work_done >= tasks.work_total) | (self.steps >= tasks.deadline)
        if not finished.any():
            return
        remap = tasks.keep(~finished)
        on = s.task >= 0
        s.task[on] = remap[s.task[on]]
        freed = s.task == NO_TASK
        s.join_mode[freed] = IDLE
        s.join_support[freed] = 0.0

    def _turnover(self, events: dict[str, Any]) -> None:
        """Intention → quitting (rules.turnover); vacancies filled after ``hiring_delay``."""
        s, p = self.state, self.params
        target = turnover.intention_target(s.frus.mean(axis=1), s.sat.mean(axis=1), s.autonomous)
        s.turnover_intention = turnover.update_intention(s.turnover_intention, target)
        quits = s.active & (self.rng.random(s.n) < turnover.quit_probability(
            s.turnover_intention, p.quit_rate))
        if self.leader != NO_LEADER:
            quits[self.leader] = False  # the formal leader leaves only by an event
        leaving = np.flatnonzero(quits)
        self._exit(leaving)
        events["exits"] += len(leaving)

        vacant = ~s.active
        s.vacancy_timer[vacant] -= 1
        hired = np.flatnonzero(vacant & (s.vacancy_timer < 0))
        self._hire(hired, founders=False)
        events["hires"] = len(hired)

    # ------------------------------------------------------------------ bookkeeping
    def _leadership_events(self) -> None:
        p = self.params
        if p.leader_departure_step is not None and self.steps == p.leader_departure_step:
            self.remove_leader()
        if self.policy.has_formal_leader and self.leader == NO_LEADER:
            if self.succession_timer <= 0:
                self._appoint_successor()
            else:
                self.succession_timer -= 1

    def _appoint_successor(self) -> None:
        s = self.state
        merit = np.where(s.active, s.skills.mean(axis=1), -np.inf)
        if np.isfinite(merit).any():
            self._appoint_leader(int(np.argmax(merit)))

    def _appoint_leader(self, slot: int) -> None:
        s = self.state
        if s.task[slot] >= 0:
            self.tasks.lead[self.tasks.lead == slot] = NO_LEADER
            s.task[slot] = NO_TASK
            s.join_mode[slot] = IDLE
        self.leader = slot
        self.succession_timer = -1
        self._first_impressions(np.flatnonzero(s.active))

    def _first_impressions(self, slots: np.ndarray) -> None:
        """The formal leader's estimate of people it has not yet seen work: a noisy guess."""
        size = (len(slots), self.skill_estimate.shape[1])
        noise = self.rng.normal(0.0, ESTIMATE_NOISE, size=size)
        self.skill_estimate[slots] = np.clip(
            SKILL_PRIOR + 0.5 * (self.state.skills[slots] - SKILL_PRIOR) + noise, 0, 1
        )

    def _record_leadership(self) -> None:
        s, tasks = self.state, self.tasks
        s.lead_record = np.roll(s.lead_record, 1, axis=0)
        s.lead_record[0] = 0
        workers = np.flatnonzero(s.task >= 0)
        lead = tasks.lead[s.task[workers]]
        keep = (lead >= 0) & (lead != workers)
        self._lead_pairs.append((lead[keep], workers[keep]))
        running = tasks.lead[(tasks.started >= 0) & (tasks.lead >= 0)]
        s.lead_record[0] = np.bincount(running, minlength=s.n)

    def _exit(self, slots: np.ndarray) -> None:
        if len(slots) == 0:
            return
        s = self.state
        self.tasks.lead[np.isin(self.tasks.lead, slots)] = NO_LEADER
        for slot in slots.tolist():
            agent = self._agents_by_slot[slot]
            if agent is not None:
                agent.remove()
                self._agents_by_slot[slot] = None
        s.vacate(slots, self.params.hiring_delay)

    def _hire(self, slots: np.ndarray, founders: bool) -> None:
        """People join in ``slots``: fresh state, weak ties (newcomers), a Mesa agent each."""
        if len(slots) == 0:
            return
        self.state.hire(slots, self.rng, self.steps, newcomer=not founders)
        if not self.params.frustration_pathway:
            self.state.frus[slots] = 0.0
        if not founders:
            self.ties.reset(slots)
        self._first_impressions(slots)
        for slot in slots.tolist():
            agent = Employee(self, slot, self.grid[slot])
            self._agents_by_slot[slot] = agent
            self.state.agent_id[slot] = agent.unique_id


def _no_events() -> dict[str, Any]:
    empty = np.zeros(0)
    return {"arrived": 0, "started": 0, "completed": 0, "failed": 0, "latencies": empty,
            "qualities": empty, "exits": 0, "hires": 0}
