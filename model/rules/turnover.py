"""Turnover: intention from ill-being and low motivation, with individual differences;
quitting through intention, and for reasons outside work whatever one intends."""

from __future__ import annotations

import numpy as np

from model.rules.numeric import clip

INTENTION_WEIGHTS = {"frustration": 0.35, "low_satisfaction": 0.15, "low_autonomous": 0.2,
                     "exhaustion": 0.2, "low_vitality": 0.1}
"""Weights of where turnover intention heads. They sum to 1, so the target (before the
leaving propensity) is a weighted mean of five states in [0, 1]: to make one count more,
take from the others, or the target clips at 1 instead of re-weighting. What the sources
give is which states matter, not these numbers (a judgement, none fitted): need
frustration beyond low satisfaction (Chen et al. 2015 show frustration predicting
ill-being beyond low satisfaction; carried over here to the wish to leave), low
autonomous motivation (Gagné & Deci 2005), exhaustion and low vitality (Schaufeli &
Bakker 2004: burnout and engagement both relate to turnover intention; weighting
exhaustion more is the judgement's)."""
INTENTION_FROM_PROPENSITY = 0.1
"""Shift of intention per SD of leaving propensity: people with the same experience differ
in how ready they are to leave (job embeddedness, outside options; Mitchell et al. 2001)."""
INTENTION_RATE = 0.1
"""Share of the gap to its target that intention closes in a step."""
QUIT_CURVE = 3.5
"""Exponent of intention in the quit chance: quitting stays rare until intention is high.
No source gives it (nor ``quit_rate``, a judgement kept at 0.15): it is calibrated, as
the research notes ask of the quit link, so that annual voluntary turnover lies in the
field's range under every policy (P1; docs/ODD.md §1, item 44: 3.5 from a grid of link
forms on seeds apart from the validation's; 4 left distributed and fostering
organisations under it), so P1 is no evidence for the model. Intention still
predicts quitting less strongly than the field does (P5; Griffeth, Hom & Gaertner 2000):
docs/ODD.md §1 says why, and what was tried; the validation report gives the figure."""


def intention_target(
    *,
    mean_frus: np.ndarray,
    mean_sat: np.ndarray,
    autonomous: np.ndarray,
    exhaustion: np.ndarray,
    vitality: np.ndarray,
    propensity: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Where turnover intention is heading: ``0.35·frus + 0.15·(1 − sat) + 0.2·(1 − autonomous)
    + 0.2·exhaustion + 0.1·(1 − vitality) + 0.1·propensity``, clipped to [0, 1].

    ``propensity`` is a standard score; the rest in [0, 1], and the five weights sum to 1.
    Need frustration weighs beyond low satisfaction (Chen et al. 2015, for ill-being),
    low autonomous motivation raises it (Gagné & Deci 2005), exhaustion and low vitality
    both do (Schaufeli & Bakker 2004), and people differ in how ready they are to leave
    (Mitchell et al. 2001). The sizes are a judgement, not fitted to a source.
    """
    w = INTENTION_WEIGHTS
    return clip(w["frustration"] * mean_frus + w["low_satisfaction"] * (1.0 - mean_sat)
                + w["low_autonomous"] * (1.0 - autonomous) + w["exhaustion"] * exhaustion
                + w["low_vitality"] * (1.0 - vitality)
                + INTENTION_FROM_PROPENSITY * np.asarray(propensity), 0.0, 1.0)


def update_intention(intention: np.ndarray, target: np.ndarray,
                     rate: float | None = None) -> np.ndarray:
    """``q ← q + ρ(target − q)``, ``ρ = INTENTION_RATE`` unless ``rate`` is given: intentions
    form over weeks, not at once (the withdrawal process that leads from dissatisfaction
    to an intention to quit; Mobley 1977)."""
    rate = INTENTION_RATE if rate is None else rate  # read now: a change to it takes effect
    return clip(intention + rate * (target - intention), 0.0, 1.0)


def quit_probability(intention: np.ndarray, quit_rate: float,
                     outside_rate: float = 0.0) -> np.ndarray:
    """Chance of quitting this step, for work or for reasons outside it: ``w + o − w·o``,
    with ``w = quit_rate · q^3.5`` (``QUIT_CURVE``) and ``o = outside_rate``.

    Work: intention is the best single predictor of turnover (Tett & Meyer 1993;
    Griffeth, Hom & Gaertner 2000: ρ ≈ .35–.45); the steep power keeps quitting rare until
    intention is high. Outside work: some leave whatever they intend (a partner's move,
    family, health), turnover the organisation cannot avoid (Abelson 1987; about a quarter
    of voluntary quits, Work Institute 2019). The two are independent chances.
    """
    work = quit_rate * intention**QUIT_CURVE
    return work + outside_rate - work * outside_rate
