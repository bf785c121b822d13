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

DEFAULT_BATCH_SIZE = 32
"""Runs a worker is sent at a time when neither the spec nor ``--batch-size`` says, and
the most runs a study runs as one organisation batch (chosen by measurement:
``benchmarks/README.md``, "The organisation batch"; at 32 the flagship runs three of its
cells, 30 runs, as one world, in 0.84 of its time at 16). Here, with nothing to import,
so that ``--help`` can say it at once."""

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


__all__ = ["DEFAULT_BATCH_SIZE", "MAX_STEPS", "Experiment", "Results", "SpecError", "load",
           "load_results", "run_experiment"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'experiments' has no attribute {name!r}")
