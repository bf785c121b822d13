"""Needs: what each employee experiences for autonomy, competence and relatedness this
step, coloured by the climate they perceive (``rules.experiences``); needs follow
(``rules.motivation.update_needs``); helplessness grows where problems linger and one has
no control (``rules.problems.update_helplessness``); perceived autonomy support follows the
acts they saw."""

from __future__ import annotations

import numpy as np

from model.codes import AUTONOMY, IDLE
from model.rules import experiences, leadership, motivation, problems
from model.rules.numeric import clip
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, p, ties, ctx, outcome = world.state, world.params, world.ties, step.context, step.outcome
    may_act = world.policy.may_act(world)
    idle = world.idle_mask()
    unable = idle & ~may_act
    wanted = feasible_waiting(world)
    # the waiting work is shared among all who are idle (it may be given to, or taken up
    # by, anyone free: ODD item 40), felt by those who may not start it themselves
    waiting = unable * world.per_org(
        experiences.own_work_waiting,
        people_wanted=world.count_by_org(world.tasks.needed[wanted], world.tasks.org[wanted]),
        waiting_people=world.count_by_org(idle))
    degree = np.maximum(ties.degree, 1)
    neighbour_tie = np.bincount(ties.src, weights=ctx.directed_strength, minlength=s.n) / degree
    # acts are experienced as perceived: the act's support read through a personal lens
    perceived_act = clip(s.join_support + s.perception_bias, 0.0, 1.0)
    positive, negative = experiences.need_experiences(
        join_mode=outcome.join_mode, join_support=perceived_act, skill_fit=outcome.fit,
        progressing=outcome.progressing, completed=outcome.completed, failed=outcome.failed,
        waiting_for_decision=waiting, problem_load=step.problem_load,
        coworker_tie=coworker_tie(world, ctx.directed_strength), neighbour_tie=neighbour_tie,
        exhaustion=s.exhaustion, contingent_rewards=p.contingent_rewards,
        frustration_pathway=p.frustration_pathway, rebuffed=ctx.rebuffed,
        graded_assignment=p.graded_assignment,
        # the pace its task needs against its plan; not a formal leader's queue (ODD item 28)
        time_pressure=outcome.pressure if p.pressure_thwarts_needs else 0.0,
    )
    positive, negative = experiences.with_climate(
        positive=positive, negative=negative, climate=s.perceived_support,
        frustration_pathway=p.frustration_pathway,
    )
    s.sat, s.frus = motivation.update_needs(
        sat=s.sat, frus=s.frus, experience_pos=positive, experience_neg=negative,
        rate=world.param_of_employees("need_rate", column=True),
        frustration_rate=world.param_of_employees("frustration_rate", column=True),
    )
    if p.learned_helplessness:
        s.helplessness = problems.update_helplessness(
            s.helplessness, problem_load=step.problem_load, sense_of_control=s.sat[:, AUTONOMY])
    observed = np.where(
        outcome.join_mode == IDLE, world.policy.idle_support(world, ctx), s.join_support
    )
    s.perceived_support = motivation.perceived_autonomy_support(
        perceived=s.perceived_support, observed=observed, bias=s.perception_bias,
        rate=world.param_of_employees("need_rate"),
    )


def feasible_waiting(world: World) -> np.ndarray:
    """Waiting tasks that can still be delivered, on time or late, by the last week their
    client takes them (``rules.leadership.can_still_finish``): the work people may be
    waiting for."""
    tasks = world.tasks
    waiting = np.flatnonzero(tasks.waiting)
    room = leadership.slack(deadline=tasks.deadline[waiting], now=world.steps,
                            work_left=tasks.work_total[waiting], members=tasks.needed[waiting],
                            complexity=world.complexity_for("skill_demands",
                                                            tasks.complexity[waiting]))
    return waiting[leadership.can_still_finish(room, tasks.lateness_accepted(waiting))]


def coworker_tie(world: World, directed_strength: np.ndarray) -> np.ndarray:
    """Mean strength of each employee's ties to those on the same task (0 if none)."""
    s, ties = world.state, world.ties
    same_task = (s.task[ties.src] == s.task[ties.dst]) & (s.task[ties.src] >= 0)
    together = np.bincount(ties.src, weights=same_task, minlength=s.n)
    return np.divide(
        np.bincount(ties.src, weights=directed_strength * same_task, minlength=s.n), together,
        out=np.zeros(s.n), where=together > 0,
    )
