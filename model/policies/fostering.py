"""Fostering independence: from heroic toward distributed leadership, as a process."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from model.codes import NO_LEADER
from model.policies.allocation import ready_to_lead, self_organise
from model.policies.base import register_policy
from model.policies.heroic import HeroicPolicy


@register_policy
class FosteringPolicy(HeroicPolicy):
    """Starts heroic. The leader addresses problems right away (lingering problems tell
    people their work does not matter), builds protocols and hands decision rights to
    employees who are able, energised and supported.

    Hand-over progress ``h`` grows by ``protocol_build_rate`` a step while a leader is in
    place; protocol coverage is ``c₀ + (1 − c₀)·h`` and at most a share ``h`` of employees
    hold decision rights, the readiest first. Employees with rights self-organise as under
    distributed leadership, before the leader staffs what is left; the others wait for the
    leader.
    """

    name = "fostering"
    has_formal_leader = True
    description: ClassVar[str] = (
        "The leader starts in charge, solves problems at once, builds shared procedures "
        "and hands decisions to people as they become ready."
    )
    problems_first = True

    def __init__(self, world) -> None:
        super().__init__(world)
        self.handover = 0.0
        self.initial_coverage = world.params.protocol_coverage

    def allocate(self, world, ctx) -> None:
        self._hand_over_rights(world, ctx)
        self_organise(world, ctx, self.may_act(world))
        super().allocate(world, ctx)

    def may_act(self, world) -> np.ndarray:
        return world.state.active & world.state.decision_rights

    def control_climate(self, world) -> np.ndarray:
        climate = super().control_climate(world)
        return np.where(world.state.decision_rights, 0.5 * climate, climate)

    def idle_support(self, world, ctx) -> np.ndarray:
        return np.where(world.state.decision_rights, ctx.support, super().idle_support(world, ctx))

    def after_step(self, world) -> None:
        if world.leader != NO_LEADER:
            self.handover = min(1.0, self.handover + world.params.protocol_build_rate)
            c0 = self.initial_coverage
            world.protocol_coverage = c0 + (1.0 - c0) * self.handover

    def _hand_over_rights(self, world, ctx) -> None:
        """Ready employees (able, energised, supported) receive rights up to the quota."""
        if world.leader == NO_LEADER:
            return
        s = world.state
        quota = int(self.handover * s.active.sum()) - int(s.decision_rights.sum())
        ready = ready_to_lead(world, ctx) & ~s.decision_rights
        ready[world.leader] = False
        candidates = np.flatnonzero(ready)
        if quota <= 0 or len(candidates) == 0:
            return
        c = candidates
        readiness = s.skills[c].max(axis=1) + s.energy[c] + ctx.support[c]
        s.decision_rights[candidates[np.argsort(-readiness)[:quota]]] = True
