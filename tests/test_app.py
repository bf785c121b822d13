"""The workshop app's page, controls and behaviour, rendered with ``solara.render``."""

from __future__ import annotations

import ipyvuetify as v
import matplotlib.colors
import matplotlib.text
import numpy as np
import pytest
import solara

from app.comparison import ComparisonModel, organisations
from app.figures import (
    CHARTS,
    EVENT_COLOUR,
    SMOOTHING,
    chart_figure,
    charts_of,
    continuum_figure,
    events_of,
    flows,
    history,
    layout_of,
    network_figure,
    record_event,
)
from app.page import (
    BURNOUT_HEADLINE_WEEKS,
    AboutPanel,
    ControlBar,
    EventsPanel,
    Headlines,
    Levers,
    Page,
    ScenarioPanel,
    WorkshopState,
    explanation,
    founding_changes,
)
from app.scenarios import PRESETS, build, mid_run_changes, parse_seed, policy_words
from app.warmstart import WARM_UP, week
from model import OrganisationModel
from model.codes import REGULATIONS

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # Mesa's own hook warning


def _texts(rc, widget=v.Btn) -> set[str]:
    return {w.children[0] for w in rc.find(widget).widgets
            if w.children and isinstance(w.children[0], str)}


def _click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def test_page_renders_presets_controls_events_and_about():
    _box, rc = solara.render(Page(), handle_error=False)
    assert set(PRESETS) | {"Build this organisation", "The leader leaves now",
                           "Market shock"} <= _texts(rc)
    labels = {w.label for w in rc.find(v.Select).widgets}
    assert {"Leadership", "Collaboration network"} <= labels
    sliders = {w.label for w in rc.find(v.Slider).widgets}
    # every slider shows its value in its label
    assert {"Employees: 100", "Market turbulence (0 stable, 1 fast-changing): 0.3",
            "Task complexity (0 simple, 1 complex): 0.5"} <= sliders
    rc.find(v.CardTitle, children=["About this model"]).assert_single()
    # only the app's own controls: none of SolaraViz's (play interval, threads, tabs)
    texts = " ".join(_texts(rc)) + " ".join(labels | sliders)
    for framework in ("Play Interval", "Render Interval", "Use Threads", "Model Parameters"):
        assert framework not in texts


def test_about_reads_like_netlogos_info_tab():
    _box, rc = solara.render(AboutPanel(), handle_error=False)
    about = rc.find(solara.widgets.HTML).widget.unsafe_innerHTML
    for section in ("What is it?", "How it works", "How to use it", "Things to notice",
                    "Things to try", "Extending the model", "Credits and references"):
        assert section in about, section


def test_a_preset_builds_its_organisation_and_explains_itself():
    state = WorkshopState()
    _box, bar = solara.render(ControlBar(state), handle_error=False)
    _click(bar, "Distributed team")
    assert state.model.value.params.policy == "distributed"
    assert state.model.value.params.protocol_coverage == 0.6
    chosen = bar.find(v.Btn, children=["Distributed team"]).widget
    assert chosen.color == "primary" and not chosen.outlined  # the chosen preset stands out
    alerts = [w.children[0] for w in bar.find(v.Alert).widgets]  # at the top of the page
    assert any("No boss" in a for a in alerts)


def test_a_preset_about_a_policy_the_comparison_does_not_run_turns_the_comparison_off():
    state = WorkshopState()
    state.draft.set({**state.draft.value, "comparison": True})
    state.choose_preset("Fostering independence")
    assert not state.scenario.value["comparison"]
    assert state.model.value.params.policy == "fostering"
    state.draft.set({**state.draft.value, "comparison": True})
    state.choose_preset("Heroic founder")  # heroic is one of the two: the comparison stays
    assert state.scenario.value["comparison"]
    assert set(organisations(state.model.value)) == {"heroic", "distributed"}
    said = explanation(state)
    assert said.startswith(PRESETS["Heroic founder"].explanation)
    assert "heroic (left) and distributed (right)" in said
    state.choose_preset("Turbulent market")  # its sentence asks for the comparison: not here
    assert "switch on the comparison" not in explanation(state)
    assert explanation(state).startswith(PRESETS["Turbulent market"].in_comparison)


def test_a_change_now_leaves_the_preset_and_reset_keeps_what_runs():
    state = WorkshopState()
    state.choose_preset("Heroic founder")
    state.draft.set({**state.draft.value, "policy": "distributed"})
    assert state.change_now()
    assert state.preset.value == "" and explanation(state) == policy_words("distributed")
    state.reset()
    assert state.model.value.params.policy == "distributed" and state.preset.value == ""


def test_after_a_market_shock_the_turbulence_control_shows_the_market_s_level():
    state = WorkshopState()
    before = state.scenario.value["turbulence"]
    state.market_shock()
    now = state.model.value.turbulence
    assert now > before
    assert state.draft.value["turbulence"] == state.scenario.value["turbulence"] == now
    assert f"turbulence {before:g} → {now:g}" in state.message.value
    assert mid_run_changes(state.scenario.value, state.draft.value) == ({}, [])


def test_a_shock_at_the_top_of_the_scale_does_not_say_the_market_became_more_turbulent():
    state = WorkshopState()
    state.draft.set({**state.draft.value, "turbulence": 1.0})
    assert state.change_now()
    state.market_shock()
    assert state.model.value.turbulence == 1.0
    assert "became more turbulent" not in state.message.value
    assert "as turbulent as it can be (turbulence 1)" in state.message.value


def test_the_leaders_style_is_greyed_out_where_there_is_no_formal_leader():
    state = WorkshopState()

    def style_slider():
        _box, levers = solara.render(Levers(state), handle_error=False)
        return next(w for w in levers.find(v.Slider).widgets
                    if w.label.startswith("Leader's style"))

    assert not style_slider().disabled
    state.draft.set({**state.draft.value, "policy": "distributed"})
    assert style_slider().disabled and "no formal leader" in style_slider().label
    state.draft.set({**state.draft.value, "comparison": True})  # heroic runs beside it
    assert not style_slider().disabled


def test_the_fostering_preset_starts_at_the_founding_and_shows_the_hand_over():
    """Settled for seven years the hand-over is long over by week 0; its preset starts
    at the founding, says so, and its leader's share of new teams falls as it runs."""
    from app.figures import flows

    state = WorkshopState()
    state.choose_preset("Fostering independence")
    org = state.model.value
    assert org.steps == 0 and week(org) == 0
    _box, founding = solara.render(ScenarioPanel(state), handle_error=False)
    texts = " ".join(str(w.children) for w in founding.find(v.Html).widgets)
    assert "starts at the organisation's founding" in texts
    for _ in range(100):
        state.step()
    staffed = flows(org).leader_staffed_share
    assert staffed.loc[1:20].mean() > staffed.loc[81:100].mean() + 0.2
    state.choose_preset("Heroic founder")  # the others settle as before
    assert week(state.model.value) == 0 and state.model.value.steps == WARM_UP


def test_building_anew_names_the_founding_settings_that_changed():
    state = WorkshopState()
    state.draft.set({**state.draft.value, "rng": state.draft.value["rng"] + 1})
    _box, founding = solara.render(ScenarioPanel(state), handle_error=False)
    texts = " ".join(str(w.children) for w in founding.find(v.Html).widgets)
    assert "the seed changed, so this builds a new one" in texts
    assert founding_changes(["n_employees", "rng", "comparison"]) == (
        "the employees, the seed and the comparison")


def test_controls_change_the_draft_and_build_applies_it():
    state = WorkshopState()
    _box, levers = solara.render(Levers(state), handle_error=False)
    levers.find(v.Select, label="Leadership").widget.v_model = "fostering"
    assert state.draft.value["policy"] == "fostering"
    assert state.model.value.params.policy == "heroic"  # not yet applied
    _box, founding = solara.render(ScenarioPanel(state), handle_error=False)
    _click(founding, "Build this organisation")
    assert state.model.value.params.policy == "fostering" and week(state.model.value) == 0


def test_the_levers_beside_the_network_are_what_can_change_mid_run():
    state = WorkshopState()
    _box, levers = solara.render(Levers(state), handle_error=False)
    beside = ({w.label for w in levers.find(v.Select).widgets}
              | {w.label.split(":")[0] for w in levers.find(v.Slider).widgets})
    assert beside == {"Leadership", "Leader's style (0 controlling, 1 supportive)",
                      "Pay tied to output (0 none, 1 fully)",
                      "Shared procedures (0 none, 1 everywhere)",
                      "Shared purpose (0 none, 1 strong)",
                      "Market turbulence (0 stable, 1 fast-changing)",
                      "Task complexity (0 simple, 1 complex)"}
    _box, founding = solara.render(ScenarioPanel(state), handle_error=False)
    below = ({w.label for w in founding.find(v.Select).widgets}
             | {w.label.split(":")[0] for w in founding.find(v.Slider).widgets})
    assert below == {"Employees", "Collaboration network"}
    # shared purpose, which decides whether colleagues back a lead, changes mid-run
    state.draft.set({**state.draft.value, "shared_purpose": 0.1})
    assert state.change_now()
    assert state.model.value.params.shared_purpose == 0.1
    assert state.message.value.endswith("shared purpose 0.1.")


def test_a_bad_value_says_why_and_keeps_the_running_model():
    state = WorkshopState()
    running = state.model.value
    running.step()
    _box, rc = solara.render(ScenarioPanel(state), handle_error=False)
    seed = rc.find(v.TextField).widget
    seed.v_model = "seven"
    seed.fire_event("keyup.enter", "seven")  # the text field commits on Enter
    _click(rc, "Build this organisation")
    assert state.model.value is running and week(running) == 1
    assert "seed='seven'" in state.problem.value
    assert any("Not applied" in w.children[0] for w in rc.find(v.Alert).widgets)
    assert not state.apply({**state.scenario.value, "turbulence": 4.0})
    assert "turbulence=4.0" in state.problem.value and state.model.value is running


def test_the_leader_leaves_now_and_a_market_shock():
    state = WorkshopState()
    _box, rc = solara.render(EventsPanel(state), handle_error=False)
    assert state.model.value.formal_leader is not None
    _click(rc, "The leader leaves now")
    assert state.model.value.formal_leader is None
    assert state.message.value == ("The leader left at week 0: nobody gives out new work "
                                   "until a successor takes over.")
    before = state.model.value.turbulence
    _click(rc, "Market shock")
    assert state.model.value.turbulence > before


def test_step_reset_and_messages():
    state = WorkshopState()
    first = state.model.value
    state.step()
    state.step()
    assert week(first) == 2 and state.week() == 2
    state.market_shock()
    assert state.message.value.startswith("Market shock at week 2")
    state.reset()  # the same scenario from week 0, the message gone
    assert state.model.value is not first and week(state.model.value) == 0
    assert state.message.value == "" and not state.playing.value


def test_playback_keeps_the_pace_asked_for_and_says_what_it_achieves():
    import threading
    import time

    from app import page

    state = WorkshopState()
    state.pace.set("4 weeks a second")
    state.playing.set(True)

    def stop_later():
        time.sleep(1.6)
        state.playing.set(False)

    stopper = threading.Thread(target=stop_later)
    stopper.start()
    page.play_loop(state)  # what Play runs, here in the test's thread
    stopper.join()
    steps = week(state.model.value)
    assert 5 <= steps <= 8  # about 4 a second for 1.6 s, never faster than asked
    assert 0 < state.achieved.value <= 4.4


def test_weeks_a_frame_keeps_the_pace_when_frames_are_slow():
    from app.page import MAX_WEEKS_A_FRAME, weeks_a_frame

    assert weeks_a_frame(0.0, 4.0) == 1  # the first frame, and any that fits in a week
    assert weeks_a_frame(0.2, 4.0) == 1  # 0.25 s a week at 4 a second: fits
    assert weeks_a_frame(0.25, 4.0) == 1
    assert weeks_a_frame(0.6, 4.0) == 3  # 0.6 s a frame: 2.4 weeks' time, so 3 a frame
    assert weeks_a_frame(0.6, 1.0) == 1
    assert weeks_a_frame(5.0, 4.0) == MAX_WEEKS_A_FRAME == 4  # never a jump beyond it
    state = WorkshopState()
    tick = state.tick.value
    state.step(3)  # three weeks, one redraw
    assert week(state.model.value) == 3 and state.tick.value == tick + 1


def test_playback_on_a_busy_server_steps_several_weeks_a_redraw_to_keep_its_pace(
        monkeypatch):
    """Where each redraw takes 0.5 s (a server shared by a room), Play at 4 weeks a second
    steps several weeks between redraws instead of slowing to 2 a second."""
    import threading
    import time

    from app import page

    state = WorkshopState()
    redraws = []

    def slow_step(self, weeks=1):  # the model's weeks take no time here: only the redraw
        redraws.append(weeks)
        time.sleep(0.5)

    monkeypatch.setattr(page.WorkshopState, "step", slow_step)
    state.pace.set("4 weeks a second")
    state.playing.set(True)
    stopper = threading.Timer(2.6, lambda: state.playing.set(False))
    stopper.start()
    page.play_loop(state)
    stopper.join()
    assert redraws[0] == 1 and max(redraws) >= 2  # a week first, then as many as needed
    assert sum(redraws) >= 8  # a week a redraw would give 5 or 6
    assert state.achieved.value >= 3.0


def test_a_comparison_built_after_the_fostering_preset_is_settled_as_every_other():
    """The founding start belongs to the fostering preset; a comparison (heroic and
    distributed) switched on after it starts settled, as the page says."""
    state = WorkshopState()
    state.choose_preset("Fostering independence")
    assert week(state.model.value) == 0 and state.model.value.steps == 0
    state.draft.set({**state.draft.value, "comparison": True})
    state.apply(state.draft.value, source="founding")
    for org in organisations(state.model.value).values():
        assert org.steps == WARM_UP and week(org) == 0


def test_comparison_hides_the_leadership_menu_and_shows_both_organisations():
    state = WorkshopState()
    state.apply({**state.scenario.value, "comparison": True})
    _box, rc = solara.render(ScenarioPanel(state), handle_error=False)
    labels = {w.label for w in rc.find(v.Select).widgets}
    assert "Leadership" not in labels  # it would do nothing: both policies run
    _box, rc = solara.render(Headlines(state), handle_error=False)
    tiles = " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)
    assert "heroic" in tiles and "distributed" in tiles


def test_events_are_marked_on_the_charts():
    model = OrganisationModel(n_employees=40, rng=1, policy="heroic")
    for _ in range(3):
        model.step()
    model.remove_leader()
    model.step()
    model.market_shock()
    record_event(model, "market shock")
    model.step()
    marked = events_of(model)
    assert (4, "leader left") in marked and (4, "market shock") in marked
    figure = chart_figure(model, "delivered")
    assert any("leader left" in t.get_text() for t in figure.axes[0].texts)


def test_charts_have_their_own_scales_from_zero():
    model = OrganisationModel(n_employees=40, rng=1)
    model.step()
    for name, chart in CHARTS.items():
        ax = chart_figure(model, name).axes[0]
        low, high = ax.get_ylim()
        assert low == 0.0 and high >= 1.0, name  # never a −0.04 … 0.04 axis at the start
        if chart.limits is not None:
            assert (low, high) == chart.limits, name


def test_comparison_runs_both_policies_on_the_same_seed_with_the_same_events():
    founded = build({**WorkshopState().scenario.value, "comparison": True, "rng": 5},
                    warm_up=0)
    heroic, distributed = founded.twins["heroic"], founded.twins["distributed"]
    np.testing.assert_array_equal(heroic.state.skills, distributed.state.skills)
    model = build({**WorkshopState().scenario.value, "comparison": True, "rng": 5})
    assert isinstance(model, ComparisonModel)
    heroic, distributed = model.twins["heroic"], model.twins["distributed"]
    assert week(heroic) == week(distributed) == 0  # each settled under its own policy
    for _ in range(3):
        model.step()
    assert week(heroic) == week(distributed) == 3
    left = model.remove_leader()
    assert left["heroic"] is not None and heroic.formal_leader is None


def test_figures_draw_one_or_two_organisations():
    single = OrganisationModel(n_employees=40, rng=1)
    pair = ComparisonModel(n_employees=40, rng=1)
    for model in (single, pair):
        model.step()
        n = len(pair.twins) if model is pair else 1
        assert len(network_figure(model).axes) == n
        assert len(continuum_figure(model).axes) == n
        for name, chart in CHARTS.items():
            # one line a chart: both organisations on one axes, in their policies' colours
            panels = 1 if len(chart.series) == 1 else n
            assert len(chart_figure(model, name).axes) == panels, name


def test_the_continuum_bands_stack_the_shares_in_continuum_order():
    model = OrganisationModel(n_employees=40, rng=1)
    for _ in range(3):
        model.step()
    figure = continuum_figure(model)
    bands = list(figure.axes[0].collections)
    for _ in range(2):  # a second step redraws the same bands, not new ones
        model.step()
        figure = continuum_figure(model)
        assert list(figure.axes[0].collections) == bands
    df = model.datacollector.get_model_vars_dataframe().iloc[1:]
    shares = np.array([df[f"share_{name}"].to_numpy() for name in REGULATIONS])
    top = np.cumsum(shares, axis=0)
    for j, band in enumerate(bands):
        outline = band.get_paths()[0].vertices
        weeks = len(df)
        np.testing.assert_allclose(outline[:weeks, 0], df.index)
        np.testing.assert_allclose(outline[:weeks, 1], top[j])  # its upper edge
        np.testing.assert_allclose(outline[weeks:2 * weeks, 1][::-1], top[j] - shares[j])
    np.testing.assert_allclose(top[-1], 1.0)  # the bands fill the chart: everyone is somewhere


def test_the_network_layout_is_stable_from_step_to_step():
    model = OrganisationModel(n_employees=40, rng=1)
    first = layout_of(model).copy()
    model.step()
    np.testing.assert_array_equal(layout_of(model), first)


def test_the_network_shows_the_ties_of_this_week_even_when_their_number_is_the_same():
    """Ties are made and dissolved in one week, so their count can stay while which ties
    they are changes: the panel draws the current ones, each with its own strength."""
    import matplotlib.collections

    model = OrganisationModel(n_employees=60, rng=1, policy="distributed")
    same_count_other_ties = 0
    for _ in range(120):
        before = set(zip(model.ties.u.tolist(), model.ties.v.tolist(), strict=True))
        model.step()
        ties = model.ties
        now = set(zip(ties.u.tolist(), ties.v.tolist(), strict=True))
        same_count_other_ties += len(now) == len(before) and now != before
        ax = network_figure(model).axes[0]
        (edges,) = [c for c in ax.collections
                    if isinstance(c, matplotlib.collections.LineCollection)]
        xy = layout_of(model)
        drawn = np.array(edges.get_segments())
        np.testing.assert_allclose(drawn, np.stack([xy[ties.u], xy[ties.v]], axis=1))
        np.testing.assert_allclose(edges.get_linewidths(), 0.3 + 1.5 * ties.strength)
    assert same_count_other_ties > 0  # the case that was drawn wrong happened


def test_the_first_screen_shows_a_typical_organisation():
    """The default scenario's seed gives a week 0 inside the middle 60 % of 20 other seeds
    in burnout and autonomous motivation (the room should not first meet an outlier)."""
    from app.scenarios import DEFAULT_SCENARIO, TYPICAL_SEED
    from app.warmstart import WARM_UP, settle
    from experiments.simulate import run_batch

    settings = {k: v for k, v in DEFAULT_SCENARIO.items() if k not in ("rng", "comparison")}

    def week_0(world):
        s = world.state
        return s.burnt_out[s.active].mean(), s.autonomous[s.active].mean()

    # the others as one organisation batch (each run bit for bit as the app settles it)
    others = np.array([r.observed for r in run_batch(
        settings, rngs=list(range(100, 120)), steps=WARM_UP, record_every=None,
        observe=week_0)])
    low, high = np.percentile(others, [20, 80], axis=0)
    org = OrganisationModel(rng=TYPICAL_SEED, **settings)  # as the page builds it
    settle(org)
    first_screen = np.array(week_0(org.world))
    assert DEFAULT_SCENARIO["rng"] == TYPICAL_SEED
    assert ((low <= first_screen) & (first_screen <= high)).all()


def test_seed_parsing():
    assert parse_seed(" 12 ") == 12
    for bad in ("x", "-1", "1.5"):
        with pytest.raises(ValueError, match="seed="):
            parse_seed(bad)


def test_a_chart_rescales_as_the_run_grows():
    model = OrganisationModel(n_employees=60, rng=2, policy="distributed")
    chart_figure(model, "leading")  # drawn at week 0, as the page does
    for _ in range(8):
        model.step()
        ax = chart_figure(model, "leading").axes[0]
    assert ax.get_ylim()[1] >= model.datacollector.get_model_vars_dataframe().leaders_active.max()


def test_the_handover_chart_shows_who_staffs_new_teams():
    """The chart is the leader's share of new teams, smoothed: all of them under heroic
    leadership, none under distributed."""
    shares = {}
    for policy in ("heroic", "distributed"):
        model = OrganisationModel(n_employees=60, policy=policy, rng=3)
        for _ in range(12):
            model.step()
        (line,) = [line for line in chart_figure(model, "handover").axes[0].get_lines()
                   if line.get_color() != EVENT_COLOUR]  # (an event's mark aside)
        y = np.asarray(line.get_ydata(), dtype=float)
        expected = (history(model).iloc[1:]["leader_staffed_share"]
                    .rolling(SMOOTHING, min_periods=1).mean().to_numpy())
        np.testing.assert_array_equal(y, expected)  # the output as the chart smooths it
        shares[policy] = y[~np.isnan(y)]
    assert len(shares["heroic"]) and (shares["heroic"] == 1.0).all()
    assert len(shares["distributed"]) and (shares["distributed"] == 0.0).all()


def test_the_comparison_leaves_out_what_only_restates_the_policies():
    single = OrganisationModel(n_employees=40, rng=1)
    pair = ComparisonModel(n_employees=40, rng=1)
    assert charts_of(single) == list(CHARTS)
    assert charts_of(pair) == [name for name in CHARTS if name != "handover"]


def test_mesas_solaraviz_builds_a_page_for_the_model():
    """The README says Mesa's SolaraViz accepts the model: its page, with a plot of an
    output and a control, renders without error."""
    import warnings

    from mesa.visualization import SolaraViz, make_plot_component

    model = OrganisationModel(n_employees=30, rng=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Mesa's own hooks warning, not ours
        page = SolaraViz(model, components=[make_plot_component("autonomous_motivation")],
                         model_params={"n_employees": {"type": "SliderInt", "value": 30,
                                                       "label": "Employees", "min": 10,
                                                       "max": 100, "step": 10}})
        box, _rc = solara.render(page, handle_error=False)
    assert box is not None and model.steps == 0


def test_the_leader_left_message_clears_when_a_successor_takes_over():
    state = WorkshopState()
    state.step()
    state.leader_leaves()
    assert state.message.value.startswith("The leader left at week 1")
    for _ in range(state.model.value.params.succession_delay + 2):
        state.step()
    assert state.model.value.formal_leader is not None
    successor = [w for w, what in events_of(state.model.value) if what == "successor"]
    assert state.message.value == f"A successor took over at week {successor[-1]}."


def test_regulations_and_series_have_colours_no_policy_uses():
    from app.figures import CONTINUUM, SERIES
    from experiments.style import POLICY_COLOURS

    regulation = [c for c, _ in CONTINUUM.values()]
    assert len(set(regulation)) == 5 and len(set(SERIES)) == 3
    assert not set(regulation + list(SERIES)) & set(POLICY_COLOURS.values())
    lightness = [_lightness(c) for c in regulation[1:]]
    assert lightness == sorted(lightness, reverse=True)  # ordered along the continuum
    # neighbours on the continuum tell apart on a projector: 18 points of CIE L* or more,
    # and the lightest shows on white (80 or less)
    assert -np.diff(lightness).max() >= 18 and lightness[0] <= 80


def _lightness(colour: str) -> float:
    """CIE L* (0 black, 100 white) of an sRGB colour."""
    rgb = np.array(matplotlib.colors.to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    y = float(linear @ [0.2126, 0.7152, 0.0722])
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else 24389 / 27 * y


def test_a_warm_start_shows_a_settled_organisation_at_week_0():
    """Week 0 is a year under the scenario's policy, not a founding: the same run as the
    founded organisation stepped a year by hand, its tasks already delivered."""
    from app.page import HEADLINES

    for policy in ("heroic", "distributed", "fostering"):
        scenario = {**WorkshopState().scenario.value, "policy": policy, "rng": 11}
        settled = build(scenario)
        assert week(settled) == 0 and settled.steps == WARM_UP
        by_hand = build(scenario, warm_up=0)
        for _ in range(WARM_UP):
            by_hand.step()
        np.testing.assert_array_equal(history(settled).to_numpy(), history(by_hand).to_numpy())
        assert list(history(settled).index[[0, -1]]) == [-WARM_UP, 0]
        delivered = {what: (value(settled), out_of(settled))
                     for what, value, out_of in HEADLINES}
        tasks, arriving = delivered["Tasks delivered a week"]
        assert float(tasks) > 0, policy  # not the start-up's 0
        # each headline says what it is out of: the tasks that arrived in the same 4 weeks
        last = flows(settled).tail(4)
        assert arriving == f"of {last.tasks_arrived.mean():.1f} arriving"
        assert delivered["People leading lately"][1] == (
            f"of {int(history(settled).headcount.iloc[-1])} employees")


def test_charts_show_the_last_quarter_of_the_warm_up_washed_out_before_week_0():
    """At week 0 a chart already has a level to read: the warm-up's last weeks, under a
    veil and said "before"; an organisation built at its founding shows none."""
    from app.figures import PRELUDE_WEEKS, LiveFigure

    settled = build({**WorkshopState().scenario.value, "rng": 11})
    chart = LiveFigure(settled, "delivered")
    chart.update()
    ax = chart.axes[0]
    assert ax.get_xlim() == (-PRELUDE_WEEKS, 0)
    x, y = ax.lines[0].get_data()
    assert x[0] == -PRELUDE_WEEKS and x[-1] == 0 and np.nanmax(y) > 0  # drawn, not blank
    veil = [p for p in ax.patches if p.get_facecolor()[:3] == (1.0, 1.0, 1.0)]
    assert len(veil) == 1 and [t.get_text() for t in chart.before] == ["before"]
    assert chart.before[0].get_visible()
    for _ in range(60):  # the veil keeps its weeks; the word goes once it would not fit
        settled.step()
    chart.update()
    assert ax.get_xlim() == (-PRELUDE_WEEKS, 60) and not chart.before[0].get_visible()

    founded = build({**WorkshopState().scenario.value, "rng": 11}, warm_up=0)
    founded.step()
    chart = LiveFigure(founded, "delivered")
    chart.update()
    assert chart.axes[0].get_xlim()[0] == 1 and chart.before == []


def test_the_same_seed_gives_the_same_picture():
    import io

    pictures = []
    for _ in range(2):
        model = build({**WorkshopState().scenario.value, "rng": 9})
        model.step()
        out = io.BytesIO()
        network_figure(model).savefig(out, format="png")
        pictures.append((out.getvalue(), history(model).to_numpy()))
    assert pictures[0][0] == pictures[1][0]
    np.testing.assert_array_equal(pictures[0][1], pictures[1][1])


def test_a_scheduled_departure_counts_from_week_0_and_is_said_and_marked():
    state = WorkshopState()
    state.choose_preset("The leader leaves")
    leaves = PRESETS["The leader leaves"].settings["leader_departure_step"]
    for _ in range(leaves):
        state.step()
    assert (leaves, "leader left") in events_of(state.model.value)
    assert state.message.value.startswith(f"The leader left at week {leaves}:")
    for _ in range(state.model.value.params.succession_delay + 1):
        state.step()
    assert state.message.value.startswith("A successor took over at week")


def _labels(figure) -> list[str]:
    return [t.get_text() for ax in figure.axes for t in ax.texts]


@pytest.mark.parametrize("policy", ["heroic", "distributed", "fostering"])
def test_a_leader_leaving_is_marked_on_every_chart_under_every_policy(policy):
    state = WorkshopState()
    state.apply({**state.scenario.value, "policy": policy, "n_employees": 60})
    for _ in range(2):
        state.step()
    state.leader_leaves()
    assert state.message.value.startswith("The leader left at week 2")
    if policy != "distributed":  # pressed again (a slow page, an eager hand): nobody else
        state.leader_leaves()      # leaves, and the empty post says since when
        assert state.message.value == ("The leader left at week 2; the post is still "
                                       "empty until a successor takes over.")
    for _ in range(3):
        state.step()
    model = state.model.value
    assert (2, "leader left") in events_of(model)
    figures = [continuum_figure(model)] + [chart_figure(model, c) for c in charts_of(model)]
    for figure in figures:  # once, however the departure was seen
        assert _labels(figure).count("leader left") == 1, figure.texts


def test_both_organisations_events_are_marked_once_or_with_whose_they_are():
    state = WorkshopState()
    state.apply({**state.scenario.value, "comparison": True, "n_employees": 60})
    state.step()
    state.leader_leaves()  # both lose their leader: one mark on a shared plot
    assert state.message.value == ("The leader left at week 1 (heroic: its formal leader; "
                                   "distributed: the one who led most lately).")
    for _ in range(state.model.value.twins["heroic"].params.succession_delay + 2):
        state.step()
    shared = _labels(chart_figure(state.model.value, "delivered"))
    assert shared.count("leader left") == 1
    assert any(label.startswith("successor (heroic)") for label in shared)
    panels = continuum_figure(state.model.value)
    assert _labels(panels).count("leader left") == 2  # one on each organisation's plot


def test_event_labels_sit_in_a_band_above_the_data_and_apart():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    state = WorkshopState()
    for _ in range(6):
        state.step()
    state.market_shock()
    state.step()
    state.leader_leaves()
    state.step()
    state.draft.set({**state.draft.value, "leader_autonomy_support": 0.9})
    state.change_now()
    for _ in range(12):
        state.step()
    model = state.model.value
    for figure in [continuum_figure(model)] + [chart_figure(model, c) for c in charts_of(model)]:
        renderer = FigureCanvasAgg(figure).get_renderer()
        figure.draw(renderer)
        ax = figure.axes[0]
        assert ax.get_ylim()[0] == 0.0  # an event's lead to its label does not rescale it
        boxes = [t.get_window_extent(renderer) for t in ax.texts
                 if t.get_gid() != "before"]  # the past's word sits on its veil
        assert len(boxes) >= 3
        plot, whole = ax.get_window_extent(renderer), figure.bbox
        for box in boxes:
            assert box.y0 >= plot.y1 and box.y1 <= whole.y1, figure.texts  # off the data
            assert box.x0 >= whole.x0 and box.x1 <= whole.x1
        for k, box in enumerate(boxes):
            assert not any(box.overlaps(other) for other in boxes[k + 1:])


def test_chart_and_network_text_and_dots_are_sized_for_the_back_row():
    """At the charts' natural size (SVG, 1 pt = 4/3 px) and the network's (PNG at its dpi),
    no text under 14 px; every employee's dot at least 12 px across (10 px of colour)."""
    from app.figures import DOT_PX, RENDER_DPI

    for comparison in (False, True):
        state = WorkshopState()
        state.apply({**state.scenario.value, "comparison": comparison, "n_employees": 400})
        state.step()
        state.market_shock()
        state.step()
        model = state.model.value
        for figure in [continuum_figure(model)] + [chart_figure(model, c)
                                                   for c in charts_of(model)]:
            figure.canvas.draw()
            texts = [t for t in figure.findobj(matplotlib.text.Text) if t.get_text().strip()]
            assert min(t.get_fontsize() for t in texts) * 4 / 3 >= 14
        network = network_figure(model)
        texts = [t for t in network.findobj(matplotlib.text.Text) if t.get_text().strip()]
        assert min(t.get_fontsize() for t in texts) * RENDER_DPI / 72 >= 14
        for ax, org in zip(network.axes, organisations(model).values(), strict=True):
            people = ax.collections[1]  # the ties, then the people
            across = np.sqrt(people.get_sizes()) * RENDER_DPI / 72
            assert len(across) == len(org.state.active)
            assert across[org.state.active].min() >= DOT_PX[0] - 1e-9 and DOT_PX[0] >= 12


def test_messages_give_way_when_they_stop_being_true():
    state = WorkshopState()
    state.message.set("Nobody has led yet, so nobody left.")  # an answer to a press
    state.step()
    assert state.message.value == ""


def test_every_explanation_is_one_sentence_on_one_line():
    """The top of the page holds one line at 1280×720 (about 140 characters at 16 px):
    a longer sentence would push the network and its legend below the fold."""
    from app.scenarios import POLICY_WORDS

    for sentence in [p.explanation for p in PRESETS.values()] + list(POLICY_WORDS.values()):
        assert len(sentence) <= 140 and sentence.count(". ") == 0, sentence


def test_the_headlines_read_the_motivation_level_and_a_quarter_of_burnout():
    state = WorkshopState()
    _box, rc = solara.render(Headlines(state), handle_error=False)
    tiles = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]
    org = state.model.value
    seen = history(org)
    motivation = next(t for t in tiles if "Autonomous motivation" in t)
    assert f">{100 * seen.autonomous_motivation.iloc[-1]:.0f}<small>/100</small><" in motivation
    burnout = next(t for t in tiles if "Burnt out lately" in t)
    quarter = seen.burnout_share.iloc[-BURNOUT_HEADLINE_WEEKS:].mean()
    assert f">{100 * quarter:.0f} %<" in burnout
    assert BURNOUT_HEADLINE_WEEKS == 13


def test_a_slider_that_snaps_the_market_s_level_after_a_shock_is_no_change():
    """After a shock the market's turbulence (0.2 + 0.4 = 0.6000000000000001, or 0.73) need
    not lie on the slider's grid; the slider shows the nearest value, which is not a change
    to apply. Moving it a step is."""
    for running, shown in ((0.2 + 0.4, 0.6), (0.73, 0.75), (0.72, 0.7)):
        assert mid_run_changes({"turbulence": running}, {"turbulence": shown}) == ({}, [])
    assert mid_run_changes({"turbulence": 0.73}, {"turbulence": 0.8}) == (
        {"turbulence": 0.8}, [])
    assert mid_run_changes({"policy": "heroic"}, {"policy": "distributed"}) == (
        {"policy": "distributed"}, [])


def test_a_shock_in_a_comparison_leaves_nothing_to_change_now():
    state = WorkshopState()
    state.choose_preset("Heroic founder")
    state.apply({**state.scenario.value, "comparison": True})
    state.market_shock()
    snapped = {**state.draft.value, "turbulence": round(state.draft.value["turbulence"], 2)}
    assert mid_run_changes(state.scenario.value, snapped) == ({}, [])
    _box, rc = solara.render(Levers(state), handle_error=False)
    button = rc.find(v.Btn, children=["Change it now, keep running"]).widget
    assert button.disabled


def _wait_for(condition, seconds: float = 60.0) -> None:
    import time

    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "not within the time allowed"
        time.sleep(0.05)


def test_the_page_says_at_once_that_it_builds_and_shows_the_old_organisation_washed_out(
        monkeypatch):
    """A preset pressed on the page builds in the background: until it is done the page
    says what it builds where the explanation stands, washes out the organisation being
    replaced and turns off what would act on it or change what is being built."""
    import threading

    from app import page

    release, started = threading.Event(), threading.Event()

    def slow_build(scenario, warm_up=None):  # a busy server: held until released
        started.set()
        release.wait(60)
        return build(scenario, warm_up)

    _box, rc = solara.render(Page(), handle_error=False)
    monkeypatch.setattr(page, "build", slow_build)
    _click(rc, "Distributed team")
    try:
        assert started.wait(30)
        alerts = " ".join(w.children[0] for w in rc.find(v.Alert).widgets)
        assert f"Building the Distributed team organisation: it settles for {WARM_UP}" in alerts
        for label in ("Step", "Play", "Reset", "Market shock", "Build this organisation"):
            assert rc.find(v.Btn, children=[label]).widget.disabled, label
        assert all(w.disabled for w in rc.find(v.Slider).widgets)  # the build would undo it
        stale = [w for w in rc.find(v.Html).widgets if "workshop-stale" in (w.class_ or "")]
        assert len(stale) == 2  # the stage and the charts
    finally:
        release.set()

    def done() -> bool:  # the page re-renders piece by piece as the thread finishes
        return (not rc.find(v.Btn, children=["Step"]).widget.disabled
                and not [w for w in rc.find(v.Html).widgets
                         if "workshop-stale" in (w.class_ or "")])

    _wait_for(done)
    assert any("No boss" in w.children[0] for w in rc.find(v.Alert).widgets)


def test_builds_pressed_during_a_build_wait_and_the_last_wins_and_nothing_acts_meanwhile():
    state = WorkshopState()
    state.builds_in_background = True  # as on the page, without the page's thread
    built, seen = [], []
    first = state.model.value
    state.build_then(state.preset_scenario("Distributed team"),
                     lambda: built.append(1) or seen.append(state.building.value),
                     "Distributed team")
    state.build_then(state.preset_scenario("Heroic founder"), lambda: built.append(2),
                     "Heroic founder")  # pressed meanwhile, then changed their mind:
    state.build_then(state.preset_scenario("Turbulent market"),
                     lambda: built.append(3) or seen.append(state.building.value),
                     "Turbulent market")
    assert state.building.value.startswith("Building the Distributed team organisation")
    state.step()  # the organisation shown is on its way out: nothing acts on it
    state.leader_leaves()
    state.market_shock()
    state.draft.set({**state.draft.value, "contingent_rewards": 1.0})
    assert not state.change_now()
    assert week(first) == 0 and state.message.value == "" and not first.interventions
    state.finish_build()  # what the page's thread runs: the first, then the last pressed
    state.finish_build()  # nothing waits any more
    assert built == [1, 3] and state.building.value == ""
    assert seen[1].startswith("Building the Turbulent market organisation")

    def fails():
        raise RuntimeError("the build broke")

    state.build_then(state.scenario.value, fails)
    with pytest.raises(RuntimeError):
        state.finish_build()
    assert state.building.value == ""  # the page does not stay stuck saying it builds
    state.builds_in_background = False  # a component alone: at once
    state.build_then(state.preset_scenario("Fostering independence"),
                     lambda: state.choose_preset("Fostering independence"))
    assert state.model.value.params.policy == "fostering" and state.building.value == ""


def test_the_words_while_building_say_whether_the_organisation_settles_first():
    from app.page import building_words

    state = WorkshopState()
    assert building_words(state.preset_scenario("Heroic founder"), "Heroic founder") == (
        f"Building the Heroic founder organisation: it settles for {WARM_UP} weeks under its "
        "leadership before week 0")
    assert building_words(state.preset_scenario("Fostering independence")) == (
        "Founding the organisation: week 0 is its first week")
    assert building_words({**state.scenario.value, "comparison": True}).startswith(
        f"Building the comparison: each settles for {WARM_UP} weeks")


def test_a_comparison_tile_says_what_it_is_out_of_once():
    from app.page import said_once

    assert said_once(["of 98 employees", "of 100 employees"]) == "of 98 · 100 employees"
    assert said_once(["of 3.2 arriving", "of 3.2 arriving"]) == "of 3.2 arriving"
    assert said_once(["none arrived yet", "of 3.1 arriving"]) == (
        "none arrived yet · of 3.1 arriving")
    assert said_once(["of staff", "of staff for 13 weeks"]) == (  # nothing differs: both
        "of staff · of staff for 13 weeks")
