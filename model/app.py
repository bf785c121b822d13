"""The workshop app: Mesa's SolaraViz showing what leadership does to people's motivation.

Run it with ``make app`` (or ``solara run model/app.py``). The page has presets for a
workshop, controls, the collaboration network coloured by motivation, live charts, event
buttons ("The leader leaves now", "Market shock"), a comparison mode (heroic and
distributed side by side, same seed, same events) and an "About this model" panel.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors
import matplotlib.patches
import networkx as nx
import numpy as np
import solara
from matplotlib.figure import Figure
from mesa import Model
from mesa.visualization import SolaraViz
from mesa.visualization.utils import force_update, update_counter

from model.codes import REGULATIONS
from model.organisation import OrganisationModel
from model.params import Parameters

# Charts go to the browser as SVG with text left as text: no glyphs to render on the server.
matplotlib.rcParams["svg.fonttype"] = "none"

# ----------------------------------------------------------------------------- words
CONTINUUM = {
    "amotivation": ("#9e9e9e", "Amotivated: sees no point in the work"),
    "external": ("#d73027", "External: works for rewards or to avoid trouble"),
    "introjected": ("#fc8d59", "Introjected: works out of guilt or pressure"),
    "identified": ("#91cf60", "Identified: values what the work is for"),
    "intrinsic": ("#1a9850", "Intrinsic: enjoys the work itself"),
}
COLOURS = np.array([CONTINUUM[name][0] for name in REGULATIONS])

POLICY_WORDS = {
    "heroic": "Heroic: one formal leader decides who does what; everyone waits for them.",
    "distributed": "Distributed: anyone may take the lead on a task when it helps, they are "
                   "able and energised, and colleagues back them.",
    "fostering": "Fostering: the leader starts in charge, solves problems at once, builds "
                 "shared procedures and hands decisions over as people become ready.",
}

DEFAULT_SCENARIO: dict[str, Any] = {
    "policy": "heroic", "n_employees": 100, "network": "small_world", "turbulence": 0.3,
    "task_complexity": 0.5, "leader_autonomy_support": 0.5, "contingent_rewards": 0.0,
    "protocol_coverage": 0.3, "rng": 42, "comparison": False,
}


@dataclass(frozen=True)
class Preset:
    explanation: str
    settings: dict[str, Any] = field(default_factory=dict)


PRESETS: dict[str, Preset] = {
    "Heroic founder": Preset(
        "A capable founder decides everything: fast at first, but everyone waits for one "
        "person and few feel their work is their own.",
        {"policy": "heroic", "leader_autonomy_support": 0.3, "turbulence": 0.2,
         "task_complexity": 0.4},
    ),
    "Distributed team": Preset(
        "No boss: people take the lead where they are able, energised and backed by "
        "colleagues, with shared procedures to coordinate.",
        {"policy": "distributed", "protocol_coverage": 0.6, "turbulence": 0.3},
    ),
    "Fostering independence": Preset(
        "A leader who solves problems at once and hands decisions over as people become "
        "ready: watch leadership spread over time.",
        {"policy": "fostering", "protocol_coverage": 0.1, "leader_autonomy_support": 0.7},
    ),
    "The leader leaves": Preset(
        "A heroic organisation whose leader leaves at step 40: press Play and watch the "
        "work stall until a successor takes over.",
        {"policy": "heroic", "leader_departure_step": 40},
    ),
    "Turbulent market": Preset(
        "Demand shifts fast and tasks are complex: compare who copes (switch on the "
        "comparison to see both policies on the same seed).",
        {"turbulence": 0.9, "task_complexity": 0.8, "policy": "distributed"},
    ),
}


# ----------------------------------------------------------------------------- models
class ComparisonModel(Model):
    """Heroic and distributed leadership side by side: the same parameters, the same seed
    (so the same network and the same people at the start) and the same events."""

    def __init__(self, rng: Any = None, **kwargs: Any) -> None:
        # (named ``kwargs``: Mesa's SolaraViz accepts a catch-all only by that name)
        super().__init__(rng=rng)
        kwargs.pop("policy", None)
        self.twins = {policy: OrganisationModel(policy=policy, rng=rng, **kwargs)
                      for policy in ("heroic", "distributed")}

    def step(self) -> None:
        for twin in self.twins.values():
            twin.step()

    def remove_leader(self) -> dict[str, int | None]:
        return {policy: twin.remove_leader() for policy, twin in self.twins.items()}

    def market_shock(self) -> None:
        for twin in self.twins.values():
            twin.market_shock()


def organisations(model: Model) -> dict[str, OrganisationModel]:
    """The organisations a page shows: one, or the two twins of a comparison."""
    if isinstance(model, ComparisonModel):
        return model.twins
    return {model.params.policy: model}


def parse_seed(text: Any) -> int:
    try:
        seed = int(str(text).strip())
    except ValueError:
        raise ValueError(f"seed={text!r} is not allowed; allowed: a whole number >= 0") from None
    if seed < 0:
        raise ValueError(f"seed={text!r} is not allowed; allowed: a whole number >= 0")
    return seed


def model_arguments(scenario: dict[str, Any]) -> tuple[type[Model], dict[str, Any]]:
    """The model class and its keyword arguments for a scenario; raises ``ValueError``."""
    params = {k: v for k, v in scenario.items() if k not in ("rng", "comparison")}
    Parameters(**params)  # validate before anything is built
    kwargs = {"rng": parse_seed(scenario["rng"]), **params}
    return (ComparisonModel if scenario.get("comparison") else OrganisationModel), kwargs


def build(scenario: dict[str, Any]) -> Model:
    cls, kwargs = model_arguments(scenario)
    return cls(**kwargs)


# ----------------------------------------------------------------------------- drawing
_layouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def layout_of(model: OrganisationModel) -> np.ndarray:
    """Node positions, computed once per model and kept: the picture does not jump."""
    if model not in _layouts:
        graph = model.grid.G
        if graph.number_of_nodes() <= 600:
            pos = nx.spring_layout(graph, seed=1, iterations=60)
        else:
            pos = nx.circular_layout(graph)
        _layouts[model] = np.array([pos[i] for i in range(graph.number_of_nodes())])
    return _layouts[model]


class NetworkPanel:
    """One organisation's network drawn once; each step only colours, sizes and the leader's
    star change (employees coloured by dominant regulation, sized by how often they led
    lately; empty desks as small grey rings)."""

    def __init__(self, model: OrganisationModel, ax) -> None:
        from matplotlib.collections import LineCollection

        self.model, self.ax = model, ax
        xy = layout_of(model)
        ties = model.ties
        self.edges = LineCollection(np.stack([xy[ties.u], xy[ties.v]], axis=1),
                                    colors="#607d8b", alpha=0.35)
        ax.add_collection(self.edges)
        self.people = ax.scatter(xy[:, 0], xy[:, 1], zorder=2, linewidths=0.5)
        self.star = ax.scatter([], [], s=260, marker="*", c="black", zorder=3)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_aspect("equal")
        ax.autoscale_view()
        for spine in ax.spines.values():
            spine.set_visible(False)

    def update(self, title: str) -> None:
        s, xy = self.model.state, layout_of(self.model)
        on = s.active
        self.edges.set_linewidths(0.3 + 1.5 * self.model.ties.strength)
        sizes = 14 + 70 * np.sqrt(np.minimum(s.led_recently, 20) / 20)
        self.people.set_sizes(np.where(on, sizes, 10))
        self.people.set_facecolors(np.where(on[:, None],
                                            matplotlib.colors.to_rgba_array(
                                                COLOURS[s.dominant_regulation]),
                                            (1.0, 1.0, 1.0, 0.0)))
        self.people.set_edgecolors(np.where(on[:, None], (1.0, 1.0, 1.0, 1.0),
                                            (0.74, 0.74, 0.74, 1.0)))
        leader = self.model.leader
        self.star.set_offsets(xy[[leader]] if leader >= 0 else np.empty((0, 2)))
        self.ax.set_title(title, fontsize=9)


class LiveFigure:
    """A figure built once per model and brought up to date each step: rebuilding figures
    (ticks, texts, transforms) cost most of the redraw time."""

    def __init__(self, model: Model, kind: str) -> None:
        self.orgs = organisations(model)
        self.kind = kind
        if kind == "network":
            self._network()
        elif kind == "continuum":
            self._charts("Where motivation sits on the continuum")
            for ax in self.axes:
                ax.set_ylim(0, 1)
            handles = [matplotlib.patches.Patch(color=COLOURS[j], label=name)
                       for j, name in enumerate(REGULATIONS)]
            self.axes[0].set_ylabel("share of employees", fontsize=8)
            self.axes[-1].legend(handles=handles[::-1], loc="upper left", fontsize=7,
                                 bbox_to_anchor=(1.0, 1.0), frameon=False)
        else:
            title, series = CHARTS[kind]
            self._charts(title)
            self.lines = []
            for ax in self.axes:
                lines = []
                for k, (column, label) in enumerate(series):
                    dashed = kind == "needs" and column.startswith("frus_")
                    colour = f"C{k % 3}" if kind == "needs" else f"C{k}"
                    (line,) = ax.plot([], [], linestyle="--" if dashed else "-", color=colour,
                                      label=None if dashed else label, linewidth=1.3)
                    lines.append((column, line))
                self.lines.append(lines)
            self.axes[-1].legend(fontsize=7, frameon=False, loc="upper left",
                                 bbox_to_anchor=(1.0, 1.0))

    def _network(self) -> None:
        n = len(self.orgs)
        self.figure = Figure(figsize=(3.4 * n, 3.6))
        self.panels = []
        for k, org in enumerate(self.orgs.values()):
            ax = self.figure.add_axes((0.01 + k / n, 0.02, 1 / n - 0.02, 0.88))
            self.panels.append(NetworkPanel(org, ax))

    def _charts(self, title: str) -> None:
        n = len(self.orgs)
        self.figure = Figure(figsize=(5.6, 3.5))
        self.axes = list(self.figure.subplots(1, n, squeeze=False, sharey=True)[0])
        self.figure.subplots_adjust(left=0.11, right=0.8 if n == 1 else 0.86, bottom=0.14,
                                    top=0.82, wspace=0.08)
        self.figure.suptitle(title, fontsize=10)
        for ax, policy in zip(self.axes, self.orgs, strict=True):
            ax.set_title(policy, fontsize=9)
            ax.set_xlabel("step", fontsize=8)
            ax.tick_params(labelsize=7)

    def update(self) -> Figure:
        if self.kind == "network":
            for panel, (policy, org) in zip(self.panels, self.orgs.items(), strict=True):
                panel.update(f"{policy}, step {org.steps}")
            return self.figure
        for k, (ax, org) in enumerate(zip(self.axes, self.orgs.values(), strict=True)):
            df = history(org)
            if self.kind == "continuum":
                for collection in list(ax.collections):
                    collection.remove()
                ax.stackplot(df.index, [df[f"share_{name}"].to_numpy() for name in REGULATIONS],
                             colors=COLOURS)
            else:
                for column, line in self.lines[k]:
                    line.set_data(df.index, df[column])
                ax.relim()
                ax.autoscale_view()
            ax.set_xlim(0, max(1, df.index[-1]))
        return self.figure


_live: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def live_figure(model: Model, kind: str) -> Figure:
    """The up-to-date figure of ``kind`` ("network", "continuum" or a chart) for a model."""
    figures = _live.setdefault(model, {})
    if kind not in figures:
        figures[kind] = LiveFigure(model, kind)
    return figures[kind].update()


def network_figure(model: Model) -> Figure:
    """The network(s), one panel per organisation (the legend is ``NETWORK_LEGEND``)."""
    return live_figure(model, "network")


NETWORK_LEGEND = "".join(
    f'<div style="margin:2px 0"><span style="color:{colour};font-size:18px">&#9679;</span> '
    f"{words}</div>" for colour, words in CONTINUUM.values()
) + ('<div style="margin:2px 0"><span style="font-size:18px">&#9733;</span> Formal leader'
     '</div><div style="margin:2px 0"><span style="color:#607d8b;font-size:22px">&#9679;'
     "</span> Bigger dot: led more tasks lately</div>")
"""The network's legend in plain words, drawn by the browser beside the picture."""


CHARTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "needs": ("Needs: satisfied (solid) and frustrated (dashed)", [
        ("sat_autonomy", "autonomy"), ("sat_competence", "competence"),
        ("sat_relatedness", "relatedness"), ("frus_autonomy", "autonomy"),
        ("frus_competence", "competence"), ("frus_relatedness", "relatedness")]),
    "work": ("Work: tasks completed per step and backlog", [
        ("tasks_completed", "completed / step"), ("backlog", "backlog (open tasks)")]),
    "leadership": ("Leadership: who leads", [
        ("leaders_active", "people who led lately"),
        ("leadership_centralization", "centralisation (1 = one leader)")]),
    "wellbeing": ("Energy, burnout and exits", [
        ("mean_energy", "mean energy"), ("burnout_share", "share burnt out"),
        ("exits", "exits / step")]),
}

_history: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def history(model: OrganisationModel):
    """The model-level outputs so far, built once per step however many charts ask."""
    cached = _history.get(model)
    if cached is None or cached[0] != model.steps:
        cached = (model.steps, model.datacollector.get_model_vars_dataframe())
        _history[model] = cached
    return cached[1]


def continuum_figure(model: Model) -> Figure:
    """Share of employees at each point of the continuum over time (stacked)."""
    return live_figure(model, "continuum")


def chart_figure(model: Model, chart: str) -> Figure:
    return live_figure(model, chart)


# ----------------------------------------------------------------------------- state
class WorkshopState:
    """What one browser session holds: the scenario, the model, messages."""

    def __init__(self) -> None:
        self.scenario = solara.reactive(dict(DEFAULT_SCENARIO))
        self.draft = solara.reactive(dict(DEFAULT_SCENARIO))  # controls not yet applied
        self.model = solara.reactive(build(DEFAULT_SCENARIO))
        self.problem = solara.reactive("")
        self.message = solara.reactive("")
        self.preset = solara.reactive("")
        self.version = solara.reactive(0)

    def apply(self, scenario: dict[str, Any], preset: str = "") -> bool:
        """Build a model for ``scenario``; on a bad value, say why and keep the model."""
        try:
            new = build(scenario)
        except ValueError as error:
            self.problem.set(str(error))
            return False
        self.problem.set("")
        self.message.set("")
        self.preset.set(preset)
        self.scenario.set(dict(scenario))
        self.draft.set(dict(scenario))
        self.model.set(new)
        self.version.set(self.version.value + 1)  # a fresh SolaraViz: Reset rebuilds this
        return True

    def choose_preset(self, name: str) -> None:
        scenario = {**DEFAULT_SCENARIO, "rng": self.draft.value["rng"],
                    "comparison": self.draft.value["comparison"], **PRESETS[name].settings}
        self.apply(scenario, preset=name)

    def leader_leaves(self) -> None:
        left = self.model.value.remove_leader()
        if isinstance(left, dict):
            gone = [p for p, who in left.items() if who is not None]
            self.message.set("The leader left (" + ", ".join(gone) + ")." if gone
                             else "Nobody has led yet, so nobody left.")
        else:
            self.message.set("The leader left." if left is not None
                             else "Nobody has led yet, so nobody left.")
        force_update()

    def market_shock(self) -> None:
        self.model.value.market_shock()
        self.message.set("Market shock: demand jumped to other kinds of work and the market "
                         "became more turbulent.")
        force_update()

    def model_params(self) -> dict[str, Any]:
        """Fixed parameters for SolaraViz's Reset: the scenario on screen."""
        _, kwargs = model_arguments(self.scenario.value)
        return kwargs


# ----------------------------------------------------------------------------- components
CONTROLS = [
    ("policy", "Leadership", "select", list(POLICY_WORDS)),
    ("n_employees", "Employees", "int", (20, 400, 10)),
    ("network", "Collaboration network", "select", ["small_world", "scale_free", "teams"]),
    ("turbulence", "Turbulence of the market", "float", (0.0, 1.0, 0.05)),
    ("task_complexity", "Task complexity", "float", (0.0, 1.0, 0.05)),
    ("leader_autonomy_support", "Leader's style: controlling (0) to autonomy-supportive (1)",
     "float", (0.0, 1.0, 0.05)),
    ("contingent_rewards", "Pay tied to output (contingent rewards)", "float", (0.0, 1.0, 0.1)),
    ("protocol_coverage", "Shared procedures (protocol coverage)", "float", (0.0, 1.0, 0.05)),
]


@solara.component
def ScenarioPanel(state: WorkshopState):
    draft = state.draft.value

    def set_value(name):
        return lambda value: state.draft.set({**state.draft.value, name: value})

    with solara.Card("Scenario", style={"height": "100%", "overflow": "auto"}):
        solara.Markdown("**Presets for a workshop**")
        with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
            for name in PRESETS:
                solara.Button(name, on_click=lambda name=name: state.choose_preset(name),
                              small=True, outlined=state.preset.value != name)
        if state.preset.value:
            solara.Info(PRESETS[state.preset.value].explanation, dense=True)
        solara.Markdown(POLICY_WORDS[state.scenario.value["policy"]]
                        if not state.scenario.value["comparison"]
                        else "Comparison: heroic (left) and distributed (right), same seed, "
                             "same events.")
        for name, label, kind, options in CONTROLS:
            if kind == "select":
                solara.Select(label=label, values=options, value=draft[name],
                              on_value=set_value(name))
            elif kind == "int":
                low, high, step = options
                solara.SliderInt(label, value=draft[name], min=low, max=high, step=step,
                                 on_value=set_value(name))
            else:
                low, high, step = options
                solara.SliderFloat(label, value=draft[name], min=low, max=high, step=step,
                                   on_value=set_value(name))
        solara.InputText("Seed (a whole number: the same seed gives the same run)",
                         value=str(draft["rng"]), on_value=set_value("rng"))
        solara.Switch(label="Comparison: heroic and distributed side by side",
                      value=draft["comparison"], on_value=set_value("comparison"))
        solara.Button("Build this organisation", color="primary",
                      on_click=lambda: state.apply(state.draft.value))
        if state.problem.value:
            solara.Error(f"Not applied: {state.problem.value}. The running organisation "
                         "was kept.")


@solara.component
def EventsPanel(state: WorkshopState):
    update_counter.get()  # re-render on every step, as SolaraViz's own components do
    with solara.Card("Events", style={"height": "100%"}):
        solara.Markdown("Change the world while it runs.")
        with solara.Row():
            solara.Button("The leader leaves now", on_click=state.leader_leaves,
                          color="error", outlined=True)
            solara.Button("Market shock", on_click=state.market_shock, color="warning",
                          outlined=True)
        if state.message.value:
            solara.Info(state.message.value, dense=True)
        with solara.Column(gap="2px"):
            for policy, org in organisations(state.model.value).items():
                leader = "a formal leader in post" if org.leader >= 0 else "no formal leader"
                if org.policy.has_formal_leader and org.leader < 0:
                    leader = f"no formal leader: a successor in {org.succession_timer + 1} steps"
                solara.Text(f"{policy}: step {org.steps}, {int(org.state.active.sum())} "
                            f"employees, {leader}, turbulence {org.turbulence:.2f}")


ABOUT = """
### What is it?
An agent-based model of **motivation at work**. Every dot is an employee with three
psychological needs — **autonomy** (my work is my own), **competence** (I can do it well)
and **relatedness** (I belong) — and a motivation somewhere on a continuum from
*amotivated* through *external* and *introjected* to *identified* and *intrinsic*
(Self-Determination Theory; Gagné & Deci 2005). The colours show where each person is.

### How it works
Tasks arrive from a market that shifts. Under **heroic** leadership one formal leader
decides who does what; the leader's style (controlling or autonomy-supportive) shapes
how free people feel. Under **distributed** leadership anyone may take the lead on a task
when it matters, they are able, they have the energy and colleagues back them; leads
recruit colleagues they know. **Fostering** starts heroic and hands decisions over.
Each week, what people experience feeds their needs; needs move their motivation;
motivation spreads between close colleagues who are not too different; energy, skills,
friendships and the wish to leave follow.

### How to use it
Pick a **preset** (or set the controls and press *Build this organisation*), then use
**Step** or **Play** in the sidebar; **Reset** starts the same scenario again. Use the
**events** while it runs. Switch on the **comparison** to see heroic and distributed
leadership side by side on the same seed, hit by the same events.

### Things to notice
- Under heroic leadership, is it the same one dot that leads? What happens to everyone
  else's colour?
- When the leader leaves, how long until work resumes — and under distributed leadership?
- Does the share of green (autonomous) motivation go with more or fewer exits?

### Things to try
- Move the leader's style from controlling to autonomy-supportive. Then switch on pay tied
  to output.
- Set shared procedures to 0 under distributed leadership, then to 1.
- Turbulent market: which policy copes better with complex tasks?

### Extending the model
Every rule is a short function in `model/rules/` with its source; a new leadership policy
is one class in `model/policies/`. See the README and `docs/ODD.md`.

### Credits and references
Built with Mesa and Solara. Sources: Gagné & Deci 2005; Deci, Olafsen & Ryan 2017;
Deci, Koestner & Ryan 1999; Chen et al. 2015; DeRue & Ashford 2010; Carson, Tesluk &
Marrone 2007; Adler, Heckscher & Prusak 2011; Radel et al. 2010; Bakker, Le Blanc &
Schaufeli 2005; Tett & Meyer 1993. Full list in `docs/ODD.md`.
"""


@solara.component
def AboutPanel():
    with solara.Card("About this model", style={"height": "100%", "overflow": "auto"}):
        solara.Markdown(ABOUT)


RENDER_DPI = 72


def _figure(make):
    """A chart component: SVG, text as text (cheapest for the server, crisp in the room)."""
    def component(model):
        # the same figure object comes back updated: say when it changed, or it is not redrawn
        return solara.FigureMatplotlib(make(model), format="svg",
                                       dependencies=[id(model), update_counter.value])
    return component


def network_view(model: Model):
    """The network as PNG (thousands of ties are cheaper as pixels) and its legend."""
    with solara.Row(style={"align-items": "center", "height": "100%"}) as row:
        solara.FigureMatplotlib(network_figure(model), format="png", dpi=RENDER_DPI,
                                dependencies=[id(model), update_counter.value])
        solara.HTML(tag="div", unsafe_innerHTML=NETWORK_LEGEND,
                    style={"font-size": "12px", "min-width": "190px"})
    return row


@solara.component
def Page():
    state = solara.use_memo(WorkshopState, [])
    components = [
        (lambda model: ScenarioPanel(state), 0),
        (network_view, 0),
        (_figure(continuum_figure), 0),
        (lambda model: EventsPanel(state), 0),
        *[(_figure(lambda model, c=chart: chart_figure(model, c)), 0) for chart in CHARTS],
        (lambda model: AboutPanel(), 0),
    ]
    viz = SolaraViz(state.model, components=components, model_params=state.model_params(),
                    name="Leadership and motivation at work", play_interval=200)
    return viz.key(f"viz-{state.version.value}")
