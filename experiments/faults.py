"""Fault injection for the reliability tests: make chosen runs kill the worker running them.

``run_experiment(..., setup=(crash_runs, ({3, 7},)))`` installs, in each pool worker, a
version of ``execute_run`` that ends the worker process abruptly (as an out-of-memory kill
or a segfault would) when it is given one of the chosen runs. Nothing here is used by a
normal sweep.
"""

from __future__ import annotations

import os


def crash_runs(run_ids: set[int], exit_code: int = 137) -> None:
    from experiments import runner

    real = runner.execute_run

    def execute_run(task):
        if task.run_id in run_ids:
            os._exit(exit_code)
        return real(task)

    runner.execute_run = execute_run
