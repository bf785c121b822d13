"""The result store: a directory of Parquet datasets plus ``manifest.json``.

::

    DIR/
      manifest.json            provenance: experiment, seeds, git, packages, host, executor;
                               and each part file's rows, runs and SHA-256
      runs/part-00000.parquet  one row per run: parameters, seed, status, error, timings,
                               final outcomes (``final_<output>``)
      timeseries/part-00000.parquet   one row per run per recorded step

What is guaranteed, and how:

- **A run is saved whole or not at all.** Each finished batch of runs (``batch_size``;
  one run, or consecutive runs a worker ran together) is written at once, atomically (a
  hidden temporary file, then a rename), as ``run-000012.parquet`` (run 12 alone) or
  ``run-000012-000018.parquet`` (runs 12 to 18) in both folders: the time series first
  and the rows last, so a run is finished exactly when its row exists. Its row records
  how many time-series rows it has.
- **No raw reader ever sees a run twice.** Every ``COMPACT_EVERY`` runs, and at the end of
  a sweep, the run files are merged into one ``part-*.parquet`` per folder by a journalled
  merge: the merged parts are written hidden, a journal (``.merge.json``) names them and
  the run files they replace, the run files are removed, the parts are renamed into view,
  the journal is removed. A crash at any point leaves each run in at most one visible
  file; the next command (and ``load_results``) completes or reads through the merge.
  ``pandas.read_parquet(DIR / "runs")``, polars, DuckDB and R's arrow ignore hidden files.
- **Damage is caught.** Every file is written with Parquet page checksums, and each
  part's SHA-256, rows and runs are in the manifest. Resuming and ``load_results`` check
  them; a part that is missing, changed or unreadable, or a run whose time series is
  incomplete, is reported by name, and resuming redoes its runs (the damaged file is
  moved to ``DIR/damaged/``), never counting them as done.
"""

from __future__ import annotations

import dataclasses
import hashlib
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
import pyarrow.compute as pc
import pyarrow.parquet as pq

from model.metrics import MODEL_OUTPUTS, OUTPUT_UNITS
from model.params import Parameters

RUNS, TIMESERIES, MANIFEST = "runs", "timeseries", "manifest.json"
JOURNAL = ".merge.json"
DAMAGED = "damaged"
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
        pa.field("schedule", pa.string(), metadata={
            "definition": "the run's intervention schedule, named under [schedules] (null: "
                          "the experiment names none)"}),
        pa.field("seed_entropy", pa.string()),
        pa.field("seed_spawn_key", pa.string()),
        pa.field("status", pa.string()),
        pa.field("error", pa.string()),
        pa.field("started_at", pa.timestamp("ms", tz="UTC")),
        pa.field("wall_seconds", pa.float64()),
        pa.field("worker", pa.string()),
        pa.field("timeseries_rows", pa.int64()),
        *[pa.field(FINAL_PREFIX + name, pa.float64(), metadata=_described(name, final=True))
          for name in MODEL_OUTPUTS],
    ])


def timeseries_schema(outputs: tuple[str, ...]) -> pa.Schema:
    return pa.schema([pa.field("run_id", pa.int64()),
                      pa.field("step", pa.int64(), metadata={
                          "unit": "week", "definition": "step of the run; 0 is the "
                          "organisation as founded, before any week"}),
                      *[pa.field(name, pa.float64(), metadata=_described(name))
                        for name in outputs]])


FINAL_DEFINITION = ("mean over the last quarter of the run's steps (at least one; step 0 "
                    "never included) of: ")
"""What every ``final_*`` column is (``experiments.simulate.final_rows``)."""


def _described(name: str, final: bool = False) -> dict[str, str]:
    """A column's unit and definition, from the model's one table (``OUTPUT_UNITS``)."""
    unit, definition = OUTPUT_UNITS[name]
    return {"unit": unit, "definition": (FINAL_DEFINITION if final else "") + definition}


def units() -> dict[str, Any]:
    """What the manifest says about units: a step, the final window, every output."""
    return {"step": "one working week", "final": FINAL_DEFINITION.rstrip(": "),
            "outputs": {name: {"unit": unit, "definition": definition}
                        for name, (unit, definition) in OUTPUT_UNITS.items()}}


def _file(directory: Path, first: int, last: int | None = None) -> Path:
    """The file of run ``first`` alone, or of the consecutive runs ``first`` to ``last``."""
    if last is None or last == first:
        return directory / f"run-{first:06d}.parquet"
    return directory / f"run-{first:06d}-{last:06d}.parquet"


def _files(directory: Path) -> list[Path]:
    """Part files and per-run files of one table, parts first."""
    if not directory.is_dir():
        return []
    return sorted(directory.glob("part-*.parquet")) + sorted(directory.glob("run-*.parquet"))


class DamagedDataset(ValueError):
    """Data in a result directory is missing or damaged; the message names what."""


def _read_file(path: Path, schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    return pq.read_table(path, schema=schema, columns=columns, page_checksum_verification=True)


def write_atomically(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` (with page checksums) so that a reader sees all of it or
    none of it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, write_page_checksum=True)
    os.replace(tmp, path)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
        self.finish_merge()
        self.drop_unfinished()

    def drop_unfinished(self) -> None:
        """Remove the time series of a batch whose rows were never written (a signal
        between the two writes of ``save_batch``): its runs are unfinished and are done
        again, and no merge may take the series in without them."""
        for series in self.timeseries_dir.glob("run-*.parquet"):
            if not (self.runs_dir / series.name).is_file():
                series.unlink()

    def schema_of(self, directory: Path) -> pa.Schema:
        return runs_schema() if directory == self.runs_dir else timeseries_schema(self.outputs)

    # ---------------------------------------------------------------- what is on disk
    def visible_files(self, directory: Path) -> list[Path]:
        """The files of one table a reader should read, parts first: during an interrupted
        merge, its hidden merged part instead of the run files it replaces."""
        files = _files(directory)
        journal = self._journal()
        if journal is None:
            return files
        table = directory.name
        replaced = set(journal["files"].get(table, []))
        files = [f for f in files if f.name not in replaced]
        if table not in journal["pending"]:
            return files
        pending = directory / journal["pending"][table]
        return [*files, pending] if pending.is_file() else files

    def read_table(self, directory: Path, columns: list[str] | None = None) -> pa.Table:
        schema = self.schema_of(directory)
        files = self.visible_files(directory)
        if not files:
            table = schema.empty_table()
            return table.select(columns) if columns else table
        return pa.concat_tables(_read_file(f, schema, columns) for f in files)

    def run_records(self) -> pd.DataFrame:
        """Every row of the runs table, its ``run_id`` and ``status``."""
        return self.read_table(self.runs_dir, ["run_id", "status"]).to_pandas()

    def run_status(self, records: pd.DataFrame | None = None) -> dict[int, str]:
        """Status of every finished run (``"ok"`` wins over a failure of the same run), from
        ``records`` (``run_records``) where given, read from disk otherwise."""
        df = self.run_records() if records is None else records
        if df.empty:
            return {}
        df = df.sort_values("status", key=lambda s: s != "ok", kind="stable")
        return dict(zip(*df.drop_duplicates("run_id")[["run_id", "status"]].T.values,
                        strict=True))

    # ---------------------------------------------------------------- merging
    def _journal(self) -> dict[str, Any] | None:
        path = self.root / JOURNAL
        if not path.is_file():
            return None
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None  # written atomically: a journal is whole or absent

    def compact(self) -> dict[str, dict[str, Any]]:
        """Merge the per-run files of each table into one new part file (journalled: see
        the module docstring). Returns the new parts' manifest entries by relative path."""
        self.finish_merge()
        self.drop_unfinished()
        files = {d.name: sorted(d.glob("run-*.parquet"))
                 for d in (self.timeseries_dir, self.runs_dir)}
        if not any(files.values()):
            return {}
        numbers = [int(p.stem.split("-")[1]) for d in (self.runs_dir, self.timeseries_dir)
                   for p in d.glob("part-*.parquet")]
        part = f"part-{max(numbers, default=-1) + 1:05d}.parquet"
        entries, pending = {}, {}
        for directory in (self.timeseries_dir, self.runs_dir):
            if not files[directory.name]:
                continue
            schema = self.schema_of(directory)
            table = pa.concat_tables(_read_file(f, schema) for f in files[directory.name])
            pending[directory.name] = f".{part}.pending"
            write_atomically(table.combine_chunks(), directory / pending[directory.name])
            run_ids = sorted(set(table.column("run_id").to_pylist()))
            entries[f"{directory.name}/{part}"] = {
                "sha256": sha256(directory / pending[directory.name]),
                "rows": table.num_rows, "runs": _ranges(run_ids)}
        journal = {"pending": pending, "final": part,
                   "files": {name: [f.name for f in fs] for name, fs in files.items()}}
        tmp = self.root / f"{JOURNAL}.tmp"
        tmp.write_text(json.dumps(journal))
        os.replace(tmp, self.root / JOURNAL)
        self.finish_merge()
        return entries

    def finish_merge(self) -> None:
        """Complete an interrupted merge: remove the run files it replaced, bring its parts
        into view, remove the journal. Safe to repeat at any point."""
        journal = self._journal()
        if journal is None:
            (self.root / JOURNAL).unlink(missing_ok=True)
            return
        for name, names in journal["files"].items():
            for file in names:
                (self.root / name / file).unlink(missing_ok=True)
        for name, hidden in journal["pending"].items():
            src = self.root / name / hidden
            if src.is_file():
                os.replace(src, self.root / name / journal["final"])
        (self.root / JOURNAL).unlink()

    # ---------------------------------------------------------------- integrity
    def check(self, parts: dict[str, dict[str, Any]]) -> tuple[list[str], set[int]]:
        """What is missing or damaged: messages naming each file or run, and the runs that
        must be redone. ``parts`` are the manifest's entries."""
        problems: list[str] = []
        redo: set[int] = set()
        for relative, entry in sorted(parts.items()):
            path = self.root / relative
            runs = _unranges(entry.get("runs", []))
            if not path.is_file():
                problems.append(f"{relative} is missing ({len(runs)} runs)")
                redo |= runs
            elif sha256(path) != entry.get("sha256"):
                problems.append(f"{relative} is damaged: its content changed ({len(runs)} runs)")
                redo |= runs
        known = set(parts)
        for directory in (self.runs_dir, self.timeseries_dir):
            for path in self.visible_files(directory):
                relative = f"{directory.name}/{path.name}"
                if path.name.startswith("part-") and relative in known:
                    continue
                try:
                    _read_file(path, self.schema_of(directory))  # every page checked
                except (OSError, pa.ArrowException) as error:
                    problems.append(f"{relative} is damaged: {error}")
                    redo |= self._runs_named_by(path)
        redo_rows, messages = self._incomplete_series(skip=redo)  # each run's series is whole
        return problems + messages, redo | redo_rows

    def adopt(self, parts: dict[str, dict[str, Any]]) -> None:
        """Add to ``parts`` the readable part files the manifest does not list yet (a merge
        that finished just before a crash)."""
        for directory in (self.runs_dir, self.timeseries_dir):
            for path in sorted(directory.glob("part-*.parquet")):
                relative = f"{directory.name}/{path.name}"
                if relative in parts:
                    continue
                try:
                    table = _read_file(path, self.schema_of(directory))
                except (OSError, pa.ArrowException):
                    continue  # check() reports it
                parts[relative] = {
                    "sha256": sha256(path), "rows": table.num_rows,
                    "runs": _ranges(sorted(set(table.column("run_id").to_pylist())))}

    def _runs_named_by(self, path: Path) -> set[int]:
        if path.name.startswith("run-"):
            first, *last = (int(number) for number in path.stem.split("-")[1:])
            return set(range(first, (last[0] if last else first) + 1))
        return set()

    def _incomplete_series(self, skip: set[int]) -> tuple[set[int], list[str]]:
        try:
            runs = self.read_table(self.runs_dir, ["run_id", "status", "timeseries_rows"])
            series = self.read_table(self.timeseries_dir, ["run_id"])
        except (OSError, pa.ArrowException):
            return set(), []
        runs = runs.to_pandas()
        runs = runs[(runs.status == "ok") & ~runs.run_id.isin(skip)].drop_duplicates("run_id")
        runs = runs[runs.timeseries_rows.notna()]  # older datasets did not record it
        counts = series.to_pandas().run_id.value_counts()
        have = runs.run_id.map(counts).fillna(0).astype(int)
        short = runs[have.to_numpy() != runs.timeseries_rows.to_numpy()]
        if short.empty:
            return set(), []
        ids = sorted(int(r) for r in short.run_id)
        return set(ids), [f"the time series of {len(ids)} run(s) does not have the rows its "
                          "run recorded: "
                          f"{', '.join(map(str, ids[:10]))}{' …' if len(ids) > 10 else ''}"]

    def quarantine(self, parts: dict[str, dict[str, Any]], redo: set[int]) -> None:
        """Move what holds the runs to redo out of view (into ``DIR/damaged/``), so that they
        are run again: every part naming one of them, and their run files."""
        damaged = self.root / DAMAGED
        for relative, entry in list(parts.items()):
            if _unranges(entry.get("runs", [])) & redo:
                self._move_aside(self.root / relative, damaged)
                del parts[relative]
        for directory in (self.runs_dir, self.timeseries_dir):
            for path in _files(directory):
                if path.name.startswith("run-") and self._runs_named_by(path) & redo:
                    self._move_aside(path, damaged)
                elif path.name.startswith("part-") and f"{directory.name}/{path.name}" \
                        not in parts:
                    try:
                        ids = set(_read_file(path, self.schema_of(directory), ["run_id"])
                                  .column("run_id").to_pylist())
                    except (OSError, pa.ArrowException):
                        ids = redo
                    if ids & redo:
                        self._move_aside(path, damaged)

    def superseded_failures(self, records: pd.DataFrame | None = None) -> set[int]:
        """Runs recorded both as failed and as ok (a failure retried before retries took
        the failed record out): their failed rows are superseded. From ``records``
        (``run_records``) where given."""
        table = self.run_records() if records is None else records
        ok = table.status == "ok"
        return set(table.run_id[ok]) & set(table.run_id[~ok])

    def forget(self, parts: dict[str, dict[str, Any]], run_ids: set[int]) -> None:
        """Take the failed rows of ``run_ids`` out of the runs table's parts (the record of
        failures about to be run again, or superseded by a success), so that no reader sees
        a run twice; a failed run has no time series. The parts' manifest entries
        (``parts``) follow: write the manifest at once after, with signals held off (each
        part is replaced atomically, but until the manifest says so, a resume takes the
        part for damaged)."""
        if not run_ids:
            return
        parts.update(self.compact())  # every run's rows in a part, none in a run file
        wanted = pa.array(sorted(run_ids), pa.int64())
        for relative, entry in list(parts.items()):
            if not relative.startswith(f"{RUNS}/") or not (
                    _unranges(entry.get("runs", [])) & run_ids):
                continue
            path = self.root / relative
            table = _read_file(path, self.schema_of(path.parent))
            kept = table.filter(pc.invert(pc.and_(
                pc.is_in(table.column("run_id"), wanted),
                pc.not_equal(table.column("status"), "ok"))))
            if kept.num_rows == table.num_rows:
                continue
            if kept.num_rows == 0:
                path.unlink()
                del parts[relative]
                continue
            write_atomically(kept, path)
            parts[relative] = {"sha256": sha256(path), "rows": kept.num_rows,
                               "runs": _ranges(sorted(set(kept.column("run_id").to_pylist())))}

    @staticmethod
    def _move_aside(path: Path, damaged: Path) -> None:
        if path.is_file():
            damaged.mkdir(exist_ok=True)
            os.replace(path, damaged / f"{path.parent.name}-{path.name}")

    def save_batch(self, results: list[tuple[dict[str, Any], pd.DataFrame | None]]) -> None:
        """Write the results of consecutive runs (``run_id`` rising by one), each ``(row,
        time series or None)``: their time series in one file, then their rows in one."""
        ids = [int(row["run_id"]) for row, _ in results]
        if ids != list(range(ids[0], ids[0] + len(ids))):
            raise ValueError(f"a batch is saved as consecutive runs, not {ids}")
        first, last = ids[0], ids[-1]
        series = [ts for _, ts in results if ts is not None]
        if series:
            schema = timeseries_schema(self.outputs)
            write_atomically(pa.Table.from_pandas(pd.concat(series, ignore_index=True),
                                                  schema=schema, preserve_index=False),
                             _file(self.timeseries_dir, first, last))
        schema = runs_schema()
        record = {name: [row.get(name) for row, _ in results] for name in schema.names}
        write_atomically(pa.Table.from_pydict(record, schema=schema),
                         _file(self.runs_dir, first, last))

    # ---------------------------------------------------------------- manifest
    def read_manifest(self) -> dict[str, Any] | None:
        path = self.root / MANIFEST
        if not path.is_file():
            return None
        try:
            manifest = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise DamagedDataset(f"{path} is damaged ({error}); the runs themselves may be "
                                 "intact: move the folder aside and rerun into a new one"
                                 ) from None
        if not isinstance(manifest, dict):
            raise DamagedDataset(f"{path} is damaged (not a JSON object)")
        return manifest

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        path = self.root / MANIFEST
        tmp = path.with_name(f".{MANIFEST}.tmp")
        tmp.write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        os.replace(tmp, path)


def _ranges(ids: list[int]) -> list[list[int]]:
    """Sorted run ids as ``[first, last]`` ranges."""
    out: list[list[int]] = []
    for i in ids:
        if out and i == out[-1][1] + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


def _unranges(ranges: list[list[int]]) -> set[int]:
    return {i for first, last in ranges for i in range(first, last + 1)}


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

    @property
    def factors(self) -> list[str]:
        """What varies between the design points: the swept parameters, the crossed ones
        (``[crossed]``, e.g. the policy) and, with ``[schedules]``, ``schedule``."""
        from experiments.spec import factors

        experiment = self.manifest.get("experiment", {})
        return [name for name in factors(experiment.get("swept", {}),
                                         experiment.get("crossed", {}),
                                         experiment.get("schedules", {}))
                if name in self.runs]

    def with_parameters(self, *names: str) -> pd.DataFrame:
        """The time series joined with the named run parameters (by default every factor,
        ``factors``: swept, crossed and the schedule), so that grouping by them never
        pools runs of different settings."""
        names = names or tuple(self.factors)
        missing = [name for name in names if name not in self.runs]
        if missing:
            from model.params import close_match

            have = [c for c in self.runs if c != "run_id"]
            raise KeyError(f"no run parameter {', '.join(map(repr, missing))}"
                           f"{close_match(missing[0], have)} in this dataset; its columns: "
                           f"{', '.join(have)}")
        return self.timeseries.merge(self.runs[["run_id", *names]], on="run_id")


def load_results(directory: str | os.PathLike, verify: bool = True) -> Results:
    """Read a result directory written by ``python -m experiments run``.

    With ``verify`` (the default), checks every part against the manifest, every page
    checksum and every run's time-series row count first, and raises ``DamagedDataset``
    naming what is missing or damaged (rerun the command that made it to repair it).
    """
    root = Path(directory)
    store = ResultStore(root)
    manifest = store.read_manifest()
    if manifest is None:
        raise FileNotFoundError(f"{root} has no {MANIFEST}: not a result directory")
    outputs = tuple(manifest.get("experiment", {}).get("outputs", MODEL_OUTPUTS))
    store.outputs = outputs
    if verify:
        problems, _ = store.check(manifest.get("parts", {}))
        if problems:
            raise DamagedDataset(f"{root}: " + "; ".join(problems)
                                 + ". Run the same command again to redo those runs.")
    try:
        runs = store.read_table(store.runs_dir).to_pandas()
        ts = store.read_table(store.timeseries_dir).to_pandas()
    except (OSError, pa.ArrowException) as error:
        raise DamagedDataset(f"{root}: {error}") from None
    # one row per run: a success over a failure (a retried run), then the latest
    runs = runs.sort_values(["run_id", "started_at"], ascending=[True, False], kind="stable")
    runs = runs.sort_values("status", key=lambda s: s != "ok", kind="stable")
    runs = runs.drop_duplicates("run_id").sort_values("run_id").reset_index(drop=True)
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
