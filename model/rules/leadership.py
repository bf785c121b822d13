"""Leadership decisions: who may lead, who supports them, who joins, how a leader acts.

The distributed rules follow the claim–grant account of leader identity (DeRue & Ashford
2010) and the four conditions of distributed leadership: people take the lead where it
benefits the organisation, they are equipped for it, they have the energy, and others are
willing to support them (Adler, Heckscher & Prusak 2011). Pure and vectorised.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from model.rules.market import planned_duration
from model.rules.numeric import clip

FOLLOWING_WEIGHTS = {"shared_purpose": 0.4, "sat_relatedness": 0.3, "autonomous": 0.3}
"""Weights of willingness to follow a colleague's lead (Carson, Tesluk & Marrone 2007)."""

LATITUDE_FROM_CLOSENESS = 0.5
"""How much of the way to full support a closest tie to the formal leader adds (LMX)."""

TASKS_LOOKED_AT = 3
"""How many waiting tasks an employee considers before claiming the one it is best at."""

MIN_TASK_VALUE = 0.25
"""A task worth less than this (relative to an average task) is not worth taking the lead on."""

TEAM_PREFERENCE = 0.15
"""How much a formal leader prefers keeping a task inside one formal team (in skill units)."""

SKILL_PRIOR = 0.4
"""What a formal leader assumes about the skill of someone it has not yet seen at work."""

ESTIMATE_NOISE = 0.2
"""How wrong a leader's first impression of a colleague's skill is (standard deviation)."""

EXCEPTION_ATTENTION = 0.5
"""Attention a formal leader spends deciding one exception routed up from a running team
(half of staffing an average task: Mintzberg 1973, most managerial acts are short)."""

DECISION_WEEKS = 1.0 / 6.0
"""Person-weeks one decision takes (a problem addressed, an average task staffed): the unit
of attention, set by the default ``leader_capacity``: six such decisions fill a formal
leader's week, the rest of which is the many short acts of managerial work around them
(Mintzberg 1973). An employee who decides spends the same time, out of their own work: the
same act costs the same time whoever does it."""

COLLISION_COST = 0.1
"""Job demand a claimant bears when a rival wins the same task (duplicated effort; Bolton &
Farrell 1990)."""


def willingness_to_follow(
    shared_purpose: float, sat_relatedness: np.ndarray, autonomous: np.ndarray
) -> np.ndarray:
    """How ready each employee is to back a colleague who takes the lead.

    ``f = 0.4·shared_purpose + 0.3·sat_relatedness + 0.3·autonomous``: shared purpose,
    social support and engagement make up the internal team environment in which shared
    leadership emerges (Carson, Tesluk & Marrone 2007).
    """
    w = FOLLOWING_WEIGHTS
    return clip(w["shared_purpose"] * shared_purpose + w["sat_relatedness"] * sat_relatedness
                + w["autonomous"] * autonomous, 0.0, 1.0)


def peer_support(
    *, willingness: np.ndarray, src: np.ndarray, dst: np.ndarray, w: np.ndarray
) -> np.ndarray:
    """Support each employee can count on: tie-weighted mean willingness of its neighbours.

    ``s_i = Σ_j w_ij f_j / Σ_j w_ij`` (grants flow through relationships, DeRue & Ashford
    2010). An employee without ties has no support.
    """
    n = len(willingness)
    backing = np.bincount(src, weights=w * willingness[dst], minlength=n)
    total = np.bincount(src, weights=w, minlength=n)
    return np.divide(backing, total, out=np.zeros(n), where=total > 0)


def ready_to_lead(
    *,
    skill: np.ndarray,
    energy: np.ndarray,
    support: np.ndarray,
    min_skill: float,
    min_energy: float,
    min_support: float,
) -> np.ndarray:
    """Three of the four conditions of distributed leadership, those about the person:
    equipped (``skill ≥ min_skill``), energised (``energy ≥ min_energy``) and backed by
    peers (``support ≥ min_support``) (Adler, Heckscher & Prusak 2011)."""
    return (skill >= min_skill) & (energy >= min_energy) & (support >= min_support)


def may_claim(
    *,
    skill: np.ndarray,
    energy: np.ndarray,
    support: np.ndarray,
    task_value: np.ndarray,
    min_skill: float,
    min_energy: float,
    min_support: float,
) -> np.ndarray:
    """All four conditions of distributed leadership: the task benefits the organisation
    (``task_value > 0``, where ``task_value`` is the task's value above the least worth
    leading, ``value − MIN_TASK_VALUE``: a task must be worth more than a quarter of an
    average one) and the employee is ``ready_to_lead`` it (equipped, energised and backed
    by peers: Adler, Heckscher & Prusak 2011; DeRue & Ashford 2010). Arrays broadcast."""
    return (task_value > 0) & ready_to_lead(
        skill=skill, energy=energy, support=support,
        min_skill=min_skill, min_energy=min_energy, min_support=min_support,
    )


def claim_propensity(autonomous: np.ndarray, energy: np.ndarray,
                     helplessness: np.ndarray | float = 0.0,
                     pull: np.ndarray | float = 0.0) -> np.ndarray:
    """Chance that an idle employee who may act steps forward this step (whether its claim
    then stands is the gate's, ``may_claim``):
    ``d + (1 − d)·pull`` with drive ``d = autonomous · energy · (1 − helplessness)``.

    Proactive behaviour is driven by autonomous motivation and energy (Parker, Bindl &
    Strauss 2010); the helpless stop trying (Martinko & Gardner 1982); work one can see
    waiting while one is idle is a "reason to" step forward (felt responsibility, Morrison
    & Phelps 1999), ``pull`` (``backlog_pull``).
    """
    drive = initiative_drive(autonomous, energy, helplessness)
    return clip(drive + (1.0 - drive) * pull, 0.0, 1.0)


def initiative_drive(autonomous: np.ndarray, energy: np.ndarray,
                     helplessness: np.ndarray | float = 0.0) -> np.ndarray:
    """The drive behind proactive behaviour, ``autonomous · energy · (1 − helplessness)``
    in [0, 1]: the "reason to" and the "energised to" of proactive motivation (Parker,
    Bindl & Strauss 2010); the helpless stop trying (Martinko & Gardner 1982). Stepping
    forward to claim (``claim_propensity``) and taking up work unasked
    (``opportunity_chance``) both start from it."""
    return clip(autonomous * energy * (1.0 - np.asarray(helplessness)), 0.0, 1.0)


def opportunity_chance(*, autonomous: np.ndarray, energy: np.ndarray,
                       helplessness: np.ndarray | float = 0.0,
                       rate: float | np.ndarray) -> np.ndarray:
    """Chance that an idle employee sees, this week, work worth doing that nobody asked
    for, in the domain it knows best, and takes it up:
    ``rate · autonomous · energy · (1 − helplessness)``.

    Personal initiative is work that is self-started, beyond what is asked (Frese & Fay
    2001); it has the drive of stepping forward (``claim_propensity``: autonomous
    motivation and energy, Parker, Bindl & Strauss 2010; the helpless do not try) and
    is pursued in slack time (Nohria & Gulati 1996), so only by the idle. ``rate``: the
    chance at full drive (``initiative_rate``).
    """
    return clip(rate * initiative_drive(autonomous, energy, helplessness), 0.0, 1.0)


def backlog_pull(*, protocol_coverage: float, people_wanted: float, idle: float) -> float:
    """How strongly visible waiting work, or open places on teams, pull idle people forward:
    ``coverage · min(1, people wanted / people idle)``.

    Work is visible to those not already tied to it where protocols make the backlog
    visible (collaboration infrastructure, Adler, Heckscher & Prusak 2011); the pull grows
    with the share of the idle whom the waiting work would need. 0 with nobody idle.
    """
    if idle <= 0:
        return 0.0
    return float(protocol_coverage * min(1.0, people_wanted / idle))


def claim_support(*, followers: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Support for a claim on a task: ``min(1, followers / max(1, needed − 1))``, the
    colleagues likely to follow the claimant against the colleagues the task needs.

    A claim is backed by the people the lead would need (DeRue & Ashford 2010: grants flow
    through relationships; Carson, Tesluk & Marrone 2007): a lead with enough willing, free
    colleagues around it for the task at hand is supported, one whose ties are busy or
    unwilling is not, and a big task needs more backing than a small one
    (``likely_followers``).
    """
    return clip(followers / np.maximum(np.asarray(needed) - 1, 1), 0.0, 1.0)


def likely_followers(*, willingness: np.ndarray, free: np.ndarray, src: np.ndarray,
                     dst: np.ndarray, w: np.ndarray, of: np.ndarray | None = None
                     ) -> np.ndarray:
    """How many colleagues each employee could count on to follow a lead now:
    ``Σ_j f_j · (0.5 + 0.5·w_ij)`` over its tied colleagues ``j`` free to join, each
    counted by their willingness to follow ``f_j``, closer ties more (as in
    ``volunteer_propensity``). Colleagues tied up in other work cannot follow.

    ``of``: the employees whose count is wanted (the rest come out 0; each wanted one's
    the same, summed over the same ties in the same order); everyone's by default."""
    n = len(willingness)
    if of is not None:  # only the ties from those asked about
        asked = np.zeros(n, dtype=bool)
        asked[of] = True
        from_asked = np.flatnonzero(asked[src])
        src, dst, w = src[from_asked], dst[from_asked], w[from_asked]
    return np.bincount(src, weights=willingness[dst] * free[dst] * (0.5 + 0.5 * w),
                       minlength=n)


def grant_probability(support: np.ndarray, reputation: np.ndarray | float = 0.5,
                      urgency: np.ndarray | float = 0.0) -> np.ndarray:
    """Chance that peers grant a claim: ``g + (1 − g)·urgency`` with ``g = s · (0.5 +
    reputation)``: their support ``s`` raised or lowered by the claimant's standing from
    earlier leads (DeRue & Ashford 2010; Marchiondo, Myers & Kopelman 2015), and work that
    is running out of time makes peers accept a lead more readily (groups in a crisis
    accept influence they would otherwise resist, Hamblin 1958). ``urgency`` is
    ``1 / max(1, slack in weeks)``, as in ``triage_priority``. At the neutral reputation
    0.5 and no urgency it is ``s``."""
    granted = clip(support * (0.5 + np.asarray(reputation)), 0.0, 1.0)
    return clip(granted + (1.0 - granted) * urgency, 0.0, 1.0)


def volunteer_propensity(
    *, autonomous: np.ndarray, sat_relatedness: np.ndarray, tie: np.ndarray, energy: np.ndarray,
    lead_support: np.ndarray | float = 0.5,
) -> np.ndarray:
    """Chance that an idle employee joins a colleague's task when asked.

    ``v = a · t · r · e · (0.5 + s_lead)`` with each of the first four factors ``0.5 +
    0.5·x`` of autonomous motivation, tie strength, relatedness satisfaction and energy:
    people volunteer for work they value, for people they are close to (Gagné 2003,
    prosocial behaviour from autonomous motivation and relatedness), when they have the
    energy; and they follow a lead whom colleagues back (``s_lead``, peer support; Carson,
    Tesluk & Marrone 2007), neutral at 0.5.
    """
    factors = [autonomous, tie, sat_relatedness, energy]
    base = np.prod([0.5 + 0.5 * f for f in factors], axis=0)
    return clip(base * (0.5 + np.asarray(lead_support)), 0.0, 1.0)


def joining_propensity(willing: np.ndarray, pull: np.ndarray | float) -> np.ndarray:
    """Chance that an idle employee asked to join a task says yes, with open places in
    view: ``v + (1 − v)·pull``, its willingness ``v`` (``volunteer_propensity``) raised
    by the pull of the open places protocols make visible (``backlog_pull``), as waiting
    work pulls claimants forward (``claim_propensity``; felt responsibility, Morrison &
    Phelps 1999)."""
    v = np.asarray(willing, float)
    return clip(v + (1.0 - v) * np.asarray(pull, float), 0.0, 1.0)


def leader_act_support(
    *, style: float | np.ndarray, size: int, rng: Any, consistency: float = 8.0
) -> np.ndarray:
    """Autonomy support of each of a formal leader's acts: ``Beta(κ·style, κ·(1 − style))``.

    A leader's style (``leader_autonomy_support``) sets the mean; single acts vary
    (rationale, choice and acknowledgement on good days, pressure on bad ones; Deci,
    Olafsen & Ryan 2017). ``consistency`` κ sets how much. ``style``: the leader's, or one
    per act (in an organisation batch, each act's leader's).
    """
    a = np.maximum(consistency * np.asarray(style), 1e-3)
    b = np.maximum(consistency * (1.0 - np.asarray(style)), 1e-3)
    return rng.beta(a, b, size=size)


def exchange_latitude(support: np.ndarray | float, tie_to_leader: np.ndarray) -> np.ndarray:
    """A formal leader gives those it knows well more latitude: ``σ + 0.5·w·(1 − σ)``.

    Leader–member exchange (Graen & Uhl-Bien 1995): a close relationship with the leader
    (tie strength ``w``) brings choice, information and support beyond the leader's style
    ``σ``; those at the periphery of the leader's network get its style as it is. This is
    why peripheral members of a centralised structure are less satisfied (Leavitt 1951).
    """
    return support + LATITUDE_FROM_CLOSENESS * tie_to_leader * (1.0 - support)


def decision_load(complexity: np.ndarray) -> np.ndarray:
    """Share of a formal leader's decision capacity that deciding on a task takes:
    ``0.5 + complexity`` (a task of average complexity is one decision).

    Complex tasks take longer to understand, split and staff, so the hub of a centralised
    structure saturates first on complex work (Shaw 1964: saturation).
    """
    return 0.5 + complexity


def staffing_attention(complexity: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Attention a formal leader spends staffing a task: ``(0.5 + κ)·(0.25 + 0.25·needed)``.

    Information processing takes time per item handled (Radner 1993): a task is more to
    understand the more complex it is (``decision_load``) and more people to match the
    bigger its team. An average task at the defaults (κ 0.5, about three people) costs
    about one unit, one of ``leader_capacity``.
    """
    return decision_load(complexity) * (0.25 + PERSON_ATTENTION * needed)


PERSON_ATTENTION = 0.25
"""Part of a staffing decision, in decision loads, that each person brought onto a team
takes (the rest, 0.25, is the decision itself)."""


def recruiting_attention(complexity: np.ndarray) -> np.ndarray:
    """Attention the lead of a self-organised team spends on each colleague who joins it:
    ``(0.5 + κ)·0.25``, the per-person part of a staffing decision. A claimant pays for
    deciding to lead and bringing itself, ``staffing_attention(κ, 1)``, and then for each
    colleague as one joins (a first team of ``n`` costs it what staffing ``n`` costs a
    formal leader, and a replacement costs it what a formal leader's refill does, less
    the decision itself: colleagues come to it)."""
    return decision_load(complexity) * PERSON_ATTENTION


def slack(*, deadline: np.ndarray, now: int, work_left: np.ndarray, members: np.ndarray,
          complexity: np.ndarray) -> np.ndarray:
    """Weeks to spare before a task's deadline, given the work left and its team (a waiting
    task: its full team): ``deadline − now − work left / (members · planned pace)``
    (``rules.market.planned_pace``). Whoever staffs or claims work sees it alike."""
    return deadline - now - planned_duration(work_left, members, complexity)


def can_still_finish(slack_: np.ndarray, lateness_accepted: np.ndarray | float = 0
                     ) -> np.ndarray:
    """Whether a task is worth starting: its slack to its deadline, with the weeks past it
    the client still takes the work late (``rules.market.last_week``), is not negative:
    ``slack + lateness accepted ≥ 0``. A decision maker who takes on work that can no
    longer be delivered spends people on a certain failure; a triaging leader and a
    claimant alike let it go (Repenning & Sterman 2001), and alike take on work that
    will be late but is still wanted (none at the default, ``late_acceptance`` 0)."""
    return slack_ + lateness_accepted >= 0


LATE_WORK_SLACK = 52.0
"""Weeks of slack per week left to its last week with which a decision maker ranks work
that can now only be late: a year's, more than work that can still be on time has in
the model's ranges (weeks: under 8 as it arrives, at the defaults), so that late work
goes behind it (``ranking_slack``)."""


def ranking_slack(slack_: np.ndarray, lateness_accepted: np.ndarray | float = 0
                  ) -> np.ndarray:
    """The slack a decision maker ranks work by, least first: its slack to its deadline;
    for work behind its deadline that its client takes late (slack below 0, lateness
    accepted above 0), ``LATE_WORK_SLACK · max(1, slack + lateness accepted)``.

    A schedule that minimises how many jobs are late does the jobs that can be on time by
    their due dates and the late ones after them (Moore 1968); putting people and
    attention on work already late starves the work that could still be on time, and more
    of it falls behind: the firefighting trap (Repenning 2001). So late work goes behind
    work that can still be on time wherever work is put in order (a fostering leader
    delegating, a formal leader attending to its teams), and in a priority that weighs
    value and cost as well (``triage_priority``: a formal leader's queue, a claimant's
    choice) unless it is worth many times more per unit of attention; among itself, the
    nearest its last week first, work behind even its last week on plan (running work a
    team may yet catch up) at the front of it (the model's choice: the further behind,
    the sooner, as by the slack itself). Every decision maker ranks alike (switch
    ``late_work_last``); peers granting a lead read the slack itself
    (``grant_probability``). With no late delivery (the default, ``late_acceptance`` 0)
    it is the slack."""
    slack_ = np.asarray(slack_, dtype=float)
    lateness = np.asarray(lateness_accepted, dtype=float)
    late_only = (slack_ < 0) & (lateness > 0)
    return np.where(late_only, LATE_WORK_SLACK * np.maximum(slack_ + lateness, 1.0), slack_)


PROBLEM_VALUE = 1.0
"""Value a triaging leader puts on fixing one problem: the work it blocks, one average
arriving task (``rules.market.task_value`` has mean 1 at every moment), so problems and
tasks compete on one scale."""

PROBLEM_SLACK = 4.0
"""Steps of slack a triaging leader sees in a problem it has just learnt of, one fewer for
each step it has known of it: nothing about a fresh problem is due, so due work comes
first (firefighting; Repenning & Sterman 2001) until it presses, unless problems are put
first."""


def triage_priority(*, value: np.ndarray, slack: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Priority of an item in a formal leader's queue: ``value · urgency / cost`` with
    ``urgency = 1 / max(1, slack)``, slack in steps before the item must be acted on
    (for a task, as decision makers rank it: ``ranking_slack``).

    Weighted shortest job first (the cμ rule of queueing): a manager serves what is worth
    most per unit of its time, soonest due first; overload then slows a centralised
    structure instead of stopping it (Kingman 1961; leadership-mechanisms note §1.3).
    """
    return value / np.maximum(slack, 1.0) / np.maximum(cost, 1e-9)


def lead_coordination_quality(*, lead_skill: np.ndarray, lead_energy: np.ndarray,
                              attended: np.ndarray | bool = True) -> np.ndarray:
    """How well a team's lead coordinates it: ``attended · skill · (0.5 + 0.5·energy)``.

    A lead's competence makes its team's coordination work (one of the four conditions of
    distributed leadership as a cause: "well equipped", Adler, Heckscher & Prusak 2011);
    leading while depleted goes worse (Hockey 1997); a formal leader's team is coordinated
    only if the leader attends to it (span of control, Galbraith 1974). In [0, 1].
    """
    return clip(attended * lead_skill * (0.5 + 0.5 * lead_energy), 0.0, 1.0)


def update_reputation(reputation: np.ndarray, succeeded: np.ndarray,
                      rate: float) -> np.ndarray:
    """A lead's reputation after one of its tasks ends: ``r ← r + ρ(outcome − r)``, outcome
    1 for a completed task and 0 for a failed one.

    Leader identity is granted from what a claimant shows (DeRue & Ashford 2010): a claim
    that ends in failure costs the claimant standing, and observed competence is what
    carries the grant (Marchiondo, Myers & Kopelman 2015).
    """
    return clip(reputation + rate * (succeeded.astype(float) - reputation), 0.0, 1.0)


def emergent_lead_support(lead_autonomous: np.ndarray) -> np.ndarray:
    """Autonomy support of an emergent (peer) lead: its own autonomous motivation.

    Autonomously motivated people lead in a more autonomy-supportive way (Roth et al. 2007;
    Trépanier, Fernet & Austin 2012).
    """
    return clip(lead_autonomous, 0.0, 1.0)


def update_skill_estimate(
    estimate: np.ndarray, observed: np.ndarray, rate: float = 0.1
) -> np.ndarray:
    """A formal leader's estimate of a skill it has just seen at work: ``ŝ ← ŝ + λ(s − ŝ)``.

    The leader learns slowly and only about the people it watches (bounded rationality,
    Simon 1955), so its allocations lag a changing environment.
    """
    return estimate + rate * (observed - estimate)


def first_impression(skill: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """A formal leader's estimate of people it has not yet seen work: a noisy guess
    halfway between its prior and the truth, ``clip(ŝ₀ + 0.5·(s − ŝ₀) + ε)`` with
    ``ŝ₀ = SKILL_PRIOR`` and ``ε ~ N(0, ESTIMATE_NOISE²)`` drawn by the caller (first
    impressions carry some signal and much error; bounded rationality, Simon 1955)."""
    return clip(SKILL_PRIOR + 0.5 * (skill - SKILL_PRIOR) + noise, 0, 1)


def local_resolution_chance(protocol_coverage: float | np.ndarray,
                            capability: np.ndarray) -> np.ndarray:
    """Chance that whoever decides something on the spot gets it decided this step:
    ``c + (1 − c)·q`` when ``q > 0``, else 0.

    ``c`` is protocol coverage (an agreed procedure says what to do; Adler, Heckscher &
    Prusak 2011) and ``q`` what the deciders bring to it, in [0, 1]. One rule for two
    decisions: a team addressing one of its known problems (``q``: the share of the team
    able, energised and supported to act), and anyone deciding a task's exception, a
    supervisor, a self-organised lead or the formal leader (``q``: the know-how in the
    task's domain it decides with, ``policies.allocation.know_how``; first-line
    supervision handles what it can, Perrow 1967; Galbraith 1974). With nothing to bring
    (``q = 0``) it stays undecided.
    """
    c = protocol_coverage
    return np.where(capability > 0, c + (1.0 - c) * capability, 0.0)


def leader_attention(*, capacity: float | np.ndarray, energy: float | np.ndarray,
                     pressure: float | np.ndarray, positions: int,
                     span_of_control: bool) -> float | np.ndarray:
    """Attention the formal leadership has this week, in decisions:
    ``capacity · min(1, (0.5 + 0.5·energy) · (1 + 0.5·pressure)) · scale``, ``scale =
    positions / 100`` with ``span_of_control`` (else 1).

    The leader's effort follows the rule of anyone's (``rules.work.effort``): a drained
    leader works at half pace (Hockey 1997), and a long queue (``pressure``,
    ``rules.wellbeing.queue_pressure``) mobilises compensatory effort at the cost of
    exhaustion, as time pressure does for those on a task (motivation and rewards, which
    also drive an employee's effort, are left out: the leader's budget is its role). With
    span of control the leader's office grows with the organisation (supervisors and
    deputies), so what it can attend to per employee does not fall with headcount by
    construction: a modelling assumption, in the spirit of Meier & Bohte (2000), who
    relate span of control to performance; without it, one leader's ``capacity`` serves
    any headcount.
    """
    from model.rules.work import EFFORT_FROM_PRESSURE, PACE_WHEN_DRAINED  # one rule of effort

    pace = PACE_WHEN_DRAINED + (1.0 - PACE_WHEN_DRAINED) * energy
    scale = positions / 100.0 if span_of_control else 1.0
    return capacity * np.minimum(1.0, pace * (1.0 + EFFORT_FROM_PRESSURE * pressure)) * scale
