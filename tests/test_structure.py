"""The shape of the code: one schedule of phases on a world, lazy imports, one list of
policies read everywhere, one run adapter."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from model import OrganisationModel, Parameters
from model.metrics import MODEL_OUTPUTS, model_outputs
from model.phases import SCHEDULE
from model.policies import LeadershipPolicy, policy_names, register_policy
from model.policies.allocation import self_organise
from model.world import Step, World


def test_importing_a_rule_does_not_import_mesa_or_networkx():
    code = ("import sys, model.rules.motivation, model.rules.leadership; "
            "print(sorted(m for m in ('mesa', 'networkx', 'solara', 'model.organisation') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_the_schedule_is_a_list_of_phase_modules_each_with_run():
    assert len(SCHEDULE) >= 10
    assert all(isinstance(phase, ModuleType) and callable(phase.run) for phase in SCHEDULE)
    names = [phase.__name__.rsplit(".", 1)[1] for phase in SCHEDULE]
    assert names.index("arrivals") < names.index("allocation") < names.index("work")
    assert names.index("needs") < names.index("regulations") < names.index("contagion")
    assert names[-2:] == ["turnover", "adaptation"]


def test_a_world_runs_the_schedule_without_mesa_and_matches_the_mesa_model():
    params = {"n_employees": 50, "policy": "fostering", "rng": 9}
    model = OrganisationModel(**params)
    rng = np.random.default_rng(9)
    world = World(Parameters(n_employees=50, policy="fostering"), rng)
    world.found()
    rows = []
    for k in range(1, 16):
        model.step()
        world.steps = k
        step = Step()
        for phase in SCHEDULE:
            phase.run(world, step)
        rows.append(model_outputs(world, step.events))
    expected = model.datacollector.get_model_vars_dataframe().iloc[1:]
    got = pd.DataFrame(rows, index=expected.index)[list(MODEL_OUTPUTS)]
    pd.testing.assert_frame_equal(got, expected[list(MODEL_OUTPUTS)], check_dtype=False)


def test_parameters_name_the_registered_policies():
    assert Parameters.choices("policy") == policy_names()
    assert set(policy_names()) >= {"heroic", "distributed", "fostering"}
    assert Parameters.bounds("turbulence") == (0.0, 1.0)
    assert "network" in Parameters.meaning("network")
    with pytest.raises(ValueError, match="no range"):
        Parameters.bounds("policy")
    with pytest.raises(ValueError, match="unknown parameter"):
        Parameters.choices("nonsense")
    with pytest.raises(ValueError, match=r"policy=.*not a known policy"):
        Parameters(policy=np.array(["heroic", "distributed"]))


@register_policy
class _Energised(LeadershipPolicy):
    """Distributed, but only people with energy above 0.6 may act."""

    name = "energised_structure_test"

    def may_act(self, world):
        return world.state.active & (world.state.energy > 0.6)

    def allocate(self, world, ctx):
        self_organise(world, ctx, self.may_act(world))


def test_a_registered_policy_reaches_the_cli_the_parameters_and_the_app(capsys):
    from app.scenarios import controls, policy_words
    from model.__main__ import main

    assert main(["--steps", "4", "--employees", "30", "--policies", _Energised.name]) == 0
    assert _Energised.name in capsys.readouterr().out
    menu = dict((name, options) for name, _, kind, options in controls() if kind == "select")
    assert _Energised.name in menu["policy"]
    assert "energy above 0.6" in policy_words(_Energised.name)
    assert Parameters(policy=_Energised.name).policy == _Energised.name


def test_app_controls_read_their_ranges_from_the_parameters():
    from app.scenarios import controls

    for name, _, kind, options in controls():
        if kind == "select":
            assert tuple(options) == Parameters.choices(name)
        else:
            low, high, _ = options
            p_low, p_high = Parameters.bounds(name)
            assert p_low <= low < high <= p_high


def test_one_run_adapter_summarises_every_run_the_same_way():
    from experiments.simulate import final_rows, run_model

    result = run_model({"n_employees": 30}, rng=4, steps=10,
                       observe=lambda world: world.state.n)
    assert result.observed == 30 and len(result.timeseries) == 11
    last = result.timeseries.iloc[-final_rows(10):]
    assert final_rows(10) == 2 and final_rows(150) == 38 and final_rows(1) == 1
    assert result.final["rai"] == pytest.approx(last["rai"].mean())
    assert set(result.final) == set(MODEL_OUTPUTS)


def test_a_run_that_keeps_fewer_steps_gives_the_same_outputs_for_those_it_keeps():
    from experiments.simulate import recorded_steps, run_model

    params = {"n_employees": 30, "policy": "heroic"}
    full = run_model(params, rng=4, steps=21)
    assert recorded_steps(21, None) == [0, 17, 18, 19, 20, 21]  # the last quarter: 5 steps
    assert recorded_steps(21, 8) == [0, 8, 16, 17, 18, 19, 20, 21]
    for every in (None, 8):
        part = run_model(params, rng=4, steps=21, record_every=every)
        assert part.timeseries.index.tolist() == recorded_steps(21, every)
        pd.testing.assert_frame_equal(part.timeseries, full.timeseries.loc[part.timeseries.index],
                                      check_exact=True)
        pd.testing.assert_series_equal(pd.Series(part.final), pd.Series(full.final),
                                       check_exact=True)


def test_a_policy_in_a_new_file_in_model_policies_is_discovered(tmp_path):
    """In a copy of the package (the suite runs in parallel: the real folder stays as is)."""
    import os
    import shutil
    from pathlib import Path

    import model

    copy = tmp_path / "model"
    shutil.copytree(Path(model.__file__).parent, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "policies" / "zz_discovered_for_test.py").write_text(
        "from model.policies.base import register_policy\n"
        "from model.policies.distributed import DistributedPolicy\n\n\n"
        "@register_policy\n"
        "class Discovered(DistributedPolicy):\n"
        '    """Distributed, under another name (written by a test)."""\n\n'
        '    name = "discovered_for_test"\n'
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    where = subprocess.run([sys.executable, "-c", "import model; print(model.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path).stdout
    assert where.startswith(str(copy))
    result = subprocess.run(
        [sys.executable, "-m", "model", "--policies", "discovered_for_test", "--steps", "3",
         "--employees", "30"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "discovered_for_test" in result.stdout


def test_mesa_batch_run_with_seeds_as_a_parameter_is_reproducible_and_paired():
    """The README's advice: give batch_run the seeds, one per replication (its ``rng``
    argument from Mesa 3.4 on, a parameter before); the same seeds give the same runs, and
    each policy meets them all."""
    import inspect

    import mesa

    from model import OrganisationModel

    parameters = {"policy": ["heroic", "distributed"], "n_employees": 20}
    seeded = ({"rng": [1, 2]} if "rng" in inspect.signature(mesa.batch_run).parameters
              else None)

    def batch():
        if seeded:
            rows = mesa.batch_run(OrganisationModel, parameters, max_steps=5,
                                  display_progress=False, **seeded)
        else:
            rows = mesa.batch_run(OrganisationModel, {**parameters, "rng": [1, 2]},
                                  max_steps=5, display_progress=False)
        return pd.DataFrame(rows).sort_values(["policy", "rng"]).reset_index(drop=True)

    first, second = batch(), batch()
    assert len(first) == 4 and sorted(set(first.rng)) == [1, 2]
    pd.testing.assert_frame_equal(first.drop(columns=["RunId"]),
                                  second.drop(columns=["RunId"]))


def test_the_project_is_citable_with_one_version_everywhere():
    import json
    import tomllib
    from pathlib import Path

    root = Path(__file__).parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    citation = (root / "CITATION.cff").read_text()
    codemeta = json.loads((root / "codemeta.json").read_text())
    assert f'version: "{project["version"]}"' in citation
    assert codemeta["version"] == project["version"]
    assert project["license"] == "MIT" and "MIT License" in (root / "LICENSE").read_text()
    assert project["authors"] and "license: MIT" in citation
