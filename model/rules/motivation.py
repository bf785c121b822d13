"""Needs and regulations: how experience becomes need satisfaction, and needs become motivation.

Self-Determination Theory (Gagné & Deci 2005; Deci, Olafsen & Ryan 2017). Every function is
pure and vectorised: arrays in, arrays out, one row per employee.

Regulation columns: amotivation, external, introjected, identified, intrinsic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.codes import (
    AUTONOMY,
    COMPETENCE,
    EXTERNAL,
    IDENTIFIED,
    INTRINSIC,
    INTROJECTED,
    REGULATIONS,
    RELATEDNESS,
)
from model.rules.numeric import clip

# Self-Regulation Questionnaire weights for the relative autonomy index
# (Ryan & Connell 1989): external -2, introjected -1, identified +1, intrinsic +2.
RAI_WEIGHTS = np.array([0.0, -2.0, -1.0, 1.0, 2.0])

DRIVER_WEIGHTS: dict[str, dict[str, float]] = {
    # graded internalisation: taking the work's value in as one's own (Ryan & Connell 1989;
    # Deci et al. 1994: rationale, relatedness, autonomy; Adler, Heckscher & Prusak 2011:
    # shared purpose; Martinko & Gardner 1982: lingering problems say the work does not matter)
    "internalisation": {"sat_autonomy": 0.35, "sat_relatedness": 0.35, "shared_purpose": 0.2,
                        "support": 0.2, "problem_load": -0.3, "autonomy_orientation": 0.12},
    # the quantity of motivation, the general factor of the scales (Howard et al. 2018):
    # mostly the person; needs barely predict controlled regulation (Van den Broeck et al.
    # 2016), so what the needs feed cannot be most of what all five share
    "intensity": {"base": 0.45, "vitality": 0.1, "drive": 0.15},
    # the pressure in the situation, each source a chance of pressing (``felt_pressure``):
    # the contingencies every job carries (pay, appraisal, approval; Gagné et al. 2015),
    # a controlling climate, contingent rewards, deadlines (Ryan & Deci 2000; Deci,
    # Koestner & Ryan 1999)
    "pressure": {"job_contingencies": 0.3, "control_climate": 1.0, "rewards": 0.3,
                 "time_pressure": 0.2},
}
"""How needs, context and person make the three shared drivers of the regulations
(``motivational_drivers``): internalisation and intensity ``Σ weight · input``, clipped to
[0, 1]; pressure the chance that any source presses (``felt_pressure``)."""

PRESSURE_LENS: dict[str, float] = {"control_orientation": 0.9, "low_support": 0.45}
"""How the person reads the situation's pressure, on the log-odds scale (``felt_pressure``):
the control orientation reads control into events (Deci & Ryan 1985), low perceived support
reads it into others' acts. Before ODD item 42 the two added 0.2 and 0.1 to a linear sum;
on the log-odds scale the same slope at the mean felt pressure this form gives (0.34; the
clipped sum's was 0.10, four in ten at 0) is that over 0.34 · 0.66 ≈ 0.22, i.e. 0.9 and
0.45, and no one is held at a bound."""

LOADINGS: dict[str, dict[str, float]] = {
    # base, the three shared drivers, then what is specific to one regulation
    "amotivation": {"base": 0.08, "internalisation": -0.05, "intensity": 0.0, "pressure": 0.05,
                    "frus_competence": 0.35, "frus_autonomy": 0.15, "problem_load": 0.1,
                    "helplessness": 0.2},
    # external's and introjected's loadings set again against V1 and V10 on 2026-12-07
    # (intensity 0.15, pressure 0.35 and 0.25 before), when felt pressure stopped clipping
    # at 0 (ODD item 42): with the old, external-introjected .52, external-intrinsic -.05
    "external": {"base": 0.0, "internalisation": 0.0, "intensity": 0.20, "pressure": 0.25,
                 "rewards": 0.2},
    "introjected": {"base": 0.0, "internalisation": 0.15, "intensity": 0.4, "pressure": 0.20},
    "identified": {"base": 0.0, "internalisation": 0.65, "intensity": 0.25, "pressure": 0.0},
    "intrinsic": {"base": 0.0, "internalisation": 0.55, "intensity": 0.2, "pressure": -0.05,
                  "sat_autonomy": 0.15, "sat_competence": 0.1},
}
"""Where each regulation heads: ``base + Σ loading · driver + specific terms + the person's
own reasons`` (``regulation_targets``). The loadings on internalisation rise along the
continuum and those on pressure fall, and all but amotivation share intensity, so that
neighbours overlap and distant regulations do not (a simplex; Ryan & Connell 1989; Howard,
Gagné & Bureau 2017). One place for every coefficient; a module named in an experiment's
``imports`` may change them."""

SPECIFIC_SD = 0.045
"""Spread of the reasons peculiar to one regulation (a person's specific factor, Howard,
Gagné & Morin 2020), added to its target."""


@dataclass(frozen=True)
class Drivers:
    """The three shared drivers of the regulations, each (n,) in [0, 1]."""

    internalisation: np.ndarray
    intensity: np.ndarray
    pressure: np.ndarray


def autonomous_motivation(reg: np.ndarray) -> np.ndarray:
    """``autonomous = mean(identified, intrinsic)`` (Gagné & Deci 2005)."""
    return 0.5 * (reg[..., IDENTIFIED] + reg[..., INTRINSIC])


def controlled_motivation(reg: np.ndarray) -> np.ndarray:
    """``controlled = mean(external, introjected)`` (Gagné & Deci 2005)."""
    return 0.5 * (reg[..., EXTERNAL] + reg[..., INTROJECTED])


def relative_autonomy_index(reg: np.ndarray) -> np.ndarray:
    """``rai = 2·intrinsic + identified − introjected − 2·external``, in [-3, 3] (SRQ weights,
    ``RAI_WEIGHTS``; amotivation does not count).

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
    return clip(new_sat, 0.0, 1.0), clip(new_frus, 0.0, 1.0)


def motivational_drivers(
    *,
    sat: np.ndarray,
    perceived_support: np.ndarray,
    shared_purpose: float,
    problem_load: np.ndarray,
    vitality: np.ndarray,
    control_climate: np.ndarray | float,
    contingent_rewards: float,
    time_pressure: np.ndarray,
    autonomy_orientation: np.ndarray | float = 0.0,
    control_orientation: np.ndarray | float = 0.0,
    drive: np.ndarray | float = 0.0,
) -> Drivers:
    """What a person's five regulations share (OIT's graded internalisation; Howard, Gagné
    & Morin 2020), each ``Σ weight · input`` clipped to [0, 1] (``DRIVER_WEIGHTS``):

    - *internalisation*: ``0.35·sat_autonomy + 0.35·sat_relatedness + 0.2·purpose +
      0.2·support − 0.3·problems + 0.12·autonomy orientation``;
    - *intensity*: ``0.45 + 0.1·vitality + 0.15·drive``;
    - *pressure*: ``felt_pressure``, the chance that something in the situation presses,
      read through the person's lens.

    ``perceived_support`` is perceived autonomy support in [0, 1] (0.5 neutral);
    ``control_climate`` the controlling pressure of the formal leadership; ``problem_load``
    and ``time_pressure`` in [0, 1]; orientations and drive are standard scores.
    """
    w = DRIVER_WEIGHTS["internalisation"]
    internalisation = (
        w["sat_autonomy"] * sat[:, AUTONOMY] + w["sat_relatedness"] * sat[:, RELATEDNESS]
        + w["shared_purpose"] * shared_purpose + w["support"] * perceived_support
        + w["problem_load"] * problem_load
        + w["autonomy_orientation"] * np.asarray(autonomy_orientation)
    )
    w = DRIVER_WEIGHTS["intensity"]
    intensity = w["base"] + w["vitality"] * vitality + w["drive"] * np.asarray(drive)
    pressure = felt_pressure(
        control_climate=control_climate, contingent_rewards=contingent_rewards,
        time_pressure=time_pressure, perceived_support=perceived_support,
        control_orientation=control_orientation,
    )
    n = sat.shape[0]
    return Drivers(*(clip(np.broadcast_to(x, (n,)), 0.0, 1.0)
                  for x in (internalisation, intensity, pressure)))


def felt_pressure(
    *,
    control_climate: np.ndarray | float,
    contingent_rewards: float,
    time_pressure: np.ndarray | float,
    perceived_support: np.ndarray,
    control_orientation: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Felt pressure in (0, 1]: the chance that something in the situation presses, read
    through the person's lens (``DRIVER_WEIGHTS["pressure"]``, ``PRESSURE_LENS``).

    - The situation's sources press independently, so they combine as chances, and no
      sum of them passes 1: ``situation = 1 − (1 − 0.3)(1 − climate)(1 − 0.3·rewards)
      (1 − 0.2·time pressure)``. A job's ordinary contingencies (0.3) press under every
      policy; a fully controlling climate presses for certain (Ryan & Deci 2000; Deci,
      Koestner & Ryan 1999).
    - The person shifts it on the log-odds scale, so the lens moves people in the middle
      most and never past a bound: ``logistic(logit(situation) + 0.9·control orientation
      + 0.45·(0.5 − support))``, the control orientation a standard score (Deci & Ryan
      1985), ``perceived_support`` in [0, 1].
    """
    w = DRIVER_WEIGHTS["pressure"]
    calm = ((1.0 - w["job_contingencies"])
            * (1.0 - w["control_climate"] * np.asarray(control_climate))
            * (1.0 - w["rewards"] * contingent_rewards)
            * (1.0 - w["time_pressure"] * np.asarray(time_pressure)))
    lens = (PRESSURE_LENS["control_orientation"] * np.asarray(control_orientation)
            + PRESSURE_LENS["low_support"] * (0.5 - np.asarray(perceived_support)))
    # logistic(logit(1 − calm) + lens) = 1 / (1 + calm / (1 − calm) · e^(−lens)); a calm of 0
    # (a fully controlling climate) is pressure 1 whatever the lens
    return 1.0 / (1.0 + calm / (1.0 - calm) * np.exp(-lens))


def regulation_targets(
    drivers: Drivers,
    *,
    sat: np.ndarray,
    frus: np.ndarray,
    contingent_rewards: float,
    problem_load: np.ndarray,
    helplessness: np.ndarray | float = 0.0,
    specific: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Where each of the five regulations is heading (Organismic Integration Theory):
    ``base + Σ loading · driver + specific terms + SPECIFIC_SD · own reasons`` (``LOADINGS``).

    - Internalisation raises identified and intrinsic most, introjected (partial
      internalisation) less, and lowers external and amotivation; intensity raises all
      four motivated regulations; pressure raises external most, introjected less, and
      undermines intrinsic (Ryan & Deci 2000; Deci, Koestner & Ryan 1999). Introjection
      shares "this matters to me" with identification and "contingent approval" with
      external regulation: neighbours on the continuum correlate, distant ones do not.
    - Specific terms: intrinsic motivation needs autonomy and competence of its own
      (Cognitive Evaluation Theory) and is undermined by tangible rewards (d ≈ −0.34);
      external regulation follows the rewards themselves (Gagné & Deci 2005); amotivation
      follows competence (and autonomy) frustration, lingering problems and the
      helplessness they leave behind (Vansteenkiste & Ryan 2013; Martinko & Gardner 1982).
    - ``specific`` (n, 5) standard scores: each person's own reasons for each regulation.

    Returns (n, 5) targets in [0, 1], columns amotivation … intrinsic.
    """
    inputs = {
        "internalisation": drivers.internalisation, "intensity": drivers.intensity,
        "pressure": drivers.pressure, "sat_autonomy": sat[:, AUTONOMY],
        "sat_competence": sat[:, COMPETENCE], "frus_autonomy": frus[:, AUTONOMY],
        "frus_competence": frus[:, COMPETENCE], "problem_load": problem_load,
        "helplessness": helplessness, "rewards": contingent_rewards,
    }
    columns = [
        LOADINGS[name]["base"] + sum(weight * inputs[key]
                                     for key, weight in LOADINGS[name].items() if key != "base")
        for name in REGULATIONS
    ]
    n = sat.shape[0]
    targets = np.empty((n, len(columns)))
    for j, column in enumerate(columns):  # a column may be one number for everyone
        targets[:, j] = column
    return clip(targets + SPECIFIC_SD * np.asarray(specific), 0.0, 1.0)


def update_regulations(reg: np.ndarray, targets: np.ndarray, rate: float) -> np.ndarray:
    """Regulations move gradually toward their targets: ``reg ← reg + ρ(target − reg)``.

    Internalisation is slow relative to need experience (Gagné & Deci 2005).
    """
    return clip(reg + rate * (targets - reg), 0.0, 1.0)


def perceived_autonomy_support(
    *, perceived: np.ndarray, observed: np.ndarray, bias: np.ndarray, rate: float
) -> np.ndarray:
    """Perceived autonomy support follows the support observed in acts, read through a
    personal lens: ``p ← p + α(clip(observed + bias) − p)``.

    Employees of one leader perceive its style differently; perceived, not enacted,
    support predicts motivation (Slemp et al. 2018).
    """
    return clip(perceived + rate * (clip(observed + bias, 0, 1) - perceived), 0.0, 1.0)
