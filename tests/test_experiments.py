"""The sweep engine: designs, seeds, executors, resume, failures, bad input, datasets."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import load_results, run_experiment, spec
from experiments.__main__ import main
from experiments.designs import points
from experiments.runner import make_executor, plan
from experiments.spec import Range, SpecError, from_dict, load, with_overrides
from model import MODEL_OUTPUTS, OrganisationModel

TIMING = ["started_at", "wall_seconds", "worker"]
ROOT = Path(__file__).resolve().parents[1]


def small(**changes) -> spec.Experiment:
    data = {
        "name": "small", "steps": 12, "replications": 2, "seed": 99, "record_every": 3,
        "fixed": {"n_employees": 30},
        "design": {"kind": "grid"},
        "swept": {"policy": ["heroic", "distributed"], "turbulence": [0.2, 0.8]},
    }
    data.update(changes)
    return from_dict(data)


def dataset(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    res = load_results(out)
    return res.runs.drop(columns=TIMING), res.timeseries


def saved_runs(out: Path) -> int:
    """How many runs the per-run and per-batch files of ``out`` hold (``run-12.parquet``,
    ``run-12-18.parquet``): what a sweep has saved before its files are merged."""
    count = 0
    for path in (out / "runs").glob("run-*.parquet"):
        first, *last = (int(n) for n in path.stem.split("-")[1:])
        count += (last[0] if last else first) - first + 1
    return count


def assert_same_dataset(a: Path, b: Path) -> None:
    runs_a, ts_a = dataset(a)
    runs_b, ts_b = dataset(b)
    pd.testing.assert_frame_equal(runs_a, runs_b)
    pd.testing.assert_frame_equal(ts_a, ts_b)


# ------------------------------------------------------------------------------ designs
def _sampling(kind: str, size: int, **swept) -> spec.Experiment:
    swept = swept or {"turbulence": Range(0.0, 1.0), "task_complexity": Range(0.2, 0.4),
                      "leader_capacity": Range(1, 20)}
    data = {"name": kind, "design": {"kind": kind, "size": size},
            "swept": {k: ({"low": v.low, "high": v.high} if isinstance(v, Range) else v)
                      for k, v in swept.items()}}
    return from_dict(data)


def test_grid_is_the_full_product_in_a_fixed_order():
    pts = points(small())
    assert pts == [{"policy": p, "turbulence": t}
                   for p in ("heroic", "distributed") for t in (0.2, 0.8)]


def test_latin_hypercube_has_one_point_per_stratum_and_respects_bounds():
    exp = _sampling("lhs", 20)
    pts = pd.DataFrame(points(exp))
    assert len(pts) == 20
    assert pts.turbulence.between(0, 1).all() and pts.task_complexity.between(0.2, 0.4).all()
    strata = np.floor(pts.turbulence * 20).clip(upper=19)
    assert sorted(strata) == list(range(20))  # one point in each twentieth
    assert pts.leader_capacity.map(type).eq(int).all() and pts.leader_capacity.between(1, 20).all()
    assert points(exp) == points(exp)  # seeded from the experiment


def test_sobol_and_morris_design_sizes():
    assert len(points(_sampling("sobol", 8))) == 8 * (3 + 2)
    assert len(points(_sampling("morris", 5))) == 5 * (3 + 1)


def test_sampling_designs_map_choices():
    pts = points(_sampling("lhs", 40, policy=["heroic", "distributed"],
                           turbulence=Range(0.0, 1.0)))
    assert {p["policy"] for p in pts} == {"heroic", "distributed"}


def test_run_seeds_are_children_of_one_root_by_run_index():
    exp = small()
    tasks = plan(exp)
    assert [t.run_id for t in tasks] == list(range(8))
    children = np.random.SeedSequence(exp.seed).spawn(8)
    for task, child in zip(tasks, children, strict=True):
        mine = np.random.SeedSequence(task.entropy, spawn_key=task.spawn_key)
        assert mine.generate_state(4).tolist() == child.generate_state(4).tolist()


# ------------------------------------------------------------------------ executors
@pytest.fixture(scope="session")
def dask_threads():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                       dashboard_address=":0")
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ref") / "one_worker"
    summary = run_experiment(small(), out, workers=1, progress=False, batch_size=1)
    assert summary.done == 8 and summary.failed == 0
    return out


def test_one_worker_writes_a_complete_dataset(reference):
    res = load_results(reference)
    assert len(res.runs) == 8 and (res.runs.status == "ok").all()
    assert res.runs.error.isna().all()
    # steps 0, 3, 6, 9, 12
    assert res.timeseries.groupby("run_id").step.apply(list).iloc[0] == [0, 3, 6, 9, 12]
    assert set(MODEL_OUTPUTS) <= set(res.timeseries.columns)
    assert {"n_employees", "policy", "turbulence", "seed_entropy", "seed_spawn_key",
            "final_tasks_completed", "final_rai"} <= set(res.runs.columns)
    assert (res.runs.n_employees == 30).all()


def test_a_run_in_the_dataset_is_the_same_as_a_run_by_hand(reference):
    res = load_results(reference)
    row = res.runs.iloc[5]
    seed = np.random.SeedSequence(int(row.seed_entropy), spawn_key=(5,))
    model = OrganisationModel(rng=seed, n_employees=30, policy=row.policy,
                              turbulence=row.turbulence)
    for _ in range(12):
        model.step()
    mine = model.datacollector.get_model_vars_dataframe()
    theirs = res.timeseries[res.timeseries.run_id == 5].set_index("step")
    np.testing.assert_allclose(mine.loc[theirs.index, "rai"], theirs.rai)


def test_a_runs_series_is_its_collectors_frame_and_its_finals_each_columns_mean():
    """``run_model``'s time series is Mesa's ``get_model_vars_dataframe`` of the same run,
    dtypes and all, and each final outcome is that column's own mean over the final
    window (``final_rows``), to the last bit, NaN where the column is NaN throughout."""
    from experiments.simulate import final_rows, run_model

    for policy in ("heroic", "distributed"):
        result = run_model({"policy": policy, "n_employees": 30}, rng=4, steps=40)
        model = OrganisationModel(rng=4, policy=policy, n_employees=30)
        for _ in range(40):
            model.step()
        pd.testing.assert_frame_equal(result.timeseries,
                                      model.datacollector.get_model_vars_dataframe(),
                                      check_exact=True)
        window = result.timeseries.iloc[1:].tail(final_rows(40))
        assert window["formal_leader_present"].dtype.kind == "i"  # counts stay whole numbers
        for name in MODEL_OUTPUTS:
            own = float(window[name].mean())
            assert result.final[name] == own or (np.isnan(own)
                                                 and np.isnan(result.final[name])), name


def test_two_workers_give_the_identical_dataset(reference, tmp_path):
    run_experiment(small(), tmp_path / "two", workers=2, progress=False)
    assert_same_dataset(reference, tmp_path / "two")


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("batch_size", [3, 7, 64])
def test_any_batch_size_gives_the_identical_dataset(reference, tmp_path, workers, batch_size):
    out = tmp_path / "batched"
    run_experiment(small(), out, workers=workers, progress=False, batch_size=batch_size)
    assert_same_dataset(reference, out)
    manifest = json.loads((out / "manifest.json").read_text())  # never more than keeps
    assert manifest["sessions"][-1]["batch_size"] == min(batch_size, 8 // workers)  # all busy


def test_a_sweep_too_small_for_full_batches_still_saves_as_it_goes():
    """Batches no bigger than keeps every worker busy; where a batch keeps 16 runs (most
    of an organisation batch's speed), two a worker, so that an interrupt half-way has
    saved some: 120 runs on 2 workers in 4 batches of 30 (it was 2 of 60, and a Ctrl-C
    before the end saved none); a few runs spread one batch a worker; a big sweep at the
    size asked."""
    from experiments.runner import busy_batch_size

    assert busy_batch_size(96, 120, 2) == 30
    assert busy_batch_size(96, 40, 2) == 20 and busy_batch_size(96, 8, 2) == 4
    assert busy_batch_size(96, 10_000, 8) == 96 and busy_batch_size(3, 120, 2) == 3
    assert busy_batch_size(96, 5, 8) == 1


def test_runs_a_batch_holds_run_as_one_world_and_a_failure_stays_with_its_run(
        reference, tmp_path, monkeypatch):
    from experiments import runner

    together = []
    real = runner.run_batch
    monkeypatch.setattr(runner, "run_batch",
                        lambda *a, **k: together.append(len(k["rngs"])) or real(*a, **k))
    run_experiment(small(), tmp_path / "together", workers=1, progress=False, batch_size=8)
    assert together == [4, 4]  # each policy's two turbulence levels, two replications each
    assert_same_dataset(reference, tmp_path / "together")

    def broken(*args, **kwargs):  # a model error anywhere in the batch ...
        raise FloatingPointError("in one organisation of the batch")

    real_run = runner.run_model

    def one_fails(parameters, *, rng, **kwargs):  # ... comes from one run: run 5's
        if rng.spawn_key == (5,):  # (seeds are spawned by run here: no design is crossed)
            raise FloatingPointError("run 5 fails")
        return real_run(parameters, rng=rng, **kwargs)

    monkeypatch.setattr(runner, "run_batch", broken)
    monkeypatch.setattr(runner, "run_model", one_fails)
    run_experiment(small(), tmp_path / "faulty", workers=1, progress=False, batch_size=8)
    runs = load_results(tmp_path / "faulty").runs.set_index("run_id")
    assert runs.status.to_dict() == {i: "failed" if i == 5 else "ok" for i in range(8)}
    assert "run 5 fails" in runs.error[5]


def test_a_design_over_what_a_batch_keeps_apart_runs_its_points_as_one_world(tmp_path,
                                                                            monkeypatch):
    """A Latin hypercube over the climate, protocols and the people's rates, one
    replication a point: its points run as organisation batches, and the dataset is the
    one run by run."""
    from experiments import runner

    design = small(replications=1, swept={
        "shared_purpose": {"low": 0.1, "high": 0.9}, "quit_rate": {"low": 0.05, "high": 0.5},
        "leader_autonomy_support": {"low": 0.1, "high": 0.9},
        "protocol_coverage": {"low": 0.0, "high": 1.0}, "need_rate": {"low": 0.05, "high": 0.3},
        "contagion_distance": {"low": 0.05, "high": 0.5},
        "leader_capacity": {"low": 4, "high": 8}},  # a whole number: may differ too
        design={"kind": "lhs", "size": 6}, fixed={"n_employees": 30, "policy": "heroic"})
    run_experiment(design, tmp_path / "alone", workers=1, progress=False, batch_size=1)
    together = []
    real = runner.run_batch
    monkeypatch.setattr(runner, "run_batch",
                        lambda *a, **k: together.append(len(k["rngs"])) or real(*a, **k))
    run_experiment(design, tmp_path / "together", workers=1, progress=False, batch_size=3)
    assert together == [3, 3]  # three points in each world
    assert_same_dataset(tmp_path / "alone", tmp_path / "together")


def test_runs_travel_in_batches_of_consecutive_runs_of_one_shape():
    from experiments.runner import batches, shape

    tasks = plan(small(replications=3))  # heroic 0-5, distributed 6-11; points of 3
    grouped = batches(tasks, 4)  # a point's replications are not cut: they run together
    assert [[t.run_id for t in b] for b in grouped] == [[0, 1, 2], [3, 4, 5], [6, 7, 8],
                                                        [9, 10, 11]]
    assert [[t.run_id for t in b] for b in batches(tasks, 2)] == [
        [0, 1], [2], [3, 4], [5], [6, 7], [8], [9, 10], [11]]  # a point bigger than a batch
    assert [[t.run_id for t in b] for b in batches(tasks, 6)] == [[0, 1, 2, 3, 4, 5],
                                                                  [6, 7, 8, 9, 10, 11]]
    assert all(len({shape(t) for t in b}) == 1 for b in grouped)  # turbulence may differ
    with_gap = [t for t in tasks if t.run_id != 2]  # run 2 already done: a gap
    assert [[t.run_id for t in b] for b in batches(with_gap, 8)] == [[0, 1], [3, 4, 5],
                                                                     [6, 7, 8, 9, 10, 11]]
    assert [len(b) for b in batches(tasks, 1)] == [1] * 12


def test_a_batch_in_an_interrupted_process_stops_after_the_run_at_hand():
    from experiments import runner

    tasks = plan(small())[:3]
    runner._STOPPING.set()
    try:
        assert runner.execute_batch(tasks) == []  # Ctrl-C need not wait for a whole batch
    finally:
        runner._STOPPING.clear()
    assert [row["status"] for row, _ in runner.execute_batch(tasks[:1])] == ["ok"]


def test_the_batch_size_is_never_named_as_a_setting_that_differs():
    from experiments.runner import settings_that_differ

    assert settings_that_differ({"batch_size": None, "steps": 4},
                                {"batch_size": 16, "steps": 4}) == []


def test_a_list_setting_that_differs_says_what_went_and_what_came():
    from experiments.runner import settings_that_differ

    every = [f"output_{k}" for k in range(70)]
    assert settings_that_differ({"outputs": every}, {"outputs": ["output_3", "extra"]}) == [
        "outputs: 70 -> 2; without output_0, output_1, output_2, output_4, output_5, "
        "output_6 and 63 more; with extra"]


def test_a_batch_is_saved_as_consecutive_runs_only(tmp_path):
    from experiments.store import ResultStore

    store = ResultStore(tmp_path / "s")
    store.prepare()
    with pytest.raises(ValueError, match="consecutive runs, not \\[3, 5\\]"):
        store.save_batch([({"run_id": 3}, None), ({"run_id": 5}, None)])


def test_dask_threads_give_the_identical_dataset(reference, tmp_path, dask_threads):
    executor = (dask_threads.get_executor(pure=False), "dask test cluster", 2)
    run_experiment(small(), tmp_path / "dask", executor=executor, progress=False)
    assert_same_dataset(reference, tmp_path / "dask")
    run_experiment(small(), tmp_path / "dask7", executor=executor, progress=False,
                   batch_size=7)
    assert_same_dataset(reference, tmp_path / "dask7")


def test_dask_local_cluster_with_processes_gives_the_identical_dataset(reference, tmp_path):
    pytest.importorskip("distributed")
    summary = run_experiment(small(), tmp_path / "dask_p", workers=2, dask="local",
                             progress=False)
    assert "LocalCluster" in summary.executor
    assert_same_dataset(reference, tmp_path / "dask_p")


def _environ(name: str) -> str | None:
    import os

    return os.environ.get(name)


def test_dask_local_workers_keep_glibcs_own_memory_management():
    """Dask's nanny would start its workers with MALLOC_TRIM_THRESHOLD_=65536, under which
    a batch of organisations runs ~70 % slower; ``--dask local`` leaves it out and keeps
    the thread limits."""
    pytest.importorskip("distributed")
    with make_executor(2, "local") as (executor, _, _):
        assert executor.submit(_environ, "MALLOC_TRIM_THRESHOLD_").result() is None
        assert executor.submit(_environ, "OMP_NUM_THREADS").result() == "1"


def test_make_executor_runs_submitted_work():
    with make_executor(1, None) as (executor, description, slots):
        assert executor.submit(sum, [1, 2]).result() == 3
        assert slots == 1 and "1 worker" in description


# ------------------------------------------------------------------------ resume
def test_rerun_skips_finished_runs_and_changes_nothing(reference, tmp_path):
    out = tmp_path / "again"
    run_experiment(small(), out, workers=1, progress=False)
    before = {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir()}
    summary = run_experiment(small(), out, workers=1, progress=False)
    assert summary.skipped == 8 and summary.done == 0
    assert before == {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir()}
    assert len(json.loads((out / "manifest.json").read_text())["sessions"]) == 2


# about half a second a run: the sweep is still running when the test, polling, sees
# three runs saved, even on a busy machine (at 40 steps the whole sweep took 1.4 s)
SLOW_TOML = """
name = "slow"
steps = 160
replications = 4
seed = 7
[fixed]
n_employees = 300
[design]
kind = "grid"
[swept]
policy = ["heroic", "distributed", "fostering"]
"""


def _sweep_command(toml: Path, out: Path, batch_size: int = 1) -> list[str]:
    return [sys.executable, "-m", "experiments", "run", str(toml), "--out", str(out),
            "--workers", "1", "--quiet", "--no-report", "--batch-size", str(batch_size)]


@pytest.fixture(scope="module")
def slow_sweep(tmp_path_factory) -> tuple[Path, Path]:
    """The slow sweep's spec and its dataset, never interrupted (run once for the tests
    that compare with it)."""
    folder = tmp_path_factory.mktemp("slow")
    toml = folder / "slow.toml"
    toml.write_text(SLOW_TOML)
    subprocess.run(_sweep_command(toml, folder / "whole"), check=True, cwd=ROOT)
    return toml, folder / "whole"


@pytest.mark.xdist_group("slow_sweep")  # on one worker: its reference sweep runs once
@pytest.mark.parametrize("batch_size", [1, 3])
def test_resume_after_sigkill_gives_exactly_the_uninterrupted_dataset(tmp_path, slow_sweep,
                                                                       batch_size):
    """Killed mid-way (with batches of 3, mid-batch: a batch is saved whole or not at all),
    the same command resumes to the dataset of a sweep never interrupted."""
    toml, whole = slow_sweep
    cut = tmp_path / "cut"

    sweep = subprocess.Popen(_sweep_command(toml, cut, batch_size), cwd=ROOT,
                             start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and saved_runs(cut) < 3:
        time.sleep(0.05)
    os.killpg(sweep.pid, signal.SIGKILL)
    sweep.wait()
    finished = saved_runs(cut)
    assert 3 <= finished < 12, "the sweep was not cut off mid-way"

    subprocess.run(_sweep_command(toml, cut, batch_size), check=True, cwd=ROOT)
    assert_same_dataset(whole, cut)
    assert not list(cut.glob("*/.*.tmp"))


# ------------------------------------------------------------------------ failures
def fail_heroic_at_high_turbulence(monkeypatch) -> None:
    """A fault in the model, alone or in an organisation batch: heroic runs at turbulence
    0.8 of ``small()`` (runs 2 and 3) raise."""
    from model.phases import work

    original = work.run

    def run(world, step):
        if 0.8 in world.each_org("turbulence") and world.params.policy == "heroic":
            raise RuntimeError("boom at high turbulence")
        original(world, step)

    monkeypatch.setattr(work, "run", run)


def test_a_failing_run_is_recorded_with_its_traceback_and_the_sweep_goes_on(
        reference, tmp_path, monkeypatch):
    from model.phases import work

    original = work.run
    fail_heroic_at_high_turbulence(monkeypatch)
    out = tmp_path / "failing"
    summary = run_experiment(small(), out, workers=1, progress=False, batch_size=4)
    # runs 0-3 (heroic, turbulence 0.2, 0.2, 0.8, 0.8) travel as one batch and run as
    # one world, which fails; run one by one, only the two failing runs are recorded
    assert summary.failed == 2 and summary.done == 8
    res = load_results(out)
    failed = res.runs[res.runs.status == "failed"]
    assert len(failed) == 2 and (failed.policy == "heroic").all()
    assert failed.error.str.contains("RuntimeError: boom at high turbulence").all()
    assert failed.final_rai.isna().all()
    assert set(res.timeseries.run_id) == set(res.runs.run_id[res.runs.status == "ok"])
    assert "1 failed" not in summary.line and "2 failed" in summary.line
    assert summary.line.startswith("8 runs: 6 done now, 0 done before, 2 failed")
    ok = res.runs[res.runs.status == "ok"].set_index("run_id")  # their batch-mates too
    pd.testing.assert_series_equal(ok.final_rai,
                                   load_results(reference).runs.set_index("run_id")
                                   .final_rai.loc[ok.index])

    # resuming keeps the record; --retry-failed runs them again
    resumed = run_experiment(small(), out, workers=1, progress=False)
    assert resumed.done == 0 and resumed.line.startswith("8 runs: 0 done now, 6 done before, "
                                                         "2 failed")
    monkeypatch.setattr(work, "run", original)
    retried = run_experiment(small(), out, workers=1, progress=False, retry_failed=True)
    assert retried.done == 2 and retried.failed_total == 0
    assert (load_results(out).runs.status == "ok").all()
    # any Parquet reader sees each run once: the retried failures left the tables
    read = pd.read_parquet(out / "runs")
    assert len(read) == read.run_id.nunique() == 8 and (read.status == "ok").all()
    pd.testing.assert_frame_equal(  # and the dataset is the undisturbed sweep's
        read.sort_values("run_id").reset_index(drop=True)[["run_id", "final_rai"]],
        load_results(reference).runs.sort_values("run_id").reset_index(drop=True)[
            ["run_id", "final_rai"]])
    assert load_results(out).runs.run_id.is_unique  # the manifest's checksums hold


def test_a_failure_a_success_superseded_leaves_the_tables_on_resume(tmp_path, monkeypatch):
    """A dataset retried before retries took the failed record out holds a run twice,
    failed and ok: the next session takes the failed row out."""
    from experiments.store import ResultStore
    from model.phases import work

    original = work.run
    out = tmp_path / "old"
    fail_heroic_at_high_turbulence(monkeypatch)
    run_experiment(small(), out, workers=1, progress=False)
    monkeypatch.setattr(work, "run", original)
    monkeypatch.setattr(ResultStore, "forget", lambda self, parts, ids: None)  # as before
    run_experiment(small(), out, workers=1, progress=False, retry_failed=True)
    assert len(pd.read_parquet(out / "runs")) == 10  # 8 runs, 2 of them twice
    monkeypatch.undo()
    assert run_experiment(small(), out, workers=1, progress=False).done == 0
    read = pd.read_parquet(out / "runs")
    assert len(read) == read.run_id.nunique() == 8 and (read.status == "ok").all()
    assert load_results(out).runs.run_id.is_unique  # the manifest's checksums hold


def test_signals_wait_for_the_writes_that_must_land_together():
    import signal

    from experiments.runner import _held_off

    done = []
    with pytest.raises(KeyboardInterrupt), _held_off():
        # to this thread, so it is caught inside the block (os.kill to the process may land
        # on another of pytest's threads, and be seen only after the block on a busy machine)
        signal.raise_signal(signal.SIGINT)
        done.append("the block finished first")
    assert done == ["the block finished first"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_cli_exit_code_and_final_line_count_failures(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(OrganisationModel, "step", lambda self: 1 / 0)
    toml = tmp_path / "t.toml"
    toml.write_text('name = "t"\nsteps = 2\nreplications = 1\n[fixed]\nn_employees = 20\n')
    code = main(["run", str(toml), "--out", str(tmp_path / "o"), "--workers", "1", "--quiet"])
    assert code == 1
    said = capsys.readouterr()
    assert said.out.strip().splitlines()[-1].endswith(f"1 failed -> {tmp_path / 'o'}")
    # the first failure's error, and where to read every traceback
    assert "1 of 1 runs failed; the first, run 0: ZeroDivisionError: division by zero" in (
        said.err)
    assert f"python -m experiments show {tmp_path / 'o'}" in said.err
    assert "--retry-failed" in said.err


# ------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "no_such_experiment"], "neither a named experiment nor a file"),
        (["run", "heroic_vs_distributed", "--set", "turbulence=3"], "turbulence=3"),
        (["run", "heroic_vs_distributed", "--set", "n_employes=3"], "n_employes"),
        (["run", "heroic_vs_distributed", "--set", "nonsense"], "PARAM=VALUE"),
        (["run", "heroic_vs_distributed", "--replications", "0"], "replications=0"),
        (["run", "heroic_vs_distributed", "--workers", "0"], "--workers=0"),
        (["run", "heroic_vs_distributed", "--dask", "tcp://127.0.0.1:9"], "does not answer"),
    ],
)
def test_bad_input_gets_one_message_exit_2_and_no_dataset(args, message, tmp_path, capsys,
                                                          monkeypatch):
    from experiments import runner

    monkeypatch.setattr(runner, "DASK_CONNECT_TIMEOUT", 1.0)  # a scheduler that never answers
    out = tmp_path / "never"
    assert main([*args, "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("name = \n", "not valid TOML"),
        ('name = "x"\n[swept]\nturbulence = [0.5, 7.0]\n', "turbulence=7.0"),
        ('name = "x"\n[design]\nkind = "lhs"\nsize = 0\n'
         '[swept]\nturbulence = {low = 0, high = 1}\n', "design.size=0"),
        ('name = "x"\n[design]\nkind = "taguchi"\n', "design.kind='taguchi'"),
        ('name = "x"\n[swept]\nturbulence = {low = 0, high = 1}\n', "a grid needs lists"),
        ('name = "x"\noutputs = ["happiness"]\n', "unknown output(s) happiness"),
        ('name = "x"\nreplicates = 3\n', "unknown key(s) replicates"),
        ('name = "x"\n[fixed]\npolicy = "heroic"\n[swept]\npolicy = ["heroic"]\n',
         "both fixed and swept"),
        ('name = "x"\n[design]\nkind = "lhs"\nsize = 4\n'
         '[swept]\nturbulence = {low = 0.5, high = 0.5}\n', "sweeps nothing"),
        ('name = "x"\n[design]\nkind = "sobol"\nsize = 6\n[swept]\n'
         'turbulence = {low = 0, high = 1}\nshared_purpose = {low = 0, high = 1}\n',
         "allowed: a power of 2"),
        ('name = "x"\n[design]\nkind = "lhs"\nsize = 4\n'
         '[swept]\nteam_size = {low = 4.5, high = 4.7}\n', "holds no whole number"),
        ('name = "x"\n[design]\nkind = "lhs"\nsize = 4\n'
         '[swept]\nteam_size = {low = 4.5, high = 5.4}\n', "holds one whole number"),
    ],
)
def test_malformed_experiment_files_are_refused(toml, message, tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(toml)
    out = tmp_path / "never"
    assert main(["run", str(path), "--out", str(out), "--quiet"]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_result_directory_of_another_experiment_is_not_overwritten(reference, capsys):
    assert main(["run", "heroic_vs_distributed", "--out", str(reference), "--quiet"]) == 2
    assert "different experiment" in capsys.readouterr().err


def test_dask_missing_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(SpecError, match=r"pip install 'autonomous-motivation\[dask\]'"):
        run_experiment(small(), tmp_path / "x", dask="local", progress=False)
    assert not (tmp_path / "x").exists()


def test_set_overrides_a_sweep_and_parses_toml_values():
    exp = with_overrides(small(), settings=["turbulence=0.5", "policy=fostering",
                                            "frustration_pathway=false"])
    assert exp.swept == {} and exp.fixed["turbulence"] == 0.5
    assert exp.fixed["policy"] == "fostering" and exp.fixed["frustration_pathway"] is False


# ------------------------------------------------------------------------ datasets
def test_load_results_round_trip_and_plain_parquet(reference):
    res = load_results(reference)
    assert res.manifest["fingerprint"] == small().fingerprint()
    assert res.manifest["provenance"]["packages"]["mesa"]
    assert res.manifest["design"]["runs"] == 8
    plain = pd.read_parquet(reference / "runs")
    assert len(plain) == len(res.runs)
    joined = res.with_parameters()
    assert {"policy", "turbulence"} <= set(joined.columns) and len(joined) == len(res.timeseries)


def test_flagship_end_to_end_at_a_tiny_size(tmp_path, capsys):
    out = tmp_path / "flagship"
    code = main(["run", "heroic_vs_distributed", "--out", str(out), "--steps", "8",
                 "--replications", "1", "--workers", "2", "--quiet"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "distributed minus heroic" in printed and str(out) in printed
    for name in ("manifest.json", "summary.md", "summary.csv", "heroic_vs_distributed.png"):
        assert (out / name).is_file(), name
    assert len(load_results(out).runs) == 18


def test_every_named_experiment_is_valid_and_listed(capsys):
    assert main(["list"]) == 0
    listed = capsys.readouterr().out
    for name in spec.named_experiments():
        assert name in listed
        assert plan(spec.load(name))


def test_an_unknown_experiment_names_every_experiment_list_names(capsys):
    assert main(["list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert {"validation", "mechanisms", "fostering_transition", "channels",
            "robustness"} <= set(listed)
    assert main(["run", "no_such_experiment"]) == 2
    named = capsys.readouterr().err.split("named experiments: ")[1].strip()
    assert named.split(", ") == listed


def test_runs_are_merged_into_part_files_without_changing_the_dataset(reference, tmp_path,
                                                                      monkeypatch):
    import experiments.runner

    monkeypatch.setattr(experiments.runner, "COMPACT_EVERY", 3)
    out = tmp_path / "parts"
    run_experiment(small(), out, workers=1, progress=False, batch_size=1)
    for table in ("runs", "timeseries"):
        assert not list((out / table).glob("run-*.parquet"))
        assert len(list((out / table).glob("part-*.parquet"))) == 3  # after 3, 6 and the end
    assert_same_dataset(reference, out)
    batched = tmp_path / "batched_parts"  # batches of 2: merged once 3 runs are passed
    run_experiment(small(), batched, workers=1, progress=False, batch_size=2)
    for table in ("runs", "timeseries"):
        assert not list((batched / table).glob("run-*.parquet"))
        assert len(list((batched / table).glob("part-*.parquet"))) == 3  # after 4, 6, end
    assert_same_dataset(reference, batched)


@pytest.mark.parametrize("crash_after", ["journal", "cleanup"])
def test_a_crash_in_the_middle_of_a_merge_never_shows_a_run_twice(
        reference, tmp_path, monkeypatch, crash_after):
    from experiments.store import JOURNAL, ResultStore

    out = tmp_path / "merge"
    real = ResultStore.finish_merge

    def crash(self):
        journal = self._journal()
        if journal is None:
            return real(self)
        if crash_after == "cleanup":  # the run files are gone, the parts not yet in view
            for name, files in journal["files"].items():
                for f in files:
                    (self.root / name / f).unlink()
        raise Killed  # the process dies here

    class Killed(BaseException):
        pass

    monkeypatch.setattr(ResultStore, "finish_merge", crash)
    with pytest.raises(Killed):
        run_experiment(small(), out, workers=1, progress=False)
    assert (out / JOURNAL).is_file()
    for table in ("runs", "timeseries"):  # a raw reader never sees a run twice
        raw = pd.read_parquet(out / table) if any((out / table).glob("*.parquet")) else None
        if raw is not None:
            assert not raw.duplicated([c for c in ("run_id", "step") if c in raw]).any()
    assert_same_dataset(reference, out)  # load_results reads through the merge
    monkeypatch.setattr(ResultStore, "finish_merge", real)
    assert run_experiment(small(), out, workers=1, progress=False).done == 0
    assert not (out / JOURNAL).exists() and len(pd.read_parquet(out / "runs")) == 8
    assert_same_dataset(reference, out)


def test_a_changed_model_does_not_resume_an_old_dataset(reference, monkeypatch, capsys):
    import experiments.spec

    monkeypatch.setattr(experiments.spec, "model_code_hash", lambda: "another-version")
    with pytest.raises(SpecError, match="another version of the model"):
        run_experiment(small(), reference, workers=1, progress=False)


def test_a_set_on_a_swept_parameter_is_noted_and_the_report_never_fails(tmp_path, capsys):
    out = tmp_path / "fostering"
    code = main(["run", "heroic_vs_distributed", "--set", "policy=fostering", "--steps", "4",
                 "--replications", "1", "--workers", "1", "--quiet", "--out", str(out)])
    assert code == 0
    captured = capsys.readouterr()
    assert "replaces the sweep over policy" in captured.err
    assert "no heroic against distributed comparison" in captured.out
    assert "Traceback" not in captured.err and (out / "summary.md").is_file()


def test_reports_that_cannot_be_imported_leave_the_dataset_and_say_how_to_draw_it(
        tmp_path, capsys, monkeypatch):
    import experiments.__main__ as cli_main

    monkeypatch.setitem(sys.modules, "experiments.reports", None)  # its import fails
    loading = cli_main._ReportsImport()  # as a sweep on worker processes imports it
    with pytest.raises(ImportError):
        loading.module()
    out = tmp_path / "no-report"
    code = main(["run", "heroic_vs_distributed", "--steps", "4", "--replications", "1",
                 "--workers", "1", "--quiet", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0 and "no report:" in err and "python -m experiments plot" in err
    assert (out / "manifest.json").is_file() and not (out / "summary.md").exists()


def test_importing_the_reports_does_not_choose_a_backend():
    # a notebook must keep its inline backend: nothing may call matplotlib.use on import
    code = ("import matplotlib, matplotlib.rcsetup as r; "
            "import experiments.reports, experiments.validation, experiments.mechanisms; "
            "print(matplotlib.rcParams._get('backend') is r._auto_backend_sentinel)")
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env).stdout
    assert out.strip() == "True"


def test_unknown_names_get_a_did_you_mean_and_a_short_message(tmp_path):
    with pytest.raises(SpecError, match=r"turbulance \(did you mean turbulence\?\)") as error:
        from_dict({"name": "x", "fixed": {"turbulance": 0.5}})
    assert len(str(error.value)) < 300
    with pytest.raises(SpecError, match=r"autonomus_motivation \(did you mean "
                                         r"autonomous_motivation"):
        from_dict({"name": "x", "outputs": ["autonomus_motivation"]})
    with pytest.raises(SpecError, match=r"'heroic_vs_distributd' \(did you mean "
                                         r"heroic_vs_distributed\?\)"):
        load("heroic_vs_distributd")


def test_a_toml_imports_py_files_from_its_own_folder(tmp_path, monkeypatch):
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "my_rule.py").write_text("VALUE = 1\n")
    (folder / "exp.toml").write_text('name = "x"\nimports = ["my_rule.py"]\nsteps = 2\n')
    monkeypatch.chdir(tmp_path)  # not the TOML's folder
    assert load(str(folder / "exp.toml")).imports == (str((folder / "my_rule.py").resolve()),)
    (folder / "missing.toml").write_text('name = "x"\nimports = ["gone.py"]\n')
    with pytest.raises(SpecError, match=r"'.*gone\.py': no such file \(looked for "
                                         r".*study/gone\.py"):
        load(str(folder / "missing.toml"))


# ------------------------------------------------------------------------ crossed designs
CROSSED = {"name": "crossed", "steps": 4, "replications": 2, "seed": 3,
           "fixed": {"n_employees": 20},
           "design": {"kind": "lhs", "size": 3},
           "swept": {"turbulence": {"low": 0.1, "high": 0.9}},
           "crossed": {"policy": ["heroic", "distributed"]}}


def test_a_crossed_design_runs_every_sample_point_under_each_value_on_the_same_seeds():
    from experiments.runner import plan

    experiment = from_dict(CROSSED)
    assert experiment.name == "crossed" and experiment.crossed == {
        "policy": ["heroic", "distributed"]}
    tasks = plan(experiment)
    assert len(tasks) == spec.planned_runs(experiment) == 3 * 2 * 2
    by_point = {}
    for t in tasks:
        by_point.setdefault(t.point_id, []).append(t)
    for sample in range(3):  # every sample point under heroic, then under distributed
        heroic, distributed = by_point[sample], by_point[3 + sample]
        assert heroic[0].parameters["policy"] == "heroic"
        assert distributed[0].parameters["policy"] == "distributed"
        assert heroic[0].parameters["turbulence"] == distributed[0].parameters["turbulence"]
        assert [t.spawn_key for t in heroic] == [t.spawn_key for t in distributed]
    assert len({t.spawn_key for t in tasks}) == 3 * 2  # one seed per sample × replication


def test_without_crossing_or_interventions_seeds_and_fingerprints_are_as_before():
    from experiments.runner import plan

    # nothing crossed: each point on seeds of its own (and no warm-up: as before it existed)
    styles = dataclasses.replace(load("autonomy_support"), warm_up=0)
    assert not styles.crossed
    assert [t.spawn_key for t in plan(styles)] == [(t.run_id,) for t in plan(styles)]
    # the fingerprint is computed as before crossing existed, so old datasets resume
    data = dataclasses.asdict(styles)
    data.pop("description")
    data.pop("crossed")
    data.pop("interventions")
    data.pop("warm_up")
    data.pop("schedules")
    data.pop("batch_size")  # how runs travel, never what they give
    data.pop("changed_in_process")  # nothing changed in this process: as before
    data["model_code"] = spec.model_code_hash()
    text = json.dumps(data, sort_keys=True, default=str)
    assert styles.fingerprint() == hashlib.sha256(text.encode()).hexdigest()[:16]


def test_the_flagship_runs_each_cell_under_both_policies_on_the_same_seeds():
    from experiments.runner import batches, plan

    tasks = plan(load("heroic_vs_distributed"))
    by_cell: dict = {}
    for t in tasks:
        cell = (t.parameters["turbulence"], t.parameters["task_complexity"])
        by_cell.setdefault(cell, {}).setdefault(t.parameters["policy"], []).append(
            t.spawn_key)
    assert len(by_cell) == 9 and len(tasks) == 720
    for policies in by_cell.values():
        assert policies["heroic"] == policies["distributed"]  # common random numbers
    keys = [k for policies in by_cell.values() for k in policies["heroic"]]
    assert len(set(keys)) == len(keys)  # cells and replications on seeds of their own
    # a policy's 360 runs stand together, so they travel in batches of two cells (40 runs
    # each) and never across the policies
    assert [len(b) for b in batches(tasks, 96)] == [80, 80, 80, 80, 40] * 2
    assert all(len({t.parameters["policy"] for t in b}) == 1 for b in batches(tasks, 32))


def test_policy_differences_pair_runs_by_seed_and_fall_back_to_welch_by_hand():
    from experiments.reports import policy_differences

    def runs(keys_d: list[str]) -> pd.DataFrame:
        return pd.DataFrame({
            "cell": 1, "policy": ["heroic"] * 3 + ["distributed"] * 3,
            "seed_spawn_key": ["[0]", "[1]", "[2]", *keys_d],
            "final_x": [1.0, 3.0, 5.0, 2.0, 4.0, 7.0]})

    paired = policy_differences(runs(["[0]", "[1]", "[2]"]), ["cell"], "distributed",
                                "heroic", ["x"]).iloc[0]
    # differences 1, 1, 2: mean 4/3, sd 1/√3, t(.975, 2) = 4.3027
    half = 4.302653 * (1 / np.sqrt(3)) / np.sqrt(3)
    assert paired.paired and paired["mean"] == pytest.approx(4 / 3)
    assert (paired.low, paired.high) == pytest.approx((4 / 3 - half, 4 / 3 + half),
                                                      abs=1e-5)
    unpaired = policy_differences(runs(["[3]", "[4]", "[5]"]), ["cell"], "distributed",
                                  "heroic", ["x"]).iloc[0]
    from scipy import stats

    # means 13/3 and 3, variances 19/3 and 4, each over 3 runs: Welch df 3.71
    vd, vh = 19 / 3 / 3, 4 / 3
    se, df = np.sqrt(vd + vh), (vd + vh) ** 2 / (vd ** 2 / 2 + vh ** 2 / 2)
    assert not unpaired.paired and unpaired["mean"] == pytest.approx(4 / 3)
    assert unpaired.high - unpaired["mean"] == pytest.approx(stats.t.ppf(0.975, df) * se)
    assert paired.high - paired.low < unpaired.high - unpaired.low
    # no cells: one contrast over every run, paired as before
    pooled = policy_differences(runs(["[0]", "[1]", "[2]"]), [], "distributed", "heroic",
                                ["x"])
    assert len(pooled) == 1 and "cell" not in pooled
    assert pooled.iloc[0][["mean", "low", "high", "paired"]].tolist() == \
        paired[["mean", "low", "high", "paired"]].tolist()
    # a Sobol' design's points share each replication's seed: pooled over two points, a
    # pair is a seed at one turbulence (differences 1, 1, 2 and 2, 3, 4: mean 13/6)
    shared = pd.concat([runs(["[0]", "[1]", "[2]"]).assign(turbulence=0.2),
                        runs(["[0]", "[1]", "[2]"]).assign(turbulence=0.8, final_x=[
                            1.0, 3.0, 5.0, 3.0, 6.0, 9.0])])
    over_both = policy_differences(shared, [], "distributed", "heroic", ["x"]).iloc[0]
    assert over_both.paired and over_both.runs == 6
    assert over_both["mean"] == pytest.approx(13 / 6)
    table = runs(["[0]", "[1]", "[2]"])
    for wrong, message in (({"a": "Distributed"}, r"no runs under policy 'Distributed'; "
                            r"this table has \['distributed', 'heroic'\]"),
                           ({"outcomes": ["final_x"]}, "name it 'x', without the prefix"),
                           ({"outcomes": ["y"]}, "no outcome 'y'"),
                           ({"cells": "cell"}, r"give a list of the columns that make "
                            r"a cell, e.g. \['cell'\]"),
                           ({"cells": ["celll"]}, r"no column 'celll' \(did you mean cell\?\)"
                            r".*those that vary across its runs: policy$")):
        given = {"cells": ["cell"], "a": "distributed", "b": "heroic", "outcomes": ["x"],
                 **wrong}
        with pytest.raises(ValueError, match=message):
            policy_differences(table, given["cells"], given["a"], given["b"],
                               given["outcomes"])


def test_crossed_values_are_checked_and_a_dry_run_lists_the_points(tmp_path, capsys):
    with pytest.raises(SpecError, match=r"crossed.policy=\[\] is not allowed"):
        from_dict({**CROSSED, "crossed": {"policy": []}})
    with pytest.raises(SpecError, match="both crossed and fixed or swept"):
        from_dict({**CROSSED, "fixed": {"policy": "heroic"}})
    toml = tmp_path / "crossed.toml"
    toml.write_text('name = "crossed"\nsteps = 4\nreplications = 2\n[design]\nkind = "lhs"\n'
                    'size = 3\n[swept]\nturbulence = {low = 0.1, high = 0.9}\n[crossed]\n'
                    'policy = ["heroic", "distributed"]\n')
    assert main(["run", str(toml), "--dry-run", "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "12 runs" in out and "crossed: policy" in out
    assert "point 0 (sample 0): turbulence=" in out and "policy='heroic'" in out
    assert "point 3 (sample 0)" in out and "policy='distributed'" in out


def test_a_crossed_lhs_is_summarised_by_design_point_and_pooled_per_policy(tmp_path):
    out = tmp_path / "lhs"
    run_experiment(from_dict(CROSSED), out, workers=1, progress=False)
    results = load_results(out)
    from experiments import reports

    reports.report(results, from_dict(CROSSED))
    table = pd.read_csv(out / "summary.csv")
    assert len(table) == 6 and set(table.policy) == {"heroic", "distributed"}
    assert (table.runs == 2).all() and table.point_id.tolist() == list(range(6))
    text = (out / "summary.md").read_text()
    assert "Pooled over the design's 3 sample points, per policy" in text
    pooled = pd.read_csv(out / "summary_pooled.csv")
    assert sorted(pooled.policy) == ["distributed", "heroic"] and (pooled.runs == 6).all()


def test_every_output_carries_its_unit_and_definition_in_the_data(reference):
    """From the model's one table: in the Parquet schema of both tables and in the
    manifest, with what a final_* column averages over."""
    import pyarrow.parquet as pq

    from model.metrics import OUTPUT_UNITS

    part = next((reference / "runs").glob("*.parquet"))
    field = pq.read_schema(part).field("final_autonomous_motivation")
    assert field.metadata[b"unit"] == b"score 0-1"
    assert field.metadata[b"definition"].startswith(b"mean over the last quarter")
    series = pq.read_schema(next((reference / "timeseries").glob("*.parquet")))
    assert series.field("tasks_completed").metadata[b"unit"] == b"tasks/week"
    assert series.field("step").metadata[b"unit"] == b"week"
    manifest = json.loads((reference / "manifest.json").read_text())
    assert manifest["units"]["step"] == "one working week"
    assert manifest["units"]["outputs"]["burnout_share"]["unit"] == "share 0-1"
    assert set(manifest["units"]["outputs"]) == set(OUTPUT_UNITS)


def test_a_sweep_follows_cluster_workers_that_join_late_and_leave(tmp_path, capsys,
                                                                   monkeypatch):
    """A scheduler with no worker: the sweep says it waits; workers join, one leaves while
    runs are in flight, and the dataset is the one-worker dataset exactly."""
    pytest.importorskip("distributed")
    import threading

    from distributed import LocalCluster

    from experiments import runner

    monkeypatch.setattr(runner, "WORKER_CHECK_EVERY", 0.3)
    experiment = small(steps=40, replications=6)
    run_experiment(experiment, tmp_path / "one", workers=1, progress=False)
    cluster = LocalCluster(n_workers=0, threads_per_worker=1, processes=True,
                           dashboard_address=":0")
    sweep_over, left_mid_sweep = threading.Event(), threading.Event()

    def come_and_go() -> None:
        time.sleep(1.5)  # the sweep starts alone
        cluster.scale(2)
        while not sweep_over.is_set() and saved_runs(tmp_path / "late") < 3:
            time.sleep(0.02)
        if not sweep_over.is_set():  # one leaves while runs are in flight
            cluster.scale(1)
            left_mid_sweep.set()

    helper = threading.Thread(target=come_and_go, daemon=True)
    try:
        helper.start()
        summary = run_experiment(experiment, tmp_path / "late", batch_size=1,
                                 dask=cluster.scheduler_address, progress=False)
        sweep_over.set()
        helper.join(timeout=60)
    finally:
        cluster.close()
    assert left_mid_sweep.is_set()  # 21 runs were still to do when 3 were saved
    assert summary.failed_total == 0 and summary.done == 24
    assert "no Dask worker is connected: the sweep waits for workers" in capsys.readouterr().err
    assert_same_dataset(tmp_path / "one", tmp_path / "late")


def test_the_readme_spells_out_the_quiet_worker_settings_it_uses():
    from experiments.runner import QUIET_DASK_WORKERS

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for key, value in QUIET_DASK_WORKERS.items():
        env = "DASK_" + key.upper().replace(".", "__").replace("-", "_")
        assert f"{env}={value}" in readme, env
    assert "MALLOC_TRIM_THRESHOLD_" in readme and "DASK_WORKER_ENVIRON" in readme


def test_the_default_figure_colours_by_policy_and_keeps_intervals_in_range(tmp_path):
    from experiments import reports

    assert reports.outcome_range("burnout_share") == (0.0, 1.0)
    assert reports.outcome_range("rai") == (-3.0, 3.0)
    assert reports.outcome_range("tasks_completed") == (0.0, np.inf)
    out = tmp_path / "lhs"
    run_experiment(from_dict(CROSSED), out, workers=1, progress=False)
    results = load_results(out)
    experiment = results.manifest["experiment"]
    assert reports.colour_variable(experiment, results.finished()) == "policy"
    grid = load_results(out)  # a grid with no policy swept colours by its first factor
    assert reports.colour_variable({"swept": {"turbulence": [0.2, 0.8]}},
                                   grid.finished().assign(turbulence=0.2)) == "turbulence"
    path = reports.default_figure(results, tmp_path / "plot.png")
    assert path.is_file() and path.stat().st_size > 20_000


def test_batch_size_is_checked_and_never_part_of_what_a_dataset_is(tmp_path):
    assert small(batch_size=16).batch_size == 16
    assert small(batch_size=16).fingerprint() == small().fingerprint()  # resumes either way
    for bad in (0, -2, 1.5, "8", True):
        with pytest.raises(SpecError, match=rf"batch_size={bad!r} is not allowed; allowed: "
                                            "a whole number >= 1"):
            small(batch_size=bad)
    with pytest.raises(SpecError, match=r"--batch-size=0 is not allowed"):
        run_experiment(small(), tmp_path / "x", workers=1, progress=False, batch_size=0)
    assert not (tmp_path / "x").exists()


def test_the_default_batch_holds_up_to_96_runs_and_9600_employees():
    from experiments import default_batch_size
    from experiments.runner import chosen_batch_size, plan

    assert [default_batch_size(n) for n in (10, 100, 200, 1_000, 20_000)] == [96, 96, 48, 9, 1]
    assert chosen_batch_size(small(), 5) == 5 and chosen_batch_size(small(batch_size=7)) == 7
    mixed = small(fixed={}, swept={"n_employees": [100, 400]})  # the largest decides
    assert chosen_batch_size(mixed, tasks=plan(mixed)) == 24
    assert chosen_batch_size(small(), tasks=plan(small())) == 96


def test_crossed_values_design_keys_and_intervention_entries_are_checked_and_named():
    """Found by a newcomer: a misspelt crossed parameter gave a traceback, a crossed
    departure after the last step ran, a misspelt key in [design] was ignored, and a bad
    intervention was blamed on the design point."""
    with pytest.raises(SpecError, match=r"polcy \(did you mean policy\?\)"):
        from_dict({"name": "x", "crossed": {"polcy": ["heroic", "distributed"]}})
    with pytest.raises(SpecError, match=r"crossed\.policy: .*'herioc'"):
        from_dict({"name": "x", "crossed": {"policy": ["herioc", "distributed"]}})
    with pytest.raises(SpecError, match=r"leader_departure_step=50 is after the run's last"):
        from_dict({"name": "x", "steps": 10, "crossed": {"leader_departure_step": [5, 50]}})
    with pytest.raises(SpecError, match=r"unknown key\(s\) in \[design\]: sise \(did you "
                                        r"mean size\?\)"):
        from_dict({"name": "x", "design": {"kind": "lhs", "sise": 4},
                   "swept": {"turbulence": {"low": 0.1, "high": 0.9}}})
    bad = from_dict({"name": "x", "steps": 5, "swept": {"turbulence": [0.1]},
                     "schedules": {"calm": [], "boost": [
                         {"step": 1, "set": {"turbulence": 0.5}},
                         {"step": 2, "set": {"turbulence": 1.9}}]}})
    with pytest.raises(SpecError, match=r"schedules\.boost\[1\] \(step 2\): turbulence=1\.9"):
        plan(bad)


def test_a_sweep_stopped_before_its_first_write_can_be_run_again_in_place(tmp_path):
    """Found by a newcomer: Ctrl-C after the dataset's folders were made but before its
    manifest was written left a folder the same command then refused as "not a result
    directory". Empty dataset folders are nothing to lose: the sweep starts there."""
    from experiments.store import ResultStore

    out = tmp_path / "stopped"
    store = ResultStore(out, small().outputs)
    store.runs_dir.mkdir(parents=True)
    store.timeseries_dir.mkdir()
    assert run_experiment(small(), out, workers=1, progress=False).done == 8
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(SpecError, match="not a result directory"):
        run_experiment(small(), other, workers=1, progress=False)


def test_a_sampled_whole_number_range_gives_each_number_equally_often():
    """Found by a newcomer: rounding ``low + u·(high − low)`` gave each end of a
    whole-number range half the share of the numbers between."""
    from collections import Counter

    from experiments import designs

    lhs = spec.from_dict({"name": "x", "design": {"kind": "lhs", "size": 700},
                          "swept": {"team_size": {"low": 4, "high": 10}}})
    counts = Counter(point["team_size"] for _, point in designs.crossed_points(lhs))
    assert sorted(counts) == list(range(4, 11)) and set(counts.values()) == {100}


def test_a_summary_table_keeps_ids_and_whole_numbers_whole():
    from experiments.reports import markdown

    table = pd.DataFrame({"point_id": [0, 1], "team_size": [5, 7], "turbulence": [0.25, 0.5],
                          "runs": [2.0, 2.0]})
    assert markdown(table).splitlines()[2:] == ["| 0 | 5 | 0.250 | 2 |", "| 1 | 7 | 0.500 | 2 |"]


def _own_sweep(tmp_path: Path, tables: str) -> Path:
    """A small sweep of one's own (20 employees, 8 steps, then ``tables``) run through the
    command line; its output folder."""
    spec = tmp_path / "mine.toml"
    spec.write_text('name = "mine"\ndescription = "d"\nsteps = 8\nseed = 5\n' + tables
                    + '[fixed]\nn_employees = 20\n')
    out = tmp_path / "out"
    assert main(["run", str(spec), "--workers", "1", "--quiet", "--out", str(out)]) == 0
    return out


def test_a_sweep_of_ones_own_that_crosses_policies_reports_each_against_the_first(
        tmp_path, capsys):
    """A grid of one's own with ``[crossed] policy``: each policy minus the first listed, per
    cell, paired by seed, written to differences.csv and summary.md and printed; the
    printed mean is the mean of the paired differences of the runs table."""
    from experiments.store import load_results

    out = _own_sweep(tmp_path, 'replications = 3\n[swept]\nshared_purpose = [0.2, 0.8]\n'
                     '[crossed]\npolicy = ["heroic", "distributed", "fostering"]\n')
    printed = capsys.readouterr().out
    assert "distributed minus heroic, mean [95 % interval] (paired by seed" in printed
    assert "fostering minus heroic" in printed and "shared_purpose  tasks/step" in printed
    differences = pd.read_csv(out / "differences.csv")
    assert set(differences.contrast) == {"distributed - heroic", "fostering - heroic"}
    assert differences.paired.all() and (differences.runs == 3).all()
    assert set(differences.outcome) == {"tasks_completed", "autonomous_motivation",
                                        "burnout_share", "exits"}
    runs = load_results(out).finished().set_index(["policy", "shared_purpose", "seed_spawn_key"])
    by_hand = (runs.loc["fostering"].final_exits - runs.loc["heroic"].final_exits).loc[0.8]
    row = differences.query("contrast == 'fostering - heroic' and shared_purpose == 0.8 "
                            "and outcome == 'exits'").iloc[0]
    assert row["mean"] == pytest.approx(by_hand.mean())
    summary = (out / "summary.md").read_text()
    assert "## Distributed minus heroic" in summary and "## Fostering minus heroic" in summary


def test_a_printed_contrast_says_when_it_has_no_interval(tmp_path, capsys):
    """One replication: a difference but no interval, said in words, not ``[+nan, +nan]``."""
    from experiments.reports import contrast_cell

    assert contrast_cell(0.125, -0.5, 10.25, 2) == "+0.12 [-0.50, +10.25]"
    assert contrast_cell(-0.4, np.nan, np.nan, 2) == "-0.40 [no interval]"
    assert contrast_cell(np.nan, np.nan, np.nan, 3) == "undefined"
    _own_sweep(tmp_path, 'replications = 1\n[crossed]\npolicy = ["heroic", "distributed"]\n')
    printed = capsys.readouterr().out
    assert "[no interval]" in printed and "nan" not in printed


def test_a_sweep_without_crossed_policies_gets_no_contrast(tmp_path, capsys):
    out = _own_sweep(tmp_path, 'replications = 2\n[swept]\npolicy = ["heroic", "distributed"]\n')
    assert "minus" not in capsys.readouterr().out
    assert not (out / "differences.csv").exists()


def test_a_code_fingerprint_ignores_what_only_explains_the_code(tmp_path):
    """Docstrings, comments, string statements, trailing spaces and blank lines do not
    change what a file does; a constant, an operator, a name or a string the code uses
    does. Non-ASCII text before a cut on the same line is cut where it should be."""
    from experiments.spec import code_fingerprint

    def fingerprint(text: str) -> bytes:
        path = tmp_path / "rule.py"
        path.write_text(text, encoding="utf-8")
        return code_fingerprint(path)

    base = fingerprint('"""Module."""\nRATE = 0.2\n"""Share (κ·x)."""\n\n\ndef f(x):\n'
                       '    """Rule ``κ·x``."""\n    label = "κ"  # the κ\n    return RATE * x\n')
    explained_otherwise = fingerprint(
        '"""Another module text,\nover two lines."""\nRATE = 0.2   \n"""Other."""\n'
        'def f(x):\n    # a comment of its own\n    """Other ``κ``."""\n'
        '    label = "κ"  # another κ comment\n\n    return RATE * x  # why\n')
    assert explained_otherwise == base
    for changed in ('RATE = 0.3\ndef f(x):\n    label = "κ"\n    return RATE * x\n',
                    'RATE = 0.2\ndef f(x):\n    label = "κ"\n    return RATE + x\n',
                    'RATE = 0.2\ndef g(x):\n    label = "κ"\n    return RATE * x\n',
                    'RATE = 0.2\ndef f(x):\n    label = "λ"\n    return RATE * x\n'):
        assert fingerprint(changed) != base, changed
    assert fingerprint('RATE = 0.2\ndef f(x):\n    label = "κ"\n    return RATE * x\n') == base
    # a form feed or U+2028 in a comment or docstring is no line break to Python
    for odd in ("\x0c", "\u2028"):
        assert (fingerprint(f'# a{odd}b\nRATE = 0.5\nK = 3  # note\n"""x{odd}y"""\n')
                != fingerprint(f'# a{odd}b\nRATE = 0.9\nK = 3  # note\n"""x{odd}y"""\n'))
        assert (fingerprint(f'"""x{odd}y"""\nRATE = 0.5  # a{odd}b\n')
                == fingerprint('RATE = 0.5\n'))
    # a lone carriage return ends a line as Python reads it; a form feed in code does not
    assert fingerprint("x = 1\r# c\ry = 2\r") == fingerprint("x = 1\ny = 2\n")
    assert fingerprint('S = """a\x0cb"""\n') != fingerprint('S = """a\nb"""\n')
    assert fingerprint("def broken(:\n") == b"def broken(:\n"  # what Python cannot read


def test_an_empty_experiment_file_is_refused_and_one_key_is_enough(tmp_path):
    """An empty file (the wrong one, or one not yet saved) is not run as the default
    organisation: the error says what a file sets; one key runs the defaults."""
    empty = tmp_path / "my_sweep.toml"
    empty.write_text("# nothing here yet\n")
    with pytest.raises(SpecError, match=r"my_sweep.toml: the file is empty"):
        load(str(empty))
    one = tmp_path / "defaults.toml"
    one.write_text("replications = 2\n")
    spec = load(str(one))
    assert spec.name == "defaults" and spec.replications == 2
