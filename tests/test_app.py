"""The workshop app's page, controls and behaviour, rendered with ``solara.render``."""

from __future__ import annotations

import ipyvuetify as v
import numpy as np
import pytest
import solara

from app.comparison import ComparisonModel
from app.figures import CHARTS, chart_figure, continuum_figure, layout_of, network_figure
from app.page import AboutPanel, EventsPanel, Page, ScenarioPanel, WorkshopState
from app.scenarios import PRESETS, build, parse_seed
from model import OrganisationModel

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
    assert {"Employees", "Turbulence of the market", "Task complexity"} <= sliders
    rc.find(v.CardTitle, children=["About this model"]).assert_single()


def test_about_reads_like_netlogos_info_tab():
    _box, rc = solara.render(AboutPanel(), handle_error=False)
    about = str(rc.find(v.VuetifyTemplate).widget.template)
    for section in ("What is it?", "How it works", "How to use it", "Things to notice",
                    "Things to try", "Extending the model", "Credits and references"):
        assert section in about, section


def test_a_preset_builds_its_organisation_and_explains_itself():
    state = WorkshopState()
    _box, rc = solara.render(ScenarioPanel(state), handle_error=False)
    _click(rc, "Distributed team")
    assert state.model.value.params.policy == "distributed"
    assert state.model.value.params.protocol_coverage == 0.6
    alerts = [w.children[0] for w in rc.find(v.Alert).widgets]
    assert any("No boss" in a for a in alerts)


def test_controls_change_the_draft_and_build_applies_it():
    state = WorkshopState()
    _box, rc = solara.render(ScenarioPanel(state), handle_error=False)
    rc.find(v.Select, label="Leadership").widget.v_model = "fostering"
    assert state.draft.value["policy"] == "fostering"
    assert state.model.value.params.policy == "heroic"  # not yet applied
    _click(rc, "Build this organisation")
    assert state.model.value.params.policy == "fostering"
    assert state.version.value == 1


def test_a_bad_value_says_why_and_keeps_the_running_model():
    state = WorkshopState()
    running = state.model.value
    running.step()
    _box, rc = solara.render(ScenarioPanel(state), handle_error=False)
    seed = rc.find(v.TextField).widget
    seed.v_model = "seven"
    seed.fire_event("keyup.enter", "seven")  # the text field commits on Enter
    _click(rc, "Build this organisation")
    assert state.model.value is running and running.steps == 1
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
    assert state.message.value == "The leader left."
    before = state.model.value.turbulence
    _click(rc, "Market shock")
    assert state.model.value.turbulence > before


def test_comparison_runs_both_policies_on_the_same_seed_with_the_same_events():
    model = build({**WorkshopState().scenario.value, "comparison": True, "rng": 5})
    assert isinstance(model, ComparisonModel)
    heroic, distributed = model.twins["heroic"], model.twins["distributed"]
    assert set(heroic.grid.G.edges()) == set(distributed.grid.G.edges())
    np.testing.assert_array_equal(heroic.state.skills, distributed.state.skills)
    for _ in range(3):
        model.step()
    assert heroic.steps == distributed.steps == 3
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
        for chart in CHARTS:
            assert len(chart_figure(model, chart).axes) == n


def test_the_network_layout_is_stable_from_step_to_step():
    model = OrganisationModel(n_employees=40, rng=1)
    first = layout_of(model).copy()
    model.step()
    np.testing.assert_array_equal(layout_of(model), first)


def test_seed_parsing():
    assert parse_seed(" 12 ") == 12
    for bad in ("x", "-1", "1.5"):
        with pytest.raises(ValueError, match="seed="):
            parse_seed(bad)
