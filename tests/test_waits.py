"""Waits for other writers are bounded by one limit and say what they wait for.

A loader suspended with SIGSTOP while it holds its dataset's lock (PostgreSQL), a session
holding the migration lock or a row lock, a SQLite connection holding the write lock: the
waiting load or connect gives up after the limit (``wait=``, ``--wait``,
``$SANCTRACK_WAIT_SECONDS``) with a clear error, and warns while it waits, naming the holder
where the database can tell. A Session that has read is ended before a load, so the load
can wait for another process's write; a dropped PostgreSQL connection is retried.

Every test waits a few seconds at most; child processes have a hang guard of
:data:`HANG` seconds (over 20 times what they normally take).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import workers
from conftest import PostgresDatabases
from fixture_cases import NATO, dump
from sqlalchemy import Connection, Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session
from sqlmodel import select as select_model
from typer.testing import CliRunner

import sanctrack
from sanctrack.cli import app
from sanctrack.db.failures import DatabaseUnavailableError
from sanctrack.db.locks import LockWaitError
from sanctrack.db.migrate import PG_LOCK_KEY
from sanctrack.db.retry import ConnectionLostError, DatabaseBusyError
from sanctrack.db.urls import shown_url
from sanctrack.db.waits import WAIT_VARIABLE, WaitLimitError
from sanctrack.errors import DatabaseWaitWarning
from sanctrack.exitcodes import ExitCode
from sanctrack.fixture.write import Writer
from sanctrack.models import Dataset, LoadRecord, Transfer

WORKERS = Path(workers.__file__)
#: Hang guard (seconds) for a child process; a test's waits last 3 s.
HANG = 180
#: The wait limit of the tests (seconds).
LIMIT = 3
#: Transfers in the suspended loader's dataset: it takes several batches to write.
BIG = 100_000
runner = CliRunner()

SQLITE_HOLDER = "held by another connection; SQLite cannot tell which"
HINT = "--wait SECONDS (or $SANCTRACK_WAIT_SECONDS) sets how long to wait."


@pytest.fixture(autouse=True)
def no_wait_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(WAIT_VARIABLE, raising=False)


@pytest.fixture
def pg_url(postgres: PostgresDatabases | None) -> Iterator[str]:
    if postgres is None:
        pytest.skip("needs PostgreSQL: set SANCTRACK_TEST_POSTGRES_URL")
    url = postgres.create()
    yield url
    postgres.drop(url)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workers.generate(tmp_path_factory.mktemp("waits") / "wait-a.jsonl", "wait-a", BIG)


class Loader:
    """``tests/workers.py load`` in a child process, which can be suspended mid-load."""

    def __init__(self, url: str, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WORKERS), "load", url, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.timer = threading.Timer(HANG, self.process.kill)  # the hang guard
        self.timer.start()
        self.lines: list[str] = []

    def wait_for(self, prefix: str) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if line.startswith(prefix):
                return
        raise AssertionError(f"the loader ended before {prefix!r}: {self.lines}")

    def suspend(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def finish(self) -> dict[str, Any]:
        """Let it go on, and return its report once it has finished."""
        os.kill(self.process.pid, signal.SIGCONT)
        out, err = self.process.communicate()
        self.timer.cancel()
        assert self.process.returncode == 0, err
        return dict(json.loads((self.lines + out.splitlines())[-1]))

    def stop(self) -> None:
        self.timer.cancel()
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.communicate()


def holder(url: str, application: str) -> tuple[int, str]:
    """The pid of the session named ``application`` and the start of its transaction."""
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as c:
            pid, since = c.execute(
                text(
                    "SELECT pid, to_char(xact_start AT TIME ZONE 'UTC', 'HH24:MI:SS') "
                    "FROM pg_stat_activity WHERE application_name = :a"
                ),
                {"a": application},
            ).one()
            return int(pid), str(since)
    finally:
        engine.dispose()


def wait_lines(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, DatabaseWaitWarning)]


def waiting(what: str, held: str) -> str:
    """The pattern of a wait line."""
    return rf"Waiting for {re.escape(what)} \({re.escape(held)}\); giving up in \d+ s"


def transfers(engine: Engine) -> dict[str, int]:
    with engine.connect() as c:
        return dict(
            c.execute(select(Transfer.dataset_id, func.count()).group_by(Transfer.dataset_id)).all()
        )


# -- PostgreSQL: a suspended loader, the migration lock, a row lock ------------------------


def test_a_suspended_loader_bounds_the_next_load_of_its_dataset(
    pg_url: str, big_file: Path, tmp_path: Path
) -> None:
    engine = sanctrack.connect(pg_url)
    loader = Loader(pg_url, big_file)
    try:
        loader.wait_for("progress")  # it holds the dataset's lock and has written a batch
        loader.suspend()
        pid, since = holder(pg_url, "sanctrack load wait-a")
        held = f"held by pid {pid}, sanctrack load wait-a, since {since} UTC"
        gave_up = (
            rf"Gave up waiting for dataset 'wait-a' after \d+ s \({re.escape(held)}\)\. "
            r"Nothing was written\. Try again when it has finished, or stop that process; "
            + re.escape(HINT)
        )
        second = workers.generate(tmp_path / "wait-a-v2.jsonl", "wait-a", 10, version="2")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with Session(engine) as session, pytest.raises(LockWaitError) as raised:
                sanctrack.load_fixture(session, second, wait=LIMIT)
        assert re.fullmatch(gave_up, str(raised.value))
        lines = wait_lines(caught)
        assert lines and all(re.fullmatch(waiting("dataset 'wait-a'", held), m) for m in lines)

        result = runner.invoke(app, ["load", "--wait", str(LIMIT), "--url", pg_url, str(second)])
        assert result.exit_code == ExitCode.BUSY
        printed = result.stderr.splitlines()
        assert re.fullmatch(gave_up, printed[-1])
        assert printed[:-1] and all(
            re.fullmatch(waiting("dataset 'wait-a'", held), m) for m in printed[:-1]
        )
        assert transfers(engine) == {}  # the suspended load is not committed yet

        report = loader.finish()
    finally:
        loader.stop()
    assert report["counts"]["transfers"]["created"] == BIG
    assert transfers(engine) == {"wait-a": BIG}
    with Session(engine) as session:  # now the second version loads
        assert sanctrack.load_fixture(session, second, wait=LIMIT).counts["transfers"][
            "removed"
        ] == (BIG - 10)
    engine.dispose()


@pytest.fixture
def migration_lock(pg_url: str) -> Iterator[Connection]:
    """Another session holding sanctrack's migration lock."""
    engine = create_engine(
        make_url(pg_url).set(drivername="postgresql+psycopg"),
        connect_args={"application_name": "test migration holder"},
    )
    connection = engine.connect()
    connection.begin()
    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
    yield connection
    connection.rollback()
    connection.close()
    engine.dispose()


def test_connect_waits_for_the_migration_lock_at_most_the_limit(
    pg_url: str, migration_lock: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, since = holder(pg_url, "test migration holder")
    held = f"held by pid {pid}, test migration holder, since {since} UTC"
    what = (
        f"the migration lock of {shown_url(make_url(pg_url).set(drivername='postgresql+psycopg'))}"
    )
    gave_up = rf"Gave up waiting for {re.escape(what)} after \d+ s \({re.escape(held)}\)\. "
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(LockWaitError) as raised:
            sanctrack.connect(pg_url, wait=LIMIT)
    assert re.match(gave_up, str(raised.value))
    lines = wait_lines(caught)
    assert lines and all(re.fullmatch(waiting(what, held), m) for m in lines)

    # The limit from the environment, on the command line.
    monkeypatch.setenv(WAIT_VARIABLE, str(LIMIT))
    result = runner.invoke(app, ["datasets", "--url", pg_url])
    assert result.exit_code == ExitCode.BUSY
    printed = result.stderr.splitlines()
    assert re.match(gave_up, printed[-1])
    assert printed[:-1] and all(re.fullmatch(waiting(what, held), m) for m in printed[:-1])


def test_a_row_lock_is_bounded_by_the_limit(pg_url: str) -> None:
    engine = sanctrack.connect(pg_url)
    before = dump(engine)
    with engine.connect() as other:
        other.begin()
        # Inserting a transfer checks its states' keys, which waits for this lock.
        other.execute(text("SELECT code FROM state FOR UPDATE"))
        with Session(engine) as session, pytest.raises(DatabaseBusyError) as raised:
            sanctrack.load_fixture(session, NATO, wait=2)
        other.rollback()
    assert re.fullmatch(
        rf"The database {re.escape(shown_url(engine.url))} stayed busy for \d+ s \(\d+ "
        r"attempts\): other processes kept it locked \(lock_timeout: a row or table lock\)\. "
        r"Nothing was written\. Try again when they have finished, or stop the process that "
        r"holds the database open in a transaction; " + re.escape(HINT),
        str(raised.value),
    )
    assert dump(engine) == before
    engine.dispose()


# -- SQLite: another connection holds the write lock ---------------------------------------


class WriteLock:
    """Another connection holding a SQLite file's write lock until ``release``."""

    def __init__(self, url: str) -> None:
        self.raw = sqlite3.connect(make_url(url).database or "", isolation_level=None)
        self.raw.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.raw.execute("ROLLBACK")
        self.raw.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'waits.db'}"
    sanctrack.connect(url).dispose()
    return url


def busy(url: str) -> str:
    return (
        rf"The database {re.escape(url)} stayed busy for \d+ s \(\d+ attempts\): other "
        r"processes kept it locked \(SQLite write lock\)\. Nothing was written\. Try again "
        r"when they have finished, or stop the process that holds the database open in a "
        r"transaction; " + re.escape(HINT)
    )


def test_a_sqlite_writer_bounds_a_load(sqlite_url: str) -> None:
    engine = sanctrack.connect(sqlite_url)
    before = dump(engine)
    what = f"the write lock of {sqlite_url}"
    lock = WriteLock(sqlite_url)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with Session(engine) as session, pytest.raises(DatabaseBusyError) as raised:
                sanctrack.load_fixture(session, NATO, wait=LIMIT)
        assert re.fullmatch(busy(sqlite_url), str(raised.value))
        lines = wait_lines(caught)
        assert lines and all(re.fullmatch(waiting(what, SQLITE_HOLDER), m) for m in lines)

        result = runner.invoke(app, ["load", "--wait", str(LIMIT), "--url", sqlite_url, str(NATO)])
        assert result.exit_code == ExitCode.BUSY
        printed = result.stderr.splitlines()
        assert re.fullmatch(busy(sqlite_url), printed[-1])
        assert printed[:-1] and all(
            re.fullmatch(waiting(what, SQLITE_HOLDER), m) for m in printed[:-1]
        )
    finally:
        lock.release()
    assert dump(engine) == before
    engine.dispose()


def stale_seeds(url: str) -> None:
    """Make connect() reseed the database, so that it must take the write lock (a current
    database is opened with one read, behind any writer)."""
    with sqlite3.connect(make_url(url).database or "") as raw:
        raw.execute("UPDATE seed_state SET checksum = 'stale'")


def test_connect_behind_a_sqlite_writer_gives_up_at_the_limit(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale_seeds(sqlite_url)
    lock = WriteLock(sqlite_url)
    try:
        with (
            pytest.warns(DatabaseWaitWarning) as caught,
            pytest.raises(DatabaseBusyError) as raised,
        ):
            sanctrack.connect(sqlite_url, wait=LIMIT)
        assert re.fullmatch(busy(sqlite_url), str(raised.value))
        what = f"the write lock of {sqlite_url}"
        assert all(re.fullmatch(waiting(what, SQLITE_HOLDER), m) for m in wait_lines(caught.list))
        monkeypatch.setenv(WAIT_VARIABLE, str(LIMIT))
        result = runner.invoke(app, ["init", "--url", sqlite_url])
        assert result.exit_code == ExitCode.BUSY
        assert re.fullmatch(busy(sqlite_url), result.stderr.splitlines()[-1])
    finally:
        lock.release()


@pytest.mark.parametrize("given", ["soon", "-1", "nan"])
def test_a_bad_wait_limit(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, given: str) -> None:
    monkeypatch.setenv(WAIT_VARIABLE, given)
    expected = (
        "The wait limit in $SANCTRACK_WAIT_SECONDS must be a number of seconds of 0 or more, "
        f"such as 60; got {float(given) if given != 'soon' else given!r}."
    )
    with pytest.raises(WaitLimitError) as raised:
        sanctrack.connect(sqlite_url)
    assert str(raised.value) == expected
    result = runner.invoke(app, ["datasets", "--url", sqlite_url])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [expected]
    monkeypatch.delenv(WAIT_VARIABLE)
    with pytest.raises(WaitLimitError) as raised:
        sanctrack.connect(sqlite_url, wait=-5)
    assert str(raised.value) == (
        "The wait limit (wait=) must be a number of seconds of 0 or more, such as 60; got -5."
    )


# -- read, then load, in one Session ---------------------------------------------------------


# It may wait long enough to say so; that is tested above.
@pytest.mark.filterwarnings("ignore::sanctrack.errors.DatabaseWaitWarning")
def test_read_then_load_in_one_session_while_another_process_writes(
    db_url: str, big_file: Path, tmp_path: Path
) -> None:
    engine = sanctrack.connect(db_url)
    small = workers.generate(tmp_path / "wait-b.jsonl", "wait-b", 50, seed=2)
    with Session(engine) as session:
        assert session.exec(select(Dataset)).all() == []  # type: ignore[call-overload]
        # Another process writes and commits after this session's read: on SQLite the
        # session's read snapshot can no longer become a write transaction.
        Loader(db_url, small).finish()
        report = sanctrack.load_fixture(session, NATO)
        assert report.counts["transfers"]["created"] > 0
        nato = report.dataset

        # And while another process is still writing: the load waits for it.
        loader = Loader(db_url, big_file)
        try:
            loader.wait_for("progress")
            names = session.exec(select_model(Dataset.id)).all()
            assert sorted(names) == sorted(["wait-b", nato])
            again = sanctrack.load_fixture(session, NATO)
            assert again.counts["transfers"]["created"] == 0
            assert loader.finish()["counts"]["transfers"]["created"] == BIG
        finally:
            loader.stop()
    assert transfers(engine) == {
        "wait-b": 50,
        nato: report.counts["transfers"]["created"],
        "wait-a": BIG,
    }
    engine.dispose()


def test_a_read_transaction_is_ended_but_not_a_begun_one(sqlite_url: str) -> None:
    engine = sanctrack.connect(sqlite_url)
    with Session(engine) as session:
        session.exec(select_model(Dataset)).all()
        sanctrack.load_fixture(session, NATO)
        assert not session.in_transaction()
    with Session(engine) as session, session.begin():
        session.exec(select_model(Dataset)).all()
        # Inside the caller's own transaction the load runs there (and commits it).
        assert sanctrack.load_fixture(session, NATO).changed is False
    engine.dispose()


# -- PostgreSQL: a dropped connection --------------------------------------------------------


def terminating(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, times: int
) -> tuple[list[int], Engine]:
    """Make the first ``times`` loads end their own session midway (pg_terminate_backend
    from another connection, as an administrator would)."""
    admin = create_engine(
        make_url(pg_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    finish = Writer.finish
    killed: list[int] = []

    def finish_after_termination(self: Writer) -> None:
        if len(killed) < times:
            pid = self.c.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with admin.connect() as c:
                c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            killed.append(pid)
        finish(self)

    monkeypatch.setattr(Writer, "finish", finish_after_termination)
    return killed, admin


def test_a_dropped_connection_is_retried(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = sanctrack.connect(pg_url)
    killed, admin = terminating(pg_url, monkeypatch, times=1)
    with Session(engine) as session:
        report = sanctrack.load_fixture(session, NATO)
    admin.dispose()
    assert len(killed) == 1
    created = report.counts["transfers"]["created"]
    assert created > 0
    assert transfers(engine) == {report.dataset: created}
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(LoadRecord)).scalar_one() == 1
    engine.dispose()


def test_a_connection_dropped_again_and_again_gives_a_clear_error(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = sanctrack.connect(pg_url)
    before = dump(engine)
    killed, admin = terminating(pg_url, monkeypatch, times=10**6)
    with Session(engine) as session, pytest.raises(ConnectionLostError) as raised:
        sanctrack.load_fixture(session, NATO, wait=1)
    admin.dispose()
    assert len(killed) >= 2
    assert re.fullmatch(
        rf"The connection to the database {re.escape(shown_url(engine.url))} was lost "
        rf"{len(killed)} times in \d+ s \(the server ended the session, or the network "
        r"dropped it\)\. Nothing was written\. Check that the server is up and that nobody "
        r"terminates sanctrack's sessions, then try again\.",
        str(raised.value),
    )
    assert isinstance(raised.value, sanctrack.SanctrackError)
    monkeypatch.undo()
    assert dump(engine) == before
    engine.dispose()


# -- PostgreSQL: a server that never answers -------------------------------------------------


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections (the kernel does) but never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def alarm() -> Iterator[None]:
    """Hang guard for a wait in this process: fail after HANG seconds."""

    def hung(_signal: int, _frame: Any) -> None:
        raise AssertionError(f"still waiting after {HANG} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_connect_waits_for_a_silent_server_at_most_the_limit(
    silent_server: int, alarm: None
) -> None:
    url = f"postgresql://postgres@127.0.0.1:{silent_server}/x"
    expected = (
        f"Cannot connect to the database postgresql+psycopg://postgres@127.0.0.1:{silent_server}"
        "/x (connection timeout expired). Check that the server is running and that the URL "
        "is right."
    )
    with pytest.raises(DatabaseUnavailableError) as raised:
        sanctrack.connect(url, wait=2)
    assert str(raised.value) == expected
    result = runner.invoke(app, ["datasets", "--wait", "2", "--url", url])
    assert result.exit_code == ExitCode.UNREACHABLE
    assert result.stderr.splitlines() == [expected]
