"""A load into a new SQLite dataset takes the fast path: a lean pass that keeps nothing per
transfer (sanctrack.fixture.lean), and indexes built after the inserts
(sanctrack.fixture.bulk_indexes). It stores exactly the rows the full path stores, leaves
the same schema, and a file with problems gets the full path's report, with the database
unchanged."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from dataset_strategies import dataset_sets, fixture_documents
from fixture_cases import write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

import sanctrack
from sanctrack import FixtureError, load_fixture
from sanctrack.models import metadata

SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: Every table but load_record (its rows carry the time of the load).
TABLES = sorted(t for t in metadata.tables if t != "load_record")
FORMATS = ("yaml", "json", "jsonl")


@contextmanager
def full_path() -> Iterator[None]:
    """Loads that neither take a lean pass nor build indexes after their inserts."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sanctrack.fixture.load.lean_pass", lambda fresh, dialect: False)
        patch.setattr("sanctrack.fixture.write.worth_rebuilding", lambda existing, new: False)
        yield


def database(path: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    sanctrack.connect(url).dispose()
    return url


def load_all(url: str, paths: list[Path]) -> list[Any]:
    engine = sanctrack.connect(url)
    outcomes: list[Any] = []
    try:
        for path in paths:
            with Session(engine) as session:
                try:
                    report = load_fixture(session, path)
                    outcomes.append((report.dataset, report.created, report.updated))
                except FixtureError as error:
                    outcomes.append([str(issue) for issue in error.errors])
    finally:
        engine.dispose()
    return outcomes


def stored(url: str) -> dict[str, Any]:
    """Every row of every table (ids included), and the schema: each table's name, and
    the indexes, triggers and views with their SQL (batch mode may write a rebuilt table's
    constraints in another order in another database)."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        found: dict[str, Any] = {
            t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in TABLES
        }
        found["schema"] = sorted(
            connection.execute(
                "SELECT type, name, tbl_name, CASE WHEN type = 'table' THEN NULL ELSE sql END "
                "FROM sqlite_master"
            ).fetchall(),
            key=repr,
        )
    finally:
        connection.close()
    return found


def both_paths(tmp_path: Path, paths: list[Path]) -> tuple[Any, Any]:
    fast = database(tmp_path / "fast.db")
    fast_outcomes = load_all(fast, paths)
    full = database(tmp_path / "full.db")
    with full_path():
        full_outcomes = load_all(full, paths)
    assert fast_outcomes == full_outcomes
    return stored(fast), stored(full)


@SETTINGS
@given(documents=dataset_sets(max_transfers=6), data=st.data())
def test_fast_and_full_paths_store_the_same_rows(
    tmp_path: Path, documents: list[dict[str, Any]], data: st.DataObject
) -> None:
    folder = tmp_path / "files"
    folder.mkdir(exist_ok=True)
    paths = [
        write(folder / f"{d['dataset']['id']}.{data.draw(st.sampled_from(FORMATS))}", d)
        for d in documents
    ]
    # the first load takes the fast path, the next ones too (new datasets), then the
    # first file again: not a new dataset, the full path
    fast, full = both_paths(tmp_path, [*paths, paths[0]])
    assert fast == full
    assert fast["transfer"] or not any(d["transfers"] for d in documents)


@SETTINGS
@given(document=fixture_documents(max_transfers=6), data=st.data())
def test_a_repeated_transfer_id_is_reported_as_by_the_full_path(
    tmp_path: Path, document: dict[str, Any], data: st.DataObject
) -> None:
    transfers = document["transfers"]
    if not transfers:
        transfers.append(
            {
                "id": "t0",
                "supplier": "PRK",
                "recipient": "RUS",
                "materiel": "artillery-ammunition",
                "period": "2024",
                "claims": [{"source": document["sources"][0]["id"], "quantity": {"about": 5}}],
            }
        )
    again = copy.deepcopy(data.draw(st.sampled_from(transfers)))  # no YAML alias
    transfers.insert(data.draw(st.integers(0, len(transfers))), again)
    fmt = data.draw(st.sampled_from(FORMATS))
    path = write(tmp_path / f"{document['dataset']['id']}.{fmt}", document)
    fast = database(tmp_path / "fast.db")
    before = stored(fast)
    outcomes = load_all(fast, [path])
    with full_path():
        full = database(tmp_path / "full.db")
        assert load_all(full, [path]) == outcomes
    assert any("duplicate transfer id" in issue for issue in outcomes[0])
    assert stored(fast) == before  # rolled back: rows, indexes and triggers as they were


def test_a_problem_in_the_last_record_is_reported_as_by_the_full_path(tmp_path: Path) -> None:
    """The lean pass meets a bad record at the end: the full pass reports it, and the
    database is as it was."""
    document = {
        "dataset": {"id": "ds-a", "title": "A", "version": "1"},
        "sources": [{"id": "s1", "kind": "report", "reliability": "B"}],
        "transfers": [
            {
                "id": f"t{i}",
                "supplier": "PRK",
                "recipient": "RUS",
                "materiel": "artillery-ammunition",
                "period": "2024",
                "claims": [{"source": "s1", "quantity": {"about": i + 1}, "unit": "rounds"}],
            }
            for i in range(30)
        ]
        + [{"id": "t-bad", "supplier": "PRK", "recipient": "Atlantis", "materiel": "x"}],
    }
    path = write(tmp_path / "a.jsonl", document)
    url = database(tmp_path / "a.db")
    before = stored(url)
    [issues] = load_all(url, [path])
    with full_path():
        assert load_all(database(tmp_path / "full.db"), [path]) == [issues]
    assert any("line 32 (t-bad)" in issue for issue in issues)
    assert stored(url) == before
