"""The workshop app: what leadership does to people's motivation, for a room of managers.

Run it with ``make app`` (or ``solara run app.page``). One screen at 1280×720 holds the
story: the controls (Step, Play at a chosen pace, Reset), the presets, a large network
coloured by motivation, four headline figures and the events ("The leader leaves now",
"Market shock"); below it the charts, each one thing on its own scale with the events
marked, then the scenario's settings and "About this model". A comparison mode runs heroic
and distributed leadership side by side on the same seed with the same events.

The page is the app's own (Solara components around the model), not Mesa's SolaraViz:
a facilitator sees only controls that mean something to the room.
"""

from __future__ import annotations

import io
import time
import warnings
from pathlib import Path
from typing import Any

import markdown
import matplotlib

matplotlib.use("Agg")  # the server draws; nothing opens a window
import solara
import solara.lab
import solara.server.settings

from app.comparison import organisations
from app.figures import (
    NETWORK_LEGEND,
    NETWORK_PNG,
    chart_figure,
    charts_of,
    continuum_figure,
    history,
    network_figure,
    record_event,
)
from app.scenarios import (
    CONTROL_LABELS,
    DEFAULT_SCENARIO,
    PRESETS,
    build,
    controls,
    mid_run_changes,
    policy_words,
)
from experiments.style import policy_colour

solara.server.settings.theme.show_banner = False  # nothing of the framework over a control
# A quiet start in a room: on plain http (a laptop, a room network) Solara warns about
# cookies meant for https embedding; the app is not embedded.
warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")

ABOUT = (Path(__file__).with_name("about.md")).read_text()
"""The About panel's text (NetLogo's Info tab), kept as Markdown beside this file."""
ABOUT_HTML = markdown.markdown(ABOUT)
"""The same, as HTML made on the server: Solara's Markdown component would fetch a maths
renderer (KaTeX) that an offline room does not have."""

PACES = {"1 week a second": 1.0, "2 weeks a second": 2.0, "4 weeks a second": 4.0}
"""Playback speeds offered (steps a second)."""

CSS = """
.workshop { font-size: 16px; line-height: 1.35; }
.workshop .v-btn { font-size: 15px !important; text-transform: none !important; }
.workshop .v-label, .workshop .v-select__selection, .workshop input { font-size: 15px !important; }
.workshop h1 { font-size: 22px; margin: 0; font-weight: 600; }
.workshop-stage { display: flex; gap: 16px; align-items: flex-start; }
.workshop-tiles { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.workshop-tile { border: 1px solid #cfd8dc; border-radius: 6px; padding: 8px 12px; }
.workshop-tile .what { font-size: 15px; color: #455a64; }
.workshop-tile .value { font-size: 34px; font-weight: 600; line-height: 1.1; }
.workshop-tile .value small { font-size: 15px; font-weight: 400; }
.workshop-charts { display: grid; grid-template-columns: repeat(2, max-content); gap: 8px; }
.workshop-legend { font-size: 15px; }
"""


# ----------------------------------------------------------------------------- state
class WorkshopState:
    """What one browser session holds: the scenario, the model, playback, messages."""

    def __init__(self) -> None:
        self.scenario = solara.reactive(dict(DEFAULT_SCENARIO))
        self.draft = solara.reactive(dict(DEFAULT_SCENARIO))  # controls not yet applied
        self.model = solara.reactive(build(DEFAULT_SCENARIO))
        self.problem = solara.reactive("")
        self.message = solara.reactive("")
        self.preset = solara.reactive("")
        self.tick = solara.reactive(0)  # bumped after every step: the figures redraw
        self.playing = solara.reactive(False)
        self.pace = solara.reactive(next(iter(PACES)))
        self.achieved = solara.reactive(0.0)  # steps a second while playing

    def apply(self, scenario: dict[str, Any], preset: str = "") -> bool:
        """Build a model for ``scenario``; on a bad value, say why and keep the model."""
        try:
            new = build(scenario)
        except ValueError as error:
            self.problem.set(str(error))
            return False
        self.playing.set(False)
        self.problem.set("")
        self.message.set("")
        self.preset.set(preset)
        self.scenario.set(dict(scenario))
        self.draft.set(dict(scenario))
        self.model.set(new)
        self.tick.set(self.tick.value + 1)
        return True

    def reset(self) -> None:
        """The same scenario again, from week 0 (messages cleared)."""
        self.apply(self.scenario.value, preset=self.preset.value)

    def step(self) -> None:
        self.model.value.step()
        if self.message.value.startswith("The leader left") and all(
                org.leader >= 0 for org in organisations(self.model.value).values()
                if org.policy.has_formal_leader):
            week = max(org.steps for org in organisations(self.model.value).values())
            self.message.set(f"A successor took over by week {week}.")
        self.tick.set(self.tick.value + 1)

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
        self.tick.set(self.tick.value + 1)

    def change_now(self) -> bool:
        """Apply the draft's settings that can change mid-run to the running organisation(s)
        from the next week (``OrganisationModel.intervene``), marked on every chart; on a
        bad value, say why and change nothing."""
        changes, _ = mid_run_changes(self.scenario.value, self.draft.value)
        if not changes:
            return False
        orgs = organisations(self.model.value)
        try:
            for org in orgs.values():
                org.params.replace(**changes)  # validate everything before changing any
        except ValueError as error:
            self.problem.set(str(error))
            return False
        for org in orgs.values():
            org.intervene(**changes)
            record_event(org, "changed")
        week = max(org.steps for org in orgs.values())
        said = ", ".join(f"{CONTROL_LABELS.get(k, k).split(':')[0].lower()} "
                         f"{v:g}" if isinstance(v, float) else
                         f"{CONTROL_LABELS.get(k, k).lower()} {v}" for k, v in changes.items())
        self.problem.set("")
        self.message.set(f"Changed at week {week}, from the next week on: {said}.")
        self.scenario.set({**self.scenario.value, **changes})
        self.tick.set(self.tick.value + 1)
        return True

    def market_shock(self) -> None:
        self.model.value.market_shock()
        for org in organisations(self.model.value).values():
            record_event(org, "market shock")
        self.message.set("Market shock: demand jumped to other kinds of work and the market "
                         "became more turbulent.")
        self.tick.set(self.tick.value + 1)


# ----------------------------------------------------------------------------- playback
def play_loop(state: WorkshopState) -> None:
    """Step at the pace asked for, or as fast as stepping allows, while playing; keep the
    pace achieved in ``state.achieved`` (steps a second) so the page can say it."""
    started, steps = time.perf_counter(), 0
    while state.playing.value:
        wait = 1.0 / PACES[state.pace.value]
        began = time.perf_counter()
        state.step()
        steps += 1
        time.sleep(max(0.0, wait - (time.perf_counter() - began)))
        state.achieved.set(steps / (time.perf_counter() - started))


def use_playback(state: WorkshopState) -> None:
    """Play runs ``play_loop`` in a thread of its own, restarted when the pace changes."""
    solara.lab.use_task(lambda: play_loop(state),
                        dependencies=[state.playing.value, state.pace.value],
                        prefer_threaded=True)


# ----------------------------------------------------------------------------- components
@solara.component
def ControlBar(state: WorkshopState):
    state.tick.get()
    model = state.model.value
    week = max(org.steps for org in organisations(model).values())
    with solara.Row(style={"align-items": "center", "gap": "10px", "flex-wrap": "wrap"}):
        solara.HTML(tag="h1", unsafe_innerHTML="Leadership and motivation at work")
        solara.Button("Step", on_click=state.step, color="primary",
                      disabled=state.playing.value)
        if state.playing.value:
            solara.Button("Pause", on_click=lambda: state.playing.set(False), color="primary")
        else:
            solara.Button("Play", on_click=lambda: state.playing.set(True), color="primary")
        solara.Button("Reset", on_click=state.reset, outlined=True)
        solara.Select(label="Pace", values=list(PACES), value=state.pace,
                      style={"max-width": "190px"})
        pace = ""
        if state.playing.value and state.achieved.value:
            asked = PACES[state.pace.value]
            pace = (f" · playing {state.achieved.value:.1f} weeks a second"
                    + ("" if state.achieved.value >= 0.9 * asked
                       else f" (asked {asked:g}: this organisation is too big to go faster)"))
        solara.Text(f"Week {week}{pace}", style={"font-size": "18px", "font-weight": "600"})
    with solara.Row(style={"align-items": "center", "gap": "6px", "flex-wrap": "wrap"}):
        solara.Text("Presets:", style={"font-size": "16px"})
        for name in PRESETS:
            chosen = state.preset.value == name
            solara.Button(name, on_click=lambda name=name: state.choose_preset(name),
                          color="primary" if chosen else None, outlined=not chosen,
                          depressed=chosen)


def _percent(x: float) -> str:
    return "–" if x != x else f"{100 * x:.0f} %"


HEADLINES = (
    ("Tasks delivered a week",
     lambda df: f"{df.tasks_completed.iloc[1:].tail(4).mean():.1f}" if len(df) > 1 else "–"),
    ("Autonomously motivated", lambda df: _percent(df.share_autonomous.iloc[-1])),
    ("Burnt out", lambda df: _percent(df.burnout_share.iloc[-1])),
    ("People leading lately", lambda df: f"{int(df.leaders_active.iloc[-1])}"),
)
"""The headline figures: what the story is, at a glance."""


@solara.component
def Headlines(state: WorkshopState):
    state.tick.get()
    orgs = organisations(state.model.value)
    with solara.Div(classes=["workshop-tiles"]):
        for what, value_of in HEADLINES:
            parts = []
            for policy, org in orgs.items():
                value = value_of(history(org))
                label = f" <small>{policy}</small>" if len(orgs) > 1 else ""
                parts.append(f'<span style="color:{policy_colour(policy)}">{value}</span>'
                             f"{label}")
            solara.HTML(tag="div", classes=["workshop-tile"], unsafe_innerHTML=(
                f'<div class="what">{what}</div><div class="value">'
                + "<br>".join(parts) + "</div>"))


@solara.component
def EventsPanel(state: WorkshopState):
    state.tick.get()
    with solara.Column(gap="6px"):
        with solara.Row(gap="8px"):
            solara.Button("The leader leaves now", on_click=state.leader_leaves,
                          color="error", outlined=True)
            solara.Button("Market shock", on_click=state.market_shock, color="warning",
                          outlined=True)
        if state.message.value:
            solara.Info(state.message.value, dense=True)
        for policy, org in organisations(state.model.value).items():
            leader = "a formal leader in post" if org.leader >= 0 else "no formal leader"
            if org.policy.has_formal_leader and org.leader < 0:
                leader = f"no formal leader: a successor in {org.succession_timer + 1} steps"
            solara.Text(f"{policy}: week {org.steps}, {int(org.state.active.sum())} "
                        f"employees, {leader}", style={"font-size": "15px"})


@solara.component
def Stage(state: WorkshopState):
    """Above the fold: the network, its legend, the headline figures and the events."""
    state.tick.get()
    model = state.model.value
    with solara.Div(classes=["workshop-stage"]):
        solara.FigureMatplotlib(network_figure(model), **NETWORK_PNG,
                                dependencies=[id(model), state.tick.value])
        with solara.Column(gap="10px", style={"min-width": "360px", "flex": "1"}):
            Headlines(state)
            EventsPanel(state)
            solara.HTML(tag="div", classes=["workshop-legend"], unsafe_innerHTML=NETWORK_LEGEND)


def inline_svg(figure) -> str:
    """A figure as an SVG element for the page itself (not an image): crisp at any zoom,
    its text real text, each label an element the browser lays out."""
    out = io.StringIO()
    figure.savefig(out, format="svg")
    text = out.getvalue()
    return text[text.index("<svg"):]


@solara.component
def Chart(make, model, tick: int):
    svg = solara.use_memo(lambda: inline_svg(make(model)), [id(model), tick])
    solara.HTML(tag="div", unsafe_innerHTML=svg)


@solara.component
def Charts(state: WorkshopState):
    tick = state.tick.get()
    model = state.model.value
    with solara.Div(classes=["workshop-charts"]):
        Chart(continuum_figure, model, tick)
        for chart in charts_of(model):
            Chart(lambda m, chart=chart: chart_figure(m, chart), model, tick)


@solara.component
def ScenarioPanel(state: WorkshopState):
    draft = state.draft.value
    comparing = draft["comparison"]

    def set_value(name):
        return lambda value: state.draft.set({**state.draft.value, name: value})

    with solara.Card("Scenario"):
        if state.preset.value:
            solara.Info(PRESETS[state.preset.value].explanation, dense=True)
        solara.Text(policy_words(state.scenario.value["policy"])
                    if not state.scenario.value["comparison"]
                    else "Comparison: heroic (left) and distributed (right), same seed, "
                         "same events.")
        for name, label, kind, options in controls():
            if name == "policy" and comparing:
                continue  # a comparison runs both: a Leadership menu would do nothing
            if kind == "select":
                solara.Select(label=label, values=options, value=draft[name],
                              on_value=set_value(name))
            elif kind == "int":
                low, high, step = options
                solara.SliderInt(f"{label}: {draft[name]}", value=draft[name], min=low,
                                 max=high, step=step, on_value=set_value(name))
            else:
                low, high, step = options
                solara.SliderFloat(f"{label}: {draft[name]:g}", value=draft[name], min=low,
                                   max=high, step=step, on_value=set_value(name))
        solara.InputText("Seed (a whole number: the same seed gives the same run)",
                         value=str(draft["rng"]), on_value=set_value("rng"))
        solara.Switch(label="Comparison: heroic and distributed side by side",
                      value=draft["comparison"], on_value=set_value("comparison"))
        changes, rebuild = mid_run_changes(state.scenario.value, draft)
        with solara.Row(gap="8px", style={"flex-wrap": "wrap"}):
            solara.Button("Change it now, keep running", color="primary",
                          disabled=not changes or bool(rebuild), on_click=state.change_now)
            solara.Button("Build this organisation", color="primary", outlined=True,
                          on_click=lambda: state.apply(state.draft.value))
        if rebuild:
            solara.Text("The employees, the network, the seed and the comparison shape the "
                        "organisation as founded: changing them builds a new one from week 0.",
                        style={"font-size": "15px"})
        if state.problem.value:
            solara.Error(f"Not applied: {state.problem.value}. The running organisation "
                         "was kept.")


@solara.component
def AboutPanel():
    with solara.Card("About this model"):
        solara.HTML(tag="div", unsafe_innerHTML=ABOUT_HTML)


@solara.component
def Page():
    state = solara.use_memo(WorkshopState, [])
    use_playback(state)
    solara.Title("Leadership and motivation at work")
    solara.Style(CSS)
    with solara.Column(classes=["workshop"], gap="10px", style={"padding": "8px 14px"}):
        ControlBar(state)
        Stage(state)
        Charts(state)
        with solara.Row(gap="12px", style={"align-items": "flex-start"}):
            with solara.Column(style={"flex": "1"}):
                ScenarioPanel(state)
            with solara.Column(style={"flex": "1"}):
                AboutPanel()


@solara.component
def Layout(children=()):
    """The page alone: no app bar or framework chrome around it."""
    return solara.Column(children=list(children), style={"padding": "0"})

