"""``python -m model``: the comparison behind ``make run``."""

from model.__main__ import main


def test_comparison_prints_a_table_for_each_policy(capsys):
    assert main(["--steps", "8", "--employees", "30", "--policies", "heroic", "fostering"]) == 0
    out = capsys.readouterr().out
    assert "heroic" in out and "fostering" in out and "autonomy satisfaction" in out


def test_bad_parameter_gives_a_clear_message_and_exit_code_2(capsys):
    assert main(["--steps", "2", "--employees", "5"]) == 2
    err = capsys.readouterr().err
    assert "n_employees=5" in err and "allowed" in err
