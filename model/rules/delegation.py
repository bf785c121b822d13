"""Delegation on demonstrated readiness, and the protocols that let others decide.

A fostering leader holds a belief about each person's readiness, formed from the outcomes
of their work that it observes (Yukl & Fu 1999: delegation goes to those who have shown
competence); decision rights follow the belief, both ways. Protocols (Galbraith 1974:
rules and programmes) take the leader's attention to build, go stale as the market moves,
and make handing over less risky. Pure functions; ``model.policies.fostering`` applies them.
"""

from __future__ import annotations

import numpy as np

from model.rules import leadership

BELIEF_PRIOR = 2.0
"""Pseudo-outcomes of the leader's prior on each side (a Beta(2, 2) prior: mean 0.5)."""

BELIEF_MEMORY = 0.97
"""Weekly weight the leader keeps on outcomes it saw before (older ones fade)."""

LEAD_WEIGHT = 1.0
"""Extra weight of an outcome on a task one led (a lead's result says more)."""

PROTOCOL_REASSURANCE = 0.2
"""How far full protocol coverage lowers the belief the leader needs before handing over."""

REVOKE_MARGIN = 0.15
"""How far below the bar a belief must fall before the leader takes rights back."""

REVOKE_FRUSTRATION = 0.3
"""Autonomy frustration of having one's rights taken back (share of the way to 1)."""

PROTOCOL_GAIN = 0.05
"""Protocol coverage gained per unit of the leader's attention, of what is not yet covered."""

PEER_EVIDENCE = 1.0
"""Pseudo-outcomes a 360-degree round adds to the leader's record of each person: peers
vouch (or not) that one could lead work in one's strongest domain."""

PROTOCOL_STALENESS = 0.1
"""Weekly share of built protocols that go stale at turbulence 1 (what is left of the
initial coverage is the organisation's own and does not)."""


def readiness_belief(successes: np.ndarray, failures: np.ndarray) -> np.ndarray:
    """The leader's expected readiness of each person: the mean of
    ``Beta(2 + successes, 2 + failures)``, ``(2 + s) / (4 + s + f)``: delegation goes to
    those who have shown competence (Yukl & Fu 1999), a prior of two of each before any
    outcome is seen."""
    return (BELIEF_PRIOR + successes) / (2.0 * BELIEF_PRIOR + successes + failures)


def update_record(successes: np.ndarray, failures: np.ndarray, *, completed: np.ndarray,
                  failed: np.ndarray, led: np.ndarray,
                  clarity: np.ndarray | float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """The outcomes the leader has seen, after this week: older ones fade by
    ``BELIEF_MEMORY``; each completed task one worked on adds 1 success, each failed one
    ``clarity`` failures, twice that (``1 + LEAD_WEIGHT``) if one led it.

    ``clarity`` is ``1 − problem load`` of one's team: a failure amid unresolved problems
    says less about the person, the problem being a plausible cause of it (Kelley's 1973
    discounting principle: a cause is discounted when another plausible cause is present).
    A lingering problem is an inhibitory cause, so by the same principle it would add to
    the credit for a success (augmentation); the model leaves successes at full weight."""
    weight = 1.0 + LEAD_WEIGHT * np.asarray(led, float)
    return (BELIEF_MEMORY * successes + weight * completed,
            BELIEF_MEMORY * failures + np.asarray(clarity, float) * weight * failed)


def peer_vouching(best_skill: np.ndarray, seen_at_work: np.ndarray, draws: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """What a 360-degree round tells the leader about each person's readiness: peers who
    have seen someone at work vouch for them with a chance equal to their skill in their
    strongest domain (``draws < best_skill``, ``draws`` uniform), ``PEER_EVIDENCE``
    pseudo-successes, and otherwise give as many pseudo-failures; of those nobody has
    seen at work they say nothing. Multi-source feedback surfaces strengths the leader has
    not seen (London & Smither 1995), as a noisy rating, not the truth."""
    seen = np.asarray(seen_at_work, bool)
    vouched = np.asarray(draws) < np.asarray(best_skill)
    return PEER_EVIDENCE * (seen & vouched), PEER_EVIDENCE * (seen & ~vouched)


def handover_bar(bar: float, protocol_coverage: float) -> float:
    """The readiness the leader needs to see before handing over: ``bar − 0.2·coverage``
    (agreed procedures make a delegated decision less risky)."""
    return bar - PROTOCOL_REASSURANCE * protocol_coverage


def rights_after(rights: np.ndarray, belief: np.ndarray, bar: float) -> np.ndarray:
    """Who holds decision rights after the leader's review: granted at ``belief ≥ bar``,
    taken back below ``bar − REVOKE_MARGIN``, otherwise as before (a margin, so that one
    bad week does not flip them). Rights follow the leader's trust in the person's
    competence, both ways (Yukl & Fu 1999)."""
    return np.where(rights, belief >= bar - REVOKE_MARGIN, belief >= bar)


def protocol_attention(wanted: float, left: float) -> float:
    """Attention a fostering leader spends on protocols this week: what it means to spend,
    ``protocol_attention``, as far as the attention left after its decisions allows,
    ``min(wanted, left)``. Building procedures is what a swamped manager puts off first
    (Repenning & Sterman 2001: firefighting crowds out improvement)."""
    return float(max(0.0, min(wanted, left)))


def awareness(*, known: int, open_: int) -> float:
    """How well the leader knows what to write protocols for: the share of open problems
    it knows of, ``known / open`` (1 with none open). Awareness first, then the action
    plan: problems voiced or surfaced tell it where decisions recur."""
    return 1.0 if open_ == 0 else known / open_


def protocols_after(coverage: float, *, attention: float, initial: float,
                    turbulence: float, awareness: float = 1.0) -> float:
    """Protocol coverage after a week: ``c + 0.05·attention·awareness·(1 − c)``, less
    ``0.1·turbulence·(c − c₀)`` gone stale, never below the initial coverage ``c₀``."""
    built = coverage + PROTOCOL_GAIN * attention * awareness * (1.0 - coverage)
    stale = PROTOCOL_STALENESS * turbulence * max(built - initial, 0.0)
    return float(min(max(built - stale, initial), 1.0))


A_WEEK = 1.0
"""The slack (weeks) a task must have for a fostering leader to leave it to those with
rights this week: it decides again in a week, and by then the task must still be one
that can be finished."""


def leaves_to_rights_holders(*, domain: np.ndarray, equipped: np.ndarray, age: np.ndarray,
                             report_lag: int, window: int, slack: np.ndarray,
                             task_org: np.ndarray | None = None,
                             holder_org: np.ndarray | None = None) -> np.ndarray:
    """Which waiting tasks a fostering leader leaves, this week, to those holding decision
    rights to take on their own initiative: tasks fresh enough to be inside the step-back
    window (``age < report_lag + window``) that can still afford to wait a week, the week
    until the leader decides again (``slack ≥ A_WEEK``, slack to the deadline: left another
    week, the task can still be finished on time), and no more of them than there are
    people to take them: taking the tasks that can best afford to wait first (most slack),
    the leader pictures a taker for each (``picture_takers``); a task with nobody left to
    picture, it decides on itself. Gives each task's pictured taker (a row of
    ``equipped``), ``-1`` for a task it does not leave. A task left alone whose slack runs
    down is the leader's again, inside the window or not.

    Stepping back is a decision per task, not a switch for all work once anyone holds a
    right: a leader delegates the decisions its people can take and keeps the rest (Yukl
    & Fu 1999), and does not let delegation turn into neglect of work that would fail
    waiting for a taker (Vroom & Yetton 1973: the decision rule weighs time pressure).
    """
    slack = np.asarray(slack, dtype=float)
    remaining = report_lag + window - np.asarray(age)
    can_wait = np.flatnonzero((remaining > 0) & (slack >= A_WEEK))
    return picture_takers(domain=domain, equipped=equipped,
                          order=can_wait[np.argsort(-slack[can_wait], kind="stable")],
                          task_org=task_org, holder_org=holder_org)


def delegates_to(*, domain: np.ndarray, equipped: np.ndarray, slack: np.ndarray,
                 lateness_accepted: np.ndarray | float = 0, late_work_last: bool = True,
                 task_org: np.ndarray | None = None, holder_org: np.ndarray | None = None,
                 unavailable: np.ndarray | None = None) -> np.ndarray:
    """To whom a fostering leader would delegate each task it decides on this week: of the
    tasks that can still be delivered (``rules.leadership.can_still_finish``: slack to the
    deadline with the lateness its client accepts), the most urgent first (least slack to
    the deadline; with ``late_work_last``, work that can only be late after the rest, as
    every decision maker ranks it: ``rules.leadership.ranking_slack``),
    a free rights holder it believes equipped for the task's domain (``picture_takers``);
    ``-1`` where it has nobody to hand it to and would staff it itself. Delegating is
    handing someone the responsibility for a piece of work and the decisions it takes
    (here: who works on it), not leaving the work unowned (Yukl & Fu 1999)."""
    slack = np.asarray(slack, dtype=float)
    finishable = np.flatnonzero(slack + lateness_accepted >= 0)
    rank = (leadership.ranking_slack(slack, lateness_accepted) if late_work_last else slack)
    return picture_takers(domain=domain, equipped=equipped,
                          order=finishable[np.argsort(rank[finishable], kind="stable")],
                          task_org=task_org, holder_org=holder_org, unavailable=unavailable)


def picture_takers(*, domain: np.ndarray, equipped: np.ndarray, order: np.ndarray,
                   task_org: np.ndarray | None = None, holder_org: np.ndarray | None = None,
                   unavailable: np.ndarray | None = None) -> np.ndarray:
    """The holder a leader pictures taking each task of ``order`` (task positions, in the
    order it thinks of them): one equipped for the task's domain (``equipped[h, d]``: free
    rights holder ``h`` is, by the leader's own estimates, equipped for domain ``d``), not
    yet pictured for another task nor ``unavailable``, the one equipped for the fewest
    domains (the least needed elsewhere; ties: the first). Gives each task's taker (a row
    of ``equipped``), ``-1`` for a task not in ``order`` or with nobody left.

    In an organisation batch (``model.batch``), ``task_org`` and ``holder_org`` (the
    holders in organisation order) say whose each task and holder is: each leader pictures
    only its own people, and each organisation's tasks are taken in the order it takes
    them alone (``order`` keeps it).
    """
    if (task_org is None) != (holder_org is None):
        raise ValueError("task_org and holder_org go together: give both or neither")
    domain = np.asarray(domain)
    equipped = np.asarray(equipped, dtype=bool)  # (free holders, domains)
    taker = np.full(len(domain), -1, dtype=np.int64)
    if task_org is None or holder_org is None:  # one organisation
        task_org, holder_org = np.zeros(len(domain), int), np.zeros(len(equipped), int)
    if np.any(np.diff(holder_org) < 0):
        raise ValueError("holder_org must list the holders in organisation order")
    order = np.asarray(order, dtype=np.int64)
    # (a first sift: in a batch, someone equipped in any organisation; each task's own
    # organisation's holders are looked at below)
    order = order[equipped.any(axis=0)[domain[order]]] if len(equipped) else order[:0]
    orgs = int(np.max(task_org, initial=0)) + 1
    holders_of = np.searchsorted(holder_org, np.arange(orgs + 1)).tolist()  # each org's block
    # each organisation's holders, the least needed elsewhere first (ties: the first holder)
    ranked = np.lexsort((np.arange(len(equipped)), equipped.sum(axis=1), holder_org)).tolist()
    # each holder's domains as the bits of one number (n_domains <= 32): a holder is
    # equipped for domain d where bit d is set
    domains_of = (equipped.astype(np.int64) << np.arange(equipped.shape[1])).sum(axis=1)
    domains_of = domains_of.tolist()
    pictured = set() if unavailable is None else set(np.flatnonzero(unavailable).tolist())
    domain_of, org_of = domain.tolist(), np.asarray(task_org).tolist()
    for task in order.tolist():
        org, task_domain = org_of[task], domain_of[task]
        for holder in ranked[holders_of[org]:holders_of[org + 1]]:
            if domains_of[holder] >> task_domain & 1 and holder not in pictured:
                pictured.add(holder)  # its taker
                taker[task] = holder
                break
    return taker
