"""Render every notebook, run at full size, to ``docs/notebooks/NAME.html`` with its outputs.

``make notebooks-html`` runs this. Readers open the HTML files (figures included) without
Jupyter. Each file records the SHA-256 of the notebook's cells it was made from; a test
fails when a notebook changed and its page was not rendered again.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
PAGES = HERE.parent / "docs" / "notebooks"
MARK = "<!-- rendered from notebook cells sha256:{} -->"


def source_hash(path: Path) -> str:
    """SHA-256 of a notebook's cell types and sources (not outputs or metadata)."""
    notebook = nbformat.read(path, as_version=4)
    digest = hashlib.sha256()
    for cell in notebook.cells:
        digest.update(cell.cell_type.encode())
        digest.update(cell.source.encode())
    return digest.hexdigest()


def render(path: Path, out: Path) -> Path:
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=1800, kernel_name="python3",
                   resources={"metadata": {"path": str(HERE)}}).execute()
    html, _ = HTMLExporter(embed_images=True).from_notebook_node(notebook)
    page = out / f"{path.stem}.html"
    page.write_text(MARK.format(source_hash(path)) + "\n" + html)
    return page


def main(names: list[str]) -> int:
    PAGES.mkdir(parents=True, exist_ok=True)
    paths = sorted(HERE.glob("*.ipynb"))
    for path in paths:
        if names and path.stem not in names:
            continue
        print(f"rendered {render(path, PAGES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
