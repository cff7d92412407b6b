"""The example notebook runs from top to bottom without an error."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "quickstart.ipynb"


def test_quickstart_notebook_runs(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()  # raises CellExecutionError if any cell errors
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "9,000,000" in html or "9000000" in html  # the year x category table is shown
    # The plot cell displays one image: the chart, not a second copy from pyplot.
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and ".plot(" in c.source]
    assert len([o for o in cell.outputs if "image/png" in o.get("data", {})]) == 1
