"""The ``fostering_transition`` study: conditions on shared seeds, paired effects of each
step taken away, the "worse than both ends" check, and the report."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments import fostering
from experiments.__main__ import main
from model import Parameters


def test_every_condition_is_a_valid_parameter_set_and_every_step_has_its_comparison():
    for params in fostering.CONDITIONS.values():
        Parameters(**params)
    for condition, (_, compared_with, _, governs) in fostering.STEPS_TAKEN_AWAY.items():
        assert condition in fostering.CONDITIONS and compared_with in fostering.CONDITIONS
        assert set(governs) <= set(fostering.OUTCOMES)


def _runs(design, shift):
    """Synthetic runs: every outcome is seed + step/100, plus ``shift[condition]``."""
    rows = []
    for condition in fostering.CONDITIONS:
        for seed in range(design.replications):
            steps = np.arange(1, design.steps + 1)
            frame = pd.DataFrame({o: seed + steps / 100 + shift.get(condition, 0.0)
                                  for o in fostering.OUTCOMES})
            frame.insert(0, "step", steps)
            frame.insert(0, "seed", seed)
            frame.insert(0, "condition", condition)
            rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def test_each_effect_is_paired_by_seed_against_its_own_comparison():
    design = fostering.Design(replications=4, steps=24)
    runs = _runs(design, {"fostering, no surfacing": 0.5,
                          "fostering, problems x2": 1.0,
                          "fostering, no addressing, problems x2": 1.25})
    _, effects = fostering.summarise(runs, design)
    surfacing = effects[effects["taken away"] == "no surfacing"]
    assert np.allclose(surfacing.effect, 0.5) and np.allclose(surfacing.high - surfacing.low, 0)
    busy = effects[effects["taken away"] == "no addressing (problems x2)"]
    assert np.allclose(busy.effect, 0.25)  # against the busy fostering, not the default one
    protocols = effects[effects["taken away"] == "no protocols"]
    assert np.allclose(protocols.effect, 0.0)


def test_fostering_is_compared_with_each_pure_policy_seed_by_seed():
    """Fostering minus heroic and minus distributed, on the same seeds: with outcomes that
    differ by seed as much as by condition, the paired difference is exact (no spread),
    where the two conditions' own intervals would overlap."""
    design = fostering.Design(replications=4, steps=24)
    runs = _runs(design, {"heroic": 0.2, "distributed": -0.3})
    against = fostering.against_the_policies(runs, design)
    heroic = against[against.contrast == "fostering − heroic"]
    distributed = against[against.contrast == "fostering − distributed"]
    assert np.allclose(heroic.difference, -0.2) and np.allclose(heroic.high - heroic.low, 0)
    assert np.allclose(distributed.difference, 0.3)
    assert set(against.outcome) == {*fostering.WORSE, "tasks_completed"}
    assert (against.seeds == design.replications).all()


def test_a_phase_worse_than_both_ends_is_found_only_when_clear_of_both():
    design = fostering.Design(replications=4, steps=24)
    runs = _runs(design, {"heroic": 0.0, "distributed": 0.0, "fostering": 10.0})
    table, _ = fostering.summarise(runs, design)
    worse = fostering.worse_than_both(table)
    assert any("exhaustion" in line for line in worse)  # higher exhaustion is worse
    assert not any("value completed" in line for line in worse)  # higher value is better


def test_the_study_runs_end_to_end_and_refuses_bad_arguments(tmp_path, capsys):
    out = tmp_path / "ft"
    assert main(["run", "fostering_transition", "--replications", "2", "--steps", "12",
                 "--workers", "1", "--out", str(out)]) == 0
    for name in ("summary.md", "summary.csv", "effects.csv", "timeseries.csv", "endpoint.csv",
                 "step_back.csv", "problem_routes.csv",
                 "fostering_transition.png"):
        assert (out / name).is_file(), name
    assert "Each step taken away" in (out / "summary.md").read_text()
    assert "Where problems go" in (out / "summary.md").read_text()
    assert main(["run", "fostering_transition", "--replications", "1"]) == 2
    assert main(["run", "fostering_transition", "--steps", "5"]) == 2
    assert "allowed" in capsys.readouterr().err


def test_the_endpoint_is_read_per_organisation_and_bar_over_the_last_third():
    design = fostering.Design(replications=4, steps=30)
    name = "endpoint: problems x2, bar 0.6"
    table = fostering.endpoint_table(_runs(design, {name: 2.0}), design)
    assert len(table) == len(fostering.ORGANISATIONS) * len(fostering.BARS)
    row = table[(table.organisation == "problems x2") & (table.bar == 0.6)].iloc[0]
    other = table[(table.organisation == "defaults") & (table.bar == 0.6)].iloc[0]
    assert row.rights_held - other.rights_held == np.float64(2.0)
    start, end = design.endpoint  # steps 20..30: mean step 25, so 1.5 + 0.25 + 2
    assert row.rights_held == np.float64(1.5 + (start + end - 1) / 2 / 100 + 2.0)
    # the outcome rises by 0.01 a step: the late half is ahead of the early half
    assert row.rights_held_trend > 0


def test_stepping_back_is_compared_with_the_default_window_seed_by_seed():
    design = fostering.Design(replications=4, steps=24)
    runs = _runs(design, {})
    runs.loc[runs.condition == "step back 12", "tasks_completed"] *= 0.5
    table = fostering.step_back_table(runs, design).set_index("window")
    assert table.loc[2, "ratio"] == 1.0 and table.loc[2, "ratio_high"] == 1.0
    assert table.loc[12, "ratio"] == np.float64(0.5)
    assert set(table.index) == {*fostering.STEP_BACK_WINDOWS, 2}


def test_where_problems_go_is_each_routes_share_and_the_leaders_queue_its_load():
    design = fostering.Design(replications=2, steps=24)  # windows 1-1, 2-7, 8-24
    runs = _runs(design, {})
    runs["problems_solved_by_leader"], runs["problems_solved_locally"] = 1, 3
    runs["problems_obsolete"], runs["problems_worked_around"] = 0, 0
    runs["leader_load"] = np.where(runs.step % 2 == 0, 2.0, 0.5)  # over budget every other week
    runs.loc[runs.seed == 1, "problems_obsolete"] = 4  # seed 1: 1 + 3 + 4 leave a week
    runs["formal_leader_present"] = np.where(runs.condition == "distributed", 0, 1)
    vacant = (runs.condition == "heroic") & (runs.step == 24)  # a week between leaders
    runs.loc[vacant, "formal_leader_present"] = 0
    table = fostering.problem_routes_table(runs, design).set_index(["condition", "window"])
    assert set(table.index.get_level_values(0)) == set(fostering.ROUTE_CONDITIONS)
    row = table.loc[("fostering", "8-24")]
    assert row.problems_solved_by_leader == np.float64((1 / 4 + 1 / 8) / 2)  # per seed, then mean
    assert row.problems_obsolete == np.float64((0 + 4 / 8) / 2)
    assert row.left_per_week == np.float64((4 + 8) / 2)
    assert row.weeks_within_budget == np.float64(8 / 17)  # the eight odd weeks of 8..24
    assert np.isclose(row.leader_load, (9 * 2.0 + 8 * 0.5) / 17)  # nine even weeks at 2
    assert np.isnan(table.loc[("distributed", "8-24")].leader_load)  # no formal leader
    heroic = table.loc[("heroic", "8-24")]  # week 24 (load 2) without a leader: left out
    assert heroic.weeks_within_budget == 0.5 and np.isclose(heroic.leader_load, 1.25)


def test_coverage_is_compared_between_organisations_seed_by_seed_at_week_100():
    design = fostering.Design(replications=3, steps=300)
    shift = {"endpoint: supportive leader (style .8), bar 0.8": 0.25,
             "endpoint: problems x2, bar 0.8": 0.5}
    runs = _runs(design, shift)
    runs = runs[runs.condition.str.startswith("endpoint")]
    table = fostering.coverage_table(runs, design).set_index("contrast")
    assert (table.week == 100).all()
    style = table.loc["supportive (style .8) minus controlling leader (style .2)"]
    assert np.isclose(style.difference, 0.25) and style.high - style.low < 1e-12  # paired
    assert np.isclose(style["first"], 1 + 100 / 100 + 0.25)  # seeds 0..2 at week 100: mean 1
    rates = table.loc["problems x0.5 minus problems x2"]
    assert np.isclose(rates.difference, -0.5)
