"""The ``robustness`` study: variants and hypercube planned on shared seeds, constants set
and put back, each uncertain input reaching the model, the sign shares, and the report."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from experiments import robustness as study
from experiments.__main__ import main
from experiments.simulate import run_model
from model import Parameters
from model.rules import leadership, market

TINY = study.Design(warm_up=0, replications=2, steps=6, points=4, form_replications=2)


def test_every_run_is_valid_and_the_policies_of_a_cell_share_their_seed():
    tasks = study.plan(TINY)
    forms = len(study.FORMS) * 2 * 3 * 2  # values × policies × markets × seeds
    assert len(tasks) == (len(study.VARIANTS) * 9 * 3 * 2) + 4 * 9 * 3 + forms
    for params, *_ in tasks:
        Parameters(**params)
    keys = pd.DataFrame([t[-1] for t in tasks])
    cells = keys.groupby(["part", "variant", "point", "turbulence", "task_complexity",
                          "seed"]).policy.nunique()
    assert (cells.drop("form", level="part") == 3).all() and (cells["form"] == 2).all()
    second = keys[keys.variant == "second seed set"].seed
    assert not set(second) & set(keys[keys.variant == "base"].seed)
    form = [(t[1], t[-1]) for t in tasks if t[-1]["part"] == "form"]
    assert {key["task_complexity"] for _, key in form} == {0.8}
    assert {patched["work.SHORT_TEAM_LOSS"] for patched, _ in form} == set(study.FORMS)
    assert all(patched == {"work.SHORT_TEAM_LOSS": float(key["variant"].split()[-1])}
               for patched, key in form)
    assert not {key["seed"] for _, key in form} & set(keys[keys.part != "form"].seed)


def test_the_form_sweep_pairs_distributed_with_heroic_seed_by_seed():
    rows = []
    for _, patched, seed, _, _, key in study.plan(TINY):
        if key["part"] != "form":
            continue
        loss = patched["work.SHORT_TEAM_LOSS"]
        # heroic ahead by the loss, and a seed-to-seed spread both policies share
        value = seed % 7 - (loss if key["policy"] == "distributed" else 0.0)
        rows.append({**key, **{o: value for o in study.OUTCOMES}})
    table = study.form_table(pd.DataFrame(rows))
    assert len(table) == 2 * len(study.FORMS) * 3  # two outcomes × values × markets
    assert np.allclose(table["mean"], -table.short_team_loss)
    assert np.allclose(table.high - table.low, 0.0)  # paired: the shared spread cancels
    assert (table.seeds == 2).all()


def test_constants_are_set_for_a_run_and_put_back_after_even_on_error():
    before = leadership.DECISION_WEEKS
    with pytest.raises(RuntimeError), study.constants({"leadership.DECISION_WEEKS": 0.5,
                                                       "market.BASE_PACE": 0.3}):
        assert leadership.DECISION_WEEKS == 0.5 and market.BASE_PACE == 0.3
        raise RuntimeError
    assert before == leadership.DECISION_WEEKS and market.BASE_PACE == 0.4


def test_every_uncertain_input_reaches_the_model():
    """At the top of its range, each input changes some run (so none is a dead name); a
    second seed is tried only where the first happens not to show it (a survey's detection
    chance, say, moves no draw across it in a short run)."""
    @functools.cache
    def outputs(patched: tuple, changes: tuple, policy: str, seed: int) -> pd.DataFrame:
        with study.constants(dict(patched)):
            return run_model({"n_employees": 40, "policy": policy, "turbulence": 0.9,
                              "task_complexity": 0.8, **dict(changes)},
                             rng=np.random.SeedSequence(seed), steps=60).timeseries

    runs = [(p, seed) for seed in (3, 4) for p in ("heroic", "distributed", "fostering")]
    for name, (_, high, _) in study.UNCERTAIN.items():
        patched = ((name, high),) if "." in name else ()
        changes = () if "." in name else ((name, round(high) if name in study.WHOLE_NUMBERS
                                           else high),)
        assert any(not outputs(patched, changes, p, seed).equals(outputs((), (), p, seed))
                   for p, seed in runs), name


def test_sign_shares_and_flips_are_read_against_the_base():
    design = study.Design(warm_up=0, replications=3, steps=6, points=6)
    rows = []
    for _, _, seed, _, _, key in study.plan(design):
        value = {"heroic": 0.0, "distributed": 1.0, "fostering": -1.0}[key["policy"]]
        if key["part"] == "hypercube" and key["point"] < 3:
            value = -value  # half the hypercube turns both contrasts round
        if key["variant"] == "problems x2":
            value = -value + 0.001 * (seed % 3)
        rows.append({**key, **{o: value for o in study.OUTCOMES}})
    _, _, summary = study.summarise(pd.DataFrame(rows), design)
    row = summary.iloc[0]
    assert row.base == 1.0 and row.share_held == 0.5 and row.points == 6
    assert np.isnan(row.by_noise)  # every base seed alike: no spread to read noise from
    assert 0.1 < row.share_low < 0.5 < row.share_high < 0.9
    assert row.flipped_by == "problems x2"
    fostering = summary[summary.contrast == "fostering − heroic"].iloc[0]
    assert fostering.base == -1.0 and fostering.share_held == 0.5


def test_the_study_runs_end_to_end_and_refuses_bad_arguments(tmp_path, capsys):
    out = tmp_path / "rob"
    lines = study.run(out, TINY, workers=1)
    assert "robustness:" in lines[0]
    for name in ("summary.md", "summary.csv", "variants.csv", "hypercube.csv", "runs.csv",
                 "robustness.png"):
        assert (out / name).is_file(), name
    text = (out / "summary.md").read_text()
    assert "distributed − heroic: throughput" in text and "uncertain inputs" in text
    assert "The short-team form, one value at a time" in text
    assert (out / "form.csv").is_file()
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == len(study.plan(TINY))
    study.run(out, TINY, workers=1)  # everything is done: nothing runs again
    assert pd.read_csv(out / "runs.csv").equals(runs)
    assert main(["run", "robustness", "--replications", "1"]) == 2
    assert main(["run", "robustness", "--steps", "2"]) == 2
    assert "allowed" in capsys.readouterr().err


def test_the_odd_lists_the_uncertain_inputs_and_their_ranges():
    from pathlib import Path

    odd = (Path(__file__).parents[1] / "docs" / "ODD.md").read_text()
    section = odd.split("### Uncertain constants and parameters")[1].split("\n## ")[0]
    for name, (low, high, source) in study.UNCERTAIN.items():
        assert f"| `{name}` | {low:.4g} | {high:.4g} | {source} |" in section, name


def test_the_noise_share_is_the_chance_one_seed_keeps_the_means_sign():
    assert study.noise_share(np.array([1.0, 3.0])) == pytest.approx(0.9214, abs=1e-4)  # Φ(2 / √2)
    assert study.noise_share(np.array([-1.0, -3.0])) == study.noise_share(np.array([1.0, 3.0]))
    assert study.noise_share(np.array([-1.0, 1.0])) == 0.5  # no sign to keep
    assert np.isnan(study.noise_share(np.array([2.0])))
    assert np.isnan(study.noise_share(np.array([2.0, 2.0])))  # no spread
