"""``python -m model``: the comparison behind ``make run``."""

import subprocess
import sys

import pytest

from experiments.spec import parse_setting
from model.__main__ import main


def test_comparison_prints_a_table_for_each_policy(capsys):
    assert main(["--steps", "8", "--employees", "30", "--policies", "heroic", "fostering"]) == 0
    out = capsys.readouterr().out
    assert "heroic" in out and "fostering" in out and "autonomy satisfaction" in out


def test_bad_parameter_gives_a_clear_message_and_exit_code_2(capsys):
    assert main(["--steps", "2", "--employees", "5"]) == 2
    err = capsys.readouterr().err
    assert "n_employees=5" in err and "allowed" in err


def test_every_policy_by_default(capsys):
    from model.policies import policy_names

    assert main(["--steps", "4", "--employees", "20"]) == 0
    header = capsys.readouterr().out.splitlines()[2].split()
    assert header == list(policy_names())


def test_warm_up_runs_the_weeks_before_and_the_header_says_where_the_run_starts(capsys):
    """``--warm-up WEEKS`` runs as the studies do (``run_model(..., warm_up=WEEKS)``), and
    the header says whether the table starts at the founding or after a warm-up."""
    from experiments.simulate import SETTLING_WEEKS, run_model

    base = ["--steps", "8", "--employees", "30", "--policies", "heroic"]
    assert main(base) == 0
    founding = capsys.readouterr().out.splitlines()[0]
    assert (f"8 steps from the founding, no warm-up (the studies warm up first: --warm-up "
            f"{SETTLING_WEEKS})") in founding
    assert main([*base, "--warm-up", "12"]) == 0
    out = capsys.readouterr().out
    assert "8 steps after a warm-up of 12 weeks, seed 1" in out.splitlines()[0]
    final = run_model({"policy": "heroic", "n_employees": 30, "turbulence": 0.3}, rng=1,
                      steps=8, record_every=None, warm_up=12).final
    row = next(line for line in out.splitlines() if line.startswith("exits / step"))
    assert float(row.split()[-1]) == pytest.approx(round(final["exits"], 3))
    assert main([*base, "--warm-up", "-3"]) == 2
    assert "--warm-up=-3 is not allowed; allowed: a whole number in [0," in (
        capsys.readouterr().err)


def test_set_gives_every_policy_a_parameter_and_changes_what_it_does(capsys):
    """``--set PARAM=VALUE`` (repeatable) reaches the model: the header says so, and a
    leader style of 0.1 instead of 0.9 gives a heroic organisation less autonomy
    satisfaction on the same seed."""
    base = ["--steps", "30", "--employees", "30", "--policies", "heroic"]
    satisfaction = {}
    for style in (0.1, 0.9):
        assert main([*base, "--set", f"leader_autonomy_support={style}",
                     "--set", "turbulence=0.6"]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"30 employees, turbulence 0.6, leader_autonomy_support={style},")
        row = next(line for line in out.splitlines() if line.startswith("autonomy satisfaction"))
        satisfaction[style] = float(row.split()[-1])
    assert satisfaction[0.1] < satisfaction[0.9]


def test_import_runs_a_changed_constant_and_a_new_policy(tmp_path):
    """``--import FILE`` (as a sweep's): a constant it changes moves the table, a policy it
    registers is a column, and the header names the file. In a process of its own, so
    that the change stays out of the tests'."""
    mine = tmp_path / "tiring.py"
    mine.write_text(
        "from model.policies.base import register_policy\n"
        "from model.policies.heroic import HeroicPolicy\n"
        "from model.rules import wellbeing\n"
        "wellbeing.STRAIN_RATE *= 3\n"
        "@register_policy\n"
        "class TiringHeroic(HeroicPolicy):\n"
        "    name = 'tiring_heroic'\n")
    base = [sys.executable, "-m", "model", "--steps", "30", "--employees", "30"]

    def exhaustion(*extra: str) -> tuple[str, list[float]]:
        done = subprocess.run([*base, *extra], capture_output=True, text=True, check=True)
        row = next(line for line in done.stdout.splitlines() if line.startswith("exhaustion"))
        return done.stdout, [float(x) for x in row.split()[1:]]

    _, before = exhaustion("--policies", "heroic")
    out, after = exhaustion("--policies", "heroic", "tiring_heroic", "--import", str(mine))
    assert out.startswith(f"30 employees, turbulence 0.3, with {mine}, 30 steps")
    assert "tiring_heroic" in out.splitlines()[2]
    assert after[0] > before[0] and after[1] == after[0]  # the same model, the same seed


def test_import_of_a_missing_file_says_so_in_one_line(capsys):
    assert main(["--import", "no_such_rule.py"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no_such_rule.py': no such file" in err


def test_an_import_that_misspells_a_rules_name_is_refused_and_undone(tmp_path, capsys):
    """``turnover.INTENTION_RTAE = 0.4`` gives ``turnover`` a name no rule reads: the run
    it asks for would be the original model. Refused, naming the close names, and the
    stray name taken away again; the name spelt right is taken."""
    from model.rules import turnover

    typo, right = tmp_path / "typo_rule.py", tmp_path / "right_rule.py"
    typo.write_text("from model.rules import turnover\nturnover.INTENTION_RTAE = 0.4\n")
    right.write_text("from model.rules import turnover\nturnover.INTENTION_RATE = 0.4\n")
    assert main(["--steps", "3", "--employees", "20", "--import", str(typo)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert ("sets turnover.INTENTION_RTAE, which model.rules.turnover does not have (did "
            "you mean INTENTION_RATE" in err)
    assert not hasattr(turnover, "INTENTION_RTAE")
    original = turnover.INTENTION_RATE
    try:
        assert main(["--steps", "3", "--employees", "20", "--import", str(right)]) == 0
        assert turnover.INTENTION_RATE == 0.4
    finally:
        turnover.INTENTION_RATE = original


@pytest.mark.parametrize(("setting", "message"), [
    ("nonsense=1", "unknown parameter(s): nonsense"),
    ("shared_purpose=7", "shared_purpose=7 is not allowed (out of range); allowed: [0.0, 1.0]"),
    ("shared_purpose", "--set 'shared_purpose' is not PARAM=VALUE"),
    # every column is a policy: a policy set for all would be one run under three labels
    ("policy=heroic", "allowed: --policies NAME [NAME ...] to choose the columns"),
])
def test_a_bad_setting_names_it_and_what_is_allowed(setting, message, capsys):
    assert main(["--steps", "3", "--employees", "20", "--set", setting]) == 2
    assert message in capsys.readouterr().err


def test_a_flag_and_a_setting_of_the_same_parameter_are_refused(capsys):
    """``--turbulence 0.2 --set turbulence=0.5``: which would it be? One of them, please
    (it ran at 0.5, silently); either alone is the parameter's value."""
    assert main(["--steps", "3", "--employees", "20", "--set", "n_employees=30"]) == 2
    assert ("--employees 20 and --set n_employees=30 are both given; allowed: one of them"
            in capsys.readouterr().err)
    assert main(["--steps", "2", "--set", "n_employees=20", "--set", "turbulence=0.5",
                 "--policies", "heroic"]) == 0
    assert capsys.readouterr().out.startswith("20 employees, turbulence 0.5, 2 steps")


@pytest.mark.parametrize("spelling", ["false", "False"])
def test_a_boolean_is_read_in_the_toml_and_in_the_python_spelling(spelling):
    """``--set learned_helplessness=false`` and ``=False`` both switch it off."""
    assert parse_setting(f"learned_helplessness={spelling}") == ("learned_helplessness", False)
    assert parse_setting("learned_helplessness=true") == ("learned_helplessness", True)


def test_a_number_for_a_switch_says_a_boolean_is_expected(capsys):
    assert main(["--steps", "3", "--employees", "20", "--set", "learned_helplessness=1"]) == 2
    assert ("learned_helplessness=1 is not allowed (expected a boolean: true or false; "
            "True or False in Python); allowed: true or false") in capsys.readouterr().err


@pytest.mark.parametrize(("args", "message"), [
    (["--steps", "0"], "--steps=0 is not allowed; allowed: a whole number in [1, 100000]"),
    (["--steps", "1000000000"], "--steps=1000000000 is not allowed; allowed: a whole number in "
                                "[1, 100000]"),
    (["--seed", "-1"], "--seed=-1 is not allowed; allowed: a whole number >= 0"),
])
def test_bad_option_names_the_option(args, message, capsys):
    assert main(args) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(("command", "message"), [
    (["experiments", "run", "heroic_vs_distributed", "--workers", "abc"],
     "error: argument --workers: 'abc' is not allowed; allowed: a whole number "
     "(see python -m experiments run --help)"),
    (["model", "--turbulence", "high"],
     "error: argument --turbulence: 'high' is not allowed; allowed: a number "
     "(see python -m model --help)"),
    (["experiments", "nonsense"], "error: argument command: invalid choice: 'nonsense'"),
])
def test_an_option_of_the_wrong_kind_is_refused_in_one_line(command, message):
    """argparse's own refusals (a word for a number, an unknown command) are one line
    naming what is allowed, exit 2, as the commands' other errors are."""
    done = subprocess.run([sys.executable, "-m", *command], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith(message)
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("command", [["model", "--steps", "2", "--employees", "20"],
                                     ["experiments", "params"]])
def test_a_reader_that_stops_early_ends_the_command_quietly(command):
    """``python -m experiments params | head``: exit 141 (a closed pipe), no traceback."""
    process = subprocess.Popen([sys.executable, "-m", *command], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the command writes a line
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141, err
    assert "Traceback" not in err


def test_help_answers_without_importing_the_heavy_libraries():
    """``python -m experiments --help`` (and ``run --help``) read the command line before
    pandas, scipy, matplotlib or the model are imported, so they answer at once."""
    import subprocess
    import sys

    for args in (["--help"], ["run", "--help"]):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "experiments", *args],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "usage: python -m experiments" in done.stdout
        imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
        assert not imported & {"pandas", "scipy", "matplotlib", "mesa"}, imported & {
            "pandas", "scipy", "matplotlib", "mesa"}


def test_the_model_imports_scipy_only_when_a_channel_is_frozen():
    import subprocess
    import sys

    code = ("import sys; from model import OrganisationModel; OrganisationModel(rng=1, "
            "n_employees=20); print('scipy.stats' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_a_bounded_exit_ends_even_if_the_shutdown_would_hang():
    """After a code in ``bounded_exit`` the interpreter's shutdown gets ``EXIT_GRACE``
    seconds: here a thread it would join forever (as an interrupted sweep's pool once did)."""
    script = (
        "import threading, time\n"
        "from model import cli\n"
        "cli.EXIT_GRACE = 0.5\n"
        "def main():\n"
        "    threading.Thread(target=lambda: time.sleep(3600)).start()  # not a daemon\n"
        "    return 130\n"
        "cli.run(main, bounded_exit=(130,))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 130
