"""Contagion: autonomous motivation spreads along ties between colleagues who are not too
different (``rules.contagion``; Radel et al. 2010, 2015)."""

from __future__ import annotations

from model.rules import contagion
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, ties = world.state, world.ties
    shift = contagion.bounded_assimilation(
        x=s.autonomous, src=ties.src, dst=ties.dst,
        w=step.context.directed_strength,  # nobody joined or left since it was computed
        rate=world.param_of_employees("contagion_rate"),
        distance=world.param_for("contagion_distance", slots=ties.src),
    )
    s.reg = contagion.assimilate_autonomous(s.reg, shift)
