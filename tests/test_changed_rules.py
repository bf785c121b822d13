"""A changed rule reaches every sweep worker when the experiment imports it; a rule changed
only in this process is refused for a multi-worker sweep instead of silently not applying."""

from __future__ import annotations

import pandas as pd
import pytest
from test_experiments import small

from experiments import load_results, run_experiment
from experiments.__main__ import main
from experiments.spec import SpecError, with_overrides
from model.rules import work

LAZY_RULE = '''
"""Effort halved: a student's changed rule."""
from model.rules import work

_original = work.effort


def half_effort(**kwargs):
    return 0.5 * _original(**kwargs)


work.effort = half_effort
'''


@pytest.fixture
def restore_effort():
    original = work.effort
    yield
    work.effort = original


def _finals(out):
    runs = load_results(out).runs
    return runs[["run_id", *[c for c in runs if c.startswith("final_")]]]


def test_an_imported_changed_rule_reaches_every_worker(tmp_path, restore_effort):
    rule = tmp_path / "half_effort.py"
    rule.write_text(LAZY_RULE)
    changed = with_overrides(small(), imports=[str(rule)])
    two = run_experiment(changed, tmp_path / "two", workers=2, progress=False)
    one = run_experiment(changed, tmp_path / "one", workers=1, progress=False)
    assert two.failed_total == one.failed_total == 0
    pd.testing.assert_frame_equal(_finals(tmp_path / "one"), _finals(tmp_path / "two"))
    work.effort = work.effort.__globals__["_original"]  # undo the import's patch here
    run_experiment(small(), tmp_path / "plain", workers=1, progress=False)
    plain, lazy = _finals(tmp_path / "plain"), _finals(tmp_path / "two")
    assert (lazy.final_tasks_completed.sum() < plain.final_tasks_completed.sum())


def test_a_rule_patched_only_here_is_refused_for_other_processes(tmp_path, restore_effort):
    work.effort = lambda **kwargs: 0.0 * kwargs["energy"]  # the old notebook technique
    with pytest.raises(SpecError, match=r"model\.rules\.work\.effort was replaced"):
        run_experiment(small(), tmp_path / "x", workers=2, progress=False)
    assert not (tmp_path / "x").exists()
    # in this process (one worker) the patch applies, as the tutorial shows
    assert run_experiment(small(), tmp_path / "y", workers=1, progress=False).done == 8


def test_import_on_the_command_line_and_a_bad_import_is_exit_2(tmp_path, capsys,
                                                               restore_effort):
    rule = tmp_path / "half_effort.py"
    rule.write_text(LAZY_RULE)
    out = tmp_path / "cli"
    assert main(["run", "heroic_vs_distributed", "--steps", "3", "--replications", "1",
                 "--workers", "2", "--quiet", "--no-report", "--import", str(rule),
                 "--out", str(out)]) == 0
    assert load_results(out).manifest["experiment"]["imports"] == [str(rule)]
    assert main(["run", "heroic_vs_distributed", "--import", "no_such_module_here",
                 "--out", str(tmp_path / "bad"), "--quiet"]) == 2
    assert "no_such_module_here" in capsys.readouterr().err
