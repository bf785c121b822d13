"""The sweep runner: design × replications, executed through one ``Executor`` seam.

One root ``numpy.random.SeedSequence(seed)`` per sweep; run ``i`` gets the child with spawn
key ``(i,)`` (the same as ``root.spawn(n)[i]``), so a run's result depends only on the
experiment and its index, never on the executor, the number of workers or the order in
which runs finish. The task sent to a worker is parameters plus seed; the model is built,
run and freed inside the worker, and only its outputs come back. A worker is sent a
batch of consecutive runs of one shape (``batch_size``), written as one file per table:
the batch size changes how runs travel and are stored, never their results.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import dataclasses
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import default_batch_size, designs, spec, start_worker_server
from experiments.lock import LOCK, DirectoryLock, LockHeld
from experiments.simulate import RunResult, run_batch, run_model
from experiments.spec import Experiment, SpecError
from experiments.store import (
    COMPACT_EVERY,
    FINAL_PREFIX,
    DamagedDataset,
    ResultStore,
    provenance,
    units,
)
from model import batch as organisation_batch
from model.params import Parameters

DEFAULT_EMPLOYEES = Parameters().n_employees
"""The organisation's size where a run does not set it (for the default batch size)."""

WORKER_CHECK_EVERY = 5.0
"""Seconds between checks that a Dask cluster still has workers while runs are pending."""
STOP_CHECK_EVERY = 1.0
"""Seconds at most between a sweep's checks for a stop whose exception Python swallowed."""
DASK_CONNECT_TIMEOUT = 10.0
"""Seconds a Dask scheduler named by ``--dask ADDRESS`` has to answer."""

QUIET_DASK_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}
"""Dask settings for the LocalCluster of ``--dask local``: runs last seconds, not ms."""

DASK_WORKER_ENVIRON = {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1}
"""The environment a LocalCluster's nanny gives its workers (``distributed.nanny.
pre-spawn-environ``): Dask's own without ``MALLOC_TRIM_THRESHOLD_=65536``, which fixes
glibc's mmap threshold at 128 KiB, so that a batch's arrays (many organisations'
employees) were mapped afresh at every step. Measured (16 runs of 400 employees, 2
workers): 0.93 s a run against the process pool's 0.55 with it, 0.57 without."""

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
    model_code: str = ""  # the sweep's model fingerprint: a worker on other code refuses
    imports: tuple[str, ...] = ()  # what a worker must have imported before the run
    interventions: tuple[tuple[int, dict[str, Any]], ...] = ()  # (after step k, changes)
    warm_up: int = 0  # weeks run before week 0
    schedule: str | None = None  # the name of its schedule (``[schedules]``), if any


def plan(experiment: Experiment) -> list[RunTask]:
    """Every run of the experiment, validated. Run ``i`` is point ``i // R``, replication
    ``i % R``; its spawn key is ``(sample·R + replication,)``, ``sample`` the index of its
    point before crossing (without ``crossed`` values, the point itself), so the runs of
    a sample point under each crossed value share their seeds. In a Sobol or Morris
    design every point shares them (``spec.SHARED_SEED_DESIGNS``): the key is
    ``(replication,)``."""
    swept_points = designs.crossed_points(experiment)
    if not swept_points:
        raise SpecError(f"{experiment.name}: the design has no points")
    root = np.random.SeedSequence(experiment.seed)
    code = spec.model_code_hash()
    imports = tuple(name for name, _ in spec.shipped(experiment.imports))
    tasks = []
    for point_id, (sample, point) in enumerate(swept_points):
        point = dict(point)
        schedule = point.pop(spec.SCHEDULE, None)
        named = [*((f"interventions[{k}]", i) for k, i in enumerate(experiment.interventions)),
                 *((f"schedules.{schedule}[{k}]", i)
                   for k, i in enumerate(experiment.schedules.get(schedule, ())))]
        scheduled = tuple(i for _, i in named)
        where = point if schedule is None else {**point, spec.SCHEDULE: schedule}
        entry = ""
        try:
            founded = Parameters(**experiment.fixed, **point)
            parameters = dataclasses.asdict(founded)
            for label, intervention in sorted(named, key=lambda n: n[1]["step"]):  # valid
                entry = f", {label} (step {intervention['step']})"  # for this point too
                founded = founded.replace(**intervention["set"])
        except (ValueError, TypeError) as error:
            raise SpecError(f"{experiment.name}: design point {point_id} {where}{entry}: "
                            f"{error}") from None
        interventions = tuple((i["step"], dict(i["set"])) for i in scheduled)
        for replication in range(experiment.replications):
            run_id = point_id * experiment.replications + replication
            seed_key = (replication if experiment.design in spec.SHARED_SEED_DESIGNS
                        else sample * experiment.replications + replication)
            tasks.append(RunTask(run_id, point_id, replication, parameters, root.entropy,
                                 (seed_key,), experiment.steps, experiment.record_every,
                                 experiment.outputs, code, imports, interventions,
                                 experiment.warm_up, schedule))
    return tasks


def execute_run(task: RunTask) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """Build, run and free one model. Never raises: a failure becomes the run's record."""
    row = _first_columns(task)
    clock = time.perf_counter()
    try:
        wrong = worker_mismatch(task)
        if wrong:
            raise RuntimeError(wrong)
        result = run_model(task.parameters, rng=_seed(task), steps=task.steps,
                           record_every=task.record_every, interventions=task.interventions,
                           warm_up=task.warm_up)
        series = _record(task, row, result)
    except Exception:  # the sweep goes on; the traceback is the run's record
        series = None
        row.update(status="failed", error=traceback.format_exc())
    row["wall_seconds"] = time.perf_counter() - clock
    return row, series


def execute_together(tasks: list[RunTask]) -> list[tuple[dict[str, Any], pd.DataFrame | None]]:
    """Replications of one design point (or of points that differ only in what a batch
    keeps apart: ``model.batch.together``) run as one organisation batch
    (``experiments.simulate.run_batch``): the records ``execute_run`` gives each, exactly
    (each run's wall time its share of the batch's). Never raises: if the batch fails, its
    runs are run one by one, so that a failure is recorded against its own run."""
    rows = [_first_columns(task) for task in tasks]
    clock = time.perf_counter()
    first = tasks[0]
    try:
        wrong = worker_mismatch(first)
        if wrong:
            raise RuntimeError(wrong)
        results = run_batch([task.parameters for task in tasks],
                            rngs=[_seed(task) for task in tasks],
                            steps=first.steps, record_every=first.record_every,
                            warm_up=first.warm_up)
        records = [(row, _record(task, row, result))
                   for task, row, result in zip(tasks, rows, results, strict=True)]
    except Exception:  # run by run, so that the failure is recorded against its run
        records = []
        for task in tasks:
            if _STOPPING.is_set():
                break
            records.append(execute_run(task))
        return records
    share = (time.perf_counter() - clock) / len(tasks)
    for row, _ in records:
        row["wall_seconds"] = share
    return records


def _first_columns(task: RunTask) -> dict[str, Any]:
    """What a run's record says before it runs: which run, its parameters, seed and worker."""
    return {
        "run_id": task.run_id, "point_id": task.point_id, "replication": task.replication,
        **task.parameters, "schedule": task.schedule,
        "seed_entropy": str(task.entropy), "seed_spawn_key": str(list(task.spawn_key)),
        "started_at": datetime.now(UTC), "worker": f"{socket.gethostname()}:{os.getpid()}",
    }


def _seed(task: RunTask) -> np.random.SeedSequence:
    return np.random.SeedSequence(task.entropy, spawn_key=task.spawn_key)


def _record(task: RunTask, row: dict[str, Any], result: RunResult) -> pd.DataFrame:
    """Fill in a finished run's record (its final outcomes) and return its recorded time
    series: step 0, every ``record_every``-th step and the last."""
    row.update({FINAL_PREFIX + name: value for name, value in result.final.items()})
    df = result.timeseries  # step 0, every record_every-th, the final window
    recorded = df[(df.index % task.record_every == 0) | (df.index == task.steps)]
    series = recorded[list(task.outputs)].astype(float)
    series.insert(0, "step", recorded.index.to_numpy(dtype=np.int64))
    series.insert(0, "run_id", task.run_id)
    row.update(status="ok", error=None, timeseries_rows=len(series))
    return series


def shape(task: RunTask) -> tuple:
    """What runs must share to be run as one batch: every discrete parameter (the policy,
    sizes, switches: what the organisation batch of issue #29 cannot vary inside one
    world) but those a batch keeps apart (the leader's capacity, a whole number), the
    steps, recording and interventions. Continuous parameters may differ: runs that
    differ only in what a batch keeps apart (``model.batch.VARYING``: the environment,
    the climate, the people's rates, the costs of leading, the leader's means, ...) then
    still run as one world (``_replications``), others in turn."""
    discrete = tuple(sorted((name, value) for name, value in task.parameters.items()
                            if not isinstance(value, float)
                            and name not in organisation_batch.VARYING))
    return (discrete, task.steps, task.record_every, task.outputs, task.interventions,
            task.warm_up, task.model_code, task.imports)


def batches(tasks: list[RunTask], size: int) -> list[list[RunTask]]:
    """``tasks`` (in ``run_id`` order) in batches of at most ``size`` consecutive runs
    (no gap in ``run_id``) of one ``shape``. A design point's runs still to do start a
    new batch rather than be cut where the batch has no room left for them all, so that
    its replications run as one organisation batch (``execute_together``)."""
    def point(task: RunTask) -> tuple:
        return task.point_id, task.schedule

    left = collections.Counter(point(task) for task in tasks)  # each point's runs to place
    grouped: list[list[RunTask]] = []
    for task in tasks:
        last = grouped[-1] if grouped else None
        if (last and len(last) < size and task.run_id == last[-1].run_id + 1
                and shape(task) == shape(last[0])
                and (point(task) == point(last[-1]) or left[point(task)] <= size - len(last))):
            last.append(task)
        else:
            grouped.append([task])
        left[point(task)] -= 1
    return grouped


_STOPPING = threading.Event()
"""Set when a sweep run in this process is interrupted: a batch running in its thread
stops after the run at hand (its results are not kept; the sweep resumes them)."""


def check_workers(workers: int | None) -> None:
    """Refuse a worker count below one (None: every core)."""
    if workers is not None and workers < 1:
        raise SpecError(f"--workers={workers} is not allowed; allowed: a whole number >= 1")


BATCHES_PER_WORKER = 2
"""How many batches each worker gets of a sweep too small to fill ``size``-run batches,
while a batch keeps ``EFFICIENT_BATCH`` runs: a batch is saved whole when it ends, so with
one batch a worker an interrupt before the end saved nothing."""
EFFICIENT_BATCH = 16
"""Runs an organisation batch needs for most of its speed (16 run at about 80 % of 64's
runs a second; ``benchmarks/README.md``): smaller batches only where the sweep is."""


def busy_batch_size(size: int, runs: int, workers: int) -> int:
    """``size``, but no bigger than keeps every one of ``workers`` busy on ``runs`` runs,
    and, where each batch keeps ``EFFICIENT_BATCH`` runs, small enough that each worker
    gets up to ``BATCHES_PER_WORKER`` of them (at least one run a batch): a few runs are
    spread, not sent to one, and a sweep saves as it goes."""
    workers = max(1, workers)
    rounds = max(1, min(BATCHES_PER_WORKER, runs // (workers * EFFICIENT_BATCH)))
    return max(1, min(size, -(-runs // (workers * rounds))))


def chosen_batch_size(experiment: Experiment, batch_size: int | None = None,
                      tasks: list[RunTask] | None = None) -> int:
    """``batch_size`` (``--batch-size``), else the experiment's, else the default for the
    largest organisation among ``tasks`` (``experiments.default_batch_size``: up to
    ``DEFAULT_BATCH_SIZE`` runs, fewer for big organisations); ``SpecError`` naming the
    value unless it is a whole number >= 1."""
    size = batch_size if batch_size is not None else experiment.batch_size
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        raise SpecError(f"--batch-size={size!r} is not allowed; allowed: a whole number >= 1")
    if size:
        return size
    largest = max((task.parameters.get("n_employees", DEFAULT_EMPLOYEES) for task in tasks or ()),
                  default=DEFAULT_EMPLOYEES)
    return default_batch_size(largest)


def execute_batch(tasks: list[RunTask]) -> list[tuple[dict[str, Any], pd.DataFrame | None]]:
    """Run a batch: each of its runs as ``execute_run`` runs it, in order; consecutive
    runs that an organisation batch holds together (``model.batch.together``: the
    replications of one design point, and points that differ only in what a batch keeps
    apart, ``model.batch.VARYING``; no interventions) as one world
    (``execute_together``), with the same results. Never raises: a failure is recorded
    against its own run, and the batch's other runs are kept."""
    results = []
    for group in _replications(tasks):
        if _STOPPING.is_set():
            break
        # rules an experiment brings may mix organisations
        if len(group) > 1 and not group[0].imports:
            results.extend(execute_together(group))
            continue
        for task in group:
            if _STOPPING.is_set():
                break
            results.append(execute_run(task))
    return results


def _replications(tasks: list[RunTask]) -> list[list[RunTask]]:
    """``tasks`` in groups of consecutive runs that one organisation batch holds
    (``model.batch.together``: the same parameters but those in ``VARYING``),
    of the same steps and recording, and no interventions; every other run alone."""
    groups: list[list[RunTask]] = []
    for task in tasks:
        last = groups[-1] if groups else None
        if (last and not task.interventions and not last[0].interventions
                and organisation_batch.together(last[0].parameters, task.parameters)
                and shape(task) == shape(last[0])):
            last.append(task)
        else:
            groups.append([task])
    return groups


@functools.cache
def _model_code_here() -> str:
    return spec.model_code_hash()


def worker_mismatch(task: RunTask) -> str | None:
    """Why this worker must not run ``task`` (other model code than the sweep's, or an
    import the sweep names that it has not made), or None."""
    if task.model_code and task.model_code != _model_code_here():
        return (f"this worker ({socket.gethostname()}) runs other model code (fingerprint "
                f"{_model_code_here()}) than the sweep ({task.model_code}): install the "
                "same version of the model on every worker")
    missing = [name for name in task.imports if name not in spec.LOADED]
    if missing:
        return (f"this worker ({socket.gethostname()}) has not imported "
                f"{', '.join(missing)}, which the experiment's imports name; it would run "
                "the original rules")
    return None


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
    repaired: tuple[str, ...] = ()  # missing or damaged data found, and redone now

    @property
    def line(self) -> str:
        before = self.skipped - (self.failed_total - self.failed)  # (earlier failures apart)
        return (f"{self.total} runs: {self.done - self.failed} done now, {before} done before, "
                f"{self.failed_total} failed -> {self.out}")


# --------------------------------------------------------------------------- executors
WATCH_PARENT_EVERY = 1.0
"""Seconds between a worker's checks that the sweep that started it is still there."""


def _worker_init(parent: int, setup: tuple[Callable[..., None], tuple] | None) -> None:
    """In each pool worker: leave Ctrl-C to the sweep, and end when the sweep is gone
    (``kill -9`` of the sweep, or SIGTERM to it alone, must not leave workers running)."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(WATCH_PARENT_EVERY)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass

    threading.Thread(target=watch, name="watch-sweep", daemon=True).start()
    if setup is not None:
        setup[0](*setup[1])


class _Pool:
    """A local process pool that can be replaced when one of its workers dies."""

    def __init__(self, workers: int, setup: tuple[Callable[..., None], tuple] | None) -> None:
        self.workers, self.setup = workers, setup
        if "forkserver" in multiprocessing.get_all_start_methods():
            self.context = multiprocessing.get_context("forkserver")
            start_worker_server()  # importing the model once, with Ctrl-C left to the sweep
        else:
            self.context = multiprocessing.get_context("spawn")
        self.executor = self._new()

    def _new(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=self.context,
                                      initializer=_worker_init,
                                      initargs=(os.getpid(), self.setup))

    def replace(self) -> None:
        self.kill()
        self.executor = self._new()

    def kill(self) -> None:
        """Stop now: cancel what waits, end the workers (a run in progress is lost).

        Batches already handed to the pool's call queue may sit in its feeder thread's
        buffer with no worker left to read them; the queue then must not hold up the
        sweep's exit (``multiprocessing.Queue.cancel_join_thread``: an interrupted sweep
        printed its message and then hung at exit on a loaded machine)."""
        processes = list((getattr(self.executor, "_processes", None) or {}).values())  # private
        call_queue = getattr(self.executor, "_call_queue", None)  # private, as above
        self.executor.shutdown(wait=False, cancel_futures=True)
        if call_queue is not None:
            call_queue.cancel_join_thread()
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)

    def close(self) -> None:
        self.executor.shutdown(wait=True)


@dataclass
class Execution:
    """Where runs execute: the executor, a description for the manifest, how many runs it
    works on at once, and (for a local process pool) the pool, which can be replaced."""

    executor: cf.Executor
    description: str
    slots: int
    pool: _Pool | None = None
    capacity: Callable[[], int] | None = None  # runs it can take now (Dask: workers present)

    def __iter__(self):  # unpacks as (executor, description, slots), as before
        return iter((self.executor, self.description, self.slots))


@contextmanager
def make_executor(workers: int | None, dask: str | None,
                  setup: tuple[Callable[..., None], tuple] | None = None,
                  ) -> Iterator[Execution]:
    """The execution seam: a local pool, or Dask (``"local"`` or a scheduler address).

    Yields an ``Execution`` (which unpacks as the executor, a description for the manifest
    and how many runs it can work on at once). ``setup=(function, args)`` is called in each
    worker as it starts: a local pool's (the reliability tests inject faults with it) or a
    Dask worker's, through a worker plugin, including workers that join later.
    """
    workers = workers or os.cpu_count() or 1
    if dask is None:
        if workers == 1 and setup is None:
            with cf.ThreadPoolExecutor(max_workers=1) as pool:
                yield Execution(pool, "in-process (1 worker)", 1)
            return
        pool = _Pool(workers, setup)
        try:
            yield Execution(pool.executor, f"process pool ({workers} workers)", workers, pool)
        except BaseException:
            pool.kill()
            raise
        else:
            pool.close()
        return
    with _dask_client(dask, workers) as (client, description):
        if setup is not None:  # every worker, present or joining later, imports first
            from experiments.dask_setup import WorkerSetup

            client.register_plugin(WorkerSetup(setup))
        def capacity() -> int:  # the workers present now: they come and go on a cluster
            return sum(client.nthreads().values())

        yield Execution(client.get_executor(pure=False), description,
                        capacity() or workers, capacity=capacity)


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
        # Ctrl-C is the sweep's to handle, as in a process pool: the worker processes are
        # started with SIGINT ignored, which they keep (an ignored signal stays ignored
        # across exec, and Python installs its own handler only over the default)
        ignoring = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if ignoring else None
        try:
            with dask.config.set({**QUIET_DASK_WORKERS,
                                  "distributed.nanny.pre-spawn-environ": DASK_WORKER_ENVIRON}):
                # the cluster's processes keep their logs to themselves: a run's error
                # comes back to the sweep with its run (recorded with its traceback), and
                # what they would say is the chatter of stopping: on Ctrl-C the sweep
                # cancels their batches (a warning each) and, on a busy machine, a worker
                # may beat its heart once more at a scheduler already gone (a traceback)
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                       processes=True, dashboard_address=":0",
                                       silence_logs=logging.CRITICAL)
        finally:
            if ignoring:
                signal.signal(signal.SIGINT, previous)
        client = Client(cluster)
        try:
            yield client, f"dask LocalCluster ({workers} workers)"
        finally:
            client.close()
            cluster.close()
        return
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        raise SpecError(f"--dask {address!r} does not answer: {error}; allowed: 'local' (a "
                        "cluster on this machine) or a scheduler's address, such as "
                        "tcp://host:8786") from None
    try:
        yield client, f"dask scheduler {address}"
    finally:
        client.close()


# --------------------------------------------------------------------------- the sweep
class SweepInterrupted(Exception):
    """Ctrl-C or SIGTERM stopped a sweep; what was finished is saved."""

    def __init__(self, saved: int, total: int, out: Path, code: int) -> None:
        self.saved, self.total, self.out, self.code = saved, total, out, code
        super().__init__(f"interrupted: {saved} of {total} runs saved in {out}; run the same "
                         "command to resume")


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread by its handler. A ``BaseException``, as
    ``KeyboardInterrupt`` is: it may surface inside any call (a future's ``result()``), and
    an ``except Exception`` that treats a failed run must not swallow it."""


def _setups(*setups: tuple[Callable[..., None], tuple] | None) -> None:
    """Run several worker setups in order (imports first, then a caller's)."""
    for setup in setups:
        if setup is not None:
            setup[0](*setup[1])


def rule_changes(imports: tuple[str, ...] = ()) -> dict[str, str]:
    """Rules of ``model.rules`` (functions defined in its modules) that this process has
    replaced with a function from elsewhere than a module the experiment imports (a
    notebook's patch, say); and, where the experiment imports no module (which may change
    them in every worker alike), named constants of those modules that no longer hold what
    their source gives them (``changed_constants``). Each with what it now is: a replaced
    rule with its replacement's name and a digest of its code, a changed constant with its
    value; recorded in a dataset's manifest and fingerprint when a sweep runs them in this
    process, so that runs of two versions of a rule never pass for one dataset."""
    import ast
    import importlib
    import pkgutil

    import model.rules

    allowed = {name for name in imports if not name.endswith(".py")}
    # a copy: the executor's threads may be importing while this reads
    allowed |= {m for m in list(sys.modules) if m.startswith("_imported_")}
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(model.rules.__path__):
        module = importlib.import_module(f"model.rules.{info.name}")
        tree = ast.parse(Path(module.__file__).read_text())
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            value = getattr(module, node.name, None)
            origin = getattr(value, "__module__", module.__name__)
            if origin != module.__name__ and origin not in allowed:
                found[f"{module.__name__}.{node.name}"] = (
                    f"{module.__name__}.{node.name} replaced by {origin}."
                    f"{getattr(value, '__qualname__', type(value).__name__)} "
                    f"(code {_code_digest(value)})")
        if not imports:
            found |= {f"{module.__name__}.{name}":
                      f"{module.__name__}.{name} = {_shown(getattr(module, name, None))}"
                      for name in changed_constants(module)}
    return found


def _code_digest(function: Any) -> str:
    """A short digest of a function's code: its source where it has one, else its
    compiled code and constants (a function typed into a notebook has both)."""
    import inspect

    try:
        text = inspect.getsource(function)
    except (OSError, TypeError):
        code = getattr(function, "__code__", None)
        text = repr((code.co_code, code.co_consts)) if code else repr(function)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _shown(value: Any, limit: int = 200) -> str:
    """A constant's value as a manifest shows it: its repr, a long one cut, with a digest
    of the whole."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... (sha {hashlib.sha256(text.encode()).hexdigest()[:12]})"


def changed_constants(module: Any) -> list[str]:
    """Named constants (UPPER_CASE names) of ``module`` whose value in this process differs
    from what a fresh run of its source gives: set by hand in a notebook, say, where a
    sweep's other processes would not see it."""
    import importlib.util

    import numpy as np

    spec = importlib.util.spec_from_file_location(f"_source_of_{module.__name__}",
                                                  module.__file__)
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return bool(np.array_equal(a, b))
        try:
            return type(a) is type(b) and bool(a == b)
        except (ValueError, TypeError):  # (a table of arrays, say): compare what they show
            return repr(a) == repr(b)

    return [name for name in vars(fresh) if name.isupper()
            and not same(getattr(module, name, None), getattr(fresh, name))]


def _writable_out(root: Path) -> None:
    """``--out`` must be a folder this process can create or write into."""
    if root.exists() and not root.is_dir():
        raise SpecError(f"--out {root} is a file, not a folder; choose another --out")
    ancestor = root
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise SpecError(f"--out {root} is under {ancestor}, which is a file; choose another "
                        "--out")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise SpecError(f"--out {root}: {ancestor} is not writable; choose another --out")


def run_experiment(
    experiment: Experiment,
    out: str | os.PathLike,
    *,
    workers: int | None = None,
    dask: str | None = None,
    retry_failed: bool = False,
    progress: bool = True,
    executor: tuple[cf.Executor, str, int] | Execution | None = None,
    setup: tuple[Callable[..., None], tuple] | None = None,
    batch_size: int | None = None,
) -> SweepSummary:
    """Run every run of ``experiment`` not yet in ``out``; write each as it finishes.

    Problems with the experiment, the output folder or the executor raise ``SpecError``
    before anything is written (and a folder made for the sweep is removed again). Only one
    command writes into ``out`` at a time (``experiments.lock``). Ctrl-C or SIGTERM raise
    ``SweepInterrupted`` once what was finished is saved. ``executor`` lets a caller pass
    an executor it manages (as yielded by ``make_executor``); ``setup`` is passed to
    ``make_executor``. ``batch_size`` (else the experiment's, else the default for its
    organisations' size, ``experiments.default_batch_size``):
    how many consecutive runs a worker is sent at once (never changes a result).
    """
    check_workers(workers)
    tasks = plan(experiment)
    size = chosen_batch_size(experiment, batch_size, tasks)
    in_process = executor is None and dask is None and setup is None and (
        workers or os.cpu_count() or 1) == 1
    changes = rule_changes(experiment.imports)
    replaced = list(changes)
    if replaced and not in_process:
        raise SpecError(
            f"{', '.join(replaced)} was replaced or changed in this process, but the sweep's "
            "workers are other processes and would run the original. Put the changed rule "
            "or constant in a module (or .py file) and name it in the experiment's imports "
            "= [...] (or --import), or run with workers=1")
    if changes:  # in this process: the dataset says what ran, and resumes only with it
        experiment = dataclasses.replace(experiment, changed_in_process=tuple(changes.values()))
    if experiment.imports:
        setup = (_setups, ((spec.import_shipped, (spec.shipped(experiment.imports),)), setup))
    root = Path(out)
    _writable_out(root)
    created = not root.exists()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SpecError(f"--out {root} cannot be created: {error}") from None
    lock = DirectoryLock(root)
    try:
        lock.acquire()
    except LockHeld as error:
        raise SpecError(str(error)) from None
    try:
        manifest = check_out(root, experiment)
        store = ResultStore(root, experiment.outputs)
        if executor is not None:
            return _sweep(experiment, tasks, store, manifest, executor, retry_failed,
                          progress, size)
        with make_executor(workers, dask, setup) as made:
            return _sweep(experiment, tasks, store, manifest, made, retry_failed, progress,
                          size)
    except SpecError:
        if created and not any(p.name != LOCK for p in root.iterdir()):
            lock.release()
            root.rmdir()  # nothing was written: leave nothing behind
        raise
    finally:
        lock.release()


def _mismatch(out, manifest: dict[str, Any], experiment: Experiment) -> str:
    old = manifest.get("experiment", {})
    new = json.loads(json.dumps(experiment.to_dict(), default=str))
    differ = settings_that_differ(old, new)
    if old and not differ:
        return (f"{out} holds results of this experiment from another version of the model's "
                "code (model/) or of the modules it imports: choose another --out, or delete "
                "it to start over")
    shown = "; ".join(differ[:6]) + (f"; and {len(differ) - 6} more" if len(differ) > 6
                                     else "")
    return (f"{out} holds results of a different experiment or different settings ({shown}): "
            "choose another --out, or delete it to start over")


def settings_that_differ(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Each setting of two experiments (as in a manifest) that differs, as ``key: old ->
    new``; the tables (fixed, swept, crossed) compared entry by entry."""
    lines = []
    for key in sorted(set(old) | set(new)):
        if key in ("description", "batch_size") or old.get(key) == new.get(key):
            continue  # neither changes what the runs give
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            for name in sorted(set(a) | set(b)):
                if a.get(name) != b.get(name):
                    lines.append(f"{key}.{name}: {a.get(name, 'unset')!r} -> "
                                 f"{b.get(name, 'unset')!r}")
        elif (isinstance(a, list) and isinstance(b, list)
              and all(isinstance(x, str) for x in (*a, *b))):  # names: what went, what came
            gone, came = [x for x in a if x not in b], [x for x in b if x not in a]
            lines.append(f"{key}: {len(a)} -> {len(b)}" + "".join(
                f"; {word} {_some(names)}" for word, names in (("without", gone),
                                                               ("with", came)) if names))
        else:
            lines.append(f"{key}: {a!r} -> {b!r}")
    return lines


def _some(names: list[Any], shown: int = 6) -> str:
    """The first few of ``names``, and how many more."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(map(str, names[:shown])) + more


def check_out(out: Path, experiment: Experiment) -> dict[str, Any] | None:
    """What ``run_experiment`` checks of ``--out`` before anything is written (a run and a
    dry run refuse alike): writable, and empty or holding this experiment's dataset.
    Returns the dataset's manifest, or None where there is none yet."""
    root = Path(out)
    _writable_out(root)
    if not root.exists():
        return None
    store = ResultStore(root, experiment.outputs)
    try:
        manifest = store.read_manifest()
    except DamagedDataset as error:
        raise SpecError(str(error)) from None
    if manifest is not None and manifest.get("fingerprint") != experiment.fingerprint():
        raise SpecError(_mismatch(out, manifest, experiment))
    if manifest is None and any(p.name != LOCK and not _empty_scaffold(store, p)
                                for p in root.iterdir()):
        raise SpecError(f"{out} exists and is not a result directory; choose another --out")
    return manifest


def _empty_scaffold(store: ResultStore, path: Path) -> bool:
    """A dataset's own empty folder (what a sweep stopped before its first write leaves):
    nothing to lose, so the sweep may start there."""
    return (path in (store.runs_dir, store.timeseries_dir) and path.is_dir()
            and not any(path.iterdir()))


def _sweep(experiment, tasks, store, manifest, execution, retry_failed, progress,
           batch_size=1):
    executor, description, slots = execution
    pool = getattr(execution, "pool", None)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    store.prepare()
    parts = dict((manifest or {}).get("parts", {}))
    store.adopt(parts)
    repaired, redo = store.check(parts)
    if repaired:
        store.quarantine(parts, redo)
    records = store.run_records()  # read once for what is done and what is superseded
    status = store.run_status(records)
    finished = set(status)
    failed_before = {run for run, s in status.items() if s != "ok"}
    if retry_failed:
        finished -= failed_before
    # failures about to be run again, and any a success superseded, leave the tables
    forgotten = (failed_before if retry_failed else set()) | store.superseded_failures(records)
    if forgotten:
        with _held_off():
            store.forget(parts, forgotten)
            if manifest is not None:  # the parts as they now are, before anything else
                store.write_manifest({**manifest, "parts": parts})
    todo = [t for t in tasks if t.run_id not in finished]
    skipped = len(tasks) - len(todo)
    batch_size = busy_batch_size(batch_size, len(todo), slots)
    manifest = {
        "experiment": experiment.to_dict(),
        "fingerprint": experiment.fingerprint(),
        "design": {"kind": experiment.design, "size": experiment.size,
                   "points": len(tasks) // experiment.replications,
                   "replications": experiment.replications, "runs": len(tasks)},
        "seed": {"root_entropy": str(np.random.SeedSequence(experiment.seed).entropy),
                 "spawn_key_of_run": (
                     "(replication,): every point of a replication on the same seeds"
                     if experiment.design in spec.SHARED_SEED_DESIGNS else
                     "(sample * replications + replication,): sample, the design point "
                     "before crossing (without [crossed] or schedules, (run_id,))")},
        "created": (manifest or {}).get("created", started.isoformat()),
        "sessions": [*(manifest or {}).get("sessions", []),
                     {"started": started.isoformat(), "executor": description,
                      "runs_to_do": len(todo), "batch_size": batch_size,
                      "repaired": repaired}],
        "provenance": provenance(),
        "units": units(),
        "parts": parts,
        "status": "running",
    }

    def compact() -> None:
        manifest["parts"].update(store.compact())

    failed = saved = 0
    bar = None
    _STOPPING.clear()
    try:
        with _interruptible() as interrupted:
            try:  # a signal from the first write on is a stop like any other
                store.write_manifest(manifest)
                bar = _progress_bar(len(tasks), skipped, experiment.name, progress)
                capacity = getattr(execution, "capacity", None)
                in_flight = ((lambda: 2 * max(1, capacity())) if capacity is not None
                             else 2 * slots)
                for results in _as_finished(executor, pool, batches(todo, batch_size),
                                            in_flight, capacity=capacity,
                                            stop_if_signalled=interrupted.stop_if_signalled):
                    store.save_batch(results)  # finished work is kept, even as a stop comes
                    before, saved = saved, saved + len(results)
                    failed += sum(row["status"] != "ok" for row, _ in results)
                    bar.update(len(results))
                    if failed:
                        bar.set_postfix(failed=failed)
                    if saved // COMPACT_EVERY > before // COMPACT_EVERY:
                        compact()
                        store.write_manifest(manifest)
            except (KeyboardInterrupt, _Terminated) as stop:
                interrupted.code = 130 if isinstance(stop, KeyboardInterrupt) else 143
                _STOPPING.set()  # a batch running in this process stops after its run
            finally:
                interrupted.shield()  # from here on, the data is being made safe
                if bar is not None:
                    bar.close()
            if interrupted.code:
                if pool is not None:
                    pool.kill()
                compact()
                # counted on disk: the signal may have come between a save and its count
                on_disk = len(store.run_status())
                manifest["status"] = "interrupted"
                manifest["sessions"][-1].update(
                    interrupted=datetime.now(UTC).isoformat(), saved=on_disk - skipped)
                store.write_manifest(manifest)
                raise SweepInterrupted(on_disk, len(tasks), store.root, interrupted.code)
            compact()
            seconds = time.perf_counter() - clock
            manifest["sessions"][-1].update(finished=datetime.now(UTC).isoformat(),
                                            seconds=round(seconds, 3), failed=failed)
            all_failed = len(failed_before - {t.run_id for t in todo}) + failed
            manifest["status"] = ("complete" if not all_failed
                                  else f"complete, {all_failed} failed")
            store.write_manifest(manifest)
    except OSError as error:  # a full or read-only disk, a folder removed under us
        raise SpecError(f"could not write to {store.root}: {error}; {skipped + saved} of "
                        f"{len(tasks)} runs are saved: fix that and run the same command "
                        "to resume") from None
    return SweepSummary(len(tasks), skipped, len(todo), failed, all_failed, store.root,
                        description, seconds, tuple(repaired))


@contextmanager
def signals_handled(handlers: dict[int, Any]) -> Iterator[bool]:
    """``handlers`` (signal → handler) for the block, the previous ones back after it; in
    the main thread only (Python delivers signals to no other), and the block is told
    whether they were installed."""
    if threading.current_thread() is not threading.main_thread():
        yield False
        return
    previous = {s: signal.signal(s, handler) for s, handler in handlers.items()}
    try:
        yield True
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def _held_off():
    """Ctrl-C and SIGTERM wait until the block is done (in the main thread): a few file
    writes that must land together."""
    caught: list[int] = []

    def later(signum, frame):
        caught.append(signum)

    try:
        with signals_handled({signal.SIGINT: later, signal.SIGTERM: later}):
            yield
    finally:
        if caught:  # now, as it would have been then
            signal.raise_signal(caught[0])


@contextmanager
def _interruptible():
    """SIGTERM raises ``_Terminated`` and Ctrl-C ``KeyboardInterrupt`` in the main thread
    while the sweep runs; once it stops, further Ctrl-C and SIGTERM are ignored until its
    data is safe.

    Python runs a signal's handler between any two steps of the main thread, and where
    that is inside a ``__del__`` (a Dask future releasing itself as it is dropped) the
    exception it raises is swallowed: the sweep would go on as if never told. So the
    handler also records the signal, the sweep's loop asks ``stop_if_signalled()`` as it
    goes (and at least every ``STOP_CHECK_EVERY`` seconds while it waits), and the
    swallowed exception is not printed (the loop raises it again)."""
    state = _StopState()

    def stop(signum, frame):
        state.signalled = signum
        raise KeyboardInterrupt() if signum == signal.SIGINT else _Terminated()

    previous_hook = sys.unraisablehook

    def unraisable(info) -> None:  # an exception Python could only print
        if not (state.signalled and isinstance(info.exc_value, KeyboardInterrupt | _Terminated)):
            previous_hook(info)

    # Ctrl-C stops the sweep even where it was started with SIGINT ignored (a background
    # job of a script inherits that, and Python then never installs its own handler)
    with signals_handled({signal.SIGTERM: stop, signal.SIGINT: stop}) as main:
        state.main = main
        if not main:  # no handler of ours, nothing of ours to hide (the hook is the process's)
            yield state
            return
        sys.unraisablehook = unraisable
        try:
            yield state
        finally:
            sys.unraisablehook = previous_hook


class _StopState:
    """What the sweep knows of a stop: the signal received, if any, and the exit code."""

    code = 0
    signalled = 0
    main = False

    def stop_if_signalled(self) -> None:
        """Raise the stop whose handler's exception was swallowed (see ``_interruptible``)."""
        if self.signalled:
            raise KeyboardInterrupt() if self.signalled == signal.SIGINT else _Terminated()

    def shield(self) -> None:
        """Ignore Ctrl-C and SIGTERM from now on (the data is being made safe)."""
        if self.main:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _failed_row(task: RunTask, error: str) -> tuple[dict[str, Any], None]:
    row: dict[str, Any] = {
        "run_id": task.run_id, "point_id": task.point_id, "replication": task.replication,
        **task.parameters, "schedule": task.schedule, "seed_entropy": str(task.entropy),
        "seed_spawn_key": str(list(task.spawn_key)), "started_at": datetime.now(UTC),
        "worker": None, "status": "failed", "error": error, "wall_seconds": None,
        "timeseries_rows": 0,
    }
    return row, None


def _as_finished(executor: cf.Executor, pool: _Pool | None, work: list[list[RunTask]],
                 in_flight: int | Callable[[], int],
                 capacity: Callable[[], int] | None = None,
                 stop_if_signalled: Callable[[], None] = lambda: None):
    """Submit at most ``in_flight`` batches of runs at a time (a number, or a function of
    the workers present, asked again as batches finish); yield each batch's results, in
    its order, as it finishes. With ``capacity`` (a Dask cluster), say once on stderr when
    no worker is connected, and again when workers are back (the workers present are
    asked each time it wakes: a batch done, or ``STOP_CHECK_EVERY`` seconds passed).
    ``stop_if_signalled`` is called before anything is submitted and at least every
    ``STOP_CHECK_EVERY`` seconds while it waits.

    If a worker process dies (out of memory, a segfault, a kill), every run then in flight
    is a suspect: the pool is replaced and each suspect runs again alone (a batch of one);
    one that kills its worker again is recorded as failed and the sweep goes on. A batch
    the executor fails in another way (Dask gives up on it: ``KilledWorker``) has each of
    its runs run again alone, and a run it fails alone is recorded as failed.
    """
    queue = deque(work)
    suspects: list[RunTask] = []
    pending: dict[cf.Future, list[RunTask]] = {}
    waiting_alone = False
    next_worker_check = time.monotonic() + WORKER_CHECK_EVERY

    def replace() -> cf.Executor:
        if pool is None:
            raise RuntimeError("a worker died and this executor cannot be replaced")
        pool.replace()
        return pool.executor

    try:
        while True:
            stop_if_signalled()  # nothing more submitted once a stop is recorded
            if suspects and not pending:  # alone in a fresh pool: does it kill it again?
                task = suspects.pop(0)
                try:
                    retry = executor.submit(execute_batch, [task])
                    while not cf.wait([retry], timeout=STOP_CHECK_EVERY).done:
                        stop_if_signalled()
                    results = retry.result()
                except BrokenProcessPool:
                    executor = replace()
                    results = [_failed_row(task, "the worker process running this run "
                                                 "died (out of memory, a crash or a kill), "
                                                 "twice")]
                except Exception as error:  # the executor, not the model, failed it alone
                    results = [_failed_row(task, f"the executor failed this run: {error!r}")]
                yield results
                continue
            broken = False
            limit = in_flight() if callable(in_flight) else in_flight
            while not suspects and queue and len(pending) < limit:
                batch = queue.popleft()
                try:
                    pending[executor.submit(execute_batch, batch)] = batch
                except BrokenProcessPool:  # it broke while we were submitting
                    queue.appendleft(batch)
                    broken = True
                    break
            if not pending and not broken:
                return
            if not broken:
                done, _ = cf.wait(pending, timeout=min(STOP_CHECK_EVERY, WORKER_CHECK_EVERY),
                                  return_when=cf.FIRST_COMPLETED)
                stop_if_signalled()
                if capacity is not None and (done or time.monotonic() >= next_worker_check):
                    next_worker_check = time.monotonic() + WORKER_CHECK_EVERY
                    alone = capacity() == 0
                    if alone != waiting_alone:
                        print("no Dask worker is connected: the sweep waits for workers "
                              f"({sum(map(len, pending.values()))} runs queued)" if alone
                              else "Dask workers are connected again: the sweep goes on",
                              file=sys.stderr, flush=True)
                        waiting_alone = alone
                for future in done:
                    batch = pending.pop(future)
                    try:
                        results = future.result()
                    except BrokenProcessPool:
                        broken = True
                        suspects.extend(batch)
                        continue
                    except Exception as error:  # the executor, not the model, failed it
                        if len(batch) > 1:  # which run? each runs again alone (Dask's
                            suspects.extend(batch)  # KilledWorker names no run)
                            suspects.sort(key=lambda t: t.run_id)
                            continue
                        results = [_failed_row(batch[0], "the executor failed this run: "
                                                         f"{error!r}")]
                    yield results
            if broken:  # every run in flight is a suspect
                for batch in pending.values():
                    suspects.extend(batch)
                pending.clear()
                suspects.sort(key=lambda t: t.run_id)
                executor = replace()
    finally:
        for future in pending:
            future.cancel()


def _progress_bar(total: int, initial: int, name: str, enabled: bool):
    from tqdm import tqdm

    # no bar when nothing is left to do, and none in a log file (stderr not a terminal)
    show = enabled and initial < total and sys.stderr.isatty()
    return tqdm(total=total, initial=initial, desc=name, unit="run", file=sys.stderr,
                disable=not show, dynamic_ncols=True)


