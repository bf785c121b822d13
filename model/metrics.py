"""Model-level outputs (DESIGN §5) and the thinned, array-backed agent-level collector."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from mesa import DataCollector

from model.codes import NEEDS, REGULATIONS
from model.rules.energy import BURNOUT_BELOW

if TYPE_CHECKING:
    from model.organisation import OrganisationModel

MODEL_OUTPUTS: tuple[str, ...] = (
    "tasks_arrived", "tasks_started", "tasks_completed", "tasks_failed", "backlog",
    "mean_task_latency", "mean_quality", "open_problems",
    "sat_autonomy", "sat_competence", "sat_relatedness",
    "frus_autonomy", "frus_competence", "frus_relatedness",
    "amotivation", "external", "introjected", "identified", "intrinsic",
    "autonomous_motivation", "controlled_motivation", "rai", "share_autonomous",
    "share_amotivation", "share_external", "share_introjected", "share_identified",
    "share_intrinsic",
    "mean_energy", "burnout_share", "turnover_intention", "leaders_active",
    "leadership_centralization", "mean_tie_strength", "exits", "hires", "headcount",
    "protocol_coverage",
    "formal_leader_present",
)
"""Every model-level output, collected every step. DESIGN §5 names plus ``tasks_started``
(pattern V8), ``turnover_intention`` (V4), the share of employees whose dominant
regulation is each point of the continuum (``share_<regulation>``), ``hires``,
``protocol_coverage`` and ``formal_leader_present``."""


def freeman_centralization(leads: np.ndarray, members: np.ndarray) -> float:
    """Freeman (1978) out-degree centralisation of a lead → member network.

    ``C = Σ_i (d_max − d_i) / (N − 1)²`` over the N people in the network, where ``d_i``
    counts the distinct people ``i`` led. 1 for a star (one leader leads everyone), 0 when
    everyone leads equally many. NaN when nobody led anyone.
    """
    if len(leads) == 0:
        return float("nan")
    base = int(max(leads.max(), members.max())) + 1
    pairs = np.unique(leads.astype(np.int64) * base + members)  # each distinct pair once
    lead, member = pairs // base, pairs % base
    n = len(np.unique(np.concatenate([lead, member])))
    if n < 2:
        return float("nan")
    out_degree = np.bincount(lead)  # zero for everyone who led nobody
    d_max = out_degree.max()
    # Σ over all n people of (d_max − d_i); people who only followed contribute d_max each
    return float((n * d_max - out_degree.sum()) / (n - 1) ** 2)


def model_outputs(model: OrganisationModel, events: dict[str, Any]) -> dict[str, float]:
    """Compute every model-level output from the state and this step's ``events``."""
    s = model.state
    on = s.active
    sat, frus, reg = s.sat[on], s.frus[on], s.reg[on]
    autonomous, controlled = s.autonomous[on], s.controlled[on]
    out: dict[str, float] = {
        "tasks_arrived": events["arrived"],
        "tasks_started": events["started"],
        "tasks_completed": events["completed"],
        "tasks_failed": events["failed"],
        "backlog": len(model.tasks),
        "mean_task_latency": _mean(events["latencies"]),
        "mean_quality": _mean(events["qualities"]),
        "open_problems": len(model.problems),
    }
    sat_mean, frus_mean, reg_mean = (_column_means(a) for a in (sat, frus, reg))
    for j, need in enumerate(NEEDS):
        out[f"sat_{need}"] = sat_mean[j]
        out[f"frus_{need}"] = frus_mean[j]
    for j, name in enumerate(REGULATIONS):
        out[name] = reg_mean[j]
    out["autonomous_motivation"] = _mean(autonomous)
    out["controlled_motivation"] = _mean(controlled)
    out["rai"] = _mean(s.rai[on])
    out["share_autonomous"] = _mean(
        (autonomous > controlled) & (autonomous > reg[:, 0]) if len(reg) else reg[:, 0]
    )
    dominant = s.dominant_regulation[on]
    for j, name in enumerate(REGULATIONS):
        out[f"share_{name}"] = _mean(dominant == j)
    out["mean_energy"] = _mean(s.energy[on])
    out["burnout_share"] = _mean(s.energy[on] < BURNOUT_BELOW)
    out["turnover_intention"] = _mean(s.turnover_intention[on])
    out["leaders_active"] = int((s.led_recently > 0).sum())
    leads, members = model.lead_pairs_in_window()
    out["leadership_centralization"] = freeman_centralization(leads, members)
    active_tie = on[model.ties.u] & on[model.ties.v]
    out["mean_tie_strength"] = _mean(model.ties.strength[active_tie])
    out["exits"] = events["exits"]
    out["hires"] = events["hires"]
    out["headcount"] = int(on.sum())
    out["protocol_coverage"] = float(model.protocol_coverage)
    out["formal_leader_present"] = int(model.leader >= 0)
    return out


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if len(values) else float("nan")


def _column_means(values: np.ndarray) -> list[float]:
    if len(values) == 0:
        return [float("nan")] * values.shape[1]
    return values.mean(axis=0).tolist()


AGENT_OUTPUTS: tuple[str, ...] = (
    *(f"sat_{n}" for n in NEEDS), *(f"frus_{n}" for n in NEEDS), *REGULATIONS,
    "autonomous", "controlled", "rai", "energy", "turnover_intention", "perceived_support",
    "performance", "team", "led_recently", "is_formal_leader",
)


class OrganisationDataCollector(DataCollector):
    """Mesa's DataCollector with agent-level records read straight from the state arrays,
    and only every ``agent_every`` steps (thinned at collection time)."""

    def __init__(self, model_reporters: dict, collect_agents: bool, agent_every: int,
                 n_domains: int) -> None:
        self.agent_every = agent_every
        self.skill_columns = tuple(f"skill_{d}" for d in range(n_domains))
        agent_reporters = (
            {name: name for name in (*AGENT_OUTPUTS, *self.skill_columns)}
            if collect_agents else None
        )
        super().__init__(model_reporters=model_reporters, agent_reporters=agent_reporters)

    def get_agent_vars_dataframe(self):
        if not self.agent_reporters:
            raise RuntimeError(
                "agent-level data was not collected: build the model with "
                "collect_agents=True (and agent_every=N to keep every N-th step)"
            )
        return super().get_agent_vars_dataframe()

    def _record_agents(self, model: OrganisationModel):
        if model.steps % self.agent_every:
            return []
        s = model.state
        slots = np.flatnonzero(s.active)
        columns = [
            s.sat[slots].T, s.frus[slots].T, s.reg[slots].T,
            np.stack([s.autonomous[slots], s.controlled[slots], s.rai[slots], s.energy[slots],
                      s.turnover_intention[slots], s.perceived_support[slots],
                      s.performance[slots]]),
        ]
        floats = np.concatenate(columns).T.tolist()
        teams = s.team[slots].tolist()
        led = s.led_recently[slots].tolist()
        leader = (slots == model.leader).tolist()
        skills = s.skills[slots].tolist()
        ids = s.agent_id[slots].tolist()
        step = model.steps
        return [
            (step, ids[i], *floats[i], teams[i], led[i], leader[i], *skills[i])
            for i in range(len(slots))
        ]
