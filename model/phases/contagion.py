"""Contagion: autonomous motivation spreads along ties between colleagues who are not too
different (``rules.contagion``; Radel et al. 2010, 2015)."""

from __future__ import annotations

from model.rules import contagion
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, p, ties = world.state, world.params, world.ties
    shift = contagion.bounded_assimilation(
        x=s.autonomous, src=ties.src, dst=ties.dst,
        w=step.context.directed_strength,  # nobody joined or left since it was computed
        rate=p.contagion_rate, distance=p.contagion_distance,
    )
    s.reg = contagion.assimilate_autonomous(s.reg, shift)
