"""The command line for spreadsheets: `sanctrack template` writes a workbook with the
vocabularies as drop-downs that loads once filled in; `export --format` writes the flat
formats; their mistakes are one line each."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from fixture_cases import NATO, records
from typer.testing import CliRunner

import sanctrack
from sanctrack.cli import app
from sanctrack.fixture.template import vocabularies

runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_the_template_offers_the_vocabularies(tmp_path: Path) -> None:
    path = tmp_path / "mine.xlsx"
    result = runner.invoke(app, ["template", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Wrote a template to {path}: fill in its sheets, then `sanctrack load {path}`"
    ]
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["dataset", "claims", "sources", "materiel_types", "links", "lists"]
    assert book["lists"].sheet_state == "hidden"
    lists = {
        c[0].value: [v.value for v in c[1:] if v.value is not None] for c in book["lists"].columns
    }
    assert lists == vocabularies()
    assert "refined-petroleum" in lists["materiel"] and "barrels" in lists["unit"]
    assert lists["qualifier"][-1] == "unquantified"
    header = [c.value for c in book["claims"][1]]
    rules = {
        (str(rule.sqref), rule.formula1, rule.errorStyle)
        for rule in book["claims"].data_validations.dataValidation
    }
    assert (
        f"{_letter(header, 'unit')}2:{_letter(header, 'unit')}10000",
        f"lists!$B$2:$B${len(lists['unit']) + 1}",
        "warning",
    ) in rules
    assert (
        f"{_letter(header, 'status')}2:{_letter(header, 'status')}10000",
        "lists!$D$2:$D$6",
        "stop",
    ) in rules
    sources = {str(r.sqref) for r in book["sources"].data_validations.dataValidation}
    assert sources == {"B2:B10000", "H2:H10000"}  # kind, reliability


def _letter(header: list[str], column: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(header.index(column) + 1)


def test_a_filled_in_template_loads(tmp_path: Path, url: str) -> None:
    path = tmp_path / "mine.xlsx"
    runner.invoke(app, ["template", "-o", str(path)])
    book = openpyxl.load_workbook(path)
    book["dataset"].append(["my-ds", "My dataset", "1"])
    book["sources"].append(["s1", "report", "A report", None, "2025-05-29", "en", None, "B"])
    claims = book["claims"]
    header = [c.value for c in claims[1]]
    row = {
        "transfer": "t1",
        "supplier": "Russia",
        "recipient": "PRK",
        "materiel": "refined-petroleum",
        "period": 2024,  # typed as a number: read as the year it is
        "source": "s1",
        "qualifier": "more_than",
        "number": 165000.0,
        "unit": "barrels",
        "credibility": "2",
    }
    claims.append([row.get(c) for c in header])
    book.save(path)
    result = runner.invoke(app, ["load", "--url", url, str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "my-ds: 3 created, 0 updated, 0 unchanged, 0 removed (transfers: 1 created, 0 updated, "
        "0 unchanged, 0 removed)"
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_export_a_flat_format_and_load_it(tmp_path: Path, url: str, fmt: str) -> None:
    assert runner.invoke(app, ["load", "--url", url, str(NATO)]).exit_code == 0
    out = tmp_path / f"nato.{fmt}"
    result = runner.invoke(
        app, ["export", "nato-2024-10-28", "--url", url, "--format", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"Wrote nato-2024-10-28 to {out}"]
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = runner.invoke(app, ["load", "--url", fresh, str(out)])
    assert result.exit_code == 0, result.output
    assert records(sanctrack.connect(fresh)) == records(sanctrack.connect(url))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--format", "csv"], "--format csv writes to a file: give it with -o FILE.csv"),
        (["--format", "xlsx", "-o", "out.csv"], "--format xlsx needs a .xlsx file, got out.csv"),
        (
            ["--format", "ods", "-o", "out.ods"],
            "Unknown format 'ods': use one of yaml, json, jsonl, csv, xlsx, parquet",
        ),
        (
            ["-o", "out.ods"],
            "Cannot export to out.ods: use .yaml, .json, .jsonl, .csv, .xlsx or .parquet",
        ),
    ],
)
def test_export_mistakes(
    tmp_path: Path, url: str, arguments: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["load", "--url", url, str(NATO)]).exit_code == 0
    result = runner.invoke(app, ["export", "nato-2024-10-28", "--url", url, *arguments])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message]


def test_template_mistakes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Cannot write the template to t.csv: give an .xlsx file"]
    result = runner.invoke(app, ["template", "-o", str(tmp_path / "no" / "t.xlsx")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Cannot write {tmp_path / 'no' / 't.xlsx'}: No such file or directory. Choose a file "
        "in an existing folder you may write to."
    ]
