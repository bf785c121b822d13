"""Employee, task and problem state as structures of numpy arrays.

The model applies every phase to all employees at once on these arrays; the Mesa
``Employee`` agents read their own row. Each employee occupies one *slot* (one node of the
collaboration network) for its whole stay; when it leaves, the slot stays vacant until a
newcomer is hired into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.codes import IDLE, NO_TASK
from model.rules import dispositions, motivation, wellbeing
from model.rules.numeric import clip


@dataclass
class EmployeeState:
    """All employees' state, one row per slot. Every value in [0, 1] unless noted."""

    sat: np.ndarray  # (n, 3) need satisfaction
    frus: np.ndarray  # (n, 3) need frustration, separate from satisfaction (Chen et al. 2015)
    reg: np.ndarray  # (n, 5) regulations, amotivation .. intrinsic
    skills: np.ndarray  # (n, n_domains)
    vitality: np.ndarray  # (n,) engagement, the motivational process of JD-R
    exhaustion: np.ndarray  # (n,) strain, the health-impairment process of JD-R
    exhausted_weeks: np.ndarray  # (n,) int, weeks in a row of high exhaustion
    demands: np.ndarray  # (n,) job demands, recent (not bounded above)
    turnover_intention: np.ndarray  # (n,)
    perceived_support: np.ndarray  # (n,) perceived autonomy support, recent
    performance: np.ndarray  # (n,) task performance while working (≥ 0); NaN before one has worked
    output: np.ndarray  # (n,) contribution per step (≥ 0), idle steps counting 0
    perception_bias: np.ndarray  # (n,) trait: how generously this person reads others' acts
    autonomy_orientation: np.ndarray  # (n,) trait, standard score (Deci & Ryan 1985)
    control_orientation: np.ndarray  # (n,) trait, standard score (Deci & Ryan 1985)
    drive: np.ndarray  # (n,) trait, general motivational intensity, standard score
    regulation_specific: np.ndarray  # (n, 5) trait, reasons peculiar to each regulation
    leaving_propensity: np.ndarray  # (n,) trait, readiness to leave: shifts turnover intention
    strain_vulnerability: np.ndarray  # (n,) trait, neuroticism: more strain, slower recovery
    positive_affectivity: np.ndarray  # (n,) trait, energy and enthusiasm: more vitality
    team: np.ndarray  # (n,) int, formal team
    active: np.ndarray  # (n,) bool, slot occupied
    vacancy_timer: np.ndarray  # (n,) int, steps until a vacant slot is filled
    hired_step: np.ndarray  # (n,) int
    task: np.ndarray  # (n,) int, index into the task board or NO_TASK
    join_mode: np.ndarray  # (n,) int8, IDLE / ASSIGNED / VOLUNTEERED / CLAIMED
    join_support: np.ndarray  # (n,) autonomy support of the act that put them on the task
    decision_rights: np.ndarray  # (n,) bool, may act without the formal leader
    voice_efficacy: np.ndarray  # (n,) belief that speaking up changes something (Morrison 2014)
    helplessness: np.ndarray  # (n,) learned helplessness (Martinko & Gardner 1982)
    free_since: np.ndarray  # (n,) int, step since which the employee has been free
    reputation: np.ndarray  # (n,) standing as a lead, from outcomes (DeRue & Ashford 2010)
    lead_record: np.ndarray  # (window, n) int, tasks led per step in the recent window
    agent_id: np.ndarray  # (n,) int, unique_id of the Mesa agent in the slot, -1 if vacant

    @property
    def n(self) -> int:
        return self.vitality.shape[0]

    # Derived quantities: computed from the state, never stored twice.
    @property
    def energy(self) -> np.ndarray:
        """The energy one has to act: vitality discounted by exhaustion
        (``rules.wellbeing.available_energy``)."""
        return wellbeing.available_energy(self.vitality, self.exhaustion)

    @property
    def burnt_out(self) -> np.ndarray:
        return wellbeing.burnt_out(self.exhausted_weeks)

    @property
    def autonomous(self) -> np.ndarray:
        return motivation.autonomous_motivation(self.reg)

    @property
    def controlled(self) -> np.ndarray:
        return motivation.controlled_motivation(self.reg)

    @property
    def rai(self) -> np.ndarray:
        return motivation.relative_autonomy_index(self.reg)

    @property
    def dominant_regulation(self) -> np.ndarray:
        return motivation.dominant_regulation(self.reg)

    @property
    def led_recently(self) -> np.ndarray:
        return self.lead_record.sum(axis=0)

    @classmethod
    def empty(cls, n: int, n_domains: int, window: int) -> EmployeeState:
        return cls(
            sat=np.zeros((n, 3)),
            frus=np.zeros((n, 3)),
            reg=np.zeros((n, 5)),
            skills=np.zeros((n, n_domains)),
            vitality=np.zeros(n),
            exhaustion=np.zeros(n),
            exhausted_weeks=np.zeros(n, dtype=np.int64),
            demands=np.zeros(n),
            turnover_intention=np.zeros(n),
            perceived_support=np.zeros(n),
            perception_bias=np.zeros(n),
            performance=np.full(n, np.nan),
            output=np.zeros(n),
            autonomy_orientation=np.zeros(n),
            control_orientation=np.zeros(n),
            drive=np.zeros(n),
            regulation_specific=np.zeros((n, 5)),
            leaving_propensity=np.zeros(n),
            strain_vulnerability=np.zeros(n),
            positive_affectivity=np.zeros(n),
            team=np.zeros(n, dtype=np.int64),
            active=np.zeros(n, dtype=bool),
            vacancy_timer=np.zeros(n, dtype=np.int64),
            hired_step=np.zeros(n, dtype=np.int64),
            task=np.full(n, NO_TASK, dtype=np.int64),
            join_mode=np.zeros(n, dtype=np.int8),
            join_support=np.zeros(n),
            decision_rights=np.zeros(n, dtype=bool),
            voice_efficacy=np.zeros(n),
            helplessness=np.zeros(n),
            free_since=np.zeros(n, dtype=np.int64),
            reputation=np.full(n, 0.5),
            lead_record=np.zeros((window, n), dtype=np.int32),
            agent_id=np.full(n, -1, dtype=np.int64),
        )

    def hire(self, slots: np.ndarray, rng: np.random.Generator, step: int, newcomer: bool) -> None:
        """Fill ``slots`` with people starting out: moderate needs, mixed regulations.

        Founding employees (``newcomer=False``) bring more skill than later hires, who
        start at a lower level and learn on the job.
        """
        k = len(slots)
        if k == 0:
            return
        self.sat[slots] = rng.beta(6, 4, size=(k, 3))  # mean 0.6
        self.frus[slots] = rng.beta(2, 10, size=(k, 3))  # mean 0.17
        self.reg[slots] = clip(
            np.array([0.1, 0.35, 0.35, 0.5, 0.5]) + rng.normal(0, 0.1, size=(k, 5)), 0, 1
        )
        skill_a, skill_b = (3, 3) if not newcomer else (2, 4)
        self.skills[slots] = rng.beta(skill_a, skill_b, size=(k, self.skills.shape[1]))
        self.vitality[slots] = rng.beta(8, 2, size=k)  # mean 0.8: newcomers start keen
        self.exhaustion[slots] = rng.beta(2, 12, size=k)  # mean 0.14
        self.exhausted_weeks[slots] = 0
        self.demands[slots] = 0.0
        self.turnover_intention[slots] = rng.beta(2, 12, size=k)
        self.perceived_support[slots] = 0.5
        self.performance[slots] = np.nan
        self.output[slots] = 0.0
        traits = dispositions.draw_dispositions(rng, k)
        self.perception_bias[slots] = traits.perception_bias
        self.autonomy_orientation[slots] = traits.autonomy_orientation
        self.control_orientation[slots] = traits.control_orientation
        self.drive[slots] = traits.drive
        self.regulation_specific[slots] = traits.regulation_specific
        self.leaving_propensity[slots] = traits.leaving_propensity
        self.strain_vulnerability[slots] = traits.strain_vulnerability
        self.positive_affectivity[slots] = traits.positive_affectivity
        self.active[slots] = True
        self.vacancy_timer[slots] = 0
        self.hired_step[slots] = step
        self.task[slots] = NO_TASK
        self.join_mode[slots] = IDLE
        self.join_support[slots] = 0.0
        self.decision_rights[slots] = False
        self.voice_efficacy[slots] = 0.5
        self.helplessness[slots] = 0.0
        self.free_since[slots] = step
        self.reputation[slots] = 0.5
        self.lead_record[:, slots] = 0

    def vacate(self, slots: np.ndarray, hiring_delay: int) -> None:
        """Employees in ``slots`` leave; their slots wait ``hiring_delay`` steps."""
        self.active[slots] = False
        self.vacancy_timer[slots] = hiring_delay
        self.task[slots] = NO_TASK
        self.join_mode[slots] = IDLE
        self.decision_rights[slots] = False
        self.lead_record[:, slots] = 0
        self.agent_id[slots] = -1


_TASK_FIELDS = {
    "domain": np.int64,
    "complexity": float,
    "needed": np.int64,  # team size the task's interdependence needs
    "value": float,  # how much the task matters to the organisation
    "work_total": float,
    "work_done": float,
    "quality_sum": float,  # contribution-weighted quality accumulated so far
    "arrival": np.int64,
    "started": np.int64,  # step it was started, -1 while waiting
    "deadline": np.int64,  # the week it was promised for
    "last_week": np.int64,  # the last week the client still takes it, late (``market.last_week``)
    "lead": np.int64,  # slot of the lead (formal leader under heroic), -1 while waiting
    "self_organised": bool,  # led by an employee rather than by the formal leader
    "exception": bool,  # an exception awaits a decision: the task makes no progress
    "attended": bool,  # the formal leader coordinates this team this step
    "supervisor": np.int64,  # slot of its supervisor this step (span of control), -1 if none
    "org": np.int64,  # the organisation it arrived at (0 but in an organisation batch)
    "proposer": np.int64,  # who took it up unasked (phases.initiative); -1: the market's
}


class TaskBoard:
    """Open tasks (waiting or in progress) as parallel arrays, one attribute per field of
    ``_TASK_FIELDS`` (``tasks.lead``, ``tasks.deadline``, ...); finished ones are dropped."""

    def __init__(self) -> None:
        for name, dtype in _TASK_FIELDS.items():
            setattr(self, name, np.zeros(0, dtype=dtype))

    def __len__(self) -> int:
        return len(self.domain)

    @property
    def waiting(self) -> np.ndarray:
        """Mask of tasks that nobody has started yet."""
        return self.started < 0

    def lateness_accepted(self, task: np.ndarray) -> np.ndarray:
        """Weeks past its deadline each of ``task`` may still be delivered."""
        return self.last_week[task] - self.deadline[task]

    def add(self, **columns: np.ndarray) -> None:
        k = len(columns["domain"])
        if "last_week" not in columns and "deadline" in columns:  # no lateness accepted
            columns["last_week"] = columns["deadline"]
        for name, dtype in _TASK_FIELDS.items():
            new = columns.get(name)
            if new is None:  # nobody, never, or (``org``) the one organisation
                new = np.full(k, -1 if dtype is np.int64 and name != "org" else 0, dtype=dtype)
            setattr(self, name, np.concatenate([getattr(self, name),
                                                np.asarray(new, dtype=dtype)]))

    def reorder(self, order: np.ndarray) -> np.ndarray:
        """Put the tasks in ``order``; return old index -> new index."""
        remap = np.empty(len(order), dtype=np.int64)
        remap[order] = np.arange(len(order))
        for name in _TASK_FIELDS:
            setattr(self, name, getattr(self, name)[order])
        return remap

    def keep(self, mask: np.ndarray) -> np.ndarray:
        """Drop tasks where ``mask`` is False; return old index -> new index (-1 if dropped)."""
        remap = np.full(len(mask), -1, dtype=np.int64)
        remap[mask] = np.arange(int(mask.sum()))
        for name in _TASK_FIELDS:
            setattr(self, name, getattr(self, name)[mask])
        return remap


@dataclass
class ProblemLog:
    """Open problems: obstacles that linger in a team until someone addresses them.

    A problem is hidden (``known_since`` −1) until someone in its team voices it or a
    survey surfaces it; only known problems can be addressed. ``acted_on`` collects the
    teams whose known problems were resolved since the voice phase last read it; ``left``
    the teams of the problems that left since the allocation phase last read it, by the
    route they left by (``ROUTES``)."""

    ROUTES = ("solved_by_leader", "solved_locally", "obsolete", "worked_around")
    """How a problem leaves: the formal leader addresses it, people of its team with the
    right to decide address it, it becomes obsolete, or its team works around it. Each
    is counted as the step's event and model output ``problems_<route>``."""

    team: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    arrival: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    known_since: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ignored: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    acted_on: list[np.ndarray] = field(default_factory=list)
    left: list[tuple[str, np.ndarray]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.team)

    @property
    def known(self) -> np.ndarray:
        return self.known_since >= 0

    @property
    def hidden(self) -> np.ndarray:
        return self.known_since < 0

    def add(self, teams: np.ndarray, step: int) -> None:
        k = len(teams)
        self.team = np.concatenate([self.team, teams.astype(np.int64)])
        self.arrival = np.concatenate([self.arrival, np.full(k, step, dtype=np.int64)])
        self.known_since = np.concatenate([self.known_since, np.full(k, -1, dtype=np.int64)])
        self.ignored = np.concatenate([self.ignored, np.zeros(k, dtype=bool)])

    def reorder(self, order: np.ndarray) -> None:
        """Put the problems in ``order``."""
        for name in ("team", "arrival", "known_since", "ignored"):
            setattr(self, name, getattr(self, name)[order])

    def make_known(self, mask: np.ndarray, step: int) -> None:
        """The problems in ``mask`` that were hidden become known at ``step``."""
        self.known_since[mask & self.hidden] = step

    ADDRESSED = ("solved_by_leader", "solved_locally")
    """The routes by which someone with the right to decide addresses a problem."""

    def resolve(self, mask: np.ndarray, by: str) -> None:
        """The problems in ``mask`` are addressed (``by``: one of ``ADDRESSED``): the voice
        of those who raised a known one was acted on."""
        if by not in self.ADDRESSED:
            raise ValueError(f"by={by!r} is not allowed; allowed: {self.ADDRESSED}")
        self.acted_on.append(self.team[mask & self.known])
        self.leave({by: mask})

    def leave(self, routes: dict[str, np.ndarray]) -> None:
        """The problems in each mask of ``routes`` leave by that route (``ROUTES``; each
        problem by one route at most); only ``resolve`` counts as acting on a voice."""
        wrong = sorted(set(routes) - set(self.ROUTES))
        if wrong:
            raise ValueError(f"route={wrong[0]!r} is not allowed; allowed: {self.ROUTES}")
        masks = [np.asarray(mask, dtype=bool) for mask in routes.values()]
        gone = np.zeros(len(self), dtype=np.int64)  # by how many routes each leaves
        for mask in masks:
            gone += mask
        if (gone > 1).any():
            raise ValueError("a problem can leave by one route only; the routes' masks "
                             "overlap")
        for route, mask in zip(routes, masks, strict=True):
            self.left.append((route, self.team[mask]))
        self._drop(gone > 0)

    def _drop(self, mask: np.ndarray) -> None:
        keep = ~mask
        self.team = self.team[keep]
        self.arrival = self.arrival[keep]
        self.known_since = self.known_since[keep]
        self.ignored = self.ignored[keep]

    def take_left(self) -> dict[str, np.ndarray]:
        """The teams of the problems that left since the last call, by route (one entry a
        problem; every route present, empty where none left by it)."""
        teams = {route: [part for name, part in self.left if name == route]
                 for route in self.ROUTES}
        self.left = []
        return {route: np.concatenate(parts) if parts else np.zeros(0, np.int64)
                for route, parts in teams.items()}

    def take_acted_on(self) -> np.ndarray:
        """Teams whose known problems were resolved since the last call (one entry each)."""
        teams = np.concatenate(self.acted_on) if self.acted_on else np.zeros(0, np.int64)
        self.acted_on = []
        return teams
