"""The Mesa model: an organisation of employees on a collaboration network.

A shell around ``model.world.World``: it builds the world and one Mesa agent per employee,
runs the phases of ``model.phases.SCHEDULE`` on the world each step (docs/ODD.md §3), and
collects the outputs. Everything the model does is in the phases and the rules.
"""

from __future__ import annotations

import inspect
import numbers
from typing import Any

import numpy as np
from mesa import Model
from mesa.discrete_space import Network

from model.agents import Employee
from model.codes import NO_LEADER
from model.metrics import MODEL_OUTPUTS, OrganisationDataCollector, model_outputs
from model.params import Parameters, check_names
from model.phases import SCHEDULE
from model.world import CountingRoster, Step, StepEvents, World

_NETWORK_TAKES_LAYOUT = "layout" in inspect.signature(Network.__init__).parameters
MARKET_SHOCK_JUMP = 0.4
"""How far a market shock raises turbulence (capped at 1)."""


def _check_rng(rng: Any) -> None:
    ok = (
        rng is None
        or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool) and rng >= 0)
        or isinstance(rng, np.random.SeedSequence | np.random.Generator)
    )
    if not ok:
        raise ValueError(
            f"rng={rng!r} is not allowed; allowed: None, a non-negative integer, "
            "a numpy SeedSequence or a numpy Generator"
        )


def _copy_of(seed: np.random.SeedSequence) -> np.random.SeedSequence:
    """A SeedSequence that gives what ``seed`` gives now, so that the same seed object
    passed twice builds the same organisation twice (spawning a child advances a
    SeedSequence)."""
    return np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key,
                                  pool_size=seed.pool_size,
                                  n_children_spawned=seed.n_children_spawned)


class OrganisationModel(Model):
    """An organisation under a leadership policy. Keyword arguments: see ``Parameters``.

    >>> m = OrganisationModel(n_employees=200, policy="distributed", turbulence=0.6, rng=7)
    >>> for _ in range(50):
    ...     m.step()
    >>> df = m.datacollector.get_model_vars_dataframe()
    """

    def __init__(self, rng: Any = None, *, mesa_agents: bool = True, **kwargs: Any) -> None:
        """``mesa_agents=False``: no Mesa agents and no network space (``grid`` None); the
        world numbers people as Mesa would (``CountingRoster``: the founders 1 to N in
        slot order, then each who joins the next). For what reads only the world, as an
        organisation batch does (``experiments.simulate.run_batch``)."""
        check_names(kwargs)
        params = Parameters(**kwargs)
        _check_rng(rng)
        if isinstance(rng, np.random.SeedSequence):  # spawning from it (the market's stream)
            rng = _copy_of(rng)                        # must not change the caller's seed
        super().__init__(rng=rng)
        self._agents_by_slot: list[Employee | None] = [None] * params.n_employees
        self.world = World(params, self.rng,
                           roster=_AgentRoster(self) if mesa_agents else CountingRoster())
        layout = {"layout": None} if _NETWORK_TAKES_LAYOUT else {}
        self.grid = (Network(self.world.graph, capacity=1, random=self.random, **layout)
                     if mesa_agents else None)
        self.world.found()

        self.metrics = model_outputs(self.world, StepEvents())
        self.datacollector = OrganisationDataCollector(
            {name: (lambda m, k=name: m.metrics[k]) for name in MODEL_OUTPUTS},
            collect_agents=params.collect_agents,
            agent_every=params.agent_every,
            n_domains=params.n_domains,
        )
        self.datacollector.collect(self)
        self.interventions: list[tuple[int, dict[str, Any]]] = []
        """Every intervention so far: the step after which it took effect, and what."""
        self.recording = True
        """Whether a step computes and collects the outputs. Off, a step only runs the
        phases (``metrics`` keeps the last recorded step's): ``run_model`` turns it off
        for steps whose outputs nobody keeps. Outputs never feed back into the model."""

    def step(self) -> None:
        """One step: every phase of ``SCHEDULE`` in order, then data collection."""
        self.world.steps = self.steps
        step = Step()
        for phase in SCHEDULE:
            phase.run(self.world, step)
        if self.recording:
            self.metrics = model_outputs(self.world, step.events)
            self.datacollector.collect(self)

    # ------------------------------------------------------------------ events
    def remove_leader(self) -> int | None:
        """The leader leaves now (under distributed: the most active emergent leader).

        Under a formal-leader policy, allocation stalls until a successor takes over after
        ``succession_delay`` steps. Returns the ``unique_id`` of who left, or None.
        """
        return self.world.remove_leader()

    def intervene(self, **changes: Any) -> None:
        """Change parameters of the running organisation, from the next step on: the leader
        becomes autonomy-supportive, pay is tied to output, protocols are written, the
        organisation moves to another leadership policy (``World.intervene``; the
        founding parameters of ``INIT_ONLY`` cannot change). Validated like any parameter;
        recorded in ``interventions`` as ``(step, changes)``.

        >>> m = OrganisationModel(policy="heroic", rng=3)
        >>> for _ in range(50):
        ...     m.step()
        >>> m.intervene(leader_autonomy_support=0.9, policy="fostering")
        """
        check_names(changes)
        self.world.intervene(changes)
        self.interventions.append((self.steps, dict(changes)))

    def market_shock(self, jump: float = MARKET_SHOCK_JUMP) -> None:
        """A market shock now: turbulence jumps by ``jump`` (capped at 1), demand reshuffles."""
        if not 0.0 <= float(jump) <= 1.0:
            raise ValueError(f"jump={jump!r} is not allowed; allowed: [0.0, 1.0]")
        self.world.environment.shock(self.world.env_rng, float(jump))

    # ------------------------------------------------------------------ views
    @property
    def params(self) -> Parameters:
        return self.world.params

    @property
    def state(self):
        """The employees' state arrays (``model.state.EmployeeState``)."""
        return self.world.state

    @property
    def tasks(self):
        return self.world.tasks

    @property
    def problems(self):
        return self.world.problems

    @property
    def ties(self):
        return self.world.ties

    @property
    def environment(self):
        return self.world.environment

    @property
    def policy(self):
        return self.world.policy

    @property
    def leader(self) -> int:
        """Slot of the formal leader (``NO_LEADER`` = -1 without one)."""
        return self.world.leader

    @property
    def succession_timer(self) -> int:
        return self.world.succession_timer

    @property
    def protocol_coverage(self) -> float:
        return self.world.protocol_coverage

    @property
    def turbulence(self) -> float:
        """Current turbulence (the parameter, raised by market shocks)."""
        return self.world.environment.turbulence

    @property
    def formal_leader(self) -> Employee | None:
        leader = self.world.leader
        return None if leader == NO_LEADER else self._agents_by_slot[leader]

    def employee_at(self, slot: int) -> Employee | None:
        return self._agents_by_slot[slot]

    def lead_pairs_in_window(self) -> tuple[np.ndarray, np.ndarray]:
        """(lead, member) slot pairs of every task led in the recent window."""
        return self.world.lead_pairs_in_window()

    def release(self) -> None:
        """Free the model's agents and space now (a finished model is also freed by the
        garbage collector; this only makes it immediate)."""
        self.remove_all_agents()
        self._agents_by_slot = []


class _AgentRoster:
    """The world's roster in a Mesa model: one ``Employee`` agent per occupied slot, on
    that slot's node of the network."""

    def __init__(self, model: OrganisationModel) -> None:
        self.model = model

    def join(self, slot: int) -> int:
        agent = Employee(self.model, slot, self.model.grid[slot])
        self.model._agents_by_slot[slot] = agent
        return agent.unique_id

    def leave(self, slot: int) -> None:
        agent = self.model._agents_by_slot[slot]
        if agent is not None:
            agent.remove()
            self.model._agents_by_slot[slot] = None
