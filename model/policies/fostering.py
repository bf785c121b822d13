"""Fostering independence: from heroic toward distributed leadership, as a process."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from model.allocation import self_organise
from model.codes import NO_LEADER
from model.policies.base import register_policy
from model.policies.heroic import HeroicPolicy


@register_policy
class FosteringPolicy(HeroicPolicy):
    """Starts heroic. The leader addresses problems right away (lingering problems tell
    people their work does not matter), builds protocols (``protocol_build_rate`` per step)
    and hands decision rights to employees who are able, energised and supported, at a pace
    set by how far the protocols reach. Employees with rights self-organise as under
    distributed leadership; the others wait for the leader.
    """

    name = "fostering"
    has_formal_leader = True
    description: ClassVar[str] = (
        "The leader starts in charge, solves problems at once, builds shared procedures "
        "and hands decisions to people as they become ready."
    )
    problems_first = True

    def allocate(self, model, ctx) -> None:
        self._hand_over_rights(model, ctx)
        super().allocate(model, ctx)
        self_organise(model, ctx, self.may_act(model))

    def may_act(self, model) -> np.ndarray:
        return model.state.active & model.state.decision_rights

    def control_climate(self, model) -> np.ndarray:
        climate = super().control_climate(model)
        return np.where(model.state.decision_rights, 0.5 * climate, climate)

    def idle_support(self, model, ctx) -> np.ndarray:
        return np.where(model.state.decision_rights, ctx.support, super().idle_support(model, ctx))

    def after_step(self, model) -> None:
        if model.leader != NO_LEADER:
            model.protocol_coverage = min(
                1.0, model.protocol_coverage + model.params.protocol_build_rate
            )

    def _hand_over_rights(self, model, ctx) -> None:
        """Eligible employees receive decision rights with probability = protocol coverage."""
        if model.leader == NO_LEADER:
            return
        s, p = model.state, model.params
        ready = (
            s.active & ~s.decision_rights
            & (s.skills.max(axis=1) >= p.claim_competence)
            & (s.energy >= p.claim_energy)
            & (ctx.support >= p.claim_support)
        )
        ready[model.leader] = False
        s.decision_rights |= ready & (model.rng.random(s.n) < model.protocol_coverage)
