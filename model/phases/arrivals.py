"""Arrivals: demand drifts with turbulence; tasks and problems arrive (``model.environment``)."""

from __future__ import annotations

from model.world import Step, World


def run(world: World, step: Step) -> None:
    p, env = world.params, world.environment
    env.drift(world.rng)
    new = env.new_tasks(
        world.rng, p.task_rate * world.state.active.sum(), p.task_complexity, p.team_size,
        p.task_patience, world.steps,
    )
    world.tasks.add(**new)
    step.events.arrived = len(new["domain"])
    world.problems.add(env.new_problems(world.rng, p.problem_rate, world.n_teams), world.steps)
