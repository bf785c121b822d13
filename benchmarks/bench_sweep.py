"""Speed and memory of the sweep engine (``make bench``).

1. Throughput of a sweep of ~1 s runs on 1 and 2 workers (target: 2 workers >= 1.7x), and
   of the default organisation (100 employees, 200 steps) in runs per second, also by
   batch size (runs a worker is sent at once: 1, 8, 32); the flagship's wall time
   (``make run``'s sweep, 180 runs, 2 workers, start-up included).
2. Dask LocalCluster against the process pool on the same sweep (target: within 10 %).
3. Peak memory (RSS) of the parent process over 200 and 2,000 short runs (target: flat).
   Each is measured in a fresh child process, so one cannot inherit the other's peak.

``--quick`` runs smaller sweeps (a smoke test); ``--json FILE`` also writes the figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from experiments import run_experiment
from experiments.runner import execute_run, make_executor, plan
from experiments.spec import from_dict


def sweep(runs: int, n_employees: int, steps: int, name: str,
          record_every: int = 10) -> object:
    return from_dict({
        "name": name, "steps": steps, "replications": runs, "seed": 1,
        "record_every": record_every,
        "fixed": {"n_employees": n_employees, "policy": "distributed"},
    })


def flagship_seconds() -> float:
    """The flagship sweep from scratch into a temporary folder, as ``make run`` runs it."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "experiments", "run", "heroic_vs_distributed",
                        "--out", str(Path(tmp) / "flagship"), "--quiet", "--no-report"],
                       check=True, capture_output=True)
        return time.perf_counter() - start


def timed(experiment, **kwargs) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        summary = run_experiment(experiment, Path(tmp) / "out", progress=False, **kwargs)
        seconds = time.perf_counter() - start
    assert summary.failed == 0
    return seconds


def timed_on_started_executor(experiment, workers: int, dask: str | None,
                              batch_size: int | None = None) -> tuple[float, float]:
    """(start-up seconds, best-of-2 sweep seconds): the executor is started and warmed up
    first, so the sweep time is throughput alone."""
    start = time.perf_counter()
    with make_executor(workers, dask) as (executor, description, slots):
        warm_up = sweep(slots, n_employees=10, steps=1, name="warm-up")
        list(executor.map(execute_run, plan(warm_up)))  # every worker imported and ready
        started = time.perf_counter() - start
        sweep_seconds = min(timed(experiment, executor=(executor, description, slots),
                                  batch_size=batch_size) for _ in range(2))
    return started, sweep_seconds


def peak_rss_child(runs: int) -> float:
    """Run ``runs`` short runs in a fresh process; return its peak RSS in MiB."""
    out = subprocess.run([sys.executable, __file__, "--memory-child", str(runs)],
                         check=True, capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def _memory_child(runs: int) -> None:
    experiment = sweep(runs, n_employees=20, steps=5, name="memory")
    timed(experiment, workers=2)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        _memory_child(args.memory_child)
        return 0

    runs, steps = (6, 150) if args.quick else (16, 600)
    experiment = sweep(runs, n_employees=400, steps=steps, name="throughput")
    one_start, one = timed_on_started_executor(experiment, 1, None)
    two_start, two = timed_on_started_executor(experiment, 2, None)
    dask_start, dask = timed_on_started_executor(experiment, 2, "local")
    cold_two = timed(experiment, workers=2)
    print(f"sweep of {runs} runs of ~{one / runs:.2f} s (400 employees, {steps} steps); "
          "executor started first")
    print(f"  1 worker (in process)    {one:7.2f} s   {runs / one:6.2f} runs/s")
    print(f"  2 workers (process pool) {two:7.2f} s   {runs / two:6.2f} runs/s   "
          f"speed-up {one / two:.2f}x (target >= 1.7)")
    print(f"  2 workers (Dask local)   {dask:7.2f} s   {runs / dask:6.2f} runs/s   "
          f"{(dask / two - 1) * 100:+.1f} % vs process pool (target within 10 %)")
    print(f"  start-up: process pool {two_start:.2f} s, Dask LocalCluster {dask_start:.2f} s; "
          f"whole command with 2 workers, start-up included: {cold_two:.2f} s "
          f"(speed-up {one / cold_two:.2f}x)")

    default_runs = 8 if args.quick else 40
    default = sweep(default_runs, n_employees=100, steps=200, name="default-organisation",
                    record_every=1)
    _, d_one = timed_on_started_executor(default, 1, None)
    _, d_two = timed_on_started_executor(default, 2, None)
    print(f"default organisation, {default_runs} runs of 100 employees x 200 steps: "
          f"1 worker {default_runs / d_one:.2f} runs/s, 2 workers {default_runs / d_two:.2f} "
          f"runs/s (speed-up {d_one / d_two:.2f}x)")
    batched_runs = 16 if args.quick else 64
    batched = sweep(batched_runs, n_employees=100, steps=200, name="batched", record_every=1)
    by_size = {size: batched_runs / timed_on_started_executor(batched, 2, None, size)[1]
               for size in (1, 8, 32)}
    print(f"default organisation, {batched_runs} runs, 2 workers, by batch size: "
          + ", ".join(f"{size}: {rate:.2f} runs/s" for size, rate in by_size.items()))
    flagship = None if args.quick else flagship_seconds()
    if flagship is not None:
        print(f"flagship (make run's sweep, 180 runs, 2 workers, start-up included): "
              f"{flagship:.1f} s")

    small, large = (50, 500) if args.quick else (200, 2000)
    rss_small, rss_large = peak_rss_child(small), peak_rss_child(large)
    print(f"parent peak RSS: {small} runs {rss_small:.0f} MiB, {large} runs {rss_large:.0f} MiB "
          f"({(rss_large / rss_small - 1) * 100:+.1f} %; target: flat)")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "runs": runs, "steps": steps, "one_worker_s": one, "two_workers_s": two,
            "dask_local_s": dask, "speedup": one / two, "dask_vs_pool": dask / two - 1,
            "startup_s": {"pool": two_start, "dask": dask_start, "in_process": one_start},
            "two_workers_cold_s": cold_two,
            "default_runs_per_s": {"1": default_runs / d_one, "2": default_runs / d_two},
            "default_two_workers_runs_per_s_by_batch_size": by_size,
            "flagship_s": flagship,
            "peak_rss_mib": {str(small): rss_small, str(large): rss_large},
        }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
