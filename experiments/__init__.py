"""Reproducible, resumable parameter sweeps of the organisation model into Parquet datasets.

>>> from experiments import load_results
>>> res = load_results("results/heroic_vs_distributed")
>>> res.runs       # one row per run: parameters, seed, status, timings, final outcomes
>>> res.timeseries # one row per run per recorded step
"""

from experiments.runner import run_experiment
from experiments.spec import Experiment, SpecError, load
from experiments.store import Results, load_results

__all__ = ["Experiment", "Results", "SpecError", "load", "load_results", "run_experiment"]
