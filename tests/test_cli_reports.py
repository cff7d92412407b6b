"""`sanctrack report ...`: one subcommand per query helper, each with the helper's own
result, the same filters, --format and -o; unknown names are errors with suggestions."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session
from typer.testing import CliRunner

import sanctrack
from sanctrack import queries
from sanctrack.cli import NO_DATASETS, app

runner = CliRunner()


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite file with the bundled datasets."""
    path = tmp_path_factory.mktemp("reports") / "bundled.db"
    engine = sanctrack.connect(str(path))
    for fixture in sanctrack.bundled_fixtures():
        with Session(engine) as session:
            sanctrack.load_fixture(session, fixture)
    engine.dispose()
    yield str(path)


def helper_rows(url: str, helper: Callable[..., Any], **kwargs: Any) -> list[dict[str, Any]]:
    engine = sanctrack.connect(url)
    with Session(engine) as session:
        result = helper(session, **kwargs)
    engine.dispose()
    return json.loads(result.model_dump_json())["rows"]  # type: ignore[no-any-return]


MATERIEL = "dprk-russia-2023-2025-materiel"
#: (report, its arguments, the helper, the helper's arguments)
REPORTS: list[tuple[str, list[str], Callable[..., Any], dict[str, Any]]] = [
    (
        "by-year-category",
        ["--supplier", "PRK", "--level", "leaf", "--year", "2024"],
        queries.transfers_by_year_and_category,
        {"supplier": ["PRK"], "level": "leaf", "years": [2024]},
    ),
    (
        "flows",
        ["--recipient", "Russie", "--claim-policy", "most_reliable"],
        queries.flows,
        {"recipient": ["RUS"], "claim_policy": "most_reliable"},
    ),
    ("timeline", ["--category", "ammunition"], queries.timeline, {"category": ["ammunition"]}),
    (
        "sources",
        ["--multi-source-only", "--supplier", "PRK"],
        queries.source_comparison,
        {"multi_source_only": True, "supplier": "PRK"},
    ),
    (
        "timeline",
        ["--materiel", "ballistic-missiles", "--materiel", "troops"],
        queries.timeline,
        {"materiel": ["ballistic-missiles", "troops"]},
    ),
    ("violations", ["--no-inferred"], queries.violations, {"inferred": False}),
    ("violations", [], queries.violations, {}),
    ("caps", ["--year-split", "end"], queries.cap_checks, {"year_split": "end"}),
    ("carriers", ["--category", "ammunition"], queries.carriers, {"category": ["ammunition"]}),
    ("designated-carriers", [], queries.designated_carriers, {}),
    (
        "undesignated-carriers",
        ["--supplier", "RUS"],
        queries.undesignated_carriers,
        {"supplier": ["RUS"]},
    ),
    (
        "series",
        ["--by", "year", "--category", "troops"],
        queries.series,
        {"by": "year", "category": ["troops"]},
    ),
    ("owners", ["--vessel", "Maia-1"], queries.owners, {"vessel": "Maia-1"}),
    (
        "owners",
        ["--role", "owner", "--dataset", MATERIEL],
        queries.owners,
        {"roles": ["owner"], "datasets": [MATERIEL]},
    ),
    ("movements", [], queries.movements, {}),
    (
        "movements",
        ["--vessel", "angara", "--year", "2023"],
        queries.movements,
        {"vessel": "angara", "years": [2023]},
    ),
]


@pytest.mark.parametrize(("name", "args", "helper", "kwargs"), REPORTS)
def test_each_report_gives_its_helpers_rows(
    bundled: str, name: str, args: list[str], helper: Callable[..., Any], kwargs: dict[str, Any]
) -> None:
    expected = helper_rows(bundled, helper, **kwargs)
    assert expected  # the bundled data has rows for each of these
    result = runner.invoke(app, ["report", name, *args, "-d", bundled, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == expected

    as_csv = runner.invoke(app, ["report", name, *args, "-d", bundled, "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r[k] for r in rows for k in ("unit",) if k in r] == [
        str(e["unit"]) if e["unit"] is not None else "" for e in expected if "unit" in e
    ]
    assert len(rows) == len(expected)


def test_the_table_format_prints_numbers_whole(bundled: str) -> None:
    args = ["report", "flows", "--supplier", "PRK", "--recipient", "RUS", "-d", bundled]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = helper_rows(bundled, queries.flows, supplier=["PRK"], recipient=["RUS"])
    largest = max(r["best"] for r in rows if r["best"] is not None)
    assert largest >= 1_000_000  # millions of rounds
    assert f"{largest:,}" in result.stdout


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_output_to_a_file(bundled: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"flows.{fmt}"
    args = ["report", "flows", "--supplier", "PRK", "-d", bundled, "-f", fmt]
    result = runner.invoke(app, [*args, "-o", str(out)])
    count = len(helper_rows(bundled, queries.flows, supplier="PRK"))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {count} rows to {out}\n"
    assert out.read_text(encoding="utf-8") == runner.invoke(app, args).stdout


def test_output_to_a_missing_folder(bundled: str, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "flows.csv"
    result = runner.invoke(app, ["report", "flows", "-d", bundled, "-f", "csv", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Cannot write {out}: No such file or directory. Give -o a file in a folder that "
        "exists and is writable."
    ]


def test_the_materiel_filter_keeps_the_transfers_of_those_materiel_types(bundled: str) -> None:
    every = helper_rows(bundled, queries.timeline)
    engine = sanctrack.connect(bundled)
    with Session(engine) as session:
        found = session.execute(text("SELECT key, materiel_slug FROM transfer"))
        kinds = {key: materiel for key, materiel in found}
    engine.dispose()
    wanted = {"troops", "ballistic-missiles"}
    kept = helper_rows(bundled, queries.timeline, materiel=sorted(wanted))
    assert kept == [r for r in every if kinds[r["transfer"]] in wanted]
    assert 0 < len(kept) < len(every)
    flows = helper_rows(bundled, queries.flows, materiel="troops", level="leaf")
    assert {r["category"] for r in flows} == {"troops"}


def test_the_unit_filter_keeps_the_rows_in_those_units(bundled: str) -> None:
    args = ["report", "by-year-category", "-d", bundled, "-f", "json", "--level", "leaf"]
    every = json.loads(runner.invoke(app, args).stdout)["rows"]
    kept = json.loads(runner.invoke(app, [*args, "--unit", "rounds"]).stdout)["rows"]
    assert kept == [r for r in every if r["unit"] == "rounds"] != []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--category", "artilery"], "unknown category 'artilery' (did you mean 'artillery'?)."),
        (
            ["--category", "kn-23"],
            "unknown category 'kn-23' (it is a materiel type, of the category "
            "'ballistic-missiles').",
        ),
        (["--dataset", "nosuch"], "unknown dataset 'nosuch'; `sanctrack datasets` lists them."),
        (
            ["--dataset", "nato-2024-10-2"],
            "unknown dataset 'nato-2024-10-2' (did you mean 'nato-2024-10-28'?).",
        ),
        (
            ["--source", "msmt-2025-05-reprot"],
            "unknown source 'msmt-2025-05-reprot' (did you mean 'msmt-2025-05-report', "
            "'kbs-2025-05-msmt-report', 'news-it-msmt-2025-05'?).",
        ),
        (["--unit", "round"], "unknown unit 'round' (did you mean 'rounds'?)."),
        (
            ["--materiel", "ballistic-missile"],
            "unknown materiel 'ballistic-missile' (did you mean 'ballistic-missiles', "
            "'anti-aircraft-missiles'?).",
        ),
        (
            ["--unit", "kg"],
            "unknown unit 'kg'; known: aircraft, barrels, containers, flights, items, "
            "launchers, missiles, personnel, rounds, tonnes, vehicles, vessels.",
        ),
    ],
)
def test_unknown_names_are_errors_with_suggestions(
    bundled: str, args: list[str], message: str
) -> None:
    for report in ("by-year-category", "timeline"):
        result = runner.invoke(app, ["report", report, *args, "-d", bundled])
        assert result.exit_code == 1
        assert (result.stdout, result.stderr.splitlines()) == ("", [message])


def test_review_refuses_an_unknown_dataset(bundled: str) -> None:
    result = runner.invoke(app, ["review", "-d", bundled, "--dataset", "nato-2024"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "unknown dataset 'nato-2024' (did you mean 'nato-2024-10-28'?)."
    ]


def test_a_bad_state_is_reported_before_the_database_is_opened(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = runner.invoke(app, ["report", "flows", "--supplier", "Narnia", "-d", str(missing)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        str(sanctrack.UnknownStateError("Narnia", [])).replace(
            "Unknown state 'Narnia'.",
            "Unknown state 'Narnia'. Closest candidates: Armenia (ARM), Hungary (HUN), "
            "Martinique (MTQ), Finland (FIN), Argentina (ARG).",
        )
    ]
    assert not missing.exists()


def test_reports_on_either_backend(db_url: str) -> None:
    assert runner.invoke(app, ["demo", "-d", db_url]).exit_code == 0
    expected = helper_rows(db_url, queries.cap_checks)
    result = runner.invoke(app, ["report", "caps", "-d", db_url, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == expected != []


def test_datasets_on_an_empty_database(tmp_path: Path) -> None:
    path = str(tmp_path / "empty.db")
    assert runner.invoke(app, ["init", "-d", path]).exit_code == 0
    result = runner.invoke(app, ["datasets", "-d", path])
    assert (result.exit_code, result.stdout) == (0, f"{NO_DATASETS}\n")
    assert NO_DATASETS == (
        "No datasets loaded. Load one with `sanctrack load FILE`, or try `sanctrack demo`."
    )


def test_states_resolves_every_name_and_reports_each_failure() -> None:
    result = runner.invoke(app, ["states", "Korea", "Corée du Nord", "Narnia", "Russia"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["Corée du Nord\tPRK", "Russia\tRUS"]
    assert result.stderr.splitlines() == [
        "Ambiguous state 'Korea': it could be KOR or PRK. Use the ISO 3166-1 alpha-3 code instead.",
        "Unknown state 'Narnia'. Closest candidates: Armenia (ARM), Hungary (HUN), Martinique "
        "(MTQ), Finland (FIN), Argentina (ARG). Use an ISO 3166-1 code (e.g. 'PRK') or a name "
        "listed by `sanctrack states`.",
    ]
    ok = runner.invoke(app, ["states", "PRK", "North Korea"])
    assert (ok.exit_code, ok.stdout) == (0, "PRK\tPRK\nNorth Korea\tPRK\n")


def test_states_without_a_name_lists_them() -> None:
    result = runner.invoke(app, ["states"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines == [f"{r.code}\t{r.name}" for r in sanctrack.statenames.state_records()]
    assert "PRK\tKorea, Democratic People's Republic of" in lines


def helper_result(url: str, helper: Callable[..., Any], **kwargs: Any) -> Any:
    engine = sanctrack.connect(url)
    with Session(engine) as session:
        result = helper(session, **kwargs)
    engine.dispose()
    return result


def _cell(value: Any) -> Any:
    """What a workbook cell read back holds for a row's value."""
    return ", ".join(map(str, value)) or None if isinstance(value, tuple) else value


def _read_sheet(sheet: Any) -> list[dict[str, Any]]:
    import datetime

    header, *rows = sheet.iter_rows(values_only=True)
    plain = [[v.date() if isinstance(v, datetime.datetime) else v for v in row] for row in rows]
    # A read-only sheet leaves out the empty cells at the end of a row.
    return [
        dict(zip(header, row + [None] * (len(header) - len(row)), strict=True)) for row in plain
    ]


@pytest.mark.parametrize(("name", "args", "helper", "kwargs"), REPORTS)
def test_xlsx_reports_hold_the_rows_caveats_and_parameters(
    bundled: str,
    tmp_path: Path,
    name: str,
    args: list[str],
    helper: Callable[..., Any],
    kwargs: dict[str, Any],
) -> None:
    import openpyxl

    out = tmp_path / "report.xlsx"
    result = runner.invoke(
        app, ["report", name, *args, "-d", bundled, "-f", "xlsx", "-o", str(out)]
    )
    expected = helper_result(bundled, helper, **kwargs)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {len(expected)} rows to {out}\n"
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["rows", "caveats", "parameters"]
    rows = _read_sheet(book["rows"])
    assert rows == [{k: _cell(v) for k, v in r.items()} for r in expected.records()]
    # Integers stay integers; an unbounded high is an empty cell, not 0.
    assert all(isinstance(r["low"], int) for r in rows if "low" in r and r["low"] is not None)
    caveats = _read_sheet(book["caveats"])
    assert [c["message"] for c in caveats] == [c.message for c in expected.caveats]
    assert [c["transfers"] for c in caveats] == [
        ", ".join(c.transfers) or None for c in expected.caveats
    ]
    parameters = {p["parameter"]: p["value"] for p in _read_sheet(book["parameters"])}
    assert parameters == {k: _cell(v) for k, v in expected.parameters.items()}
    book.close()


@pytest.mark.parametrize(("name", "args", "helper", "kwargs"), REPORTS)
def test_parquet_reports_keep_the_column_types(
    bundled: str,
    tmp_path: Path,
    name: str,
    args: list[str],
    helper: Callable[..., Any],
    kwargs: dict[str, Any],
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "report.parquet"
    args = ["report", name, *args, "-d", bundled, "--format", "parquet", "-o", str(out)]
    result = runner.invoke(app, args)
    expected = helper_result(bundled, helper, **kwargs)
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.to_pylist() == [
        {k: list(v) if isinstance(v, tuple) else v for k, v in r.items()}
        for r in expected.records()
    ]
    for column, (kind, nullable) in expected.kinds().items():
        field = table.schema.field(column)
        if kind == "int":
            assert field.type == pa.int64(), column
        assert field.nullable == nullable, column
    metadata = table.schema.metadata
    assert json.loads(metadata[b"sanctrack.caveats"]) == [
        c.model_dump(mode="json") for c in expected.caveats
    ]
    assert json.loads(metadata[b"sanctrack.parameters"]) == json.loads(
        json.dumps(expected.parameters, default=str)
    )


@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_a_binary_format_needs_an_output_file(bundled: str, fmt: str) -> None:
    result = runner.invoke(app, ["report", "flows", "-d", bundled, "-f", fmt])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"--format {fmt} writes a binary file, not text for standard output: give -o FILE "
        f"(e.g. -o report.{fmt})."
    ]


def test_a_binary_format_is_refused_before_the_database_is_opened(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = runner.invoke(app, ["report", "caps", "-d", str(missing), "-f", "xlsx"])
    assert result.exit_code == 1
    assert not missing.exists()
    assert result.stderr.startswith("--format xlsx writes a binary file")


def test_csv_cells_join_lists_as_spreadsheets_want(bundled: str) -> None:
    """A list column (a carrier's sources, owners) is one cell, its items joined by ", "."""
    result = runner.invoke(app, ["report", "undesignated-carriers", "-d", bundled, "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r["carrier"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    expected = helper_rows(bundled, queries.undesignated_carriers)
    for row in expected:
        assert rows[row["carrier"]]["sources"] == ", ".join(row["sources"])
        assert rows[row["carrier"]]["owners"] == ", ".join(row["owners"])
    assert rows["maia-1"]["owners"] == "mg-flot (owner)"


@pytest.mark.parametrize(
    ("name", "option"),
    [("owners", "--supplier"), ("owners", "--year"), ("movements", "--category")],
)
def test_owners_and_movements_offer_only_the_filters_they_apply(
    bundled: str, name: str, option: str
) -> None:
    result = runner.invoke(app, ["report", name, option, "x", "-d", bundled])
    assert result.exit_code == 2
    assert f"No such option: {option}" in result.output
