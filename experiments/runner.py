"""The sweep runner: design × replications, executed through one ``Executor`` seam.

One root ``numpy.random.SeedSequence(seed)`` per sweep; run ``i`` gets the child with spawn
key ``(i,)`` (the same as ``root.spawn(n)[i]``), so a run's result depends only on the
experiment and its index, never on the executor, the number of workers or the order in
which runs finish. The task sent to a worker is parameters plus seed; the model is built,
run and freed inside the worker, and only its outputs come back.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import multiprocessing
import os
import socket
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import designs
from experiments.simulate import run_model
from experiments.spec import Experiment, SpecError
from experiments.store import COMPACT_EVERY, FINAL_PREFIX, ResultStore, provenance
from model.params import Parameters

QUIET_DASK_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}
"""Dask settings for the LocalCluster of ``--dask local``: runs last seconds, not ms."""

@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run: parameters and seed, nothing else."""

    run_id: int
    point_id: int
    replication: int
    parameters: dict[str, Any]
    entropy: int
    spawn_key: tuple[int, ...]
    steps: int
    record_every: int
    outputs: tuple[str, ...]


def plan(experiment: Experiment) -> list[RunTask]:
    """Every run of the experiment, validated. Run ``i`` is point ``i // R``, replication
    ``i % R``."""
    swept_points = designs.points(experiment)
    if not swept_points:
        raise SpecError(f"{experiment.name}: the design has no points")
    root = np.random.SeedSequence(experiment.seed)
    tasks = []
    for point_id, point in enumerate(swept_points):
        try:
            parameters = dataclasses.asdict(Parameters(**experiment.fixed, **point))
        except ValueError as error:
            raise SpecError(f"{experiment.name}: design point {point_id} {point}: "
                            f"{error}") from None
        for replication in range(experiment.replications):
            run_id = point_id * experiment.replications + replication
            tasks.append(RunTask(run_id, point_id, replication, parameters, root.entropy,
                                 (run_id,), experiment.steps, experiment.record_every,
                                 experiment.outputs))
    return tasks


def execute_run(task: RunTask) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """Build, run and free one model. Never raises: a failure becomes the run's record."""
    started = datetime.now(UTC)
    clock = time.perf_counter()
    row: dict[str, Any] = {
        "run_id": task.run_id, "point_id": task.point_id, "replication": task.replication,
        **task.parameters,
        "seed_entropy": str(task.entropy), "seed_spawn_key": str(list(task.spawn_key)),
        "started_at": started, "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
    try:
        seed = np.random.SeedSequence(task.entropy, spawn_key=task.spawn_key)
        result = run_model(task.parameters, rng=seed, steps=task.steps)
        row.update({FINAL_PREFIX + name: value for name, value in result.final.items()})
        df = result.timeseries
        recorded = df.iloc[::task.record_every]
        if recorded.index[-1] != df.index[-1]:
            recorded = pd.concat([recorded, df.iloc[[-1]]])
        series = recorded[list(task.outputs)].astype(float)
        series.insert(0, "step", recorded.index.to_numpy(dtype=np.int64))
        series.insert(0, "run_id", task.run_id)
        row.update(status="ok", error=None)
    except Exception:  # the sweep goes on; the traceback is the run's record
        series = None
        row.update(status="failed", error=traceback.format_exc())
    row["wall_seconds"] = time.perf_counter() - clock
    return row, series


@dataclass
class SweepSummary:
    total: int
    skipped: int
    done: int
    failed: int  # among the runs done now
    failed_total: int  # in the whole dataset
    out: Path
    executor: str
    seconds: float

    @property
    def line(self) -> str:
        return (f"{self.total} runs: {self.done} done now, {self.skipped} already done, "
                f"{self.failed_total} failed -> {self.out}")


# --------------------------------------------------------------------------- executors
@contextmanager
def make_executor(workers: int | None, dask: str | None) -> Iterator[tuple[cf.Executor, str, int]]:
    """The execution seam: a local pool, or Dask (``"local"`` or a scheduler address).

    Yields the executor, a description for the manifest and how many runs it can work on
    at once.
    """
    workers = workers or os.cpu_count() or 1
    if dask is None:
        if workers == 1:
            with cf.ThreadPoolExecutor(max_workers=1) as pool:
                yield pool, "in-process (1 worker)", 1
            return
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["experiments.runner"])  # import the model once
        else:
            context = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield pool, f"process pool ({workers} workers)", workers
        return
    with _dask_client(dask, workers) as (client, description):
        slots = sum(client.nthreads().values()) or workers
        yield client.get_executor(pure=False), description, slots


@contextmanager
def _dask_client(address: str, workers: int):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SpecError(
            "--dask needs Dask: pip install 'autonomous-motivation[dask]' "
            "(or pip install 'dask[distributed]')"
        ) from None
    if address == "local":
        import dask

        # The workers' own monitoring (a 10 ms statistical profiler, a 20 ms event-loop tick,
        # system and memory monitors) competes for the GIL with the model: measured 7-14 %
        # slower than the process pool by default, within 2 % with these quieter settings.
        with dask.config.set(QUIET_DASK_WORKERS):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0")
        client = Client(cluster)
        try:
            yield client, f"dask LocalCluster ({workers} workers)"
        finally:
            client.close()
            cluster.close()
        return
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise SpecError(f"--dask {address!r} does not answer: {error}") from None
    try:
        yield client, f"dask scheduler {address}"
    finally:
        client.close()


# --------------------------------------------------------------------------- the sweep
def run_experiment(
    experiment: Experiment,
    out: str | os.PathLike,
    *,
    workers: int | None = None,
    dask: str | None = None,
    retry_failed: bool = False,
    progress: bool = True,
    executor: tuple[cf.Executor, str, int] | None = None,
) -> SweepSummary:
    """Run every run of ``experiment`` not yet in ``out``; write each as it finishes.

    Problems with the experiment or the executor raise ``SpecError`` before anything is
    written. ``executor`` lets a caller pass an executor it manages (a tuple as yielded by
    ``make_executor``).
    """
    if workers is not None and workers < 1:
        raise SpecError(f"--workers={workers} is not allowed; allowed: a whole number >= 1")
    tasks = plan(experiment)
    store = ResultStore(Path(out), experiment.outputs)
    manifest = store.read_manifest()
    fingerprint = experiment.fingerprint()
    if manifest is not None and manifest.get("fingerprint") != fingerprint:
        raise SpecError(
            f"{out} holds results of a different experiment, different settings or another "
            "version of the model: choose another --out, or delete it to start over"
        )
    if manifest is None and store.root.exists() and any(store.root.iterdir()):
        raise SpecError(f"{out} exists and is not a result directory; choose another --out")

    if executor is not None:
        return _sweep(experiment, tasks, store, manifest, executor, retry_failed, progress)
    with make_executor(workers, dask) as made:
        return _sweep(experiment, tasks, store, manifest, made, retry_failed, progress)


def _sweep(experiment, tasks, store, manifest, executor_info, retry_failed, progress):
    executor, description, slots = executor_info
    started = datetime.now(UTC)
    clock = time.perf_counter()
    store.prepare()
    status = store.run_status()
    finished = set(status)
    failed_before = {run for run, s in status.items() if s != "ok"}
    if retry_failed:
        finished -= failed_before
    todo = [t for t in tasks if t.run_id not in finished]
    skipped = len(tasks) - len(todo)
    manifest = {
        "experiment": experiment.to_dict(),
        "fingerprint": experiment.fingerprint(),
        "design": {"kind": experiment.design, "size": experiment.size,
                   "points": len(tasks) // experiment.replications,
                   "replications": experiment.replications, "runs": len(tasks)},
        "seed": {"root_entropy": str(np.random.SeedSequence(experiment.seed).entropy),
                 "spawn_key_of_run": "(run_id,)"},
        "created": (manifest or {}).get("created", started.isoformat()),
        "sessions": [*(manifest or {}).get("sessions", []),
                     {"started": started.isoformat(), "executor": description,
                      "runs_to_do": len(todo)}],
        "provenance": provenance(),
        "status": "running",
    }
    store.write_manifest(manifest)

    failed = 0
    bar = _progress_bar(len(tasks), skipped, experiment.name, progress)
    try:
        for saved, (row, series) in enumerate(_as_finished(executor, todo, 2 * slots), 1):
            store.save(row, series)
            failed += row["status"] != "ok"
            bar.update(1)
            if failed:
                bar.set_postfix(failed=failed)
            if saved % COMPACT_EVERY == 0:
                store.compact()
    finally:
        bar.close()
        store.compact()
    seconds = time.perf_counter() - clock
    manifest["sessions"][-1].update(finished=datetime.now(UTC).isoformat(),
                                    seconds=round(seconds, 3), failed=failed)
    all_failed = len(failed_before - {t.run_id for t in todo}) + failed
    manifest["status"] = "complete" if not all_failed else f"complete, {all_failed} failed"
    store.write_manifest(manifest)
    return SweepSummary(len(tasks), skipped, len(todo), failed, all_failed, store.root,
                        description, seconds)


def _as_finished(executor: cf.Executor, tasks: list[RunTask], in_flight: int):
    """Submit at most ``in_flight`` runs at a time; yield results as they finish."""
    queue = iter(tasks)
    pending: set[cf.Future] = set()
    try:
        while True:
            for task in queue:
                pending.add(executor.submit(execute_run, task))
                if len(pending) >= in_flight:
                    break
            if not pending:
                return
            done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        for future in pending:
            future.cancel()


def _progress_bar(total: int, initial: int, name: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, desc=name, unit="run", file=sys.stderr,
                disable=not enabled, dynamic_ncols=True)


