"""Initiative: idle people take up work nobody asked for, in the domain they know best
(``rules.leadership.opportunity_chance``; Frese & Fay 2001). Where they may act on it
(distributed leadership; a decision right under fostering) it joins the task board at
once, and its proposer, stepping forward with it, weighs it against the waiting work it
looks at, nobody else hearing of it in its first week
(``policies.allocation.claim_waiting_tasks``). Where only the formal leader decides, it
joins the board only if its proposer voices it (promotive voice has the antecedents of
voice about problems, ``rules.problems.voice_probability``: Morrison 2014; Liang, Farh &
Farh 2012), and the leader hears of it then, as of any task, after ``report_lag``; an
idea not voiced is lost, and one nobody takes up by its last week lapses (not counted as
failed work, ``phases.work``). Either way, once on the board it is a task like those the
market sends: valued by the market's demand for its domain (``rules.market.task_value``),
planned as they are (``phases.arrivals.plan``) and taken or left by the same rules.
Its draws come from the organisation's own stream, never the market's, so the market
meets every policy alike. Nothing happens with ``initiative_rate`` 0."""

from __future__ import annotations

import numpy as np

from model import channels
from model.phases.arrivals import plan
from model.rules import leadership, market
from model.rules import problems as problem_rules
from model.world import Step, World


def run(world: World, step: Step) -> None:
    if not world.draws_for("initiative_rate"):
        return
    s = world.state
    autonomous = s.autonomous
    chance = leadership.opportunity_chance(
        autonomous=autonomous, energy=s.energy, helplessness=s.helplessness,
        rate=world.param_of_employees("initiative_rate"))
    sees = world.idle_mask() & (world.draws(slots=slice(None)).random(s.n) < chance)
    proposers = np.flatnonzero(sees)
    if len(proposers) == 0:
        return
    voice = problem_rules.voice_probability(
        safety=s.perceived_support[proposers], efficacy=s.voice_efficacy[proposers],
        autonomous=autonomous[proposers], helplessness=s.helplessness[proposers])
    voiced = world.draws(slots=proposers).random(len(proposers)) < voice
    proposers = proposers[world.policy.may_act(world)[proposers] | voiced]
    if len(proposers) == 0:
        return
    org = world.slot_org[proposers]
    domain = np.argmax(s.skills[proposers], axis=1)  # the one it knows best (the first)
    shares = market.demand_shares(np.array([env.log_demand for env, _, _ in world.markets()]))
    # complexity as the market's tasks draw it (each organisation's mix)
    a, b = np.array([channels.beta_shape(c) for c in world.each_org("task_complexity")])[org].T
    new = {"domain": domain, "org": org, "proposer": proposers,
           "value": market.task_value(shares[org], domain),
           "complexity": world.draws(slots=proposers).beta(a, b, size=len(proposers))}
    plan(world, new, stream="own")
    new.pop("person_weeks")
    world.add_tasks(new)
    step.events.initiated = world.tally(org)
