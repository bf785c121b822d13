"""Agent-based model of autonomous motivation (SDT) in organisations.

>>> from model import OrganisationModel
>>> m = OrganisationModel(n_employees=200, policy="distributed", turbulence=0.6, rng=7)

The names below are imported on first use (PEP 562), so that ``import model.rules.x``
does not pull in Mesa: a student can test a rule in a fraction of a second.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "MODEL_OUTPUTS": "model.metrics",
    "Employee": "model.agents",
    "LeadershipPolicy": "model.policies",
    "OrganisationModel": "model.organisation",
    "Parameters": "model.params",
    "World": "model.world",
    "register_policy": "model.policies",
}

__all__ = [  # the names of _EXPORTS, spelled out for tools that read __all__
    "MODEL_OUTPUTS",
    "Employee",
    "LeadershipPolicy",
    "OrganisationModel",
    "Parameters",
    "World",
    "register_policy",
]

if TYPE_CHECKING:
    from model.agents import Employee
    from model.metrics import MODEL_OUTPUTS
    from model.organisation import OrganisationModel
    from model.params import Parameters
    from model.policies import LeadershipPolicy, register_policy
    from model.world import World


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'model' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
