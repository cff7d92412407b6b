"""Flat fixtures (.csv, .xlsx, .parquet; one row per claim): the bundled data and generated
datasets go through export and load into a fresh database as the same records; loading
keeps its all-or-nothing and update-in-place semantics."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import clear
from dataset_strategies import fixture_documents
from fixture_cases import BUNDLED, base, records, write
from hypothesis import given, settings
from sqlalchemy import Engine
from sqlmodel import Session

import sanctrack
from sanctrack import FixtureError, export_dataset, load_fixture, write_fixture

FLAT = ("csv", "xlsx", "parquet")
DATASETS = ("nato-2024-10-28", "msmt-2025-05-dprk-russia")
EXAMPLES = 8 if os.environ.get("SANCTRACK_TEST_POSTGRES_URL") else 15


def load(engine: Engine, path: Path) -> sanctrack.LoadReport:
    with Session(engine) as session:
        return load_fixture(session, path)


@pytest.fixture
def fresh(backend: str, tmp_path: Path, postgres: Any) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'fresh.db'}" if backend == "sqlite" else postgres.create()
    engine = sanctrack.connect(url)
    yield engine
    engine.dispose()
    if backend != "sqlite":
        postgres.drop(url)


def export_all(engine: Engine, folder: Path, fmt: str, datasets: Any) -> list[Path]:
    folder.mkdir(exist_ok=True)
    with Session(engine) as session:
        return [write_fixture(export_dataset(session, d), folder / f"{d}.{fmt}") for d in datasets]


@pytest.mark.parametrize("fmt", FLAT)
def test_the_bundled_data_round_trips(
    engine: Engine, fresh: Engine, tmp_path: Path, fmt: str
) -> None:
    for path in BUNDLED[::-1]:  # NATO first
        load(engine, path)
    paths = export_all(engine, tmp_path / "out", fmt, DATASETS)
    for path in paths:
        report = load(fresh, path)
        assert report.created > 0 and report.updated == report.removed == 0
    assert records(fresh) == records(engine)
    assert [load(engine, p).changed for p in paths] == [False, False]  # no change at home
    again = export_all(fresh, tmp_path / "again", fmt, DATASETS)
    with Session(engine) as a, Session(fresh) as b:
        for dataset in DATASETS:
            assert export_dataset(a, dataset) == export_dataset(b, dataset)
    assert [p.name for p in again] == [p.name for p in paths]


def _without_blank_text(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` without free text that is blank once stripped: a blank cell is no
    text, where YAML keeps an empty one (the flat layout's only difference)."""
    for item in [document["dataset"], *document["transfers"]]:
        if not (item.get("description") or "").strip():
            item.pop("description", None)
    for transfer in document["transfers"]:
        for claim in transfer["claims"]:
            if not (claim.get("quote") or "").strip():
                claim.pop("quote", None)
    return document


@settings(max_examples=EXAMPLES, deadline=None)
@given(document=fixture_documents().map(_without_blank_text))
@pytest.mark.parametrize("fmt", FLAT)
def test_generated_datasets_round_trip(
    engine: Engine, fresh: Engine, tmp_path: Path, document: dict[str, Any], fmt: str
) -> None:
    for e in (engine, fresh):
        with Session(e) as session:
            clear(session)
    load(engine, write(tmp_path / "in.yaml", document))
    (path,) = export_all(engine, tmp_path / "out", fmt, ["ds-a"])
    assert load(fresh, path).changed
    assert records(fresh) == records(engine)
    with Session(engine) as a, Session(fresh) as b:
        assert export_dataset(a, "ds-a") == export_dataset(b, "ds-a")
    assert not load(engine, path).changed


def _claims_sheet(path: Path) -> tuple[Any, Any, list[str]]:
    book = openpyxl.load_workbook(path)
    sheet = book["claims"]
    return book, sheet, [c.value for c in sheet[1]]


def test_a_corrected_workbook_updates_in_place(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "t.yaml", base()))
    (path,) = export_all(engine, tmp_path / "out", "xlsx", ["test-ds"])
    book, sheet, header = _claims_sheet(path)
    sheet.cell(row=2, column=header.index("number") + 1, value=8_000_000)
    book.save(path)
    report = load(engine, path)
    assert report.updated == 1 and report.created == report.removed == 0
    with Session(engine) as session:
        claim = export_dataset(session, "test-ds").transfers[0].claims[0]
    assert claim.quantity is not None and claim.quantity.bounds()[2] == 8_000_000


def test_a_broken_workbook_loads_nothing(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "t.yaml", base()))
    (path,) = export_all(engine, tmp_path / "out", "xlsx", ["test-ds"])
    before = records(engine)
    book, sheet, header = _claims_sheet(path)
    sheet.cell(row=2, column=header.index("number") + 1, value=1)  # a good change
    sheet.cell(row=3, column=header.index("unit") + 1, value="barels")  # and a bad one
    book.save(path)
    with pytest.raises(FixtureError) as caught:
        load(engine, path)
    assert [str(e) for e in caught.value.errors] == [
        f"{path.name}: claims!row 3, column \"unit\": unknown unit 'barels' (did you mean "
        "'barrels'?)"
    ]
    assert records(engine) == before


def test_text_that_looks_like_a_formula_or_a_number_stays_text(
    engine: Engine, fresh: Engine, tmp_path: Path
) -> None:
    data = base()
    claim = data["transfers"][0]["claims"][0]
    claim["quote"] = '=HYPERLINK("http://example.org")'
    claim["locator"] = {"page": "007", "paragraph": "1e5"}
    claim["quantity"] = {"exact": 2**63 - 1}
    load(engine, write(tmp_path / "t.yaml", data))
    (path,) = export_all(engine, tmp_path / "out", "xlsx", ["test-ds"])
    _, sheet, header = _claims_sheet(path)
    cell = sheet.cell(row=2, column=header.index("quote") + 1)
    assert (cell.data_type, cell.value) == ("s", claim["quote"])
    big = sheet.cell(row=2, column=header.index("number") + 1).value
    assert big == str(2**63 - 1)  # a spreadsheet's doubles would round it: kept as text
    load(fresh, path)
    assert records(fresh) == records(engine)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_judgement_file_round_trips(
    engine: Engine, fresh: Engine, tmp_path: Path, fmt: str
) -> None:
    judgements = {
        "dataset": {"id": "my-judgements", "title": "My judgements", "version": "1"},
        "links": [
            {
                "same_as": [
                    "msmt-2025-05-dprk-russia/prk-rus-ballistic-missiles-2022-2025",
                    "nato-2024-10-28/prk-rus-ballistic-missiles-to-2024-10-28",
                ]
            }
        ],
    }
    for e in (engine, fresh):
        for path in BUNDLED[::-1]:
            load(e, path)
    load(engine, write(tmp_path / "j.yaml", judgements))
    (path,) = export_all(engine, tmp_path / "out", fmt, ["my-judgements"])
    assert load(fresh, path).changed
    assert records(fresh) == records(engine)
