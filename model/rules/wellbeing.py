"""Well-being: two processes, not one (Job Demands–Resources; Schaufeli & Bakker 2004;
Bakker & Demerouti 2017).

- *Exhaustion* (the health-impairment process) grows with job demands above what one
  recovers from in a week and with need frustration, and recovers incompletely while the
  demands stay high (effort–recovery, Meijman & Mulder 1998).
- *Vitality* (engagement, the motivational process) follows job resources, need
  satisfaction and autonomous motivation, and is sapped by exhaustion.

Burnout is sustained high exhaustion. What each feeds, as the sources say: the energy one
has to act (effort, stepping forward to lead, volunteering) is vitality discounted by
exhaustion (``available_energy``: engagement drives effort and initiative, Christian,
Garza & Slaughter 2011, Salanova & Schaufeli 2008; exhaustion lowers capacity, Hockey
1997); turnover intention rises with exhaustion and falls with vitality
(``rules.turnover``; Schaufeli & Bakker 2004).

Pure and vectorised: one row per employee, every value in [0, 1] unless noted.
"""

from __future__ import annotations

import numpy as np

from model.rules.numeric import clip

# --------------------------------------------------------------------------- demands
WORKLOAD = 0.5
"""Demand of a week on a task at an ordinary pace."""
TIME_PRESSURE = 0.4
"""Extra demand at full time pressure (the work left cannot be done at the pace so far)."""
MISFIT = 0.3
"""Demand of work beyond one's skill, per unit of misfit (1 − skill fit)."""
PROBLEMS = 0.1
"""Demand of the lingering problems around one, at full problem load."""
BLOCKED = 0.2
"""Demand of a week stuck on a task whose exception nobody has resolved."""
DEMAND_THRESHOLD = 0.62
"""Demands one recovers from within the week: only what lies above strains (Meijman &
Mulder 1998)."""


def time_pressure(*, work_left: np.ndarray, weeks_left: np.ndarray, needed: np.ndarray,
                  pace: float) -> np.ndarray:
    """``clip(0.5 · required pace / planned pace, 0, 1)``: the pace per member the work left
    needs before the deadline, ``work left / (weeks left · members needed)``, against the
    pace a plan expects of a member.

    Meeting the deadline at the planned pace is 0.5; needing twice that is full pressure;
    a task with slack is under little, a late start or a lagging team under more (time
    pressure, Karasek 1979). With no week left, it is 1.
    """
    required = work_left / np.maximum(weeks_left * np.maximum(needed, 1), 1e-9)
    return clip(np.where(weeks_left > 0, 0.5 * required / pace, 1.0), 0.0, 1.0)


def deadline_lost(*, work_left: np.ndarray, weeks_to_deadline: np.ndarray,
                  needed: np.ndarray, pace: float | np.ndarray) -> np.ndarray:
    """Whether a task's deadline is lost: its work left cannot be done by the end of its
    deadline week even at twice the planned pace, ``work left > 2 · pace · needed · (weeks
    to the deadline + 1)`` (the deadline week is worked; twice the plan is full time
    pressure, ``time_pressure``)."""
    weeks = np.maximum(weeks_to_deadline, 0) + 1
    return work_left > 2.0 * pace * np.maximum(needed, 1) * weeks


def task_time_pressure(*, work_left: np.ndarray, weeks_to_deadline: np.ndarray,
                       weeks_to_last_week: np.ndarray, needed: np.ndarray,
                       pace: float | np.ndarray) -> np.ndarray:
    """A task's time pressure (``time_pressure``): against its deadline; where that is
    lost (``deadline_lost``) and its client still takes the work later, against a
    re-planned date, the planned duration of the work left from now but no later than
    the last week (``rules.market.last_week``): ``max(0.5, pressure against the last
    week)``, on plan, or behind even the last week.

    With late delivery on (``late_acceptance`` above 0; at the default the last week is
    the deadline, and nothing is re-planned), a deadline that cannot be met is moved
    (most late projects are delivered late, Standish Group 2015): the team works to a
    new plan rather than under full pressure for weeks toward a week it cannot make, a
    pressure pinned at its bound by a date nobody works to any more; re-planned at the
    planned pace, late work is under no less pressure than work on plan.
    """
    against_deadline = time_pressure(work_left=work_left, weeks_left=weeks_to_deadline,
                                     needed=needed, pace=pace)
    lost = deadline_lost(work_left=work_left, weeks_to_deadline=weeks_to_deadline,
                         needed=needed, pace=pace) & (weeks_to_last_week > weeks_to_deadline)
    if not lost.any():
        return against_deadline
    against_last = time_pressure(work_left=work_left, weeks_left=weeks_to_last_week,
                                 needed=needed, pace=pace)
    return np.where(lost, np.maximum(0.5, against_last), against_deadline)


def queue_pressure(load: float | np.ndarray) -> float | np.ndarray:
    """A decision maker's time pressure from its queue: ``clip(0.5 · load, 0, 1)``, ``load``
    the attention asked of it over its budget (at its budget 0.5, twice it or more 1), as
    ``time_pressure`` reads a task's pace needed over its pace planned. A number for a
    number; for several decision makers' loads, each one's."""
    pressure = clip(0.5 * np.asarray(load, dtype=float), 0.0, 1.0)
    return float(pressure) if pressure.ndim == 0 else pressure


def job_demands(
    *,
    working: np.ndarray,
    pressure: np.ndarray,
    misfit: np.ndarray,
    problem_load: np.ndarray,
    blocked: np.ndarray,
    extra: np.ndarray | float = 0.0,
) -> np.ndarray:
    """A week's job demands (not bounded above):
    ``0.5·working + 0.4·time pressure + 0.3·misfit + 0.1·problems + 0.2·blocked + extra``.

    Workload and time pressure, work beyond one's skill, unresolved problems around one and
    waiting on a blocked task are the demands of JD-R (Bakker & Demerouti 2007); ``extra``
    is what leading, coordinating and colliding claims add on top of one's own work.
    """
    return (WORKLOAD * working + TIME_PRESSURE * pressure + MISFIT * misfit
            + PROBLEMS * problem_load + BLOCKED * blocked + extra)


# -------------------------------------------------------------------------- resources
RESOURCE_WEIGHTS = {"perceived_support": 0.4, "peer_support": 0.3, "skill_fit": 0.3}
"""Weights of the job resources: a supervisor's autonomy support (feedback, latitude),
peers' support and work that fits one's skill (Bakker & Demerouti 2007)."""


def job_resources(*, perceived_support: np.ndarray, peer_support: np.ndarray,
                  skill_fit: np.ndarray) -> np.ndarray:
    """``0.4·perceived autonomy support + 0.3·peer support + 0.3·skill fit``, in [0, 1]:
    the job resources of the job demands–resources model, support from the leader and from
    peers and the fit of one's skills to the work (Bakker & Demerouti 2017)."""
    w = RESOURCE_WEIGHTS
    return clip(w["perceived_support"] * perceived_support + w["peer_support"] * peer_support
                + w["skill_fit"] * skill_fit, 0.0, 1.0)


# ------------------------------------------------------------------------- exhaustion
STRAIN_RATE = 0.9
"""Exhaustion gained per unit of demand above the threshold, unbuffered, at no exhaustion;
the strain slows as exhaustion nears its bound (``update_exhaustion``: at exhaustion ``x``
it is ``STRAIN_RATE · (1 − x)`` per unit, half of it at exhaustion 0.5)."""
BUFFERING = 0.8
"""Share of that strain that full resources buffer (Bakker, Demerouti & Euwema 2005)."""
EXHAUSTION_FROM_FRUSTRATION = 0.15
"""Exhaustion gained in a week at full need frustration (Chen et al. 2015)."""
VULNERABILITY = 0.15
"""Log-change per SD of strain vulnerability (neuroticism) in the strain one takes from the
same demands and frustration, and, the other way, in one's recovery: people high in
neuroticism react more to the same stressors (Bolger & Zuckerman 1995) and recover less
(Sonnentag 2018). Its size, with the less supportive light in which the same people see
their work (``dispositions.PERCEPTION_FROM_NEGATIVE_AFFECTIVITY``, which frustrates them
more), puts the trait's correlation with exhaustion at about .4–.5 across employees, the
band item 22 of the ODD set (now .47 under heroic, .38 and .37 under distributed and
fostering leadership, at its lower edge): neuroticism is the personal trait most
consistently related to emotional exhaustion (Alarcon, Eschleman & Bowling 2009), and the
five factors together correlate .57 with it (Swider & Zimmerman 2010), so one trait's
share lies below that."""


def update_exhaustion(
    *,
    exhaustion: np.ndarray,
    demands: np.ndarray,
    resources: np.ndarray,
    mean_frus: np.ndarray,
    recovery: float | np.ndarray,
    vulnerability: float | np.ndarray = 0.0,
) -> np.ndarray:
    """``x ← x + r·[0.9·o·(1 − 0.8·R) + 0.15·frustration]·(1 − x) − (recovery / r)·(1 −
    o/(1 − θ))·x`` with overload ``o = max(0, D − θ)`` (capped at ``1 − θ`` in the recovery
    term) above the threshold ``θ = DEMAND_THRESHOLD``, and reactivity ``r = exp(0.15·v)``
    for strain vulnerability ``v`` (a standard score; 0 is the average person).

    Demands above what a week's rest restores strain, less so with resources (JD-R
    buffering), and less as one nears full exhaustion (each further step costs more to
    take: exhaustion approaches its bound without sitting on it); need frustration
    exhausts whatever the workload (Chen et al. 2015); and recovery shrinks as the
    overload grows, so that load reactions accumulate (Meijman & Mulder 1998). People differ
    durably in both: the vulnerable take more strain from the same week and recover more
    slowly (Bolger & Zuckerman 1995; Sonnentag 2018), so exhaustion has a stable part.
    """
    reactivity = np.exp(VULNERABILITY * np.asarray(vulnerability))
    overload = np.maximum(0.0, demands - DEMAND_THRESHOLD)
    strain = (STRAIN_RATE * overload * (1.0 - BUFFERING * resources)
              + EXHAUSTION_FROM_FRUSTRATION * mean_frus) * reactivity * (1.0 - exhaustion)
    room = 1.0 - np.minimum(1.0, overload / (1.0 - DEMAND_THRESHOLD))
    recovered = np.minimum(1.0, recovery / reactivity) * room * exhaustion
    return clip(exhaustion + strain - recovered, 0.0, 1.0)


# -------------------------------------------------------------------------- vitality
VITALITY_WEIGHTS = {"base": 0.24, "satisfaction": 0.35, "autonomous": 0.25,
                    "resources": 0.3, "exhaustion": -0.1}
"""Where vitality heads: need satisfaction (Chen et al. 2015), autonomous motivation
(Ryan & Frederick 1997; Nix et al. 1999) and job resources (Schaufeli & Bakker 2004); a
little against them, exhaustion (the loss cycle of JD-R, Bakker & Demerouti 2017). The
two processes are related mostly through what feeds both (needs, support), not by
construction (Schaufeli & Bakker 2004: 10–25 % shared variance)."""
VITALITY_FROM_POSITIVE_AFFECTIVITY = 0.05
"""Shift of where vitality heads per SD of positive affectivity: people differ in the
energy and enthusiasm they bring to the same job (Watson, Clark & Tellegen 1988), the
strongest personal predictor of work engagement (Young, Glerum, Wang & Joseph 2018:
ρ = .62; extraversion .40)."""
VITALITY_RATE = 0.2
"""Share of the gap to its target that vitality closes in a week."""


def update_vitality(
    *,
    vitality: np.ndarray,
    mean_sat: np.ndarray,
    autonomous: np.ndarray,
    resources: np.ndarray,
    exhaustion: np.ndarray,
    positive_affectivity: float | np.ndarray = 0.0,
    rate: float | None = None,
) -> np.ndarray:
    """``v ← v + 0.2(target − v)``, ``target = clip(0.24 + 0.35·satisfaction + 0.25·autonomous
    + 0.3·resources − 0.1·exhaustion + 0.05·a, 0, 1)`` for positive affectivity ``a`` (a
    standard score; 0 is the average person), the rate ``VITALITY_RATE`` unless ``rate`` is
    given. The weights are not a weighted mean (they need not sum to 1): the clip keeps the
    target a vitality.

    Engagement is fed by resources and need satisfaction, not by the absence of demands
    (Schaufeli & Bakker 2004: engagement "exclusively predicted by job resources"); it is
    related to exhaustion, not its mirror image.
    """
    rate = VITALITY_RATE if rate is None else rate  # read now: a change to it takes effect
    w = VITALITY_WEIGHTS
    target = (w["base"] + w["satisfaction"] * mean_sat + w["autonomous"] * autonomous
              + w["resources"] * resources + w["exhaustion"] * exhaustion
              + VITALITY_FROM_POSITIVE_AFFECTIVITY * positive_affectivity)
    return clip(vitality + rate * (clip(target, 0.0, 1.0) - vitality), 0.0, 1.0)


# ------------------------------------------------------------- what they feed, burnout
def available_energy(vitality: np.ndarray, exhaustion: np.ndarray) -> np.ndarray:
    """The energy one has to act: ``vitality · (1 − exhaustion)``.

    Engagement drives effort and initiative (Christian, Garza & Slaughter 2011; Salanova
    & Schaufeli 2008); exhaustion takes capacity away from whatever vitality offers
    (Hockey 1997). This is what ``energy`` means everywhere in the model.
    """
    return vitality * (1.0 - exhaustion)


BURNOUT_ABOVE = (3.21 - 1) / (7 - 1)
"""Exhaustion above which a week counts as one of high exhaustion (0.368): the line of the
Dutch national survey behind the field's burnout figure (NEA, TNO and CBS; PATTERNS P2),
read on exhaustion's scale, 0 never exhausted and 1 every day. The NEA asks five exhaustion
items close to the UBOS's (Schaufeli & Van Dierendonck 2000), each answered from 1, never,
to 7, every day, and counts a mean of 3.21 or more, more often than monthly on average, as
burnout complaints (CBS, "Burn-outklachten", 2011). The model counts exhaustion above the
line: a continuous score meets it exactly with chance 0, as a mean of five whole answers
never does (3.2 or 3.4, not 3.21)."""
BURNOUT_WEEKS = 4
"""Weeks of high exhaustion in a row after which one counts as burnt out: burnout is
sustained, not a bad week (Schaufeli, Leiter & Maslach 2009)."""


def update_exhausted_weeks(weeks: np.ndarray, exhaustion: np.ndarray) -> np.ndarray:
    """Weeks in a row of exhaustion above ``BURNOUT_ABOVE`` (0 after a better week)."""
    return np.where(exhaustion > BURNOUT_ABOVE, weeks + 1, 0)


def burnt_out(weeks: np.ndarray) -> np.ndarray:
    """Burnt out: at least ``BURNOUT_WEEKS`` weeks of high exhaustion in a row."""
    return weeks >= BURNOUT_WEEKS
