"""The workshop app: what leadership does to people's motivation, for a room of managers.

Run it with ``make app`` (or ``solara run app.page``). One screen at 1280×720 holds the
story: the controls (Step, Play at a chosen pace, Reset), the presets and one sentence on
what runs, a large network coloured by motivation and, beside it, four headline figures,
the events ("The leader leaves now", "Market shock") and the levers a facilitator changes
while it runs ("Change it now, keep running"); nothing moves while it plays. Below: the
charts, each one thing on its own scale with the events labelled above the data, then the
organisation as founded and "About this model". Every organisation settles for seven years
before week 0 (``app.warmstart``), but for a preset about the founding (a scenario's
``warm_up``: the fostering preset starts at 0, to show its hand-over). A comparison mode
runs heroic and distributed leadership side by side on the same seed with the same
events. A preset, Reset or "Build this organisation" builds in the background (a second
or two, more on a busy server): the page says at once what it builds, in the
explanation's place, and washes out the organisation it replaces until the new one shows.

The page is the app's own (Solara components around the model), not Mesa's SolaraViz:
a facilitator sees only controls that mean something to the room.
"""

from __future__ import annotations

import io
import math
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown
import matplotlib

matplotlib.use("Agg")  # the server draws; nothing opens a window
import solara
import solara.lab
import solara.server.settings

from app.comparison import COMPARED, organisations
from app.figures import (
    CHART_GAP,
    CHART_WIDTH,
    NETWORK_LEGEND,
    NETWORK_PNG,
    chart_figure,
    charts_of,
    continuum_figure,
    events_of,
    flows,
    history,
    network_figure,
    record_event,
)
from app.scenarios import (
    CONTROL_LABELS,
    DEFAULT_SCENARIO,
    FOUNDING,
    PRESETS,
    build,
    controls,
    mid_run_changes,
    policy_words,
    warm_up_of_scenario,
)
from app.warmstart import week
from experiments.style import policy_colour
from model.organisation import OrganisationModel
from model.policies import get_policy

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
.workshop .v-label.v-label--active { font-size: 19px !important; }
.workshop h1 { font-size: 21px; margin: 0; font-weight: 600; white-space: nowrap; }
.workshop .workshop-fixed { min-width: 86px !important; }
.workshop-week { font-size: 18px; font-weight: 600; min-width: 96px; white-space: nowrap; }
.workshop-pace { font-size: 15px; min-width: 250px; white-space: nowrap; }
.workshop-explanation { margin: 0 !important; min-height: 44px; }
.workshop-stage { display: flex; gap: 14px; align-items: flex-start; }
.workshop-tiles { display: grid; gap: 8px; }
.workshop-tiles-1 { grid-template-columns: repeat(4, 1fr); }
.workshop-tiles-2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
.workshop-tile { border: 1px solid #cfd8dc; border-radius: 6px; padding: 4px 10px; }
.workshop-tile .what { font-size: 15px; color: #455a64; white-space: nowrap; overflow: hidden;
                       text-overflow: ellipsis; }
.workshop-tile .value { font-size: 30px; font-weight: 600; line-height: 1.05; }
.workshop-tile .out-of { font-size: 15px; line-height: 1.2; color: #607d8b; white-space: nowrap;
                         overflow: hidden; text-overflow: ellipsis; }
.workshop-tile .value small { font-size: 15px; font-weight: 400; margin-right: 8px; }
.workshop-tiles-2 .value { font-size: 26px; white-space: nowrap; }
.workshop-message { min-height: 62px; }
.workshop-message .v-alert { margin: 0; }
.workshop-levers { display: grid; grid-template-columns: 1fr 1fr; column-gap: 16px; }
.workshop-levers .v-input { margin-top: 0; padding-top: 4px; }
.workshop-levers .v-input__slot { flex-wrap: wrap; }
.workshop-levers .v-slider + .v-label, .workshop-levers .v-input__slot > .v-label {
    flex: 1 0 100%; margin-bottom: -4px; }
.workshop-levers .v-messages { display: none; }
.workshop-levers .v-label { height: auto !important; white-space: normal !important; }
.workshop-wide { grid-column: span 2; }
.workshop-stale { opacity: 0.35; transition: opacity 0.2s; }
.workshop-building .v-alert__content::after { content: ""; display: inline-block; width: 1em;
    animation: workshop-dots 1.2s steps(4) infinite; }
@keyframes workshop-dots { 0% { content: ""; } 25% { content: "."; } 50% { content: ".."; }
    75% { content: "..."; } }
.workshop-legend { font-size: 15px; display: flex; flex-wrap: wrap; column-gap: 14px;
                   max-width: 540px; }
""" + (
    # as many charts to a row as the screen holds (two on a projector's 1280 px, three at
    # 1920), each column a chart's natural width; a chart of two plots spans two
    f".workshop-charts {{ display: grid; gap: {CHART_GAP}px; grid-auto-flow: row dense; "
    f"grid-template-columns: repeat(auto-fill, {math.ceil(CHART_WIDTH * 96)}px); }}\n")


# ----------------------------------------------------------------------------- state
class WorkshopState:
    """What one browser session holds: the scenario, the model, playback, messages."""

    def __init__(self) -> None:
        self.scenario = solara.reactive(dict(DEFAULT_SCENARIO))
        self.draft = solara.reactive(dict(DEFAULT_SCENARIO))  # controls not yet applied
        self.model = solara.reactive(build(DEFAULT_SCENARIO))
        self.problem = solara.reactive("")
        self.problem_from = solara.reactive("")  # "levers" or "founding": where to say it
        self.message = solara.reactive("")
        self.preset = solara.reactive("")
        self.tick = solara.reactive(0)  # bumped after every step: the figures redraw
        self.playing = solara.reactive(False)
        self.pace = solara.reactive(next(iter(PACES)))
        self.achieved = solara.reactive(0.0)  # steps a second while playing
        self.building = solara.reactive("")  # what is being built, said while it settles
        self.build_requests = solara.reactive(0)  # bumped by each build the page runs
        self.builds_in_background = False  # set by the page (``use_builds``)
        self._next_build: Callable[[], Any] | None = None
        self._queued: tuple[str, Callable[[], Any]] | None = None  # pressed during a build
        self._build_lock = threading.Lock()

    def apply(self, scenario: dict[str, Any], preset: str = "", source: str = "founding"
              ) -> bool:
        """Build a model for ``scenario`` (settled, at week 0); on a bad value, say why
        (where ``source`` says it was asked) and keep the model."""
        try:
            new = build(scenario)
        except ValueError as error:
            self.problem.set(str(error))
            self.problem_from.set(source)
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

    def build_then(self, scenario: dict[str, Any], build_it: Callable[[], Any],
                   preset: str = "") -> None:
        """Run ``build_it`` (a preset, Reset, a new organisation: each builds and settles
        ``scenario``'s organisation, a second or two, more on a busy server) in the
        background where the page runs builds there (``use_builds``), saying meanwhile
        what is being built (``building_words``), with the running organisation paused
        and shown as it was; else at once. One asked for while a build runs waits for it,
        and the last asked for wins (a facilitator who changes their mind)."""
        words = building_words(scenario, preset)
        with self._build_lock:
            if self.building.value:
                self._queued = (words, build_it)
                return
            self.building.set(words)
        self.playing.set(False)
        self._next_build = build_it
        if self.builds_in_background:
            self.build_requests.set(self.build_requests.value + 1)
        else:
            self.finish_build()

    def finish_build(self) -> None:
        """Run the build asked for, if any, then the last one asked for meanwhile, and say
        it is done (also if one failed)."""
        build_it, self._next_build = self._next_build, None
        try:
            while build_it is not None:
                build_it()
                with self._build_lock:
                    queued, self._queued = self._queued, None
                    build_it = queued[1] if queued else None
                    if queued:
                        self.building.set(queued[0])
        finally:
            with self._build_lock:
                self._queued = None
                self.building.set("")

    @property
    def busy(self) -> bool:
        """Whether a build runs: the organisation shown is on its way out, so nothing acts
        on it or changes what is being built."""
        return bool(self.building.value)

    def week(self) -> int:
        """The week the page shows (the furthest organisation's)."""
        return max(week(org) for org in organisations(self.model.value).values())

    def step(self, weeks: int = 1) -> None:
        """``weeks`` weeks, each with its events followed, and one redraw after them
        (none while a build runs: the organisation shown is on its way out)."""
        if self.busy:
            return
        for _ in range(weeks):
            self.model.value.step()
            self.follow_events()
        self.tick.set(self.tick.value + 1)

    def follow_events(self) -> None:
        """Keep the message true: a departure nobody pressed for (scheduled) is said when it
        happens, "The leader left" gives way once every formal leader's post is filled
        again, and an answer to a press ("nobody left") goes after a week."""
        said = self.message.value
        formal = {p: org for p, org in organisations(self.model.value).items()
                  if org.policy.has_formal_leader}
        if said.startswith("Nobody has led yet"):
            self.message.set("")
        if not said.startswith("The leader left"):
            gone = [p for p, org in formal.items()
                    if (week(org), "leader left") in events_of(org)]
            if gone:
                self.message.set(leader_left_message(organisations(self.model.value), gone,
                                                     self.week()))
        elif formal and all(org.leader >= 0 for org in formal.values()):
            weeks = [w for org in formal.values() for w, what in events_of(org)
                     if what == "successor"]
            self.message.set(f"A successor took over at week {max(weeks)}." if weeks
                             else "A successor has taken over.")

    def preset_scenario(self, name: str) -> dict[str, Any]:
        """The scenario of preset ``name`` on the draft's seed. Comparison mode stays as it
        is, unless the preset is about a policy the comparison does not run (fostering):
        then it turns off, so that the room sees the organisation the preset describes."""
        settings = PRESETS[name].settings
        comparison = (self.draft.value["comparison"]
                      and settings.get("policy", COMPARED[0]) in COMPARED)
        return {**DEFAULT_SCENARIO, "rng": self.draft.value["rng"],
                "comparison": comparison, **settings}

    def choose_preset(self, name: str) -> None:
        """Build the preset's organisation (``preset_scenario``)."""
        self.apply(self.preset_scenario(name), preset=name)

    def leader_leaves(self) -> None:
        """The leader leaves now (under distributed leadership, the most active emergent
        one): marked on the charts this week, under every policy (not while a build runs)."""
        if self.busy:
            return
        orgs = organisations(self.model.value)
        left = self.model.value.remove_leader()
        if not isinstance(left, dict):
            left = {next(iter(orgs)): left}
        gone = [p for p, who in left.items() if who is not None]
        for policy in gone:
            record_event(orgs[policy], "leader left")
        self.message.set(leader_left_message(orgs, gone, self.week()) if gone
                         else already_empty_message(orgs))
        self.tick.set(self.tick.value + 1)

    def change_now(self) -> bool:
        """Apply the draft's settings that can change mid-run to the running organisation(s)
        from the next week (``OrganisationModel.intervene``), marked on every chart; on a
        bad value, say why and change nothing (nor while a build runs)."""
        changes, _ = mid_run_changes(self.scenario.value, self.draft.value)
        if not changes or self.busy:
            return False
        orgs = organisations(self.model.value)
        try:
            for org in orgs.values():
                org.params.replace(**changes)  # validate everything before changing any
        except ValueError as error:
            self.problem.set(str(error))
            self.problem_from.set("levers")
            return False
        for org in orgs.values():
            org.intervene(**changes)
            record_event(org, "changed")
        said = ", ".join(f"{short_label(k)} {v:g}" if isinstance(v, float) else
                         f"{short_label(k)} {v}" for k, v in changes.items())
        self.problem.set("")
        self.message.set(f"Changed at week {self.week()}, from the next week on: {said}.")
        self.preset.set("")  # no longer the preset's organisation: say what runs instead
        self.scenario.set({**self.scenario.value, **changes})
        self.tick.set(self.tick.value + 1)
        return True

    def market_shock(self) -> None:
        """A market shock now: demand jumps and turbulence rises, in every organisation
        shown; the turbulence control then shows the level the market is at (and Reset
        starts from it, as after any change of a lever; not while a build runs)."""
        if self.busy:
            return
        before = self.scenario.value["turbulence"]
        self.model.value.market_shock()
        orgs = organisations(self.model.value)
        for org in orgs.values():
            record_event(org, "market shock")
        after = next(iter(orgs.values())).turbulence
        turbulence = (f"the market became more turbulent (turbulence {before:g} → {after:g})"
                      if after > before else
                      f"the market stays as turbulent as it can be (turbulence {after:g})")
        self.message.set(f"Market shock at week {self.week()}: demand jumped to other kinds of "
                         f"work and {turbulence}.")
        self.scenario.set({**self.scenario.value, "turbulence": after})
        self.draft.set({**self.draft.value, "turbulence": after})
        self.tick.set(self.tick.value + 1)


def founding_changes(names: list[str]) -> str:
    """The founding settings that changed, as a sentence says them."""
    words = {"rng": "the seed", "comparison": "the comparison",
             "warm_up": "the weeks it settles before week 0"}
    said = [words.get(name, f"the {short_label(name)}") for name in names]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


def short_label(name: str) -> str:
    """A control's label without its explanation, as a message says it."""
    return CONTROL_LABELS.get(name, name).split(" (")[0].split(":")[0].lower()


def already_empty_message(orgs: dict[str, OrganisationModel]) -> str:
    """What a press of "The leader leaves now" says when nobody could leave: a formal post
    already empty (pressed twice, or before a successor) says since when; otherwise nobody
    has led yet."""
    left = [w for org in orgs.values() if org.policy.has_formal_leader and org.leader < 0
            for w, what in events_of(org) if what == "leader left"]
    if left:
        return (f"The leader left at week {max(left)}; the post is still empty until a "
                "successor takes over.")
    return "Nobody has led yet, so nobody left."


def leader_left_message(orgs: dict[str, OrganisationModel], gone: list[str],
                        at: int) -> str:
    """What the room is told when a leader leaves: a formal leader's post stays empty until
    a successor takes over; without one, the one who led most lately left."""
    if len(orgs) > 1:  # each organisation's, in its own words
        who = [f"{policy}: its formal leader" if orgs[policy].policy.has_formal_leader
               else f"{policy}: the one who led most lately" for policy in gone]
        return f"The leader left at week {at} ({'; '.join(who)})."
    if orgs[gone[0]].policy.has_formal_leader:
        return (f"The leader left at week {at}: nobody gives out new work until a successor "
                "takes over.")
    return (f"The leader left at week {at}: the one who led most lately; others may take "
            "the lead.")


def building_words(scenario: dict[str, Any], preset: str = "") -> str:
    """What the page says while it builds ``scenario``'s organisation (``preset``'s, if
    one was pressed)."""
    if preset:
        what = f"the {preset} organisation"
    elif scenario.get("comparison"):
        what = "the comparison"
    else:
        what = "the organisation"
    settles = warm_up_of_scenario(scenario)
    if not settles:
        return f"Founding {what}: week 0 is its first week"
    return (f"Building {what}: {'each' if scenario.get('comparison') else 'it'} settles for "
            f"{settles} weeks under its leadership before week 0")


def use_builds(state: WorkshopState) -> None:
    """The page builds in a thread of its own (``WorkshopState.build_then``), so a press of
    a preset, Reset or Build shows at once that it was heard."""
    state.builds_in_background = True
    solara.lab.use_task(state.finish_build, dependencies=[state.build_requests.value],
                        prefer_threaded=True)


# ----------------------------------------------------------------------------- playback
MAX_WEEKS_A_FRAME = 4
"""The most weeks playback steps between two redraws to keep its pace: beyond that the
charts would jump, and the page says the pace it achieves instead."""


def weeks_a_frame(frame_seconds: float, pace: float) -> int:
    """Weeks to step before the next redraw, so that playback keeps ``pace`` weeks a second
    when a frame (stepping and redrawing) takes ``frame_seconds``: one while a frame fits
    in a week's time; where it does not (a busy server: the redraw, not the model's step,
    is most of a frame), as many as the frame's time asks for, at most
    ``MAX_WEEKS_A_FRAME``."""
    return max(1, min(MAX_WEEKS_A_FRAME, math.ceil(round(frame_seconds * pace, 6))))


def play_loop(state: WorkshopState) -> None:
    """Step at the pace asked for while playing: a week a frame, or several where frames
    are slower than a week's time (``weeks_a_frame``); keep the pace achieved in
    ``state.achieved`` (steps a second) so the page can say it."""
    started, steps, frame = time.perf_counter(), 0, 0.0
    while state.playing.value:
        pace = PACES[state.pace.value]
        weeks = weeks_a_frame(frame, pace)
        began = time.perf_counter()
        state.step(weeks)
        steps += weeks
        frame = time.perf_counter() - began
        time.sleep(max(0.0, weeks / pace - frame))
        state.achieved.set(steps / (time.perf_counter() - started))


def use_playback(state: WorkshopState) -> None:
    """Play runs ``play_loop`` in a thread of its own, restarted when the pace changes."""
    solara.lab.use_task(lambda: play_loop(state),
                        dependencies=[state.playing.value, state.pace.value],
                        prefer_threaded=True)


# ----------------------------------------------------------------------------- components
@solara.component
def ControlBar(state: WorkshopState):
    """The top of the page: Step, Play, Reset, the pace and the week; the presets; and one
    sentence on what is running (the preset's explanation, or the policy's)."""
    state.tick.get()
    building = state.busy
    with solara.Row(style={"align-items": "center", "gap": "10px", "flex-wrap": "nowrap"}):
        solara.HTML(tag="h1", unsafe_innerHTML="Leadership and motivation at work")
        solara.Button("Step", on_click=state.step, color="primary",
                      disabled=state.playing.value or building, classes=["workshop-fixed"])
        if state.playing.value:
            solara.Button("Pause", on_click=lambda: state.playing.set(False), color="primary",
                          classes=["workshop-fixed"])
        else:
            solara.Button("Play", on_click=lambda: state.playing.set(True), color="primary",
                          disabled=building, classes=["workshop-fixed"])
        solara.Button("Reset", outlined=True, disabled=building, classes=["workshop-fixed"],
                      on_click=lambda: state.build_then(state.scenario.value, state.reset,
                                                        state.preset.value))
        solara.Select(label="Pace", values=list(PACES), value=state.pace,
                      style={"max-width": "180px"})
        solara.Text(f"Week {state.week()}", classes=["workshop-week"])
        pace = ""
        if state.playing.value and state.achieved.value:
            asked = PACES[state.pace.value]
            pace = (f"playing {state.achieved.value:.1f} weeks a second"
                    + ("" if state.achieved.value >= 0.9 * asked else f" (asked {asked:g})"))
        solara.Text(pace, classes=["workshop-pace"])
    with solara.Row(style={"align-items": "center", "gap": "6px", "flex-wrap": "nowrap"}):
        solara.Text("Presets:", style={"font-size": "16px"})
        for name in PRESETS:
            chosen = state.preset.value == name
            solara.Button(name, on_click=lambda name=name: state.build_then(
                              state.preset_scenario(name), lambda: state.choose_preset(name),
                              name),
                          color="primary" if chosen else None, outlined=not chosen,
                          depressed=chosen, disabled=building)
    # in the explanation's place while a build runs, so nothing below moves
    solara.Info(state.building.value or explanation(state), dense=True,
                classes=["workshop-explanation"] + (["workshop-building"] if building else []))


def explanation(state: WorkshopState) -> str:
    """One sentence on what is running: the chosen preset's explanation, or the policy's."""
    scenario = state.scenario.value
    side_by_side = "Comparison: heroic (left) and distributed (right), same seed, same events."
    if state.preset.value and state.preset.value in PRESETS:
        preset = PRESETS[state.preset.value]
        if scenario["comparison"]:
            return f"{preset.in_comparison or preset.explanation} {side_by_side}"
        return preset.explanation
    if scenario["comparison"]:
        return side_by_side
    return policy_words(scenario["policy"])


def _percent(x: float) -> str:
    return "–" if x != x else f"{100 * x:.0f} %"


BURNOUT_HEADLINE_WEEKS = 13
"""Weeks the burnout headline averages over: a quarter (not the model's
``rules.wellbeing.BURNOUT_WEEKS``, the weeks in a row that count as burnt out)."""

TASKS_HEADLINE_WEEKS = 4
"""Weeks the tasks headline averages over, what was delivered and what arrived alike."""


def _arriving(org) -> str:
    arrived = flows(org).tasks_arrived.tail(TASKS_HEADLINE_WEEKS)
    return f"of {arrived.mean():.1f} arriving" if len(arrived) else "none arrived yet"


HEADLINES = (
    ("Tasks delivered a week",
     lambda org: f"{flows(org).tasks_completed.tail(TASKS_HEADLINE_WEEKS).mean():.1f}"
     if len(flows(org)) else "–", _arriving),
    ("Autonomous motivation",
     lambda org: f"{100 * history(org).autonomous_motivation.iloc[-1]:.0f}<small>/100</small>",
     lambda org: "values or enjoys it"),
    ("Burnt out lately",
     lambda org: _percent(history(org).burnout_share.tail(BURNOUT_HEADLINE_WEEKS).mean()),
     lambda org: f"of staff, {BURNOUT_HEADLINE_WEEKS} weeks"),
    ("People leading lately", lambda org: f"{int(history(org).leaders_active.iloc[-1])}",
     lambda org: f"of {int(history(org).headcount.iloc[-1])} employees"),
)
"""The headline figures: what the story is, at a glance, each with what it is out of
(tasks over the last 4 weeks, at week 0 the last 4 of the warm-up, beside the tasks that
arrived in them). Autonomous motivation is the mean of identified and intrinsic
regulation on a 0-100 scale, the level the research reads (the share of people whose
autonomous motivation is their strongest is 93-100 % under every policy and tells them
apart less); burnout, a state that comes and goes in waves of a few months, is the share
burnt out averaged over the last ``BURNOUT_HEADLINE_WEEKS`` weeks, not one week's."""


def said_once(texts: list[str]) -> str:
    """What each organisation's tile is out of, said once: the words all share said once
    around what differs ("of 98 · 100 employees"), so a comparison's tile stays on the
    screen."""
    words = [text.split(" ") for text in dict.fromkeys(texts)]
    if len(words) == 1:
        return " ".join(words[0])
    shortest = min(len(w) for w in words)
    head = next((i for i in range(shortest) if len({w[i] for w in words}) > 1), shortest)
    tail = next((i for i in range(shortest - head)
                 if len({w[len(w) - 1 - i] for w in words}) > 1), shortest - head)
    if not all(w[head:len(w) - tail] for w in words):  # one says all another does, and more
        return " · ".join(" ".join(w) for w in words)
    middle = " · ".join(" ".join(w[head:len(w) - tail]) for w in words)
    return " ".join([*words[0][:head], middle, *words[0][len(words[0]) - tail:]])


@solara.component
def Headlines(state: WorkshopState):
    state.tick.get()
    orgs = organisations(state.model.value)
    with solara.Div(classes=["workshop-tiles", f"workshop-tiles-{len(orgs)}"]):
        for what, value_of, out_of in HEADLINES:
            parts = []
            for policy, org in orgs.items():
                label = f" <small>{policy}</small>" if len(orgs) > 1 else ""
                parts.append(f'<span style="color:{policy_colour(policy)}">{value_of(org)}'
                             f"</span>{label}")
            context = said_once([out_of(org) for org in orgs.values()])
            # under the figure; beside the name in a comparison, whose tiles are twice as
            # wide and twice as many (a line more each would push the levers off the screen)
            what_line = (f'{what} <span class="out-of">· {context}</span>' if len(orgs) > 1
                         else what)
            under = "" if len(orgs) > 1 else f'<div class="out-of">{context}</div>'
            solara.HTML(tag="div", classes=["workshop-tile"], unsafe_innerHTML=(
                f'<div class="what">{what_line}</div><div class="value">'
                + " ".join(parts) + f"</div>{under}"))


@solara.component
def EventsPanel(state: WorkshopState):
    """The events a facilitator sets off, the message on what happened (in a space kept for
    it, so nothing moves when one comes or goes) and each organisation's state."""
    state.tick.get()
    with solara.Column(gap="6px"):
        with solara.Row(gap="8px"):
            solara.Button("The leader leaves now", on_click=state.leader_leaves,
                          color="error", outlined=True, disabled=state.busy)
            solara.Button("Market shock", on_click=state.market_shock, color="warning",
                          outlined=True, disabled=state.busy)
        with solara.Div(classes=["workshop-message"]):
            if state.message.value:
                solara.Info(state.message.value, dense=True)
        for policy, org in organisations(state.model.value).items():
            leader = "a formal leader in post" if org.leader >= 0 else "no formal leader"
            if org.policy.has_formal_leader and org.leader < 0:
                leader = f"no formal leader: a successor in {org.succession_timer + 1} weeks"
            solara.Text(f"{policy}: week {week(org)}, {int(org.state.active.sum())} "
                        f"employees, {leader}", style={"font-size": "15px"})


def _control(state: WorkshopState, name: str, label: str, kind: str, options: Any,
             disabled: bool = False) -> None:
    """One control of the draft scenario: a menu or a slider showing its value (greyed
    out, ``disabled``, where it changes nothing)."""
    draft = state.draft.value
    building = state.busy  # the build would undo a change made meanwhile

    def set_value(value):
        state.draft.set({**state.draft.value, name: value})

    if kind == "select":
        solara.Select(label=label, values=options, value=draft[name], on_value=set_value,
                      disabled=building)
    elif kind == "int":
        low, high, step = options
        solara.SliderInt(f"{label}: {draft[name]}", value=draft[name], min=low, max=high,
                         step=step, on_value=set_value, disabled=building)
    else:
        low, high, step = options
        solara.SliderFloat(label if disabled else f"{label}: {draft[name]:g}",
                           value=draft[name], min=low, max=high, step=step,
                           on_value=set_value, disabled=disabled or building)


FORMAL_LEADER_ONLY = ("leader_autonomy_support",)
"""Levers only a formal leader's organisation has: greyed out under a policy without one."""

LEVERS = ("policy", "leader_autonomy_support", "contingent_rewards", "protocol_coverage",
          "shared_purpose", "turbulence", "task_complexity")
"""The controls beside the network, in a facilitator's order: the leadership first, the
market last."""


@solara.component
def Levers(state: WorkshopState):
    """Beside the network: the settings a facilitator changes during a session (leadership,
    the leader's style, pay, procedures, the market), applied to the running organisation
    by "Change it now, keep running"."""
    comparing = state.draft.value["comparison"]
    changes, rebuild = mid_run_changes(state.scenario.value, state.draft.value)
    with solara.Div(classes=["workshop-levers"]):
        offered = {name: (label, kind, options) for name, label, kind, options in controls()}
        for name in sorted(set(offered) - FOUNDING,
                           key=lambda n: LEVERS.index(n) if n in LEVERS else len(LEVERS)):
            if name == "policy" and comparing:
                continue  # a comparison runs both: a Leadership menu would do nothing
            label, kind, options = offered[name]
            leaderless = name in FORMAL_LEADER_ONLY and not comparing and not get_policy(
                state.draft.value["policy"]).has_formal_leader
            if leaderless:
                label = f"{label.split(' (')[0]} (no formal leader here)"
            _control(state, name, label, kind, options, disabled=leaderless)
    with solara.Row(gap="8px", style={"align-items": "center"}):
        solara.Button("Change it now, keep running", color="primary",
                      disabled=not changes or bool(rebuild) or state.busy,
                      on_click=state.change_now)
        solara.Text("from the next week on; Reset starts again from week 0"
                    if not rebuild else "the founding settings below changed: build anew",
                    style={"font-size": "15px"})
    if state.problem.value and state.problem_from.value == "levers":
        solara.Error(f"Not applied: {state.problem.value}. The running organisation "
                     "was kept.")


@solara.component
def Stage(state: WorkshopState):
    """Above the fold: the network and its legend; beside it the headline figures, the
    events and the levers."""
    state.tick.get()
    model = state.model.value
    with solara.Div(classes=["workshop-stage", *_stale(state)]):
        with solara.Column(gap="4px", style={"flex": "none"}):
            solara.FigureMatplotlib(network_figure(model), **NETWORK_PNG,
                                    dependencies=[id(model), state.tick.value])
            solara.HTML(tag="div", classes=["workshop-legend"],
                        unsafe_innerHTML=NETWORK_LEGEND)
        with solara.Column(gap="8px", style={"min-width": "0", "flex": "1"}):
            Headlines(state)
            EventsPanel(state)
            Levers(state)


def _stale(state: WorkshopState) -> list[str]:
    """Classes that wash out what shows the organisation being replaced while a build runs."""
    return ["workshop-stale"] if state.busy else []


def inline_svg(figure) -> str:
    """A figure as an SVG element for the page itself (not an image): crisp at any zoom,
    its text real text, each label an element the browser lays out."""
    out = io.StringIO()
    figure.savefig(out, format="svg")
    text = out.getvalue()
    return text[text.index("<svg"):]


@solara.component
def Chart(make, model, tick: int):
    """One chart, inline; a chart of two plots side by side takes two columns."""
    def draw():
        figure = make(model)
        return inline_svg(figure), figure.get_figwidth() > CHART_WIDTH

    svg, wide = solara.use_memo(draw, [id(model), tick])
    solara.HTML(tag="div", unsafe_innerHTML=svg, classes=["workshop-wide"] if wide else [])


@solara.component
def Charts(state: WorkshopState):
    tick = state.tick.get()
    model = state.model.value
    with solara.Div(classes=["workshop-charts", *_stale(state)]):
        Chart(continuum_figure, model, tick)
        for chart in charts_of(model):
            Chart(lambda m, chart=chart: chart_figure(m, chart), model, tick)


@solara.component
def ScenarioPanel(state: WorkshopState):
    """The organisation as founded (its size, network, seed, comparison): building it
    starts a new one, settled for seven years, at week 0."""
    draft = state.draft.value
    building = state.busy
    # while a build runs the draft is what it builds: nothing "changed" to say
    rebuild = [] if building else mid_run_changes(state.scenario.value, draft)[1]

    def set_value(name):
        return lambda value: state.draft.set({**state.draft.value, name: value})

    with solara.Card("The organisation as founded"):
        for name, label, kind, options in controls():
            if name in FOUNDING:
                _control(state, name, label, kind, options)
        solara.InputText("Seed (a whole number: the same seed gives the same run)",
                         value=str(draft["rng"]), on_value=set_value("rng"), disabled=building)
        solara.Switch(label="Comparison: heroic and distributed side by side",
                      value=draft["comparison"], on_value=set_value("comparison"),
                      disabled=building)
        solara.Button("Build this organisation", color="primary", outlined=True,
                      disabled=building, on_click=lambda: state.build_then(
                          draft, lambda: state.apply(draft, source="founding")))
        settles = warm_up_of_scenario(draft)
        solara.Text((f"A new organisation settles for {settles} weeks under its leadership "
                     "before week 0, so week 0 shows it settled" if settles else
                     "This preset starts at the organisation's founding: week 0 is its "
                     "first week")
                    + (f": {founding_changes(rebuild)} changed, so this builds a new one."
                       if rebuild else "."),
                    style={"font-size": "15px"})
        if state.problem.value and state.problem_from.value == "founding":
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
    use_builds(state)
    solara.Title("Leadership and motivation at work")
    solara.Style(CSS)
    with solara.Column(classes=["workshop"], gap="8px", style={"padding": "6px 14px"}):
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
