"""Individual differences: each person's causality orientations, stable for their whole stay.

General Causality Orientations theory (Deci & Ryan 1985): people differ, durably, in how
they orient to their work. The *autonomy orientation* reads events as informational and
seeks interest and meaning; the *control orientation* reads them as pressure and seeks
rewards and approval. The two are nearly independent (Deci & Ryan 1985), and both predict
motivation beyond the work context (Baard, Deci & Ryan 2004). Without them every employee
would be the same person in a different seat, and every cross-sectional correlation of the
validation patterns would come from seating alone.

People also differ in how intensely they are motivated by work at all (the general
factor of the motivation scales, Howard, Gagné, Morin & Forest 2018), in the reasons
peculiar to each regulation that no general factor explains (the specific factors of the
same bifactor models; Howard, Gagné & Morin 2020), and in how readily they leave, given the
same intention (job embeddedness and outside options; Mitchell et al. 2001), and in how
strongly they react to strain and how slowly they recover from it (neuroticism, the most
consistent personal correlate of emotional exhaustion: Alarcon, Eschleman & Bowling 2009;
Swider & Zimmerman 2010), which also colours how they see their job (negative affectivity;
Watson & Clark 1984; Judge, Heller & Mount 2002), and in the energy and enthusiasm they
bring to it (positive affectivity, nearly independent of negative affectivity: Watson,
Clark & Tellegen 1988), the strongest personal predictor of work engagement (Young,
Glerum, Wang & Joseph 2018), while burnout goes with neuroticism (Langelaan et al. 2006).

All dispositions are standard scores (mean 0, SD 1); the rules that use them weight them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PERCEPTION_FROM_AUTONOMY_ORIENTATION = 0.05
"""How much more support an autonomy-oriented person (+1 SD) reads into the same act:
autonomy orientation is the tendency to experience contexts as informational
(Deci & Ryan 1985)."""
PERCEPTION_FROM_NEGATIVE_AFFECTIVITY = 0.06
"""How much less support a person prone to strain (+1 SD of neuroticism) reads into the
same act: negative affectivity colours how one sees one's job (Watson & Clark 1984; Spector
et al. 2000), so that neuroticism goes with lower job satisfaction (Judge, Heller & Mount
2002: ρ = −.29; Connolly & Viswesvaran 2000: −.33 for negative affectivity). Sized so that
the trait's correlation with need satisfaction is −.23 to −.31 across the policies at the
defaults (0: the trait acts on strain alone, and that correlation is −.01 to −.11)."""
PERCEPTION_NOISE = 0.08
"""The rest of the personal lens on others' acts, unrelated to the traits above (SD)."""


@dataclass(frozen=True)
class Dispositions:
    autonomy_orientation: np.ndarray  # (k,) standard score
    control_orientation: np.ndarray  # (k,) standard score
    perception_bias: np.ndarray  # (k,) added to the support of every act one perceives
    drive: np.ndarray  # (k,) general motivational intensity, standard score
    regulation_specific: np.ndarray  # (k, 5) reasons peculiar to each regulation
    leaving_propensity: np.ndarray  # (k,) readiness to leave whatever one meets: shifts intention
    strain_vulnerability: np.ndarray  # (k,) neuroticism: more strain, slower recovery
    positive_affectivity: np.ndarray  # (k,) energy and enthusiasm one brings: more vitality


def perception_bias(*, autonomy_orientation: np.ndarray, strain_vulnerability: np.ndarray,
                    own: np.ndarray) -> np.ndarray:
    """The personal lens on others' acts, added to the support of every act one perceives:
    ``0.05·autonomy orientation − 0.06·strain vulnerability + own``, ``own ~ N(0, 0.08²)``
    the rest of the lens. The autonomy-oriented read acts as informational (Deci & Ryan
    1985); the strain-prone read them as less supportive (negative affectivity; Watson &
    Clark 1984; Judge, Heller & Mount 2002)."""
    return (PERCEPTION_FROM_AUTONOMY_ORIENTATION * autonomy_orientation
            - PERCEPTION_FROM_NEGATIVE_AFFECTIVITY * strain_vulnerability + own)


def draw_dispositions(rng: np.random.Generator, k: int) -> Dispositions:
    """Dispositions for ``k`` newcomers: orientations, drive, regulation-specific reasons,
    leaving propensity, strain vulnerability and positive affectivity, each a standard
    score; and the perception bias they imply (``perception_bias``, the rest of the lens
    ``N(0, 0.08²)``). Sources: causality orientations, Deci & Ryan 1985; the general and
    specific factors of motivation, Howard, Gagné & Morin 2020; leaving propensity,
    Mitchell et al. 2001; strain vulnerability, Swider & Zimmerman 2010; positive
    affectivity, Watson, Clark & Tellegen 1988."""
    autonomy = rng.standard_normal(k)
    control = rng.standard_normal(k)
    own_lens = rng.normal(0.0, PERCEPTION_NOISE, k)
    drive = rng.standard_normal(k)
    specific = rng.standard_normal((k, 5))
    propensity = rng.standard_normal(k)
    vulnerability = rng.standard_normal(k)
    positive = rng.standard_normal(k)  # drawn last: the draws before it are as they were
    bias = perception_bias(autonomy_orientation=autonomy, strain_vulnerability=vulnerability,
                           own=own_lens)
    return Dispositions(autonomy, control, bias, drive=drive, regulation_specific=specific,
                        leaving_propensity=propensity, strain_vulnerability=vulnerability,
                        positive_affectivity=positive)
