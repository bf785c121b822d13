"""Heroic leadership: one formal leader decides who does what."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from model.allocation import leader_decides
from model.codes import NO_LEADER
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

    def allocate(self, model, ctx) -> None:
        leader_decides(model, model.params.leader_capacity, self.problems_first)

    def may_act(self, model) -> np.ndarray:
        return np.zeros(model.state.n, dtype=bool)

    def control_climate(self, model) -> np.ndarray:
        if model.leader == NO_LEADER:
            return np.zeros(model.state.n)
        return np.full(model.state.n, 1.0 - model.params.leader_autonomy_support)

    def idle_support(self, model, ctx) -> np.ndarray:
        if model.leader == NO_LEADER:
            return np.full(model.state.n, 0.5)
        style = model.params.leader_autonomy_support
        return leadership.exchange_latitude(style, model.ties.strength_to(model.leader))

    def remove_leader(self, model) -> int:
        return model.leader
