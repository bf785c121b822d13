"""Validation: each statistic on synthetic data with a known answer, and the report end to
end at a tiny size."""

from __future__ import annotations

import concurrent.futures
import dataclasses

import numpy as np
import pandas as pd
import pytest

from experiments import validation
from experiments.__main__ import main
from experiments.runner import make_executor


def _correlated(n: int, r: float, rng) -> pd.DataFrame:
    cov = [[1, r], [r, 1]]
    x, y = rng.multivariate_normal([0, 0], cov, size=n).T
    return pd.DataFrame({"x": x, "y": y})


def test_pooled_correlation_recovers_a_known_correlation():
    rng = np.random.default_rng(1)
    frames = [_correlated(400, 0.5, rng) for _ in range(10)]
    est = validation.pooled_correlation(frames, "x", "y")
    assert est.low < 0.5 < est.high
    assert est.high - est.low < 0.06  # 4,000 people: a narrow interval
    null = validation.pooled_correlation([_correlated(400, 0.0, rng) for _ in range(5)], "x", "y")
    assert not null.excludes_zero()


def test_standardised_difference_recovers_a_known_d():
    rng = np.random.default_rng(2)
    d = validation.standardised_difference(rng.normal(0.5, 1, 20_000), rng.normal(0, 1, 20_000))
    assert d.low < 0.5 < d.high and abs(d.value - 0.5) < 0.03


def test_mean_difference_has_a_welch_interval():
    rng = np.random.default_rng(3)
    diff = validation.mean_difference(rng.normal(2, 1, 200), rng.normal(1, 3, 200))
    assert diff.low < 1 < diff.high and diff.excludes_zero()
    with_undefined = validation.mean_difference(np.r_[rng.normal(2, 1, 200), np.nan],
                                                rng.normal(1, 3, 200))
    assert np.isfinite(with_undefined.value) and with_undefined.excludes_zero()


def test_correlation_has_an_interval_and_is_undefined_without_data():
    rng = np.random.default_rng(5)
    frame = _correlated(2_000, 0.3, rng)
    est = validation.correlation(frame.x, frame.y)
    assert est.low < 0.3 < est.high and est.high - est.low < 0.1
    assert np.isnan(validation.correlation([1.0, 2.0], [2.0, 1.0]).value)
    assert np.isnan(validation.correlation(np.ones(10), np.arange(10)).value)
    assert np.isnan(validation.mean_difference(np.array([1.0, np.nan]), np.ones(5)).value)


def test_relative_weights_split_r_squared_by_known_shares():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(50_000, 3))
    y = 2 * x[:, 0] + 1 * x[:, 1] + 0 * x[:, 2] + rng.normal(size=50_000)
    frame = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "y": y})
    weights = validation.relative_weights(frame, ["a", "b", "c"], "y")
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights["a"] == pytest.approx(0.8, abs=0.01)  # 4 / (4 + 1)
    assert weights["b"] == pytest.approx(0.2, abs=0.01)
    assert validation.r_squared(frame, ["a", "b", "c"], "y") == pytest.approx(5 / 6, abs=0.01)


def test_standardised_betas_recover_known_unique_effects():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(50_000), rng.standard_normal(50_000)
    frame = pd.DataFrame({"a": a, "b": b, "y": 0.6 * a - 0.3 * b
                          + 0.5 * rng.standard_normal(50_000)})
    betas = validation.standardised_betas(frame, ["a", "b"], "y")
    sd = np.sqrt(0.36 + 0.09 + 0.25)
    np.testing.assert_allclose(betas, [0.6 / sd, -0.3 / sd], atol=0.01)


def test_mean_with_interval_and_risk_ratio_by_hand():
    e = validation.mean_with_interval(np.array([1.0, 3.0, np.nan]))
    assert e.value == 2.0 and e.high - e.value == pytest.approx(1.96 * np.sqrt(2) / np.sqrt(2))
    cases = [pd.Series([True, False, False, False]), pd.Series([True, True, False, False])]
    exposed = [pd.Series([True, True, False, False]), pd.Series([True, False, False, True])]
    # exposed: 2 cases of 4; the rest: 1 case of 4
    assert validation.risk_ratio(cases, exposed) == pytest.approx(2.0)
    assert np.isnan(validation.risk_ratio([pd.Series([True, False])],
                                          [pd.Series([True, False])]))


def test_team_cross_section_counts_lead_member_pairs_inside_each_team():
    from model import OrganisationModel
    from model.metrics import team_cross_section

    model = OrganisationModel(n_employees=24, team_size=8, policy="distributed", rng=3)
    for _ in range(15):
        model.step()
    teams = team_cross_section(model.world)
    s = model.state
    lead, member = model.lead_pairs_in_window()
    for team, row in teams.iterrows():
        pairs = {(a, b) for a, b in zip(lead.tolist(), member.tolist(), strict=True)
                 if s.team[a] == s.team[b] == team and s.active[a] and s.active[b]}
        k = (s.active & (s.team == team)).sum()
        assert row.leadership_density == pytest.approx(len(pairs) / (k * (k - 1)))
        assert row.performance == pytest.approx(s.output[s.active & (s.team == team)].mean())
    assert teams.leadership_density.gt(0).any()


def test_the_report_is_generated_end_to_end(tmp_path):
    design = validation.Design(employees=30, steps=12, seeds=2, seed=5)
    variants = {"40 employees": {"n_employees": 40}, "stable": {"turbulence": 0.1}}
    with make_executor(1, None) as (executor, _, _):
        result = validation.validate(design, executor, variants)
    table = result.table
    assert {f"V{i}" for i in range(1, 13)} == set(table.pattern)
    field = result.plausibility
    assert set(field.figure) == {"P1", "P2", "P3", "P4", "P5"}
    assert set(field.policy) == {"heroic", "distributed", "fostering"} and len(field) == 18
    assert table.check.is_unique and table.holds.map(type).eq(bool).all()
    assert list(result.robustness.columns) == ["check", "defaults", *variants]
    assert result.robustness.defaults.equals(table.holds)
    assert set(result.surfaces) == {"30 employees (defaults)", "40 employees"}
    lines = validation.write_report(result, tmp_path)
    report = (tmp_path / "report.md").read_text()
    assert f"{int(table.holds.sum())} of {len(table)} checks hold" in report
    for check in table.check:  # one row in each table per check, none broken by a "|"
        rows = [line for line in report.splitlines() if line.startswith(f"| {check} |")]
        assert len(rows) == 2
        assert rows[1].count(" | ") == len(variants) + 1
    assert (tmp_path / "v7_surface.png").is_file()
    assert pd.read_csv(tmp_path / "report.csv").shape[0] == len(table)
    assert pd.read_csv(tmp_path / "robustness.csv").shape == (len(table), 2 + len(variants))
    assert "checks hold" in lines[0]
    assert "## Plausibility" in report and (tmp_path / "plausibility.csv").is_file()


def test_conditions_with_the_same_parameters_and_seeds_run_once():
    calls = []

    class Counting(concurrent.futures.Executor):
        def map(self, fn, tasks):
            tasks = list(tasks)
            calls.append(len(tasks))
            return [{"outcomes": {"x": task[1]}} for task in tasks]

    design = validation.Design(employees=30, steps=5, seeds=3)
    cache: dict = {}
    first = validation.Runs(design, Counting(), cache)
    again = validation.Runs(design, Counting(), cache)
    changed = validation.Runs(dataclasses.replace(design, base=(("turbulence", 0.1),)),
                              Counting(), cache)
    for runs in (first, again, changed):
        runs.of("a", policy="heroic")
        runs.of("b", policy="distributed")
    assert calls == [3, 3, 3, 3]  # `again` reused both; `changed` differs in parameters
    assert list(first.outcome("b", "x", policy="distributed")) == [
        design.seed + 3 + k for k in range(3)]
    # the same name with other parameters is another condition, on fresh seeds
    other = first.outcome("b", "x", policy="heroic")
    assert calls[-1] == 3 and list(other) == [design.seed + 6 + k for k in range(3)]


def test_validation_bad_input_exits_2(tmp_path, capsys):
    out = tmp_path / "never"
    assert main(["run", "validation", "--replications", "0", "--out", str(out)]) == 2
    assert "--replications=0" in capsys.readouterr().err and not out.exists()
