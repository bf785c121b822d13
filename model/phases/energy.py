"""Energy: exhausted colleagues drain those around them (``rules.contagion``, crossover;
Bakker, Le Blanc & Schaufeli 2005); energy follows vitality, effort, frustration and the
step's extra demands (``rules.energy``): leading a running task costs its lead
``leading_drain`` on top of its own work, a claim lost to a rival costs effort, and the
formal leader, who does no task work, spends its attention as others spend effort, and
more when asked for more than it can give."""

from __future__ import annotations

import numpy as np

from model.codes import NO_LEADER
from model.rules import contagion, energy
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, p, ties, tasks = world.state, world.params, world.ties, world.tasks
    drain = contagion.exhaustion_crossover(
        energy=s.energy, src=ties.src, dst=ties.dst, w=step.context.directed_strength,
        rate=p.exhaustion_contagion, exhausted_below=energy.BURNOUT_BELOW,
    )
    effort = step.outcome.effort.copy()
    led = tasks.lead[tasks.self_organised & (tasks.started >= 0) & (tasks.lead >= 0)]
    extra = step.context.extra_demand + p.leading_drain * np.bincount(led, minlength=s.n)
    if world.leader != NO_LEADER:
        effort[world.leader] = world.leader_used
        extra[world.leader] += p.leading_drain * max(0.0, world.leader_load - 1.0)
    s.energy = energy.update_energy(
        energy=s.energy + drain, autonomous=s.autonomous, mean_sat=s.sat.mean(axis=1),
        mean_frus=s.frus.mean(axis=1), effort_=effort, extra_demand=extra,
    )
