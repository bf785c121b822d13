"""Reproducible, resumable parameter sweeps of the organisation model into Parquet datasets.

>>> from experiments import load_results
>>> res = load_results("results/heroic_vs_distributed")
>>> res.runs       # one row per run: parameters, seed, status, timings, final outcomes
>>> res.timeseries # one row per run per recorded step
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from experiments.runner import run_experiment
    from experiments.spec import Experiment, SpecError, load
    from experiments.store import Results, load_results

_WHERE = {"run_experiment": "experiments.runner", "Experiment": "experiments.spec",
          "SpecError": "experiments.spec", "load": "experiments.spec",
          "Results": "experiments.store", "load_results": "experiments.store"}
"""Where each name lives: imported on first use, so that ``python -m experiments --help``
needs none of pandas, scipy or matplotlib."""

DEFAULT_BATCH_SIZE = 96
"""Runs a worker is sent at a time when neither the spec nor ``--batch-size`` says (at
most ``EMPLOYEES_PER_BATCH`` employees in all: ``default_batch_size``), and the most runs a
study runs as one organisation batch. Chosen by measurement (``benchmarks/README.md``,
"The batch size"): the default organisation runs 7–13 % more runs a second per core at 64
than at 32 and 2–4 % more at 96, and no more at 128; at 96 the flagship runs each policy's
whole grid, 90 runs, as one world. Here, with nothing to import, so that ``--help`` can
say it at once."""

EMPLOYEES_PER_BATCH = 9_600
"""The most employees the default batch puts in one world: a batch pays by sharing each
step's fixed cost among more employees, and from about 4,000 employees in one world the
cost per employee no longer falls (``benchmarks/README.md``, "Core model"), while a bigger
batch loses more work to an interrupt (a batch's runs are kept only when it ends)."""


def default_batch_size(n_employees: int) -> int:
    """The default batch for organisations of ``n_employees``: ``DEFAULT_BATCH_SIZE`` runs,
    or as many as make ``EMPLOYEES_PER_BATCH`` employees if that is fewer (at least one)."""
    return max(1, min(DEFAULT_BATCH_SIZE, EMPLOYEES_PER_BATCH // max(1, n_employees)))

MAX_STEPS = 100_000
"""The most weeks a run may have (steps, and warm-up weeks), about 1,900 years: a run
far longer is a typing slip, refused with a message before anything runs, not a sweep
that fills the machine's memory."""

WORKER_PRELOAD = ["experiments.runner"]
"""What a local process pool's fork server imports once, for every worker it forks."""


def start_worker_server() -> None:
    """Start the fork server that a local process pool (``experiments.runner``) forks its
    workers from, so that it imports the model (``WORKER_PRELOAD``) while this process
    goes on importing the rest: a sweep's workers are ready sooner."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        import signal
        import threading
        from multiprocessing import forkserver

        multiprocessing.get_context("forkserver").set_forkserver_preload(WORKER_PRELOAD)
        # started with Ctrl-C ignored, which it keeps: it protects itself from Ctrl-C only
        # after its imports, and one meant for the sweep must not end them in a traceback
        here = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if here else None
        try:
            forkserver.ensure_running()
        finally:
            if here:
                signal.signal(signal.SIGINT, previous)


__all__ = ["DEFAULT_BATCH_SIZE", "EMPLOYEES_PER_BATCH", "MAX_STEPS", "Experiment", "Results",
           "SpecError", "default_batch_size", "load", "load_results", "run_experiment"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'experiments' has no attribute {name!r}")
