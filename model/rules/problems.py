"""Problems, voice and helplessness: issues stay hidden until someone speaks up or a
survey surfaces them; speaking up depends on safety and on having seen voice acted on;
problems that linger teach people that nothing they do matters.

Pure, vectorised functions (one row per employee or per problem). The phase
``model.phases.voice`` applies them; the policies decide who addresses a known problem.
"""

from __future__ import annotations

import numpy as np

from model.rules.numeric import clip

VOICE_WEIGHTS: dict[str, float] = {
    "base": -3.5, "safety": 2.0, "efficacy": 1.5, "autonomous": 1.0, "helplessness": -1.0,
}
"""Log-odds of speaking up about a hidden problem in a week (``voice_probability``): an
intercept, psychological safety, voice efficacy, autonomous motivation, helplessness
(Morrison 2014: a safety and an efficacy judgement; Detert & Burris 2007)."""

EFFICACY_RATE = 0.2
"""How far one response to a team's voice (acted on, or ignored) moves voice efficacy."""

RESPONSE_WINDOW = 4
"""Weeks after a problem becomes known by which, still open, it counts as ignored."""

SURVEY_DETECTION = 0.7
"""Chance a pulse survey or 360-degree round surfaces a given hidden problem (coverage ×
candour of an anonymous instrument; Smither, London & Reilly 2005)."""

SURVEY_ATTENTION = 2.0
"""Attention a survey round costs the formal leader in the week it runs (in decisions)."""

HELPLESSNESS_RISE = 0.1
"""Weekly rise of helplessness at full problem load and no sense of control."""

HELPLESSNESS_DECAY = 0.02
"""Weekly decay of helplessness (slow: it outlasts the problems that taught it)."""


def voice_probability(*, safety: np.ndarray, efficacy: np.ndarray, autonomous: np.ndarray,
                      helplessness: np.ndarray) -> np.ndarray:
    """Chance an employee speaks up this week about a hidden problem they know of:
    ``σ(−3.5 + 2·safety + 1.5·efficacy + autonomous − helplessness)`` (``VOICE_WEIGHTS``).

    Voice follows a safety judgement (is it safe to speak?) and an efficacy judgement (will
    it change anything?) (Morrison 2014); managerial openness works through psychological
    safety (Detert & Burris 2007); futility and fear keep most people silent most of the
    time (Milliken, Morrison & Hewlin 2003); the helpless do not try (Martinko & Gardner
    1982). ``safety`` is the autonomy support one perceives from whoever leads one.
    """
    w = VOICE_WEIGHTS
    logit = (w["base"] + w["safety"] * safety + w["efficacy"] * efficacy
             + w["autonomous"] * autonomous + w["helplessness"] * helplessness)
    return 1.0 / (1.0 + np.exp(-logit))


def team_voice_chance(voice: np.ndarray, team: np.ndarray, active: np.ndarray,
                      n_teams: int) -> np.ndarray:
    """Chance, per team, that a hidden problem in it is voiced this week: the mean voice
    probability of its members (silence is collective: those who know of an issue mostly
    stay silent together; Milliken, Morrison & Hewlin 2003). 0 for an empty team."""
    members = np.bincount(team, weights=active, minlength=n_teams)
    total = np.bincount(team, weights=voice * active, minlength=n_teams)
    return np.divide(total, members, out=np.zeros(n_teams), where=members > 0)


def update_voice_efficacy(efficacy: np.ndarray, acted_on: np.ndarray,
                          ignored: np.ndarray) -> np.ndarray:
    """Voice efficacy after this week's responses: up ``r·(1 − e)`` where a team's voice was
    acted on (a known problem resolved), down ``r·e`` where it was ignored (a known problem
    still open ``RESPONSE_WINDOW`` weeks on), ``r = EFFICACY_RATE``. The absence of a
    response lowers efficacy (King 2015); surveys without visible action do too
    (Milliken, Morrison & Hewlin 2003). Both may apply in one week."""
    e = np.asarray(efficacy, float)
    e = e + EFFICACY_RATE * (1.0 - e) * acted_on
    return clip(e - EFFICACY_RATE * e * ignored, 0.0, 1.0)


def surfaced_by_survey(rng: np.random.Generator, n_hidden: int) -> np.ndarray:
    """Which of ``n_hidden`` hidden problems a survey round brings into the open, each with
    chance ``SURVEY_DETECTION``."""
    return rng.random(n_hidden) < SURVEY_DETECTION


def update_helplessness(helplessness: np.ndarray, *, problem_load: np.ndarray,
                        sense_of_control: np.ndarray) -> np.ndarray:
    """Learned helplessness: ``H + 0.1·load·(1 − control)·(1 − H) − 0.02·H``.

    It grows while problems linger around people who cannot do anything about them, and
    fades slowly, so it "continues even after environmental changes make success possible"
    (Martinko & Gardner 1982). ``sense_of_control`` is autonomy satisfaction.
    """
    h = np.asarray(helplessness, float)
    rise = HELPLESSNESS_RISE * problem_load * (1.0 - sense_of_control) * (1.0 - h)
    return clip(h + rise - HELPLESSNESS_DECAY * h, 0.0, 1.0)


OBSOLESCENCE_WEEKS = 26.0
"""Mean weeks before an open problem stops mattering because the work, the people or the
circumstances around it have moved on (a weekly hazard of one in 26)."""

WORKAROUND_CHANCE = 0.1
"""Weekly chance that a team works around a problem left open past ``RESPONSE_WINDOW``
weeks."""

WORKAROUND_DECISIONS = 2.0
"""Time a workaround costs its team, in decisions (``rules.leadership.DECISION_WEEKS``
each): first-order problem solving patches the symptom, at more cost than fixing the
cause once (Tucker & Edmondson 2003)."""


def leave_otherwise(rng, *, age: np.ndarray, expire: bool,
                    work_around: bool) -> tuple[np.ndarray, np.ndarray]:
    """Which open problems leave without anyone with the right to decide addressing them:
    (obsolete, worked around).

    Obsolete: each week with chance ``1 / OBSOLESCENCE_WEEKS`` the problem stops mattering
    (circumstances move on). Worked around: a problem open at least ``RESPONSE_WINDOW``
    weeks is, with chance ``WORKAROUND_CHANCE``, patched by its team at a cost of
    ``WORKAROUND_DECISIONS`` decisions of its time; nurses and engineers work around what
    nobody fixes, and the problem is gone for them though its cause is not (Tucker &
    Edmondson 2003; that the cause then breeds new problems is left out: the problem rate
    does not rise). Each route is a switch; with a switch off its draw is still made, so
    that the rest of the run draws alike.
    """
    draws = rng.random((2, len(age)))
    obsolete = expire & (draws[0] < 1.0 / OBSOLESCENCE_WEEKS)
    worked_around = (work_around & ~obsolete & (age >= RESPONSE_WINDOW)
                     & (draws[1] < WORKAROUND_CHANCE))
    return obsolete, worked_around
