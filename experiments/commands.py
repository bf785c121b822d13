"""The dataset commands of ``python -m experiments``: look at datasets from the terminal.

    params                 the model's parameter table (name, type, default, allowed, meaning)
    ls [DIR]               the datasets under DIR (default results/): status and runs
    show DIR               one dataset: status, design, counts, failures, provenance
    compare DIR_A DIR_B    final outcomes design point by design point, B − A with 95 %
                           intervals (paired where the seeds match), and every setting and
                           provenance that differs; --all: every model output, not only the
                           key ones; --changed: only the lines whose interval excludes 0;
                           --outcome NAME (repeatable): only these outputs
    export DIR [--csv]       runs.csv and timeseries.csv beside the Parquet tables
    plot DIR               the default figure of any dataset (plot.png in DIR)

Each returns the lines to print; problems raise ``SpecError`` (exit 2).
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from experiments.lock import status as lock_status
from experiments.spec import SpecError
from experiments.store import FINAL_PREFIX, MANIFEST, DamagedDataset, Results, load_results
from model.params import Parameters


def _load(directory: str) -> Results:
    try:
        return load_results(directory)
    except FileNotFoundError as error:
        study = _study_folder(Path(directory))
        raise SpecError(f"{error}{'; ' + study if study else ''}") from None
    except DamagedDataset as error:
        raise SpecError(str(error)) from None


def params(markdown: bool = False) -> list[str]:
    rows = Parameters.field_table()
    if markdown:
        def cell(text: object) -> str:  # a '|' inside a cell (``int | None``) is escaped
            return str(text).replace("|", "\\|")

        lines = ["| name | type | default | allowed | meaning |", "|---|---|---|---|---|"]
        return lines + [f"| `{r['name']}` | {cell(r['type'])} | `{cell(repr(r['default']))}` | "
                        f"{cell(r['allowed'])} | {cell(r['meaning'])} |" for r in rows]
    width = max(len(r["name"]) for r in rows)
    return [f"{r['name']:{width}s}  {r['type']:11s} {r['default']!r:14s} {r['allowed']:28s} "
            f"{r['meaning']}" for r in rows]


def ls(root: str = "results") -> list[str]:
    base = Path(root)
    if not base.is_dir():
        raise SpecError(f"{root} is not a folder")
    lines = []
    for manifest in sorted(base.rglob(MANIFEST)):  # at any depth
        folder = manifest.parent
        try:
            data = json.loads(manifest.read_text())
        except (OSError, ValueError):
            lines.append(f"{folder}  (manifest damaged)")
            continue
        total = data.get("design", {}).get("runs", "?")
        sessions = data.get("sessions", [])
        last = sessions[-1].get("finished") or sessions[-1].get("started") if sessions else "?"
        missing = [part for part in data.get("parts", {}) if not (folder / part).is_file()]
        status = (f"{len(missing)} part(s) missing (run it again to repair; show says which)"
                  if missing else lock_status(folder, data.get("status", "?")))
        lines.append(f"{folder!s:40s} {data.get('experiment', {}).get('name', '?'):24s} "
                     f"{total!s:>6} runs  {status:22s} {last}")
    studies = [f"{folder!s:40s} {said}" for folder in sorted(p for p in base.rglob("*")
                                                             if p.is_dir())
               if (said := _study_folder(folder))]
    return (lines + studies) or [f"no datasets under {root}"]


def _study_folder(folder: Path) -> str:
    """What a study's folder holds, in a few words ('' for any other folder): a study
    (validation, mechanisms, channels, ...) writes a summary (the validation a report) and
    figures, not a dataset, and those that resume keep their runs in ``runs.csv`` with
    their design in ``design.json``."""
    if (folder / MANIFEST).exists():
        return ""
    written = next((folder / name for name in ("summary.md", "report.md")
                    if (folder / name).is_file()), None)
    kept = folder / "runs.csv"
    if written is None and not (folder / "design.json").is_file():
        return ""
    try:
        rows = max(0, kept.read_bytes().count(b"\n") - 1) if kept.is_file() else None
        lines = written.read_text(errors="replace").splitlines() if written else []
    except OSError:
        return ""
    title = next((line.lstrip("# ").strip() for line in lines if line.strip()), folder.name)
    runs = f", its runs in runs.csv ({rows} rows)" if rows is not None else ""
    if written is None:
        return f"a study's folder, not finished (no summary yet){runs}"
    return f"a study's folder ({title}): its results are {written.name} and the figures{runs}"


def show(directory: str) -> list[str]:
    from experiments.simulate import start_said

    res = _load(directory)
    m = res.manifest
    runs = res.runs
    ok, failed = int((runs.status == "ok").sum()), int((runs.status != "ok").sum())
    experiment = m.get("experiment", {})
    provenance = m.get("provenance", {})
    lines = [
        f"{res.root}: {experiment.get('name')}"
        + (f" — {experiment['description']}" if experiment.get("description") else ""),
        f"status: {lock_status(res.root, m.get('status'))}; runs: {ok} ok, {failed} failed, "
        f"{m.get('design', {}).get('runs', '?')} planned",
        f"design: {m.get('design', {}).get('kind')} with {m.get('design', {}).get('points')} "
        f"points × {m.get('design', {}).get('replications')} replications, "
        f"{experiment.get('steps')} steps, seed {experiment.get('seed')}",
        f"swept: {json.dumps(experiment.get('swept', {}))}",
        *([f"crossed: {json.dumps(experiment['crossed'])} (each point under each)"]
          if experiment.get("crossed") else []),
        *([f"schedules: {', '.join(experiment['schedules'])} (each point under each)"]
          if experiment.get("schedules") else []),
        f"fixed: {json.dumps(experiment.get('fixed', {}))}",
        *([f"interventions: {json.dumps(experiment['interventions'])}"]
          if experiment.get("interventions") else []),
        f"start: {start_said(experiment.get('warm_up', 0))}",
        *([f"imports (rules or constants changed by): {', '.join(experiment['imports'])}"]
          if experiment.get("imports") else []),
        *([f"changed in the process that ran it: {'; '.join(experiment['changed_in_process'])}"]
          if experiment.get("changed_in_process") else []),
        f"made by git commit {provenance.get('git_commit')} "
        f"({'with uncommitted changes' if provenance.get('git_dirty') else 'clean'}), Python "
        f"{provenance.get('python')}, Mesa {provenance.get('packages', {}).get('mesa')}, on "
        f"{provenance.get('host')}",
        f"sessions: {len(m.get('sessions', []))}, created {m.get('created')}",
    ]
    for _, run in runs[runs.status != "ok"].head(5).iterrows():
        last = str(run.error).strip().splitlines()[-1] if run.error else "?"
        lines.append(f"  failed run {run.run_id}: {last}")
    return lines


def failures(directory: str, runs: Any) -> list[str]:
    """What a sweep whose runs failed says at its end: how many, the first one's error (the
    last line of its traceback) and where to read every traceback."""
    failed = runs[runs.status != "ok"].sort_values("run_id")
    if failed.empty:
        return []
    first = failed.iloc[0]
    error = str(first.error).strip().splitlines() if isinstance(first.error, str) else []
    return [f"{len(failed)} of {len(runs)} runs failed; the first, run {first.run_id}: "
            f"{error[-1] if error else 'no error recorded'}",
            f"the failed runs: python -m experiments show {directory}; each one's traceback: "
            f"the 'error' column of experiments.load_results({directory!r}).runs; after a "
            f"fix, run again with --retry-failed"]


def compare(a: str, b: str, *, every_output: bool = False, changed_only: bool = False,
            only: list[str] | None = None) -> list[str]:
    """Two datasets side by side, design point by design point.

    Points are matched by the values of the parameters either design varies. Where both
    datasets ran a point with the same seeds (same root seed and spawn keys), B − A is
    paired replication by replication; otherwise it is a difference of means (Welch).
    Then every difference of settings and of provenance: code fingerprint, git commit and
    dirty flag, imports, Python and package versions.

    The key outcomes (``reports.KEY_OUTCOMES``), or with ``every_output`` every model
    output (``MODEL_OUTPUTS``), each with its unit; ``only``: just these outputs (any of
    ``MODEL_OUTPUTS``); with ``changed_only`` only the differences whose 95 % interval
    excludes 0 (what a changed rule moved), and a count of those left out. Each interval
    is on its own: among many outputs a few unmoved ones exclude 0 by chance."""
    from experiments.reports import KEY_OUTCOMES  # (matplotlib: imported where needed)
    from model.metrics import MODEL_OUTPUTS, OUTPUT_UNITS

    unknown = sorted(set(only or ()) - set(MODEL_OUTPUTS))
    if unknown:
        from model.params import did_you_mean

        raise SpecError(f"--outcome {did_you_mean(unknown, MODEL_OUTPUTS)}: no such model "
                        "output; allowed: "
                        f"{', '.join(MODEL_OUTPUTS)}")
    left, right = _load(a), _load(b)
    varied = sorted(_varied(left.manifest) | _varied(right.manifest))
    ra, rb = left.finished(), right.finished()
    keys_a = _point_keys(ra, varied)
    keys_b = _point_keys(rb, varied)
    common = [k for k in dict.fromkeys(keys_a) if k in set(keys_b)]
    lines = [f"A = {a}, B = {b}: final outcomes (mean over the last quarter of each run), "
             "B − A [95 % interval]"]
    if not common:
        lines.append("the datasets share no design point: pooled over every finished run "
                     "(not matched)")
        common, keys_a, keys_b = [()], [()] * len(ra), [()] * len(rb)
        varied = []
    else:
        lines.append(f"{len(common)} design point(s) in both, matched on "
                     f"{', '.join(varied) or 'nothing (one point each)'}; "
                     f"{len(set(keys_a)) - len(common)} only in A, "
                     f"{len(set(keys_b)) - len(common)} only in B")
    ra, rb = ra.assign(_key=keys_a), rb.assign(_key=keys_b)
    outcomes = ({name: KEY_OUTCOMES.get(name, name) for name in MODEL_OUTPUTS}
                if every_output or only else KEY_OUTCOMES)
    if only:
        outcomes = {name: label for name, label in outcomes.items() if name in only}
    unchanged = 0
    for name, label in outcomes.items():
        column = FINAL_PREFIX + name
        if column not in ra or column not in rb:
            continue
        rows = []
        for key in common:
            pa, pb = ra[ra._key == key], rb[rb._key == key]
            where = ", ".join(f"{n}={_plain(v)}" for n, v in zip(varied, key, strict=True))
            text, changed = _difference(pa, pb, column)
            if changed or not changed_only:
                rows.append(f"  {where or 'all runs':40s} " + text)
            unchanged += not changed
        if rows:
            unit = f" [{OUTPUT_UNITS[name][0]}]" if name in OUTPUT_UNITS else ""
            moved = (f" moved at {len(rows)} of {len(common)} point(s)" if changed_only
                     else "")
            lines += [f"{label}{unit}:{moved}", *rows]
    if changed_only:
        lines.append(f"({unchanged} outcome(s) and point(s) whose 95 % interval includes 0, "
                     "or has none, left out)")
    from experiments.runner import settings_that_differ  # every setting, as a resume does

    differ = settings_that_differ(left.manifest.get("experiment", {}),
                                  right.manifest.get("experiment", {}))
    lines.append("settings that differ (A -> B): " + ("none" if not differ
                                                      else "; ".join(differ)))
    provenance = _provenance_differences(left.manifest, right.manifest)
    lines.append("provenance that differs: " + ("none" if not provenance
                                                else "; ".join(provenance)))
    ran_a, ran_b = _executors(left.manifest), _executors(right.manifest)
    if ran_a != ran_b:
        lines.append(f"how they ran (no part of the results): {', '.join(ran_a) or '?'} vs "
                     f"{', '.join(ran_b) or '?'}")
    lines.append(_identity(ra, rb))
    return lines


def _identity(ra, rb) -> str:
    """Whether the runs A and B both ran at the same design point on the same seed gave
    the same final value of every model output, to the last bit (NaN where both are NaN)."""
    key = ["_key", "replication", "seed_entropy", "seed_spawn_key"]
    finals = sorted(set(c for c in ra if c.startswith(FINAL_PREFIX))
                    & set(c for c in rb if c.startswith(FINAL_PREFIX)))
    def keyed(runs):
        return runs[key + finals].astype({"seed_entropy": str, "seed_spawn_key": str})

    pairs = keyed(ra).merge(keyed(rb), on=key, suffixes=("_a", "_b"))
    if pairs.empty:
        return "identical runs: none to check (no run of A has a run of B at its design point "\
               "on its seed)"
    a = pairs[[column + "_a" for column in finals]].to_numpy(float)
    b = pairs[[column + "_b" for column in finals]].to_numpy(float)
    differs = ~((a == b) | (np.isnan(a) & np.isnan(b))).all(axis=1)
    if not differs.any():
        return (f"identical runs: all {len(pairs)} runs both ran at the same point on the "
                f"same seed gave the same final value of every output ({len(finals)}), to "
                "the last bit")
    return (f"identical runs: no, {int(differs.sum())} of the {len(pairs)} runs both ran at "
            "the same point on the same seed differ in at least one final output")


def _executors(manifest: dict[str, Any]) -> list[str]:
    """The executors a dataset's sessions ran on, in order, each once."""
    return list(dict.fromkeys(session.get("executor", "?")
                              for session in manifest.get("sessions", [])))


def _varied(manifest: dict[str, Any]) -> set[str]:
    from experiments.reports import varied

    return set(varied(manifest.get("experiment", {})))


def _point_keys(runs, names: list[str]) -> list[tuple]:
    if not names:
        return [()] * len(runs)
    missing = [n for n in names if n not in runs]
    if missing:
        return [("?",)] * len(runs)
    return [tuple(_rounded(v) for v in row) for row in runs[names].itertuples(index=False)]


def _rounded(value: Any) -> Any:
    return round(float(value), 9) if isinstance(value, float) else value


def _difference(pa, pb, column: str) -> tuple[str, bool]:
    """B − A of one outcome at one design point, as a line, and whether its 95 % interval
    excludes 0."""
    from experiments.mechanisms import interval
    from experiments.validation.statistics import mean_difference

    a, b = pa.set_index("replication"), pb.set_index("replication")
    shared = a.index.intersection(b.index)

    def seeds(runs):
        return (runs.seed_entropy.astype(str) + runs.seed_spawn_key.astype(str)).loc[shared]

    # paired on the replications both ran on the same seeds, when they are all that is
    # shared (a run's seed is keyed by its number in the sweep, point · replications +
    # replication: sweeps of one design and one count of replications share every seed)
    same_seeds = (len(shared) >= 2 and a.index.is_unique and b.index.is_unique
                  and seeds(a).equals(seeds(b)))
    ma, mb = a[column].mean(), b[column].mean()
    if same_seeds:
        if not len(shared) == len(a) == len(b):  # A and B over the runs that pair
            a, b = a.loc[shared], b.loc[shared]
            ma, mb = a[column].mean(), b[column].mean()
        mean, low, high = interval((b[column] - a[column]).to_numpy(float))
        how = ("paired" if len(shared) == len(pa) == len(pb) else
               f"paired on the {len(shared)} seeds both ran, A and B over them")
    else:  # a difference of means with Welch's interval, as the validation reports it
        found = mean_difference(b[column].to_numpy(float), a[column].to_numpy(float))
        mean, low, high = found.value, found.low, found.high
        how = ("unpaired: other seeds; a sweep's seeds follow its number of replications, "
               "so run both with the same --replications to pair them"
               if len(shared) >= 2 and len(pa) != len(pb) else "unpaired")
    if not np.isfinite(mean):
        return f"A {ma:.3f}  B {mb:.3f}  B − A undefined", False
    bounds = f"[{low:+.3f}, {high:+.3f}]" if np.isfinite(low) else "[no interval]"
    changed = bool(np.isfinite(low) and np.isfinite(high) and (low > 0 or high < 0))
    return (f"A {ma:.3f}  B {mb:.3f}  B − A {mean:+.3f} {bounds} ({how}, "
            f"{len(pa)}/{len(pb)} runs)"), changed


def _provenance_differences(ma: dict[str, Any], mb: dict[str, Any]) -> list[str]:
    """Every difference in how two datasets were made."""
    out = []
    if ma.get("fingerprint") != mb.get("fingerprint"):
        out.append(f"fingerprint (experiment, model code and imported code): "
                   f"{ma.get('fingerprint')} vs {mb.get('fingerprint')}")
    ia = ma.get("experiment", {}).get("imports", [])
    ib = mb.get("experiment", {}).get("imports", [])
    if ia != ib:
        out.append(f"imports: {ia or 'none'} vs {ib or 'none'}")
    pa, pb = ma.get("provenance", {}), mb.get("provenance", {})
    for key in ("git_commit", "git_dirty", "python"):
        if pa.get(key) != pb.get(key):
            out.append(f"{key}: {pa.get(key)} vs {pb.get(key)}")
    packages_a, packages_b = pa.get("packages", {}), pb.get("packages", {})
    for name in sorted(set(packages_a) | set(packages_b)):
        if packages_a.get(name) != packages_b.get(name):
            out.append(f"{name}: {packages_a.get(name)} vs {packages_b.get(name)}")
    return out


def _plain(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def export(directory: str, to: str | None = None) -> list[str]:
    """The dataset's two tables as ``runs.csv`` and ``timeseries.csv``, each written whole
    or not at all, into ``to`` (default: the dataset's folder)."""
    res = _load(directory)
    target = Path(to) if to else res.root
    written = []
    with _writing(target, "choose another --to" if to else "choose a folder with --to"):
        target.mkdir(parents=True, exist_ok=True)
        for name, table in (("runs.csv", res.runs), ("timeseries.csv", res.timeseries)):
            path, tmp = target / name, target / f".{name}.{os.getpid()}.tmp"
            try:
                table.to_csv(tmp, index=False)
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            written.append(f"{path} ({len(table)} rows)")
    return [", ".join(written)]


def plot(directory: str) -> list[str]:
    from experiments.reports import default_figure

    res = _load(directory)
    if res.finished().empty:
        raise SpecError(f"{directory}: no finished run to plot yet (resume the sweep first)")
    with _writing(res.root, "the figure goes into the dataset's folder"):
        path = default_figure(res, res.root / "plot.png")
    return [f"figure: {path}"]


@contextmanager
def _writing(target: Path, advice: str):
    """Turn a failure to write into ``target`` into one clear ``SpecError``."""
    try:
        yield
    except OSError as error:
        raise SpecError(f"cannot write into {target}: {error.strerror or error}; "
                        f"{advice}") from None


def _point_lines(experiment, tasks, shown: int = 12) -> list[str]:
    """The design points, as a dry run lists them (at most ``shown``, then how many more),
    each with the seed its runs share with the same sample point's other crossed values."""
    from experiments.designs import crossed_points

    names = experiment.factors
    if not names:
        return []
    points = crossed_points(experiment)
    from experiments.spec import SHARED_SEED_DESIGNS

    lines = [("points (every point of a replication runs on the same seeds: common random "
              "numbers):") if experiment.design in SHARED_SEED_DESIGNS else
             ("points (sample: runs of one sample share seeds across crossed values"
              + (" and schedules" if experiment.schedules else "") + "):")]
    for k, (sample, point) in enumerate(points[:shown]):
        values = ", ".join(f"{n}={_short(point[n])}" for n in names)
        lines.append(f"  point {k} (sample {sample}): {values}")
    if len(points) > shown:
        lines.append(f"  ... and {len(points) - shown} more points")
    return lines


def _short(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else repr(value)


def dry_run(experiment, out: Path, retry_failed: bool = False) -> list[str]:
    from experiments.runner import check_out, plan
    from experiments.simulate import start_said
    from experiments.spec import planned_runs
    from experiments.store import ResultStore

    tasks = plan(experiment)
    check_out(out, experiment)  # refuse exactly what the run would refuse
    lines = [f"{experiment.name}: {planned_runs(experiment)} runs "
             f"({len(tasks) // experiment.replications} design points × "
             f"{experiment.replications} replications, {experiment.steps} steps each"
             + f" {start_said(experiment.warm_up)}, {experiment.design} design)"
             f" -> {out}",
             f"swept: {', '.join(experiment.swept) or 'nothing'}; crossed: "
             f"{', '.join(experiment.crossed) or 'nothing'}; fixed: "
             f"{json.dumps(experiment.fixed)}"]
    for label, entries in experiment.schedules.items():
        said = "; ".join(f"after step {i['step']}: {json.dumps(i['set'])}" for i in entries)
        lines.append(f"schedule {label}: {said or 'no intervention'}")
    lines += _point_lines(experiment, tasks)
    manifest_path = out / MANIFEST
    if manifest_path.is_file():
        try:
            status = ResultStore(out, experiment.outputs).run_status()
        except (OSError, ValueError):
            lines.append(f"{out} exists; what it holds could not be read")
        else:
            ok = sum(s == "ok" for s in status.values())
            failed = len(status) - ok
            said = f"{out} exists: {ok} runs done would be skipped"
            if failed:
                said += (f", {failed} failed would be run again (--retry-failed)"
                         if retry_failed else
                         f", and {failed} failed too (--retry-failed runs them again)")
            lines.append(said)
    lines.append("nothing was run or written (--dry-run)")
    return lines

