"""The Mesa agent: an employee on one node of the collaboration network.

Its attributes read the model's state arrays (one row per slot), so Mesa's AgentSet,
DataCollector and SolaraViz see live values without any per-agent update loop.
"""

from __future__ import annotations

import itertools
import weakref

from mesa.discrete_space import CellAgent

from model.codes import AMOTIVATION, EXTERNAL, IDENTIFIED, INTRINSIC, INTROJECTED, REGULATIONS
from model.rules import wellbeing


class _IdCounters(weakref.WeakKeyDictionary):
    """Per-model ``unique_id`` counters that do not keep a finished model alive.

    Mesa 3.3's ``Agent._ids`` is a class-level ``defaultdict`` keyed by model, which pins
    every model ever built in memory (fixed in Mesa 3.4.2).
    """

    def __missing__(self, model):
        counter = itertools.count(1)
        self[model] = counter
        return counter

    def __getitem__(self, model):
        try:
            return super().__getitem__(model)
        except KeyError:
            return self.__missing__(model)


def _state_attr(array: str, column: int | None = None, doc: str = ""):
    if column is None:
        return property(lambda self: float(getattr(self.model.state, array)[self.slot]), doc=doc)
    return property(
        lambda self: float(getattr(self.model.state, array)[self.slot, column]), doc=doc
    )


class Employee(CellAgent):
    """An employee: SDT needs and regulations, vitality and exhaustion, skills, ties, a place
    in a team."""

    _ids = _IdCounters()

    def __init__(self, model, slot: int, cell) -> None:
        super().__init__(model)
        self.slot = slot
        self.cell = cell

    sat_autonomy = _state_attr("sat", 0, "Autonomy satisfaction")
    sat_competence = _state_attr("sat", 1, "Competence satisfaction")
    sat_relatedness = _state_attr("sat", 2, "Relatedness satisfaction")
    frus_autonomy = _state_attr("frus", 0, "Autonomy frustration")
    frus_competence = _state_attr("frus", 1, "Competence frustration")
    frus_relatedness = _state_attr("frus", 2, "Relatedness frustration")
    amotivation = _state_attr("reg", AMOTIVATION, "Amotivation")
    external = _state_attr("reg", EXTERNAL, "External regulation")
    introjected = _state_attr("reg", INTROJECTED, "Introjected regulation")
    identified = _state_attr("reg", IDENTIFIED, "Identified regulation")
    intrinsic = _state_attr("reg", INTRINSIC, "Intrinsic motivation")
    vitality = _state_attr("vitality", doc="Vitality (engagement)")
    exhaustion = _state_attr("exhaustion", doc="Exhaustion (strain)")
    turnover_intention = _state_attr("turnover_intention", doc="Intention to leave")
    perceived_support = _state_attr("perceived_support", doc="Perceived autonomy support")
    performance = _state_attr("performance", doc="Task performance while working (NaN before)")
    voice_efficacy = _state_attr("voice_efficacy", doc="Belief that speaking up changes something")
    helplessness = _state_attr("helplessness", doc="Learned helplessness")

    @property
    def energy(self) -> float:
        """The energy to act: vitality discounted by exhaustion."""
        s = self.model.state
        return float(wellbeing.available_energy(s.vitality[self.slot], s.exhaustion[self.slot]))

    @property
    def burnt_out(self) -> bool:
        return bool(wellbeing.burnt_out(self.model.state.exhausted_weeks[self.slot]))

    @property
    def autonomous(self) -> float:
        return float(self.model.state.autonomous[self.slot])

    @property
    def controlled(self) -> float:
        return float(self.model.state.controlled[self.slot])

    @property
    def rai(self) -> float:
        return float(self.model.state.rai[self.slot])

    @property
    def dominant_regulation(self) -> str:
        return REGULATIONS[int(self.model.state.dominant_regulation[self.slot])]

    @property
    def skills(self) -> tuple[float, ...]:
        return tuple(float(x) for x in self.model.state.skills[self.slot])

    @property
    def team(self) -> int:
        return int(self.model.state.team[self.slot])

    @property
    def led_recently(self) -> int:
        return int(self.model.state.lead_record[:, self.slot].sum())

    @property
    def decision_rights(self) -> bool:
        """Whether one may act without the formal leader (fostering)."""
        return bool(self.model.state.decision_rights[self.slot])

    @property
    def is_formal_leader(self) -> bool:
        return self.model.leader == self.slot

    @property
    def task(self) -> int:
        return int(self.model.state.task[self.slot])

    def __repr__(self) -> str:
        return f"Employee(id={self.unique_id}, slot={self.slot})"
