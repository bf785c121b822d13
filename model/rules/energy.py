"""Energy: vitality from autonomous motivation and satisfied needs, drained by work and
frustration."""

from __future__ import annotations

import numpy as np

BURNOUT_BELOW = 0.2
"""Energy under which an employee counts as burnt out (and drains colleagues)."""


def update_energy(
    *,
    energy: np.ndarray,
    autonomous: np.ndarray,
    mean_sat: np.ndarray,
    mean_frus: np.ndarray,
    effort_: np.ndarray,
    extra_demand: np.ndarray | float = 0.0,
    recovery: float = 0.2,
) -> np.ndarray:
    """``e ← e + r(v − e) − 0.06·effort − 0.08·frustration − extra demand``, with vitality
    ``v = 0.25 + 0.45·autonomous + 0.3·mean satisfaction``.

    Autonomous motivation and need satisfaction are sources of subjective vitality (Ryan &
    Frederick 1997; Nix et al. 1999); work demands and need frustration deplete it
    (Job Demands–Resources, Bakker & Demerouti 2007; Bartholomew et al. 2011). The extra
    demand is what leading and colliding claims cost on top of one's own work.
    """
    vitality = 0.25 + 0.45 * autonomous + 0.3 * mean_sat
    new = (energy + recovery * (vitality - energy) - 0.06 * effort_ - 0.08 * mean_frus
           - extra_demand)
    return np.clip(new, 0.0, 1.0)
