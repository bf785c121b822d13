"""The task environment: demand that moves across domains and reverts, tasks and problems
that arrive (the rules are in ``model.rules.market``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model import channels
from model.rules import market

SHOCK_DRIFT = 2.0
"""Standard deviation of the jump in log-demand in a market shock."""


def pick_by_shares(shares: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """For each uniform draw, the index ``Generator.choice(p=…)`` picks with it among the
    shares of its row (one row per draw): the number of normalised cumulative shares
    at or below it (numpy searches the cumulative distribution so, ``side="right"``).
    With ``k`` draws of ``rng.random(k)``, ``choice(len(shares), size=k, p=shares)`` to the
    last bit and generator state, without its checks."""
    cdf = shares.cumsum(axis=-1)
    cdf /= cdf[..., -1:]
    return np.count_nonzero(cdf <= uniform[..., None], axis=-1)


def drift(markets: list[tuple[Environment, np.random.Generator]],
          turbulence: list[float]) -> None:
    """One week of unpredictable, changing, stationary markets
    (``rules.market.revert_demand``), each at its ``turbulence``: each draws its shocks
    from its own stream, as alone; the arithmetic is done once for all."""
    noise = np.array([rng.standard_normal(env.log_demand.shape) for env, rng in markets])
    moved = market.revert_demand(np.array([env.log_demand for env, _ in markets]),
                                 np.array(turbulence)[:, None], noise)
    for (env, _), log_demand in zip(markets, moved, strict=True):
        env.log_demand = log_demand


def draw_tasks(markets: list[tuple[Environment, np.random.Generator]],
               expected: list[float], complexity: list[float]) -> dict[str, np.ndarray]:
    """The tasks arriving this step in each market, in market order (``org``: whose), as
    drawn: ``Poisson(expected)`` of them, each one's domain by demand and its complexity
    ``κ ~ Beta(6c, 6(1 − c))``, and its value (``rules.market.task_value``, mean 1).

    Each market draws from its own stream what it would draw alone (its count, then its
    tasks' domains, then their complexity); the arithmetic is done once for all markets
    (an organisation batch holds one market per organisation)."""
    shares = market.demand_shares(np.array([env.log_demand for env, _ in markets]))
    counts, uniform, drawn_complexity = [], [], []
    for (_, rng), rate, mean in zip(markets, expected, complexity, strict=True):
        k = int(rng.poisson(rate))
        uniform.append(rng.random(k))
        drawn_complexity.append(rng.beta(*channels.beta_shape(mean), size=k))
        counts.append(k)
    org = np.repeat(np.arange(len(markets)), counts)
    met = shares[org]  # the demand each task met
    domain = pick_by_shares(met, np.concatenate(uniform))
    return {"domain": domain, "complexity": np.concatenate(drawn_complexity),
            "value": market.task_value(met, domain), "org": org}


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
        """One week of this market (``drift``), at ``turbulence`` if given (a frozen
        channel), else the market's own."""
        drift([(self, rng)], [self.turbulence if turbulence is None else turbulence])

    def shock(self, rng: np.random.Generator, jump: float) -> None:
        """A market shock: turbulence jumps by ``jump`` (at most 1) and demand reshuffles."""
        self.turbulence = min(1.0, self.turbulence + jump)
        self.log_demand = self.log_demand + rng.normal(0.0, SHOCK_DRIFT, size=self.log_demand.shape)

    def new_tasks(
        self, rng: np.random.Generator, expected: float, complexity: float, team_size: int,
        patience: int, step: int, size: float = 1.0, optimism: float = 0.0,
        frozen: frozenset[str] = frozenset(), references: tuple[float, float] = (0.3, 0.5),
    ) -> dict[str, np.ndarray]:
        """Tasks arriving this step: Poisson count, domain by demand, Beta complexity
        (``draw_tasks``), the members each needs (``needed_members``) and the work and
        deadline planned for it (``planned_work``).

        Returns the task columns and, under ``person_weeks``, what each task asks.
        ``frozen``: the channels of ``model.channels`` held at their reference levels,
        ``references`` (turbulence, mean complexity): interdependence, skill demands in
        the plan, deadline slack.
        """
        turbulence_ref, complexity_ref = references
        drawn = self.draw_tasks(rng, expected, complexity)
        drawn["needed"] = needed_members(rng, drawn["complexity"], team_size, frozen=frozen,
                                         mean=complexity, reference=complexity_ref)
        return {**drawn, **planned_work(
            complexity=drawn["complexity"], needed=drawn["needed"], mean_complexity=complexity,
            team_size=team_size, size=size, optimism=optimism, step=step, frozen=frozen,
            complexity_reference=complexity_ref,
            slack=self.deadline_slack(patience, frozen, turbulence_ref))}

    def draw_tasks(self, rng: np.random.Generator, expected: float,
                   complexity: float) -> dict[str, np.ndarray]:
        """The tasks arriving this step in this market as drawn (``draw_tasks``)."""
        drawn = draw_tasks([(self, rng)], [expected], [complexity])
        del drawn["org"]
        return drawn

    def deadline_slack(self, patience: int, frozen: frozenset[str] = frozenset(),
                       reference: float = 0.3) -> float:
        """Weeks a deadline leaves beyond the plan: ``patience · (1 − turbulence / 2)``
        (turbulence at its ``reference`` with the ``deadline_slack`` channel frozen)."""
        return patience * (1.0 - channels.turbulence_seen("deadline_slack", self.turbulence,
                                                           frozen, reference) / 2)

    def new_problems(
        self, rng: np.random.Generator, rate: float, n_teams: int,
        turbulence: float | None = None,
    ) -> np.ndarray:
        """Teams hit by a new problem this step: ``Poisson(rate · teams · (0.5 + turbulence))``
        (``turbulence`` if given, a frozen channel, else the market's own)."""
        moving = self.turbulence if turbulence is None else turbulence
        k = int(rng.poisson(rate * n_teams * (0.5 + moving)))
        if k == 0:  # most weeks: a draw of none, without its cost (it moves no generator)
            return np.zeros(0, dtype=np.int64)
        return rng.integers(n_teams, size=k)


def needed_members(rng: Any, complexity: np.ndarray, team_size: int, *,
                   frozen: frozenset[str] = frozenset(), mean: float | np.ndarray = 0.5,
                   reference: float = 0.5) -> np.ndarray:
    """Members each task needs: interdependence grows with complexity, ``needed = 1 +
    Binomial(team_size − 1, κ / 2)`` (with the ``interdependence`` channel frozen, κ moved
    to the same quantile at mean ``reference``, ``model.channels``; ``mean``, the
    organisation's mean complexity, is read only then). ``rng``: a generator, or each
    organisation's (``World.draws``)."""
    tied = channels.complexity_seen("interdependence", complexity, frozen, mean=mean,
                                    reference=reference)
    return 1 + rng.binomial(team_size - 1, tied / 2, size=len(tied))


def planned_work(*, complexity: np.ndarray, needed: np.ndarray,
                 mean_complexity: float | np.ndarray,
                 team_size: int, size: float, optimism: float, step: int,
                 slack: float | np.ndarray, late_acceptance: float | np.ndarray = 0.0,
                 frozen: frozenset[str] = frozenset(),
                 complexity_reference: float = 0.5) -> dict[str, np.ndarray]:
    """The work and deadline planned for tasks arriving at ``step``: the person-weeks each
    asks (``rules.market.person_weeks``, which do not grow with the organisation's mean
    complexity); its work, those person-weeks at the planned pace
    (``rules.market.planned_pace``); its deadline, the planned duration
    (``rules.market.planned_duration``, as optimistic as ``optimism``), a reserve in
    proportion to it and ``slack`` (``rules.market.time_allowed``):
    ``deadline = step + max(1, round(planned · (1 + SCHEDULE_RESERVE) + slack))``; the
    last week the client still takes it late, ``late_acceptance`` weeks past the deadline
    per week it allowed (``rules.market.last_week``).
    ``frozen`` channels are seen at their reference (interdependence, skill demands in the
    plan). ``mean_complexity``: the organisation's, or in an organisation batch each
    task's organisation's."""
    def seen(channel: str) -> np.ndarray:
        return channels.complexity_seen(channel, complexity, frozen, mean=mean_complexity,
                                        reference=complexity_reference)

    moved = seen("interdependence") is not complexity  # needed drawn at the reference's
    asked = market.person_weeks(
        size=size, needed=needed, complexity=complexity, mean_complexity=mean_complexity,
        team_size=team_size, interdependence=complexity_reference if moved else None)
    demands = seen("skill_demands")
    work = asked * market.planned_pace(demands)
    planned = market.planned_duration(work, needed, demands, optimism)
    lifetime = market.time_allowed(planned, slack)
    arrival, deadline = np.full(len(work), step), step + lifetime
    return {"work_total": work, "arrival": arrival, "deadline": deadline,
            "last_week": market.last_week(deadline, arrival, late_acceptance),
            "person_weeks": asked}
