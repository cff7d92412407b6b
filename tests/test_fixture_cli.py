"""The command line: `sanctrack validate` touches no database, `load` and `validate` exit
non-zero on errors and print each error on its own line, `export` writes a fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from fixture_cases import NATO, base, dump, records, unlined, write
from sqlmodel import Session
from typer.testing import CliRunner

import sanctrack
from sanctrack.cli import app

runner = CliRunner()


def broken() -> dict[str, Any]:
    data = base()
    data["transfers"][0]["supplier"] = "Narnia"
    data["transfers"][1]["claims"][0]["unit"] = "barrels"
    data["transfers"][2]["claims"][0]["quantity"] = {"about": "five hundred"}
    return data


def expected_errors(path: Path) -> list[str]:
    with pytest.raises(sanctrack.FixtureError) as caught:
        sanctrack.validate_fixture(path)
    return [unlined(e) for e in caught.value.errors]


def error_lines(text: str, name: str) -> list[str]:
    return [unlined(line) for line in text.splitlines() if unlined(line).startswith(f"{name}: ")]


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_validate_a_valid_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SANCTRACK_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    ok = write(tmp_path / "ok.yaml", base())
    result = runner.invoke(app, ["validate", str(ok)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["ok.yaml: valid (3 transfers)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.yaml"]  # no database made


@pytest.mark.parametrize("fmt", ["yaml", "jsonl"])
def test_validate_reports_each_error_on_its_own_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SANCTRACK_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    bad = write(tmp_path / f"bad.{fmt}", broken())
    ok = write(tmp_path / "ok.json", base())
    result = runner.invoke(app, ["validate", str(bad), str(ok)])
    assert result.exit_code == 1
    errors = expected_errors(bad)
    assert len(errors) == 3
    assert error_lines(result.stderr, bad.name) == errors
    assert "ok.json: valid (3 transfers)" in result.stdout.splitlines()  # the others still run
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([bad.name, "ok.json"])


def test_validate_a_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code != 0


def test_load_then_reload(tmp_path: Path, url: str) -> None:
    ok = write(tmp_path / "ok.yaml", base())
    first = runner.invoke(app, ["load", "--url", url, str(ok), str(NATO)])
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[0] == (
        "test-ds: 7 created, 0 updated, 0 unchanged, 0 removed "
        "(transfers: 3 created, 0 updated, 0 unchanged, 0 removed)"
    )
    again = runner.invoke(app, ["load", "--url", url, str(ok)])
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines() == ["test-ds: unchanged (7 records already up to date)"]


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_load_an_invalid_file(tmp_path: Path, url: str, fmt: str) -> None:
    engine = sanctrack.connect(url)
    with Session(engine) as session:
        sanctrack.load_fixture(session, NATO)
    before = dump(engine)
    bad = write(tmp_path / f"bad.{fmt}", broken())
    result = runner.invoke(app, ["load", "--url", url, str(bad)])
    assert result.exit_code == 1
    assert error_lines(result.stderr, bad.name) == expected_errors(bad)
    assert "3 errors; nothing was loaded" in result.stderr
    assert dump(engine) == before


def test_export_to_stdout_and_to_a_file(tmp_path: Path, url: str) -> None:
    engine = sanctrack.connect(url)
    with Session(engine) as session:
        sanctrack.load_fixture(session, write(tmp_path / "ok.yaml", base()))
        exported = sanctrack.export_dataset(session, "test-ds")

    result = runner.invoke(app, ["export", "test-ds", "--url", url])
    assert result.exit_code == 0, result.output
    assert (
        sanctrack.fixture.schema.Fixture.model_validate(yaml.safe_load(result.stdout)) == exported
    )

    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["export", "test-ds", "--url", url, "-o", str(out)])
    assert result.exit_code == 0, result.output
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = runner.invoke(app, ["load", "--url", fresh, str(out)])
    assert result.exit_code == 0, result.output
    assert records(sanctrack.connect(fresh)) == records(engine)


def test_export_an_unknown_dataset(url: str) -> None:
    sanctrack.connect(url).dispose()  # export makes no database: it needs one
    result = runner.invoke(app, ["export", "nope", "--url", url])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Unknown dataset 'nope': load it first, or list the loaded datasets with "
        "`sanctrack datasets`."
    ]
