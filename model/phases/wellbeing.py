"""Well-being: the week's job demands and resources; exhaustion crosses over from burnt-out
colleagues (``rules.contagion``; Bakker, Le Blanc & Schaufeli 2005); exhaustion and
vitality follow (``rules.wellbeing``, two processes of JD-R); burnout is counted in weeks.

Demands: one's task (workload and time pressure), work beyond one's skill, lingering
problems, waiting on a blocked task, and, on top of one's own work, ``leading_drain`` for
each running team of two or more one leads (as its claimant or its supervisor) and the
cost of a claim lost to a rival. The formal leader,
who does no task work, carries the attention it spends as its workload and what it is
asked for beyond its budget as its time pressure (``rules.wellbeing.queue_pressure``)."""

from __future__ import annotations

import numpy as np

from model import rows
from model.rules import contagion, wellbeing
from model.rules.numeric import clip
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, ties, tasks, outcome = world.state, world.ties, world.tasks, step.outcome
    # whoever leads a running team of two or more pays for it: a claimant, or a supervisor
    # (span of control); someone alone on a task leads nobody
    members = world.members_per_task()
    led = np.concatenate((tasks.lead[tasks.self_organised & (tasks.started >= 0)
                                     & (tasks.lead >= 0) & (members >= 2)],
                          tasks.supervisor[tasks.supervisor >= 0]))
    drain = world.param_of_employees("leading_drain")
    extra = step.context.extra_demand + drain * np.bincount(led, minlength=s.n)
    # leading a task is coordinating it: its energy, in person-weeks of a week's workload
    drain_of_each = world.one_or_each(np.array(world.each_org("leading_drain")))
    step.context.costs.coordination += (drain_of_each * world.tally(world.slot_org[led])
                                        / wellbeing.WORKLOAD)
    # on a task: a full week's work; otherwise the time one spent deciding (problems, a
    # workaround) is one's workload
    working = np.where(s.task >= 0, 1.0, np.minimum(step.context.decision_time, 1.0))
    pressure = outcome.pressure.copy()
    # a formal leader's attention is its work, its queue its time pressure
    leader, attention_used, queue = world.formal_leaders()
    working[leader] = attention_used
    pressure[leader] = wellbeing.queue_pressure(queue)
    demands = wellbeing.job_demands(
        working=working, pressure=pressure, misfit=1.0 - outcome.fit,
        problem_load=step.problem_load, blocked=outcome.blocked, extra=extra,
    )
    resources = wellbeing.job_resources(
        perceived_support=s.perceived_support, peer_support=step.context.support,
        skill_fit=outcome.fit,
    )
    crossover = contagion.exhaustion_crossover(
        exhaustion=s.exhaustion, src=ties.src, dst=ties.dst, w=step.context.directed_strength,
        rate=world.param_of_employees("exhaustion_contagion"),
    )
    s.exhaustion = wellbeing.update_exhaustion(
        exhaustion=clip(s.exhaustion + crossover, 0.0, 1.0), demands=demands,
        resources=resources, mean_frus=rows.mean(s.frus),
        recovery=world.param_of_employees("recovery_rate"),
        vulnerability=s.strain_vulnerability,
    )
    s.vitality = wellbeing.update_vitality(
        vitality=s.vitality, mean_sat=rows.mean(s.sat), autonomous=s.autonomous,
        resources=resources, exhaustion=s.exhaustion,
        positive_affectivity=s.positive_affectivity,
    )
    s.exhausted_weeks = wellbeing.update_exhausted_weeks(s.exhausted_weeks, s.exhaustion)
    # the mean over one's weeks in post, then a moving average of about the last half year
    weight = np.maximum(DEMAND_MEMORY, 1.0 / np.maximum(world.steps - s.hired_step, 1))
    s.demands = s.demands + weight * (demands - s.demands)


DEMAND_MEMORY = 1 / 26
"""Weight of this week in each employee's demands as a survey reports them: the job's
usual demands over about the last half year, not one month's (survey scales of work
pressure ask how the job is, "my job requires working very fast": Karasek et al. 1998);
a newcomer reports the weeks it has been in post (their mean, until it has been there
``1 / DEMAND_MEMORY`` weeks). A measurement only: nothing in the model reads it back
(``metrics.employee_cross_section`` does, for validation check V12c)."""
