import os

import numpy as np
import pytest
from hypothesis import settings

from model import OrganisationModel
from model.world import World

# CI is a gate: the same examples every run. Locally, hypothesis explores anew each time.
# HYPOTHESIS_PROFILE=deep for a long search.
settings.register_profile("dev", max_examples=40)
settings.register_profile("ci", max_examples=40, derandomize=True, print_blob=True)
settings.register_profile("deep", max_examples=400)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


def run(steps: int = 30, **kwargs) -> OrganisationModel:
    kwargs.setdefault("n_employees", 60)
    kwargs.setdefault("rng", 3)
    model = OrganisationModel(**kwargs)
    for _ in range(steps):
        model.step()
    return model


def run_many(steps: int, seeds, **kwargs) -> list[World]:
    """``run(steps, rng=seed, **kwargs).world`` for each seed, at once: the organisations
    run together as one organisation batch (``experiments.simulate.run_batch``: each bit
    for bit as it runs alone, several times faster) and come back each as the world it has
    alone. For a test that reads each run's state over several seeds (not its outputs)."""
    from experiments.simulate import run_batch

    runs = run_batch({"n_employees": 60, **kwargs}, rngs=list(seeds), steps=steps,
                     record_every=None, observe=lambda world: world)
    return [r.observed for r in runs]


def beyond_noise(diff: np.ndarray) -> bool:
    """A difference paired over seeds whose mean lies beyond two standard errors of 0, in
    either direction."""
    diff = np.asarray(diff, dtype=float)
    return bool(abs(diff.mean()) > 2 * diff.std(ddof=1) / np.sqrt(len(diff)))


def clearly_above(a: np.ndarray, b: np.ndarray) -> bool:
    """``a`` above ``b`` over paired seeds: the mean difference positive and beyond noise."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return bool(diff.mean() > 0 and beyond_noise(diff))


@pytest.fixture
def small_run():
    return run


def assert_state_valid(model: OrganisationModel) -> None:
    """Every state variable of every employee is finite and in [0, 1]; work records and
    demands are finite and not negative (a lucky week's work may exceed its nominal size)."""
    s = model.state
    for name in ("sat", "frus", "reg", "skills", "vitality", "exhaustion", "energy",
                 "turnover_intention", "perceived_support", "join_support"):
        values = np.asarray(getattr(s, name))
        assert np.isfinite(values).all(), name
        assert (values >= 0).all() and (values <= 1).all(), name
    worked = ~np.isnan(s.performance)
    for values in (s.performance[worked], s.output, s.demands):
        assert np.isfinite(values).all() and (values >= 0).all()
    assert (s.exhausted_weeks >= 0).all()
    assert np.isfinite(model.ties.strength).all()
    assert ((model.ties.strength >= 0) & (model.ties.strength <= 1)).all()
