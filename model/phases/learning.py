"""Learning: skill grows by doing and from the best colleague on the task, unused skill
fades (``rules.learning``); the formal leader updates its estimates of those it watched
(``rules.leadership.update_skill_estimate``); ties grow between those who worked together
on a task that moved, and fade otherwise; two who worked together on a task that moved
without a tie now have one, whoever formed the team (``Ties.connect``: collaborating
creates ties; Feld 1981; ``rules.learning.co_workers``), and a tie made at work that
has gone unused for a year dissolves (``rules.learning.dissolves``, ``Ties.drop``; Burt
2000)."""

from __future__ import annotations

import numpy as np

from model.codes import NO_LEADER
from model.rules import leadership, learning
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, o = world.state, step.outcome
    learned = learning.learn(
        skill=o.skill, effort_=o.worker_effort, best_colleague=o.best_on_task,
        learning_rate=world.param_for("learning_rate", slots=o.workers),
        peer_learning=world.param_for("peer_learning", slots=o.workers),
    )
    s.skills = learning.forget(s.skills, world.param_of_employees("forgetting", column=True))
    s.skills[o.workers, o.domain] = learned
    seen, domain = o.workers[o.watched], o.domain[o.watched]
    world.skill_estimate[seen, domain] = leadership.update_skill_estimate(
        world.skill_estimate[seen, domain], o.skill[o.watched]
    )
    ties = world.ties
    together = collaborated(world, o.progress, step.context.staffed)
    ties.strength = learning.update_ties(
        strength=ties.strength, collaborated=together,
        growth=world.param_for("tie_growth", slots=ties.u),
        decay=world.param_for("tie_decay", slots=ties.u),
    )
    ties.last_together[together] = world.steps
    ties.drop(learning.dissolves(made_at_work=ties.at_work,
                                 last_together=ties.last_together, now=world.steps))
    on = s.task[o.workers]
    moved = o.workers[o.progress[on] > 0]  # (workers are on a task until completion)
    ties.connect(*learning.co_workers(moved, s.task[moved]), step=world.steps)


def collaborated(world: World, progress: np.ndarray,
                 staffed: np.ndarray | None = None) -> np.ndarray:
    """Per tie: whether its two ends worked together this step: on a task that moved, as
    co-members or as a lead who coordinates it and a member; or as the formal leader and
    someone it staffed, or handed a task to, this step (``staffed``, a mask over the
    slots).

    A leader–member relationship grows from the two's exchanges (Graen & Uhl-Bien 1995):
    a formal leader coordinating its teams itself works with them every week, as a
    self-organised lead does; under ``span_of_control`` its supervisors coordinate them,
    and what it does with each member is staff them."""
    s, tasks, ties = world.state, world.tasks, world.ties
    u_task, v_task = s.task[ties.u], s.task[ties.v]
    coordinates = (tasks.self_organised if world.params.span_of_control
                   else tasks.self_organised | tasks.attended)
    lead_of = np.concatenate((np.where(coordinates, tasks.lead, NO_LEADER), [NO_LEADER]))
    together = (u_task >= 0) & (u_task == v_task)
    u_leads_v = lead_of[v_task] == ties.u
    led = u_leads_v | (lead_of[u_task] == ties.v)
    shared = np.where(u_leads_v, v_task, u_task)
    worked = together | led
    worked[worked] = progress[shared[worked]] > 0
    if staffed is not None and staffed.any():
        leader = np.zeros(s.n, dtype=bool)
        leaders = np.atleast_1d(world.leader)
        leader[leaders[leaders != NO_LEADER]] = True
        worked |= ((leader[ties.u] & staffed[ties.v]) | (leader[ties.v] & staffed[ties.u]))
    return worked
