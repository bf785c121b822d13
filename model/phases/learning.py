"""Learning: skill grows by doing and from the best colleague on the task, unused skill
fades (``rules.learning``); the formal leader updates its estimates of those it watched
(``rules.leadership.update_skill_estimate``); ties grow between those who worked together
on a task that moved, and fade otherwise; a lead and a member who worked together without
a tie now have one, in a self-organised team (``Ties.connect``: collaborating creates
ties; a formal leader's relationships are the structure's)."""

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
    world.ties.strength = learning.update_ties(
        strength=world.ties.strength, collaborated=collaborated(world, o.progress),
        growth=world.param_for("tie_growth", slots=world.ties.u),
        decay=world.param_for("tie_decay", slots=world.ties.u),
    )
    recruits = o.workers[s.recruited_by[o.workers] >= 0]
    if len(recruits):
        lead = s.recruited_by[recruits]
        met = (world.tasks.lead[s.task[recruits]] == lead) & (o.progress[s.task[recruits]] > 0)
        world.ties.connect(lead[met], recruits[met])
        s.recruited_by[recruits[met]] = -1


def collaborated(world: World, progress: np.ndarray) -> np.ndarray:
    """Per tie: whether its two ends worked together this step on a task that moved, as
    co-members or as its lead and a member."""
    s, tasks, ties = world.state, world.tasks, world.ties
    u_task, v_task = s.task[ties.u], s.task[ties.v]
    lead_of = np.concatenate((tasks.lead, [NO_LEADER]))  # index -1 (no task) reads NO_LEADER
    together = (u_task >= 0) & (u_task == v_task)
    u_leads_v = lead_of[v_task] == ties.u
    led = u_leads_v | (lead_of[u_task] == ties.v)
    shared = np.where(u_leads_v, v_task, u_task)
    worked = together | led
    worked[worked] = progress[shared[worked]] > 0
    return worked
