"""The leadership policy interface: one class per policy, nothing else changes.

To add a policy, subclass ``LeadershipPolicy``, give it a ``name`` and decorate it with
``@register_policy``; ``OrganisationModel(policy="<name>")`` then uses it::

    @register_policy
    class Rotating(LeadershipPolicy):
        name = "rotating"
        has_formal_leader = False

        def allocate(self, world, ctx):
            ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from model.codes import NO_LEADER

if TYPE_CHECKING:
    from model.world import Step, StepContext, World

_REGISTRY: dict[str, type[LeadershipPolicy]] = {}


def register_policy(cls: type[LeadershipPolicy]) -> type[LeadershipPolicy]:
    """Class decorator: make a policy available by its ``name``."""
    if not getattr(cls, "name", None):
        raise ValueError(f"policy class {cls.__name__} needs a non-empty 'name'")
    _REGISTRY[cls.name] = cls
    return cls


def policy_names() -> tuple[str, ...]:
    """Every registered policy, in registration order: the one list of policies that the
    parameters, ``python -m model``, the app and the docs read."""
    return tuple(_REGISTRY)


def get_policy(name: str) -> type[LeadershipPolicy]:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"policy={name!r} is not a known policy; allowed: "
            + ", ".join(repr(n) for n in _REGISTRY)
        ) from None


class LeadershipPolicy:
    """Decides, each step, who leads which task, who works on it, who addresses problems."""

    name: ClassVar[str] = ""
    has_formal_leader: ClassVar[bool] = False
    description: ClassVar[str] = ""

    def __init__(self, world: World) -> None:
        """Built once per organisation, before anyone is hired."""

    def allocate(self, world: World, ctx: StepContext) -> None:
        """Staff waiting tasks and address problems by changing ``world.state``/``tasks``."""
        raise NotImplementedError

    def may_act(self, world: World) -> np.ndarray:
        """Who may start work or address problems without the formal leader."""
        return world.state.active.copy()

    def control_climate(self, world: World) -> np.ndarray:
        """Controlling pressure each employee is under from formal leadership, in [0, 1]."""
        return np.zeros(world.state.n)

    def idle_support(self, world: World, ctx: StepContext) -> np.ndarray:
        """Autonomy support an employee perceives when not on a task: its peers' support."""
        return ctx.support

    def surface_issues(self, world: World) -> None:
        """Hook after people have voiced problems: bring more hidden ones into the open
        (a fostering leader's surveys)."""

    def after_step(self, world: World, step: Step) -> None:
        """Hook at the end of a step, with what the step did (a fostering leader reviews
        decision rights and builds protocols here)."""

    def remove_leader(self, world: World) -> int:
        """The leader leaves; return the slot that left (or ``NO_LEADER`` if nobody did).

        Without a formal leader, the most active emergent leader of the recent window leaves.
        """
        led = np.where(world.state.active, world.state.led_recently, -1)
        if led.max(initial=-1) <= 0:
            return NO_LEADER
        return int(np.argmax(led))
