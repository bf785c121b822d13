"""The parameter set: defaults, validation messages, and the ODD table kept in step."""

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

from model import OrganisationModel, Parameters

ODD = Path(__file__).resolve().parents[1] / "docs" / "ODD.md"


def test_defaults_are_valid_and_describe_100_employees():
    p = Parameters()
    assert p.n_employees == 100
    assert p.leader_departure_step is None


def test_every_field_has_a_meaning_and_a_range_or_choices():
    for f in dataclasses.fields(Parameters):
        m = f.metadata
        assert m["meaning"], f.name
        assert (f.type == "bool" or m["choices"] or m["low"] is not None
                or m["text"] is not None), f.name


@pytest.mark.parametrize(
    ("kwargs", "name", "allowed"),
    [
        ({"n_employees": 5}, "n_employees", "[10, 1000000]"),
        ({"n_employees": 10.5}, "n_employees", "whole number"),
        ({"n_employees": "100"}, "n_employees", "[10, 1000000]"),
        ({"turbulence": 1.5}, "turbulence", "[0.0, 1.0]"),
        ({"turbulence": float("nan")}, "turbulence", "NaN"),
        ({"turbulence": True}, "turbulence", "bool"),
        ({"policy": "anarchy"}, "policy", "'heroic'"),
        ({"network": "ring"}, "network", "'small_world'"),
        ({"frustration_pathway": 1}, "frustration_pathway", "expected a boolean: true or false"),
        ({"leader_departure_step": 0}, "leader_departure_step", "or None"),
        ({"team_size": 20, "n_employees": 12}, "team_size", "team_size <= n_employees"),
        ({"n_employees": 10, "mean_degree": 10}, "n_employees", "n_employees > mean_degree"),
    ],
)
def test_bad_values_name_the_parameter_the_value_and_what_is_allowed(kwargs, name, allowed):
    with pytest.raises(ValueError) as info:
        OrganisationModel(**kwargs)
    message = str(info.value)
    assert message.startswith(name), message
    assert allowed in message, message


def test_unknown_keyword_is_an_error_with_a_did_you_mean():
    expected = (r"unknown parameter\(s\): n_employes \(did you mean n_employees\?\); "
                r"allowed: one of the \d+ parameters")
    with pytest.raises(ValueError, match=expected):
        OrganisationModel(n_employes=50)


def test_bad_rng_is_an_error():
    with pytest.raises(ValueError, match="rng="):
        OrganisationModel(rng="seven")
    with pytest.raises(ValueError, match="rng="):
        OrganisationModel(rng=-1)


def test_numpy_and_integral_floats_are_normalised():
    p = Parameters(n_employees=np.int64(50), turbulence=np.float32(0.5), team_size=4.0)
    assert type(p.n_employees) is int and type(p.team_size) is int
    assert type(p.turbulence) is float


def test_parameters_are_frozen_and_replace_validates():
    p = Parameters()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.turbulence = 0.9
    assert p.replace(turbulence=0.9).turbulence == 0.9
    with pytest.raises(ValueError, match="turbulence"):
        p.replace(turbulence=2)
    with pytest.raises(ValueError, match="unknown"):
        p.replace(turbulense=0.2)


def _odd_parameter_rows() -> dict[str, list[str]]:
    rows = {}
    text = ODD.read_text()
    section = text[text.index("## 8. Parameters"):text.index("## 9.")]
    section = section.split("### Uncertain constants")[0]  # the robustness study's table
    for line in section.splitlines():
        match = re.match(r"^\| `(\w+)` \|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = [c.strip() for c in match.group(2).split("|")]
    return rows


def test_odd_parameter_table_matches_the_parameter_set():
    rows = _odd_parameter_rows()
    table = {r["name"]: r for r in Parameters.field_table()}
    assert set(rows) == set(table), "ODD table and Parameters list different names"
    for name, (meaning, default, allowed) in rows.items():
        assert meaning == table[name]["meaning"], name
        assert default == f"`{table[name]['default']!r}`", name
        if name == "policy":  # the docs list the built-in ones; tests register more
            from model.policies import BUILT_IN

            assert allowed == ", ".join(repr(b) for b in BUILT_IN)
            assert set(BUILT_IN) <= set(Parameters.choices("policy"))
            continue
        assert allowed == table[name]["allowed"], name


def test_odd_output_table_is_the_models_table_of_units():
    from model.metrics import OUTPUT_UNITS

    section = ODD.read_text().split("### 7.9 Outputs")[1].split("\n## 8")[0]
    rows = dict(re.findall(r"^\| `(\w+)` \| (.*) \|$", section, flags=re.M))
    assert set(rows) == set(OUTPUT_UNITS)
    for name, (unit, definition) in OUTPUT_UNITS.items():
        assert rows[name] == f"{unit} | {definition}", name
