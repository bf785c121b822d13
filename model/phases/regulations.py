"""Regulations: each of the five moves toward its target, set by needs, the perceived
climate, rewards, shared purpose, lingering problems and the person's orientations
(``rules.motivation.regulation_targets``; Organismic Integration Theory)."""

from __future__ import annotations

from model.rules import motivation
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, p = world.state, world.params
    targets = motivation.regulation_targets(
        sat=s.sat, frus=s.frus, perceived_support=s.perceived_support,
        control_climate=world.policy.control_climate(world),
        contingent_rewards=p.contingent_rewards, shared_purpose=p.shared_purpose,
        problem_load=step.problem_load, autonomy_orientation=s.autonomy_orientation,
        control_orientation=s.control_orientation,
    )
    s.reg = motivation.update_regulations(s.reg, targets, p.regulation_rate)
