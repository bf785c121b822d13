"""Energy: exhausted colleagues drain those around them (``rules.contagion``, crossover;
Bakker, Le Blanc & Schaufeli 2005); energy follows vitality, effort and frustration
(``rules.energy``)."""

from __future__ import annotations

from model.rules import contagion, energy
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, p, ties = world.state, world.params, world.ties
    drain = contagion.exhaustion_crossover(
        energy=s.energy, src=ties.src, dst=ties.dst, w=step.context.directed_strength,
        rate=p.exhaustion_contagion, exhausted_below=energy.BURNOUT_BELOW,
    )
    s.energy = energy.update_energy(
        energy=s.energy + drain, autonomous=s.autonomous, mean_sat=s.sat.mean(axis=1),
        mean_frus=s.frus.mean(axis=1), effort_=step.outcome.effort,
    )
