"""An experiment: fixed parameters, swept parameters, a design, replications, steps, seed.

Experiments are TOML files; the named ones live in ``experiments/library/``. Example::

    name = "my_sweep"
    description = "Leader style against turbulence."
    steps = 150               # weeks per run, 1 to 100,000 (``MAX_STEPS``)
    replications = 5
    seed = 12345
    record_every = 1          # keep every step's outputs (2: every other step, ...; the
                              # outputs of steps not kept are not computed: faster,
                              # except over the last quarter, whose every step the
                              # final_ outcomes average whatever is kept)
    outputs = []              # model outputs to keep; empty: all of them
    imports = []              # modules (names or .py files) imported in every worker
                              # before its runs: a changed rule, a new policy

    warm_up = 0               # weeks run before week 0 (364: week 0 a settled organisation,
                              # the founding transient past: SETTLING_WEEKS)
    batch_size = 96           # runs a worker is sent at once (how runs travel and are
                              # stored, never what they give; --batch-size overrides)

    [fixed]                   # any model parameter
    n_employees = 100
    policy = "heroic"

    [design]
    kind = "grid"             # grid | lhs | sobol | morris
    size = 0                  # lhs: points; sobol: base sample N; morris: trajectories

    [swept]                   # grid: lists of values
    leader_autonomy_support = [0.1, 0.5, 0.9]
    turbulence = [0.2, 0.8]
    # lhs, sobol, morris: ranges or lists of choices
    # turbulence = { low = 0.0, high = 1.0 }
    # policy = ["heroic", "distributed"]

    [crossed]                 # every design point under each value, on the same seeds
    network = ["small_world", "scale_free"]

    [[interventions]]         # in every run: after step 50, these parameters change
    step = 50
    set = { contingent_rewards = 0.5 }

    # named intervention schedules, crossed with the design like [crossed] (every design
    # point under each, on the same seeds); the runs table's ``schedule`` names the one
    # a run had. A schedule's interventions come after those of [[interventions]].
    [schedules]
    none = []
    training = [{ step = 100, set = { leader_autonomy_support = 0.9 } }]
    go_distributed = [{ step = 100, set = { policy = "distributed" } }]

Every problem is found before anything runs and raised as ``SpecError`` with a message
that names the field, the value and what is allowed.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import io
import itertools
import json
import math
import re
import tokenize
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from experiments import MAX_STEPS
from model.metrics import MODEL_OUTPUTS
from model.params import INIT_ONLY, Parameters, check_names, close_match, did_you_mean

LIBRARY = Path(__file__).resolve().parent / "library"
DESIGN_KINDS = ("grid", "lhs", "sobol", "morris")
MAX_RUNS = 1_000_000
"""The most runs one experiment may plan (weeks of a laptop; split a bigger study)."""
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
"""An experiment's name: a plain folder name under ``results/``."""
RECORDING_FIELDS = ("collect_agents", "agent_every")
SCHEDULE = "schedule"
"""The factor ``[schedules]`` crosses with the design (a column of the runs table)."""
INTERVENTION_KEYS = ("step", "set")


def factors(swept: dict[str, Any], crossed: dict[str, Any],
            schedules: dict[str, Any]) -> list[str]:
    """What varies between the design points of an experiment with these tables (its own,
    or as its manifest records them): swept, crossed and (with schedules) ``schedule``, in
    the order the runs table and reports show them."""
    return list(dict.fromkeys([*swept, *crossed, *([SCHEDULE] if schedules else [])]))


class SpecError(ValueError):
    """A problem with an experiment's definition or the command line."""


@dataclass(frozen=True)
class Range:
    """A continuous (or, for integer parameters, whole-number) range to sample."""

    low: float
    high: float

    def __str__(self) -> str:  # as a spec writes it
        return f"{{ low = {self.low!r}, high = {self.high!r} }}"


SHARED_SEED_DESIGNS = ("sobol", "morris")
"""Designs whose points all run on the same seeds, replication by replication (common
random numbers): their indices compare outputs of points that differ in one or a few
parameters, and with a seed of its own each point would differ by its noise too, which the
estimators count as every parameter's influence (a parameter with no effect got a Sobol'
ST of 0.15-0.39 and a Morris μ* near half turbulence's). On shared seeds a parameter that
changes nothing gets exactly 0, and the replications average the indices' dependence on
the one noise path (common random numbers; Law 2015)."""
SHARED_SEEDING = "one per replication, shared by every point"


@dataclass(frozen=True)
class Experiment:
    name: str
    description: str = ""
    steps: int = 200
    replications: int = 5
    seed: int = 0
    record_every: int = 1
    outputs: tuple[str, ...] = MODEL_OUTPUTS
    fixed: dict[str, Any] = field(default_factory=dict)
    design: str = "grid"
    size: int = 0
    swept: dict[str, list[Any] | Range] = field(default_factory=dict)
    imports: tuple[str, ...] = ()
    crossed: dict[str, list[Any]] = field(default_factory=dict)
    interventions: tuple[dict[str, Any], ...] = ()  # {"step": k, "set": {...}}, in order
    warm_up: int = 0  # weeks run before week 0 (a settled organisation at week 0)
    schedules: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    # name -> interventions, each crossed with the design (after ``interventions``)
    batch_size: int | None = None  # runs a worker is sent at once; None: the runner's default
    changed_in_process: tuple[str, ...] = ()  # rules or constants a sweep run in one process
    # ran changed (a notebook's patch; set by ``run_experiment``, never by a spec)

    @property
    def factors(self) -> list[str]:
        """What varies between design points: swept, crossed and (with ``schedules``)
        ``schedule``, in the order the runs table and reports show them."""
        return factors(self.swept, self.crossed, self.schedules)

    def fingerprint(self) -> str:
        """Hash of everything that decides the runs' results (not how they are executed):
        the experiment, the model's code and the code of the modules it imports, so a
        dataset never mixes model versions."""
        data = dataclasses.asdict(self)
        data.pop("description")
        data.pop("batch_size")  # how runs are executed, not what they give
        for key in ("crossed", "interventions", "warm_up", "schedules", "changed_in_process"):
            if not data[key]:  # unused: as before it existed, so old datasets still resume
                data.pop(key)
        if self.crossed or self.schedules:  # its points numbered crossed values outermost
            data["point_order"] = "crossed values outermost"  # (a dataset of the old order
            # is refused, never resumed with its runs taken for other points)
        if self.design != "grid" and any(isinstance(v, Range) and _whole_parameter(k)
                                         for k, v in self.swept.items()):
            data["whole_numbers"] = "each equally often"  # (not rounded: ends half as often)
        if self.design in SHARED_SEED_DESIGNS:  # (a dataset seeded point by point is refused)
            data["seeds"] = SHARED_SEEDING
        data["model_code"] = model_code_hash()
        if self.imports:
            data["imported_code"] = imported_code_hash(self.imports)
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        if self.design in SHARED_SEED_DESIGNS:  # said, so a resume names it if it differs
            data["seeding"] = SHARED_SEEDING
        data["swept"] = {
            k: (dataclasses.asdict(v) if isinstance(v, Range) else v)
            for k, v in self.swept.items()
        }
        return data


def model_code_hash() -> str:
    """Hash of what the model's source files do (``model/**/*.py``, the app excluded; each
    file's ``code_fingerprint``): a changed rule gives another, a changed docstring or
    comment does not."""
    root = Path(__file__).resolve().parents[1] / "model"
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if path.name != "app.py":
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(code_fingerprint(path))
    return digest.hexdigest()[:16]


def code_fingerprint(path: Path) -> bytes:
    """A Python file's text without what only explains it: comments, docstrings and every
    other statement that is a string alone, trailing spaces and blank lines. Results kept
    for one version of the code stay valid for another that differs only there (a student
    who corrects a docstring keeps their sweep); any other change, a space inside a line
    included, gives another fingerprint (but for blank lines and trailing spaces inside a
    string the code uses). A file Python cannot read gives its bytes."""
    source = path.read_bytes()
    try:
        text = source.decode("utf-8")
        # lines as Python reads them: broken at \n, \r and \r\n only (str.splitlines
        # also breaks at a form feed or U+2028, which would shift every later cut)
        lines = io.StringIO(text, newline="").readlines()
        cut: list[tuple[int, int, int, int]] = []  # (line, column, end line, end column)
        with warnings.catch_warnings():  # (an invalid escape warns; never an error here)
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)):
                # (ast counts columns in UTF-8 bytes, tokenize in characters)
                column = len(lines[node.lineno - 1].encode()[:node.col_offset].decode())
                end = len(lines[node.end_lineno - 1].encode()[:node.end_col_offset].decode())
                cut.append((node.lineno, column, node.end_lineno, end))
        cut += [(*token.start, *token.end)
                for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline)
                if token.type == tokenize.COMMENT]
    except (SyntaxError, UnicodeDecodeError, tokenize.TokenError, ValueError):
        return source
    starts = list(itertools.accumulate((len(line) for line in lines), initial=0))
    kept, at = [], 0
    for line, column, end_line, end in sorted(cut):
        kept.append(text[at:starts[line - 1] + column])
        at = max(at, starts[end_line - 1] + end)
    kept.append(text[at:])
    code = io.StringIO("".join(kept), newline=None).read().split("\n")  # (\r\n, \r: \n)
    return "\n".join(line.rstrip() for line in code if line.strip()).encode()


def _module_file(name: str) -> Path | None:
    """The source file of an import entry: a ``.py`` path, or a module found by name."""
    if name.endswith(".py"):
        path = Path(name)
        return path if path.is_file() else None
    import importlib.util

    try:
        found = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return Path(found.origin) if found and found.origin and found.origin != "built-in" else None


def imported_code_hash(imports: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for name in imports:
        path = _module_file(name)
        digest.update(name.encode())
        digest.update(code_fingerprint(path) if path else b"")
    return digest.hexdigest()[:16]


def named_experiments() -> dict[str, Path]:
    return {p.stem: p for p in sorted(LIBRARY.glob("*.toml"))}


def load(name_or_file: str, also_named: tuple[str, ...] = ()) -> Experiment:
    """A named experiment or a TOML file, parsed and validated. ``also_named``: the other
    named experiments (studies with a command of their own), for the error message."""
    library = named_experiments()
    if name_or_file in library:
        path = library[name_or_file]
    else:
        path = Path(name_or_file)
        if not path.is_file():
            named = [*library, *also_named]
            raise SpecError(
                f"experiment {name_or_file!r}{close_match(name_or_file, named)} is neither a named "
                f"experiment nor a file; named experiments: {', '.join(named)}"
            )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise SpecError(f"{path}: not a UTF-8 text file ({error.reason} at byte "
                        f"{error.start})") from None
    except OSError as error:
        raise SpecError(f"{path}: cannot be read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{path}: not valid TOML: {error}") from None
    if not data:  # most likely the wrong file, or one not yet saved
        raise SpecError(f"{path}: the file is empty; an experiment file sets at least one "
                        "key (name, steps, replications, [fixed], [swept], ...: see "
                        "experiments/spec.py); to run the default organisation as it is, "
                        "say so, e.g. replications = 5")
    data.setdefault("name", path.stem)
    if isinstance(data.get("imports"), list):  # a .py file is found beside the TOML
        data["imports"] = [str(path.parent.resolve() / i)
                           if isinstance(i, str) and i.endswith(".py")
                           and not Path(i).is_absolute() else i for i in data["imports"]]
    return from_dict(data, source=str(path))


def from_dict(data: dict[str, Any], source: str = "experiment") -> Experiment:
    known = {"name", "description", "steps", "replications", "seed", "record_every",
             "outputs", "fixed", "design", "swept", "imports", "crossed", "interventions",
             "warm_up", "schedules", "batch_size"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SpecError(f"{source}: unknown key(s) {did_you_mean(unknown, known)}; "
                        f"allowed: {', '.join(sorted(known))}")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise SpecError(f"{source}: name={data.get('name', 'missing')!r} is not allowed; "
                        "allowed: a non-empty text naming the experiment (name = \"my_study\")")
    design = data.get("design", {})
    if not isinstance(design, dict):
        raise SpecError(f"{source}: [design] must be a table with 'kind' and 'size'")
    unknown = sorted(set(design) - {"kind", "size"})
    if unknown:
        raise SpecError(f"{source}: unknown key(s) in [design]: "
                        f"{did_you_mean(unknown, {'kind', 'size'})}; allowed: kind, size")
    for key in ("fixed", "swept", "crossed"):
        if not isinstance(data.get(key, {}), dict):
            raise SpecError(f"{source}: {key}={data[key]!r} is not allowed; allowed: a table "
                            f"[{key}] of parameter = value")
    name, description = data["name"], data.get("description", "")
    if not isinstance(name, str) or not NAME.fullmatch(name) or ".." in name:
        raise SpecError(f"{source}: name={name!r} is not allowed; allowed: letters, digits, "
                        "'_', '-' and '.', starting with a letter or digit (a folder name "
                        "under results/)")
    if not isinstance(description, str):
        raise SpecError(f"{source}: description={description!r} is not allowed; allowed: text")
    outputs = data.get("outputs") or list(MODEL_OUTPUTS)
    if not isinstance(outputs, list) or not all(isinstance(o, str) for o in outputs):
        raise SpecError(f"{source}: outputs={outputs!r} is not allowed; allowed: a list of "
                        "output names (empty: all)")
    if not isinstance(design.get("kind", "grid"), str):
        raise SpecError(f"{source}: design.kind={design['kind']!r} is not allowed; allowed: "
                        f"{', '.join(DESIGN_KINDS)}")
    imports = data.get("imports", [])
    if not isinstance(imports, list) or not all(isinstance(i, str) for i in imports):
        raise SpecError(f"{source}: imports={imports!r} is not allowed; allowed: a list of "
                        "module names or .py files")
    swept = {name: _swept_values(name, value, source)
             for name, value in data.get("swept", {}).items()}
    crossed = {}
    for parameter, values in data.get("crossed", {}).items():
        if not isinstance(values, list) or not values:
            raise SpecError(f"{source}: crossed.{parameter}={values!r} is not allowed; "
                            "allowed: a non-empty list of values, each run at every design "
                            "point")
        _no_repeats(values, f"crossed.{parameter}", source)
        crossed[parameter] = values
    interventions = _interventions(data.get("interventions", []), "interventions", source)
    schedules = data.get("schedules", {})
    if not isinstance(schedules, dict) or ("schedules" in data and not schedules):
        raise SpecError(f"{source}: schedules={schedules!r} is not allowed; allowed: a "
                        "table [schedules] of NAME = [{ step = K, set = { PARAM = VALUE, ... "
                        "} }, ...], at least one (NAME = [] for none)")
    for label in schedules:
        if not NAME.fullmatch(label):
            raise SpecError(f"{source}: schedules.{label!r} is not an allowed name; allowed: "
                            "letters, digits, '_', '-' and '.', starting with a letter or "
                            "digit")
    experiment = Experiment(
        name=name,
        description=description,
        steps=_whole(data.get("steps", 200), "steps", 1, source, MAX_STEPS),
        replications=_whole(data.get("replications", 5), "replications", 1, source),
        seed=_whole(data.get("seed", 0), "seed", 0, source),
        record_every=_whole(data.get("record_every", 1), "record_every", 1, source),
        imports=tuple(imports),
        outputs=tuple(outputs),
        fixed=dict(data.get("fixed", {})),
        design=str(design.get("kind", "grid")),
        size=_whole(design.get("size", 0), "design.size", 0, source),
        swept=swept,
        crossed=crossed,
        interventions=interventions,
        warm_up=_whole(data.get("warm_up", 0), "warm_up", 0, source, MAX_STEPS),
        schedules={label: _interventions(value, f"schedules.{label}", source)
                   for label, value in schedules.items()},
        batch_size=(None if data.get("batch_size") is None
                    else _whole(data["batch_size"], "batch_size", 1, source)),
    )
    validate(experiment, source)
    return experiment


def with_overrides(
    experiment: Experiment,
    *,
    replications: int | None = None,
    steps: int | None = None,
    seed: int | None = None,
    settings: list[str] = (),
    imports: list[str] = (),
    warm_up: int | None = None,
) -> Experiment:
    """The experiment with command-line overrides; ``settings`` are ``PARAM=VALUE`` strings."""
    fixed = dict(experiment.fixed)
    swept = dict(experiment.swept)
    crossed = dict(experiment.crossed)
    for setting in settings:
        name, value = parse_setting(setting)
        fixed[name] = value
        swept.pop(name, None)  # a fixed value overrides a sweep of the same parameter
        crossed.pop(name, None)
    changes: dict[str, Any] = {"fixed": fixed, "swept": swept, "crossed": crossed,
                               "imports": (*experiment.imports, *imports)}
    for key, value, low, high in (("replications", replications, 1, None),
                                  ("steps", steps, 1, MAX_STEPS), ("seed", seed, 0, None),
                                  ("warm_up", warm_up, 0, MAX_STEPS)):
        if value is not None:
            changes[key] = _whole(value, key, low, "command line", high)
    updated = dataclasses.replace(experiment, **changes)
    validate(updated, "command line")
    return updated


def parse_setting(text: str) -> tuple[str, Any]:
    """``PARAM=VALUE`` with the value read as TOML (``0.5``, ``true``, ``"x"``) or as text."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise SpecError(f"--set {text!r} is not PARAM=VALUE")
    raw = raw.strip()
    if raw in ("True", "False"):  # Python's spelling of a TOML boolean
        return name, raw == "True"
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return name, value


def validate(experiment: Experiment, source: str) -> None:
    """Every problem with the experiment, found before anything runs."""
    for name in experiment.imports:
        if name.endswith(".py") and not Path(name).is_file():
            raise SpecError(f"{source}: imports: {name!r}: no such file (looked for "
                            f"{Path(name).resolve()}; a relative path in a TOML is read from "
                            "the TOML's folder, on the command line from the current one)")
        if _module_file(name) is None:
            raise SpecError(f"{source}: imports: {name!r} is neither a .py file nor a module "
                            "that can be imported")
        import_module(name, source)
    if experiment.design not in DESIGN_KINDS:
        raise SpecError(f"{source}: design.kind={experiment.design!r} is not allowed; "
                        f"allowed: {', '.join(DESIGN_KINDS)}")
    bad_outputs = sorted(set(experiment.outputs) - set(MODEL_OUTPUTS))
    if bad_outputs:
        raise SpecError(f"{source}: unknown output(s) "
                        f"{did_you_mean(bad_outputs, MODEL_OUTPUTS)}; allowed: one of the "
                        f"{len(MODEL_OUTPUTS)} outputs (docs/ODD.md §7.9 lists them)")
    for name in RECORDING_FIELDS:
        if name in experiment.fixed or name in experiment.swept:
            raise SpecError(f"{source}: {name} is set by the runner, not by the experiment")
    overlap = sorted(set(experiment.fixed) & set(experiment.swept))
    if overlap:
        raise SpecError(f"{source}: {', '.join(overlap)} both fixed and swept; choose one")
    schedules = {f"schedules.{label}": entries
                 for label, entries in experiment.schedules.items()}
    for where, entries in {"interventions": experiment.interventions, **schedules}.items():
        for k, intervention in enumerate(entries):
            here = f"{where}[{k}]"
            if intervention["step"] >= experiment.steps:
                raise SpecError(f"{source}: {here}: an intervention at step "
                                f"{intervention['step']} never happens; allowed: a step below "
                                f"steps = {experiment.steps}")
            fixed = sorted(set(intervention["set"]) & INIT_ONLY)
            if fixed:
                raise SpecError(f"{source}: {here}: {', '.join(fixed)} cannot change while "
                                "the organisation runs; allowed: any other parameter")
            try:
                check_names(intervention["set"])
            except ValueError as error:
                raise SpecError(f"{source}: {here}: {error}") from None
    if SCHEDULE in experiment.crossed or SCHEDULE in experiment.swept:
        raise SpecError(f"{source}: {SCHEDULE} is not a parameter to sweep or cross; name "
                        "intervention schedules under [schedules], which crosses each with "
                        "the design")
    crossed_too = sorted(set(experiment.crossed) & (set(experiment.fixed)
                                                    | set(experiment.swept)))
    if crossed_too:
        raise SpecError(f"{source}: {', '.join(crossed_too)} both crossed and fixed or swept; "
                        "choose one")
    try:
        check_names({**experiment.fixed, **experiment.swept, **experiment.crossed})
        Parameters(**experiment.fixed)  # fixed values alone must be valid
    except ValueError as error:
        raise SpecError(f"{source}: {error}") from None
    for name, values in experiment.crossed.items():  # each crossed value with the fixed ones
        for value in values:
            try:
                Parameters(**{**experiment.fixed, name: value})
            except (ValueError, TypeError) as error:
                raise SpecError(f"{source}: crossed.{name}: {error}") from None
    if experiment.design == "grid":
        ranged = [k for k, v in experiment.swept.items() if isinstance(v, Range)]
        if ranged:
            raise SpecError(f"{source}: a grid needs lists of values, not ranges: "
                            f"{', '.join(ranged)}")
    else:
        if experiment.size < 1:
            raise SpecError(f"{source}: design.size={experiment.size} is not allowed for a "
                            f"{experiment.design} design; allowed: a whole number >= 1")
        if not experiment.swept:
            raise SpecError(f"{source}: a {experiment.design} design needs swept parameters")
        if experiment.design == "sobol" and experiment.size & (experiment.size - 1):
            raise SpecError(f"{source}: design.size={experiment.size} is not allowed for a "
                            "sobol design; allowed: a power of 2 (1, 2, 4, 8, ...: the Sobol' "
                            "sequence is balanced only at such sizes)")
    if experiment.design in ("sobol", "morris") and len(experiment.swept) < 2:
        raise SpecError(f"{source}: a {experiment.design} design needs at least 2 swept "
                        "parameters")
    for name, values in experiment.swept.items():
        candidates = [values.low, values.high] if isinstance(values, Range) else values
        for value in candidates:
            if isinstance(values, Range) and _whole_parameter(name):
                value = math.ceil(value) if value == values.low else math.floor(value)
            try:
                Parameters(**{**experiment.fixed, name: value})
            except ValueError as error:
                what = (f"swept.{name} {'low' if value == candidates[0] else 'high'} end"
                        if isinstance(values, Range) else f"swept.{name}")
                raise SpecError(f"{source}: {what}: {error}") from None
    departures = [experiment.fixed.get("leader_departure_step")]
    swept_departure = experiment.swept.get("leader_departure_step")
    if swept_departure is not None:
        departures += ([swept_departure.high] if isinstance(swept_departure, Range)
                       else list(swept_departure))
    departures += experiment.crossed.get("leader_departure_step", [])
    late = [d for d in departures if isinstance(d, int | float) and d > experiment.steps]
    if late:
        raise SpecError(f"{source}: leader_departure_step={max(late)!r} is after the run's "
                        f"last step (steps={experiment.steps}); allowed: at most "
                        f"{experiment.steps}")
    runs = planned_runs(experiment)
    if runs > MAX_RUNS:
        raise SpecError(f"{source}: the design makes {runs:,} runs; allowed: at most "
                        f"{MAX_RUNS:,} (fewer replications, a smaller design, or several "
                        "experiments)")


def planned_runs(experiment: Experiment) -> int:
    """How many runs the experiment makes, computed from its sizes (nothing is sampled)."""
    d = len(experiment.swept)
    if experiment.design == "grid":
        points = math.prod(len(v) for v in experiment.swept.values()) if d else 1
    elif experiment.design == "lhs":
        points = experiment.size
    elif experiment.design == "sobol":
        points = experiment.size * (d + 2)  # SALib, first-order and total indices
    else:
        points = experiment.size * (d + 1)
    crossings = math.prod(len(v) for v in experiment.crossed.values())
    return points * crossings * max(1, len(experiment.schedules)) * experiment.replications


def _interventions(value: Any, where: str, source: str) -> tuple[dict[str, Any], ...]:
    """A list of ``{step, set}`` tables (``[[interventions]]`` or a schedule), checked
    entry by entry; the parameters they set are checked by ``validate``."""
    allowed = ("allowed: a list of tables, each with step = K and set = { PARAM = VALUE, "
               "... }")
    if not isinstance(value, list):
        raise SpecError(f"{source}: {where}={value!r} is not allowed; {allowed}")
    entries = []
    for k, entry in enumerate(value):
        here = f"{where}[{k}]"
        if not isinstance(entry, dict):
            raise SpecError(f"{source}: {here}={entry!r} is not allowed; {allowed}")
        unknown = sorted(set(entry) - set(INTERVENTION_KEYS))
        if unknown:
            raise SpecError(f"{source}: {here}: unknown key(s) "
                            f"{did_you_mean(unknown, INTERVENTION_KEYS)}; allowed: step, set")
        missing = [key for key in INTERVENTION_KEYS if key not in entry]
        if missing:
            raise SpecError(f"{source}: {here}: {' and '.join(missing)} missing; {allowed}")
        if not isinstance(entry["set"], dict) or not entry["set"]:
            raise SpecError(f"{source}: {here}: set={entry['set']!r} is not allowed; "
                            "allowed: a table { PARAM = VALUE, ... } of at least one "
                            "parameter")
        entries.append({"step": _whole(entry["step"], f"{here}.step", 0, source),
                        "set": dict(entry["set"])})
    return tuple(entries)


def _whole_parameter(name: str) -> bool:
    field_type = next(f.type for f in dataclasses.fields(Parameters) if f.name == name)
    return str(field_type).startswith("int")


def _no_repeats(values: list[Any], key: str, source: str) -> None:
    """A value listed twice would be a second design point of the same settings."""
    seen: list[Any] = []
    for value in values:
        if any(type(value) is type(v) and value == v for v in seen):
            raise SpecError(f"{source}: {key} lists {value!r} twice; allowed: each value "
                            "once (more runs of a point: raise replications)")
        seen.append(value)


def _swept_values(name: str, value: Any, source: str) -> list[Any] | Range:
    if isinstance(value, list):
        if not value:
            raise SpecError(f"{source}: swept.{name} is an empty list")
        _no_repeats(value, f"swept.{name}", source)
        return value
    if isinstance(value, dict) and set(value) == {"low", "high"}:
        low, high = value["low"], value["high"]
        if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in (low, high)) \
                or low > high:
            raise SpecError(f"{source}: swept.{name}={value!r} is not a range; "
                            "allowed: { low = number, high = number } with low < high")
        if low == high:
            raise SpecError(f"{source}: swept.{name}={value!r} sweeps nothing; allowed: "
                            "low < high (one value belongs under [fixed])")
        known = {f.name: f for f in dataclasses.fields(Parameters)}.get(name)
        if known is not None and str(known.type).startswith("int") and \
                math.ceil(low) >= math.floor(high):
            held = "no whole number" if math.ceil(low) > math.floor(high) else "one whole number"
            raise SpecError(f"{source}: swept.{name}={value!r} holds {held}, and {name} is "
                            "one, so it sweeps nothing; allowed: a range with two whole "
                            "numbers or more in it (one value belongs under [fixed])")
        return Range(float(low), float(high))
    raise SpecError(f"{source}: swept.{name}={value!r} is not allowed; allowed: a list of "
                    "values, or { low = ..., high = ... } for lhs, sobol and morris designs")


def _whole(value: Any, name: str, low: int, source: str, high: int | None = None) -> int:
    if (isinstance(value, bool) or not isinstance(value, int) or value < low
            or (high is not None and value > high)):
        allowed = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise SpecError(f"{source}: {name}={value!r} is not allowed; "
                        f"allowed: a whole number {allowed}")
    return value


LOADED: set[str] = set()
"""The ``imports`` entries this process has imported (a sweep's runs check theirs are)."""


def import_module(name: str, source: str = "experiment") -> None:
    """Import an ``imports`` entry in this process (a module name or a ``.py`` file); its
    top-level code runs once (a changed rule replaces the original, a policy registers)."""
    import importlib
    import importlib.util
    import sys

    before = _rule_names()
    try:
        if not name.endswith(".py"):
            importlib.import_module(name)
            _no_new_rule_names(before, name, source)
            LOADED.add(name)
            return
        path = Path(name).resolve()
        if not path.is_file():
            raise SpecError(f"{source}: imports: {name!r}: no such file (looked for {path}; "
                            "a relative path in a TOML is read from the TOML's folder, on "
                            "the command line from the current one)")
        module_name = f"_imported_{hashlib.sha256(str(path).encode()).hexdigest()[:10]}_" \
                      f"{path.stem}"
        if module_name not in sys.modules:
            loaded = importlib.util.spec_from_file_location(module_name, path)
            module = importlib.util.module_from_spec(loaded)
            sys.modules[module_name] = module
            loaded.loader.exec_module(module)
        _no_new_rule_names(before, name, source)
        LOADED.update({name, str(path)})
    except SpecError:
        raise
    except Exception as error:  # the user's module failed: say which and why
        raise SpecError(f"{source}: imports: {name!r} failed to import: "
                        f"{type(error).__name__}: {error}") from None


def _rule_names() -> dict[Any, set[str]]:
    """Every module of ``model.rules`` (all imported) with the names it has now."""
    import importlib
    import pkgutil

    import model.rules

    modules = [importlib.import_module(f"model.rules.{info.name}")
               for info in pkgutil.iter_modules(model.rules.__path__)]
    return {module: set(vars(module)) for module in modules}


def _no_new_rule_names(before: dict[Any, set[str]], name: str, source: str) -> None:
    """Refuse an import that gave a module of ``model.rules`` a public name it did not have
    (``turnover.INTENTION_RTAE = 0.4``): no rule reads it, so the change it was meant to
    make would silently not happen. The names it added are taken away again."""
    added = [(module, attribute) for module, names in before.items()
             for attribute in sorted(set(vars(module)) - names)
             if not attribute.startswith("_")]
    if not added:
        return
    for module, attribute in added:
        delattr(module, attribute)
    module, attribute = added[0]
    short = module.__name__.rsplit(".", 1)[-1]
    raise SpecError(
        f"{source}: imports: {name!r} sets {short}.{attribute}, which model.rules.{short} "
        f"does not have{close_match(attribute, before[module])}, so no rule would read it; "
        f"allowed: a name {short} has (a constant or a rule to replace: see its module, "
        "or the table in docs/STUDENTS.md)")


def import_all(names: tuple[str, ...]) -> None:
    """In a sweep worker: import every ``imports`` entry before any run."""
    for name in names:
        import_module(name)


def import_shipped(entries: tuple[tuple[str, str | None], ...]) -> None:
    """In a sweep worker, local or on a cluster: import every ``imports`` entry, given as
    ``(name, source text)`` (None for a module imported by name, which the worker must
    have installed). A ``.py`` file this machine has, with the same text, is imported from
    where it is; otherwise the shipped text is written to this machine's temporary folder
    and imported from there, so a worker elsewhere runs exactly the sweep's code."""
    import tempfile

    for name, text in entries:
        if text is None:
            import_module(name)
            continue
        path = Path(name)
        if not (path.is_file() and path.read_text() == text):
            digest = hashlib.sha256(text.encode()).hexdigest()[:12]
            path = Path(tempfile.gettempdir()) / "am-imports" / f"{digest}_{path.name}"
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file():
                path.write_text(text)
        import_module(str(path))
        LOADED.add(name)


def shipped(imports: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    """The ``imports`` entries with what to ship to workers: a ``.py`` file's text (its
    path made absolute), nothing for a module named."""
    entries = []
    for name in imports:
        if name.endswith(".py"):
            path = Path(name).resolve()
            entries.append((str(path), path.read_text()))
        else:
            entries.append((name, None))
    return tuple(entries)
