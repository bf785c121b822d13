"""Voice: responses to earlier voice move voice efficacy; people speak up about hidden
problems in their team (``rules.problems.voice_probability``; with ``problems_hidden``
off every problem is known as it arrives); the policy may run a
survey that surfaces more (``LeadershipPolicy.surface_issues``). Only known problems can
be addressed, by the formal leader or by those with the right to decide."""

from __future__ import annotations

import numpy as np

from model.rules import problems as rules
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, log, n_teams = world.state, world.problems, world.n_teams
    acted_on = np.bincount(log.take_acted_on(), minlength=n_teams) > 0
    overdue = log.known & ~log.ignored & (world.steps - log.known_since >= rules.RESPONSE_WINDOW)
    log.ignored[overdue] = True
    ignored = np.bincount(log.team[overdue], minlength=n_teams) > 0
    s.voice_efficacy = rules.update_voice_efficacy(
        s.voice_efficacy, acted_on=acted_on[s.team], ignored=ignored[s.team])
    if not world.params.problems_hidden:
        log.make_known(log.hidden, world.steps)
    elif len(log):
        voice = rules.voice_probability(safety=s.perceived_support, efficacy=s.voice_efficacy,
                                        autonomous=s.autonomous, helplessness=s.helplessness)
        chance = rules.team_voice_chance(voice, s.team, s.active, n_teams)
        log.make_known(world.draws(teams=log.team).random(len(log)) < chance[log.team],
                       world.steps)
    world.policy.surface_issues(world)
