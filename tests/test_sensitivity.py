"""Sobol' and Morris indices of a sweep: one whole sample at a time. With ``[crossed]``
values each value's points are a whole sample of the design, so each gets its own
indices; pooled, they would mix two samples into one that SALib cannot read."""

from __future__ import annotations

import numpy as np
import pandas as pd
from SALib.analyze import sobol

from experiments import designs, load_results, run_experiment
from experiments.reports import report
from experiments.spec import from_dict


def _swept(experiment, out):
    run_experiment(experiment, out, workers=1, progress=False)
    report(load_results(out), experiment)  # as the command does after a sweep


def _experiment(kind: str, crossed: bool) -> dict:
    data = {"name": f"tiny-{kind}", "steps": 6, "replications": 1, "seed": 3,
            "fixed": {"n_employees": 20}, "design": {"kind": kind, "size": 2},
            "swept": {"turbulence": {"low": 0.1, "high": 0.9},
                      "shared_purpose": {"low": 0.1, "high": 0.9}}}
    if crossed:
        data["crossed"] = {"policy": ["heroic", "distributed"]}
    return data


def test_sobol_indices_are_computed_for_each_crossed_value_on_its_own(tmp_path):
    experiment = from_dict(_experiment("sobol", crossed=True))
    _swept(experiment, tmp_path / "s")
    table = pd.read_csv(tmp_path / "s" / "sobol_indices.csv")
    assert set(table.policy) == {"heroic", "distributed"}
    runs = load_results(tmp_path / "s").runs
    problem = designs.salib_problem(experiment)
    for policy in ("heroic", "distributed"):
        mine = runs[runs.policy == policy].sort_values("point_id")
        y = mine.groupby("point_id").final_autonomous_motivation.mean().to_numpy()
        expected = sobol.analyze(problem, y, calc_second_order=False, seed=experiment.seed)
        got = table[(table.policy == policy) & (table.outcome == "autonomous_motivation")]
        np.testing.assert_allclose(got.ST.to_numpy(), expected["ST"])
        np.testing.assert_allclose(got.S1.to_numpy(), expected["S1"])


def test_morris_with_crossed_values_and_indices_without_them(tmp_path):
    experiment = from_dict(_experiment("morris", crossed=True))
    run_experiment(experiment, tmp_path / "m", workers=1, progress=False)
    lines = report(load_results(tmp_path / "m"), experiment)
    # 2 trajectories, under the 10 to 20 usual: said, as a small Sobol' sample is
    assert any("with N = 2 trajectories" in line and "a ranking at most" in line
               for line in lines)
    table = pd.read_csv(tmp_path / "m" / "morris_indices.csv")
    assert set(table.policy) == {"heroic", "distributed"} and table.mu_star.notna().all()
    assert (tmp_path / "m" / "morris_indices.png").is_file()
    _swept(from_dict(_experiment("sobol", crossed=False)), tmp_path / "plain")
    plain = pd.read_csv(tmp_path / "plain" / "sobol_indices.csv")
    assert "policy" not in plain and len(plain) == 4 * 2  # outcomes × parameters


def test_a_parameter_that_changes_nothing_gets_no_influence(tmp_path):
    """Every point of a Sobol or Morris design runs on the replication's seeds (common
    random numbers), so a parameter the model does not read under the policy swept
    (``delegation_bar``, the fostering leader's, under distributed leadership) gets Sobol'
    indices and a Morris μ* of exactly 0: on seeds of their own, the noise between points
    was counted as its influence (ST 0.15-0.39)."""
    for kind in ("sobol", "morris"):
        data = _experiment(kind, crossed=False)
        data["fixed"]["policy"] = "distributed"
        data["replications"] = 2
        data["swept"]["delegation_bar"] = {"low": 0.5, "high": 0.9}
        experiment = from_dict(data)
        _swept(experiment, tmp_path / kind)
        runs = load_results(tmp_path / kind).runs
        assert runs.groupby("replication").seed_spawn_key.nunique().eq(1).all()
        table = pd.read_csv(tmp_path / kind / f"{kind}_indices.csv")
        dummy = table[table.parameter == "delegation_bar"]
        used = table[table.parameter == "turbulence"]
        if kind == "sobol":
            assert (dummy.ST == 0).all() and (dummy.S1 == 0).all()
            assert (used.ST > 0).any()
        else:
            assert (dummy.mu_star == 0).all() and (used.mu_star > 0).any()


def test_a_sobol_dataset_seeded_point_by_point_is_not_resumed(tmp_path, monkeypatch):
    """The seeding is part of the dataset's fingerprint: a Sobol dataset made when each
    point had seeds of its own is refused, never resumed with runs of both kinds."""
    import pytest

    from experiments import spec
    from experiments.spec import SpecError

    experiment = from_dict(_experiment("sobol", crossed=False))
    shared = experiment.fingerprint()
    with monkeypatch.context() as before:
        before.setattr(spec, "SHARED_SEED_DESIGNS", ())
        assert experiment.fingerprint() != shared
        run_experiment(experiment, tmp_path / "old", workers=1, progress=False)
    with pytest.raises(SpecError, match=r"different settings \(seeding: None -> 'one per "
                                        r"replication, shared by every point'\)"):
        run_experiment(experiment, tmp_path / "old", workers=1, progress=False)
    manifest = load_results(tmp_path / "old").manifest
    assert manifest["seed"]["spawn_key_of_run"].startswith("(sample * replications")


def test_an_outcome_the_design_does_not_move_gets_zero_without_a_warning(tmp_path):
    """A 6-week run has no exits at any point: its indices are 0, not SALib's 0 / 0."""
    import warnings

    experiment = from_dict(_experiment("sobol", crossed=False))
    run_experiment(experiment, tmp_path / "s", workers=1, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        report(load_results(tmp_path / "s"), experiment)
    table = pd.read_csv(tmp_path / "s" / "sobol_indices.csv")
    exits = table[table.outcome == "exits"]
    assert load_results(tmp_path / "s").runs.final_exits.nunique() == 1
    assert (exits[["S1", "ST"]] == 0).all().all()
