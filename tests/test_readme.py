"""The README's Python examples run as written."""

import re
from pathlib import Path

from experiments.__main__ import main as experiments_main
from model.policies import policy_names

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_examples_run(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)  # the dataset example reads results/ here
    assert experiments_main(["run", "heroic_vs_distributed", "--steps", "4",
                             "--replications", "1", "--workers", "1", "--quiet",
                             "--out", "results/heroic_vs_distributed"]) == 0
    namespace: dict = {}
    ran = 0
    for block in blocks:
        if "dask_jobqueue" in block:  # needs a SLURM cluster
            continue
        exec(compile(block, str(README), "exec"), namespace)
        ran += 1
    assert ran >= 3
    assert "only_the_energised" in policy_names()
    assert len(namespace["res"].runs) == 18
