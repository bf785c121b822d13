"""The result store: a directory of Parquet datasets plus ``manifest.json``.

::

    DIR/
      manifest.json            provenance: experiment, seeds, git, packages, host, executor
      runs/part-00000.parquet  one row per run: parameters, seed, status, error, timings,
                               final outcomes (``final_<output>``)
      timeseries/part-00000.parquet   one row per run per recorded step

Each finished run is written at once, atomically (a hidden temporary file, then a rename),
as ``run-000012.parquet`` in both folders: the time series first and the run row last, so
a run is finished exactly when its row exists. Every ``COMPACT_EVERY`` runs, and at the end
of a sweep, those files are merged into one ``part-*.parquet`` per folder (written
atomically before the run files are removed), so that a dataset of thousands of runs is a
handful of files. ``pandas.read_parquet(DIR / "runs")`` (or polars, DuckDB, R's arrow)
reads a table whole; hidden temporary files are ignored by all of them. After a crash in
the middle of a merge a run can appear twice; ``load_results`` keeps one copy.
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
COMPACT_EVERY = 256
"""Merge per-run files into a part file after this many runs."""
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


def _files(directory: Path) -> list[Path]:
    """Part files and per-run files of one table, parts first."""
    if not directory.is_dir():
        return []
    return sorted(directory.glob("part-*.parquet")) + sorted(directory.glob("run-*.parquet"))


def _read(directory: Path, schema: pa.Schema) -> pd.DataFrame:
    files = _files(directory)
    if not files:
        return schema.empty_table().to_pandas()
    return pa.concat_tables(pq.read_table(f, schema=schema) for f in files).to_pandas()


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

    def run_status(self) -> dict[int, str]:
        """Status of every finished run (``"ok"`` wins over a failure of the same run)."""
        files = _files(self.runs_dir)
        if not files:
            return {}
        df = pa.concat_tables(
            pq.read_table(f, columns=["run_id", "status"]) for f in files
        ).to_pandas()
        df = df.sort_values("status", key=lambda s: s != "ok", kind="stable")
        return dict(zip(*df.drop_duplicates("run_id")[["run_id", "status"]].T.values,
                        strict=True))

    def compact(self) -> None:
        """Merge the per-run files of each table into one new part file."""
        for directory, schema in ((self.timeseries_dir, timeseries_schema(self.outputs)),
                                  (self.runs_dir, runs_schema())):
            files = sorted(directory.glob("run-*.parquet"))
            if not files:
                continue
            table = pa.concat_tables(pq.read_table(f, schema=schema) for f in files)
            parts = [int(p.stem.split("-")[1]) for p in directory.glob("part-*.parquet")]
            part = directory / f"part-{max(parts, default=-1) + 1:05d}.parquet"
            write_atomically(table.combine_chunks(), part)
            for f in files:
                f.unlink()

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
    runs = _read(store.runs_dir, runs_schema())
    # one row per run: a success over a failure (a retried run), then the latest
    runs = runs.sort_values(["run_id", "started_at"], ascending=[True, False], kind="stable")
    runs = runs.sort_values("status", key=lambda s: s != "ok", kind="stable")
    runs = runs.drop_duplicates("run_id").sort_values("run_id").reset_index(drop=True)
    outputs = tuple(manifest.get("experiment", {}).get("outputs", MODEL_OUTPUTS))
    ts = _read(store.timeseries_dir, timeseries_schema(outputs))
    ts = ts[ts.run_id.isin(runs.run_id[runs.status == "ok"])]  # no row: the run was cut off
    ts = ts.drop_duplicates(["run_id", "step"]).sort_values(["run_id", "step"])
    return Results(runs, ts.reset_index(drop=True), manifest, root)


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
