"""Properties of the public API over generated datasets (hypothesis), and filters as data.

* loading is idempotent: loading the same files again changes nothing;
* the order in which datasets are loaded does not change any query result;
* export, then load into a fresh database, gives the same records;
* the aggregates filtered by supplier X plus those filtered by every other supplier equal
  the unfiltered aggregates;
* hostile strings given as filter values to every query helper are data: they behave
  exactly like an ordinary unknown value, and the tables are intact afterwards.

Each property test reuses its test's database(s) across examples and deletes the
findings between them (builders.clear), rather than creating a database per example.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from builders import clear
from dataset_strategies import HOSTILE_TEXT, dataset_sets, suppliers_of
from fixture_cases import base, dump, records, write
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

import sanctrack
from sanctrack import (
    LoadReport,
    SanctrackError,
    UnknownStateError,
    export_dataset,
    load_fixture,
    write_fixture,
)
from sanctrack.queries import (
    QueryError,
    cap_checks,
    flows,
    source_comparison,
    timeline,
    transfers_by_year_and_category,
    violations,
)

ON_POSTGRES = bool(os.environ.get("SANCTRACK_TEST_POSTGRES_URL"))
#: fewer examples when PostgreSQL runs too (each test then runs on both backends)
EXAMPLES = 12 if ON_POSTGRES else 20
SETTINGS = settings(max_examples=EXAMPLES, deadline=None)
MODES = ("start", "end", "prorate")
Helper = Callable[..., Any]
FORMATS = ("yaml", "json", "jsonl")


@pytest.fixture
def second(backend: str, tmp_path: Path, postgres: Any) -> Iterator[Engine]:
    """A second empty database on the same backend."""
    url = f"sqlite:///{tmp_path / 'second.db'}" if backend == "sqlite" else postgres.create()
    engine = sanctrack.connect(url)
    yield engine
    engine.dispose()
    if backend != "sqlite":
        postgres.drop(url)


def reset(*engines: Engine) -> None:
    """Delete every finding (seeded reference data stays): a fresh database again."""
    for engine in engines:
        with Session(engine) as session:
            clear(session)


def load(engine: Engine, path: Path) -> LoadReport:
    with Session(engine) as session:
        return load_fixture(session, path)


def load_all(
    engine: Engine, documents: list[dict[str, Any]], folder: Path, formats: list[str]
) -> list[LoadReport]:
    """Write each document (in the matching format) and load them in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [
        write(folder / f"{d['dataset']['id']}.{fmt}", d)
        for d, fmt in zip(documents, formats, strict=True)
    ]
    return [load(engine, p) for p in paths]


def results(engine: Engine) -> dict[str, Any]:
    """What the query helpers return for the whole database (rows and caveats)."""
    out: dict[str, Any] = {}
    with Session(engine) as s:
        for mode in MODES:
            out[f"by_year_{mode}"] = outcome(transfers_by_year_and_category, s, year_split=mode)
        out["by_year_leaf_newest"] = outcome(
            transfers_by_year_and_category, s, level="leaf", claim_policy="newest"
        )
        out["by_year_credibility"] = outcome(
            transfers_by_year_and_category, s, claim_policy="highest_credibility"
        )
        out["flows"] = outcome(flows, s, year_split="start")
        out["timeline"] = outcome(timeline, s)
        out["source_comparison"] = source_comparison(s).rows
        out["violations"] = violations(s).rows
        out["cap_checks"] = cap_checks(s).rows
    return out


# -- loading is idempotent -------------------------------------------------------------


@SETTINGS
@given(documents=dataset_sets(), data=st.data())
def test_loading_again_changes_nothing(
    engine: Engine, tmp_path: Path, documents: list[dict[str, Any]], data: st.DataObject
) -> None:
    reset(engine)
    formats = [data.draw(st.sampled_from(FORMATS)) for _ in documents]
    first = load_all(engine, documents, tmp_path / "in", formats)
    assert all(r.changed for r in first)  # every dataset row is new
    before = dump(engine)
    again = load_all(engine, documents, tmp_path / "in", formats)
    assert [r.changed for r in again] == [False] * len(documents), [str(r) for r in again]
    assert all(r.created == r.updated == r.removed == 0 for r in again)
    assert dump(engine) == before  # load_record included: an unchanged load logs nothing
    # the same data in another format, and in reverse order: still no change
    other = [{"yaml": "jsonl", "json": "yaml", "jsonl": "json"}[f] for f in formats]
    later = load_all(engine, documents[::-1], tmp_path / "other", other[::-1])
    assert not any(r.changed for r in later), [str(r) for r in later]
    assert dump(engine) == before


# -- load order does not change aggregates ---------------------------------------------


@SETTINGS
@given(documents=dataset_sets(), data=st.data())
def test_load_order_does_not_change_results(
    engine: Engine,
    second: Engine,
    tmp_path: Path,
    documents: list[dict[str, Any]],
    data: st.DataObject,
) -> None:
    reset(engine, second)
    formats = [data.draw(st.sampled_from(FORMATS)) for _ in documents]
    order = data.draw(st.permutations(range(len(documents))))
    if list(order) == list(range(len(documents))):
        order = order[::-1]
    load_all(engine, documents, tmp_path / "a", formats)
    load_all(second, [documents[i] for i in order], tmp_path / "b", [formats[i] for i in order])
    assert records(engine) == records(second)
    one, other = results(engine), results(second)
    for name, got in one.items():
        want = other[name]
        if isinstance(got, tuple):  # (rows, caveats)
            assert got[0] == want[0], name
            beyond = any(c.kind == "more_caveats" for c in got[1] + want[1])
            if not beyond:  # which pairs are listed beyond the limit is up to the database
                assert got[1] == want[1], name
        else:
            assert got == want, name


# -- export, then load into a fresh database -------------------------------------------


@SETTINGS
@given(documents=dataset_sets(min_size=1), fmt=st.sampled_from(FORMATS))
def test_export_round_trip(
    engine: Engine, second: Engine, tmp_path: Path, documents: list[dict[str, Any]], fmt: str
) -> None:
    reset(engine, second)
    load_all(engine, documents, tmp_path / "in", ["yaml"] * len(documents))
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    exported = {}
    with Session(engine) as s:
        for d in documents:
            ident = d["dataset"]["id"]
            exported[ident] = export_dataset(s, ident)
    paths = [
        write_fixture(exported[d["dataset"]["id"]], out / f"x-{i}.{fmt}")
        for i, d in enumerate(documents)
    ]
    for path in paths:
        assert load(second, path).changed
    assert records(second) == records(engine)
    with Session(second) as s:  # and the copy exports the same documents
        assert {i: export_dataset(s, i) for i in exported} == exported
    # loading the export back into the original database changes nothing
    assert [load(engine, p).changed for p in paths] == [False] * len(paths)


# -- filtering by supplier partitions the aggregates ----------------------------------

Key = tuple[int, str, str, str, str | None]
Totals = dict[Key, dict[str, Any]]
ADDITIVE = ("low", "best", "transfers", "unquantified")


def totals(rows: list[Any]) -> Totals:
    out: Totals = {}
    for r in rows:
        key = (r.year, r.supplier, r.recipient, r.category, r.unit)
        assert key not in out, f"two rows for {key}"
        out[key] = {f: getattr(r, f) for f in (*ADDITIVE, "high")}
    return out


def add(a: Totals, b: Totals) -> Totals:
    """The sum of two results, row by row: None (unbounded) high absorbs any number."""
    out = {k: dict(v) for k, v in a.items()}
    for key, row in b.items():
        if key not in out:
            out[key] = dict(row)
            continue
        mine = out[key]
        for f in ADDITIVE:
            mine[f] += row[f]
        mine["high"] = (
            None if mine["high"] is None or row["high"] is None else (mine["high"] + row["high"])
        )
    return out


@SETTINGS
@given(
    documents=dataset_sets(min_size=1),
    mode=st.sampled_from(MODES),
    level=st.sampled_from(["top", "leaf"]),
    policy=st.sampled_from(["most_reliable", "newest", "highest_credibility"]),
)
def test_supplier_filters_partition_the_aggregates(
    engine: Engine,
    tmp_path: Path,
    documents: list[dict[str, Any]],
    mode: str,
    level: str,
    policy: str,
) -> None:
    reset(engine)
    load_all(engine, documents, tmp_path, ["jsonl"] * len(documents))
    suppliers = suppliers_of(documents)
    options: dict[str, Any] = {
        "year_split": mode,
        "level": level,
        "claim_policy": policy,
        "caveats": False,
    }
    with Session(engine) as s:

        def query(supplier: Any = None) -> Totals:
            return totals(transfers_by_year_and_category(s, supplier=supplier, **options).rows)

        whole = query()
        each: Totals = {}
        for x in suppliers:
            one = query(x)
            others = [y for y in suppliers if y != x]
            rest = query(others) if others else {}
            assert {k[1] for k in one} <= {x}  # rows never mix directions
            assert not set(one) & set(rest)
            assert add(one, rest) == whole, (x, others)
            each = add(each, one)
        assert each == whole  # one call per supplier adds up too
        assert query(suppliers) == whole


# -- filters are data ------------------------------------------------------------------

HOSTILE = [
    *HOSTILE_TEXT,
    "'",
    '"',
    "%",
    "_",
    "\\",
    "' OR '1'='1",
    "ds-a' OR 'x'='x",
    "1); DELETE FROM source; --",
    "test-ds%",
    "s_",
    "\u202e\u200b",
    "x" * 500,
]
UNKNOWN = "no-such-thing"  # an ordinary value that matches nothing

#: every query helper, with the filters it takes
HELPERS: dict[str, tuple[Helper, tuple[str, ...]]] = {
    "transfers_by_year_and_category": (
        transfers_by_year_and_category,
        ("supplier", "recipient", "category", "datasets", "sources", "min_reliability"),
    ),
    "flows": (
        flows,
        ("supplier", "recipient", "category", "datasets", "sources", "min_reliability"),
    ),
    "timeline": (
        timeline,
        ("supplier", "recipient", "category", "datasets", "sources", "min_reliability"),
    ),
    "source_comparison": (
        source_comparison,
        ("supplier", "recipient", "category", "datasets", "sources", "min_reliability"),
    ),
    "violations": (
        violations,
        ("supplier", "recipient", "category", "datasets", "sources", "min_reliability"),
    ),
    "cap_checks": (cap_checks, ("datasets", "sources", "min_reliability")),
}
#: the options each helper takes that must be one of a few words
CHOICES: dict[str, tuple[str, ...]] = {
    "transfers_by_year_and_category": ("level", "year_split", "claim_policy"),
    "flows": ("level", "year_split", "claim_policy"),
    "timeline": ("level", "claim_policy"),
    "source_comparison": ("level", "claim_policy"),
    "violations": ("year_split", "claim_policy"),
    "cap_checks": ("year_split", "claim_policy"),
}
REAL = {"category": "ammunition", "datasets": "test-ds", "sources": "s1"}


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Iterator[Session]:
    """BASE loaded (three transfers, asserted violations), and a session on it."""
    load(engine, write(tmp_path / "base.yaml", base()))
    with Session(engine) as session:
        yield session


def outcome(helper: Helper, session: Session, **filters: Any) -> Any:
    """The rows and caveats ``helper(session, **filters)`` returns, or the kind of
    SanctrackError it raises (any other exception, such as a database error, propagates
    and fails the test)."""
    try:
        result = helper(session, **filters)
    except SanctrackError as error:
        return type(error)
    return (result.rows, result.caveats)


def is_state(value: str) -> bool:
    """Whether ``value`` names a state (a few of the hostile texts are real names)."""
    try:
        sanctrack.resolve_state(value)
    except SanctrackError:
        return False
    return True


@pytest.mark.parametrize("name", HELPERS)
def test_hostile_filter_values_are_data(engine: Engine, loaded: Session, name: str) -> None:
    """A hostile string behaves exactly as an ordinary unknown value, in every filter the
    helper takes, alone or next to a real value; nothing is changed in the database."""
    helper, params = HELPERS[name]
    before = dump(engine)
    if name != "cap_checks":  # BASE has no capped deliveries
        assert len(helper(loaded, category=REAL["category"])) > 0
    for param in params:
        if param == "min_reliability":
            for value in HOSTILE:
                with pytest.raises(QueryError):
                    helper(loaded, min_reliability=value)
            continue
        if param in ("supplier", "recipient"):
            for value in HOSTILE:
                if not is_state(value):
                    with pytest.raises(UnknownStateError):
                        helper(loaded, **{param: value})
                    with pytest.raises(UnknownStateError):
                        helper(loaded, **{param: ["PRK", value]})
            continue
        # the benign twins: the same calls with an ordinary value that matches nothing
        alone = outcome(helper, loaded, **{param: UNKNOWN})
        beside = outcome(helper, loaded, **{param: [REAL[param], UNKNOWN]})
        for value in HOSTILE:
            got = outcome(helper, loaded, **{param: value})
            assert got == alone, (param, value)
            got = outcome(helper, loaded, **{param: [REAL[param], value]})
            assert got == beside, (param, value)
    loaded.rollback()
    assert dump(engine) == before  # no table dropped, no row changed


@pytest.mark.parametrize("name", HELPERS)
def test_nul_in_a_filter_value_is_data(loaded: Session, name: str) -> None:
    """A NUL character in a text filter matches nothing, as any unknown value, on every
    backend (PostgreSQL refuses NUL in text parameters: the value must not reach it)."""
    helper, params = HELPERS[name]
    for param in ("category", "datasets", "sources"):
        if param not in params:
            continue
        want = outcome(helper, loaded, **{param: UNKNOWN})
        for value in ("\x00", "test-ds\x00", "x'\x00; DROP TABLE transfer; --"):
            assert outcome(helper, loaded, **{param: value}) == want, param


@pytest.mark.parametrize("name", CHOICES)
def test_hostile_choices_are_refused(loaded: Session, name: str) -> None:
    """year_split, claim_policy and level take one of a few words: anything else (here a
    hostile string) raises QueryError, in every helper that takes them."""
    helper = HELPERS[name][0]
    wrong = []
    for choice in CHOICES[name]:
        for value in ("x'; DROP TABLE transfer; --", "", "PRORATE"):
            try:
                helper(loaded, **{choice: value})
            except QueryError:
                continue
            wrong.append(f"{choice}={value!r}")
    assert not wrong, f"{name} accepted " + ", ".join(wrong)


@settings(max_examples=EXAMPLES, deadline=None)
@given(value=st.text(max_size=30))
def test_any_text_as_a_filter_value_is_data(loaded: Session, value: str) -> None:
    """Arbitrary text (any character, NUL included) as a category, dataset or source
    filter gives what an unknown value gives, unless it is a real one; as a state, it
    names a state or raises a SanctrackError (resolve_state ignores punctuation, so
    "Russia'; --" is Russia), never a database error."""
    for param, real in (
        ("category", {"ammunition", "artillery-ammunition", "troops", "personnel"}),
        ("datasets", {"test-ds"}),
        ("sources", {"s1", "s2"}),
    ):
        if value in real:
            continue
        got = outcome(transfers_by_year_and_category, loaded, **{param: value})
        want = outcome(transfers_by_year_and_category, loaded, **{param: UNKNOWN})
        assert got == want, param
    for param in ("supplier", "recipient"):  # a state, or a clean UnknownStateError
        outcome(transfers_by_year_and_category, loaded, **{param: value})


@pytest.mark.parametrize("value", ["2024", "'; DROP TABLE transfer; --", ["2024", "x"]])
def test_years_given_as_text(loaded: Session, value: Any) -> None:
    """``years`` takes integers; text is refused with a QueryError (or, for the text of a
    year, read as that year), never split into characters nor sent to the database."""
    for helper in (transfers_by_year_and_category, flows, timeline):
        try:
            result = helper(loaded, years=value)
        except QueryError:
            continue
        assert value == "2024", f"{helper.__name__} accepted years={value!r}"
        assert result.rows == helper(loaded, years=2024).rows, helper.__name__
