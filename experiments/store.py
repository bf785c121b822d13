"""The result store: a directory of Parquet datasets plus ``manifest.json``.

::

    DIR/
      manifest.json            provenance: experiment, seeds, git, packages, host, executor
      runs/run-000012.parquet  one row per run: parameters, seed, status, error, timings,
                               final outcomes (``final_<output>``)
      timeseries/run-000012.parquet   one row per run per recorded step

Each run's files are written atomically (a hidden temporary file, then a rename), the
time series first and the run row last: a run is finished exactly when its row exists.
``pandas.read_parquet(DIR / "runs")`` (or polars, DuckDB, R's arrow) reads a table whole;
hidden temporary files are ignored by all of them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import socket
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from model.metrics import MODEL_OUTPUTS
from model.params import Parameters

RUNS, TIMESERIES, MANIFEST = "runs", "timeseries", "manifest.json"
FINAL_PREFIX = "final_"
PACKAGES = ("numpy", "pandas", "mesa", "networkx", "scipy", "SALib", "pyarrow", "dask",
            "distributed", "autonomous-motivation")


def _parameter_type(f: dataclasses.Field) -> pa.DataType:
    if f.type == "bool":
        return pa.bool_()
    if f.type.startswith("int"):
        return pa.int64()
    if f.type == "float":
        return pa.float64()
    return pa.string()


def runs_schema() -> pa.Schema:
    parameter_fields = [pa.field(f.name, _parameter_type(f), nullable=True)
                        for f in dataclasses.fields(Parameters)]
    return pa.schema([
        pa.field("run_id", pa.int64(), nullable=False),
        pa.field("point_id", pa.int64(), nullable=False),
        pa.field("replication", pa.int64(), nullable=False),
        *parameter_fields,
        pa.field("seed_entropy", pa.string()),
        pa.field("seed_spawn_key", pa.string()),
        pa.field("status", pa.string()),
        pa.field("error", pa.string()),
        pa.field("started_at", pa.timestamp("ms", tz="UTC")),
        pa.field("wall_seconds", pa.float64()),
        pa.field("worker", pa.string()),
        *[pa.field(FINAL_PREFIX + name, pa.float64()) for name in MODEL_OUTPUTS],
    ])


def timeseries_schema(outputs: tuple[str, ...]) -> pa.Schema:
    return pa.schema([pa.field("run_id", pa.int64()), pa.field("step", pa.int64()),
                      *[pa.field(name, pa.float64()) for name in outputs]])


def _file(directory: Path, run_id: int) -> Path:
    return directory / f"run-{run_id:06d}.parquet"


def write_atomically(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` so that a reader sees all of it or none of it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


@dataclass
class ResultStore:
    root: Path
    outputs: tuple[str, ...] = MODEL_OUTPUTS

    @property
    def runs_dir(self) -> Path:
        return self.root / RUNS

    @property
    def timeseries_dir(self) -> Path:
        return self.root / TIMESERIES

    def prepare(self) -> None:
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.timeseries_dir.mkdir(parents=True, exist_ok=True)
        for leftover in self.root.glob("*/.*.tmp"):  # from an interrupted write
            leftover.unlink()

    def finished_runs(self) -> set[int]:
        if not self.runs_dir.is_dir():
            return set()
        return {int(p.stem.split("-")[1]) for p in self.runs_dir.glob("run-*.parquet")}

    def failed_runs(self) -> set[int]:
        if not self.finished_runs():
            return set()
        table = pq.read_table(self.runs_dir, columns=["run_id", "status"])
        df = table.to_pandas()
        return set(df.loc[df.status != "ok", "run_id"].tolist())

    def save(self, row: dict[str, Any], timeseries: pd.DataFrame | None) -> None:
        """Write one run: its time series (if any), then its row."""
        run_id = int(row["run_id"])
        if timeseries is not None:
            ts = pa.Table.from_pandas(timeseries, schema=timeseries_schema(self.outputs),
                                      preserve_index=False)
            write_atomically(ts, _file(self.timeseries_dir, run_id))
        schema = runs_schema()
        record = {name: [row.get(name)] for name in schema.names}
        write_atomically(pa.Table.from_pydict(record, schema=schema),
                         _file(self.runs_dir, run_id))

    # ---------------------------------------------------------------- manifest
    def read_manifest(self) -> dict[str, Any] | None:
        path = self.root / MANIFEST
        return json.loads(path.read_text()) if path.is_file() else None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        path = self.root / MANIFEST
        tmp = path.with_name(f".{MANIFEST}.tmp")
        tmp.write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        os.replace(tmp, path)


@dataclass
class Results:
    """A loaded dataset: ``runs`` (one row per run) and ``timeseries`` (run × step)."""

    runs: pd.DataFrame
    timeseries: pd.DataFrame
    manifest: dict[str, Any]
    root: Path

    def finished(self) -> pd.DataFrame:
        """Runs that completed without error."""
        return self.runs[self.runs.status == "ok"]

    def with_parameters(self, *names: str) -> pd.DataFrame:
        """The time series joined with the named run parameters (all swept ones by default)."""
        names = names or tuple(self.manifest.get("experiment", {}).get("swept", {}))
        return self.timeseries.merge(self.runs[["run_id", *names]], on="run_id")


def load_results(directory: str | os.PathLike) -> Results:
    """Read a result directory written by ``python -m experiments run``."""
    root = Path(directory)
    store = ResultStore(root)
    manifest = store.read_manifest()
    if manifest is None:
        raise FileNotFoundError(f"{root} has no {MANIFEST}: not a result directory")
    if store.finished_runs():
        runs = pq.read_table(store.runs_dir, schema=runs_schema()).to_pandas()
    else:
        runs = runs_schema().empty_table().to_pandas()
    runs = runs.sort_values("run_id").reset_index(drop=True)
    outputs = tuple(manifest.get("experiment", {}).get("outputs", MODEL_OUTPUTS))
    files = sorted(store.timeseries_dir.glob("run-*.parquet"))
    if files:
        ts = pq.read_table(store.timeseries_dir, schema=timeseries_schema(outputs)).to_pandas()
        ts = ts[ts.run_id.isin(runs.run_id)]  # a series whose run row is missing was cut off
        ts = ts.sort_values(["run_id", "step"]).reset_index(drop=True)
    else:
        ts = timeseries_schema(outputs).empty_table().to_pandas()
    return Results(runs, ts, manifest, root)


def provenance() -> dict[str, Any]:
    """Where and with what a dataset was made: git commit and dirty flag, packages, host."""
    here = Path(__file__).resolve().parent
    commit = dirty = None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain"], cwd=here,
                                capture_output=True, text=True, timeout=10, check=True).stdout
        dirty = bool(status.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "git_commit": commit,
        "git_dirty": dirty,
        "python": sys.version.split()[0],
        "packages": versions,
        "host": socket.gethostname(),
        "platform": platform.platform(),
    }
