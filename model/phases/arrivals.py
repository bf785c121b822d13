"""Arrivals: demand drifts with turbulence; what open tasks require and what people's
know-how is worth drift with it (``rules.turbulence``); tasks and problems arrive
(``model.environment``). The market's draws come from its own streams (the drift from
``world.env_rng``, each kind of arrival from one of ``world.arrival_rng``) and do not
depend on what the organisation does, so that under the same seed every policy meets the
same market, and a setting that changes one kind of arrival leaves the others as they
were; tasks arrive in proportion to the organisation's positions."""

from __future__ import annotations

import numpy as np

from model.environment import draw_tasks, drift, needed_members, planned_work
from model.rules import turbulence as rules
from model.world import Step, World


def run(world: World, step: Step) -> None:
    p, s, tasks = world.params, world.state, world.tasks
    markets = world.markets()  # one per organisation (a batch holds several)
    drift([(env, market) for env, market, _ in markets], world.turbulence_of_each("demand_drift"))
    if world.draws_for("requirement_drift") and len(tasks):
        tasks.complexity = rules.drift_requirements(
            tasks.complexity, world.turbulence_for("requirement_drift", tasks.org),
            world.param_for("requirement_drift", tasks.org),
            world.draws(tasks=slice(None)).standard_normal(len(tasks)))
    if world.draws_for("knowhow_drift"):  # every slot (a vacant one is reset at hiring)
        s.skills = rules.drift_knowhow(
            s.skills, world.turbulence_for("knowhow_drift", world.slot_org[:, None]),
            world.param_of_employees("knowhow_drift", column=True),
            world.draws(slots=slice(None), stream="market")
            .standard_normal(s.skills.shape))
    new = draw_tasks([(env, arrivals.tasks) for env, _, arrivals in markets],
                     [rate * p.n_employees for rate in world.each_org("task_rate")],
                     world.each_org("task_complexity"))  # (organisations of a batch may differ)
    plan(world, new)
    problems = [world.teams_per_org * org + env.new_problems(
        arrivals.problems, rate, world.teams_per_org, turbulence=turbulence)
        for org, ((env, _, arrivals), rate, turbulence) in enumerate(zip(
            markets, world.each_org("problem_rate"),
            world.turbulence_of_each("problem_arrivals"), strict=True))]
    asked = new.pop("person_weeks")
    world.add_tasks(new)
    step.events.arrived = world.tally(new["org"])
    step.events.offered = world.total(asked, new["org"])
    step.events.arrived_value = world.split(new["value"], new["org"])
    world.add_problems(np.concatenate(problems))


def plan(world: World, new: dict[str, np.ndarray], stream: str = "members") -> None:
    """Add to the new tasks ``new`` (each one's ``domain``, ``complexity``, ``value`` and
    ``org``) the members each needs and the work and deadline planned for it
    (``needed_members``, drawn from ``stream``, and ``planned_work``): for each, its own
    organisation's mix of work and slack. ``person_weeks``: what each asks."""
    p = world.params
    mean = world.param_for("task_complexity", new["org"])  # each task's organisation's
    new["needed"] = needed_members(world.draws(orgs=new["org"], stream=stream),
                                   new["complexity"], p.team_size, frozen=world.frozen,
                                   mean=mean, reference=p.channel_complexity)
    slack = [env.deadline_slack(p.task_patience, world.frozen, p.channel_turbulence)
             for env, _, _ in world.markets()]
    new.update(planned_work(
        complexity=new["complexity"], needed=new["needed"], mean_complexity=mean,
        team_size=p.team_size, size=p.task_size,
        optimism=world.param_for("planning_optimism", new["org"]),
        late_acceptance=world.param_for("late_acceptance", new["org"]),
        step=world.steps, frozen=world.frozen, complexity_reference=p.channel_complexity,
        slack=np.array(slack)[new["org"]] if world.orgs > 1 else slack[0]))
