import numpy as np
import pytest

from model import OrganisationModel


def run(steps: int = 30, **kwargs) -> OrganisationModel:
    kwargs.setdefault("n_employees", 60)
    kwargs.setdefault("rng", 3)
    model = OrganisationModel(**kwargs)
    for _ in range(steps):
        model.step()
    return model


@pytest.fixture
def small_run():
    return run


def assert_state_valid(model: OrganisationModel) -> None:
    """Every state variable of every employee is finite and in [0, 1]."""
    s = model.state
    for name in ("sat", "frus", "reg", "skills", "energy", "turnover_intention",
                 "perceived_support", "join_support"):
        values = np.asarray(getattr(s, name))
        assert np.isfinite(values).all(), name
        assert (values >= 0).all() and (values <= 1).all(), name
    assert np.isfinite(model.ties.strength).all()
    assert ((model.ties.strength >= 0) & (model.ties.strength <= 1)).all()
