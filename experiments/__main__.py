"""``python -m experiments``: run experiments and look at their datasets.

    python -m experiments list
    python -m experiments run NAME_OR_FILE [--out DIR] [--replications R] [--steps S]
        [--workers W] [--dask local|ADDRESS] [--batch-size B] [--seed N]
        [--set PARAM=VALUE ...] [--dry-run]
    python -m experiments params [--markdown]
    python -m experiments ls [DIR]
    python -m experiments show DIR
    python -m experiments compare DIR_A DIR_B [--all] [--changed] [--outcome NAME ...]
    python -m experiments export DIR [--csv] [--to DIR]
    python -m experiments plot DIR

Exit codes: 0 all runs succeeded, 1 some runs failed (recorded in the dataset),
2 bad input or an unusable output folder (nothing was run or written; or, for a disk
that fills up during a sweep, what was finished is saved), 130 interrupted by Ctrl-C and
143 by SIGTERM (what was finished is saved: run the same command to resume), 141 when
the reader of its output stopped early (``| head``).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import sys
import threading
from pathlib import Path

from experiments import DEFAULT_BATCH_SIZE, EMPLOYEES_PER_BATCH, start_worker_server
from model import cli


def _import_the_rest() -> None:
    """The modules a command needs, imported once the command line is read, so that
    ``--help`` answers at once (pandas, scipy, matplotlib and the model take a second).
    The reports (matplotlib) are imported while a sweep runs (``_ReportsImport``)."""
    global commands, spec, SweepInterrupted, run_experiment, SpecError, load_results
    global DamagedDataset, chosen_batch_size, check_workers
    from experiments import commands, spec
    from experiments.runner import (
        SweepInterrupted,
        check_workers,
        chosen_batch_size,
        run_experiment,
    )
    from experiments.spec import SpecError
    from experiments.store import DamagedDataset, load_results


def _workers_apart(args) -> bool:
    """Whether a sweep's runs go to local worker processes of their own (a process pool,
    counted as the runner counts workers), not to this process or to Dask."""
    return (args.workers or os.cpu_count() or 1) > 1 and not args.dask


class _ReportsImport:
    """The reports (matplotlib, about half a second) imported in the background while a
    sweep's worker processes run, so that the sweep does not wait for them; ``module()``
    waits for the import and gives the module, or raises what the import raised."""

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._load, name="import-reports", daemon=True)
        self.thread.start()

    def _load(self) -> None:
        try:
            importlib.import_module("experiments.reports")
        except BaseException as error:  # raised again, in the main thread, by module()
            self.error = error

    def module(self):
        self.thread.join()
        if self.error is not None:
            raise self.error
        from experiments import reports

        return reports


def _parser() -> argparse.ArgumentParser:
    parser = cli.OneLineParser(prog="python -m experiments",
                                     description="Parameter sweeps of the organisation model.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="name the experiments, one line each")
    run = commands.add_parser("run", help="run a named experiment or a TOML file")
    run.add_argument("experiment", help="a name from 'list', or a TOML file")
    run.add_argument("--out", help="result directory (default: results/NAME)")
    run.add_argument("--replications", type=cli.whole_number, help="replications per design point")
    run.add_argument("--steps", type=cli.whole_number, help="steps per run")
    run.add_argument("--warm-up", dest="warm_up", type=cli.whole_number, metavar="WEEKS",
                     help="weeks each organisation runs before week 0 (default: the spec's; "
                          "a study's: 364, its founding transient past)")
    run.add_argument("--workers", type=cli.whole_number,
                     help="parallel workers (default: all cores)")
    run.add_argument("--dask", metavar="local|ADDRESS",
                     help="run on Dask: 'local' starts a LocalCluster; tcp://host:port joins "
                          "a running scheduler")
    run.add_argument("--batch-size", type=cli.whole_number, metavar="B",
                     help="runs a worker is sent at once (default: the spec's, else "
                          f"{DEFAULT_BATCH_SIZE}, or fewer to keep a batch to "
                          f"{EMPLOYEES_PER_BATCH:,} employees); never changes a result")
    run.add_argument("--seed", type=cli.whole_number, help="root seed of the sweep")
    run.add_argument("--set", dest="settings", action="append", default=[],
                     metavar="PARAM=VALUE", help="fix a model parameter (repeatable)")
    run.add_argument("--import", dest="imports", action="append", default=[],
                     metavar="MODULE_OR_FILE", help="import a module (a changed rule, a new "
                     "policy) in every worker before its runs (repeatable)")
    run.add_argument("--retry-failed", action="store_true",
                     help="run again the runs recorded as failed")
    run.add_argument("--no-report", action="store_true", help="skip figures and summary")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument("--quick", action="store_true",
                     help="a study's quick size, for a first look (channels, robustness)")
    run.add_argument("--dry-run", action="store_true",
                     help="say how many runs it would make, and where; run nothing")
    table = commands.add_parser("params", help="the model's parameters: type, default, "
                                "allowed values, meaning")
    table.add_argument("--markdown", action="store_true", help="as a Markdown table")
    listing = commands.add_parser("ls", help="the datasets under a folder (default results/)")
    listing.add_argument("root", nargs="?", default="results")
    show = commands.add_parser("show", help="one dataset: status, design, counts, failures, "
                               "provenance")
    show.add_argument("dataset")
    compare = commands.add_parser("compare", help="two datasets' final outcomes side by side, "
                                  "and the settings that differ")
    compare.add_argument("a")
    compare.add_argument("b")
    compare.add_argument("--all", action="store_true", dest="every_output",
                         help="every model output, not only the key outcomes")
    compare.add_argument("--changed", action="store_true", dest="changed_only",
                         help="only the differences whose 95 %% interval excludes 0")
    compare.add_argument("--outcome", action="append", dest="only", metavar="NAME",
                         help="only this model output, by its name in the dataset "
                         "(tasks_completed, mean_exhaustion, ...; repeat for more)")
    export = commands.add_parser("export", help="write a dataset's tables as CSV")
    export.add_argument("dataset")
    export.add_argument("--csv", action="store_true",
                        help="CSV files (the only format, so also without it)")
    export.add_argument("--to", help="folder for the CSV files (default: the dataset's)")
    plot = commands.add_parser("plot", help="draw a dataset's default figure (plot.png)")
    plot.add_argument("dataset")
    return parser


STOPPED_MESSAGE = ("interrupted: every run finished so far is saved; run the same command to "
                   "resume (a command that writes nothing has nothing to lose)")


def main(argv: list[str] | None = None) -> int:
    """The command line; Ctrl-C at any moment ends it with one line and exit 130 (a sweep's
    own interruption says how many runs it saved)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print(STOPPED_MESSAGE, file=sys.stderr)
        return 130


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if (args.command == "run" and _workers_apart(args)
            and not getattr(args, "dry_run", False)):
        start_worker_server()  # its workers import the model while we import the rest
    _import_the_rest()
    if args.command == "list":
        for name, path in spec.named_experiments().items():
            print(f"{name:24s} {spec.load(str(path)).description}")
        for name, (description, _) in STUDIES.items():
            print(f"{name:24s} {description}")
        return 0
    if args.command != "run":
        return _dataset_command(args)
    if args.experiment in STUDIES:
        return STUDIES[args.experiment][1](args)
    if args.quick:
        print("error: --quick is for the studies channels and robustness; a sweep's size is "
              "its spec's (--replications, --steps)", file=sys.stderr)
        return 2
    loading: _ReportsImport | None = None
    stopping = False
    try:
        for name in args.imports:  # first: a policy they register may be named in the spec
            if not name.endswith(".py") or Path(name).is_file():
                spec.import_module(name, "--import")
        loaded = spec.load(args.experiment, also_named=tuple(STUDIES))
        experiment = spec.with_overrides(
            loaded, replications=args.replications, steps=args.steps,
            seed=args.seed, settings=args.settings, imports=args.imports,
            warm_up=args.warm_up,
        )
        varied = {**loaded.swept, **loaded.crossed}
        replaced = sorted(set(varied) - set(experiment.swept) - set(experiment.crossed))
        if replaced:
            from experiments import designs

            before, after = len(designs.points(loaded)), len(designs.points(experiment))
        for name in replaced:
            values = varied[name] if isinstance(varied[name], spec.Range) else \
                ", ".join(map(repr, varied[name]))
            print(f"note: --set {name}={experiment.fixed[name]!r} replaces the sweep over "
                  f"{name} ({values}): the design has {after} points "
                  f"{'instead of ' + str(before) if after != before else '(as many)'}",
                  file=sys.stderr)
        if (args.workers and args.dask in (None, "local")
                and args.workers > (os.cpu_count() or 1)):
            print(f"note: --workers {args.workers} is more than this machine's "
                  f"{os.cpu_count()} cores: the workers take turns on them (no faster, and "
                  "the runs are cut into smaller batches to keep each busy)", file=sys.stderr)
        out = Path(args.out or Path("results") / experiment.name)
        chosen_batch_size(experiment, args.batch_size)  # refused in a dry run as in a run
        check_workers(args.workers)
        if args.dry_run:
            for line in commands.dry_run(experiment, out, retry_failed=args.retry_failed):
                print(line)
            return 0
        if not args.no_report and _workers_apart(args):
            loading = _ReportsImport()
        summary = run_experiment(experiment, out, workers=args.workers, dask=args.dask,
                                 retry_failed=args.retry_failed, progress=not args.quiet,
                                 batch_size=args.batch_size)
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except SweepInterrupted as stop:
        print(stop, file=sys.stderr)
        return stop.code
    except KeyboardInterrupt:
        stopping = True  # (before the sweep had taken Ctrl-C over, or as it gave it back)
        raise
    finally:  # nothing half-imported left behind at exit (within reason: a daemon thread,
        if loading is not None:  # waited for at most a while when stopping on Ctrl-C)
            loading.thread.join(timeout=10.0 if stopping else None)
    for problem in summary.repaired:
        print(f"repaired: {problem} (its runs were done again)", file=sys.stderr)
    results = None
    if not args.no_report:
        try:
            reports = loading.module() if loading else importlib.import_module(
                "experiments.reports")
        except ImportError as error:
            print(f"no report: {error}; the dataset is complete (draw its figure with "
                  f"python -m experiments plot {out})", file=sys.stderr)
        else:
            try:
                results = load_results(out)
            except DamagedDataset as error:  # found after the sweep: say it, no traceback
                print(f"error: {error}", file=sys.stderr)
                return 2
            for line in reports.report(results, experiment):
                print(line)
    print(summary.line)
    if summary.failed_total:
        try:  # the report's reading of the dataset, or a quick one
            runs = (results if results is not None else load_results(out, verify=False)).runs
        except (DamagedDataset, OSError, ValueError):
            return 1  # the count above says it; what failed is not readable here
        for line in commands.failures(str(out), runs):
            print(line, file=sys.stderr)
    return 1 if summary.failed_total else 0


def _dataset_command(args) -> int:
    try:
        if args.command == "params":
            lines = commands.params(markdown=args.markdown)
        elif args.command == "ls":
            lines = commands.ls(args.root)
        elif args.command == "show":
            lines = commands.show(args.dataset)
        elif args.command == "compare":
            lines = commands.compare(args.a, args.b, every_output=args.every_output,
                                     changed_only=args.changed_only, only=args.only)
        elif args.command == "export":
            lines = commands.export(args.dataset, args.to)
        else:
            lines = commands.plot(args.dataset)
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 0


def _study_arguments(args, study: str, replications: str, least_replications: int) -> str | None:
    """The problem with a study's command line (validation, mechanisms, fostering), or None."""
    refused = [option for option, given in (
        ("--set", args.settings), ("--import", args.imports),
        ("--retry-failed", args.retry_failed), ("--batch-size", args.batch_size is not None),
        ("--no-report", args.no_report)) if given]  # (a study's report is what it makes)
    if study == "fostering_transition" and args.warm_up is not None:
        refused.append("--warm-up")  # (it follows the hand-over from the founding)
    if refused:
        quick = ", --quick" if study in ("channels", "robustness") else ""
        warm = ", --warm-up" if study != "fostering_transition" else ""
        return (f"{study} does not take {', '.join(refused)}; it takes --out, --replications "
                f"({replications}), --steps{warm}, --workers, --dask, --seed{quick} and "
                "--dry-run")
    for name, value, least in (("replications", args.replications, least_replications),
                               ("steps", args.steps, 1), ("workers", args.workers, 1),
                               ("warm-up", args.warm_up, 0)):
        if value is not None and value < least:
            return f"--{name}={value} is not allowed; allowed: a whole number >= {least}"
    return None


def _print_study(run, out: Path | None = None) -> int:
    """Run a study (holding ``out``'s lock, where given, as a sweep holds its folder's) and
    print what it says; a bad argument or a folder in use is one message and exit 2."""
    import signal

    from experiments.lock import DirectoryLock, LockHeld
    from experiments.runner import signals_handled

    created = out is not None and not out.exists()
    try:
        if out is None:
            lines = run()
        else:
            from experiments.runner import _writable_out

            _writable_out(out)
            out.mkdir(parents=True, exist_ok=True)
            with DirectoryLock(out), signals_handled({signal.SIGTERM: _exit_143}):
                lines = run()
    except (SpecError, LockHeld) as error:
        if created:  # a folder made for a study that never ran: nothing left behind
            (out / "design.json").unlink(missing_ok=True)
            if out.is_dir() and not any(out.iterdir()):
                out.rmdir()
        print(f"error: {error}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 0


def _exit_143(signum, frame):
    """SIGTERM ends a study as Ctrl-C does, through its ``with`` blocks (its folder's lock
    released), with exit code 143."""
    raise SystemExit(143)


def _study_out(args, name: str, published: bool) -> Path:
    """Where a study writes: ``--out``; else its published folder, ``results/NAME``, at
    the study's own size, and ``results/NAME-custom`` (``-quick``) at another, so a
    first look or a smaller run never writes over the results the README quotes."""
    if args.out:
        return Path(args.out)
    if published:
        return Path(f"results/{name}")
    out = Path(f"results/{name}-{'quick' if getattr(args, 'quick', False) else 'custom'}")
    print(f"(not {name}'s published size or seed: {out} is its folder, leaving "
          f"results/{name} as it is; --out chooses the folder)", file=sys.stderr)
    return out


def _validation(args) -> int:
    from experiments import validation

    problem = _study_arguments(args, "validation", "runs per condition", 1)
    if not problem and args.quick:
        problem = "validation has no --quick size; allowed: channels, robustness"
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    defaults = validation.Design()
    design = validation.Design(
        employees=defaults.employees, steps=args.steps or defaults.steps,
        seeds=args.replications or defaults.seeds,
        seed=defaults.seed if args.seed is None else args.seed,
        warm_up=defaults.warm_up if args.warm_up is None else args.warm_up,
    )
    out = _study_out(args, "validation", design == defaults)
    if args.dry_run:
        field_runs = (design.field_points * design.field_point_seeds
                      * len(validation.checks.FIELD_POLICIES))
        return _print_study(lambda: _study_dry_run(
            out, f"validation: every check of the pattern list, {design.seeds} runs per "
            f"condition of {design.steps} steps after a warm-up of {design.warm_up} weeks at the "
            "defaults and under "
            f"{len(validation.ROBUSTNESS)} variants, the world checks on "
            f"{design.world_seeds} runs per cell of {design.world_steps} steps (the checks "
            "decide which conditions run), and the field figures at "
            f"{design.field_points} points of the robustness study's hypercube, "
            f"{design.field_point_seeds} runs a point and policy "
            f"({field_runs} runs)"))
    return _print_study(lambda: validation.run(out, design, workers=args.workers,
                                               dask=args.dask), out)


def _mechanisms(args) -> int:
    from experiments import mechanisms

    return _seeded_study(args, mechanisms, "mechanisms", "seeds per cell", least_steps=1)


def _fostering(args) -> int:
    from experiments import fostering

    return _seeded_study(args, fostering, "fostering_transition", "seeds per condition",
                         least_steps=12, why="three windows")


def _channels(args) -> int:
    from experiments import channels

    return _seeded_study(args, channels, "channels", "seeds per cell", least_steps=4,
                         why="a last quarter to average")


def _robustness(args) -> int:
    from experiments import robustness

    return _seeded_study(args, robustness, "robustness", "seeds per variant", least_steps=4,
                         why="a last quarter to average")


def _seeded_study(args, study, name: str, replications: str, least_steps: int,
                  why: str = "") -> int:
    """A study with a ``Design(replications, steps, seed)`` and a ``run(out, design,
    workers, dask)``: its command line checked, then run into ``results/NAME``."""
    problem = _study_arguments(args, name, replications, 2)
    defaults = study.Design()
    if getattr(args, "quick", False):
        if not hasattr(study, "QUICK"):
            problem = problem or f"{name} has no --quick size; allowed: channels, robustness"
        else:
            defaults = study.QUICK
    steps = args.steps or defaults.steps
    if not problem and steps < least_steps:
        problem = (f"--steps={steps} is not allowed; allowed: a whole number >= {least_steps}"
                   + (f" ({why})" if why else ""))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    design = dataclasses.replace(
        defaults, replications=args.replications or defaults.replications, steps=steps,
        seed=defaults.seed if args.seed is None else args.seed,
        **({"warm_up": args.warm_up} if args.warm_up is not None else {}),
    )
    out = _study_out(args, name, design == study.Design())
    if args.dry_run:
        from experiments.simulate import SETTLING_WEEKS, start_said

        runs = len(study.plan(design))
        return _print_study(lambda: _study_dry_run(
            out, f"{name}: {runs:,} runs of {design.steps} steps"
            + (f" {start_said(design.warm_up, f'--warm-up {SETTLING_WEEKS}')}"
               if hasattr(design, "warm_up") else "")
            + f" ({design.replications} {replications}, seed {design.seed})"))
    return _print_study(lambda: study.run(out, design, workers=args.workers, dask=args.dask),
                        out)


def _study_dry_run(out: Path, what: str) -> list[str]:
    """What a study would do, refusing an --out it could not write; nothing is run."""
    from experiments.runner import _writable_out

    _writable_out(out)
    return [f"{what} -> {out}", "nothing was run or written (--dry-run)"]


STUDIES = {
    "validation": ("Every pattern of docs/PATTERNS.md on fresh seeds, at the defaults and under "
                   "eight variants: a report of which hold.", _validation),
    "mechanisms": ("Each leadership mechanism switched off in turn, at four settings: which "
                   "one carries the heroic-distributed difference.", _mechanisms),
    "fostering_transition": ("Fostering independence over time against heroic and "
                             "distributed, and with each of its three steps taken away.",
                             _fostering),
    "channels": ("Each channel by which turbulence or complexity acts frozen in turn: which "
                 "one carries the environment's interaction with leadership.", _channels),
    "robustness": ("Each headline contrast under named variants and over a Latin hypercube "
                   "of the uncertain constants: where its sign holds.", _robustness),
}
"""The named experiments that are studies with a command of their own, not TOML sweeps:
(description, command)."""


INTERRUPTED = (130, 143)
"""Exit codes of a sweep stopped by Ctrl-C or SIGTERM. By then its finished runs are saved,
its manifest says so and its lock is released, so its exit is bounded (``cli.EXIT_GRACE``):
the interpreter's shutdown joins the process pool's threads and workers, and an interrupted
sweep on a loaded machine was seen to print its message and then hang there (CI, 3.11 and
3.12). Its workers end themselves within a second of it (``runner._worker_init``)."""


if __name__ == "__main__":
    cli.run(main, bounded_exit=INTERRUPTED)
