"""Where a YAML fixture's problems are: each issue carries the line of the node it is
about (the key of its field, the list item of its record, or the mapping a missing field
belongs in), shown as ``file:line: record.field: message``; a syntax error of YAML or
JSON is at its line and column (``file:line:column: message``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from fixture_cases import base, write
from test_fixture_validation import CASES
from typer.testing import CliRunner

from sanctrack import FixtureError, validate_fixture
from sanctrack.cli import app
from sanctrack.fixture.flat_check import steps

runner = CliRunner()


def errors(path: Path) -> list[Any]:
    with pytest.raises(FixtureError) as caught:
        validate_fixture(path)
    return list(caught.value.errors)


def _found(data: Any, path: list[int | str]) -> list[int | str]:
    """The longest start of ``path`` that is in ``data``."""
    found: list[int | str] = []
    for step in path:
        within_list = isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data)
        if not within_list and not (isinstance(data, dict) and step in data):
            break
        data = data[step]
        found.append(step)
    return found


YAML_CASES = [c for c in CASES if c.fmt == "yaml"]


@pytest.mark.parametrize("case", YAML_CASES, ids=[c.id for c in YAML_CASES])
def test_each_issue_is_at_the_line_of_its_field(tmp_path: Path, case: Any) -> None:
    """The line of each issue is that of the last key of its field that is in the file
    (the field itself, or the mapping where a missing one belongs), or of its list item."""
    data = base()
    case.change(data)
    path = write(tmp_path / "bad.yaml", data)
    lines = path.read_text(encoding="utf-8").splitlines()
    for issue in errors(path):
        assert issue.line is not None and issue.column is None, str(issue)
        assert str(issue).startswith(f"bad.yaml:{issue.line}: ")
        found = _found(data, steps(issue.record, issue.field))
        text = lines[issue.line - 1].strip()
        if not found:
            assert issue.line == 1
        elif isinstance(found[-1], str):
            assert text.startswith((f"{found[-1]}:", f"- {found[-1]}:")), (str(issue), text)
        else:
            assert text.startswith("-"), (str(issue), text)


def test_problems_of_every_kind_at_their_lines(tmp_path: Path) -> None:
    data = base()
    del data["dataset"]["version"]
    data["sources"][1]["cites"] = "s3"
    data["transfers"][0]["claims"][0]["quantity"] = {"up_to": "nine million"}
    data["transfers"][1]["colour"] = "red"
    data["transfers"][2]["materiel"] = "test-shel"
    path = write(tmp_path / "bad.yaml", data)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [str(e) for e in errors(path)] == [
        "bad.yaml:1: dataset.version: a required field is missing",
        "bad.yaml:15: sources[1] (s2).cites: unknown source 's3'",
        "bad.yaml:30: transfers[0] (t1).claims[0].quantity.up_to: expected a non-negative "
        "integer up to 9223372036854775807, got 'nine million'",
        "bad.yaml:50: transfers[1] (t2).colour: unknown field (remove it or check its "
        "spelling), got 'red'",
        "bad.yaml:54: transfers[2] (t3).materiel: unknown materiel type 'test-shel' (did you "
        "mean 'test-shell'?)",
    ]
    assert [lines[n - 1] for n in (1, 15, 30, 50, 54)] == [
        "dataset:",
        "  cites: s3",
        "      up_to: nine million",
        "  colour: red",
        "  materiel: test-shel",
    ]


def test_a_key_given_twice_is_at_its_second_line(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text("dataset:\n  id: d\n  title: T\n  version: '1'\n  title: U\n", encoding="utf-8")
    [issue] = errors(path)
    assert str(issue).startswith(
        "twice.yaml:5: dataset: duplicate key 'title' (line 5, first on line 3)"
    )


def test_a_number_the_yaml_versions_read_differently_is_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    path.write_text("dataset:\n  id: d\n  title: T\n  version: 0100\n", encoding="utf-8")
    assert [str(e) for e in errors(path)] == [
        "n.yaml:4: dataset.version: 0100 reads as the number 64 in YAML 1.1 but as the number "
        "100 in YAML 1.2: write 100, or quote it if it is text"
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "s.yaml",
            "dataset:\n  id: x\n a: [\n",
            "s.yaml:3:2: invalid YAML: did not find expected key",
        ),
        (
            "t.yaml",
            "dataset:\n\tid: x\n",
            "t.yaml:2:1: invalid YAML: found character that cannot start any token",
        ),
        ("s.json", '{"dataset":\n {"id": x}}', "s.json:2:9: invalid JSON: Expecting value"),
    ],
)
def test_syntax_errors_at_their_line_and_column(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    [issue] = errors(path)
    assert str(issue) == expected
    line, column = (int(n) for n in expected.split(":")[1:3])
    assert (issue.line, issue.column) == (line, column)


def test_the_command_line_shows_the_lines(tmp_path: Path) -> None:
    data = base()
    data["transfers"][2]["materiel"] = "test-shel"
    path = write(tmp_path / "bad.yaml", data)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        "bad.yaml:54: transfers[2] (t3).materiel: unknown materiel type 'test-shel' (did you "
        "mean 'test-shell'?)"
    ]


def test_a_json_fixture_locates_by_record_and_field(tmp_path: Path) -> None:
    """JSON problems other than syntax have no line: record and field say where."""
    data = base()
    data["transfers"][2]["materiel"] = "test-shel"
    [issue] = errors(write(tmp_path / "bad.json", data))
    assert issue.line is None
    assert str(issue).startswith("bad.json: transfers[2] (t3).materiel: ")


def test_the_yaml_written_by_the_tests_is_plain(tmp_path: Path) -> None:
    """(The lines above assume base() dumps one key per line, as yaml.safe_dump does.)"""
    text = write(tmp_path / "ok.yaml", base()).read_text(encoding="utf-8")
    assert yaml.safe_load(text) == base()
