"""A key given twice anywhere in a JSON Lines record is found, though the loader's fast path
validates records without a second parse: with the same value or another, before or after
the first, with or without a ':' inside a string (the fast path counts them). The same
records without the duplicate load. Each duplicate is reported where it is."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fixture_cases import base
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrack import FixtureError, validate_fixture
from sanctrack.fixture.duplicates import pairs_in
from sanctrack.fixture.issues import field_path

Steps = tuple[int | str, ...]


def objects(value: Any, steps: Steps = ()) -> list[tuple[Steps, str]]:
    """(steps to an object, one of its keys) for every key of every object in ``value``."""
    found: list[tuple[Steps, str]] = []
    if isinstance(value, dict):
        found += [(steps, key) for key in value]
        for key, child in value.items():
            found += objects(child, (*steps, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += objects(child, (*steps, i))
    return found


def dumps(value: Any, target: Steps, key: str, at: int, other: Any, steps: Steps = ()) -> str:
    """``value`` as JSON, with ``key`` given a second time in the object at ``target``, at
    position ``at`` among its pairs, with the value ``other`` (None: the same value)."""
    if isinstance(value, dict):
        pairs = [(k, dumps(v, target, key, at, other, (*steps, k))) for k, v in value.items()]
        if steps == target:
            again = json.dumps(value[key] if other is None else other)
            pairs.insert(at % (len(pairs) + 1), (key, again))
        return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in pairs) + "}"
    if isinstance(value, list):
        return (
            "["
            + ", ".join(dumps(v, target, key, at, other, (*steps, i)) for i, v in enumerate(value))
            + "]"
        )
    return json.dumps(value)


@st.composite
def duplicated(draw: st.DrawFn) -> tuple[list[str], str]:
    """The lines of a JSON Lines fixture with one key given twice in a transfer, and a
    regular expression of the issue expected."""
    data = base()
    header = {k: v for k, v in data.items() if k != "transfers"}
    index = draw(st.integers(0, len(data["transfers"]) - 1))
    transfer = data["transfers"][index]
    if draw(st.booleans()):  # a ':' in a string: the fast path must parse again to know
        transfer["description"] = draw(st.sampled_from(["a: b", ":", '":', "\\:"]))
    target, key = draw(st.sampled_from(objects(transfer)))
    other = draw(st.sampled_from([None, "x", 7, [], {}]))
    text = dumps(transfer, target, key, draw(st.integers(0, 20)), other)
    lines = [json.dumps(header), *map(json.dumps, data["transfers"])]
    lines[index + 1] = text
    record = rf"line {index + 2} \({re.escape(transfer['id'])}\)"
    if key == "id" and not target:  # the record is named by the id it ends up with
        record = rf"line {index + 2}( \([^)]*\))?"
    field = re.escape(f".{field_path(target)}") if target else ""
    message = re.escape(f": duplicate key {key!r}: each key may appear only once, keep one of them")
    return lines, f"bad\\.jsonl: {record}{field}{message}"


@settings(max_examples=300)
@given(case=duplicated())
def test_a_key_given_twice_in_a_record_is_found(
    tmp_path: Path, case: tuple[list[str], str]
) -> None:
    lines, expected = case
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(FixtureError) as caught:
        validate_fixture(path)
    assert any(re.fullmatch(expected, str(issue)) for issue in caught.value.errors), expected


@pytest.mark.parametrize("quote", ["a: b", "::::", '"quoted": "text"', '{"a": 1}', "plain"])
def test_colons_in_strings_are_no_duplicates(tmp_path: Path, quote: str) -> None:
    data = base()
    data["transfers"][2]["claims"][1]["quote"] = quote
    data["transfers"][0]["description"] = quote
    data["transfers"][1]["claims"][0]["locator"] = {"page": quote[:50]}
    path = tmp_path / "ok.jsonl"
    records = [{k: v for k, v in data.items() if k != "transfers"}, *data["transfers"]]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert validate_fixture(path) == 3


def count_pairs(value: Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(count_pairs(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_pairs(v) for v in value)
    return 0


TRICKY_TEXT = st.text(st.sampled_from(':"\\{}[],ab\u00e9\n'), max_size=8)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.integers(), TRICKY_TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(TRICKY_TEXT, inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=500)
@given(value=JSON_VALUES, ascii_only=st.booleans(), compact=st.booleans())
def test_pairs_are_counted_without_parsing(value: Any, ascii_only: bool, compact: bool) -> None:
    """The fast path's count of pairs: one ':' outside strings each, quotes, backslashes
    and ':' in keys and values notwithstanding."""
    separators = (",", ":") if compact else (", ", ": ")
    raw = json.dumps(value, ensure_ascii=ascii_only, separators=separators).encode()
    assert pairs_in(raw) == count_pairs(value)
