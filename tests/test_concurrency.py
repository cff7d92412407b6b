"""Several processes loading into one database at once, on SQLite and on PostgreSQL: they
all finish (waiting for each other, never failing with "database is locked"), every record
of every dataset is there afterwards, and one dataset loaded twice at once is stored once.
The retry on a busy database is tested directly too."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg.errors
import pytest
import workers
from fixture_cases import NATO, dump
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

import sanctrack
import sanctrack.db.engine
import sanctrack.db.retry
from sanctrack import load_fixture
from sanctrack.db.retry import DatabaseBusyError, transient_reason
from sanctrack.fixture.load import TransactionBusyError
from sanctrack.fixture.write import Writer
from sanctrack.models import Claim, Dataset, LoadRecord, Source, Transfer

WORKERS = Path(workers.__file__)
#: Transfers per generated dataset.
N = 20_000
DATASETS = ("conc-a", "conc-b", "conc-c", "conc-d")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("concurrency")
    return {
        d: workers.generate(folder / f"{d}.jsonl", d, N, seed=i)
        for i, d in enumerate(DATASETS, start=1)
    }


def run_together(
    url: str, paths: list[Path], barrier: Path, busy_timeout_ms: int | None = None
) -> tuple[list[dict[str, Any]], str]:
    """Start a loader process per path; once all are ready, let them go at the same
    instant. Every one must succeed without a word about a locked database; returns their
    reports, and what they wrote to stderr."""
    env = dict(os.environ)
    env.pop(workers.BUSY_TIMEOUT_VARIABLE, None)
    if busy_timeout_ms is not None:
        env[workers.BUSY_TIMEOUT_VARIABLE] = str(busy_timeout_ms)
    loaders = [
        subprocess.Popen(
            [sys.executable, str(WORKERS), "load", url, str(path), "--barrier", str(barrier)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for path in paths
    ]
    try:
        for loader in loaders:  # each has imported sanctrack and waits at the barrier
            assert loader.stdout is not None
            assert loader.stdout.readline() == "ready\n"
        barrier.touch()
        outcomes = [loader.communicate(timeout=180) for loader in loaders]
    finally:
        for loader in loaders:
            if loader.poll() is None:
                loader.kill()
                loader.communicate()
    reports = []
    for loader, (out, err) in zip(loaders, outcomes, strict=True):
        assert "database is locked" not in out + err
        assert "Traceback" not in err
        assert loader.returncode == 0, err
        reports.append(json.loads(out.splitlines()[-1]))
    return reports, "".join(err for _, err in outcomes)


def transfers_by_dataset(engine: Engine) -> dict[str, int]:
    with engine.connect() as c:
        return dict(
            c.execute(select(Transfer.dataset_id, func.count()).group_by(Transfer.dataset_id)).all()
        )


def claims_of(engine: Engine, dataset: str) -> int:
    with engine.connect() as c:
        return c.execute(
            select(func.count())
            .select_from(Claim)
            .join(Transfer, Transfer.id == Claim.transfer_id)
            .where(Transfer.dataset_id == dataset)
        ).scalar_one()


def spot_check(engine: Engine, dataset: str, number: int, seed: int) -> None:
    """The stored transfer ``number`` of ``dataset`` is the one the generator wrote."""
    expected = workers.transfer(dataset, number, seed)
    with engine.connect() as c:
        row = c.execute(
            select(
                Transfer.id, Transfer.supplier_code, Transfer.recipient_code, Transfer.materiel_slug
            ).where(Transfer.dataset_id == dataset, Transfer.key == expected["id"])
        ).one()
        assert tuple(row[1:]) == (
            expected["supplier"],
            expected["recipient"],
            expected["materiel"],
        )
        source = c.execute(select(Claim.source_id).where(Claim.transfer_id == row[0])).scalar_one()
        assert source == expected["claims"][0]["source"]


def test_four_processes_load_different_datasets_at_once(
    backend: str, db_url: str, files: dict[str, Path], tmp_path: Path
) -> None:
    # The database is new: the four also race to migrate and seed it. On SQLite each load
    # holds the write lock for a second or more, and the others give up waiting for it
    # after 0.3 s (instead of 60 s): sanctrack's retry must take over.
    reports, stderr = run_together(
        db_url, [files[d] for d in DATASETS], tmp_path / "go", busy_timeout_ms=300
    )
    if backend == "sqlite":
        assert "is busy (SQLite write lock)" in stderr
    assert sorted(r["dataset"] for r in reports) == sorted(DATASETS)
    for report in reports:
        assert report["counts"]["transfers"] == {
            "created": N,
            "updated": 0,
            "unchanged": 0,
            "removed": 0,
        }
    engine = sanctrack.connect(db_url)
    try:
        assert transfers_by_dataset(engine) == dict.fromkeys(DATASETS, N)
        with engine.connect() as c:
            sources = dict(
                c.execute(select(Source.dataset_id, func.count()).group_by(Source.dataset_id)).all()
            )
            assert sources == dict.fromkeys(DATASETS, len(workers.SOURCE_KINDS))
            loads = c.execute(select(LoadRecord.dataset_id)).scalars().all()
            assert sorted(loads) == sorted(DATASETS)
        for seed, dataset in enumerate(DATASETS, start=1):
            assert claims_of(engine, dataset) == N
            for number in (1, 7_777, N):
                spot_check(engine, dataset, number, seed)
    finally:
        engine.dispose()


def test_two_processes_load_the_same_dataset_at_once(
    db_url: str, files: dict[str, Path], tmp_path: Path
) -> None:
    dataset = DATASETS[0]
    # With SQLite's usual busy timeout: the second waits for the first inside SQLite.
    reports, _ = run_together(db_url, [files[dataset]] * 2, tmp_path / "go")
    transfers = sorted(
        (r["counts"]["transfers"]["created"], r["counts"]["transfers"]["unchanged"])
        for r in reports
    )
    # One of them wrote the dataset; the other, after it, found it all up to date.
    assert transfers == [(0, N), (N, 0)]
    engine = sanctrack.connect(db_url)
    try:
        assert transfers_by_dataset(engine) == {dataset: N}
        assert claims_of(engine, dataset) == N
        with engine.connect() as c:
            assert c.execute(select(func.count()).select_from(Dataset)).scalar_one() == 1
            assert c.execute(select(func.count()).select_from(Source)).scalar_one() == len(
                workers.SOURCE_KINDS
            )
            assert c.execute(select(func.count()).select_from(LoadRecord)).scalar_one() == 1
        spot_check(engine, dataset, N, 1)
    finally:
        engine.dispose()


# -- the retry, directly ----------------------------------------------------------------


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each attempt at SQLite's write lock gives up after 0.2 s instead of 1 s, so that the
    retry in load_fixture and connect is what waits."""
    monkeypatch.setattr(sanctrack.db.engine, "SQLITE_LOCK_ATTEMPT_MS", 200)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'busy.db'}"


class WriteLock:
    """Another connection holding a SQLite file's write lock until ``release``."""

    def __init__(self, url: str) -> None:
        self.raw = sqlite3.connect(
            make_url(url).database or "", isolation_level=None, check_same_thread=False
        )
        self.raw.execute("BEGIN IMMEDIATE")
        self.released = threading.Event()

    def release(self) -> None:
        self.raw.execute("COMMIT")
        self.raw.close()
        self.released.set()

    def release_after(self, seconds: float) -> threading.Timer:
        timer = threading.Timer(seconds, self.release)
        timer.start()
        return timer


@pytest.fixture
def busy_engine(short_busy_timeout: None, sqlite_url: str) -> Iterator[Engine]:
    engine = sanctrack.connect(sqlite_url)
    yield engine
    engine.dispose()


def _retries(caplog: pytest.LogCaptureFixture) -> int:
    return sum("is busy" in r.getMessage() for r in caplog.records if r.name.endswith("retry"))


def test_load_waits_for_a_writer_longer_than_the_busy_timeout(
    busy_engine: Engine, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sanctrack.db.retry")
    lock = WriteLock(sqlite_url)
    lock.release_after(1.5)
    start = time.monotonic()
    with Session(busy_engine) as session:
        report = load_fixture(session, NATO)
    assert time.monotonic() - start >= 1.4
    assert lock.released.is_set()
    assert report.counts["transfers"]["created"] > 0
    assert _retries(caplog) >= 2  # each BEGIN IMMEDIATE gave up after 0.2 s
    assert transfers_by_dataset(busy_engine) == {
        report.dataset: report.counts["transfers"]["created"]
    }
    with busy_engine.connect() as c:  # the pooled connections are as they should be
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_connect_to_a_current_database_does_not_wait_for_a_writer(
    short_busy_timeout: None, sqlite_url: str
) -> None:
    # Nothing to migrate or seed: one read, which a writer does not block (WAL), so a
    # notebook opens the database while a load runs.
    sanctrack.connect(sqlite_url).dispose()
    lock = WriteLock(sqlite_url)
    try:
        engine = sanctrack.connect(sqlite_url)
        assert not lock.released.is_set()
        with engine.connect() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM state").scalar_one() > 0
        engine.dispose()
    finally:
        lock.release()


def test_connect_waits_for_a_writer_longer_than_the_busy_timeout(
    short_busy_timeout: None, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    sanctrack.connect(sqlite_url).dispose()
    with sqlite3.connect(make_url(sqlite_url).database or "") as raw:  # connect must reseed
        raw.execute("UPDATE seed_state SET checksum = 'stale'")
    caplog.set_level(logging.INFO, logger="sanctrack.db.retry")
    lock = WriteLock(sqlite_url)
    lock.release_after(1.0)
    engine = sanctrack.connect(sqlite_url)
    try:
        assert lock.released.is_set()
        assert _retries(caplog) >= 2
        with engine.connect() as c:  # connect's own connection got its foreign keys back
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_load_gives_up_after_the_retry_limit_without_database_is_locked(
    busy_engine: Engine, sqlite_url: str
) -> None:
    before = dump(busy_engine)
    lock = WriteLock(sqlite_url)
    try:
        with Session(busy_engine) as session, pytest.raises(DatabaseBusyError) as caught:
            load_fixture(session, NATO, wait=0.8)
    finally:
        lock.release()
    assert isinstance(caught.value, sanctrack.SanctrackError)
    assert "database is locked" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert dump(busy_engine) == before
    with Session(busy_engine) as session:  # once the lock is gone, the load works
        assert load_fixture(session, NATO).changed


def test_no_retry_inside_the_callers_transaction(
    short_busy_timeout: None, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sanctrack.db.retry")
    engine = sanctrack.connect(sqlite_url, wait=0.5)
    try:
        with Session(engine) as session, session.begin():  # the caller's own transaction
            session.execute(select(func.count()).select_from(Dataset))
            lock = WriteLock(sqlite_url)
            try:
                # Running the caller's transaction again is not load_fixture's to decide.
                with pytest.raises(TransactionBusyError) as caught:
                    load_fixture(session, NATO)
            finally:
                lock.release()
            session.rollback()
        assert str(caught.value) == (
            f"The database {sqlite_url} is locked by another writer, and the load ran inside "
            "your session's transaction, which has writes of its own, so sanctrack could not "
            "wait and try again. Nothing was loaded. Commit or roll back the session first, "
            "then load."
        )
        assert _retries(caplog) == 0
        assert transfers_by_dataset(engine) == {}
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "error", [psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure]
)
def test_load_runs_again_after_a_deadlock_or_serialization_failure(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    """PostgreSQL may abort a transaction that conflicted with another: the load starts
    again from a clean slate (here the error is raised once, midway, on both backends)."""
    finish = Writer.finish
    calls = []

    def failing_once(self: Writer) -> None:
        calls.append(self.dataset_id)
        if len(calls) == 1:
            raise error("simulated")
        finish(self)

    monkeypatch.setattr(Writer, "finish", failing_once)
    with Session(engine) as session:
        report = load_fixture(session, NATO)
    assert len(calls) == 2
    # The report is the second attempt's only: nothing counted twice, nothing stored twice.
    created = report.counts["transfers"]["created"]
    assert created > 0
    assert transfers_by_dataset(engine) == {report.dataset: created}
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(LoadRecord)).scalar_one() == 1


def test_transient_errors() -> None:
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorcode = sqlite3.SQLITE_BUSY  # type: ignore[attr-defined]
    assert transient_reason(locked) == "SQLite write lock"
    assert transient_reason(OperationalError("BEGIN", {}, locked)) == "SQLite write lock"
    assert transient_reason(sqlite3.OperationalError("database is locked")) is not None
    assert transient_reason(sqlite3.OperationalError("no such table: x")) is None
    assert transient_reason(psycopg.errors.DeadlockDetected()) == "deadlock"
    assert transient_reason(psycopg.errors.SerializationFailure()) == "serialization failure"
    assert transient_reason(psycopg.errors.UniqueViolation()) is None
    assert transient_reason(ValueError("database is locked")) is None
