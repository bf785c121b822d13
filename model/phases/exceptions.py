"""Exceptions: a running task raises one with a chance that grows with its complexity, the
environment's turbulence and the gap between what it needs and what its team has
(``rules.turbulence.exception_probability``; Galbraith 1974); protocols pre-empt some.
Until someone with the right to decide resolves it (the formal leader for the teams it
runs, the lead of a self-organised team), the task makes no progress."""

from __future__ import annotations

import numpy as np

from model.rules import turbulence
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, tasks = world.state, world.tasks
    if not world.draws_for("exception_rate") or len(tasks) == 0:
        return
    running = (tasks.started >= 0) & ~tasks.exception
    workers = np.flatnonzero(s.task >= 0)
    t = s.task[workers]
    members = np.bincount(t, minlength=len(tasks))
    skill_sum = np.bincount(t, weights=s.skills[workers, tasks.domain[t]], minlength=len(tasks))
    team_skill = np.divide(skill_sum, members, out=np.zeros(len(tasks)), where=members > 0)
    complexity = world.complexity_for("complex_exceptions", tasks.complexity)
    chance = turbulence.exception_probability(
        rate=world.param_for("exception_rate", tasks.org), complexity=complexity,
        turbulence=world.turbulence_for("turbulent_exceptions", tasks.org),
        skill_gap=complexity - team_skill,
        protocol_coverage=world.coverage(tasks.org),
    )
    raised = world.draws(tasks=slice(None)).random(len(tasks)) < chance
    tasks.exception = tasks.exception | (running & raised)
