"""A sweep you can trust with a week of compute: locks, clean interrupts, no orphans,
crashed workers recorded, merges without duplicates, damage caught, bad input exit 2."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from test_experiments import ROOT, assert_same_dataset, saved_runs, small

from experiments import faults, load_results, run_experiment
from experiments.__main__ import main
from experiments.lock import LOCK
from experiments.store import DamagedDataset, ResultStore

# each run takes a few tenths of a second, so that a signal sent after two runs always
# finds the other ten still to do (at 60 steps a faster model could finish first)
# Runs long enough (over half a second each on 2 idle cores) that a signal sent once two
# are saved still finds most of the sweep to do on a fast machine (at 400 steps a run
# took a third of a second and the sweep could end before the signal was handled).
# 60 runs of about 1.5 s each on 2 workers: a signal sent once two runs are saved finds
# the sweep still running, even on a busy machine (with 12 runs a starved test process
# once sent its Ctrl-C after the last batch, while the sweep was already making its data
# safe, and the sweep rightly finished with 0)
SLOW_RUNS = 60
SLOW_TOML = f"""
name = "slow"
steps = 800
replications = {SLOW_RUNS // 2}
seed = 7
[fixed]
n_employees = 300
[design]
kind = "grid"
[swept]
policy = ["heroic", "distributed"]
"""


def _command(toml: Path, out: Path, workers: int = 2) -> list[str]:
    # batches of 2: a signal after two runs still finds most of the sweep to do
    return [sys.executable, "-m", "experiments", "run", str(toml), "--out", str(out),
            "--workers", str(workers), "--quiet", "--no-report", "--batch-size", "2"]


def _start(tmp_path: Path, out: Path, workers: int = 2,
           sigint_ignored: bool = False) -> subprocess.Popen:
    toml = tmp_path / "slow.toml"
    toml.write_text(SLOW_TOML)
    ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None
    return subprocess.Popen(_command(toml, out, workers), cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=ignore)


def _wait_for_runs(out: Path, k: int, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if saved_runs(out) >= k:
            return
        time.sleep(0.05)
    raise AssertionError(f"no {k} runs saved in {timeout} s")


def _session_processes(sid: int) -> list[int]:
    """Processes of a session (``start_new_session``: sid = the leader's pid), zombies out."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # session id; state
            alive.append(int(entry.name))
    return alive


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ref") / "whole"
    run_experiment(small(), out, workers=1, progress=False)
    return out


# ------------------------------------------------------------------------ processes
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_killing_the_sweep_leaves_no_process_behind(tmp_path):
    out = tmp_path / "killed"
    sweep = _start(tmp_path, out)
    _wait_for_runs(out, 1)
    assert len(_session_processes(sweep.pid)) >= 3  # the sweep, its pool, its workers
    os.kill(sweep.pid, signal.SIGKILL)  # the sweep alone, not its group
    sweep.wait()
    deadline = time.time() + 20
    while time.time() < deadline and _session_processes(sweep.pid):
        time.sleep(0.2)
    assert _session_processes(sweep.pid) == []


def test_ctrl_c_on_dask_says_one_line_too(tmp_path):
    """The processes of ``--dask local`` keep their logs to themselves: a batch the sweep
    cancels on Ctrl-C no longer has its worker warn, nor a late heartbeat print its
    traceback (seen on a busy machine), before the sweep's own line.

    The sweep is ten times the others' (600 runs, several minutes on 2 workers), so that
    it cannot end on its own before its Ctrl-C, however slow the machine is to send it
    (it once exited 0 in CI, its stderr empty: had it ended first, or missed the signal?
    Now an ending before the signal cannot pass for either, and a missed signal is
    reported as one). It did miss one once, on a busy machine: the handler ran inside a
    ``__del__``, which swallowed its exception; the sweep now raises it again
    (``test_a_stop_whose_exception_python_swallows_still_stops_the_sweep``)."""
    pytest.importorskip("distributed")
    toml = tmp_path / "slow.toml"
    toml.write_text(SLOW_TOML.replace(f"replications = {SLOW_RUNS // 2}",
                                      f"replications = {10 * SLOW_RUNS // 2}"))
    out = tmp_path / "dask_interrupted"
    sweep = subprocess.Popen([*_command(toml, out), "--dask", "local"], cwd=ROOT,
                             start_new_session=True, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_runs(out, 2)
        saved_then = saved_runs(out)
        sweep.send_signal(signal.SIGINT)
        try:
            _, stderr = sweep.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the sweep did not stop within 120 s of its Ctrl-C (sent "
                                 f"with {saved_then} runs saved; {saved_runs(out)} now)"
                                 ) from None
    finally:
        if sweep.poll() is None:  # nothing left running after a failure
            os.killpg(sweep.pid, signal.SIGKILL)
            sweep.wait()
    manifest = json.loads((out / "manifest.json").read_text())
    assert sweep.returncode == 130, (sweep.returncode, manifest["status"], saved_then,
                                     stderr[-2000:])
    lines = [line for line in stderr.splitlines()
             if line.strip() and "resource_tracker" not in line]
    assert len(lines) == 1 and lines[0].startswith("interrupted: "), stderr
    assert manifest["status"] == "interrupted"


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupt_saves_says_one_line_and_marks_the_manifest(tmp_path, signum, code):
    out = tmp_path / "interrupted"
    sweep = _start(tmp_path, out)
    _wait_for_runs(out, 2)
    sweep.send_signal(signum)
    _, stderr = sweep.communicate(timeout=60)
    assert sweep.returncode == code, (sweep.returncode, saved_runs(out), stderr[-2000:])
    # the sweep's own words are one line; where its exit had to be bounded (the pool's
    # shutdown hung: cli.EXIT_GRACE), Python's resource tracker may add its warning about
    # the pool's semaphore, which is not the sweep speaking
    lines = [line for line in stderr.splitlines()
             if line.strip() and "resource_tracker" not in line]
    assert len(lines) == 1 and lines[0].startswith("interrupted: "), stderr
    assert "runs saved in" in lines[0] and "run the same command to resume" in lines[0]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert not (out / LOCK).exists()
    saved = len(load_results(out).runs)
    assert saved < SLOW_RUNS and f"{saved} of {SLOW_RUNS} runs saved" in lines[0]


def test_a_sigterm_while_a_result_is_read_stops_the_sweep():
    """The handler's exception may surface anywhere in the main thread, here inside
    ``future.result()``, whose ``except Exception`` treats an executor's failure: SIGTERM
    must pass through it as Ctrl-C does, not send the batch round again (it did once in
    CI: the sweep ran to its end and exited 0)."""
    import concurrent.futures as cf

    from experiments import runner

    class SignalledOnRead(cf.Future):
        def result(self, timeout=None):
            signal.raise_signal(signal.SIGTERM)  # the handler runs here, in this thread
            return super().result(timeout)

    class Executor(cf.Executor):
        def submit(self, fn, *args, **kwargs):
            future = SignalledOnRead()
            future.set_result([])
            return future

    from types import SimpleNamespace

    def task(run_id):
        return SimpleNamespace(run_id=run_id, point_id=0, replication=run_id, parameters={},
                               schedule=None, entropy=0, spawn_key=(run_id,))

    batches = [[task(0), task(1)], [task(2), task(3)]]
    with runner._interruptible(), pytest.raises(runner._Terminated):
        list(runner._as_finished(Executor(), None, batches, in_flight=1))


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stop_whose_exception_python_swallows_still_stops_the_sweep(tmp_path, monkeypatch,
                                                                    signum, code):
    """A signal handled inside a ``__del__`` (as a Dask future releasing itself when the
    sweep drops it) has its exception swallowed by Python: the sweep must stop all the
    same, with its one line and nothing about the swallowed exception (a ``--dask local``
    sweep once missed its Ctrl-C on a busy machine and ran on)."""
    from experiments.runner import SweepInterrupted

    class SignalledWhenDropped:
        def __del__(self):
            signal.raise_signal(signum)  # the handler runs here, and Python swallows it

    save = ResultStore.save_batch

    def saved_then_dropped(store, results):
        save(store, results)
        SignalledWhenDropped()

    monkeypatch.setattr(ResultStore, "save_batch", saved_then_dropped)
    swallowed: list = []  # what Python would print as "Exception ignored in ..."
    monkeypatch.setattr(sys, "unraisablehook", swallowed.append)
    out = tmp_path / "swallowed"
    with pytest.raises(SweepInterrupted) as stop:
        run_experiment(small(), out, workers=1, progress=False, batch_size=1)
    assert stop.value.code == code
    assert stop.value.saved == 1  # the first run's: the stop comes before the next save
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    assert swallowed == []


def test_a_sigterm_as_the_sweep_starts_is_a_stop_like_any_other(tmp_path, monkeypatch):
    """SIGTERM while the sweep writes its first manifest: exit 143 with its one line and
    the manifest marked, not a traceback (the write came before the stop was handled)."""
    from experiments.runner import SweepInterrupted

    write = ResultStore.write_manifest

    def signalled(store, manifest):
        write(store, manifest)
        if manifest["status"] == "running" and not getattr(signalled, "sent", False):
            signalled.sent = True
            signal.raise_signal(signal.SIGTERM)

    monkeypatch.setattr(ResultStore, "write_manifest", signalled)
    out = tmp_path / "early"
    with pytest.raises(SweepInterrupted) as stop:
        run_experiment(small(), out, workers=1, progress=False)
    assert stop.value.code == 143 and stop.value.saved == 0
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"


@pytest.mark.parametrize("batch_size", [1, 4])
def test_a_run_that_kills_its_worker_is_recorded_and_the_sweep_goes_on(tmp_path, reference,
                                                                       batch_size):
    """With batches of 4, run 3 kills the worker running runs 0-3: each of them runs again
    alone, and only run 3 is recorded as failed."""
    out = tmp_path / "crashing"
    summary = run_experiment(small(), out, workers=2, progress=False, batch_size=batch_size,
                             setup=(faults.crash_runs, ({3},)))
    assert summary.failed_total == 1
    runs = load_results(out).runs.set_index("run_id")
    assert runs.loc[3, "status"] == "failed" and "worker process" in runs.loc[3, "error"]
    assert (runs.drop(index=3).status == "ok").all()
    # every other run is exactly what an undisturbed sweep gives
    ref = load_results(reference)
    got = load_results(out)
    keep = ["run_id", *[c for c in got.runs if c.startswith("final_")]]
    pd.testing.assert_frame_equal(got.runs[got.runs.run_id != 3][keep].reset_index(drop=True),
                                  ref.runs[ref.runs.run_id != 3][keep].reset_index(drop=True))
    # and --retry-failed runs it again (here it crashes again, and is recorded again)
    again = run_experiment(small(), out, workers=2, progress=False, retry_failed=True,
                           batch_size=batch_size, setup=(faults.crash_runs, ({3},)))
    assert again.done == 1 and again.failed == 1
    read = pd.read_parquet(out / "runs")  # recorded once, not once a session
    assert len(read) == read.run_id.nunique() and (read.run_id == 3).sum() == 1


def test_a_run_that_kills_its_dask_worker_is_recorded_alone(tmp_path, reference):
    """On Dask a run that kills its worker ends as KilledWorker, which names no run: each
    run of its batch runs again alone, and only the crashing one is recorded as failed."""
    pytest.importorskip("distributed")
    out = tmp_path / "dask_crashing"
    summary = run_experiment(small(), out, workers=2, dask="local", progress=False,
                             batch_size=4, setup=(faults.crash_runs, ({3},)))
    runs = load_results(out).runs.set_index("run_id")
    assert summary.failed_total == 1 and runs.loc[3, "status"] == "failed"
    assert (runs.drop(index=3).status == "ok").all()
    ref = load_results(reference).runs.set_index("run_id")
    pd.testing.assert_series_equal(runs.drop(index=3).final_rai, ref.drop(index=3).final_rai)


def test_a_batch_cut_off_between_its_two_files_is_done_again(tmp_path, reference,
                                                              monkeypatch):
    """A batch whose time series was written but not its rows is unfinished: resumed with
    another batch size, its runs are done again and the dataset is whole, once."""
    import experiments.store as store_module
    from experiments.spec import SpecError

    real = store_module.write_atomically

    def write(table, path):
        if path.parent.name == "runs" and path.name.startswith("run-000004"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(table, path)

    out = tmp_path / "cut_batch"
    monkeypatch.setattr(store_module, "write_atomically", write)
    with pytest.raises(SpecError, match="No space left on device"):
        run_experiment(small(), out, workers=1, progress=False, batch_size=4)
    assert (out / "timeseries" / "run-000004-000007.parquet").is_file()  # half written
    monkeypatch.setattr(store_module, "write_atomically", real)
    assert run_experiment(small(), out, workers=1, progress=False, batch_size=2).done == 4
    assert_same_dataset(reference, out)


def test_ctrl_c_stops_a_sweep_started_with_sigint_ignored(tmp_path):
    """A background job of a script inherits SIGINT ignored; the sweep still stops."""
    out = tmp_path / "background"
    sweep = _start(tmp_path, out, sigint_ignored=True)
    _wait_for_runs(out, 2)
    sweep.send_signal(signal.SIGINT)
    _, stderr = sweep.communicate(timeout=60)
    assert sweep.returncode == 130 and "interrupted: " in stderr
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"


# ------------------------------------------------------------------------ the lock
def test_a_second_command_on_the_same_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "shared"
    sweep = _start(tmp_path, out)
    _wait_for_runs(out, 1)
    toml = tmp_path / "slow.toml"
    assert main(["run", str(toml), "--out", str(out), "--workers", "1", "--quiet",
                 "--no-report"]) == 2
    err = capsys.readouterr().err
    assert "in use by" in err and str(sweep.pid) in err
    sweep.send_signal(signal.SIGINT)  # the first sweep still holds the folder, and stops
    sweep.communicate(timeout=60)
    assert sweep.returncode == 130
    runs = pd.read_parquet(out / "runs")
    assert 1 <= len(runs) < SLOW_RUNS and runs.run_id.is_unique  # nothing computed twice
    assert not (out / LOCK).exists()


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path, reference):
    out = tmp_path / "stale"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (out / LOCK).write_text(json.dumps({"host": socket.gethostname(), "pid": dead.pid,
                                        "command": "python -m experiments run small"}))
    assert run_experiment(small(), out, workers=1, progress=False).done == 8
    assert not (out / LOCK).exists()
    assert_same_dataset(reference, out)


def test_a_lock_names_its_command_as_it_was_typed(tmp_path, monkeypatch):
    """A refusal names the holder by the command one typed, not Python's name for it."""
    from experiments.lock import DirectoryLock, LockHeld

    monkeypatch.setattr(sys, "orig_argv", ["/some/venv/bin/python", "-m", "experiments",
                                           "run", "my sweep.toml"])
    with DirectoryLock(tmp_path), pytest.raises(
            LockHeld, match=r"\"python -m experiments run 'my sweep.toml'\" \(process"):
        DirectoryLock(tmp_path).acquire()


# ------------------------------------------------------------------------ integrity
def _copy(reference: Path, to: Path) -> Path:
    import shutil

    shutil.copytree(reference, to)
    return to


def test_a_deleted_part_is_reported_and_redone(tmp_path, reference, capsys):
    out = _copy(reference, tmp_path / "deleted")
    (out / "timeseries" / "part-00000.parquet").unlink()
    with pytest.raises(DamagedDataset, match=r"timeseries/part-00000\.parquet is missing"):
        load_results(out)
    summary = run_experiment(small(), out, workers=1, progress=False)
    assert summary.done == 8 and any("part-00000" in r for r in summary.repaired)
    assert_same_dataset(reference, out)
    assert (out / "damaged").is_dir()  # the orphaned runs part, kept aside


def test_flipped_bytes_are_caught_and_repaired(tmp_path, reference):
    out = _copy(reference, tmp_path / "flipped")
    part = out / "runs" / "part-00000.parquet"
    data = bytearray(part.read_bytes())
    data[len(data) // 3] ^= 0xFF
    part.write_bytes(bytes(data))
    with pytest.raises(DamagedDataset, match=r"runs/part-00000\.parquet is damaged"):
        load_results(out)
    assert run_experiment(small(), out, workers=1, progress=False).done == 8
    assert_same_dataset(reference, out)


def test_a_run_with_part_of_its_time_series_missing_is_redone(tmp_path, reference):
    out = tmp_path / "short"
    run_experiment(small(), out, workers=1, progress=False)
    store = ResultStore(out)
    manifest = store.read_manifest()
    # rewrite the time-series part without run 5's last row (a consistent, wrong file)
    import pyarrow.parquet as pq

    from experiments.store import sha256, write_atomically

    path = out / "timeseries" / "part-00000.parquet"
    table = pq.read_table(path).to_pandas()
    table = table.drop(table[table.run_id == 5].index[-1])
    import pyarrow as pa

    write_atomically(pa.Table.from_pandas(table, preserve_index=False), path)
    manifest["parts"]["timeseries/part-00000.parquet"]["sha256"] = sha256(path)
    store.write_manifest(manifest)
    with pytest.raises(DamagedDataset, match="does not have the rows its run recorded: 5"):
        load_results(out)
    summary = run_experiment(small(), out, workers=1, progress=False)
    assert summary.done >= 1
    assert_same_dataset(reference, out)


def test_a_damaged_manifest_is_a_clear_error(tmp_path, reference, capsys):
    out = _copy(reference, tmp_path / "manifest")
    text = (out / "manifest.json").read_text()
    (out / "manifest.json").write_text(text[: len(text) // 2])
    with pytest.raises(DamagedDataset, match=r"manifest\.json is damaged"):
        load_results(out)
    toml = tmp_path / "small.toml"
    toml.write_text('name = "small"\n')
    assert main(["run", str(toml), "--out", str(out), "--quiet"]) == 2
    assert "manifest.json is damaged" in capsys.readouterr().err


@pytest.mark.parametrize(("batch_size", "saved"), [(1, 3), (2, 6)])
def test_a_full_disk_is_a_clear_exit_2_with_what_was_saved(tmp_path, monkeypatch, capsys,
                                                           batch_size, saved):
    real = ResultStore.save_batch
    calls = []

    def save_batch(self, results):
        calls.append(1)
        if len(calls) > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, results)

    monkeypatch.setattr(ResultStore, "save_batch", save_batch)
    from experiments.spec import SpecError

    with pytest.raises(SpecError, match=rf"No space left on device; {saved} of 8 runs are saved"):
        run_experiment(small(), tmp_path / "full", workers=1, progress=False,
                       batch_size=batch_size)
    assert not (tmp_path / "full" / LOCK).exists()


def test_an_interrupt_between_a_batchs_series_and_its_rows_resumes_to_the_same_dataset(
        tmp_path, monkeypatch):
    """Ctrl-C after a batch's time series is written and before its rows are: the merge
    that makes the data safe leaves that series out (its runs were never finished), so
    the dataset reads clean and a resume gives what one uninterrupted sweep gives."""
    from experiments import store as store_module
    from experiments.runner import SweepInterrupted

    real_save, real_write = ResultStore.save_batch, store_module.write_atomically
    calls = []

    def save_batch(self, results):
        calls.append(1)
        if len(calls) != 3:
            return real_save(self, results)

        def cut_off(table, path):
            if path.parent == self.runs_dir:
                raise KeyboardInterrupt  # the signal, between the two writes
            real_write(table, path)

        monkeypatch.setattr(store_module, "write_atomically", cut_off)
        try:
            real_save(self, results)
        finally:
            monkeypatch.setattr(store_module, "write_atomically", real_write)

    monkeypatch.setattr(ResultStore, "save_batch", save_batch)
    out = tmp_path / "cut"
    with pytest.raises(SweepInterrupted):
        run_experiment(small(), out, workers=1, progress=False, batch_size=1)
    partial = load_results(out)  # verifies every part: no series without its run
    assert set(partial.timeseries.run_id) == set(partial.runs.run_id) == {0, 1}
    monkeypatch.setattr(ResultStore, "save_batch", real_save)
    run_experiment(small(), out, workers=1, progress=False, batch_size=1)
    run_experiment(small(), tmp_path / "whole", workers=1, progress=False, batch_size=1)
    assert_same_dataset(out, tmp_path / "whole")


def test_damage_found_when_the_report_reads_the_dataset_is_exit_2_without_a_traceback(
        tmp_path, monkeypatch, capsys):
    from experiments import store as store_module

    def damaged(out, verify=True):
        raise DamagedDataset(f"{out}: the time series of 1 run(s) does not have the rows "
                             "its run recorded: 2")

    monkeypatch.setattr(store_module, "load_results", damaged)
    toml = tmp_path / "small.toml"
    toml.write_text('name = "small"\nsteps = 6\nreplications = 1\n[fixed]\nn_employees = 20\n')
    assert main(["run", str(toml), "--out", str(tmp_path / "out"), "--quiet",
                 "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "error: " in err and "does not have the rows its run recorded" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------------ bad input
BAD_TOML = {
    "swept is a number": 'name = "x"\nswept = 5\n',
    "fixed is a number": 'name = "x"\nfixed = 5\n',
    "outputs is a number": 'name = "x"\noutputs = 5\n',
    "fixed is an array of tables": 'name = "x"\n[[fixed]]\nturbulence = 0.2\n',
    "a name that leaves results/": 'name = "../../x"\n',
    "a name that is a list": 'name = ["a", "b"]\n',
    "a huge integer": 'name = "x"\n[fixed]\nn_employees = 99999999999999999999\n',
    "a range below the allowed": ('name = "x"\n[design]\nkind = "lhs"\nsize = 3\n'
                                  '[swept]\nn_employees = { low = 5, high = 50 }\n'),
    "a design of a billion points": ('name = "x"\n[design]\nkind = "lhs"\nsize = 1000000000\n'
                                     '[swept]\nturbulence = { low = 0.0, high = 1.0 }\n'),
    "a departure after the last step": 'name = "x"\nsteps = 50\n[fixed]\n'
                                       'leader_departure_step = 80\n',
    "a batch size of none": 'name = "x"\nbatch_size = 0\n',
    "a billion steps (a typing slip that would fill the memory)": 'name = "x"\n'
                                                                   'steps = 1000000000\n',
    "a billion weeks of warm-up": 'name = "x"\nwarm_up = 1000000000\n',
    "a swept value listed twice": 'name = "x"\n[swept]\nturbulence = [0.2, 0.5, 0.2]\n',
    "a crossed value listed twice": 'name = "x"\n[crossed]\npolicy = ["heroic", "heroic"]\n',
}


@pytest.mark.parametrize("case", list(BAD_TOML))
def test_a_bad_experiment_file_is_exit_2_with_a_message_and_nothing_written(
        case, tmp_path, capsys):
    toml = tmp_path / "bad.toml"
    toml.write_text(BAD_TOML[case])
    out = tmp_path / "out"
    assert main(["run", str(toml), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not out.exists()


def test_a_file_that_is_not_utf8_is_exit_2(tmp_path, capsys):
    toml = tmp_path / "latin1.toml"
    toml.write_bytes('name = "café"\n'.encode("latin-1"))
    assert main(["run", str(toml), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "not a UTF-8 text file" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["--replications", "1000000000"],
    ["--set", "n_employees=100000000000000000000000"],
    ["--set", "task_rate=1e400"],
    ["--batch-size", "0"],
    ["--batch-size", "0", "--dry-run"],
])
def test_bad_command_lines_are_exit_2(argv, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["run", "heroic_vs_distributed", "--out", str(out), "--quiet", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert not out.exists()


def test_an_out_that_is_a_file_or_under_a_file_is_exit_2(tmp_path, capsys):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    for out in (a_file, a_file / "below"):
        assert main(["run", "heroic_vs_distributed", "--out", str(out), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert "choose another --out" in err and "Traceback" not in err
    assert a_file.read_text() == "x"


def test_a_folder_made_for_a_refused_sweep_is_removed(tmp_path, monkeypatch):
    from experiments.spec import SpecError

    def refuse(*args, **kwargs):
        raise SpecError("--dask 'tcp://nowhere:1' does not answer")

    import experiments.runner

    monkeypatch.setattr(experiments.runner, "make_executor", refuse)
    out = tmp_path / "new" / "folder"
    with pytest.raises(SpecError):
        run_experiment(small(), out, workers=2, progress=False)
    assert not out.exists()


def test_an_unwritable_out_is_exit_2(tmp_path, monkeypatch, capsys):
    import experiments.runner

    real = os.access
    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setattr(experiments.runner.os, "access",
                        lambda path, mode: False if Path(path) == locked else real(path, mode))
    out = locked / "out"
    assert main(["run", "heroic_vs_distributed", "--out", str(out), "--quiet"]) == 2
    assert "is not writable" in capsys.readouterr().err
    assert not out.exists()


def _ignores_ctrl_c() -> bool:
    import signal

    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_dask_local_workers_leave_ctrl_c_to_the_sweep():
    """As pool workers do: a terminal's Ctrl-C reaches every process of the group, and the
    sweep, not each worker, must handle it (found by a newcomer: tracebacks from workers)."""
    pytest.importorskip("distributed")
    import signal

    from experiments.runner import _dask_client

    before = signal.getsignal(signal.SIGINT)
    with _dask_client("local", 2) as (client, _):
        assert all(client.run(_ignores_ctrl_c).values())
        assert signal.getsignal(signal.SIGINT) is before  # the sweep's own is as it was


def test_ctrl_c_before_or_after_the_sweep_ends_the_command_in_one_line(monkeypatch, capsys):
    """Found by a newcomer: Ctrl-C in a command's first seconds (imports, checks) or while
    its figure was drawn printed a traceback; the README promises one line."""
    import experiments.__main__ as cli

    def interrupted(argv):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_main", interrupted)
    assert cli.main(["ls"]) == 130
    err = capsys.readouterr().err
    assert err.startswith("interrupted:") and "Traceback" not in err


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_the_worker_server_starts_with_ctrl_c_ignored():
    """It protects itself from Ctrl-C only after importing the model; one meant for the
    sweep must not end those imports in a traceback. This process's own handler stays."""
    import multiprocessing
    import signal
    from multiprocessing import forkserver

    from experiments import start_worker_server

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform")
    before = signal.getsignal(signal.SIGINT)
    start_worker_server()
    assert signal.getsignal(signal.SIGINT) is before
    pid = forkserver._forkserver._forkserver_pid
    mask = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                if line.startswith("SigIgn:"))
    assert int(mask.split()[1], 16) & (1 << (signal.SIGINT - 1))
