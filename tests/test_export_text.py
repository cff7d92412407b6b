"""Export keeps every character: any text the schema accepts, in one-line fields (titles,
names) and in free text (descriptions, quotes), survives write_fixture to YAML, JSON and
JSON Lines and the way back, through the loader's reader and through a database.

YAML is where characters get lost: U+0085, U+2028 and U+2029 are line breaks to YAML 1.1,
and a dumper may fold them into a space; text such as ``0o17`` or ``1:30`` must be quoted
for the loader to read it as text. NUL is left out: the schema accepts it, the database
cannot store it, and the loader refuses it (test_fixture_validation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fixture_cases import base
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from sanctrack import export_dataset, load_fixture, write_fixture
from sanctrack.fixture import read
from sanctrack.fixture.schema import Fixture, Header, TransferIn

FORMATS = ("yaml", "json", "jsonl")
#: Texts YAML treats specially: line breaks, numbers and other scalars in some version.
TRICKY = [
    "\x85",
    "\u2028",
    "\u2029",
    "a\x85b",
    "a\u2028b\u2029c",
    "a\r\nb",
    "a\rb",
    "\ufeffa",
    "0100",
    "1:30",
    "1_000",
    "0o17",
    "0x1F",
    "1e5",
    "+1",
    ".inf",
    "~",
    "null",
    "yes",
    "on",
    "2024-01-01",
    "- a",
    "a: b",
    "#a",
    "&a",
    "*a",
    "!a",
    "'a'",
    '"a"',
    "a #b",
    "a\n\nb",
    "a\n b",
    "a \nb",
    "\\",
]
ANY_CHARACTER = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
#: The characters a one-line field refuses are left out of its text (the corpus tests them).
VISIBLE_CHARACTER = st.characters(
    exclude_categories=["Cs", "Cc", "Cf", "Zl", "Zp"], exclude_characters="\u115f\u1160\u3164\uffa0"
)


def texts(alphabet: st.SearchStrategy[str], tricky: list[str]) -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(tricky), st.text(alphabet, max_size=30))
    return st.lists(pieces, min_size=1, max_size=4).map("".join)


FREE = texts(ANY_CHARACTER, TRICKY)
ONE_LINE = texts(VISIBLE_CHARACTER, [t for t in TRICKY if t.isprintable()]).filter(
    lambda t: bool(t.strip())
)


@st.composite
def fixtures(draw: st.DrawFn) -> Fixture:
    """base() with text drawn into its one-line and free-text fields; what the schema keeps
    of it (it strips the ends)."""
    data = base()
    data["dataset"]["title"] = draw(ONE_LINE)
    data["dataset"]["description"] = draw(FREE)
    data["sources"][0]["title"] = draw(ONE_LINE)
    data["sources"][0]["publisher"] = draw(ONE_LINE)
    data["materiel_types"][0]["name"] = draw(ONE_LINE)
    data["transfers"][0]["description"] = draw(FREE)
    data["transfers"][2]["claims"][1]["quote"] = draw(FREE)
    data["transfers"][2]["claims"][0]["locator"] = {"page": draw(ONE_LINE)[:50]}
    return Fixture.model_validate(data)


def read_back(path: Path) -> Fixture:
    """The fixture in ``path``, read as load_fixture reads it."""
    if path.suffix != ".jsonl":
        return Fixture.model_validate(read.read_document(path))
    lines = read.iter_lines(path)
    _, first, _ = next(lines)
    header = Header.model_validate(read.parse_json(path, read.decode(path, first), "line 1"))
    transfers = [TransferIn.model_validate_json(line) for _, line, _ in lines]
    return Fixture.model_validate(header.model_dump() | {"transfers": transfers})


def text_fields(fixture: Fixture) -> dict[str, Any]:
    data = fixture.model_dump(mode="json")
    return {
        "dataset": data["dataset"],
        "source": {k: data["sources"][0].get(k) for k in ("title", "publisher")},
        "materiel": data["materiel_types"][0]["name"],
        "description": data["transfers"][0]["description"],
        "quote": data["transfers"][2]["claims"][1]["quote"],
        "page": data["transfers"][2]["claims"][0]["locator"]["page"],
    }


@settings(max_examples=300)
@given(fixture=fixtures())
def test_any_accepted_text_survives_writing_and_reading(tmp_path: Path, fixture: Fixture) -> None:
    for fmt in FORMATS:
        path = write_fixture(fixture, tmp_path / f"out.{fmt}")
        assert read_back(path) == fixture, fmt


@settings(max_examples=25)
@given(fixture=fixtures())
def test_any_accepted_text_survives_a_database(
    engine: Engine, tmp_path: Path, fixture: Fixture
) -> None:
    for fmt in FORMATS:
        path = write_fixture(fixture, tmp_path / f"out.{fmt}")
        with Session(engine) as session:
            load_fixture(session, path)
        with Session(engine) as session:
            exported = export_dataset(session, "test-ds")
        assert text_fields(exported) == text_fields(fixture), fmt


def test_next_line_in_a_quote_is_kept_in_yaml(tmp_path: Path) -> None:
    """The case of the issue: U+0085 in a quote came back as a space."""
    data = base()
    quote = "first\x85second \u2028third\u2029fourth"
    data["transfers"][2]["claims"][1]["quote"] = quote
    fixture = Fixture.model_validate(data)
    path = write_fixture(fixture, tmp_path / "out.yaml")
    assert 'quote: "first\\Nsecond \\Lthird\\Pfourth"\n' in path.read_text(encoding="utf-8")
    assert read_back(path).transfers[2].claims[1].quote == quote
