"""The task environment: demand that moves across domains and reverts, tasks and problems
that arrive (the rules are in ``model.rules.market``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model import channels
from model.rules import market

SHOCK_DRIFT = 2.0
"""Standard deviation of the jump in log-demand in a market shock."""


def draw_by_shares(rng: np.random.Generator, shares: np.ndarray, k: int) -> np.ndarray:
    """``k`` indices drawn with probabilities ``shares``: ``rng.choice(len(shares), size=k,
    p=shares)`` to the last bit and generator state (numpy's own algorithm: a search of
    uniform draws in the normalised cumulative shares), without its checks, a third of
    its cost."""
    cdf = np.cumsum(shares)
    cdf /= cdf[-1]
    return cdf.searchsorted(rng.random(k), side="right")


@dataclass
class Environment:
    """Demand over task domains, mean-reverting in log space, moving with ``turbulence``."""

    log_demand: np.ndarray
    turbulence: float

    @classmethod
    def start(cls, n_domains: int, turbulence: float) -> Environment:
        return cls(np.zeros(n_domains), turbulence)

    @property
    def demand(self) -> np.ndarray:
        """Share of new tasks in each domain (``rules.market.demand_shares``)."""
        return market.demand_shares(self.log_demand)

    def drift(self, rng: np.random.Generator, turbulence: float | None = None) -> None:
        """One week of an unpredictable, changing, stationary market
        (``rules.market.revert_demand``), at ``turbulence`` if given (a frozen channel),
        else the market's own."""
        moving = self.turbulence if turbulence is None else turbulence
        self.log_demand = market.revert_demand(
            self.log_demand, moving, rng.standard_normal(self.log_demand.shape))

    def shock(self, rng: np.random.Generator, jump: float) -> None:
        """A market shock: turbulence jumps by ``jump`` (at most 1) and demand reshuffles."""
        self.turbulence = min(1.0, self.turbulence + jump)
        self.log_demand = self.log_demand + rng.normal(0.0, SHOCK_DRIFT, size=self.log_demand.shape)

    def new_tasks(
        self, rng: np.random.Generator, expected: float, complexity: float, team_size: int,
        patience: int, step: int, size: float = 1.0, optimism: float = 0.0,
        frozen: frozenset[str] = frozenset(), references: tuple[float, float] = (0.3, 0.5),
    ) -> dict[str, np.ndarray]:
        """Tasks arriving this step: Poisson count, domain by demand, Beta complexity.

        Interdependence grows with complexity: ``needed = 1 + Binomial(team_size − 1,
        κ / 2)``. The person-weeks a task asks (``rules.market.person_weeks``) do not grow
        with the organisation's mean complexity; its work is those person-weeks at the
        planned pace (``rules.market.planned_pace``). The deadline leaves the planned
        duration (``rules.market.planned_duration``, as optimistic as ``optimism``) and a
        slack that turbulence shortens: ``deadline = step + planned + patience · (1 −
        turbulence / 2)``. A task's value is ``rules.market.task_value`` (mean 1).
        Returns the task columns and, under ``person_weeks``, what each task asks.
        ``frozen``: the channels of ``model.channels`` held at their reference levels,
        ``references`` (turbulence, mean complexity): interdependence, skill demands in
        the plan, deadline slack.
        """
        k = int(rng.poisson(expected))
        demand = self.demand
        domain = draw_by_shares(rng, demand, k)
        c = np.clip(complexity, 0.02, 0.98)
        task_complexity = rng.beta(6 * c, 6 * (1 - c), size=k)
        turbulence_ref, complexity_ref = references

        def seen(channel: str) -> np.ndarray:
            return channels.complexity_seen(channel, task_complexity, frozen,
                                            mean=complexity, reference=complexity_ref)

        tied = seen("interdependence")
        needed = 1 + rng.binomial(team_size - 1, tied / 2)
        moved = tied is not task_complexity  # needed drawn at the reference's quantile
        asked = market.person_weeks(
            size=size, needed=needed, complexity=task_complexity, mean_complexity=complexity,
            team_size=team_size, interdependence=complexity_ref if moved else None)
        demands = seen("skill_demands")
        work = asked * market.planned_pace(demands)
        planned = market.planned_duration(work, needed, demands, optimism)
        slack = patience * (1.0 - channels.turbulence_seen("deadline_slack", self.turbulence,
                                                           frozen, turbulence_ref) / 2)
        lifetime = np.maximum(1, np.round(planned + slack)).astype(int)
        return {
            "domain": domain,
            "complexity": task_complexity,
            "needed": needed,
            "value": market.task_value(demand, domain),
            "work_total": work,
            "arrival": np.full(k, step),
            "deadline": step + lifetime,
            "person_weeks": asked,
        }

    def new_problems(
        self, rng: np.random.Generator, rate: float, n_teams: int,
        turbulence: float | None = None,
    ) -> np.ndarray:
        """Teams hit by a new problem this step: ``Poisson(rate · teams · (0.5 + turbulence))``
        (``turbulence`` if given, a frozen channel, else the market's own)."""
        moving = self.turbulence if turbulence is None else turbulence
        k = int(rng.poisson(rate * n_teams * (0.5 + moving)))
        return rng.integers(n_teams, size=k)
