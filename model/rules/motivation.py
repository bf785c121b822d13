"""Needs and regulations: how experience becomes need satisfaction, and needs become motivation.

Self-Determination Theory (Gagné & Deci 2005; Deci, Olafsen & Ryan 2017). Every function is
pure and vectorised: arrays in, arrays out, one row per employee.

Regulation columns: amotivation, external, introjected, identified, intrinsic.
"""

from __future__ import annotations

import numpy as np

from model.codes import (
    AUTONOMY,
    COMPETENCE,
    EXTERNAL,
    IDENTIFIED,
    INTRINSIC,
    INTROJECTED,
    RELATEDNESS,
)

# Self-Regulation Questionnaire weights for the relative autonomy index
# (Ryan & Connell 1989): external -2, introjected -1, identified +1, intrinsic +2.
RAI_WEIGHTS = np.array([0.0, -2.0, -1.0, 1.0, 2.0])

TARGET_WEIGHTS: dict[str, dict[str, float]] = {
    # Deci, Koestner & Ryan 1999; Baard, Deci & Ryan 2004 (support acts mostly via needs)
    "intrinsic": {"base": 0.10, "sat_autonomy": 0.45, "sat_competence": 0.30,
                  "support": 0.05, "rewards": -0.05},
    # Deci et al. 1994; Adler, Heckscher & Prusak 2011; Martinko & Gardner 1982
    "identified": {"base": 0.10, "sat_relatedness": 0.25, "sat_autonomy": 0.25,
                   "shared_purpose": 0.20, "support": 0.05, "problem_load": -0.25},
    # Ryan & Deci 2000
    "introjected": {"base": 0.20, "pressure": 0.35, "pressure_without_autonomy": 0.10},
    # Gagné & Deci 2005
    "external": {"base": 0.10, "rewards": 0.45, "control_climate": 0.30},
    # Deci & Ryan 2000; Vansteenkiste & Ryan 2013
    "amotivation": {"base": 0.05, "frus_competence": 0.55, "frus_autonomy": 0.20,
                    "sat_competence": -0.15},
}
"""Where each regulation heads: ``base + Σ weight · driver`` (``regulation_targets``), one
place for every coefficient; a module named in an experiment's ``imports`` may change
them."""

PRESSURE_FROM_REWARDS = 0.6
"""How much contingent rewards add to the felt pressure of the control climate."""

ORIENTATION_WEIGHT = 0.12
"""Shift of a regulation's target per SD of the matching causality orientation
(Deci & Ryan 1985)."""


def autonomous_motivation(reg: np.ndarray) -> np.ndarray:
    """``autonomous = mean(identified, intrinsic)`` (Gagné & Deci 2005)."""
    return 0.5 * (reg[..., IDENTIFIED] + reg[..., INTRINSIC])


def controlled_motivation(reg: np.ndarray) -> np.ndarray:
    """``controlled = mean(external, introjected)`` (Gagné & Deci 2005)."""
    return 0.5 * (reg[..., EXTERNAL] + reg[..., INTROJECTED])


def relative_autonomy_index(reg: np.ndarray) -> np.ndarray:
    """``rai = 2·intrinsic + identified − introjected − 2·external``, in [-3, 3] (SRQ weights).

    One summary among several: keep the regulations themselves for analysis
    (Howard et al. 2020).
    """
    return reg @ RAI_WEIGHTS


def dominant_regulation(reg: np.ndarray) -> np.ndarray:
    """Index of each employee's strongest regulation (ties go to the more autonomous one)."""
    return reg.shape[-1] - 1 - np.argmax(reg[..., ::-1], axis=-1)


def update_needs(
    *,
    sat: np.ndarray,
    frus: np.ndarray,
    experience_pos: np.ndarray,
    experience_neg: np.ndarray,
    rate: float,
    frustration_rate: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Needs follow experience: ``sat ← sat + α(e⁺ − sat)``, ``frus ← frus + α_f(e⁻ − frus)``.

    Satisfaction and frustration are separate states, not two ends of one scale: low
    satisfaction is not the same as frustration (Chen et al. 2015;
    Bartholomew et al. 2011). Arrays are (n, 3): autonomy, competence, relatedness.
    """
    new_sat = sat + rate * (experience_pos - sat)
    new_frus = frus + frustration_rate * (experience_neg - frus)
    return np.clip(new_sat, 0.0, 1.0), np.clip(new_frus, 0.0, 1.0)


def regulation_targets(
    *,
    sat: np.ndarray,
    frus: np.ndarray,
    perceived_support: np.ndarray,
    control_climate: np.ndarray | float,
    contingent_rewards: float,
    shared_purpose: float,
    problem_load: np.ndarray,
    autonomy_orientation: np.ndarray | float = 0.0,
    control_orientation: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Where each regulation is heading, given needs and context (Organismic Integration Theory).

    - intrinsic: up with autonomy and competence satisfaction; a little up with
      informational, autonomy-supportive acts beyond what they do for the needs; down with
      contingent rewards (Deci, Koestner & Ryan 1999: d ≈ −0.34 for tangible rewards).
      Support works mostly *through* the needs (Baard, Deci & Ryan 2004).
    - identified: up with relatedness and autonomy (internalisation needs both: Deci et
      al. 1994), with a rationale from an autonomy-supportive leader and with shared
      purpose (Adler, Heckscher & Prusak 2011); down when lingering problems tell people
      their work does not matter.
    - introjected: up with pressure, more so when autonomy is low (Ryan & Deci 2000).
    - external: up with contingent rewards and controlling climate (Gagné & Deci 2005).
      Needs barely predict controlled regulation (Van den Broeck et al. 2016), so the
      controlled targets are set by context and by the person, not by needs.
    - the person: the autonomy orientation (standard score) raises intrinsic and
      identified, the control orientation raises introjected and external, each by
      0.12 per SD (General Causality Orientations, Deci & Ryan 1985).
    - amotivation: up with competence (and autonomy) frustration, down with competence
      satisfaction (Deci & Ryan 2000; Vansteenkiste & Ryan 2013).

    ``perceived_support`` is the employee's perceived autonomy support in [0, 1];
    ``control_climate`` is the controlling pressure of the formal leadership, the same for
    everyone it leads; ``problem_load`` in [0, 1] is how much unresolved trouble surrounds
    the employee. Returns (n, 5) targets in [0, 1].
    """
    sat_a, sat_c, sat_r = sat[:, AUTONOMY], sat[:, COMPETENCE], sat[:, RELATEDNESS]
    frus_a, frus_c = frus[:, AUTONOMY], frus[:, COMPETENCE]
    support = perceived_support - 0.5  # informational and choice-giving (+) vs controlling (−)
    pressure = np.clip(control_climate + PRESSURE_FROM_REWARDS * contingent_rewards, 0.0, 1.0)

    autonomy_oriented = ORIENTATION_WEIGHT * np.asarray(autonomy_orientation)
    control_oriented = ORIENTATION_WEIGHT * np.asarray(control_orientation)

    w = TARGET_WEIGHTS["intrinsic"]
    intrinsic = (
        w["base"] + w["sat_autonomy"] * sat_a + w["sat_competence"] * sat_c
        + w["support"] * support + w["rewards"] * contingent_rewards + autonomy_oriented
    )
    w = TARGET_WEIGHTS["identified"]
    identified = (
        w["base"] + w["sat_relatedness"] * sat_r + w["sat_autonomy"] * sat_a
        + w["shared_purpose"] * shared_purpose + w["support"] * support
        + w["problem_load"] * problem_load + autonomy_oriented
    )
    w = TARGET_WEIGHTS["introjected"]
    introjected = (w["base"] + w["pressure"] * pressure
                   + w["pressure_without_autonomy"] * pressure * (1.0 - sat_a) + control_oriented)
    climate = np.broadcast_to(control_climate, sat_a.shape)
    w = TARGET_WEIGHTS["external"]
    external = (w["base"] + w["rewards"] * contingent_rewards + w["control_climate"] * climate
                + control_oriented)
    w = TARGET_WEIGHTS["amotivation"]
    amotivation = (w["base"] + w["frus_competence"] * frus_c + w["frus_autonomy"] * frus_a
                   + w["sat_competence"] * sat_c)
    targets = np.stack([amotivation, external, introjected, identified, intrinsic], axis=1)
    return np.clip(targets, 0.0, 1.0)


def update_regulations(reg: np.ndarray, targets: np.ndarray, rate: float) -> np.ndarray:
    """Regulations move gradually toward their targets: ``reg ← reg + ρ(target − reg)``.

    Internalisation is slow relative to need experience (Gagné & Deci 2005).
    """
    return np.clip(reg + rate * (targets - reg), 0.0, 1.0)


def perceived_autonomy_support(
    *, perceived: np.ndarray, observed: np.ndarray, bias: np.ndarray, rate: float
) -> np.ndarray:
    """Perceived autonomy support follows the support observed in acts, read through a
    personal lens: ``p ← p + α(clip(observed + bias) − p)``.

    Employees of one leader perceive its style differently; perceived, not enacted,
    support predicts motivation (Slemp et al. 2018).
    """
    return np.clip(perceived + rate * (np.clip(observed + bias, 0, 1) - perceived), 0.0, 1.0)
