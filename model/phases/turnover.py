"""Turnover: intention follows frustration, satisfaction, motivation, exhaustion and
vitality, and the person's propensity to leave; quitting acts through intention
(``rules.turnover``; Tett & Meyer 1993) and, whatever one intends, for reasons outside
work (``outside_quit_rate``; Abelson 1987), for the formal leader too
(``leader_may_quit``; its leaving starts the succession); vacancies are filled after
``hiring_delay`` steps."""

from __future__ import annotations

import numpy as np

from model import rows
from model.codes import NO_LEADER
from model.rules import turnover
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, p = world.state, world.params
    target = turnover.intention_target(
        mean_frus=rows.mean(s.frus), mean_sat=rows.mean(s.sat), autonomous=s.autonomous,
        exhaustion=s.exhaustion, vitality=s.vitality, propensity=s.leaving_propensity,
    )
    s.turnover_intention = turnover.update_intention(intention=s.turnover_intention,
                                                     target=target)
    quits = s.active & (world.draws(slots=slice(None)).random(s.n) < turnover.quit_probability(
        intention=s.turnover_intention, quit_rate=world.param_of_employees("quit_rate"),
        outside_rate=world.param_of_employees("outside_quit_rate")))
    if not p.leader_may_quit:  # the formal leader leaves only by an event
        leaders = np.atleast_1d(world.leader)
        quits[leaders[leaders != NO_LEADER]] = False
    leaving = np.flatnonzero(quits)
    world.exit(leaving)
    step.events.exits += world.tally(world.slot_org[leaving])

    vacant = ~s.active
    s.vacancy_timer[vacant] -= 1
    hired = np.flatnonzero(vacant & (s.vacancy_timer < 0))
    world.hire(hired, founders=False)
    step.events.hires = world.tally(world.slot_org[hired])
