"""Agent-based model of autonomous motivation (SDT) in organisations.

>>> from model import OrganisationModel
>>> m = OrganisationModel(n_employees=200, policy="distributed", turbulence=0.6, rng=7)
"""

from model.agents import Employee
from model.metrics import MODEL_OUTPUTS
from model.organisation import OrganisationModel
from model.params import Parameters
from model.policies import LeadershipPolicy, register_policy

__all__ = [
    "MODEL_OUTPUTS",
    "Employee",
    "LeadershipPolicy",
    "OrganisationModel",
    "Parameters",
    "register_policy",
]
