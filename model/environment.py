"""The task environment: demand that drifts across domains, tasks and problems that arrive."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.rules.leadership import expected_duration
from model.rules.work import work_required

DRIFT_SCALE = 0.5
"""Standard deviation of the per-step change in log-demand at turbulence 1."""

SHOCK_DRIFT = 2.0
"""Standard deviation of the jump in log-demand in a market shock."""


@dataclass
class Environment:
    """Demand over task domains as a random walk in log space, stepping with ``turbulence``."""

    log_demand: np.ndarray
    turbulence: float

    @classmethod
    def start(cls, n_domains: int, turbulence: float) -> Environment:
        return cls(np.zeros(n_domains), turbulence)

    @property
    def demand(self) -> np.ndarray:
        """Share of new tasks in each domain (softmax of log-demand)."""
        z = np.exp(self.log_demand - self.log_demand.max())
        return z / z.sum()

    def drift(self, rng: np.random.Generator) -> None:
        """``log d ← log d + turbulence · N(0, 0.5²)``: an unpredictable, changing market."""
        self.log_demand = self.log_demand + self.turbulence * rng.normal(
            0.0, DRIFT_SCALE, size=self.log_demand.shape
        )

    def shock(self, rng: np.random.Generator, jump: float) -> None:
        """A market shock: turbulence jumps by ``jump`` (at most 1) and demand reshuffles."""
        self.turbulence = min(1.0, self.turbulence + jump)
        self.log_demand = self.log_demand + rng.normal(0.0, SHOCK_DRIFT, size=self.log_demand.shape)

    def new_tasks(
        self, rng: np.random.Generator, expected: float, complexity: float, team_size: int,
        patience: int, step: int, size: float = 1.0,
    ) -> dict[str, np.ndarray]:
        """Tasks arriving this step: Poisson count, domain by demand, Beta complexity.

        Interdependence grows with complexity: ``needed = 1 + Binomial(team_size − 1,
        complexity / 2)``; the work is ``size`` times ``rules.work.work_required``. The
        deadline leaves the planned duration (``rules.leadership.expected_duration``) and
        a slack that turbulence shortens: ``deadline = step + planned + patience · (1 −
        turbulence / 2)``. A task's value is its domain's demand relative to an even
        spread.
        """
        k = int(rng.poisson(expected))
        demand = self.demand
        domain = rng.choice(len(demand), size=k, p=demand)
        c = np.clip(complexity, 0.02, 0.98)
        task_complexity = rng.beta(6 * c, 6 * (1 - c), size=k)
        needed = 1 + rng.binomial(team_size - 1, task_complexity / 2)
        work = size * work_required(needed, task_complexity)
        slack = patience * (1.0 - self.turbulence / 2)
        lifetime = np.maximum(1, np.round(expected_duration(work, needed) + slack)).astype(int)
        return {
            "domain": domain,
            "complexity": task_complexity,
            "needed": needed,
            "value": demand[domain] * len(demand),
            "work_total": work,
            "arrival": np.full(k, step),
            "deadline": step + lifetime,
        }

    def new_problems(
        self, rng: np.random.Generator, rate: float, n_teams: int
    ) -> np.ndarray:
        """Teams hit by a new problem this step: ``Poisson(rate · teams · (0.5 + turbulence))``."""
        k = int(rng.poisson(rate * n_teams * (0.5 + self.turbulence)))
        return rng.integers(n_teams, size=k)
