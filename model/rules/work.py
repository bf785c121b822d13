"""Work: effort, contributions, team progress and quality. Pure and vectorised."""

from __future__ import annotations

import numpy as np

from model.rules import wellbeing
from model.rules.numeric import clip

DRIVE_BASE = 0.4
DRIVE_FROM_AUTONOMOUS = 0.4
"""Effort drive per unit of autonomous motivation (Gagné & Deci 2005)."""
DRIVE_FROM_CONTROLLED = 0.2
"""Effort drive per unit of controlled motivation."""
PACE_WHEN_DRAINED = 0.5
"""Share of its drive a fully drained person still works at (Hockey 1997)."""
EFFORT_FROM_REWARDS = 0.25
"""Extra effort at full contingent rewards (Cerasoli, Nicklin & Ford 2014)."""
EFFORT_FROM_PRESSURE = 0.5
"""Extra effort mobilised at full time pressure, at the cost of exhaustion (compensatory
effort, Hockey 1997)."""
CONTRIBUTION_BASE = 0.3
"""Share of a fully skilled member's contribution that an unskilled one still makes."""


def effort(
    *, energy: np.ndarray, autonomous: np.ndarray, controlled: np.ndarray,
    contingent_rewards: float, pressure: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Effort an employee puts in this step.

    ``effort = (0.4 + 0.4·autonomous + 0.2·controlled) · (0.5 + 0.5·energy) · (1 + 0.25·rewards)
    · (1 + 0.5·time pressure)``, at most 1. Autonomous and controlled motivation both
    energise action (Gagné & Deci 2005); a depleted person still works, at half pace when
    fully drained; under time pressure people mobilise extra effort, which the demands
    then charge to exhaustion (compensatory control, Hockey 1997); incentives buy extra
    quantity (Cerasoli, Nicklin & Ford 2014).
    """
    drive = DRIVE_BASE + DRIVE_FROM_AUTONOMOUS * autonomous + DRIVE_FROM_CONTROLLED * controlled
    pace = PACE_WHEN_DRAINED + (1.0 - PACE_WHEN_DRAINED) * energy
    return clip(drive * pace * (1.0 + EFFORT_FROM_REWARDS * contingent_rewards)
                * (1.0 + EFFORT_FROM_PRESSURE * pressure), 0.0, 1.0)


def contribution(skill: np.ndarray, effort_: np.ndarray, fit: np.ndarray) -> np.ndarray:
    """Work done by one member: ``effort · (0.3 + 0.7·skill) · fit``."""
    return effort_ * (CONTRIBUTION_BASE + (1.0 - CONTRIBUTION_BASE) * skill) * fit


def circumstances(rng, k: int, spread: float | np.ndarray) -> np.ndarray:
    """The week's circumstances of ``k`` workers, as a factor on their work: lognormal with
    mean 1 and log-SD ``spread`` (interruptions, unclear specifications, luck; one for all,
    or each worker's).

    What one gets done in a week depends on much besides motivation and skill: motivation
    explains only 5–15 % of the variance of individual performance (Cerasoli, Nicklin &
    Nassrelgrgawi 2016).
    """
    if np.all(np.equal(spread, 0.0)):  # nothing to draw
        return np.ones(k)
    # (spread² as ``pow`` computes it, a number's ``**`` alone and each worker's in a
    # batch: numpy squares an array's ``**2`` by multiplying, which can differ in the
    # last bit)
    return np.exp(spread * rng.standard_normal(k) - 0.5 * np.float_power(spread, 2))


def problem_drag() -> float:
    """Share of a week's working time lost at full problem load (0.2): the same lingering
    problems that job demands charge at ``wellbeing.PROBLEMS`` against a week's
    ``wellbeing.WORKLOAD``, read as the time they take, so that their strain and their cost
    in work are one judgement (change ``wellbeing.PROBLEMS`` and both follow)."""
    return wellbeing.PROBLEMS / wellbeing.WORKLOAD


def time_lost_to_problems(problem_load: np.ndarray) -> np.ndarray:
    """Share of a week's working time the problems lingering around one take:
    ``problem_drag() · problem load`` (``rules.experiences.problem_load``; 0.2 at full load,
    0.1 with one problem ten weeks old).

    An open problem is work getting in the way of work: missing information, materials or
    equipment, chased and patched by those it hinders, again each time it bites
    (operational failures: Tucker & Spear 2006 observed 8.4 a shift; Tucker & Edmondson
    2003). Leaving a problem open costs its team time, as fixing it costs whoever fixes it.
    """
    return problem_drag() * np.asarray(problem_load)


PERFORMANCE_MEMORY = 0.1
"""Weight of the latest step in an employee's performance record (about ten steps' memory)."""


def track_performance(
    *, performance: np.ndarray, output: np.ndarray, contribution_: np.ndarray,
    working: np.ndarray, rate: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Individual records of work: ``x ← x + rate·(contribution − x)``, ``rate =
    PERFORMANCE_MEMORY`` unless given.

    ``performance`` is task performance as an observer of one's work would rate it: the
    moving average of one's contribution over the steps one works (in-role performance,
    Borman & Motowidlo 1993; NaN until one has worked). ``output`` averages over every
    step, idle ones counting 0: what one adds to the team's throughput.
    """
    rate = PERFORMANCE_MEMORY if rate is None else rate  # read now: a change takes effect
    seen = working & np.isnan(performance)
    updated = np.where(seen, contribution_, performance + rate * (contribution_ - performance))
    performance = np.where(working, updated, performance)
    output = output + rate * (np.where(working, contribution_, 0.0) - output)
    return performance, output


def staffing_level(members: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """How fully a task is staffed: ``min(1, members / needed)``."""
    return np.minimum(1.0, members / np.maximum(needed, 1))


SHORT_TEAM_LOSS = 1.0
"""How much more than its missing members' share a team short of members loses: its
progress is scaled by ``staffing ** SHORT_TEAM_LOSS`` on top of the sum of what its
members contribute. 1: an interdependent task moves only as fast as its least-staffed
part (Thompson 1967, who gives no number); 0: a short team loses only its missing
members' share. Field studies give no number either: understaffed groups perform worse
(Ganster & Dwyer 1995), as any value ≥ 0 has them do, while members of understaffed
settings take on more and try harder (Barker & Gump 1964), which works against an extra
loss. Heroic leadership's lead on complex work in a very turbulent market rests on it
(README); among the robustness study's uncertain inputs, from 0 to 2, and swept alone in
its part (c)."""


def team_progress(
    *,
    contributions_sum: np.ndarray,
    members: np.ndarray,
    needed: np.ndarray,
    coordination_efficiency: np.ndarray,
) -> np.ndarray:
    """Progress of each task: ``Σ contributions · min(1, m/needed)^L · efficiency``,
    ``L = SHORT_TEAM_LOSS`` (1).

    An interdependent task moves only as fast as its least-staffed part allows, so a
    team short of members loses more than their own share (Thompson 1967).
    """
    staffing = staffing_level(members, needed) ** SHORT_TEAM_LOSS
    return contributions_sum * staffing * coordination_efficiency


def coordination_efficiency(
    *, members: np.ndarray, cost: float, protocol_coverage: float,
    lead_quality: np.ndarray, lead_share: float,
) -> np.ndarray:
    """Share of a team's effort that becomes progress after coordinating.

    ``1 − cost · (1 − protocols) · (m − 1)/m · (1 − lead_share · q)``: every team of more
    than one loses effort to coordination (process loss, Steiner 1972), less where agreed
    protocols cover it (scalable coordination procedures, Adler, Heckscher & Prusak 2011;
    Lee 2022), and less where a capable, attentive lead coordinates it (``q`` from
    ``rules.leadership.lead_coordination_quality``; up to ``lead_share`` of the loss).
    """
    overhead = cost * (1.0 - protocol_coverage) * (members - 1) / np.maximum(members, 1)
    return 1.0 - overhead * (1.0 - lead_share * lead_quality)


def work_quality(skill: np.ndarray, autonomous: np.ndarray,
                 lead_skill: np.ndarray | float = 0.5) -> np.ndarray:
    """Quality of a member's work: ``0.45·skill + 0.45·autonomous + 0.1·lead skill``.

    Autonomous motivation predicts the quality of performance, incentives its quantity
    (Cerasoli, Nicklin & Ford 2014); a competent lead raises its team's quality a little
    (the "well equipped" condition as a cause; Adler, Heckscher & Prusak 2011).
    """
    return 0.45 * skill + 0.45 * autonomous + 0.1 * lead_skill
