"""What each employee experiences in a step, for each of the three needs.

Positive experiences (e⁺) feed need satisfaction, frustrating ones (e⁻) feed need frustration
(Deci & Ryan 2000; Chen et al. 2015). Pure and vectorised; every output is (n, 3) in [0, 1]
with columns autonomy, competence, relatedness.
"""

from __future__ import annotations

import numpy as np

from model.codes import ASSIGNED, CLAIMED, IDLE, VOLUNTEERED
from model.rules.numeric import clip

# Autonomy experienced by how one came to the task: choosing it is volitional,
# being assigned is as autonomous as the act of assignment was autonomy-supportive.
AUTONOMY_WHEN_CLAIMED = 1.0
AUTONOMY_WHEN_VOLUNTEERED = 0.85
AUTONOMY_WHEN_IDLE = 0.5

SATISFYING: dict[str, dict[str, float]] = {
    # competence while working: fit·(fit + progress·progressing) + completed + feedback
    "competence": {"fit": 0.5, "progress": 0.4, "completed": 0.3, "feedback": 0.15,
                   "idle": 0.3},
    # relatedness: the share of co-workers' ties in it when working with tied colleagues
    "relatedness": {"coworker_share": 0.5},
}
"""Weights of the satisfying experiences (``need_experiences``), one place each."""

FRUSTRATING: dict[str, dict[str, float]] = {
    "autonomy": {"controlling_assignment": 0.8, "rewards": 0.3, "waiting": 0.35,
                 "problem_load": 0.3, "rebuffed": 0.4},
    "competence": {"misfit": 1.2, "failed": 0.6, "tiredness": 0.25, "idle": 0.1,
                   "idle_problem_load": 0.2},
    "relatedness": {"isolation": 0.4},
}
"""Weights of the frustrating experiences (``need_experiences``), one place each."""

# The interpersonal climate one perceives colours every need experience, autonomy most:
# weight of perceived support in the satisfying experience of autonomy, competence and
# relatedness (Baard, Deci & Ryan 2004), and of a controlling climate in the frustrating
# one (Bartholomew et al. 2011).
CLIMATE_WEIGHT = np.array([0.5, 0.2, 0.1])
THWARTING_WEIGHT = 0.4
PRESSURE_THWARTING = 0.4
"""Weight of time pressure beyond the plan (``pressure_beyond_plan``) in the frustrating
experience of each of the three needs (Bartholomew, Ntoumanis, Cuevas & Lonsdale 2014):
the controlling climate's, ``THWARTING_WEIGHT``, so that a week at twice the planned pace
thwarts as a fully controlling climate does. An analogy, not fitted; the robustness
study varies it."""


def controlling_beyond_neutral(support: np.ndarray | float) -> np.ndarray:
    """How controlling an act, or a climate, of autonomy support ``support`` is beyond a
    neutral one (0.5): ``clip(1 − 2·support, 0, 1)``, 0 for anything at least neutral.
    What thwarts a need (Bartholomew et al. 2011), as ``assignment_frustration`` and
    ``with_climate`` read it."""
    return clip(1.0 - 2.0 * np.asarray(support, dtype=float), 0.0, 1.0)


def pressure_beyond_plan(pressure: np.ndarray | float) -> np.ndarray:
    """How far a task's time pressure this week (``rules.wellbeing.time_pressure``: 0.5 at
    the planned pace, 1 at twice it, and in its deadline week, past the plan) goes beyond
    the plan: ``clip(2·pressure − 1, 0, 1)``, 0 for work on or ahead of plan. Job pressure
    thwarts all three needs (Bartholomew, Ntoumanis, Cuevas & Lonsdale 2014), as
    ``need_experiences`` reads it; a plan kept is a demand, not a thwarting."""
    return clip(2.0 * np.asarray(pressure, dtype=float) - 1.0, 0.0, 1.0)


def assignment_frustration(support: np.ndarray, graded: bool = False) -> np.ndarray:
    """How far an assignment, an act of autonomy support ``support`` (0 controlling, 1
    supportive), thwarts autonomy, before ``FRUSTRATING``'s weight: only what is
    controlling beyond a neutral act, ``controlling_beyond_neutral``. Need frustration comes
    from thwarting, controlling behaviour, not from the mere absence of support, which
    lowers satisfaction instead (Bartholomew et al. 2011; Vansteenkiste & Ryan 2013): a
    neutral act (0.5) satisfies autonomy at 0.5 and frustrates it not at all, as the
    thwarting side of the perceived climate does (``with_climate``). With ``graded=True``
    (``Parameters.graded_assignment``; the model's rule until ODD item 26) every
    assignment short of fully supportive costs autonomy, ``1 − support``, so that a
    neutral one costs as much as a mildly controlling one does here; the mechanisms and
    robustness studies report what that judgement carries."""
    return (1.0 - np.asarray(support, dtype=float) if graded
            else controlling_beyond_neutral(support))


def need_experiences(
    *,
    join_mode: np.ndarray,
    join_support: np.ndarray,
    skill_fit: np.ndarray,
    progressing: np.ndarray,
    completed: np.ndarray,
    failed: np.ndarray,
    waiting_for_decision: np.ndarray,
    problem_load: np.ndarray,
    coworker_tie: np.ndarray,
    neighbour_tie: np.ndarray,
    exhaustion: np.ndarray,
    contingent_rewards: float,
    frustration_pathway: bool = True,
    rebuffed: np.ndarray | float = 0.0,
    graded_assignment: bool = False,
    time_pressure: np.ndarray | float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Positive and frustrating experiences of autonomy, competence and relatedness.

    Autonomy (Deci, Olafsen & Ryan 2017): choosing one's task (claiming or volunteering)
    is volitional; an assignment is as autonomy-supportive as the act is perceived to be
    (``join_support``: rationale, choice, acknowledgement, as the employee reads it;
    Slemp et al. 2018). Frustration comes from controlling assignments
    (``assignment_frustration``: only beyond a neutral act, or with
    ``graded_assignment=True`` short of fully supportive),
    from contingent rewards (Deci, Koestner & Ryan 1999), from waiting on someone else's
    decision while one's own work waits (``waiting_for_decision``, a chance from
    ``own_work_waiting``), from lingering problems, and from a claim refused by peers or
    lost to a rival (``rebuffed``: one's initiative overruled, a thwarting act, as much as
    an assignment by a mildly controlling act, support 0.25: 0.8 · 0.5).

    Time pressure beyond the plan (``time_pressure``, ``pressure_beyond_plan``) thwarts
    all three needs, ``PRESSURE_THWARTING`` on each (Bartholomew et al. 2014).

    Competence (Deci & Ryan 2000; optimal challenge): progress on a task one is equipped
    for (``skill_fit``), completion, and informational feedback, for everyone at work, as
    autonomy-supportive as the act by which they came to the task (``join_support``: a
    formal leader's assignment, a lead's invitation, the peers who backed a claim):
    positive feedback given informationally raises intrinsic motivation, whoever gives it
    (Deci, Koestner & Ryan 1999); frustration from tasks beyond one's skill, failures and
    exhaustion.

    Relatedness (Baumeister & Leary 1995): the strength of one's ties, and of those with
    whom one works now; frustration from isolation.

    ``frustration_pathway=False`` turns every frustrating experience off (a control for
    pattern V4: frustration, not just low satisfaction, drives ill-being). The weights of
    each experience are ``SATISFYING`` and ``FRUSTRATING`` (by need), and the autonomy of
    a task one chose ``AUTONOMY_WHEN_CLAIMED`` and ``AUTONOMY_WHEN_VOLUNTEERED``.
    """
    working = join_mode != IDLE
    assigned = join_mode == ASSIGNED
    rushed = pressure_beyond_plan(time_pressure)

    by_mode = np.zeros(4)  # autonomy of how one came to the task; an assignment: its act
    by_mode[[IDLE, VOLUNTEERED, CLAIMED]] = (AUTONOMY_WHEN_IDLE, AUTONOMY_WHEN_VOLUNTEERED,
                                             AUTONOMY_WHEN_CLAIMED)
    autonomy_pos = np.where(assigned, join_support, by_mode[join_mode])
    a, c, r = FRUSTRATING["autonomy"], SATISFYING["competence"], FRUSTRATING["competence"]
    autonomy_neg = (
        a["controlling_assignment"] * assigned
        * assignment_frustration(join_support, graded=graded_assignment)
        + a["rewards"] * working * contingent_rewards
        + a["waiting"] * waiting_for_decision
        + a["problem_load"] * problem_load
        + a["rebuffed"] * np.asarray(rebuffed, float)
        + PRESSURE_THWARTING * rushed
    )

    competence_pos = np.where(
        working,  # informational feedback from whoever one came to the task through
        skill_fit * (c["fit"] + c["progress"] * progressing) + c["completed"] * completed
        + c["feedback"] * join_support,
        c["idle"],
    )
    competence_neg = np.where(
        working,
        r["misfit"] * (1.0 - skill_fit) + r["failed"] * failed + r["tiredness"] * exhaustion,
        r["idle"] + r["idle_problem_load"] * problem_load,
    ) + PRESSURE_THWARTING * rushed

    w = SATISFYING["relatedness"]["coworker_share"]
    relatedness_pos = np.where(
        coworker_tie > 0, (1.0 - w) * neighbour_tie + w * coworker_tie, neighbour_tie
    )
    relatedness_neg = FRUSTRATING["relatedness"]["isolation"] * (1.0 - neighbour_tie) * (
        1.0 - working * (coworker_tie > 0)) + PRESSURE_THWARTING * rushed

    positive = clip(np.stack([autonomy_pos, competence_pos, relatedness_pos], axis=1), 0, 1)
    negative = clip(np.stack([autonomy_neg, competence_neg, relatedness_neg], axis=1), 0, 1)
    if not frustration_pathway:
        negative = np.zeros_like(negative)
    return positive, negative


def with_climate(
    *, positive: np.ndarray, negative: np.ndarray, climate: np.ndarray,
    frustration_pathway: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Experiences coloured by the interpersonal climate one perceives day to day.

    Beyond single acts, perceived autonomy support (``climate``, in [0, 1], 0.5 neutral)
    satisfies all three needs, autonomy most (Baard, Deci & Ryan 2004):
    ``e⁺ ← (1 − w)·e⁺ + w·climate`` with ``w = 0.5, 0.2, 0.1`` for autonomy, competence,
    relatedness. A climate read as controlling thwarts all three (Bartholomew et al. 2011):
    ``e⁻ ← e⁻ + 0.4·max(0, 1 − 2·climate)``.
    """
    climate = np.asarray(climate, float)[:, None]  # one column, applied to every need
    positive = (1.0 - CLIMATE_WEIGHT) * positive + CLIMATE_WEIGHT * climate
    thwarting = THWARTING_WEIGHT * controlling_beyond_neutral(climate)
    negative = clip(negative + thwarting, 0.0, 1.0) if frustration_pathway else negative
    return clip(positive, 0.0, 1.0), negative


PROBLEM_AGE_SCALE = 10.0
"""Problem-weeks around a team at which its trouble weighs half the most it can
(``problem_load``)."""


def problem_load(problem_weeks: np.ndarray) -> np.ndarray:
    """Unresolved trouble around an employee: ``w / (w + 10)``, ``w`` the summed age in
    weeks of its team's open problems, in [0, 1).

    Problems that linger tell people their work does not matter and that they have no
    control over it (learned helplessness; Martinko & Gardner 1982). The load rises
    steeply for the first problem-weeks and keeps rising after (one problem ten weeks old
    is 0.5, five are 0.83, fifty 0.98), so a team with a few lingering problems and one
    with a pile of them are told apart.
    """
    return problem_weeks / (problem_weeks + PROBLEM_AGE_SCALE)


def own_work_waiting(*, people_wanted: float, waiting_people: float) -> float:
    """How far an idle person has their own work among what waits for a decision (the
    expected share, applied to each idle person who may not start work themselves):
    ``min(1, people the waiting tasks need / idle people)``, the work shared among all
    who are idle, since any of them may be given it or take it up. Waiting frustrates
    those whose work waits, not everyone whenever anything waits anywhere. 0 with nobody
    idle."""
    if waiting_people <= 0:
        return 0.0
    return float(min(1.0, people_wanted / waiting_people))


def skill_fit(skill: np.ndarray, complexity: np.ndarray) -> np.ndarray:
    """How well one's skill meets the task's demand: ``1 − max(0, complexity − skill)``.

    Tasks at or below one's skill fit fully; each unit of shortfall costs one unit of fit
    (optimal challenge, Deci & Ryan 2000).
    """
    return clip(1.0 - np.maximum(0.0, complexity - skill), 0.0, 1.0)
