"""Distributed leadership: anyone may take the lead where and when it makes sense."""

from __future__ import annotations

from typing import ClassVar

from model.policies.allocation import self_organise
from model.policies.base import LeadershipPolicy, register_policy


@register_policy
class DistributedPolicy(LeadershipPolicy):
    """No formal leader. An employee claims the lead on a waiting task when it benefits the
    organisation, they are equipped, they have the energy and peers support them; peers
    grant the claim through their ties and by the claimant's reputation (DeRue & Ashford
    2010). Each condition is also a cause: a lead's skill and energy make its team's
    coordination, quality and exception handling; leading drains it; peer support draws
    volunteers (Adler, Heckscher & Prusak 2011). The lead recruits on willingness and skill
    fit among its neighbours and, where protocols reach, beyond them; working together
    creates ties. Every team pays coordination unless protocols or its lead cover it.
    Team members with support address their team's problems.
    """

    name = "distributed"
    has_formal_leader = False
    description: ClassVar[str] = (
        "Anyone may take the lead on a task when it helps, they are able and energised, "
        "and their colleagues back them."
    )

    def allocate(self, world, ctx) -> None:
        self_organise(world, ctx, self.may_act(world))
