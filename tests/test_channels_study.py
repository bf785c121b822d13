"""The ``channels`` study: the interactions on paired seeds, Δ per frozen channel, which
channels carry an interaction, resuming, and the command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import channels as study
from experiments.__main__ import main
from experiments.resumable import read_exact_csv
from model import Parameters


def test_every_run_is_a_valid_parameter_set_and_every_channel_is_frozen_once():
    tasks = study.plan(study.Design(warm_up=0, replications=2, steps=8))
    for params, *_ in tasks:
        Parameters(**params)
    frozen = {t[0]["frozen_channels"] for t in tasks}
    assert frozen == {"", *study.channels.CHANNELS} - set(study.NOT_COMPARED)
    assert "protocol_staleness" in study.NOT_COMPARED  # only a fostering leader builds any
    # every cell shares its seeds with every other
    seeds = pd.DataFrame([t[-1] for t in tasks]).groupby(
        ["factor", "variant", "level", "policy"]).seed.apply(tuple)
    assert seeds.nunique() == 1


def _synthetic(design, effect):
    """Outcome = seed/10 + 1 for distributed at the high level, plus ``effect[variant]``
    there too: the interaction is 1 + effect, whatever the seed."""
    rows = []
    for _, seed, _, _, key in study.plan(design):
        high = key["level"] == study.FACTORS[key["factor"]][1][1]
        bonus = (1.0 + effect.get(key["variant"], 0.0)) if (
            high and key["policy"] == "distributed") else 0.0
        rows.append({**key, **{o: seed / 10 + bonus for o in study.OUTCOMES}})
    return pd.DataFrame(rows)


def test_the_interaction_and_each_channels_delta_are_paired_by_seed():
    design = study.Design(warm_up=0, replications=4, steps=8)
    table = study.summarise(_synthetic(design, {"demand_drift": -0.5, "skill_demands": 0.25}))
    row = table.set_index(["factor", "outcome", "variant"])
    live = row.loc[("turbulence", "tasks_completed", study.ALL_LIVE)]
    assert live.interaction == 1.0 and live.interaction_lo == 1.0  # no spread over seeds
    drift = row.loc[("turbulence", "tasks_completed", "demand_drift")]
    assert drift.delta == -0.5 and drift.interaction == 0.5
    assert row.loc[("complexity", "value_completed", "skill_demands")].delta == 0.25
    # frozen, demand drift halves the interaction (it carries it); skill demands, frozen,
    # make it larger (they work against it)
    assert study.carriers(table, "turbulence", "tasks_completed") == ["demand_drift"]
    assert study.counterweights(table, "turbulence", "tasks_completed") == []
    assert study.carriers(table, "complexity", "burnout_share") == []
    assert study.counterweights(table, "complexity", "burnout_share") == ["skill_demands"]


def test_an_interaction_not_clear_of_0_is_moved_neither_carried_nor_worked_against():
    design = study.Design(warm_up=0, replications=4, steps=8)
    level = {name: -1.0 for _, _, routes, _ in study.FACTORS.values() for name in routes}
    runs = _synthetic(design, {**level, study.ALL_LIVE: -1.0, "demand_drift": -1.5})
    table = study.summarise(runs)
    live = table[(table.variant == study.ALL_LIVE) & (table.factor == "turbulence")]
    assert (live.interaction == 0.0).all()
    assert study.carriers(table, "turbulence", "tasks_completed") == []
    assert study.counterweights(table, "turbulence", "tasks_completed") == []
    assert study.movers(table, "turbulence", "tasks_completed") == ["demand_drift"]


def test_a_negative_interaction_is_carried_by_what_freezing_raises():
    """The roles follow the interaction's sign: with all live at -1, a channel whose
    freezing moves it to -0.5 carries it; one that moves it to -1.25 works against it."""
    design = study.Design(warm_up=0, replications=4, steps=8)
    runs = _synthetic(design, {"demand_drift": -0.5, "report_lag": 0.25,
                               study.ALL_LIVE: 0.0})
    high = runs.level == runs.factor.map(lambda f: study.FACTORS[f][1][1])
    on = high & (runs.policy == "distributed")
    for outcome in study.OUTCOMES:  # mirror distributed's gain at the high level
        runs.loc[on, outcome] = runs.seed[on] / 10 - (runs.loc[on, outcome] - runs.seed[on] / 10)
    table = study.summarise(runs)
    live = table[(table.variant == study.ALL_LIVE) & (table.factor == "turbulence")]
    assert (live.interaction == -1.0).all()
    assert study.carriers(table, "turbulence", "tasks_completed") == ["demand_drift"]
    assert study.counterweights(table, "turbulence", "tasks_completed") == ["report_lag"]


def test_the_study_runs_end_to_end_resumes_and_refuses_bad_arguments(tmp_path, capsys):
    out = tmp_path / "ch"
    args = ["run", "channels", "--replications", "2", "--steps", "8", "--warm-up", "0",
            "--workers", "1", "--out", str(out)]
    assert main(args) == 0
    for name in ("summary.md", "summary.csv", "runs.csv", "channels.png"):
        assert (out / name).is_file(), name
    text = (out / "summary.md").read_text()
    assert "Turbulence × policy" in text and "Local knowledge" in text
    assert "| protocol_staleness |" not in text and "Not compared: protocol_staleness" in text
    runs = read_exact_csv(out / "runs.csv")
    assert len(runs) == len(study.plan(study.Design(warm_up=0, replications=2, steps=8)))
    # a study stopped part-way resumes: drop the last rows, run again, get them back
    runs.iloc[:-10].to_csv(out / "runs.csv", index=False)
    assert main(args) == 0
    again = read_exact_csv(out / "runs.csv")
    key = study.KEY
    assert again.sort_values(key).reset_index(drop=True).equals(
        runs.sort_values(key).reset_index(drop=True))
    assert main(["run", "channels", "--replications", "1"]) == 2
    assert main(["run", "channels", "--steps", "2"]) == 2
    assert "allowed" in capsys.readouterr().err


def test_another_design_starts_afresh_and_keeps_the_old_runs_aside(tmp_path, capsys):
    out = tmp_path / "ch"
    assert main(["run", "channels", "--replications", "2", "--steps", "8", "--warm-up", "0",
                 "--workers", "1", "--out", str(out)]) == 0
    first = read_exact_csv(out / "runs.csv")
    assert main(["run", "channels", "--replications", "2", "--steps", "9", "--warm-up", "0",
                 "--workers", "1", "--out", str(out)]) == 0
    runs = read_exact_csv(out / "runs.csv")
    assert len(runs) == len(study.plan(study.Design(warm_up=0, replications=2, steps=9)))
    assert np.isfinite(runs[list(study.OUTCOMES)].to_numpy()).all()
    # the first design's runs are not lost: kept aside, with their design, and said so
    (aside,) = (out / "superseded").iterdir()
    assert read_exact_csv(aside / "runs.csv").equals(first)
    assert '"steps": 8' in (aside / "design.json").read_text()
    assert f"kept in {aside}" in capsys.readouterr().err


def test_runs_kept_twice_count_once_and_an_unreadable_file_is_set_aside(tmp_path, capsys):
    out = tmp_path / "ch"
    args = ["run", "channels", "--replications", "2", "--steps", "8", "--warm-up", "0",
            "--workers", "1", "--out", str(out)]
    assert main(args) == 0
    runs = read_exact_csv(out / "runs.csv")
    pd.concat([runs, runs]).to_csv(out / "runs.csv", index=False)  # two writers, once
    assert main(args) == 0
    capsys.readouterr()
    text = (out / "runs.csv").read_text()
    (out / "runs.csv").write_text(text[:-40])  # a crash mid-append: half a row
    assert main(args) == 0
    assert "was cut off" in capsys.readouterr().err
    again = read_exact_csv(out / "runs.csv")
    assert again.sort_values(study.KEY).reset_index(drop=True).equals(
        runs.sort_values(study.KEY).reset_index(drop=True))
    (out / "runs.csv").write_text('variant,seed\n"cut off\n')  # unreadable
    assert main(args) == 0
    assert "could not be read" in capsys.readouterr().err
    again = read_exact_csv(out / "runs.csv")
    assert again.sort_values(study.KEY).reset_index(drop=True).equals(
        runs.sort_values(study.KEY).reset_index(drop=True))


def test_a_study_s_folder_in_use_is_refused_and_a_first_look_writes_elsewhere(tmp_path,
                                                                             capsys):
    from experiments.lock import DirectoryLock

    out = tmp_path / "ch"
    out.mkdir()
    with DirectoryLock(out):  # another command writing there
        assert main(["run", "channels", "--replications", "2", "--steps", "8", "--warm-up", "0",
                     "--workers", "1", "--out", str(out)]) == 2
    assert "is in use by" in capsys.readouterr().err and not (out / "runs.csv").exists()
    assert main(["run", "channels", "--quick", "--dry-run"]) == 0
    said = capsys.readouterr()
    assert "-> results/channels-quick" in said.out and "leaving results/channels" in said.err
    assert main(["run", "mechanisms", "--replications", "3", "--dry-run"]) == 0
    assert "-> results/mechanisms-custom" in capsys.readouterr().out
    assert main(["run", "mechanisms", "--dry-run"]) == 0
    assert "-> results/mechanisms\n" in capsys.readouterr().out


def test_a_changed_model_starts_afresh(tmp_path, monkeypatch):
    """Runs of older code are never mixed into a study's report: the model's code and the
    study's are part of what a study's kept runs are kept for."""
    import experiments.resumable as resumable

    out = tmp_path / "ch"
    args = ["run", "channels", "--replications", "2", "--steps", "8", "--warm-up", "0",
            "--workers", "1", "--out", str(out)]
    assert main(args) == 0
    runs = read_exact_csv(out / "runs.csv")
    runs.assign(tasks_completed=-1.0).to_csv(out / "runs.csv", index=False)  # marked as old
    assert main(args) == 0  # the same model: kept, nothing run again
    assert (pd.read_csv(out / "runs.csv").tasks_completed == -1.0).all()
    monkeypatch.setattr(resumable, "model_code_hash", lambda: "another model")
    assert main(args) == 0
    again = read_exact_csv(out / "runs.csv")
    assert len(again) == len(runs) and (again.tasks_completed != -1.0).all()
    again.assign(tasks_completed=-1.0).to_csv(out / "runs.csv", index=False)
    monkeypatch.setattr(resumable, "_study_code_hash", lambda many: "another study")
    assert main(args) == 0  # a changed study: its runs again
    assert (pd.read_csv(out / "runs.csv").tasks_completed != -1.0).all()


def test_the_study_runs_on_dask_and_gives_the_same_runs(tmp_path):
    pytest.importorskip("distributed")
    design = study.Design(warm_up=0, replications=2, steps=6)
    local = study.run(tmp_path / "local", design, workers=1)
    dask = study.run(tmp_path / "dask", design, workers=2, dask="local")
    assert local[0].split(" -> ")[0] == dask[0].split(" -> ")[0]
    key = study.KEY
    a = pd.read_csv(tmp_path / "local" / "runs.csv").sort_values(key).reset_index(drop=True)
    b = pd.read_csv(tmp_path / "dask" / "runs.csv").sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_sigterm_ends_a_study_with_its_folder_released(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from experiments.lock import LOCK

    out = tmp_path / "ch"
    study = subprocess.Popen([sys.executable, "-m", "experiments", "run", "channels",
                              "--replications", "4", "--steps", "40", "--workers", "1",
                              "--out", str(out)], cwd=Path(__file__).resolve().parents[1],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (out / LOCK).exists():
        time.sleep(0.05)
    assert (out / LOCK).exists()
    time.sleep(1.0)
    os.kill(study.pid, signal.SIGTERM)
    study.communicate(timeout=120)
    assert study.returncode == 143 and not (out / LOCK).exists()


def test_a_study_that_cannot_start_leaves_no_folder_and_validation_has_no_quick(tmp_path,
                                                                               capsys):
    out = tmp_path / "never"
    assert main(["run", "channels", "--replications", "2", "--steps", "8", "--warm-up", "0",
                 "--dask", "tcp://127.0.0.1:9", "--out", str(out)]) == 2
    assert "does not answer" in capsys.readouterr().err and not out.exists()
    assert main(["run", "validation", "--quick", "--dry-run"]) == 2
    assert "validation has no --quick size" in capsys.readouterr().err
