"""Leadership policies. Each is one class; see ``base.py`` for how to add one."""

from model.policies.base import LeadershipPolicy, get_policy, policy_names, register_policy
from model.policies.distributed import DistributedPolicy
from model.policies.fostering import FosteringPolicy
from model.policies.heroic import HeroicPolicy

__all__ = [
    "DistributedPolicy",
    "FosteringPolicy",
    "HeroicPolicy",
    "LeadershipPolicy",
    "get_policy",
    "policy_names",
    "register_policy",
]
