"""Heroic leadership: one formal leader decides who does what."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from model.codes import NO_LEADER
from model.policies.allocation import leader_decides
from model.policies.base import LeadershipPolicy, register_policy
from model.rules import leadership


@register_policy
class HeroicPolicy(LeadershipPolicy):
    """One formal leader sees up to ``leader_capacity`` decisions a step and staffs tasks by
    its own, slowly updated estimate of skills; nobody else may start work or solve
    problems. A bottleneck and a single point of failure (Leavitt 1951), saturated first
    by complex tasks (Shaw 1964); its style (``leader_autonomy_support``) shapes the
    autonomy experience of everyone it leads (Deci, Olafsen & Ryan 2017), with more
    latitude for those close to it (Graen & Uhl-Bien 1995).
    """

    name = "heroic"
    has_formal_leader = True
    description: ClassVar[str] = (
        "One formal leader decides who does what; everything waits for that leader."
    )
    problems_first: ClassVar[bool] = False

    def allocate(self, world, ctx) -> None:
        leader_decides(world, world.params.leader_capacity, self.problems_first)

    def may_act(self, world) -> np.ndarray:
        return np.zeros(world.state.n, dtype=bool)

    def control_climate(self, world) -> np.ndarray:
        if world.leader == NO_LEADER:
            return np.zeros(world.state.n)
        return np.full(world.state.n, 1.0 - world.params.leader_autonomy_support)

    def idle_support(self, world, ctx) -> np.ndarray:
        if world.leader == NO_LEADER:
            return np.full(world.state.n, 0.5)
        style = world.params.leader_autonomy_support
        return leadership.exchange_latitude(style, world.ties.strength_to(world.leader))

    def remove_leader(self, world) -> int:
        return world.leader
