"""Interventions: a running organisation accepts a change of any parameter that can change
mid-run, the same in a script, a sweep and the app."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import run

from experiments import load_results, run_experiment
from experiments.simulate import recorded_steps, run_model
from experiments.spec import SpecError, from_dict
from model import OrganisationModel
from model.codes import NO_LEADER


def _outputs(model) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


@pytest.mark.parametrize("changes", [{"leader_autonomy_support": 0.9},
                                     {"policy": "distributed"},
                                     {"contingent_rewards": 0.8, "turbulence": 0.9}])
def test_an_intervention_leaves_the_run_up_to_it_as_it_was_and_changes_what_follows(changes):
    plain = run(30, rng=4, policy="heroic", n_employees=40)
    changed = run(12, rng=4, policy="heroic", n_employees=40)
    changed.intervene(**changes)
    for _ in range(18):
        changed.step()
    a, b = _outputs(plain), _outputs(changed)
    pd.testing.assert_frame_equal(a.iloc[:13], b.iloc[:13])  # steps 0..12
    assert not a.iloc[13:].equals(b.iloc[13:])
    assert changed.interventions == [(12, changes)]


def test_intervening_with_the_values_in_force_changes_nothing_at_all():
    plain = run(25, rng=6, policy="fostering", n_employees=40)
    same = run(10, rng=6, policy="fostering", n_employees=40)
    same.intervene(policy="fostering", leader_autonomy_support=0.5, turbulence=0.3)
    for _ in range(15):
        same.step()
    pd.testing.assert_frame_equal(_outputs(plain), _outputs(same))


def test_a_change_of_policy_hands_over_the_running_organisation():
    model = run(20, rng=2, policy="heroic", n_employees=40)
    model.intervene(policy="distributed")
    assert model.world.leader == NO_LEADER and model.policy.name == "distributed"
    running = model.tasks.started >= 0
    assert model.tasks.self_organised[running].all()
    for _ in range(10):
        model.step()
    model.intervene(policy="heroic")
    assert model.world.leader != NO_LEADER and model.state.active[model.world.leader]
    assert not model.state.decision_rights.any()
    for _ in range(10):
        model.step()
    assert _outputs(model).tasks_completed.iloc[-10:].sum() > 0


def test_the_formal_leadership_takes_over_running_self_organised_teams():
    """Into heroic from distributed: no team is left self-organised (heroic decides no
    self-organised team's exceptions); into distributed: every team's lead is a member."""
    model = run(25, rng=9, policy="distributed", n_employees=50, exception_rate=0.5)
    assert (model.tasks.self_organised & (model.tasks.started >= 0)).any()
    model.intervene(policy="heroic")
    assert not (model.tasks.self_organised & (model.tasks.started >= 0)).any()
    for _ in range(15):
        model.step()
    model.intervene(policy="distributed")
    s, tasks = model.state, model.tasks
    for task in np.flatnonzero(tasks.started >= 0).tolist():
        members = set(np.flatnonzero((s.task == task) & s.active).tolist())
        assert tasks.lead[task] in members or (not members and tasks.lead[task] < 0)


def test_a_succession_under_way_runs_its_course_through_a_change_of_formal_policy():
    model = run(10, rng=4, policy="heroic", n_employees=40, succession_delay=5)
    model.remove_leader()
    timer = model.world.succession_timer
    assert timer >= 0 and model.world.leader == NO_LEADER
    model.intervene(policy="fostering")
    assert model.world.leader == NO_LEADER and model.world.succession_timer == timer


def test_a_scheduled_departure_counts_from_week_0_after_a_warm_up():
    params = {"policy": "heroic", "n_employees": 30, "leader_departure_step": 5}
    warm = run_model(params, rng=2, steps=12, warm_up=10).timeseries
    present = warm.formal_leader_present.to_numpy()
    assert present[:5].all() and not present[5]  # leaves at week 5, not during the warm-up


def test_bad_interventions_are_refused_and_change_nothing():
    model = run(5, rng=1, n_employees=30)
    before = model.params
    with pytest.raises(ValueError, match="n_employees cannot change while the organisation"):
        model.intervene(n_employees=50)
    with pytest.raises(ValueError, match=r"turbulence=2 is not allowed.*\[0.0, 1.0\]"):
        model.intervene(turbulence=2)
    with pytest.raises(ValueError, match=r"turbulance \(did you mean turbulence\?\)"):
        model.intervene(turbulance=0.5)
    assert model.params == before and model.interventions == []


def test_run_model_applies_scheduled_interventions_after_their_step():
    params = {"policy": "heroic", "n_employees": 30}
    by_hand = OrganisationModel(rng=5, **params)
    for _ in range(8):
        by_hand.step()
    by_hand.intervene(leader_autonomy_support=0.9)
    for _ in range(7):
        by_hand.step()
    scheduled = run_model(params, rng=5, steps=15,
                          interventions=[(8, {"leader_autonomy_support": 0.9})])
    expected = _outputs(by_hand)
    pd.testing.assert_frame_equal(scheduled.timeseries, expected, check_names=False)


SPEC = {"name": "style_change", "steps": 20, "replications": 2, "seed": 8,
        "fixed": {"n_employees": 30, "policy": "heroic", "leader_autonomy_support": 0.2},
        "swept": {"turbulence": [0.2, 0.8]},
        "interventions": [{"step": 10, "set": {"leader_autonomy_support": 0.9}}]}


def _on_one_and_two_workers(experiment, tmp_path):
    """The experiment's datasets on 1 and 2 workers, their time series checked identical."""
    run_experiment(experiment, tmp_path / "one", workers=1, progress=False)
    run_experiment(experiment, tmp_path / "two", workers=2, progress=False)
    one, two = load_results(tmp_path / "one"), load_results(tmp_path / "two")
    key = ["run_id", "step"]
    pd.testing.assert_frame_equal(one.timeseries.sort_values(key).reset_index(drop=True),
                                  two.timeseries.sort_values(key).reset_index(drop=True))
    return one, two


def test_a_scheduled_intervention_reproduces_exactly_on_one_and_two_workers(tmp_path):
    experiment = from_dict(SPEC)
    one, _ = _on_one_and_two_workers(experiment, tmp_path)
    key = ["run_id", "step"]
    plain = from_dict({**SPEC, "interventions": []})
    run_experiment(plain, tmp_path / "plain", workers=1, progress=False)
    base = load_results(tmp_path / "plain").timeseries
    a = one.timeseries.set_index(key).sort_index()
    b = base.set_index(key).sort_index()
    early = a.index.get_level_values("step") <= 10
    pd.testing.assert_frame_equal(a[early], b[early])
    assert not np.allclose(a[~early].sat_autonomy, b[~early].sat_autonomy)
    assert one.manifest["experiment"]["interventions"] == SPEC["interventions"]


@pytest.mark.parametrize(("interventions", "message"), [
    ([{"step": 20, "set": {"turbulence": 0.5}}], "never happens"),
    ([{"step": 5, "set": {"n_employees": 50}}], "cannot change while the organisation"),
    ([{"step": 5, "set": {"turbulance": 0.5}}], "did you mean turbulence"),
    ([{"step": 5, "set": {"turbulence": 5}}], "turbulence=5 is not allowed"),
    ([{"step": 5}], "interventions"),
])
def test_bad_scheduled_interventions_are_refused_before_anything_runs(interventions, message,
                                                                     tmp_path):
    from experiments.runner import plan

    with pytest.raises(SpecError, match=message):
        plan(from_dict({**SPEC, "interventions": interventions}))


def test_a_warm_up_starts_week_0_from_a_settled_organisation():
    """Week k after a warm-up of W weeks is week W + k of the same run, exactly; the final
    outcomes average the weeks after the warm-up; interventions count from week 0."""
    params = {"policy": "heroic", "n_employees": 30}
    long = run_model(params, rng=3, steps=25).timeseries
    warm = run_model(params, rng=3, steps=15, warm_up=10)
    assert warm.timeseries.index.tolist() == list(range(16))
    expected = long.iloc[10:].set_axis(range(16))
    pd.testing.assert_frame_equal(warm.timeseries, expected, check_names=False)
    assert warm.final["rai"] == pytest.approx(expected.iloc[1:].tail(4)["rai"].mean())
    changed = run_model(params, rng=3, steps=15, warm_up=10,
                        interventions=[(5, {"leader_autonomy_support": 0.9})])
    by_hand = run_model(params, rng=3, steps=25,
                        interventions=[(15, {"leader_autonomy_support": 0.9})]).timeseries
    pd.testing.assert_frame_equal(changed.timeseries, by_hand.iloc[10:].set_axis(range(16)),
                                  check_names=False)
    sparse = run_model(params, rng=3, steps=15, warm_up=10, record_every=5)
    assert sparse.timeseries.index.tolist() == recorded_steps(15, 5) == [0, 5, 10, 12, 13,
                                                                          14, 15]
    pd.testing.assert_frame_equal(sparse.timeseries, expected.loc[sparse.timeseries.index],
                                  check_names=False)
    with pytest.raises(ValueError, match="warm_up=-1 is not allowed"):
        run_model(params, rng=3, steps=5, warm_up=-1)
    for steps in (0, -5, 2.5, 10**9):  # nothing to average, or a slip that fills the memory
        with pytest.raises(ValueError, match=rf"steps={steps} is not allowed; allowed: a "
                           r"whole number in \[1, 100000\]"):
            run_model(params, rng=3, steps=steps)


def test_a_sweep_can_start_from_a_settled_organisation_and_change_it_at_week_0(tmp_path):
    """warm_up = W in a spec: heroic for W weeks, then distributed from week 0; the run
    equals the same scenario run by hand."""
    spec = {"name": "handover", "steps": 12, "replications": 1, "seed": 2, "warm_up": 8,
            "fixed": {"n_employees": 30, "policy": "heroic"},
            "interventions": [{"step": 0, "set": {"policy": "distributed"}}]}
    experiment = from_dict(spec)
    run_experiment(experiment, tmp_path / "w", workers=1, progress=False)
    data = load_results(tmp_path / "w")
    assert data.manifest["experiment"]["warm_up"] == 8
    from experiments.runner import plan

    task = plan(experiment)[0]
    seed = np.random.SeedSequence(task.entropy, spawn_key=task.spawn_key)
    by_hand = run_model(task.parameters, rng=seed, steps=12, warm_up=8,
                        interventions=[(0, {"policy": "distributed"})]).timeseries
    got = data.timeseries.set_index("step").drop(columns="run_id")
    assert got.index.tolist() == list(range(13))
    np.testing.assert_allclose(got.to_numpy(), by_hand[got.columns].to_numpy(),
                               equal_nan=True)
    assert got.formal_leader_present.iloc[0] == 1 and got.formal_leader_present.iloc[-1] == 0


SCHEDULES = {"name": "training_or_not", "steps": 16, "replications": 2, "seed": 5,
             "fixed": {"n_employees": 30, "policy": "heroic", "leader_autonomy_support": 0.2},
             "swept": {"turbulence": [0.2, 0.8]},
             "interventions": [{"step": 4, "set": {"contingent_rewards": 0.4}}],
             "schedules": {"none": [],
                           "training": [{"step": 8, "set": {"leader_autonomy_support": 0.9}}],
                           "go_distributed": [{"step": 8, "set": {"policy": "distributed"}}]}}


def test_schedules_are_crossed_with_the_design_on_shared_seeds():
    """Every design point under each schedule, in the order written (the schedules the
    outer loop); the runs of one sample point share their seeds across schedules
    (paired), and each run gets the spec's interventions, then its schedule's."""
    from experiments.runner import plan
    from experiments.spec import planned_runs

    experiment = from_dict(SCHEDULES)
    tasks = plan(experiment)
    assert len(tasks) == planned_runs(experiment) == 2 * 3 * 2
    assert [t.schedule for t in tasks[::2]] == [s for s in ["none", "training",
                                                           "go_distributed"] for _ in "ab"]
    for sample in range(2):  # under each schedule: 4 runs, 2 a sample point
        runs = [tasks[4 * k + 2 * sample + r] for k in range(3) for r in range(2)]
        assert {t.spawn_key for t in runs[::2]} == {(2 * sample,)}
        assert {t.parameters["turbulence"] for t in runs} == {[0.2, 0.8][sample]}
    common = (4, {"contingent_rewards": 0.4})
    assert tasks[0].interventions == (common,)
    assert tasks[4].interventions == (common, (8, {"leader_autonomy_support": 0.9}))
    assert tasks[8].interventions == (common, (8, {"policy": "distributed"}))


def test_a_crossed_schedule_reproduces_exactly_on_one_and_two_workers(tmp_path):
    """The runs table names each run's schedule; a run under a schedule is the run by hand
    with its interventions, and the same as its paired run without one up to the step."""
    from experiments.runner import plan

    experiment = from_dict(SCHEDULES)
    one, two = _on_one_and_two_workers(experiment, tmp_path)
    same = ["run_id", "point_id", "schedule", "seed_spawn_key", "policy", "status",
            "final_rai", "final_tasks_completed"]
    pd.testing.assert_frame_equal(one.runs.sort_values("run_id")[same].reset_index(drop=True),
                                  two.runs.sort_values("run_id")[same].reset_index(drop=True))
    runs = one.runs.set_index("run_id").sort_index()
    assert runs.schedule.tolist() == [s for s in ["none", "training", "go_distributed"]
                                      for _ in range(4)]
    assert (runs.policy == "heroic").all()  # the parameters as founded
    assert one.manifest["experiment"]["schedules"] == SCHEDULES["schedules"]
    series = {run: part.set_index("step").drop(columns="run_id")
              for run, part in one.timeseries.groupby("run_id")}
    for task in plan(experiment):
        seed = np.random.SeedSequence(task.entropy, spawn_key=task.spawn_key)
        by_hand = run_model(task.parameters, rng=seed, steps=16,
                            interventions=task.interventions).timeseries
        got = series[task.run_id]
        np.testing.assert_allclose(got.to_numpy(), by_hand[got.columns].to_numpy(),
                                   equal_nan=True)
        if task.schedule != "none":  # its pair without a schedule: same run up to step 8
            plain = series[task.run_id - 4 * ["none", "training",
                                              "go_distributed"].index(task.schedule)]
            pd.testing.assert_frame_equal(got.loc[:8], plain.loc[:8])
            assert not got.loc[9:].equals(plain.loc[9:])
    assert series[8].formal_leader_present.loc[9:].eq(0).all()  # distributed from week 8
    assert series[0].formal_leader_present.loc[9:].eq(1).all()


def test_a_dry_run_and_the_summary_show_the_schedules(tmp_path, capsys):
    from experiments.__main__ import main

    spec = tmp_path / "training.toml"
    spec.write_text('name = "training"\nsteps = 6\nreplications = 1\n'
                    '[fixed]\nn_employees = 20\n[schedules]\nnone = []\n'
                    '[[schedules.training]]\nstep = 3\n'
                    'set = { leader_autonomy_support = 0.9 }\n')
    assert main(["run", str(spec), "--dry-run", "--out", str(tmp_path / "t")]) == 0
    said = capsys.readouterr().out
    assert "2 runs (2 design points" in said
    assert "schedule none: no intervention" in said
    assert "schedule training: after step 3: {\"leader_autonomy_support\": 0.9}" in said
    assert "point 1 (sample 0): schedule='training'" in said
    assert main(["run", str(spec), "--quiet", "--workers", "1",
                 "--out", str(tmp_path / "t")]) == 0
    summary = (tmp_path / "t" / "summary.md").read_text()
    assert "| schedule | runs |" in summary and "| training | 1 |" in summary
    assert load_results(tmp_path / "t").runs.schedule.tolist() == ["none", "training"]


def test_without_schedules_the_runs_table_says_none():
    from experiments.runner import plan

    assert all(t.schedule is None for t in plan(from_dict(SPEC)))


@pytest.mark.parametrize(("change", "message"), [
    ({"schedules": {"t": [{"step": 8, "sett": {"turbulence": 0.5}}]}},
     r"schedules.t\[0\]: unknown key\(s\) sett \(did you mean set\?\); allowed: step, set"),
    ({"schedules": {"t": [{"set": {"turbulence": 0.5}}]}},
     r"schedules.t\[0\]: step missing"),
    ({"schedules": {"t": [{"step": 8, "set": {}}]}},
     r"schedules.t\[0\]: set=\{\} is not allowed; allowed: a table"),
    ({"schedules": {"t": [{"step": 16, "set": {"turbulence": 0.5}}]}},
     r"schedules.t\[0\]: an intervention at step 16 never happens; allowed: a step below "
     "steps = 16"),
    ({"schedules": {"t": [{"step": -1, "set": {"turbulence": 0.5}}]}},
     r"schedules.t\[0\].step=-1 is not allowed; allowed: a whole number >= 0"),
    ({"schedules": {"t": [{"step": 8, "set": {"n_employees": 50}}]}},
     r"schedules.t\[0\]: n_employees cannot change while the organisation runs"),
    ({"schedules": {"t": [{"step": 8, "set": {"turbulance": 0.5}}]}},
     r"schedules.t\[0\]: unknown parameter\(s\): turbulance \(did you mean turbulence\?\)"),
    ({"schedules": {"t": [{"step": 8, "set": {"turbulence": 5}}]}},
     r"schedule': 't'\}, schedules\.t\[0\] \(step 8\): turbulence=5 is not allowed"),
    ({"schedules": {"t": {"step": 8, "set": {"turbulence": 0.5}}}},
     r"schedules.t=\{.*\} is not allowed; allowed: a list of tables"),
    ({"schedules": {}}, r"schedules=\{\} is not allowed; allowed: a table \[schedules\]"),
    ({"schedules": {"a b": []}}, r"schedules.'a b' is not an allowed name"),
    ({"schedule": {"t": []}}, r"unknown key\(s\) schedule \(did you mean schedules\?\)"),
    ({"crossed": {"schedule": ["none", "t"]}, "schedules": {"none": [], "t": []}},
     r"schedule is not a parameter to sweep or cross; name intervention schedules under "
     r"\[schedules\]"),
])
def test_bad_schedules_are_refused_before_anything_runs(change, message):
    from experiments.runner import plan

    with pytest.raises(SpecError, match=message):
        plan(from_dict({**SPEC, **change, "steps": 16}))
