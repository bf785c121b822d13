"""Regulations: each person's three shared drivers, internalisation, intensity and felt
pressure (``rules.motivation.motivational_drivers``), set by needs, vitality, the perceived
climate, rewards, deadlines, shared purpose, lingering problems and the person; each of the
five regulations moves toward the target its loadings on them give
(``rules.motivation.regulation_targets``; Organismic Integration Theory)."""

from __future__ import annotations

from model.rules import motivation
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, p = world.state, world.params
    drivers = motivation.motivational_drivers(
        sat=s.sat, perceived_support=s.perceived_support,
        shared_purpose=world.param_of_employees("shared_purpose"),
        problem_load=step.problem_load, vitality=s.vitality,
        control_climate=world.policy.control_climate(world),
        contingent_rewards=p.contingent_rewards, time_pressure=step.outcome.pressure,
        autonomy_orientation=s.autonomy_orientation, control_orientation=s.control_orientation,
        drive=s.drive,
    )
    targets = motivation.regulation_targets(
        drivers, sat=s.sat, frus=s.frus, contingent_rewards=p.contingent_rewards,
        problem_load=step.problem_load, helplessness=s.helplessness,
        specific=s.regulation_specific,
    )
    s.reg = motivation.update_regulations(
        s.reg, targets, world.param_of_employees("regulation_rate", column=True))
