"""Comparison mode: heroic and distributed leadership side by side on the same seed."""

from __future__ import annotations

from typing import Any

from mesa import Model

from model.organisation import OrganisationModel

COMPARED = ("heroic", "distributed")
"""The policies comparison mode runs side by side."""


class ComparisonModel(Model):
    """Heroic and distributed leadership side by side: the same parameters, the same seed
    (so the same network and the same people at the start) and the same events."""

    def __init__(self, rng: Any = None, **kwargs: Any) -> None:
        # (named ``kwargs``, as Mesa's SolaraViz expects of a catch-all)
        super().__init__(rng=rng)
        kwargs.pop("policy", None)
        self.twins = {policy: OrganisationModel(policy=policy, rng=rng, **kwargs)
                      for policy in COMPARED}

    def step(self) -> None:
        for twin in self.twins.values():
            twin.step()

    def remove_leader(self) -> dict[str, int | None]:
        return {policy: twin.remove_leader() for policy, twin in self.twins.items()}

    def market_shock(self) -> None:
        for twin in self.twins.values():
            twin.market_shock()


def organisations(model: Model) -> dict[str, OrganisationModel]:
    """The organisations a page shows: one, or the two twins of a comparison."""
    if isinstance(model, ComparisonModel):
        return model.twins
    return {model.params.policy: model}


