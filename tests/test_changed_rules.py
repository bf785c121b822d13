"""A changed rule reaches every sweep worker when the experiment imports it; a rule changed
only in this process is refused for a multi-worker sweep instead of silently not applying."""

from __future__ import annotations

import dataclasses

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


def test_a_rule_patched_here_is_recorded_and_never_mixed_with_the_original(tmp_path,
                                                                          restore_effort):
    """A sweep run in this process with a patched rule says so in its manifest, and a
    dataset of the original rule is not resumed with it (nor the other way round): the
    two would otherwise share a fingerprint and pass for one dataset."""
    import json

    from experiments.__main__ import main as cli

    run_experiment(small(), tmp_path / "plain", workers=1, progress=False)
    work.effort = lambda **kwargs: 0.5 * kwargs["energy"]
    with pytest.raises(SpecError, match=r"another version of the model|different settings"):
        run_experiment(small(), tmp_path / "plain", workers=1, progress=False)
    run_experiment(small(), tmp_path / "patched", workers=1, progress=False)
    manifest = json.loads((tmp_path / "patched" / "manifest.json").read_text())
    changed = manifest["experiment"]["changed_in_process"]
    assert len(changed) == 1 and changed[0].startswith(
        "model.rules.work.effort replaced by ") and "(code " in changed[0]
    assert "changed_in_process" not in json.loads(
        (tmp_path / "plain" / "manifest.json").read_text())["experiment"] or not json.loads(
        (tmp_path / "plain" / "manifest.json").read_text())["experiment"]["changed_in_process"]
    # another patch of the same rule is another dataset
    work.effort = lambda **kwargs: 0.25 * kwargs["energy"]
    with pytest.raises(SpecError, match="changed_in_process"):
        run_experiment(small(), tmp_path / "patched", workers=1, progress=False)
    work.effort = work.effort.__globals__.get("_original", work.effort)
    assert cli(["compare", str(tmp_path / "plain"), str(tmp_path / "patched")]) == 0


def test_a_constant_changed_only_here_is_refused_for_other_processes(tmp_path,
                                                                    monkeypatch):
    """A constant set by hand (a notebook's ``wellbeing.STRAIN_RATE = 3.0``) would apply in
    this process only: a multi-worker sweep is refused, naming it; one worker uses it."""
    from model.rules import motivation, wellbeing

    monkeypatch.setattr(wellbeing, "STRAIN_RATE", 3 * wellbeing.STRAIN_RATE)
    with pytest.raises(SpecError, match=r"model\.rules\.wellbeing\.STRAIN_RATE was replaced"):
        run_experiment(small(), tmp_path / "x", workers=2, progress=False)
    assert not (tmp_path / "x").exists()
    assert run_experiment(small(), tmp_path / "y", workers=1, progress=False).done == 8
    monkeypatch.undo()
    loadings = {k: dict(v) for k, v in motivation.LOADINGS.items()}  # changed in place
    loadings["intrinsic"]["internalisation"] += 0.1
    monkeypatch.setattr(motivation, "LOADINGS", loadings)
    with pytest.raises(SpecError, match=r"motivation\.LOADINGS"):
        run_experiment(small(), tmp_path / "z", workers=2, progress=False)


def test_a_constant_a_rule_reads_takes_effect_when_changed_at_run_time(monkeypatch):
    """Rules read their constants when called, not when imported (no constant as a default
    argument, none worked out from another at import), so a constant changed by a module an
    experiment imports, or in this process, is the one the model uses."""
    import ast
    from pathlib import Path

    import model

    for path in sorted(Path(model.__file__).parent.joinpath("rules").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for default in [*node.args.defaults, *filter(None, node.args.kw_defaults)]:
                    names = {n.id for n in ast.walk(default) if isinstance(n, ast.Name)}
                    assert not {n for n in names if n.isupper()}, (path.name, node.name)
        for node in tree.body:  # a constant worked out from another is fixed at import
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
                used = [n for n in ast.walk(node.value)
                        if (isinstance(n, ast.Name) and n.id.isupper())
                        or (isinstance(n, ast.Attribute) and n.attr.isupper())]
                assert not used, (path.name, ast.unparse(node)[:60])
    from model import OrganisationModel
    from model.rules import turnover

    def intention_after(rate: float) -> float:
        monkeypatch.setattr(turnover, "INTENTION_RATE", rate)
        m = OrganisationModel(n_employees=20, rng=4)
        for _ in range(5):
            m.step()
        return float(m.world.state.turnover_intention.mean())

    assert intention_after(0.5) != intention_after(0.1)


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


def test_an_imported_changed_rule_reaches_dask_workers_exactly(tmp_path, restore_effort):
    """The same changed rule on a Dask LocalCluster (processes) gives the process pool's
    dataset exactly: the workers import it through a worker plugin before any run."""
    pytest.importorskip("distributed")
    rule = tmp_path / "half_effort.py"
    rule.write_text(LAZY_RULE)
    changed = with_overrides(small(), imports=[str(rule)])
    pool = run_experiment(changed, tmp_path / "pool", workers=2, progress=False)
    dask = run_experiment(changed, tmp_path / "dask", workers=2, dask="local",
                          progress=False)
    assert pool.failed_total == dask.failed_total == 0
    pd.testing.assert_frame_equal(_finals(tmp_path / "pool"), _finals(tmp_path / "dask"))


def test_a_worker_elsewhere_gets_the_rule_as_text_and_refuses_runs_it_cannot_make():
    from experiments import spec
    from experiments.runner import plan, worker_mismatch

    name = "/nowhere/on/this/machine/shipped_rule.py"
    spec.import_shipped(((name, "SHIPPED = 42\n"),))
    assert name in spec.LOADED
    task = plan(small())[0]
    assert worker_mismatch(task) is None
    other_code = dataclasses.replace(task, model_code="0123456789abcdef")
    assert "runs other model code" in worker_mismatch(other_code)
    not_imported = dataclasses.replace(task, imports=("/somewhere/else/rule.py",))
    assert "has not imported /somewhere/else/rule.py" in worker_mismatch(not_imported)


def test_a_run_on_a_worker_that_lacks_an_import_fails_with_the_reason(tmp_path):
    from experiments.runner import execute_run, plan

    task = dataclasses.replace(plan(small())[0], imports=("/not/imported/here.py",))
    row, series = execute_run(task)
    assert row["status"] == "failed" and series is None
    assert "has not imported /not/imported/here.py" in row["error"]


@pytest.mark.parametrize(("module", "name", "policy"), [
    ("leadership", "claim_propensity", "distributed"),
    ("leadership", "grant_probability", "distributed"),
    ("leadership", "exchange_latitude", "heroic"),
    ("turnover", "update_intention", "heroic"),
    ("turnover", "quit_probability", "heroic"),
])
def test_a_keyword_only_replacement_of_a_rule_students_change_runs(module, name, policy,
                                                                    monkeypatch):
    """The rules a student most often changes are called by name, so a replacement written
    with keyword-only parameters, as notebook 03 writes one, runs: the same run exactly."""
    import importlib

    import numpy as np

    from model import OrganisationModel

    rules = importlib.import_module(f"model.rules.{module}")
    original = getattr(rules, name)
    calls = []

    def by_name_only(**kwargs):
        calls.append(1)
        return original(**kwargs)

    def final(**patch):
        if patch:
            monkeypatch.setattr(rules, name, patch["rule"])
        model = OrganisationModel(n_employees=30, policy=policy, rng=4)
        for _ in range(12):
            model.step()
        monkeypatch.setattr(rules, name, original)
        return model.world.state.turnover_intention.copy(), model.world.steps

    before = final()
    after = final(rule=by_name_only)
    assert calls and np.array_equal(before[0], after[0])
