"""A loader killed with SIGKILL in the middle of a large load leaves the database as it was
before the load, and the next load completes: on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import workers
from fixture_cases import MSMT, dump
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from sanctrack import load_fixture
from sanctrack.models import Claim, Dataset, LoadRecord, Source, Transfer

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

WORKERS = Path(workers.__file__)
DATASET = "crash-test"
#: Transfers in the large file: the loader writes them in batches of 20,000 and is killed
#: once the first batch is in the database.
N = 30_000
APPLICATION = "sanctrack-crash-test"


@pytest.fixture(scope="module")
def large_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workers.generate(tmp_path_factory.mktemp("crash") / "large.jsonl", DATASET, N)


def counts_by_dataset(engine: Engine) -> dict[str, int]:
    with engine.connect() as c:
        return dict(
            c.execute(select(Transfer.dataset_id, func.count()).group_by(Transfer.dataset_id)).all()
        )


def _sqlite_write_locked(url: str) -> bool:
    """True while another connection holds the SQLite file's write lock."""
    raw = sqlite3.connect(make_url(url).database or "", timeout=0, isolation_level=None)
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    finally:
        raw.close()  # rolls back a BEGIN that succeeded
    return False


def _pg_writer(engine: Engine) -> tuple[int, bool] | None:
    """(pid, has written) of the killed loader's server process, or None once it is gone."""
    with engine.connect() as c:
        row = c.execute(
            text(
                "SELECT pid, backend_xid IS NOT NULL FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = :app"
            ),
            {"app": APPLICATION},
        ).first()
    return None if row is None else (row[0], row[1])


def _worker_url(db_url: str, backend: str) -> str:
    if backend != "postgresql":
        return db_url
    url = make_url(db_url).update_query_dict({"application_name": APPLICATION})
    return url.render_as_string(hide_password=False)


def kill_mid_load(backend: str, db_url: str, engine: Engine, path: Path, batches: int) -> None:
    """Run a loader of ``path`` in a process and SIGKILL it once it has written
    ``batches`` batches of transfers, with its transaction open."""
    loader = subprocess.Popen(
        [
            sys.executable,
            str(WORKERS),
            "load",
            _worker_url(db_url, backend),
            str(path),
            "--hold-after",
            str(batches),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert loader.stdout is not None and loader.stderr is not None
        deadline = time.monotonic() + 60
        seen = 0
        while seen < batches:
            line = loader.stdout.readline()
            assert line, f"the loader ended: {loader.wait()} {loader.stderr.read()}"
            assert time.monotonic() < deadline
            seen += line.startswith("progress")
        # Truly mid-way: the loader's transaction is open and has written (it commits only
        # after the last record; bytes read are no measure: the file is read ahead).
        if backend == "sqlite":
            assert _sqlite_write_locked(db_url)
        else:
            writer = _pg_writer(engine)
            assert writer is not None and writer[1], writer
        assert loader.poll() is None
        os.kill(loader.pid, signal.SIGKILL)
        assert loader.wait(timeout=30) == -signal.SIGKILL
    finally:
        if loader.poll() is None:
            loader.kill()
            loader.wait()
        for stream in (loader.stdout, loader.stderr):
            if stream is not None:
                stream.close()
    if backend == "postgresql":  # the server noticed, rolled back and ended the session
        deadline = time.monotonic() + 30
        while _pg_writer(engine) is not None:
            assert time.monotonic() < deadline, "the killed loader's session lives on"
            time.sleep(0.05)
    else:
        assert not _sqlite_write_locked(db_url)
        with engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert c.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_sigkill_mid_load_leaves_database_unchanged(
    backend: str, db_url: str, engine: Engine, large_file: Path, tmp_path: Path
) -> None:
    with Session(engine) as session:
        load_fixture(session, MSMT)  # so that the database isn't empty
    before = dump(engine)
    msmt = counts_by_dataset(engine)

    # 1. Killed while creating a dataset: nothing of it is visible.
    kill_mid_load(backend, db_url, engine, large_file, batches=1)
    assert dump(engine) == before
    with engine.connect() as c:
        assert c.execute(select(Dataset).where(Dataset.id == DATASET)).first() is None
        assert not c.execute(select(Source).where(Source.dataset_id == DATASET)).first()
        assert not c.execute(select(LoadRecord).where(LoadRecord.dataset_id == DATASET)).first()

    # The next load completes, with every record.
    with Session(engine) as session:
        report = load_fixture(session, large_file)
    assert report.dataset == DATASET
    assert report.counts["transfers"]["created"] == N
    assert report.counts["sources"]["created"] == len(workers.SOURCE_KINDS)
    assert counts_by_dataset(engine) == {**msmt, DATASET: N}
    with engine.connect() as c:
        claims = c.execute(
            select(func.count())
            .select_from(Claim)
            .join(Transfer, Transfer.id == Claim.transfer_id)
            .where(Transfer.dataset_id == DATASET)
        ).scalar_one()
        assert claims == N
        loads = c.execute(
            select(func.count()).select_from(LoadRecord).where(LoadRecord.dataset_id == DATASET)
        ).scalar_one()
        assert loads == 1
    loaded = dump(engine)
    for table in ("state", "state_name", "category", "unit", "provision"):
        assert loaded[table] == before[table]

    # 2. Killed while replacing the dataset with a new version (which keeps some of its
    # transfers, adds others and drops the rest): the old version stays, whole.
    newer = workers.generate(tmp_path / "newer.jsonl", DATASET, N, first=N // 2 + 1, version="2")
    kill_mid_load(backend, db_url, engine, newer, batches=2)
    assert dump(engine) == loaded
    with Session(engine) as session:
        report = load_fixture(session, newer)
    assert report.counts["datasets"]["updated"] == 1
    assert report.counts["transfers"] == {
        "created": N // 2,
        "updated": 0,
        "unchanged": N - N // 2,
        "removed": N // 2,
    }
    assert counts_by_dataset(engine) == {**msmt, DATASET: N}
