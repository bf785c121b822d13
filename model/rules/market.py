"""The market the organisation works for: demand that moves but reverts, tasks whose value
is relative to what arrives, work whose volume does not grow with its complexity, and plans
that know the work. Pure and vectorised.

These are the conditions of a fair comparison of leadership policies (the world checks
W1–W2 of ``docs/PATTERNS.md``): a stationary market, so that results do not depend on
run length; and complexity that changes what work is like (interdependence, exceptions,
skill demands), not how much of it arrives.
"""

from __future__ import annotations

import numpy as np

from model import channels
from model.rules import experiences
from model.rules.numeric import clip

DEMAND_REVERSION = 0.1
"""Share of log demand's distance from its mean closed each week (a half-life of about
seven weeks): fashions and orders come and go, markets do not drift off for good."""

DEMAND_VOLATILITY = 0.5
"""Standard deviation of the weekly shock to log demand at turbulence 1."""


def revert_demand(log_demand: np.ndarray, turbulence: float | np.ndarray,
                  noise: np.ndarray) -> np.ndarray:
    """Log demand one week later: ``x ← x − θ·x + turbulence·σ·z``, ``z ~ N(0, 1)`` drawn by
    the caller, ``θ = DEMAND_REVERSION``, ``σ = DEMAND_VOLATILITY``.

    An Ornstein–Uhlenbeck process (discretised): demand moves unpredictably, as fast as
    turbulence says, and reverts to its mean, so the market is stationary (mean-reverting
    demand, Dixit & Pindyck 1994, ch. 3). A market shock jumps it; it then reverts.
    ``turbulence``: one market's, or a column of each market's (a row of domains each).
    """
    return (1.0 - DEMAND_REVERSION) * log_demand + turbulence * DEMAND_VOLATILITY * noise


def demand_shares(log_demand: np.ndarray) -> np.ndarray:
    """Share of new tasks in each domain: the softmax of log demand (of each market: one
    row of domains each)."""
    z = np.exp(log_demand - log_demand.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def task_value(shares: np.ndarray, domain: np.ndarray) -> np.ndarray:
    """Value of a task in ``domain``: its domain's demand share over the mean share an
    arriving task meets, ``d_k / Σ_j d_j²``.

    A task in a domain in demand is worth more than one in a domain out of fashion, and the
    mean value of an arriving task (domains drawn by demand) is exactly 1 at every moment:
    value is relative to what the market asks now, never inflated by its drift.
    ``shares``: the market's, or each task's market's (a row of domains per task).
    """
    met = np.broadcast_to(shares, (len(domain), np.shape(shares)[-1]))  # each task's market
    return met[np.arange(len(domain)), domain] / np.sum(met**2, axis=-1)


def mean_task_scale(complexity: float, team_size: int,
                    interdependence: float | None = None) -> float:
    """Mean of ``needed · (1 + 2κ)`` over the tasks arriving at mean complexity ``c``, with
    ``needed = 1 + Binomial(team_size − 1, κ/2)`` and ``κ ~ Beta(6c, 6(1 − c))``:
    ``1 + 2c + m·c/2 + m·E[κ²]``, ``m = team_size − 1``, ``E[κ²] = c(1 − c)/7 + c²``.
    With ``needed`` drawn from each task's κ moved to the same quantile at mean
    ``interdependence`` ``r`` (the channel frozen, ``model.channels``):
    ``1 + 2c + m·r/2 + m·E[κ·κ_r]`` (``channels.comonotone_mean``).

    Dividing a task's scale by it keeps the work arriving per week the same at every
    complexity, while a more complex task in the mix is still bigger than a simpler one.
    """
    c = float(clip(complexity, 0.02, 0.98))
    m = team_size - 1
    if interdependence is not None:
        r = float(clip(interdependence, 0.02, 0.98))
        return 1.0 + 2.0 * c + m * r / 2.0 + m * channels.comonotone_mean(c, r)
    second_moment = c * (1.0 - c) / 7.0 + c * c
    return 1.0 + 2.0 * c + m * c / 2.0 + m * second_moment


PERSON_WEEKS_PER_SIZE = 15.0
"""Person-weeks a task of ``task_size`` 1 asks on average, at the planned pace."""


def person_weeks(*, size: float, needed: np.ndarray, complexity: np.ndarray,
                 mean_complexity: float | np.ndarray, team_size: int,
                 interdependence: float | None = None) -> np.ndarray:
    """Person-weeks a task asks at the planned pace:
    ``size · PERSON_WEEKS_PER_SIZE · needed·(1 + 2κ) / mean_task_scale(c)``.

    Complex, interdependent tasks are bigger than simple ones in the same organisation, but
    the mix arriving at any mean complexity asks the same person-weeks (complexity is not
    volume; Wood 1986 distinguishes component, coordinative and dynamic complexity from
    the amount of work). ``interdependence``: as in ``mean_task_scale``. ``mean_complexity``:
    the organisation's, or one per task (each its own organisation's, in a batch).
    """
    if np.ndim(mean_complexity) == 0:
        typical = mean_task_scale(mean_complexity, team_size, interdependence)
    else:  # the same number, for each distinct mean complexity
        means, which = np.unique(mean_complexity, return_inverse=True)
        typical = np.array([mean_task_scale(c, team_size, interdependence)
                            for c in means.tolist()])[which]
    scale = needed * (1.0 + 2.0 * complexity) / typical
    return size * PERSON_WEEKS_PER_SIZE * scale


def offered_load(*, task_rate: float, task_size: float) -> float:
    """Offered load: person-weeks asked per week over staff capacity,
    ``task_rate · task_size · PERSON_WEEKS_PER_SIZE`` (ρ of queueing theory; waits explode
    as it nears 1, Kingman 1961). The same at every complexity."""
    return task_rate * task_size * PERSON_WEEKS_PER_SIZE


BASE_PACE = 0.4
"""Work a member does in a week on a task that fits them, as a plan counts it: the
planner's pace before complexity."""

TYPICAL_SKILL = 0.65
"""The skill a planner assumes of whoever will do the work: those given or taking on a task
mostly work in their stronger domains (at the defaults they have 0.65–0.78 in their task's
domain, by policy and complexity; the expected best of four founding domains, Beta(3, 3),
is 0.70, of a later hire's, Beta(2, 4), 0.53). A judgement, chosen so that work of every
complexity goes about as fast as planned under both heroic and distributed staffing: the
skill fit at work over the plan's, at complexity 0.8 against 0.2, is 1.02 and 0.99 over
weeks 40–120, 1.04–1.07 and 1.02–1.03 over the validation's 600 weeks (at 0.5 it was 1.25
and 1.17: complex tasks carried less real work than their person-weeks; at 0.7, 0.95 and
0.94). Among the robustness study's uncertain inputs."""


def planned_fit(complexity: np.ndarray) -> np.ndarray:
    """The skill fit a plan expects on a task of complexity ``κ``: the fit that slows the
    work (``rules.experiences.skill_fit``) for a member of ``TYPICAL_SKILL``."""
    return experiences.skill_fit(TYPICAL_SKILL, np.asarray(complexity))


def planned_pace(complexity: np.ndarray, optimism: float = 0.0) -> np.ndarray:
    """Work a member is expected to do per week on a task of complexity ``κ``:
    ``BASE_PACE · planned_fit(κ) / (1 − optimism)``.

    A plan knows that work beyond the skill of a typical member goes slower (the same fit
    that slows the work, ``rules.experiences.skill_fit``); planners are optimistic by
    ``optimism``, so plans are that much too tight (the planning fallacy, Buehler, Griffin
    & Ross 1994; Kahneman & Tversky 1979).
    """
    return BASE_PACE * planned_fit(complexity) / (1.0 - optimism)


def planned_duration(work: np.ndarray, needed: np.ndarray, complexity: np.ndarray,
                     optimism: float = 0.0) -> np.ndarray:
    """Weeks a fully staffed task is planned to take: ``work / (needed · planned pace)``."""
    return work / (np.maximum(needed, 1) * planned_pace(complexity, optimism))


SCHEDULE_RESERVE = 1 / 12
"""Weeks of reserve a deadline holds per week of plan: one month a year of schedule, the
smallest of the funded schedule reserves NASA's JPL and Goddard guidelines ask of a
project (1 month a year from preliminary design to integration, 2 to shipping, 1 week a
month to launch; Bitten et al. 2014, who warn the rates may be too small). Projects of
weeks are not spacecraft: the number is an analogy, among the robustness study's
uncertain inputs."""


def time_allowed(planned: np.ndarray, slack: float | np.ndarray,
                 reserve: float | None = None) -> np.ndarray:
    """Weeks from a task's arrival to its deadline: ``max(1, round(planned · (1 + r) +
    slack))``, ``r = SCHEDULE_RESERVE`` unless ``reserve`` is given.

    A deadline holds the plan, a reserve in proportion to it and a slack in weeks. The
    reserve grows with the plan as the overrun does: a plan's optimism costs time in
    proportion to its length, and long tasks are the ones underestimated (Roy,
    Christenfeld & McKenzie 2005); schedule reserve is set as a share of the schedule
    to go (PMI's reserve analysis; Bitten et al. 2014). The slack, the same for every
    task, covers the wait before work starts, whatever its length, and turbulence
    shortens it (``Environment.deadline_slack``). With the slack alone, a long task
    could be finished only if it started within the slack less what the plan's
    optimism costs, and long simple work failed in turbulent markets for that alone.
    """
    reserve = SCHEDULE_RESERVE if reserve is None else reserve  # read now: changeable
    return np.maximum(1, np.round(planned * (1.0 + reserve) + slack)).astype(int)


def last_week(deadline: np.ndarray, arrival: np.ndarray,
              acceptance: float | np.ndarray) -> np.ndarray:
    """The last week a client still takes a task: ``deadline + round(a · (deadline −
    arrival))``, ``a = acceptance`` (``Parameters.late_acceptance``), weeks past the
    deadline per week the deadline allowed; with 0, the deadline itself (rounded half to
    even, as numpy rounds).

    Work that will be late is mostly delivered late, not dropped: about half of IT
    projects are delivered "challenged" (late, over budget or short of features: 52 %)
    against a fifth that fail (19 %; Standish Group CHAOS 2015, whose definitions and
    shares are disputed, Eveleens & Verhoef 2010). How long a client waits is a
    judgement, in proportion to the time it allowed, as plans' underestimates grow with
    their length (Roy, Christenfeld & McKenzie 2005); the worst sixth of IT projects
    overran their schedules by about 70 % (Flyvbjerg & Budzier 2011), a tail, not a
    measure of it. Without it, at the robustness study's worst points (ODD item 33),
    plans as optimistic as the planning fallacy makes them (``planned_pace``) leave long
    tasks unfinishable from the day they arrive, and a decision maker who lets go of what
    it cannot finish lets go of nearly all the work. Off by default (``late_acceptance``
    0): on, it overloads distributed teams (ODD item 34).
    """
    allowed = np.asarray(deadline) - np.asarray(arrival)
    return np.asarray(deadline) + np.round(np.asarray(acceptance) * allowed).astype(np.int64)


COST_OF_DELAY = 0.33 / 26
"""Share of a task's value lost per week it is delivered late: products six months late
earned a third less after-tax profit over a five-year life in McKinsey's model of a
growing market (reported by Reinertsen 1983; cost of delay, Reinertsen 2009), read here
as value, and spread evenly over the 26 weeks: modelled, not observed, and linearised.
A judgement carried from product development to tasks of weeks."""


def delivered_value(value: np.ndarray, weeks_late: np.ndarray) -> np.ndarray:
    """What a completed task is worth: ``value · clip(1 − COST_OF_DELAY · weeks late, 0,
    1)``, its full value on time (Reinertsen 1983)."""
    return np.asarray(value) * clip(1.0 - COST_OF_DELAY * np.maximum(weeks_late, 0), 0.0, 1.0)
