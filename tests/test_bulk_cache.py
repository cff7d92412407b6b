"""A load on SQLite runs with a larger page cache (sanctrack.fixture.bulk_cache) and gives
the connection's own setting back, also when the load fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection
from sqlmodel import Session

import sanctrack
from sanctrack.errors import FixtureError
from sanctrack.fixture.bulk_cache import CACHE_KIB, larger_cache

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "nato-2024-10-28.yaml"


def cache(connection: Connection) -> int:
    return int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())


def test_the_cache_is_larger_within_and_given_back_after(session: Session, backend: str) -> None:
    connection = session.connection()
    if backend != "sqlite":
        with larger_cache(connection):  # PostgreSQL's buffers are the server's: no change
            pass
        return
    connection.exec_driver_sql("PRAGMA cache_size = -3000")
    with larger_cache(connection):
        assert cache(connection) == -CACHE_KIB
    assert cache(connection) == -3000
    with pytest.raises(ZeroDivisionError), larger_cache(connection):
        assert cache(connection) == -CACHE_KIB
        _ = 1 / 0
    assert cache(connection) == -3000


@pytest.mark.parametrize("own", [-(CACHE_KIB + 1), 100_000])  # in KiB, and in pages
def test_a_larger_setting_is_left_alone(session: Session, backend: str, own: int) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite only")
    connection = session.connection()
    connection.exec_driver_sql(f"PRAGMA cache_size = {own}")
    with larger_cache(connection):
        assert cache(connection) == own
    assert cache(connection) == own


def test_a_load_runs_with_the_larger_cache_and_gives_it_back(
    session: Session, backend: str, tmp_path: Path
) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite only")
    seen: list[int] = []

    def progress(done: int) -> None:  # called during the load, on its connection
        seen.append(cache(session.connection()))

    before = cache(session.connection())
    session.commit()
    sanctrack.load_fixture(session, FIXTURE, progress=progress)
    assert seen and set(seen) == {-CACHE_KIB}
    assert cache(session.connection()) == before
    broken = tmp_path / "broken.yaml"  # its header is valid, a transfer is not
    broken.write_text(FIXTURE.read_text().replace("claims:", "claimz:", 1))
    seen.clear()
    with pytest.raises(FixtureError):
        sanctrack.load_fixture(session, broken, progress=progress)
    assert cache(session.connection()) == before
