"""Arrivals: demand drifts with turbulence; what open tasks require and what people's
know-how is worth drift with it (``rules.turbulence``); tasks and problems arrive
(``model.environment``). The market's draws come from its own stream (``world.env_rng``)
and do not depend on what the organisation does, so that under the same seed every policy
meets the same market; tasks arrive in proportion to the organisation's positions."""

from __future__ import annotations

from model.rules import turbulence as rules
from model.world import Step, World


def run(world: World, step: Step) -> None:
    p, env, s, tasks, market = (world.params, world.environment, world.state, world.tasks,
                                world.env_rng)
    env.drift(market, turbulence=world.turbulence_for("demand_drift"))
    if p.requirement_drift > 0 and len(tasks):
        tasks.complexity = rules.drift_requirements(
            tasks.complexity, world.turbulence_for("requirement_drift"), p.requirement_drift,
            world.rng.standard_normal(len(tasks)))
    if p.knowhow_drift > 0:  # every slot (a vacant one is reset at hiring): aligned streams
        s.skills = rules.drift_knowhow(s.skills, world.turbulence_for("knowhow_drift"),
                                       p.knowhow_drift,
                                       market.standard_normal(s.skills.shape))
    new = env.new_tasks(
        market, p.task_rate * p.n_employees, p.task_complexity, p.team_size,
        p.task_patience, world.steps, size=p.task_size, optimism=p.planning_optimism,
        frozen=world.frozen, references=(p.channel_turbulence, p.channel_complexity),
    )
    asked = new.pop("person_weeks")
    world.tasks.add(**new)
    step.events.arrived = len(new["domain"])
    step.events.offered = float(asked.sum())
    step.events.arrived_value = new["value"]
    world.problems.add(env.new_problems(market, p.problem_rate, world.n_teams,
                                        turbulence=world.turbulence_for("problem_arrivals")),
                       world.steps)
