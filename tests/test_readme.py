"""The README's Python examples run as written."""

import re
from pathlib import Path

from experiments.__main__ import main as experiments_main
from model.policies import policy_names

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_examples_run(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)  # the dataset example reads results/ here
    assert experiments_main(["run", "heroic_vs_distributed", "--steps", "4",
                             "--replications", "1", "--workers", "1", "--quiet",
                             "--out", "results/heroic_vs_distributed"]) == 0
    namespace: dict = {}
    ran = 0
    for block in blocks:
        if "dask_jobqueue" in block:  # needs a SLURM cluster
            continue
        exec(compile(block, str(README), "exec"), namespace)
        ran += 1
    assert ran >= 3
    assert "only_the_energised" in policy_names()
    assert len(namespace["res"].runs) == 18


def _shell_commands(prefix: str) -> list[list[str]]:
    """Every command line of the README's ``bash`` blocks that starts with ``prefix``, as
    arguments (comments dropped, continued lines joined)."""
    import shlex
    import textwrap

    commands = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(), flags=re.S):
        for line in textwrap.dedent(block).replace("\\\n", " ").splitlines():
            line = line.split("#")[0].strip()
            if line.startswith(prefix):
                commands.append(shlex.split(line)[len(shlex.split(prefix)):])
    return commands


def test_the_readme_experiment_spec_and_commands_work_as_written(tmp_path, monkeypatch,
                                                                 capsys):
    """Docs tested like code: the README's TOML example is a valid experiment (saved as
    the my_sweep.toml its commands name), and every ``python -m experiments`` command it
    shows runs as written: a sweep as a dry run, the dataset commands on small datasets
    at the paths it names."""
    import textwrap
    import tomllib

    monkeypatch.chdir(tmp_path)
    toml = [textwrap.dedent(t) for t in re.findall(r"```toml\n(.*?) *```", README.read_text(),
                                                    flags=re.S)]
    specs = [t for t in toml if t.startswith("name =")]
    assert len(specs) >= 2
    (tmp_path / "my_sweep.toml").write_text(specs[0])
    for text in specs:  # each saved as the NAME.toml its commands name
        (tmp_path / f"{tomllib.loads(text)['name']}.toml").write_text(text)
    commands = _shell_commands("python -m experiments")
    assert len(commands) >= 10
    sweeps = [c for c in commands if c[0] == "run"]
    for args in sweeps:  # a sweep as written, without running it (nothing there yet)
        assert experiments_main([*args, "--dry-run"] if "--dry-run" not in args
                                else args) == 0, args
    small = ["--steps", "4", "--replications", "1", "--workers", "1", "--quiet",
             "--set", "leader_departure_step=2"]
    for name in ("a", "b", "leader_departure"):  # the datasets the other commands name
        assert experiments_main(["run", "leader_departure", *small,
                                 "--out", f"results/{name}"]) == 0
    for args in commands:
        if args[0] != "run":
            assert experiments_main(args) == 0, args
    capsys.readouterr()


def test_the_example_in_the_spec_module_is_a_valid_experiment():
    """``experiments/spec.py`` documents every key by an example: it loads as written."""
    import textwrap
    import tomllib

    from experiments import spec

    example = textwrap.dedent(spec.__doc__.split("Example::\n")[1].split("\nEvery problem")[0])
    experiment = spec.from_dict(tomllib.loads(example))
    assert experiment.factors == ["leader_autonomy_support", "turbulence", "network",
                                  "schedule"]
    assert list(experiment.schedules) == ["none", "training", "go_distributed"]
    assert spec.planned_runs(experiment) == 3 * 2 * 2 * 3 * 5
