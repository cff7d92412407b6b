"""Database fixtures: every database test runs on SQLite, and on PostgreSQL too when
SANCTRACK_TEST_POSTGRES_URL points at a server (a throwaway database per test, all of them
created and dropped by this run)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

import sanctrack

POSTGRES_VARIABLE = "SANCTRACK_TEST_POSTGRES_URL"

# The machines that run the tests are shared and noisy: no per-example deadlines. Under CI
# (the CI variable set, as .ci/run's callers do) the examples are derandomised, so a run
# in a clean clone draws what the landing run will; elsewhere each run explores anew.
settings.register_profile(
    "sanctrack",
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=bool(os.environ.get("CI")),
)
settings.load_profile("sanctrack")
RUN_ID = uuid.uuid4().hex[:8]


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_VARIABLE) else ["sqlite"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", backends())


class PostgresDatabases:
    """Creates databases named sanctrack_test_<run>_<n> on the server, and drops them."""

    def __init__(self, server_url: str) -> None:
        self.server = make_url(server_url).set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.count = 0

    def create(self) -> str:
        self.count += 1
        name = f"sanctrack_test_{RUN_ID}_{self.count}"
        with self.admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        return self.server.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        with self.admin.connect() as c:
            leftovers = (
                c.execute(
                    text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                    {"p": f"sanctrack_test_{RUN_ID}_%"},
                )
                .scalars()
                .all()
            )
            for name in leftovers:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases | None]:
    url = os.environ.get(POSTGRES_VARIABLE)
    if not url:
        yield None
        return
    databases = PostgresDatabases(url)
    yield databases
    databases.close()


@pytest.fixture
def db_url(backend: str, tmp_path: Path, postgres: PostgresDatabases | None) -> Iterator[str]:
    """The URL of a new, empty database on ``backend``."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    assert postgres is not None
    url = postgres.create()
    yield url
    postgres.drop(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a new database, migrated and seeded by sanctrack.connect()."""
    engine = sanctrack.connect(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
