"""Leadership policies. Each is one class; see ``base.py`` for how to add one.

Every module in this folder is imported when the package is (the three built-in policies
first, then the others by name), so a policy written in a new file here with
``@register_policy`` is known to the parameters, ``python -m model``, the sweeps and the
app without being listed anywhere.
"""

import importlib
import pkgutil

from model.policies.base import LeadershipPolicy, get_policy, policy_names, register_policy

BUILT_IN = ("heroic", "distributed", "fostering")
"""The built-in policies' modules, registered first and in this order."""

_NOT_POLICIES = {"base", "allocation"}


def _discover() -> None:
    """Import the built-in policies, then every other module of this folder."""
    others = sorted(m.name for m in pkgutil.iter_modules(__path__))
    for module in [*BUILT_IN, *others]:
        if module not in _NOT_POLICIES:
            importlib.import_module(f"{__name__}.{module}")


_discover()

from model.policies.distributed import DistributedPolicy  # noqa: E402
from model.policies.fostering import FosteringPolicy  # noqa: E402
from model.policies.heroic import HeroicPolicy  # noqa: E402

__all__ = [
    "DistributedPolicy",
    "FosteringPolicy",
    "HeroicPolicy",
    "LeadershipPolicy",
    "get_policy",
    "policy_names",
    "register_policy",
]
