"""The dataset commands: params, ls, show, compare, export, plot, run --dry-run."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import socket

import pandas as pd
import pytest
from test_experiments import small

from experiments import load_results, run_experiment
from experiments.__main__ import main
from model import Parameters


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    root = tmp_path_factory.mktemp("results")
    run_experiment(small(), root / "a", workers=1, progress=False)
    run_experiment(small(seed=5), root / "b", workers=1, progress=False)
    return root


def test_params_lists_every_parameter(capsys):
    assert main(["params"]) == 0
    out = capsys.readouterr().out
    for f in dataclasses.fields(Parameters):
        assert f.name in out
    assert main(["params", "--markdown"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("| name | type | default | allowed | meaning |")
    # five cells in every row: a '|' inside one (the type ``int | None``) is escaped
    cells = [len(re.split(r"(?<!\\)\|", row)) - 2 for row in table.splitlines()]
    assert set(cells) == {5}
    assert "| `leader_departure_step` | int \\| None |" in table


def test_ls_and_show(datasets, capsys):
    assert main(["ls", str(datasets)]) == 0
    out = capsys.readouterr().out
    assert "small" in out and str(datasets / "a") in out and "complete" in out
    assert main(["show", str(datasets / "a")]) == 0
    out = capsys.readouterr().out
    assert "runs: 8 ok, 0 failed, 8 planned" in out and "git commit" in out
    # where its runs start, said whether or not they warmed up (every finding is read after
    # the studies' warm-up)
    from experiments.simulate import SETTLING_WEEKS, SWEEP_WARM_UP

    said = f"start: from the founding, no warm-up (the studies warm up first: {SWEEP_WARM_UP})"
    assert said in out
    asked = f"warm_up = {SETTLING_WEEKS} in the spec, or --warm-up {SETTLING_WEEKS}"
    assert asked == SWEEP_WARM_UP
    from experiments.reports import report

    report(load_results(datasets / "a"), small())  # as the command does after a sweep
    assert "each run, from the founding, no warm-up" in (datasets / "a" / "summary.md").read_text()
    assert main(["show", str(datasets / "nothing")]) == 2
    assert main(["ls", str(datasets.parent)]) == 0  # a dataset deeper down is found too
    assert str(datasets / "a") in capsys.readouterr().out


def test_ls_says_when_a_datasets_parts_are_missing(tmp_path, capsys):
    import shutil

    run_experiment(small(), tmp_path / "d", workers=1, progress=False)
    assert main(["ls", str(tmp_path)]) == 0
    assert "complete" in capsys.readouterr().out
    part = next((tmp_path / "d" / "runs").glob("part-*.parquet"))
    shutil.move(part, tmp_path / "elsewhere.parquet")
    assert main(["ls", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "1 part(s) missing" in out and "complete" not in out


def test_compare_names_the_settings_that_differ(datasets, capsys, tmp_path):
    assert main(["compare", str(datasets / "a"), str(datasets / "b")]) == 0
    out = capsys.readouterr().out
    assert ("tasks completed / step" in out
            and "settings that differ (A -> B): seed: 99 -> 5" in out)
    # every setting, not only the design's: here a warm-up and an intervention
    changed = small(warm_up=2, interventions=[{"step": 6, "set": {"policy": "heroic"}}])
    run_experiment(changed, tmp_path / "c", workers=1, progress=False)
    assert main(["compare", str(datasets / "a"), str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert "warm_up: 0 -> 2" in out and "interventions: [] -> [" in out
    assert "settings that differ (A -> B): none" not in out


def test_export_writes_csv(datasets, tmp_path, capsys):
    assert main(["export", str(datasets / "a"), "--csv", "--to", str(tmp_path)]) == 0
    assert len(pd.read_csv(tmp_path / "runs.csv")) == 8
    assert len(pd.read_csv(tmp_path / "timeseries.csv")) == 8 * 5
    again = tmp_path / "again"  # CSV is the only format: --csv may be left out
    assert main(["export", str(datasets / "a"), "--to", str(again)]) == 0
    assert (again / "runs.csv").read_bytes() == (tmp_path / "runs.csv").read_bytes()


def test_export_where_it_cannot_write_says_so_and_leaves_no_half_file(datasets, tmp_path,
                                                                      capsys, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    assert main(["export", str(datasets / "a"), "--csv", "--to", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert f"cannot write into {blocker / 'sub'}" in err and "choose another --to" in err
    assert "Traceback" not in err

    written = pd.DataFrame.to_csv

    def disk_full_on_the_second(self, path, **kwargs):
        if "timeseries" in str(path):
            written(self.head(3), path, **kwargs)  # a part of it, then the disk is full
            raise OSError(28, "No space left on device")
        return written(self, path, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", disk_full_on_the_second)
    out = tmp_path / "full"
    assert main(["export", str(datasets / "a"), "--csv", "--to", str(out)]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["runs.csv"]  # whole, or not there


def test_plot_that_cannot_be_written_says_so(datasets, capsys, monkeypatch):
    import experiments.reports

    def disk_full(results, path, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(experiments.reports, "default_figure", disk_full)
    assert main(["plot", str(datasets / "a")]) == 2
    err = capsys.readouterr().err
    assert f"cannot write into {datasets / 'a'}: No space left on device" in err


def test_plot_and_a_user_experiment_gets_a_default_figure(datasets, tmp_path, capsys):
    assert main(["plot", str(datasets / "a")]) == 0
    assert (datasets / "a" / "plot.png").stat().st_size > 10_000
    toml = tmp_path / "mine.toml"
    toml.write_text('name = "mine"\nsteps = 6\nreplications = 2\n[fixed]\nn_employees = 30\n'
                    '[swept]\nturbulence = [0.1, 0.9]\n')
    out = tmp_path / "mine"
    assert main(["run", str(toml), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "figures: plot.png" in printed and (out / "plot.png").is_file()


def test_dry_run_says_what_it_would_do_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "dry"
    assert main(["run", "heroic_vs_distributed", "--out", str(out), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "720 runs (18 design points × 40 replications" in printed
    assert "nothing was run or written" in printed and not out.exists()


def test_a_set_on_a_sampled_range_and_more_workers_than_cores_are_noted(tmp_path, capsys,
                                                                      monkeypatch):
    """--set on a range says, in the spec's own words, how many points the design has
    left: a Latin hypercube as many, a Sobol' design (N·(D + 2)) fewer; more local workers
    than cores gets a note, on Dask's local cluster too."""
    import os

    def spec(kind: str):
        toml = tmp_path / f"{kind}.toml"
        toml.write_text(f'name = "{kind}"\nsteps = 4\n[design]\nkind = "{kind}"\n'
                        'size = 4\n[swept]\nturbulence = { low = 0.1, high = 0.9 }\n'
                        'shared_purpose = { low = 0.2, high = 0.8 }\n'
                        'leader_autonomy_support = { low = 0.2, high = 0.8 }\n')
        return toml

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    note = ("note: --set turbulence=0.5 replaces the sweep over turbulence "
            "({ low = 0.1, high = 0.9 }): the design has ")
    assert main(["run", str(spec("lhs")), "--out", str(tmp_path / "x"), "--dry-run",
                 "--set", "turbulence=0.5", "--workers", "3"]) == 0
    err = capsys.readouterr().err
    assert note + "4 points (as many)" in err
    assert "--workers 3 is more than this machine's 2 cores" in err
    assert main(["run", str(spec("sobol")), "--out", str(tmp_path / "y"), "--dry-run",
                 "--set", "turbulence=0.5", "--workers", "3", "--dask", "local"]) == 0
    err = capsys.readouterr().err
    assert note + "16 points instead of 20" in err
    assert "--workers 3 is more than" in err
    assert main(["run", str(spec("lhs")), "--out", str(tmp_path / "x"), "--dry-run",
                 "--workers", "2"]) == 0
    assert "note" not in capsys.readouterr().err


def test_dry_run_refuses_exactly_what_the_run_refuses(tmp_path, capsys):
    """A folder of another experiment and an --out that is a file: both the run and the
    dry run exit 2 with the same reason, and the refusal names the settings that differ."""
    other = tmp_path / "other"
    assert main(["run", "heroic_vs_distributed", "--out", str(other), "--steps", "2",
                 "--replications", "1", "--set", "n_employees=20", "--quiet",
                 "--no-report"]) == 0
    capsys.readouterr()
    for extra in ([], ["--dry-run"]):
        assert main(["run", "heroic_vs_distributed", "--out", str(other), "--steps", "3",
                     "--replications", "1", "--set", "n_employees=20", "--quiet",
                     *extra]) == 2
        err = capsys.readouterr().err
        assert "different experiment or different settings (steps: 2 -> 3)" in err, err
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    for extra in ([], ["--dry-run"]):
        assert main(["run", "heroic_vs_distributed", "--out", str(a_file), "--quiet",
                     *extra]) == 2
        assert "is a file, not a folder" in capsys.readouterr().err
    for workers in ("0", "-1"):
        for extra in ([], ["--dry-run"]):
            assert main(["run", "heroic_vs_distributed", "--out", str(tmp_path / "w"),
                         "--workers", workers, "--quiet", *extra]) == 2
            assert f"--workers={workers} is not allowed" in capsys.readouterr().err
        assert not (tmp_path / "w").exists()


@pytest.mark.parametrize("study", ["validation", "mechanisms", "fostering_transition",
                                   "channels", "robustness"])
def test_every_study_has_a_dry_run_that_writes_nothing(study, tmp_path, capsys):
    out = tmp_path / study
    assert main(["run", study, "--dry-run", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "nothing was run or written" in printed and not out.exists()
    if study != "validation":
        assert " runs of " in printed
    else:  # the checks decide their conditions; the field figures' hypercube is counted
        assert "the field figures at 64 points of the robustness study's hypercube, 2 runs " \
               "a point and policy (384 runs)" in printed
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert main(["run", study, "--dry-run", "--out", str(a_file)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_compare_matches_design_points_pairs_same_seeds_and_lists_provenance(
        datasets, tmp_path, capsys):
    """Same experiment, same seeds: every point matched and paired, B − A exactly 0.
    Another seed: matched but unpaired. Different imports and code: named."""
    twin = tmp_path / "twin"
    run_experiment(small(), twin, workers=1, progress=False)
    assert main(["compare", str(datasets / "a"), str(twin)]) == 0
    out = capsys.readouterr().out
    assert "design point(s) in both, matched on policy, turbulence" in out
    assert "B − A +0.000 [+0.000, +0.000] (paired, 2/2 runs)" in out
    assert "provenance that differs: none" in out and "how they ran" not in out
    runs = len(load_results(twin).runs)
    assert (f"identical runs: all {runs} runs both ran at the same point on the same seed "
            "gave the same final value of every output") in out
    assert main(["compare", str(datasets / "a"), str(datasets / "b")]) == 0
    out = capsys.readouterr().out
    assert "(unpaired, 2/2 runs)" in out and "settings that differ (A -> B): seed: 99 -> 5" in out
    assert "identical runs: none to check" in out
    assert "fingerprint (experiment, model code and imported code)" in out
    manifest = json.loads((twin / "manifest.json").read_text())
    manifest["provenance"]["git_dirty"] = not manifest["provenance"]["git_dirty"]
    manifest["experiment"]["imports"] = ["my_rule.py"]
    manifest["sessions"][0]["executor"] = "dask LocalCluster (2 workers)"
    (twin / "manifest.json").write_text(json.dumps(manifest))
    assert main(["compare", str(datasets / "a"), str(twin)]) == 0
    out = capsys.readouterr().out
    assert "git_dirty:" in out and "imports: none vs ['my_rule.py']" in out
    assert ("how they ran (no part of the results): in-process (1 worker) vs dask "
            "LocalCluster (2 workers)") in out


def test_compare_pairs_a_shorter_sweep_on_the_seeds_both_ran(datasets, tmp_path, capsys):
    """A sweep of the same design with more replications shares the first point's seeds
    with a shorter one: that point is compared paired on the seeds both ran (exactly 0 for
    the same model), the points whose seeds differ unpaired."""
    longer = tmp_path / "longer"
    run_experiment(small(replications=3), longer, workers=1, progress=False)
    assert main(["compare", str(datasets / "a"), str(longer)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "paired on the 2 seeds both ran" in x)
    assert "B − A +0.000 [+0.000, +0.000] (paired on the 2 seeds both ran, A and B over " \
           "them, 2/3 runs)" in line
    means = re.search(r"A (\S+)  B (\S+)", line)
    assert means.group(1) == means.group(2)  # the same runs: the same means
    assert ("(unpaired: other seeds; a sweep's seeds follow its number of replications, so "
            "run both with the same --replications to pair them, 2/3 runs)") in out


def test_quick_sizes_for_a_first_look_and_only_where_there_is_one(tmp_path, capsys):
    assert main(["run", "channels", "--quick", "--dry-run", "--out", str(tmp_path / "c")]) == 0
    assert "312 runs of 100 steps" in capsys.readouterr().out
    assert main(["run", "robustness", "--quick", "--dry-run", "--out",
                 str(tmp_path / "r")]) == 0
    # 13 variants × 9 cells × 3 policies × 2 seeds, then the hypercube and the form's runs
    assert "1,086 runs of 100 steps" in capsys.readouterr().out
    assert main(["run", "mechanisms", "--quick", "--dry-run"]) == 2
    assert main(["run", "heroic_vs_distributed", "--quick", "--dry-run"]) == 2
    assert "--quick is for the studies" in capsys.readouterr().err


def test_compare_shows_every_output_or_only_what_moved(tmp_path, capsys):
    """``--all`` compares every model output; ``--changed`` keeps only the differences
    whose 95 % interval excludes 0 and says how many it left out: three times the task
    arrivals (paired on the same seeds, over a final window of ten weeks) moves arrivals,
    an identical twin moves nothing."""
    one_point = {"policy": ["heroic"], "turbulence": [0.5]}
    base = small(replications=5, swept=one_point, steps=40, record_every=1)
    busier = small(replications=5, swept=one_point, steps=40, record_every=1,
                   fixed={"n_employees": 30, "task_rate": 3 * Parameters().task_rate})
    for name, experiment in (("base", base), ("twin", base), ("busier", busier)):
        run_experiment(experiment, tmp_path / name, workers=1, progress=False)
    assert main(["compare", str(tmp_path / "base"), str(tmp_path / "busier"), "--all"]) == 0
    every = capsys.readouterr().out
    assert "tasks_arrived [tasks/week]:" in every and "cost_staffing [" in every
    assert "tasks completed / step [tasks/week]:" in every  # key outcomes keep their labels
    assert main(["compare", str(tmp_path / "base"), str(tmp_path / "busier"), "--all",
                 "--changed"]) == 0
    moved = capsys.readouterr().out
    assert "tasks_arrived [tasks/week]: moved at 1 of 1 point(s)" in moved
    assert "identical runs: no, 5 of the 5 runs both ran at the same point" in moved
    assert "(paired, 5/5 runs)" in moved
    assert "formal_leader_present" not in moved  # 1 in every run of both: B − A is 0
    left_out = int(re.search(r"\((\d+) outcome\(s\) and point\(s\) whose", moved).group(1))
    shown = moved.count("(paired, 5/5 runs)")
    assert left_out > 0 and shown > 0
    assert left_out + shown == every.count("(paired, 5/5 runs)") + every.count("undefined")
    assert main(["compare", str(tmp_path / "base"), str(tmp_path / "twin"), "--changed"]) == 0
    nothing = capsys.readouterr().out
    assert "B − A" not in nothing.split("\n", 2)[2].split("settings that differ")[0]
    assert "whose 95 % interval includes 0, or has none, left out" in nothing


def test_compare_can_keep_to_named_outputs_and_names_a_wrong_one(datasets, capsys):
    """``--outcome NAME`` (repeatable) compares only those outputs, key or not; a name
    that is no model output is an error that lists the allowed ones (exit 2)."""
    assert main(["compare", str(datasets / "a"), str(datasets / "b"),
                 "--outcome", "offered_load", "--outcome", "tasks_completed"]) == 0
    out = capsys.readouterr().out
    assert "offered_load [" in out and "tasks completed / step [" in out
    assert "autonomous motivation" not in out and "exhaustion" not in out
    assert main(["compare", str(datasets / "a"), str(datasets / "b"),
                 "--outcome", "happiness"]) == 2
    err = capsys.readouterr().err
    assert "--outcome happiness: no such model output; allowed: tasks_arrived" in err


def test_a_dataset_of_some_outputs_gets_its_figure(tmp_path, capsys):
    """Found by a newcomer: with ``outputs = [...]`` leaving out the figure's usual outcomes
    the sweep drew no figure and ``plot`` ended in a traceback."""
    kept = ["tasks_completed", "mean_exhaustion"]
    run_experiment(small(outputs=kept), tmp_path / "some", workers=1, progress=False)
    assert main(["plot", str(tmp_path / "some")]) == 0
    assert (tmp_path / "some" / "plot.png").is_file()
    assert "figure:" in capsys.readouterr().out


def test_a_sweep_whose_process_died_is_not_shown_as_running(datasets, capsys, tmp_path):
    """Found by a newcomer: after ``kill -9`` the manifest still says running, and show and
    ls said so; the lock tells whether a command still runs."""
    import shutil

    from experiments.lock import LOCK

    dead = tmp_path / "dead"
    shutil.copytree(datasets / "a", dead)
    manifest = json.loads((dead / "manifest.json").read_text())
    (dead / "manifest.json").write_text(json.dumps({**manifest, "status": "running"}))
    assert main(["show", str(dead)]) == 0
    assert "status: stopped (resume it)" in capsys.readouterr().out
    (dead / LOCK).write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                         "command": "test"}))
    assert main(["show", str(dead)]) == 0  # a live process holds it: running
    assert "status: running;" in capsys.readouterr().out
    assert main(["ls", str(tmp_path)]) == 0
    assert "running" in capsys.readouterr().out


@pytest.fixture(scope="module")
def crossed_dataset(tmp_path_factory):
    """A small dataset whose design crosses the policy with a swept turbulence."""
    from experiments.spec import from_dict

    experiment = from_dict({"name": "crossed", "steps": 4, "replications": 2,
                            "fixed": {"n_employees": 20},
                            "swept": {"turbulence": [0.1, 0.5]},
                            "crossed": {"policy": ["heroic", "distributed"]}})
    out = tmp_path_factory.mktemp("crossed") / "d"
    run_experiment(experiment, out, workers=1, progress=False)
    return out


def test_every_factor_is_joined_and_shown_so_policies_are_never_pooled(crossed_dataset,
                                                                      capsys):
    from experiments import load_results

    res = load_results(crossed_dataset)
    assert res.factors == ["turbulence", "policy"]
    ts = res.with_parameters()
    assert {"turbulence", "policy"} <= set(ts.columns)
    assert ts.groupby(["turbulence", "policy"]).run_id.nunique().tolist() == [2, 2, 2, 2]
    assert main(["show", str(crossed_dataset)]) == 0
    assert 'crossed: {"policy": ["heroic", "distributed"]}' in capsys.readouterr().out


def test_analysis_mistakes_say_what_is_wrong(crossed_dataset):
    from experiments import load_results
    from experiments.commands import compare
    from experiments.reports import policy_differences, summary_table
    from experiments.spec import SpecError, from_dict

    res = load_results(crossed_dataset)
    with pytest.raises(KeyError, match=r"'polcy' \(did you mean policy\?\)"):
        res.with_parameters("polcy")
    with pytest.raises(ValueError, match=r"'polcy' \(did you mean policy\?\).*factors"):
        summary_table(res, ["polcy"])
    assert len(summary_table(res, "policy")) == 2  # one name for a list of one
    with pytest.raises(TypeError, match=r"finished\(\)"):
        policy_differences(res, ["turbulence"], "distributed", "heroic", ["tasks_completed"])
    one = policy_differences(res.finished(), ["turbulence"], "distributed", "heroic",
                             "tasks_completed")  # one outcome by its name
    assert set(one.outcome) == {"tasks_completed"}
    with pytest.raises(SpecError, match="name="):
        from_dict({"steps": 5})
    with pytest.raises(SpecError, match=r"tasks_complete \(did you mean tasks_completed"):
        compare(str(crossed_dataset), str(crossed_dataset), only=["tasks_complete"])


def test_ls_and_show_say_what_a_study_s_folder_is(tmp_path, capsys):
    """A study writes a summary and figures, not a dataset: ls lists its folder as such,
    and show says where its results are instead of only 'not a result directory'."""
    study = tmp_path / "results" / "channels"
    study.mkdir(parents=True)
    (study / "summary.md").write_text("# Which channel carries it\n\nrows\n")
    (study / "runs.csv").write_text("variant,seed\na,1\nb,2\n")
    assert main(["ls", str(tmp_path / "results")]) == 0
    assert "a study's folder (Which channel carries it)" in capsys.readouterr().out
    assert main(["show", str(study)]) == 2
    err = capsys.readouterr().err
    assert "not a result directory" in err and "runs.csv (2 rows)" in err


def test_study_folders_of_every_kind_are_listed_and_odd_files_do_not_break_ls(tmp_path,
                                                                             capsys):
    root = tmp_path / "results"
    validation, unfinished, odd = root / "validation", root / "channels", root / "odd"
    for folder in (validation, unfinished, odd):
        folder.mkdir(parents=True)
    (validation / "report.md").write_text("\n# Validation report\n")  # a blank first line
    (unfinished / "design.json").write_text("{}")
    (unfinished / "runs.csv").write_text("")  # nothing kept yet
    (odd / "summary.md").write_bytes(b"# caf\xe9\n")  # not UTF-8
    (odd / "runs.csv").write_bytes(b"variant,seed\ncaf\xe9,1\n")
    assert main(["ls", str(root)]) == 0
    out = capsys.readouterr().out
    assert "a study's folder (Validation report): its results are report.md" in out
    assert "a study's folder, not finished (no summary yet), its runs in runs.csv (0 rows)" \
        in out
    assert "runs.csv (1 rows)" in out


def test_a_dry_run_says_what_a_retry_would_run_again(tmp_path, monkeypatch, capsys):
    from test_experiments import fail_heroic_at_high_turbulence

    toml = tmp_path / "t.toml"
    toml.write_text('name = "small"\nsteps = 12\nreplications = 2\nseed = 99\n'
                    'record_every = 3\n[fixed]\nn_employees = 30\n[swept]\n'
                    'policy = ["heroic", "distributed"]\nturbulence = [0.2, 0.8]\n')
    out = tmp_path / "o"
    fail_heroic_at_high_turbulence(monkeypatch)
    assert main(["run", str(toml), "--out", str(out), "--workers", "1", "--quiet",
                 "--no-report"]) == 1
    capsys.readouterr()
    assert main(["run", str(toml), "--out", str(out), "--dry-run", "--retry-failed"]) == 0
    assert "6 runs done would be skipped, 2 failed would be run again" in (
        capsys.readouterr().out)
    assert main(["run", str(toml), "--out", str(out), "--dry-run"]) == 0
    assert "and 2 failed too (--retry-failed runs them again)" in capsys.readouterr().out
