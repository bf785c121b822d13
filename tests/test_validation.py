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


def test_correlation_ceiling_by_hand():
    # x = 0..9 (mean 4.5, SD √8.25), half of them leave, nobody whatever x: the threshold
    # takes the top five (mean 7), so Cov = 0.5·(7 − 4.5) = 1.25 and the ceiling is
    # 1.25 / (√8.25 · 0.5)
    x = np.arange(10.0)
    assert validation.correlation_ceiling(x, 0.5) == pytest.approx(1.25 / (8.25**0.5 * 0.5))
    # 30 % leave, 10 % whatever x: the threshold takes (0.3 − 0.1) / 0.9 of the ten, 2.22
    # people (9, 8 and 0.22 of 7), Cov = 0.9 · (9 + 8 + 0.222·7 − 2.222·4.5) / 10
    top = (0.3 - 0.1) / 0.9 * 10
    cov = 0.9 * (9 + 8 + (top - 2) * 7 - top * 4.5) / 10
    assert validation.correlation_ceiling(x, 0.3, floor=0.1) == pytest.approx(
        cov / (8.25**0.5 * (0.3 * 0.7) ** 0.5))
    assert validation.correlation_ceiling(x, 0.1, floor=0.1) == 0.0  # only outside reasons
    assert np.isnan(validation.correlation_ceiling(np.ones(10), 0.3))
    assert np.isnan(validation.correlation_ceiling(x, 0.0))
    assert np.isnan(validation.correlation_ceiling(x, 0.3, floor=1.0))


def test_outside_chance_compounds_the_weekly_rate_over_the_weeks_followed():
    from experiments.validation.checks import outside_chance
    rate = 0.0008  # the default weekly chance
    full = validation.Design()  # 150 weeks: followed for a year
    assert outside_chance(full) == pytest.approx(1 - (1 - rate) ** 52)
    short = validation.Design(warm_up=0, steps=40)  # followed for the second half, 20 weeks
    assert outside_chance(short) == pytest.approx(1 - (1 - rate) ** 20)
    changed = validation.Design(base=(("outside_quit_rate", 0.002),))
    assert outside_chance(changed) == pytest.approx(1 - (1 - 0.002) ** 52)


def test_correlation_ceiling_is_what_the_best_rule_gives():
    # a yes/no outcome drawn from a rising rule of x, with an outside chance for everyone,
    # correlates with x about as the ceiling says when the rule is the threshold, and less
    # when it is smooth
    rng = np.random.default_rng(11)
    x = rng.normal(0.3, 0.1, 20_000)
    floor, share = 0.04, 0.14
    threshold = (x > np.quantile(x, 1 - (share - floor) / (1 - floor))).astype(float)
    smooth = np.clip(0.15 * (x / 0.3) ** 4 / 4, 0, 1)
    got = {}
    for name, rule in (("threshold", threshold), ("smooth", smooth)):
        quit_ = (rng.random(len(x)) < floor + (1 - floor) * rule).astype(float)
        got[name] = (np.corrcoef(x, quit_)[0, 1],
                     validation.correlation_ceiling(x, quit_.mean(), floor))
    r, ceiling = got["threshold"]
    assert r == pytest.approx(ceiling, abs=0.02)  # 20,000 people: SE of r about .007
    r, ceiling = got["smooth"]
    assert r < ceiling - 0.05
    # a rarer outcome, or more of it for outside reasons, caps the correlation lower
    assert (validation.correlation_ceiling(x, 0.08, floor)
            < validation.correlation_ceiling(x, 0.14, floor)
            < validation.correlation_ceiling(x, 0.14, 0.0))


def test_pooled_ceiling_pools_as_the_correlation_does_and_bounds_it_without_a_floor():
    # two runs of different size: Fisher's z of each ceiling, weighted by n − 3
    x1, x2 = np.arange(10.0), np.r_[np.arange(20.0), 40.0]
    frames = [pd.DataFrame({"x": x1, "y": np.r_[np.zeros(7), np.ones(3)]}),
              pd.DataFrame({"x": x2, "y": np.r_[np.ones(4), np.zeros(17)]})]
    c1 = validation.correlation_ceiling(x1, 0.3)
    c2 = validation.correlation_ceiling(x2, 4 / 21)
    expected = np.tanh((7 * np.arctanh(c1) + 18 * np.arctanh(c2)) / 25)
    assert validation.pooled_ceiling(frames, "x", "y") == pytest.approx(expected)
    # the first run's leavers are its top three: its correlation is its ceiling
    assert validation.pooled_correlation(frames[:1], "x", "y").value == pytest.approx(c1)
    rng = np.random.default_rng(12)
    for _ in range(50):  # without a floor, a bound on any outcome's pooled correlation
        runs = [pd.DataFrame({"x": rng.gamma(2.0, size=n), "y": rng.random(n) < share})
                for n, share in ((40, 0.1), (80, 0.3), (25, 0.5))]
        runs = [f.assign(y=f.y.astype(float)) for f in runs]
        assert (validation.pooled_correlation(runs, "x", "y").value
                <= validation.pooled_ceiling(runs, "x", "y") + 1e-12)


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


def test_paired_difference_by_hand_and_sharper_than_unpaired_under_common_noise():
    # differences 2, 3, 2: mean 7/3, sd √(1/3), t(.975, 2) = 4.3027
    diff = validation.paired_difference(np.array([3.0, 5.0, 4.0, np.nan]),
                                        np.array([1.0, 2.0, 2.0, 1.0]))  # a NaN pair left out
    half = 4.302653 * np.sqrt(1 / 3) / np.sqrt(3)
    assert diff.value == pytest.approx(7 / 3)
    assert (diff.low, diff.high) == pytest.approx((7 / 3 - half, 7 / 3 + half), abs=1e-5)
    # a shared seed-level noise cancels in pairs, not in the Welch interval
    rng = np.random.default_rng(11)
    market = rng.normal(0, 1, 20)
    a, b = market + 0.3 + rng.normal(0, 0.1, 20), market + rng.normal(0, 0.1, 20)
    assert validation.paired_difference(a, b).excludes_zero()
    assert not validation.mean_difference(a, b).excludes_zero()
    assert np.isnan(validation.paired_difference(np.ones(1), np.ones(1)).value)
    with pytest.raises(ValueError, match="one to one"):
        validation.paired_difference(np.ones(3), np.ones(2))


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


def test_a_cross_section_at_the_defaults_reads_every_default_run_without_moving_seeds():
    """A check of the organisation at the defaults first reads the policy's default runs, so
    that the conditions it and the later checks ask for keep their seeds; once the field
    figures' blocks have run, it reads all of them, and nothing new is run."""
    from experiments.validation import checks

    design = validation.Design(warm_up=0, employees=24, steps=6, seeds=2, seed=11)
    with make_executor(1, None) as (executor, _, _):
        runs = validation.Runs(design, executor)
        first = checks.at_defaults(runs, "distributed")
        asked = list(runs.asked)
        assert len(first) == design.seeds and asked == [("distributed",
                                                         {"policy": "distributed"})]
        every = checks.field_runs(runs, "distributed")
        runs.blocks_at_defaults = checks.FIELD_BLOCKS
        read = checks.at_defaults(runs, "distributed")
        after = checks.v5_shared_leadership(runs).rows[0]
    assert len(read) == design.seeds * checks.FIELD_BLOCKS and read == every
    assert read[:design.seeds] == first  # the default runs, on the seeds they always had
    assert len(runs.asked) == 1 + checks.FIELD_BLOCKS - 1  # nothing run beyond the blocks
    teams = [r["teams"] for r in every]  # V5a reads all of them
    performance = checks.pooled_correlation(teams, "leadership_density", "performance")
    assert after.value.startswith(performance.text())


def test_the_report_is_generated_end_to_end(tmp_path):
    design = validation.Design(warm_up=0, employees=30, steps=12, seeds=2, seed=5, world_steps=12,
                               world_seeds=1, field_points=3, field_point_seeds=2)
    variants = {"40 employees": {"n_employees": 40}, "stable": {"turbulence": 0.1}}
    with make_executor(1, None) as (executor, _, _):
        result = validation.validate(design, executor, variants)
    table = result.table
    assert {f"V{i}" for i in range(1, 13)} == set(table.pattern)
    field = result.plausibility
    assert set(field.figure) == {"P1", "P2", "P3", "P4", "P5"}
    assert set(field.policy) == {"heroic", "distributed", "fostering"} and len(field) == 18
    # each field figure over three blocks of runs a policy: the default runs and two more
    assert (field.runs == design.seeds * validation.checks.FIELD_BLOCKS).all()
    assert validation.checks.FIELD_BLOCKS == 3
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
    # the field figures again at each point of the hypercube, under each policy
    points = pd.read_csv(tmp_path / "field_uncertainty.csv")
    assert len(points) == 3 * 3 * 6 and set(points.point) == {0, 1, 2}
    assert "### Field figures over the uncertain inputs" in report
    uncertain = report.split("### Field figures over the uncertain inputs")[1].split("\n## ")[0]
    assert sum(line.startswith("| P") for line in uncertain.splitlines()) == 6
    # where tasks mostly fail is said either way: at which points, or at none
    assert ("% or more of tasks fail (W3's line), the world may break" in uncertain) != (
        "At none of the 3 points do 40 % or more of tasks fail" in uncertain)
    assert pd.read_csv(tmp_path / "robustness.csv").shape == (len(table), 2 + len(variants))
    # V7 sets its own turbulence: under "stable" it was only re-run, and the table says so
    reruns = result.reruns.set_index("check")
    assert reruns.loc["V7a", "stable"] and not reruns.loc["V7a", "40 employees"]
    assert not reruns.loc["V1a"].any() and not reruns["defaults"].any()
    v7a = next(line for line in report.splitlines()[::-1] if line.startswith("| V7a |"))
    cells = v7a.rstrip(" |").split(" | ")  # check, defaults, 40 employees, stable
    assert cells[-1].endswith(" *") and not cells[-2].endswith("*")
    tested = int((~reruns["stable"]).sum())
    assert f"of {tested} |" in next(line for line in report.splitlines()
                                    if line.startswith("| **holding**"))
    csv = pd.read_csv(tmp_path / "report.csv").set_index("check")
    assert csv.loc["V7a", "sets"] == "task_complexity turbulence"
    assert "checks hold" in lines[0]
    assert "## Plausibility" in report and (tmp_path / "plausibility.csv").is_file()
    assert f"read over {3 * design.seeds} runs a policy" in report
    intention = field.what.str.contains("intention")  # P5's second row: it alone has them
    assert field.ceiling[~intention].isna().all() and field.ceiling[intention].notna().any()
    both = field[intention].dropna(subset=["ceiling"])  # NaN where nobody left
    assert (both.bound >= both.ceiling).all()
    assert "the best rule linking quitting to intention" in report
    # the world checks: at the defaults only, beside the patterns, in report.csv too
    world = result.world
    assert set(world.pattern) == {"W1", "W2", "W3", "W4", "W5"} and world.check.is_unique
    assert world.holds.map(type).eq(bool).all()
    assert "## World checks" in report and f"{int(world.holds.sum())} of {len(world)} world" \
        in report
    for check in world.check:
        assert sum(line.startswith(f"| {check} |") for line in report.splitlines()) == 1
    assert pd.read_csv(tmp_path / "report.csv").shape[0] == len(table) + len(world)
    cells = pd.read_csv(tmp_path / "world_cells.csv")
    assert len(cells) == 18 and (cells.runs == design.world_seeds).all()
    assert (tmp_path / "ledger.csv").is_file()


def test_conditions_with_the_same_parameters_and_seeds_run_once():
    calls = []

    class Counting(concurrent.futures.Executor):
        def map(self, fn, batches):  # each a condition's replications, run together
            batches = list(batches)
            calls.append(sum(map(len, batches)))
            return [[{"outcomes": {"x": task[1]}} for task in batch] for batch in batches]

    design = validation.Design(warm_up=0, employees=30, steps=5, seeds=3)
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


def test_a_condition_paired_with_another_runs_on_its_seeds_and_later_ones_keep_theirs():
    class Echo(concurrent.futures.Executor):
        def map(self, fn, batches):
            return [[{"outcomes": {"seed": task[1]}} for task in batch] for batch in batches]

    design = validation.Design(warm_up=0, employees=30, steps=5, seeds=3)
    runs = validation.Runs(design, Echo(), {})
    heroic = runs.outcome("v7 heroic", "seed", policy="heroic")
    distributed = runs.outcome("v7 distributed", "seed", seeds_of="v7 heroic",
                               policy="distributed")
    later = runs.outcome("later", "seed", policy="distributed", turbulence=0.9)
    assert list(heroic) == list(distributed) == [design.seed + k for k in range(3)]
    assert list(later) == [design.seed + 6 + k for k in range(3)]  # as without pairing
    # a variant asking for the same conditions at once pairs them alike
    variant = validation.Runs(design, Echo(), {}, partners=runs.partners)
    variant.ask(runs.asked)
    assert list(variant.outcome("v7 distributed", "seed", policy="distributed")) == list(heroic)
    with pytest.raises(ValueError, match="not asked for before it"):
        validation.Runs(design, Echo(), {}).of("d", seeds_of="h", policy="distributed")
    with pytest.raises(ValueError, match="already shares the seeds"):
        runs.of("v7 distributed", seeds_of="later", policy="distributed")
    with pytest.raises(ValueError, match="already ran on seeds of its own"):
        runs.of("later", seeds_of="v7 heroic", policy="distributed", turbulence=0.9)


def test_conditions_asked_ahead_run_at_once_on_the_seeds_asked_one_by_one():
    """What a variant of the validation does: the conditions the checks asked for at the
    defaults, asked for at once, get the seeds they get one by one (so the same runs),
    in one map, and the checks then find them run."""
    batches_seen = []

    class Recording(concurrent.futures.Executor):
        def map(self, fn, batches):
            batches = list(batches)
            batches_seen.append(batches)
            return [[{"outcomes": {"x": task[1]}, "params": task[0]} for task in batch]
                    for batch in batches]

    design = validation.Design(warm_up=0, employees=30, steps=5, seeds=3)
    asked = [("a", {"policy": "heroic", "leader_autonomy_support": 0.1}),
             ("b", {"policy": "heroic", "leader_autonomy_support": 0.9}),
             ("a", {"policy": "heroic", "leader_autonomy_support": 0.1}),  # asked again
             ("c", {"policy": "distributed"})]
    one_by_one = validation.Runs(design, Recording(), {})
    for name, params in asked:
        one_by_one.of(name, **params)
    assert one_by_one.asked == [asked[0], asked[1], asked[3]]
    batches_seen.clear()
    ahead = validation.Runs(design, Recording(), {})
    ahead.ask(one_by_one.asked)
    assert len(batches_seen) == 1  # one map for all of them
    # the two leader styles alike but in what a batch keeps apart: one world of six runs
    assert [len(b) for b in batches_seen[0]] == [6, 3]
    for name, params in asked:
        assert list(ahead.outcome(name, "x", **params)) == list(
            one_by_one.outcome(name, "x", **params))
    assert len(batches_seen) == 1  # nothing more to run


def test_validation_bad_input_exits_2(tmp_path, capsys):
    out = tmp_path / "never"
    assert main(["run", "validation", "--replications", "0", "--out", str(out)]) == 2
    assert "--replications=0" in capsys.readouterr().err and not out.exists()


# ------------------------------------------------------------------ world checks (W1–W5)
# Hand-made time series of the flagship grid: a fair world in which every world check holds,
# and one change each that breaks one check. No model runs.
from experiments.validation import checks as world  # noqa: E402

FAIR = {"mean_task_value": 1.0, "tasks_arrived": 3.0, "offered_load": 0.8, "fit_against_plan": 1.0,
        "tasks_completed": 2.0, "tasks_failed": 0.5, "utilisation": 0.8, "open_problems": 10.0,
        "leader_load": 0.9, "leader_exhaustion": 0.5}


def _flagship(runs: int = 2, steps: int = 600, drop: tuple[str, ...] = (), **changes):
    """Every flagship cell, ``runs`` frames each: the fair world, with ``changes[output]``
    (a function of policy, complexity, turbulence and the step array) where given."""
    step = np.arange(1, steps + 1)
    cells = {}
    for key in [(p, c, t) for p in world.FLAGSHIP_POLICIES for c in world.FLAGSHIP_COMPLEXITY
                for t in world.FLAGSHIP_TURBULENCE]:
        columns = {name: np.broadcast_to(np.asarray(changes[name](*key, step) if name in changes
                                                    else value, float), step.shape)
                   for name, value in FAIR.items() if name not in drop}
        frame = pd.DataFrame(columns, index=pd.Index(step, name="Step"))
        cells[key] = [frame.copy() for _ in range(runs)]
    return cells


def _all_rows(cells):
    return (world.market_rows(cells) + world.load_rows(cells) + world.work_rows(cells)
            + world.runaway_rows(cells))


def test_world_checks_hold_in_a_fair_world():
    cells = _flagship()
    rows = _all_rows(cells)
    assert [r.pattern for r in rows] == ["W1"] * 4 + ["W2"] * 6 + ["W3"] * 4 + ["W4"] * 4
    assert all(r.holds for r in rows), [r for r in rows if not r.holds]
    table = world.world_cells(cells)
    assert len(table) == 18 and (table.runs == 2).all()
    np.testing.assert_allclose(table.failure, 0.2)  # 0.5 of 2.5 ended
    np.testing.assert_allclose(table.task_value_100_200, 1.0)
    assert {"open_problems_200_300", "leader_exhaustion_500_600"} <= set(table.columns)
    assert rows[0].value == "1.00 (runs 1.00–1.00)" and "steps 100–200" in rows[0].statistic
    assert rows[0].target == "within 10 % of 1 (0.90–1.10)"


def test_w1_fails_when_the_market_inflates_and_weights_steps_by_arrivals():
    inflating = _flagship(mean_task_value=lambda p, c, t, s: 1 + (t > 0.5) * s / 300)
    rows = world.market_rows(inflating)
    assert [r.holds for r in rows] == [True, True, False, False]  # turbulence .1, then .9
    assert rows[3].value.startswith("2.83")  # mean of 1 + s/300 over steps 501–600
    # a step nobody arrived in does not count, whatever its (undefined) value
    empty_steps = _flagship(tasks_arrived=lambda p, c, t, s: np.where(s % 2 == 0, 0.0, 4.0),
                            mean_task_value=lambda p, c, t, s: np.where(s % 2 == 0, np.nan, 1.05))
    assert all(r.holds and r.value.startswith("1.05") for r in world.market_rows(empty_steps))
    drifting = _flagship(mean_task_value=lambda p, c, t, s: np.where(s > 500, 1.11, 1.0))
    assert [r.holds for r in world.market_rows(drifting)] == [True, False, True, False]


def test_w2_fails_when_complexity_is_workload():
    volume = _flagship(offered_load=lambda p, c, t, s: 0.4 + 1.4 * c)  # 0.68, 1.10, 1.52
    rows = world.load_rows(volume)
    assert not any(r.holds for r in rows[:3])  # offered load; the plan-fit rows still hold
    assert rows[0].value == "0.68 | 1.10 | 1.52 (spread 124 %)"
    # 5 % apart holds; at turbulence 0.9, complex work asks 20 % more: that row fails
    close = _flagship(offered_load=lambda p, c, t, s: 0.8 + 0.04 * (c == 0.8)
                      + 0.16 * (c == 0.8 and t == 0.9))
    assert [r.holds for r in world.load_rows(close)] == [True, True, False] + [True] * 3
    # complex work going a quarter faster than planned carries less real work: fails
    faster = _flagship(fit_against_plan=lambda p, c, t, s: 1.0 + 0.25 * (c == 0.8))
    rows = world.load_rows(faster)
    assert [r.holds for r in rows] == [True] * 3 + [False] * 3
    assert rows[3].value == "1.00 | 1.00 | 1.25 (spread 25 %)"
    assert rows[3].statistic.startswith("skill fit at work over the fit the plans assumed")


def test_w3_fails_where_work_fails_or_staff_idle_and_names_the_cell():
    failing = _flagship(tasks_failed=lambda p, c, t, s: 2.0 * (p == "distributed" and c == 0.8
                                                                 and t == 0.9) + 0.5)
    heroic_fail, heroic_use, dist_fail, dist_use = world.work_rows(failing)
    assert heroic_fail.holds and heroic_use.holds and dist_use.holds and not dist_fail.holds
    assert dist_fail.value == ("worst 0.56 at complexity 0.8, turbulence 0.9; 1 of 9 cells "
                               "at or above 0.40")
    idle = _flagship(utilisation=lambda p, c, t, s: 0.3 if (p, c, t) == ("heroic", 0.2, 0.1)
                     else 0.8)
    rows = world.work_rows(idle)
    assert [r.holds for r in rows] == [True, False, True, True]
    assert rows[1].value.startswith("lowest 0.30 at complexity 0.2, turbulence 0.1")
    overworked = _flagship(utilisation=lambda p, c, t, s: 0.97)
    assert [r.holds for r in world.work_rows(overworked)] == [True, False, True, False]
    # only the final quarter counts: failure early in the run does not
    early = _flagship(tasks_failed=lambda p, c, t, s: np.where(s <= 450, 10.0, 0.5))
    assert all(r.holds for r in world.work_rows(early))


def test_w4_fails_on_runaway_with_a_guard_for_tiny_levels_and_a_pinned_leader():
    growing = _flagship(open_problems=lambda p, c, t, s: s / 10 if (p, c, t) == (
        "heroic", 0.8, 0.9) else 10.0)
    rows = world.runaway_rows(growing)
    assert [r.pattern for r in rows] == ["W4"] * 4
    assert [r.holds for r in rows] == [False, True, True, True]
    assert rows[0].value.startswith("worst at complexity 0.8, turbulence 0.9: 25.05 → 55.05")
    # below one open problem, +1 is allowed: 0.2 → 1.1 holds, 0.2 → 1.5 does not
    tiny = _flagship(open_problems=lambda p, c, t, s: np.where(s > 500, 1.1, 0.2))
    assert all(r.holds for r in world.runaway_rows(tiny))
    tiny = _flagship(open_problems=lambda p, c, t, s: np.where(s > 500, 1.5, 0.2))
    assert [r.holds for r in world.runaway_rows(tiny)] == [False, False, True, True]
    overloaded = _flagship(leader_load=lambda p, c, t, s: np.where(s > 500, 40.0, 20.0))
    assert [r.holds for r in world.runaway_rows(overloaded)] == [True, True, False, True]
    pinned = _flagship(leader_exhaustion=lambda p, c, t, s: 0.99 if c == 0.5 else 0.5)
    last = world.runaway_rows(pinned)[-1]
    assert not last.holds and "3 of 9 cells at or above 0.95" in last.value
    # distributed has no formal leader: its undefined exhaustion is never read
    assert all(r.holds for r in world.runaway_rows(_flagship(
        leader_exhaustion=lambda p, c, t, s: np.nan if p == "distributed" else 0.5)))


def _ledger_outcomes(runs: int = 3, **changes):
    """Final outcomes of each ledger policy: every act seen done and paid for; heroic loses
    no claims to rivals (and pays none)."""
    fair = {"cost_staffing": 0.5, "cost_claims": 0.2, "cost_problems": 0.3,
            "cost_exceptions": 0.1, "cost_coordination": 0.4, "tasks_started": 2.0,
            "open_problems": 5.0, "open_exceptions": 2.0, "utilisation": 0.8,
            "protocol_coverage": 0.3}
    outcomes = {}
    for policy in world.LEDGER_POLICIES:
        row = dict(fair, cost_claims=0.0) if policy == "heroic" else dict(fair)
        row.update(changes.get(policy, {}))
        outcomes[policy] = pd.DataFrame([row] * runs)
    return outcomes


def test_w5_holds_when_every_act_is_paid_for_and_the_ledger_is_sound():
    rows, ledger = world.ledger_rows(_ledger_outcomes())
    assert [r.pattern for r in rows] == ["W5"] * 3 and all(r.holds for r in rows)
    assert rows[0].value == "0.50 | 0.00 | 0.30 | 0.10 | 0.40"
    assert len(ledger) == 15 and set(ledger.entry) == set(world.LEDGER)
    heroic = ledger.set_index(["policy", "entry"]).loc["heroic"]
    assert heroic.loc["staffing", "value"] == 0.5 and heroic.loc["staffing", "runs_act_seen"] == 3
    assert np.isnan(heroic.loc["claims", "runs_act_seen"])  # claims lost: not in the outputs
    # an act nobody did costs nothing: no task started, no staffing paid
    idle = world.ledger_rows(_ledger_outcomes(fostering={"tasks_started": 0.0,
                                                         "cost_staffing": 0.0}))[0]
    assert all(r.holds for r in idle)


def test_w5_fails_on_a_free_act_or_a_broken_entry():
    free = world.ledger_rows(_ledger_outcomes(distributed={"cost_problems": 0.0}))[0]
    assert [r.holds for r in free] == [True, False, True]
    assert free[1].value.endswith("; unpaid: problems in 3 of 3 runs")
    unstaffed = world.ledger_rows(_ledger_outcomes(heroic={"cost_staffing": 0.0}))[0]
    assert not unstaffed[0].holds and "unpaid: staffing in 3 of 3 runs" in unstaffed[0].value
    negative = world.ledger_rows(_ledger_outcomes(fostering={"cost_coordination": -0.1}))[0]
    assert not negative[2].holds and "not finite or < 0: coordination" in negative[2].value
    undefined = world.ledger_rows(_ledger_outcomes(heroic={"cost_claims": np.nan}))[0]
    assert not undefined[0].holds and "not finite or < 0: claims" in undefined[0].value


def test_world_checks_without_the_outputs_say_so_and_do_not_hold():
    cells = _flagship(steps=60, drop=("mean_task_value", "offered_load", "leader_exhaustion"))
    rows = _all_rows(cells)
    unmeasured = [r for r in rows if r.value.startswith("not measured")]
    assert {r.pattern for r in unmeasured} == {"W1", "W2", "W4"} and len(unmeasured) == 8
    assert not any(r.holds for r in unmeasured) and "`offered_load`" in unmeasured[4].value
    outcomes = {p: o.drop(columns="cost_claims") for p, o in _ledger_outcomes().items()}
    rows, ledger = world.ledger_rows(outcomes)
    assert not any(r.holds for r in rows) and ledger.empty
    assert "`cost_claims`" in rows[0].value


def test_world_windows_scale_with_the_run_length():
    assert world.scaled((100, 200), 600) == (100, 200)
    assert world.scaled((500, 600), 12) == (10, 12)
    rows = world.runaway_rows(_flagship(steps=60))
    assert all(r.holds for r in rows) and "steps 50–60 against 20–30" in rows[0].statistic


def test_time_series_conditions_take_the_next_seed_blocks_and_run_once():
    calls = []

    class Counting(concurrent.futures.Executor):
        def map(self, fn, batches):  # each a condition's replications, run together
            batches = list(batches)
            calls.append((fn.__name__, sum(map(len, batches))))
            assert all(len({task[0]["policy"] for task in batch}) == 1 for batch in batches)
            return [[{"series": task[1], "outcomes": {"x": task[1]}} for task in batch]
                    for batch in batches]

    design = validation.Design(warm_up=0, employees=30, steps=5, seeds=3, world_steps=7,
                               world_seeds=2)
    cache: dict = {}
    runs = validation.Runs(design, Counting(), cache)
    runs.of("a", policy="heroic")
    first = runs.series_of([("w1", {"policy": "heroic"}), ("w2", {"policy": "distributed"})])
    assert first == [[design.seed + 3, design.seed + 4], [design.seed + 5, design.seed + 6]]
    assert calls == [("simulate", 3), ("simulate_series", 4)]  # both conditions in one map
    assert runs.series("w2", policy="distributed") == first[1] and len(calls) == 2
    again = validation.Runs(design, Counting(), cache)  # another validation, same seeds
    again.of("a", policy="heroic")
    again.series_of([("w1", {"policy": "heroic"}), ("w2", {"policy": "distributed"})])
    assert len(calls) == 2


def test_v7_compares_structures_only_where_both_deliver_most_of_their_work():
    from experiments.validation.checks import v7_corner

    done_h, done_d = np.array([2.0, 2.2, 1.8]), np.array([1.0, 1.2, 0.8])
    arrived_h, arrived_d = np.full(3, 3.0), np.full(3, 1.5)  # both deliver 2/3
    text, holds = v7_corner(done_h, done_d, arrived_h, arrived_d, expected_sign=1)
    assert holds is True and text.startswith("1.00 [") and "67%" in text
    assert v7_corner(done_h, done_d, arrived_h, arrived_d, expected_sign=-1)[1] is False
    # level within the interval: consistent with either sign
    assert v7_corner(done_h, done_h[::-1], arrived_h, arrived_h, expected_sign=-1)[1] is True
    text, holds = v7_corner(done_h, done_d, arrived_h, arrived_d * 3, expected_sign=1)
    assert holds is None and "out of scope" in text  # distributed delivers 22 %


def test_what_a_row_says_its_conditions_set_they_do_set(monkeypatch):
    """A row's ``sets`` (what marks a variant as a mere re-run in the report) names only
    parameters that the conditions its check asks for set themselves."""
    asked: list[dict] = []
    original = validation.Runs.of

    def recording(self, name, *, seeds_of=None, **params):
        asked.append(params)
        return original(self, name, seeds_of=seeds_of, **params)

    monkeypatch.setattr(validation.Runs, "of", recording)
    design = validation.Design(warm_up=0, employees=20, steps=8, seeds=2, seed=3)
    declared = 0
    with make_executor(1, None) as (executor, _, _):
        runs = validation.Runs(design, executor, {}, 1)
        for check in validation.CHECKS:
            asked.clear()
            rows = check(runs).rows
            for row in rows:
                for name in row.sets:
                    declared += 1
                    assert any(name in params for params in asked), (row.pattern, name)
    assert declared >= 5  # V6a, V7a, V8a, V8b, V9a


class _Outcomes:
    """A stand-in for ``Runs`` that answers ``outcome`` from a table: (condition name,
    column) → one value a seed."""

    def __init__(self, table: dict[tuple[str, str], list[float]]) -> None:
        self.table = table

    def outcome(self, name, column, *, seeds_of=None, **params):
        return np.array(self.table[name, column], dtype=float)


def test_v6a_reads_how_many_lead_and_shows_the_claims_granted_beside_it():
    """V6a holds when shared purpose raises the number of people who led lately (how
    widely leadership is shared), whatever the claims granted do, and fails when only the
    claims granted rise (the same people taking the extra leads); the grants are shown."""
    from experiments.validation.checks import v6_peer_support

    def rows(granted_low, granted_high, led_low, led_high):
        table = {("purpose 0.1", "tasks_started"): granted_low,
                 ("purpose 0.9", "tasks_started"): granted_high,
                 ("purpose 0.1", "leaders_active"): led_low,
                 ("purpose 0.9", "leaders_active"): led_high,
                 ("no support", "leaders_active"): [10.0, 11.0, 9.0],
                 ("distributed", "leaders_active"): [45.0, 46.0, 44.0]}
        return v6_peer_support(_Outcomes(table)).rows

    more_leads = rows([2.5, 2.6, 2.55], [2.5, 2.6, 2.55], [30.0, 31.0, 32.0], [40.0, 41.0, 42.0])
    assert more_leads[0].holds and more_leads[0].value.startswith("10.0")  # +10 people
    assert "|" in more_leads[0].value  # the claims granted shown beside them
    only_grants = rows([2.2, 2.3, 2.25], [2.7, 2.8, 2.78], [42.0, 41.0, 43.0],
                       [41.0, 42.0, 41.5])
    assert not only_grants[0].holds and "| 0.5" in only_grants[0].value  # +0.50 a week
    assert more_leads[1].holds  # 10 of 45: collapsed to a few (under a quarter)


def test_the_field_figures_are_read_again_at_the_robustness_studys_points_on_seeds_of_their_own():
    from experiments import robustness
    from experiments.validation import uncertainty

    design = validation.Design(field_points=5, field_point_seeds=2, seed=7)
    planned = uncertainty.plan(design, ("heroic", "distributed"))
    assert len(planned) == 5 * 2 * 2
    points = robustness.hypercube(robustness.Design(points=5))
    for point, policy, (params, constants, seed, steps, warm_up) in planned:
        row = points.loc[point]
        assert dict(constants) == {k: v for k, v in row.items() if "." in k}
        assert params["policy"] == policy and params["leader_capacity"] == row.leader_capacity
        assert (steps, warm_up) == (design.steps, design.warm_up)
        # far past the seeds of the patterns and world checks; the same under each policy
        assert seed - design.seed - uncertainty.SEED_OFFSET in (2 * point, 2 * point + 1)
    seeds = {policy: [task[2] for _, p, task in planned if p == policy]
             for policy in ("heroic", "distributed")}
    assert seeds["heroic"] == seeds["distributed"] and len(set(seeds["heroic"])) == 10
    with pytest.raises(ValueError, match="field_point_seeds=1 is not allowed"):
        uncertainty.plan(validation.Design(field_point_seeds=1), ("heroic",))


def test_the_summary_over_the_points_gives_the_mean_the_spread_net_of_noise_and_what_moves_it():
    from experiments import robustness
    from experiments.validation import uncertainty
    from experiments.validation.checks import PLAUSIBILITY

    inputs = list(robustness.UNCERTAIN)
    rng = np.random.default_rng(3)
    cube = pd.DataFrame(rng.uniform(size=(40, len(inputs))), columns=inputs)
    turnover = 0.05 + 0.1 * cube[inputs[4]]  # rises with the fifth input alone
    se = 0.01  # each point's standard error: its interval ± 1.96 se
    points = pd.DataFrame({"point": range(40), "policy": "heroic", "figure_index": 0,
                           "value": turnover, "low": turnover - 1.96 * se,
                           "high": turnover + 1.96 * se, **cube})
    row = uncertainty.summary(points, PLAUSIBILITY).iloc[0]
    assert row.figure == "P1" and row.points == 40
    assert row["mean"] == pytest.approx(turnover.mean())
    assert row.point_noise == pytest.approx(se)
    assert row.between_points == pytest.approx(np.sqrt(turnover.var() - se**2))
    assert row.in_range == int(((turnover >= 0.10) & (turnover <= 0.25)).sum())
    assert row.moved_most_by == inputs[4] and row.rank_correlation == pytest.approx(1.0)
    # what noise alone does: a spread no larger than a point's noise, and no input named
    noise = pd.Series(rng.normal(0.12, 0.02, 40))
    only_noise = points.assign(value=noise, low=noise - 1.96 * 0.03, high=noise + 1.96 * 0.03)
    row = uncertainty.summary(only_noise, PLAUSIBILITY).iloc[0]
    assert row.between_points == 0.0 and row.moved_most_by is None
    flat = uncertainty.summary(points.assign(value=0.2), PLAUSIBILITY).iloc[0]
    assert flat.moved_most_by is None and flat.in_range == 40


def test_the_points_where_most_tasks_fail_are_named_with_what_they_share():
    from experiments import robustness
    from experiments.validation import uncertainty

    inputs = list(robustness.UNCERTAIN)
    cube = pd.DataFrame(np.tile(np.linspace(0, 1, 10)[:, None], (1, len(inputs))),
                        columns=inputs)
    cube[inputs[0]] = cube[inputs[0]].to_numpy()[::-1]  # the first input runs the other way
    cube[inputs[1]] = [0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.0]  # no trend
    failed = np.where(np.arange(10) >= 8, 0.9, 0.1)  # the two highest points fail
    points = pd.concat([
        pd.DataFrame({"point": range(10), "policy": policy, "figure_index": 3,
                      "value": failed if policy == "heroic" else 0.1, **cube})
        for policy in ("heroic", "distributed")])
    assert uncertainty.far_out(points, 3, 0.40) == {"heroic": [8, 9], "distributed": []}
    shared = dict(uncertainty.what_they_share(points, [8, 9], top=len(inputs)))
    assert shared[inputs[2]] == pytest.approx(0.95) and shared[inputs[0]] == pytest.approx(0.15)
    assert list(shared)[-1] == inputs[1]  # the input with no trend comes last
