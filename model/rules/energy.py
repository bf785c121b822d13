"""Energy: vitality from autonomous motivation and satisfied needs, drained by work and
frustration."""

from __future__ import annotations

import numpy as np

BURNOUT_BELOW = 0.2
"""Energy under which an employee counts as burnt out (and drains colleagues)."""

VITALITY_BASE = 0.25
VITALITY_FROM_AUTONOMOUS = 0.45
"""Vitality gained per unit of autonomous motivation (Ryan & Frederick 1997; Nix et al. 1999)."""
VITALITY_FROM_SATISFACTION = 0.3
"""Vitality gained per unit of mean need satisfaction."""
DRAIN_PER_EFFORT = 0.06
"""Energy a step of full effort costs (job demands, Bakker & Demerouti 2007)."""
DRAIN_PER_FRUSTRATION = 0.08
"""Energy a step of full need frustration costs (Bartholomew et al. 2011)."""
RECOVERY = 0.2
"""Share of the gap to vitality recovered in a step."""


def update_energy(
    *,
    energy: np.ndarray,
    autonomous: np.ndarray,
    mean_sat: np.ndarray,
    mean_frus: np.ndarray,
    effort_: np.ndarray,
    extra_demand: np.ndarray | float = 0.0,
    recovery: float = RECOVERY,
) -> np.ndarray:
    """``e ← e + r(v − e) − 0.06·effort − 0.08·frustration − extra demand``, with vitality
    ``v = 0.25 + 0.45·autonomous + 0.3·mean satisfaction``.

    Autonomous motivation and need satisfaction are sources of subjective vitality (Ryan &
    Frederick 1997; Nix et al. 1999); work demands and need frustration deplete it
    (Job Demands–Resources, Bakker & Demerouti 2007; Bartholomew et al. 2011). The extra
    demand is what leading and colliding claims cost on top of one's own work.
    """
    vitality = (VITALITY_BASE + VITALITY_FROM_AUTONOMOUS * autonomous
                + VITALITY_FROM_SATISFACTION * mean_sat)
    new = (energy + recovery * (vitality - energy) - DRAIN_PER_EFFORT * effort_
           - DRAIN_PER_FRUSTRATION * mean_frus - extra_demand)
    return np.clip(new, 0.0, 1.0)
