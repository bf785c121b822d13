"""Every notebook runs top to bottom (small, QUICK=1) in a fresh kernel, and is committed
without outputs so that diffs stay readable."""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from traitlets.config import Config

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_three_notebooks_are_there():
    assert [p.name for p in PATHS] == [
        "01_quickstart.ipynb", "02_analyse_a_sweep.ipynb", "03_change_a_rule.ipynb"]


@pytest.fixture
def kernel_over_local_sockets():
    """The kernel talks over Unix sockets, not TCP ports: a TCP port chosen free can be taken
    by another test's server before the kernel binds it ("Address already in use"), which
    failed CI once. The socket path is kept short (Unix sockets allow ~100 characters)."""
    with tempfile.TemporaryDirectory(prefix="nbk") as sockets:
        yield Config({"KernelManager": {"transport": "ipc", "ip": f"{sockets}/kernel"}})


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs_top_to_bottom(path, monkeypatch, tmp_path, kernel_over_local_sockets):
    monkeypatch.setenv("QUICK", "1")
    monkeypatch.setenv("RESULTS_DIR", str(tmp_path / "results"))
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", config=kernel_over_local_sockets,
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    errors = [o for cell in notebook.cells if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.output_type == "error"]
    assert not errors


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_is_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_the_rendered_page_is_fresh_and_shows_its_outputs(path):
    """docs/notebooks/NAME.html, with outputs, was rendered from the notebook as it is now
    (``make notebooks-html``; readers open it without Jupyter)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("render", NOTEBOOKS / "render.py")
    render = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render)
    page = render.PAGES / f"{path.stem}.html"
    assert page.is_file(), f"{page} missing: run make notebooks-html"
    text = page.read_text()
    assert text.startswith(render.MARK.format(render.source_hash(path))), (
        f"{path.name} changed since {page.name} was rendered: run make notebooks-html")
    assert "data:image/png;base64" in text  # its figures are in the page
