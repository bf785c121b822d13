"""The workshop app: Mesa's SolaraViz showing what leadership does to people's motivation.

Run it with ``make app`` (or ``solara run app/page.py``). The page has presets for a
workshop, controls, the collaboration network coloured by motivation, live charts, event
buttons ("The leader leaves now", "Market shock"), a comparison mode (heroic and
distributed side by side, same seed, same events) and an "About this model" panel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # the server draws; nothing opens a window
import solara
from mesa import Model
from mesa.visualization import SolaraViz
from mesa.visualization.utils import force_update, update_counter

from app.comparison import organisations
from app.figures import (
    CHARTS,
    NETWORK_LEGEND,
    RENDER_DPI,
    chart_figure,
    continuum_figure,
    network_figure,
)
from app.scenarios import (
    DEFAULT_SCENARIO,
    PRESETS,
    build,
    controls,
    model_arguments,
    policy_words,
)

ABOUT = (Path(__file__).with_name("about.md")).read_text()
"""The About panel's text (NetLogo's Info tab), kept as Markdown beside this file."""

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
        solara.Markdown(policy_words(state.scenario.value["policy"])
                        if not state.scenario.value["comparison"]
                        else "Comparison: heroic (left) and distributed (right), same seed, "
                             "same events.")
        for name, label, kind, options in controls():
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


@solara.component
def AboutPanel():
    with solara.Card("About this model", style={"height": "100%", "overflow": "auto"}):
        solara.Markdown(ABOUT)


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
