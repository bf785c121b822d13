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
