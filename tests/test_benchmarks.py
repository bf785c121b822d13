"""The benchmark scripts of ``make bench`` run (speed is measured there, never here)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_app_benchmark_redraws_what_the_page_renders():
    """``bench_app.py`` draws what the page draws each step, headline figures included,
    for one organisation and for the comparison (one step: a smoke run, no timing read)."""
    result = subprocess.run([sys.executable, "benchmarks/bench_app.py", "--steps", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    for label in ("200 employees ", "200 employees, comparison", "400 employees"):
        assert label in result.stdout


def test_the_model_benchmark_reads_the_flagship_at_the_batch_it_runs(monkeypatch):
    """The issue's per agent-step target is read at the batch size the flagship uses: its
    720 runs on every core, never across the policies and never cutting a cell's 40
    replications: the default batch of 96 runs holds two cells, 80, on 1 and 2 cores (on
    2, the ten batches keep both workers busy); on 8, at most ceil(720 / 16) = 45
    (two batches a worker), so one cell, 40."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_model
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    import os

    for cores, expected in ((1, 80), (2, 80), (8, 40)):
        monkeypatch.setattr(os, "cpu_count", lambda cores=cores: cores)
        assert bench_model.flagship_batch_size() == expected
