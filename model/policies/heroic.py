"""Heroic leadership: one formal leader decides who does what."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from model.codes import NO_LEADER
from model.policies.allocation import leader_decides, supervisors_decide
from model.policies.base import LeadershipPolicy, register_policy
from model.rules import leadership
from model.rules.experiences import controlling_beyond_neutral


@register_policy
class HeroicPolicy(LeadershipPolicy):
    """One formal leader decides who does what, and nobody else may start work or solve
    problems: a bottleneck and a single point of failure (Leavitt 1951). A bounded hub,
    not a dispatcher (Galbraith 1974; Radner 1993): news reaches it after
    ``report_lag`` steps; one attention budget (``leader_capacity``, less when it is
    drained, grown with headcount under ``span_of_control``, whose team supervisors lead
    its teams and decide what exceptions they can inside them) a step covers the
    exceptions of the teams it runs that reach it, problems, staffing (more for bigger,
    more complex tasks; Shaw 1964) and, without span of control, with what is left,
    coordinating its teams (``span_attention``);
    it triages and lets go of what it cannot staff in time (``leader_queue``). It staffs by
    its own estimates of skills, which go stale as turbulence moves know-how (Hayek 1945).
    Its style (``leader_autonomy_support``) shapes the autonomy experience of everyone it
    leads (Deci, Olafsen & Ryan 2017), with more latitude for those close to it (Graen &
    Uhl-Bien 1995). See ``model.policies.allocation.leader_decides``.
    """

    name = "heroic"
    has_formal_leader = True
    description: ClassVar[str] = (
        "One formal leader decides who does what; everything waits for that leader."
    )
    problems_first: ClassVar[bool] = False

    def allocate(self, world, ctx) -> None:
        supervisors_decide(world, ctx)
        leader_decides(world, problems_first=self.problems_first, costs=ctx.costs,
                       staffed=ctx.staffed)

    def may_act(self, world) -> np.ndarray:
        return np.zeros(world.state.n, dtype=bool)

    def control_climate(self, world) -> np.ndarray:
        """The formal leader's style as felt pressure, read as every act and climate is:
        only as far as it is controlling beyond neutral (``controlling_beyond_neutral``,
        ODD item 40; it was ``1 − σ``, so that a neutral leader pressed everyone as a
        half-controlling one would, and a peer lead's acts never did)."""
        pressure = controlling_beyond_neutral(
            world.param_of_employees("leader_autonomy_support"))
        if world.orgs > 1:  # where an organisation has its formal leader
            return np.where(world.leader[world.slot_org] != NO_LEADER, pressure, 0.0)
        if world.leader == NO_LEADER:
            return np.zeros(world.state.n)
        return np.full(world.state.n, pressure)

    def idle_support(self, world, ctx) -> np.ndarray:
        style = world.param_of_employees("leader_autonomy_support")
        if world.orgs > 1:  # each organisation's leader, to those of its own
            present = world.leader != NO_LEADER
            tie = world.ties.strength_to(world.leader[present])
            return np.where(present[world.slot_org],
                            leadership.exchange_latitude(support=style, tie_to_leader=tie), 0.5)
        if world.leader == NO_LEADER:
            return np.full(world.state.n, 0.5)
        return leadership.exchange_latitude(support=style,
                                            tie_to_leader=world.ties.strength_to(world.leader))

    def remove_leader(self, world) -> int:
        return world.leader
