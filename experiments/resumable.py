"""A study's runs kept as they finish, so that a study stopped part-way resumes."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import sys
from collections.abc import Callable, Hashable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.simulate import map_in_batches, same_condition
from experiments.spec import code_fingerprint, model_code_hash

EXACT: dict[str, str] = ({} if int(pd.__version__.split(".")[0]) >= 3
                         else {"float_precision": "round_trip"})
"""How kept runs are read back (``pd.read_csv(..., **EXACT)``): each number as it was
written. Before pandas 3 the default parser may miss the last bit (a file rewritten from
it, as when duplicates are dropped, would drift), so the round-trip parser is asked for;
from pandas 3 the default is exact and that argument deprecated."""


def read_exact_csv(path: Path, **kwargs: Any) -> pd.DataFrame:
    """``pd.read_csv(path, **kwargs)``, each number read back as it was written."""
    return pd.read_csv(path, **EXACT, **kwargs)


def run_resumable(out: Path, design: Any, tasks: list[tuple],
                  many: Callable[[list[tuple]], list[dict]], key: list[str],
                  workers: int | None, dask: str | None, chunk: int = 64,
                  same: Callable[[tuple], Hashable] = same_condition) -> pd.DataFrame:
    """Run the ``tasks`` not yet in ``out/runs.csv`` through the sweep runner's executor
    seam and return every run's row. A task's last element is its key (a dict with the
    columns ``key``); ``many(batch)`` runs a batch of consecutive tasks alike by ``same``
    (the replications of a condition, or conditions an organisation batch holds together)
    and returns each run's row, key included. Rows are appended a chunk at a time as they
    finish; they are kept only for the same ``design``, the same model code and the same
    study code (the module of ``many``; all recorded in ``out/design.json``), so another
    design, a changed model or a changed study starts afresh: runs of older code are
    never mixed into a study's report."""
    from experiments.runner import make_executor

    out.mkdir(parents=True, exist_ok=True)
    store, stamp = out / "runs.csv", out / "design.json"
    described = json.dumps({**asdict(design), "model_code": model_code_hash(),
                            "study_code": _study_code_hash(many)}, sort_keys=True)
    finished: set[tuple[str, ...]] = set()
    done = _readable(store, key) if stamp.exists() and stamp.read_text() == described else None
    if done is not None:
        finished = set(map(tuple, done[key].to_numpy()))
    else:
        _set_aside(out, store, stamp)
        stamp.write_text(described)
    todo = [t for t in tasks if tuple(str(t[-1][k]) for k in key) not in finished]
    if todo:
        with make_executor(workers, dask) as (executor, _, capacity):
            for start in range(0, len(todo), chunk):
                rows = pd.DataFrame(map_in_batches(executor, many, todo[start:start + chunk],
                                                   same, workers=capacity))
                rows.to_csv(store, mode="a", header=not store.exists(), index=False)
    # (once each: kept runs are read once, and not run again)
    return read_exact_csv(store)


def _readable(store: Path, key: list[str]) -> pd.DataFrame | None:
    """The runs kept in ``store``, or None where there are none or they cannot be read (a
    file cut off by a crash). A run kept twice counts once."""
    if not store.exists():
        return None
    _without_a_cut_line(store)
    try:
        done = read_exact_csv(store, dtype={k: str for k in key}, keep_default_na=False)
    except (ValueError, OSError):  # pandas' ParserError is a ValueError
        return None
    if not set(key) <= set(done.columns):
        return None
    once = done.drop_duplicates(key)
    if len(once) < len(done):  # the file as well, so that no reader of it counts one twice
        once.to_csv(store, index=False)
    return once


def _without_a_cut_line(store: Path) -> None:
    """A row cut off by a crash mid-append (the file does not end its last line) is taken
    off, so that its run is done again and the next rows start on a line of their own."""
    data = store.read_bytes()
    if not data or data.endswith(b"\n"):
        return
    store.write_bytes(data[:data.rfind(b"\n") + 1])
    print(f"note: the last row of {store} was cut off (a crash while it was written); its "
          "run is done again", file=sys.stderr)


def _set_aside(out: Path, store: Path, stamp: Path) -> None:
    """Runs of another design, model or study code (or unreadable) are not mixed into this
    study's: moved to ``out/superseded/<time>/`` with their design, and said so."""
    if not store.exists():
        return
    aside = out / "superseded" / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    aside.mkdir(parents=True)
    os.replace(store, aside / store.name)
    if stamp.exists():
        os.replace(stamp, aside / stamp.name)
    print(f"note: {store} held runs of another design, model or study code (or could not "
          f"be read); kept in {aside}, starting afresh", file=sys.stderr)


def _study_code_hash(many: Callable[..., Any]) -> str:
    """Hash of what the source file of the study that ``many`` belongs to does
    (``spec.code_fingerprint``: its docstrings and comments left out)."""
    source = inspect.getsourcefile(many)
    return hashlib.sha256(code_fingerprint(Path(source))).hexdigest()[:16] if source else ""
