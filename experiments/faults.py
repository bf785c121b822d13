"""Fault injection for the reliability tests: make chosen runs kill the worker running them.

``run_experiment(..., setup=(crash_runs, ({3, 7},)))`` installs, in each pool worker,
versions of ``execute_run`` and ``execute_together`` (replications run as one organisation
batch) that end the worker process abruptly (as an out-of-memory kill or a segfault would)
when given one of the chosen runs, alone or in a batch. Nothing here is used by a normal
sweep.
"""

from __future__ import annotations

import os


def crash_runs(run_ids: set[int], exit_code: int = 137) -> None:
    from experiments import runner

    real, real_together = runner.execute_run, runner.execute_together

    def execute_run(task):
        if task.run_id in run_ids:
            os._exit(exit_code)
        return real(task)

    def execute_together(tasks):
        if any(task.run_id in run_ids for task in tasks):
            os._exit(exit_code)
        return real_together(tasks)

    runner.execute_run = execute_run
    runner.execute_together = execute_together
