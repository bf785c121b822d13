"""Speed of the organisation model, measured in one process (``make bench``).

0. Runs per second per core of the default organisation (100 employees, 200 steps, every
   step's outputs kept, the run as a sweep runs it: ``experiments.simulate.run_model``,
   build and frame included), for each policy, side by side with whole BoltzmannWealth
   runs of 100 agents x 200 steps: the speed researchers feel in a sweep (issue #29's
   yardstick); and the same runs R at a time as one organisation batch
   (``experiments.simulate.run_batch``, as the sweep runner runs replications) for
   R = 4, 16, 64 and the batch the flagship runs on this machine (``flagship_batch_size``:
   40 on 2 cores, two batches a worker of whole cells of one policy; the issue's per
   agent-step target is read there).
1. Microseconds per agent-step of the full model, for each policy, with model-level
   collection every step, side by side with Mesa's own BoltzmannWealth example at the
   same size and steps, and their ratio: 100 employees x 200 steps (the organisation
   researchers sweep; target at most 1.0, aim 0.5), 1,000 x 100 (target at most 0.5) and,
   for comparison, 4,000 x 25 (no target: a step's fixed cost shared by many employees).
2. Time per step at 1k, 4k, 16k and 64k employees (target: no faster than linear growth).
3. 100,000 employees for 10 steps, construction included (target: under a minute).

``--quick`` runs smaller sizes for a smoke test; ``--json FILE`` also writes the figures.
"""

from __future__ import annotations

import argparse
import gc
import inspect
import json
import platform
import sys
import time

import mesa
from mesa.examples import BoltzmannWealth

from model import OrganisationModel


def _timed_steps(model, steps: int) -> float:
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    return time.perf_counter() - start


def organisation_seconds(n: int, steps: int, policy: str) -> float:
    model = OrganisationModel(n_employees=n, policy=policy, rng=1)
    seconds = _timed_steps(model, steps)
    model.release()
    return seconds


def _boltzmann(n: int, seed: int):
    """Mesa's BoltzmannWealth of ``n`` agents (its constructor changed in Mesa 3.4)."""
    if "scenario" in inspect.signature(BoltzmannWealth.__init__).parameters:
        from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario

        return BoltzmannWealth(BoltzmannScenario(n=n, width=32, height=32, rng=seed))
    return BoltzmannWealth(n=n, width=32, height=32, seed=seed)


def boltzmann_seconds(n: int, steps: int) -> float:
    return _timed_steps(_boltzmann(n, 1), steps)


def side_by_side(n: int, steps: int, policies: tuple[str, ...],
                 rounds: int = 5) -> dict[str, float]:
    """µs per agent-step of Mesa's BoltzmannWealth (key ``"boltzmann"``) and of each policy,
    the best of ``rounds``. Each round times all of them one after another, so that a slow
    spell of a shared machine slows every contender, not just the one it happens to hit."""
    timings: dict[str, list[float]] = {name: [] for name in ("boltzmann", *policies)}
    for _ in range(rounds):
        timings["boltzmann"].append(boltzmann_seconds(n, steps))
        for policy in policies:
            timings[policy].append(organisation_seconds(n, steps, policy))
    return {name: min(seconds) / (n * steps) * 1e6 for name, seconds in timings.items()}


def default_runs_per_second(policies: tuple[str, ...], runs: int = 8, rounds: int = 5,
                            steps: int = 200) -> dict[str, float]:
    """Whole runs per second in this one process (one core) of the default organisation
    under each policy, and of BoltzmannWealth at the same size and steps (key
    ``"boltzmann"``): ``runs`` runs on fresh seeds a round, the best of ``rounds``, every
    contender timed in each round (a slow spell of a shared machine slows them all)."""
    import numpy as np

    from experiments.simulate import run_model

    def organisation(policy: str) -> float:
        start = time.perf_counter()
        for seed in range(runs):
            run_model({"policy": policy}, rng=np.random.SeedSequence(seed), steps=steps)
        return time.perf_counter() - start

    def boltzmann() -> float:
        start = time.perf_counter()
        for seed in range(runs):
            model = _boltzmann(100, seed)
            for _ in range(steps):
                model.step()
        return time.perf_counter() - start

    timings: dict[str, list[float]] = {name: [] for name in ("boltzmann", *policies)}
    for _ in range(rounds):
        timings["boltzmann"].append(boltzmann())
        for policy in policies:
            timings[policy].append(organisation(policy))
    return {name: runs / min(seconds) for name, seconds in timings.items()}


def batch_runs_per_second(policies: tuple[str, ...], sizes: tuple[int, ...],
                          rounds: int = 3, steps: int = 200) -> dict[tuple[str, int], float]:
    """Whole runs per second in one process of the default organisation under each policy,
    ``R`` runs at a time as one organisation batch (``run_batch``), for each ``R`` in
    ``sizes``: the best of ``rounds``, the policies timed in turn within each round."""
    import numpy as np

    from experiments.simulate import run_batch

    timings: dict[tuple[str, int], list[float]] = {
        (policy, size): [] for policy in policies for size in sizes}
    for _ in range(rounds):
        for size in sizes:
            for policy in policies:
                seeds = [np.random.SeedSequence(seed) for seed in range(size)]
                start = time.perf_counter()
                run_batch({"policy": policy}, rngs=seeds, steps=steps)
                timings[policy, size].append(time.perf_counter() - start)
    return {key: key[1] / min(seconds) for key, seconds in timings.items()}


def flagship_batch_size() -> int:
    """How many runs the flagship (``make run``: ``heroic_vs_distributed`` on every core)
    puts in one organisation batch on this machine, as the sweep runner chooses it: the
    default batch for its organisations, no bigger than keeps every worker busy and saves
    as it goes (``runner.busy_batch_size``), and within one policy (``runner.batches``)."""
    import os

    from experiments import runner, spec

    experiment = spec.load("heroic_vs_distributed")
    tasks = runner.plan(experiment)
    size = runner.busy_batch_size(runner.chosen_batch_size(experiment, None, tasks),
                                  len(tasks), os.cpu_count() or 1)
    return max(len(batch) for batch in runner.batches(tasks, size))


def scaling(sizes: list[int], steps: int = 10) -> list[dict[str, float]]:
    rows = []
    for n in sizes:
        gc.collect()
        start = time.perf_counter()
        model = OrganisationModel(n_employees=n, policy="distributed", rng=1)
        build = time.perf_counter() - start
        model.step()  # warm-up
        seconds = _timed_steps(model, steps)
        rows.append({"employees": n, "build_s": build, "ms_per_step": seconds / steps * 1e3,
                     "us_per_agent_step": seconds / steps / n * 1e6})
        model.release()
        del model
    return rows


def fixed_and_per_employee(small: dict, large: dict) -> tuple[float, float]:
    """(ms, µs) of the line through two sizes' time per step: what a step costs whatever
    the size, and what each employee adds."""
    per_step = [r["us_per_agent_step"] * r["employees"] for r in (small, large)]  # µs
    per_employee = (per_step[1] - per_step[0]) / (large["employees"] - small["employees"])
    return (per_step[0] - per_employee * small["employees"]) / 1e3, per_employee


def hundred_thousand(steps: int = 10, n: int = 100_000) -> dict[str, float]:
    gc.collect()
    start = time.perf_counter()
    model = OrganisationModel(n_employees=n, policy="distributed", rng=1)
    build = time.perf_counter() - start
    run = _timed_steps(model, steps)
    model.release()
    return {"employees": n, "steps": steps, "build_s": build, "run_s": run,
            "total_s": build + run}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)

    steps = 20 if args.quick else 100
    sizes = [1000, 4000] if args.quick else [1000, 4000, 16000, 64000]
    print(f"Python {platform.python_version()}, Mesa {mesa.__version__}, {platform.machine()}")

    policies = ("heroic", "distributed", "fostering")
    rates = default_runs_per_second(policies, runs=2 if args.quick else 8,
                                    rounds=2 if args.quick else 5)
    print("\nthe default organisation, 100 employees x 200 steps, whole runs as a sweep runs "
          "them (best of rounds, side by side, one core)")
    print(f"  {'Mesa BoltzmannWealth':24s} {rates['boltzmann']:8.2f} runs/s")
    for policy in policies:
        print(f"  {policy:24s} {rates[policy]:8.2f} runs/s "
              f"({rates[policy] / rates['boltzmann']:.2f} of BoltzmannWealth's)")
    flagship = flagship_batch_size()
    batch_sizes = (4, 16) if args.quick else tuple(sorted({4, 16, 64, flagship}))
    batched = batch_runs_per_second(policies, batch_sizes, rounds=1 if args.quick else 3)
    print("\nthe same runs R at a time as one organisation batch: runs/s per core (times "
          f"R = 1), and per agent-step against BoltzmannWealth's (the flagship's batch on "
          f"this machine: R = {flagship})")
    print(f"  {'':24s} " + "  ".join(f"{'R = ' + str(r):>22s}" for r in batch_sizes))
    for policy in policies:
        cells = [f"{batched[policy, r]:6.2f} ({batched[policy, r] / rates[policy]:4.2f}x, "
                 f"{rates['boltzmann'] / batched[policy, r]:4.2f})" for r in batch_sizes]
        print(f"  {policy:24s} " + "  ".join(f"{c:>22s}" for c in cells))

    compared = []
    targets = {100: "target <= 1.0, aim 0.5", 1000: "target <= 0.5", 4000: "no target"}
    for n, n_steps, rounds in ((100, 40 if args.quick else 200, 5), (1000, steps, 5),
                               (4000, 5 if args.quick else 25, 3)):
        us = side_by_side(n, n_steps, policies, rounds)
        theirs = us["boltzmann"]
        print(f"\n{n} agents x {n_steps} steps (best of {rounds} rounds, side by side; "
              f"{targets[n]})")
        print(f"  {'Mesa BoltzmannWealth':24s} {theirs:8.3f} us per agent-step")
        for policy in policies:
            ours = us[policy]
            compared.append({"employees": n, "steps": n_steps, "policy": policy,
                             "us_per_agent_step": ours,
                             "boltzmann_us_per_agent_step": theirs, "ratio": ours / theirs})
            print(f"  {policy:24s} {ours:8.3f} us per agent-step, ratio {ours / theirs:6.2f}")

    print("\nper step, the line through the two sizes: a fixed cost (the array calls a step "
          "makes) and a cost per employee")
    for policy in policies:
        small, large = (next(r for r in compared
                             if r["policy"] == policy and r["employees"] == n)
                        for n in (100, 1000))
        fixed, per_employee = fixed_and_per_employee(small, large)
        print(f"  {policy:24s} {fixed:6.2f} ms fixed + {per_employee:5.2f} us per employee")

    rows = scaling(sizes)
    print("\nscaling, distributed policy, 10 steps after one warm-up step")
    print(f"  {'employees':>10} {'build s':>9} {'ms/step':>9} {'us/agent-step':>14}")
    for r in rows:
        print(f"  {r['employees']:>10} {r['build_s']:9.2f} {r['ms_per_step']:9.1f} "
              f"{r['us_per_agent_step']:14.3f}")

    big = hundred_thousand(n=10_000 if args.quick else 100_000)
    print(f"\n{big['employees']} employees, {big['steps']} steps: build {big['build_s']:.1f} s "
          f"+ run {big['run_s']:.1f} s = {big['total_s']:.1f} s (target < 60 s)")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"python": platform.python_version(), "mesa": mesa.__version__,
                       "runs_per_second": rates,
                       "flagship_batch_size": flagship,
                       "batched_runs_per_second": {f"{p} R={r}": v
                                                   for (p, r), v in batched.items()},
                       "side_by_side": compared, "scaling": rows,
                       "hundred_thousand": big},
                      f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
