"""Problems in flat fixtures are located at their file, sheet, row and column, all of them
at once, as YAML's are at their record and field."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sanctrack import FixtureError, SanctrackError, validate_fixture
from sanctrack.fixture.flat_layout import SHEETS
from sanctrack.optional import MissingExtraError

DATASET = {"id": "flat-ds", "title": "Flat dataset", "version": "1"}
SOURCE = {"id": "s1", "kind": "report", "reliability": "B", "published": "2025-05-29"}
CLAIM = {
    "transfer": "t1",
    "supplier": "PRK",
    "recipient": "RUS",
    "materiel": "artillery-ammunition",
    "period": "2024",
    "source": "s1",
    "qualifier": "up_to",
    "number": "9000000",
    "unit": "rounds",
}


def write_csv(path: Path, sheets: dict[str, list[dict[str, Any]]]) -> Path:
    """The claims in ``path``, the other sheets beside it (x.dataset.csv, ...)."""
    for name, rows in sheets.items():
        target = path if name == "claims" else path.with_name(f"{path.stem}.{name}.csv")
        columns = list(dict.fromkeys(k for row in rows for k in row)) or list(SHEETS[name])
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, columns)
            writer.writeheader()
            writer.writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[dict[str, Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        columns = list(dict.fromkeys(k for row in rows for k in row)) or list(SHEETS.get(name, []))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
    book.save(path)
    return path


def sheets(claims: list[dict[str, Any]] | None = None, **more: Any) -> dict[str, Any]:
    return {
        "dataset": [DATASET],
        "sources": [SOURCE],
        "claims": [CLAIM] if claims is None else claims,
        **more,
    }


def problems(path: Path) -> list[str]:
    with pytest.raises(FixtureError) as caught:
        validate_fixture(path)
    return [str(e) for e in caught.value.errors]


def test_a_valid_csv_set_and_workbook(tmp_path: Path) -> None:
    rows = [
        CLAIM,
        {**CLAIM, "qualifier": "", "number": "", "source": "s1", "claim_period": "2024-03"},
    ]
    assert validate_fixture(write_csv(tmp_path / "ok.csv", sheets(rows))) == 1
    assert validate_fixture(write_xlsx(tmp_path / "ok.xlsx", sheets(rows))) == 1


def test_every_problem_at_its_cell(tmp_path: Path) -> None:
    rows = [
        {**CLAIM, "unit": "barels"},
        {**CLAIM, "qualifier": "aboot", "claim_period": "2024-01"},
        {**CLAIM, "qualifier": "", "number": "5", "claim_period": "2024-02"},
        {**CLAIM, "qualifier": "between", "claim_period": "2024-03"},
        {**CLAIM, "qualifier": "exact", "number": "12.5", "claim_period": "2024-04"},
        {**CLAIM, "supplier": "RUS", "recipient": "PRK", "claim_period": "2024-05"},
        {**CLAIM, "transfer": "t2", "materiel": "drones", "credibility": "9"},
    ]
    path = write_csv(tmp_path / "data.csv", sheets(rows))
    assert problems(path) == [
        'data.csv: row 3, column "qualifier": expected one of exact, about, at_least, '
        "more_than, up_to, between, unquantified, got 'aboot' (did you mean 'about'?)",
        'data.csv: row 4, column "qualifier": a number needs its qualifier: exact, about, '
        "at_least, ...",
        "data.csv: row 5, column \"number_high\": a claim 'between' needs its high number here",
        "data.csv: row 7, column \"supplier\": transfer 't1' has 'PRK' here in row 2, got "
        "'RUS': give its fields the same on each of its rows, or leave them blank after the "
        "first",
        "data.csv: row 7, column \"recipient\": transfer 't1' has 'RUS' here in row 2, got "
        "'PRK': give its fields the same on each of its rows, or leave them blank after the "
        "first",
        'data.csv: row 6, column "number": expected a non-negative integer up to '
        "9223372036854775807, got '12.5'",
        # the valid parts of the invalid transfers are checked in the same pass
        "data.csv: row 2, column \"unit\": unknown unit 'barels' (did you mean 'barrels'?)",
        'data.csv: row 8, column "credibility": expected less than or equal to 6, got 9',
        "data.csv: row 8, column \"materiel\": unknown materiel type 'drones'",
    ]


def test_sources_and_dataset_at_their_rows(tmp_path: Path) -> None:
    source = {**SOURCE, "kind": "reprot", "authors": "organisation: Team\nnobody"}
    data = sheets(sources=[SOURCE, source | {"id": "s2"}])
    data["dataset"] = [{**DATASET, "version": ""}]
    path = write_xlsx(tmp_path / "data.xlsx", data)
    assert problems(path) == [
        'data.xlsx: sources!row 3, column "authors": expected one author per line, as '
        "'state: AUS', 'organisation: ...' or 'person: ...', got 'nobody'",
        'data.xlsx: dataset!row 2, column "version": a required field is missing',
        "data.xlsx: sources!row 3, column \"kind\": expected 'report', 'official_statement', "
        "'news_article', 'intelligence_assessment', 'dataset' or 'other', got 'reprot'",
    ]


def test_columns_and_sheets_the_layout_does_not_know(tmp_path: Path) -> None:
    claim = {k: v for k, v in CLAIM.items() if k != "source"} | {"unti": "rounds"}
    data = sheets([claim]) | {"Soruces": [SOURCE]}
    del data["sources"]
    path = write_xlsx(tmp_path / "data.xlsx", data)
    assert problems(path)[:3] == [
        "data.xlsx: unknown sheet 'Soruces' (did you mean 'sources'?): expected dataset, "
        "claims, sources, materiel_types, links",
        "data.xlsx: claims!row 1, column \"unti\": unknown column (did you mean 'unit'?): "
        "expected " + ", ".join(SHEETS["claims"]),
        'data.xlsx: claims!row 1: a required column "source" is missing',
    ]


def test_the_dataset_column_names_this_dataset(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", sheets([{**CLAIM, "dataset": "other-ds"}]))
    assert problems(path) == [
        "data.csv: row 2, column \"dataset\": expected the dataset's id 'flat-ds' or nothing, "
        "got 'other-ds'"
    ]


def test_companion_files(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", sheets())
    assert problems(tmp_path / "data.sources.csv") == [
        "data.sources.csv: this file holds the sources of data.csv: load data.csv"
    ]
    (tmp_path / "data.dataset.csv").unlink()
    assert problems(path) == ["data.csv: no dataset file data.dataset.csv beside it: add one"]


def test_a_csv_from_excel_with_a_bom_loads(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", sheets())
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert validate_fixture(path) == 1
    path.write_bytes(path.read_bytes().replace(b"PRK", b"P\xe9K"))
    offset = path.read_bytes().index(b"\xe9")
    assert problems(path) == [
        f"data.csv: the file is not UTF-8 (invalid byte at offset {offset}); save it as UTF-8"
    ]


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    path.write_text("id,title\n", encoding="utf-8")
    assert problems(path) == [
        "data.xlsx: cannot read the workbook (File is not a zip file): save it as an Excel "
        ".xlsx workbook"
    ]


def test_without_openpyxl_the_error_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "data.xlsx", sheets())
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now fails
    with pytest.raises(MissingExtraError) as caught:
        validate_fixture(path)
    assert isinstance(caught.value, SanctrackError)
    assert str(caught.value) == (
        "Reading .xlsx files needs openpyxl, which is not installed: pip install 'sanctrack[xlsx]'"
    )


@pytest.mark.parametrize(
    ("module", "suffix", "message"),
    [
        (
            "openpyxl",
            "xlsx",
            "Writing .xlsx files needs openpyxl, which is not installed: "
            "pip install 'sanctrack[xlsx]'",
        ),
        (
            "pyarrow",
            "parquet",
            "Writing .parquet files needs pyarrow, which is not installed: "
            "pip install 'sanctrack[parquet]'",
        ),
    ],
)
def test_writing_without_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, suffix: str, message: str
) -> None:
    from sanctrack import write_fixture
    from sanctrack.fixture.schema import Fixture

    fixture = Fixture.model_validate({"dataset": DATASET, "sources": [SOURCE]})
    monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.setitem(sys.modules, f"{module}.parquet", None)
    with pytest.raises(MissingExtraError) as caught:
        write_fixture(fixture, tmp_path / f"out.{suffix}")
    assert str(caught.value) == message


def test_links_at_their_rows(tmp_path: Path) -> None:
    links = [
        {"kind": "same-as", "transfers": "a/t1; b/t2"},
        {"kind": "distinct_from", "transfers": "a/t1"},
    ]
    path = write_csv(tmp_path / "data.csv", sheets(links=links))
    assert problems(path) == [
        "data.links.csv: row 2, column \"kind\": expected same_as or distinct_from, got 'same-as' "
        "(did you mean 'same_as'?)",
        "data.links.csv: row 3, column \"transfers\": expected at least 2 items, got ['a/t1']",
    ]


def test_values_without_a_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", sheets())
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("unit", "")
    lines[1] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    width = len(lines[0].split(","))
    assert problems(path) == [
        f"data.csv: row 1: column {width} holds values but has no name: name it, or empty it",
        f"data.csv: row 2: the row has values beyond the header's {width} columns: name their "
        "columns",
    ]
