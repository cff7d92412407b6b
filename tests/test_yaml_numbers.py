"""Numbers in YAML fixtures: a plain scalar that YAML 1.1 (PyYAML's rules) reads as a number
is one only where YAML 1.2 (the core schema) reads the same number; the others are refused
with a way to write them. What YAML 1.1 reads as text stays text, and dates, booleans and
null read as before."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sanctrack import FixtureError
from sanctrack.fixture.read import read_document

AGREED: list[tuple[str, Any]] = [
    ("100", 100),
    ("0", 0),
    ("-1", -1),
    ("+1", 1),
    ("0x1F", 31),
    ("0xff", 255),
    ("1.5", 1.5),
    ("01.5", 1.5),
    ("1.", 1.0),
    (".5", 0.5),
    ("-1.5", -1.5),
    ("1.0e+3", 1000.0),
    ("1.0E-2", 0.01),
    (".inf", math.inf),
    ("-.inf", -math.inf),
    ("'0100'", "0100"),
    ('"1:30"', "1:30"),
    ("2024-10-01", date(2024, 10, 1)),
    ("true", True),
    ("no", False),
    ("null", None),
    ("~", None),
    ("0100 rounds", "0100 rounds"),
    ("1:30 pm", "1:30 pm"),
    ("2024", 2024),
    ("v0100", "v0100"),
    ("07", 7),  # octal in YAML 1.1, decimal in 1.2: the same number
    ("00", 0),
    # numbers in YAML 1.2 only: text, as PyYAML always read them (and wrote them unquoted)
    ("0o17", "0o17"),
    ("1e5", "1e5"),
    ("1.0e5", "1.0e5"),
    ("1.5e3", "1.5e3"),
    ("09", "09"),
    ("-.5", "-.5"),
    ("+.5", "+.5"),
]
AMBIGUOUS = [
    "0100",
    "-0100",
    "1:30",
    "1_000",
    "0b101",
    "-0x10",
    "+0x1F",
    "0x1_F",
    "1_0.5",
    "1:30.5",
    "010",
    "0_1",
]


def read(tmp_path: Path, literal: str) -> Any:
    path = tmp_path / "n.yaml"
    path.write_text(f"value: {literal}\n", encoding="utf-8")
    return read_document(path)["value"]


@pytest.mark.parametrize(("literal", "value"), AGREED, ids=[a for a, _ in AGREED])
def test_numbers_and_text_are_read_as_both_versions_agree(
    tmp_path: Path, literal: str, value: Any
) -> None:
    got = read(tmp_path, literal)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("literal", AMBIGUOUS)
def test_numbers_the_versions_read_differently_are_refused(tmp_path: Path, literal: str) -> None:
    with pytest.raises(FixtureError) as caught:
        read(tmp_path, literal)
    [issue] = caught.value.errors
    found = re.fullmatch(
        rf"{re.escape(literal)} reads as (.+) in YAML 1\.1 but as (.+) in YAML 1\.2: "
        r"write .+, or quote it if it is text",
        issue.message,
    )
    assert str(issue).startswith("n.yaml:1: value: ") and found, str(issue)
    assert found[1] != found[2]  # the two readings do differ
