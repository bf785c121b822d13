"""The founding transient and the warm-up the studies run before reading an organisation
(``experiments.settling``, ``experiments.simulate.SETTLING_WEEKS``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments import settling
from experiments.simulate import SETTLING_WEEKS, run_batch


def test_settled_from_finds_the_first_week_every_later_window_stays_near_the_tail():
    # 0.5 for weeks 1-40, then 0.1: windows of 10 from week 31 on hold only 0.1s after 41
    series = np.array([0.0] + [0.5] * 40 + [0.1] * 60)
    assert settled_from(series, 0.1) == 40
    # a level the last windows leave again: never settled (tail 76-100 = 0.26, and no
    # window of 0.1s or of 0.5s within 10 % of it)
    assert settled_from(np.array([0.0] + [0.1] * 90 + [0.5] * 10), 0.1) is None
    # a tolerance wide enough takes everything in from the start
    assert settled_from(np.array([0.0] + [0.12] * 50 + [0.1] * 50), 0.5) == 0


def settled_from(series, tolerance):
    return settling.settled_from(series, tolerance, window=10, stride=10, tail=0.25)


def test_the_warm_up_is_the_latest_settling_week_rounded_up_to_whole_years():
    table = pd.DataFrame({"settled_from": [104, 325, 200]})
    assert settling.warm_up_implied(table) == 364
    assert settling.warm_up_implied(pd.DataFrame({"settled_from": [104, None]})) is None
    assert SETTLING_WEEKS % settling.WINDOW == 0


def test_an_organisation_founded_at_once_is_more_burnt_out_in_its_founding_wave_than_settled():
    """The transient the warm-up leaves out (directional, 8 seeds a policy): burnout and
    exits in weeks 26-150 above their level a year after ``SETTLING_WEEKS``."""
    for policy in settling.POLICIES:
        runs = run_batch({"policy": policy}, steps=SETTLING_WEEKS + 52,
                         rngs=[np.random.SeedSequence(70_000 + k) for k in range(8)])
        series = np.mean([r.timeseries[["burnout_share", "exits"]].to_numpy() for r in runs],
                         axis=0)
        wave, settled = series[26:151].mean(axis=0), series[SETTLING_WEEKS + 1:].mean(axis=0)
        assert (wave > settled).all(), (policy, wave, settled)


def test_the_command_refuses_a_bad_size_saying_what_is_allowed(capsys):
    assert settling.main(["--weeks", "50"]) == 2
    assert settling.main(["--tolerance", "1.5"]) == 2
    err = capsys.readouterr().err
    assert "--weeks=50 is not allowed" in err and "--tolerance=1.5" in err


def test_studies_read_settled_organisations_and_fostering_its_founding(capsys, tmp_path):
    """The studies that compare organisations warm up by ``SETTLING_WEEKS`` (the command
    line may say otherwise); fostering's own steps are read from the founding (the
    hand-over is a process), so its study refuses a warm-up."""
    from experiments import channels, mechanisms, robustness, spec, validation
    from experiments.__main__ import main

    for study in (channels, mechanisms, robustness, validation):
        assert study.Design().warm_up == SETTLING_WEEKS
    tasks = mechanisms.plan(mechanisms.Design(replications=1))
    assert {t[3] for t in tasks if t[-1] != "fostering"} == {SETTLING_WEEKS}
    assert {t[3] for t in tasks if t[-1] == "fostering"} == {0}
    for name in ("heroic_vs_distributed", "deadline_slack"):
        assert spec.load(name).warm_up == SETTLING_WEEKS
    assert spec.with_overrides(spec.load("heroic_vs_distributed"), warm_up=0).warm_up == 0
    capsys.readouterr()
    assert main(["run", "channels", "--dry-run"]) == 0
    assert f"after a warm-up of {SETTLING_WEEKS}" in capsys.readouterr().out
    assert main(["run", "channels", "--warm-up", "0", "--dry-run"]) == 0
    assert (f"from the founding, no warm-up (the studies warm up first: --warm-up "
            f"{SETTLING_WEEKS})") in capsys.readouterr().out
    assert main(["run", "heroic_vs_distributed", "--dry-run", "--out", str(tmp_path / "h")]) == 0
    assert f"200 steps each after a warm-up of {SETTLING_WEEKS} weeks" in capsys.readouterr().out
    assert main(["run", "heroic_vs_distributed", "--warm-up", "0", "--dry-run", "--out",
                 str(tmp_path / "h")]) == 0
    assert "200 steps each from the founding, no warm-up" in capsys.readouterr().out
    assert main(["run", "fostering_transition", "--warm-up", "52"]) == 2
    assert main(["run", "robustness", "--warm-up", "-1"]) == 2
    err = capsys.readouterr().err
    assert "does not take --warm-up" in err and "--warm-up=-1 is not allowed" in err


def test_runs_of_other_warm_ups_never_share_a_batch():
    """A batch runs every organisation for as long as its first task says: tasks that
    differ only in their warm-up go to different batches."""
    from experiments.simulate import in_batches, same_condition

    tasks = [({"policy": "heroic"}, seed, 8, warm_up) for warm_up in (0, 3) for seed in (1, 2)]
    assert [[t[3] for t in b] for b in in_batches(tasks, same_condition, size=4)] == [[0, 0],
                                                                                     [3, 3]]
    named = [({"policy": "fostering"}, seed, 8, "all on") for seed in (1, 2)]  # no warm-up
    assert len(in_batches(named, same_condition, size=4)) == 1


def test_the_command_line_help_names_the_warm_up_the_studies_run(capsys):
    """The help says the studies' warm-up as a number (the command line does not import
    the model to build its parser): it must be ``SETTLING_WEEKS``."""
    from experiments.__main__ import main

    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert f"a study's: {SETTLING_WEEKS}," in " ".join(capsys.readouterr().out.split())
