"""``python -m model``: the default organisation under each leadership policy, side by side.

Runs each policy on the same seed and prints the mean of the main outputs over the last
quarter of the run (the final outcomes of ``experiments.simulate.run_model``, the same as
a sweep's). ``python -m model --help`` for options; ``--policies`` takes every registered
policy.
"""

from __future__ import annotations

import sys

import pandas as pd

from model import cli
from model.policies import policy_names

SUMMARY = {
    "tasks_completed": "tasks completed / step",
    "tasks_failed": "tasks failed / step",
    "backlog": "backlog (open tasks)",
    "mean_task_latency": "task latency (steps)",
    "mean_quality": "work quality",
    "sat_autonomy": "autonomy satisfaction",
    "sat_competence": "competence satisfaction",
    "sat_relatedness": "relatedness satisfaction",
    "frus_autonomy": "autonomy frustration",
    "autonomous_motivation": "autonomous motivation",
    "controlled_motivation": "controlled motivation",
    "rai": "relative autonomy index",
    "mean_vitality": "vitality",
    "mean_exhaustion": "exhaustion",
    "burnout_share": "share burnt out",
    "leaders_active": "people who led lately",
    "leadership_centralization": "leadership centralisation",
    "exits": "exits / step",
}


def compare(policies: list[str], steps: int, seed: int, warm_up: int = 0,
            **params) -> pd.DataFrame:
    """Mean of each summary output over the last quarter of ``steps`` (run after
    ``warm_up`` weeks), one column a policy."""
    from experiments.simulate import run_model

    columns = {}
    for policy in policies:
        final = run_model({"policy": policy, **params}, rng=seed, steps=steps,
                          record_every=None, warm_up=warm_up).final
        columns[policy] = pd.Series({name: final[name] for name in SUMMARY})
    table = pd.DataFrame(columns)
    table.index = [SUMMARY[k] for k in table.index]
    return table


def main(argv: list[str] | None = None) -> int:
    from experiments.simulate import SETTLING_WEEKS, final_rows, start_said
    from experiments.spec import SpecError, import_module

    # a changed rule or a new policy is imported first: a policy it registers is a choice
    first = cli.OneLineParser(prog="python -m model", add_help=False)
    first.add_argument("--import", dest="imports", action="append", default=[])
    try:
        for name in first.parse_known_args(argv)[0].imports:
            import_module(name, "--import")
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    parser = cli.OneLineParser(
        prog="python -m model",
        description="The default organisation under each leadership policy, side by side, on "
        "the same seed: the mean of the main outputs over the last quarter of the run.")
    parser.add_argument("--policies", nargs="+", default=policy_names(),
                        choices=policy_names(), help="default: every registered policy")
    parser.add_argument("--steps", type=cli.whole_number, default=200)
    parser.add_argument("--seed", type=cli.whole_number, default=1)
    parser.add_argument("--warm-up", type=cli.whole_number, default=0, metavar="WEEKS",
                        help="weeks run before the steps compared (default 0: from the "
                        "founding, its transient included; the studies warm up "
                        f"{SETTLING_WEEKS})")
    parser.add_argument("--employees", type=cli.whole_number, help="default: 100")
    parser.add_argument("--turbulence", type=cli.number, help="default: 0.3")
    parser.add_argument("--set", dest="settings", action="append", default=[],
                        metavar="PARAM=VALUE",
                        help="any model parameter, for every policy (repeat for more; "
                        "python -m experiments params lists them)")
    parser.add_argument("--import", dest="imports", action="append", default=[],
                        metavar="MODULE_OR_FILE", help="import a module first (a changed "
                        "rule or constant, a new policy), as a sweep's --import does "
                        "(repeatable)")
    args = parser.parse_args(argv)
    from experiments import MAX_STEPS

    for option, value, least, most in (("steps", args.steps, 1, MAX_STEPS),
                                       ("seed", args.seed, 0, None),
                                       ("warm-up", args.warm_up, 0, MAX_STEPS)):
        if value < least or (most is not None and value > most):
            allowed = f">= {least}" if most is None else f"in [{least}, {most}]"
            print(f"error: --{option}={value} is not allowed; allowed: a whole number "
                  f"{allowed}", file=sys.stderr)
            return 2
    from experiments.spec import parse_setting

    try:
        settings = dict(parse_setting(text) for text in args.settings)
        if "policy" in settings:  # each column is a policy: --set would relabel one run
            raise SpecError(f"--set policy={settings['policy']} is not allowed here; "
                            "allowed: --policies NAME [NAME ...] to choose the columns")
        flags = {"n_employees": ("--employees", args.employees, 100),
                 "turbulence": ("--turbulence", args.turbulence, 0.3)}
        for name, (flag, value, _) in flags.items():
            if value is not None and name in settings:  # which one would it be?
                raise SpecError(f"{flag} {value} and --set {name}={settings[name]} are both "
                                f"given; allowed: one of them")
        params = {name: value if value is not None else default
                  for name, (_, value, default) in flags.items()}
        params.update(settings)
        table = compare(args.policies, args.steps, args.seed, args.warm_up, **params)
    except (ValueError, SpecError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    window = final_rows(args.steps)
    changed = "".join(f", {name}={value}" for name, value in settings.items()
                      if name not in ("n_employees", "turbulence"))
    changed += "".join(f", with {name}" for name in args.imports)
    start = start_said(args.warm_up, f"--warm-up {SETTLING_WEEKS}")
    print(f"{params['n_employees']} employees, turbulence {params['turbulence']}{changed}, "
          f"{_steps(args.steps)} {start}, seed {args.seed}; mean over the last "
          f"{_steps(window) if window > 1 else 'step'}\n")
    print(table.round(3).to_string())
    return 0


def _steps(k: int) -> str:
    return f"{k} step{'s' if k != 1 else ''}"


if __name__ == "__main__":
    cli.run(main)
