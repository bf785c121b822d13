"""The ``mechanisms`` experiment: one mechanism off at a time, paired over seeds."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from experiments import mechanisms
from experiments.__main__ import main
from model import Parameters


def test_every_mechanism_is_a_parameter_switch():
    defaults = Parameters()
    for name, (meaning, off) in mechanisms.MECHANISMS.items():
        assert meaning and off, name
        switched = defaults.replace(**off)  # valid, and really different from the defaults
        assert any(getattr(switched, k) != getattr(defaults, k) for k in off), name


def test_the_change_is_paired_by_seed():
    rows = []
    for mechanism, setting, seed in itertools.product(
            [mechanisms.ALL_ON, "report lag"], mechanisms.SETTINGS, (1, 2, 3)):
        # all on: heroic − distributed = seed; report lag off: = seed + 0.5
        gap = seed + (0.5 if mechanism == "report lag" else 0.0)
        for policy, value in (("heroic", 10 + gap), ("distributed", 10.0)):
            rows.append({"mechanism": mechanism, "setting": setting, "policy": policy,
                         "seed": seed, **{o: value for o in mechanisms.OUTCOMES}})
    table = mechanisms.summarise(pd.DataFrame(rows))
    lag = table[table.mechanism == "report lag"]
    assert len(lag) == len(mechanisms.SETTINGS) * len(mechanisms.OUTCOMES)
    assert lag.delta.eq(0.5).all() and (lag.high - lag.low).abs().max() < 1e-9
    base = table[table.mechanism == mechanisms.ALL_ON]
    assert base.gap_all_on.eq(2.0).all() and base.delta.eq(0.0).all()
    # the gap itself over seeds 1, 2, 3: mean 2, sd 1, t(0.975, 2) = 4.303
    half = 4.302652729911275 / np.sqrt(3)
    assert np.allclose(base.gap_all_on_low, 2.0 - half)
    assert np.allclose(base.gap_all_on_high, 2.0 + half)


def test_every_step_of_fostering_is_a_parameter_switch():
    defaults = Parameters()
    for name, (meaning, off) in mechanisms.FOSTERING_STEPS.items():
        assert meaning and off, name
        switched = defaults.replace(**off)
        assert any(getattr(switched, k) != getattr(defaults, k) for k in off), name


def test_each_step_of_fostering_is_compared_paired_by_seed():
    rows = []
    for step, setting, seed in itertools.product(
            [mechanisms.ALL_ON, *mechanisms.FOSTERING_STEPS], mechanisms.SETTINGS, (1, 2, 3)):
        # with every step: the seed; without surfacing: 0.25 less, on every seed; other
        # steps: as with every step
        value = seed - (0.25 if step == "surfacing" else 0.0)
        rows.append({"mechanism": step, "setting": setting, "policy": "fostering",
                     "seed": seed, **{o: value for o in mechanisms.HANDOVER}})
    rows.append({"mechanism": mechanisms.ALL_ON, "setting": "defaults", "policy": "heroic",
                 "seed": 1, **{o: 99.0 for o in mechanisms.HANDOVER}})  # not fostering
    table = mechanisms.summarise_fostering(pd.DataFrame(rows))
    assert len(table) == (len(mechanisms.FOSTERING_STEPS) * len(mechanisms.SETTINGS)
                          * len(mechanisms.HANDOVER))
    surfacing = table[table.step == "surfacing"]
    assert surfacing.delta.eq(-0.25).all() and (surfacing.high - surfacing.low).abs().max() < 1e-9
    assert table[table.step != "surfacing"].delta.eq(0.0).all()
    assert table.with_all.eq(2.0).all()


def test_the_experiment_runs_end_to_end(tmp_path):
    design = mechanisms.Design(warm_up=0, replications=2, steps=6, employees=24)
    lines = mechanisms.run(tmp_path, design, workers=1)
    assert "runs" in lines[0]
    summary = pd.read_csv(tmp_path / "summary.csv")
    expected = (len(mechanisms.MECHANISMS) + 1) * len(mechanisms.SETTINGS) * len(
        mechanisms.OUTCOMES)
    assert len(summary) == expected
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert len(runs) == ((len(mechanisms.MECHANISMS) + 1) * 2
                         + len(mechanisms.FOSTERING_STEPS) + 1) * len(mechanisms.SETTINGS) * 2
    steps = pd.read_csv(tmp_path / "fostering.csv")
    assert len(steps) == (len(mechanisms.FOSTERING_STEPS) * len(mechanisms.SETTINGS)
                          * len(mechanisms.HANDOVER))
    text = (tmp_path / "summary.md").read_text()
    assert all(name in text for name in (*mechanisms.MECHANISMS, *mechanisms.FOSTERING_STEPS))
    assert "Fostering's steps" in text
    assert (tmp_path / "mechanisms.png").stat().st_size > 0


@pytest.mark.parametrize("argv", [["--replications", "1"], ["--steps", "0"],
                                  ["--set", "turbulence=0.2"], ["--no-report"],
                                  ["--batch-size", "4", "--import", "x"]])
def test_bad_input_exits_2(argv, tmp_path, capsys):
    assert main(["run", "mechanisms", "--out", str(tmp_path / "m"), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    # an option a study does not take is named
    assert all(option in err.split(";")[0] for option in argv if option.startswith("--")
               and option not in ("--replications", "--steps")), err
    assert not (tmp_path / "m").exists()


def test_a_report_cell_is_the_estimate_and_its_interval_bold_where_clear_of_0():
    assert mechanisms.interval_cell(0.25, 0.1, 0.4) == "**+0.250** [+0.100, +0.400]"
    assert mechanisms.interval_cell(-0.2, -0.5, 0.1, digits=2) == "-0.20 [-0.50, +0.10]"
    assert mechanisms.interval_cell(np.nan, np.nan, np.nan) == "undefined [undefined, undefined]"
