"""The example notebooks run from top to bottom without an error."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml
from fixture_cases import MSMT
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOK = EXAMPLES / "quickstart.ipynb"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.ipynb")), ids=lambda p: p.name)
def test_every_example_notebook_is_valid_with_cell_ids(path: Path) -> None:
    """nbformat warns of a cell without an id, and will refuse one in a later version."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    ids = [cell.get("id") for cell in notebook.cells]
    assert all(ids) and len(set(ids)) == len(ids)


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


def _run(name: str, tmp_path: Path) -> list[Any]:
    notebook = nbformat.read(EXAMPLES / name, as_version=4)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()  # raises CellExecutionError if any cell errors
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]


def test_the_analyst_walkthrough_runs(tmp_path: Path) -> None:
    outputs = _run("analyst-walkthrough.ipynb", tmp_path)
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "browse_claims" not in html  # the claims are shown, not the query
    assert "news-it-msmt-2025-05" in html  # on whose word: the source of the claims
    assert "unsc-2397-op5" in html  # the petroleum cap's check
    assert any(o.get("data", {}).get("image/png") for o in outputs)  # the chart
    msmt = yaml.safe_load(MSMT.read_text(encoding="utf-8"))
    claims = sum(len(t["claims"]) for t in msmt["transfers"])
    sheets = "['dataset', 'claims', 'sources', 'materiel_types', 'links']"
    assert f"msmt.xlsx {sheets} {claims} claims" in text
