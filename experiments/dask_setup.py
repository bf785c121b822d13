"""What a Dask worker does before any run of a sweep (imported only when Dask is used)."""

from __future__ import annotations

from collections.abc import Callable

from distributed.diagnostics.plugin import WorkerPlugin


class WorkerSetup(WorkerPlugin):
    """Runs the sweep's worker setup (``(function, args)``: the experiment's imports, shipped
    as text, ``experiments.spec.import_shipped``) on every worker, those present when the
    sweep starts and those that join later."""

    name = "autonomous-motivation-setup"

    def __init__(self, setup: tuple[Callable[..., None], tuple]) -> None:
        self.work = setup

    def setup(self, worker) -> None:
        self.work[0](*self.work[1])
