"""Fuzzing: valid fixtures with fields dropped, replaced by hostile values, or retyped.
Loading one either succeeds or raises a SanctrackError, and on error the database is
exactly as it was."""

from __future__ import annotations

import contextlib
import copy
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fixture_cases import base, dump
from hypothesis import given, settings
from hypothesis import strategies as st
from malformed import BACKENDS, bundled_database
from sqlalchemy import Engine
from sqlmodel import Session

from sanctrack import SanctrackError, load_fixture, validate_fixture

Step = str | int
Dump = dict[str, list[tuple[Any, ...]]]
EXAMPLES = {"sqlite": 100, "postgresql": 30}

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(["", " ", "\x00", "PRK", "2024", "s1", "t1", "rounds", "é" * 300]),
    st.sampled_from([0, -1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30, 10**400]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
    st.just("x" * 100_000),
)
hostile = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.one_of(text, st.sampled_from(["id", "claims", "quantity"])), inner, max_size=3
        ),
    ),
    max_leaves=8,
) | st.just(json.loads("[" * 70 + "]" * 70))


def paths(value: Any, prefix: tuple[Step, ...] = ()) -> Iterator[tuple[Step, ...]]:
    """The path of every value nested in ``value`` (down to the depth of a fixture's own
    values, not into hostile nesting), ``value`` itself first."""
    yield prefix
    if len(prefix) >= 6:
        return
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from paths(child, (*prefix, i))


def retyped(value: Any) -> Any:
    """``value`` as another type, as a careless editor or converter might write it."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return int(value) if value.isdigit() else [value]
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return {}


def mutate(document: Any, path: tuple[Step, ...], how: str, new: Any) -> Any:
    """``document`` with the value at ``path`` dropped, replaced by ``new`` or retyped."""
    if not path:
        return retyped(document) if how == "retype" else new
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "drop":
        del parent[last]
    elif how == "retype":
        parent[last] = retyped(parent[last])
    else:
        parent[last] = new
    return document


def serialise(document: Any, fmt: str) -> bytes:
    if fmt == "yaml":
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()
    if fmt == "json":
        return json.dumps(document).encode()
    if not isinstance(document, dict):  # JSON Lines: whatever came, on the header line
        return json.dumps(document).encode() + b"\n"
    header = {k: v for k, v in document.items() if k != "transfers"}
    transfers = document.get("transfers", [])
    records = transfers if isinstance(transfers, list) else [transfers]
    return b"".join(json.dumps(r).encode() + b"\n" for r in [header, *records])


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    document: Any = base()
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(paths(document))))
        how = draw(st.sampled_from(["drop", "replace", "retype"] if path else ["replace"]))
        new = copy.deepcopy(draw(hostile)) if how == "replace" else None  # st.just shares
        document = mutate(document, path, how, new)
        if not isinstance(document, dict | list):
            break
    fmt = draw(st.sampled_from(["yaml", "json", "jsonl"]))
    return fmt, serialise(document, fmt)


@pytest.fixture(scope="module", params=BACKENDS)
def fuzzed_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres: Any
) -> Iterator[tuple[str, Engine]]:
    for engine in bundled_database(request.param, tmp_path_factory, postgres):
        yield request.param, engine


def test_mutated_fixtures_load_or_raise_a_sanctrack_error_and_change_nothing(
    fuzzed_db: tuple[str, Engine], tmp_path: Path
) -> None:
    backend, engine = fuzzed_db
    state: dict[str, Dump] = {"before": dump(engine)}
    counter = iter(range(10**9))

    @settings(max_examples=EXAMPLES[backend])
    @given(mutated())
    def check(case: tuple[str, bytes]) -> None:
        fmt, content = case
        path = tmp_path / f"fuzz-{next(counter)}.{fmt}"
        path.write_bytes(content)
        try:
            with Session(engine) as session:
                load_fixture(session, path)
        except SanctrackError:
            assert dump(engine) == state["before"]
        else:  # a mutation may well be valid: what it loaded is the new starting point
            state["before"] = dump(engine)
        with contextlib.suppress(SanctrackError):  # without a database: the same property
            validate_fixture(path)
        path.unlink()

    check()
