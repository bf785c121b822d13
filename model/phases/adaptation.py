"""Adaptation: the leadership policy's end-of-step update (``LeadershipPolicy.after_step``;
a fostering leader reviews decision rights and builds protocols here)."""

from __future__ import annotations

from model.world import Step, World


def run(world: World, step: Step) -> None:
    world.policy.after_step(world, step)
