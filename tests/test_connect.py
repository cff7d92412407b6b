"""sanctrack.connect(): default URL, SQLite settings, upgrades, newer schemas, seeding."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.engine import make_url
from sqlmodel import Session

import sanctrack
from sanctrack.db.engine import URL_VARIABLE
from sanctrack.db.migrate import alembic_config, head_revision
from sanctrack.models import Provision, SeedState, State, StateName, metadata


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in metadata.tables.items()
        }


def test_default_url_is_sanctrack_db_in_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    engine = sanctrack.connect()
    assert engine.url.database == str(tmp_path / "sanctrack.db")
    assert (tmp_path / "sanctrack.db").exists()
    engine.dispose()


def test_default_url_comes_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_VARIABLE, f"sqlite:///{tmp_path / 'elsewhere.db'}")
    monkeypatch.chdir(tmp_path)
    engine = sanctrack.connect()
    assert engine.url.database == str(tmp_path / "elsewhere.db")
    assert not (tmp_path / "sanctrack.db").exists()
    engine.dispose()


def test_sqlite_engine_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANCTRACK_WAIT_SECONDS", raising=False)
    engine = sanctrack.connect(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        # The wait limit (600 s by default) bounds every statement's wait for a lock.
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 600_000
    engine.dispose()
    engine = sanctrack.connect(f"sqlite:///{tmp_path / 'x.db'}", wait=2.5)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2_500
    engine.dispose()


def test_connect_migrates_to_head_and_seeds(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            head_revision()
        )
    seeded = counts(engine)
    assert seeded["state"] >= 249
    assert seeded["state_name"] > seeded["state"] * 11
    assert seeded["category"] >= 23
    assert seeded["unit"] >= 11
    assert seeded["provision"] >= 5
    assert seeded["transfer"] == 0


def test_connect_twice_changes_nothing(engine: Engine, db_url: str) -> None:
    before = counts(engine)
    again = sanctrack.connect(db_url)
    assert counts(again) == before
    again.dispose()


def test_seeding_repairs_reference_data_when_seeds_change(engine: Engine, db_url: str) -> None:
    with Session(engine) as session:
        session.execute(update(State).where(State.code == "PRK").values(name="tampered"))
        session.execute(text("DELETE FROM state_name WHERE state_code = 'RUS'"))
        # A changed checksum is what a new version of the seed files looks like.
        session.execute(update(SeedState).values(checksum="0" * 64))
        session.commit()
    again = sanctrack.connect(db_url)
    with Session(again) as session:
        assert session.get(State, "PRK") is not None
        assert session.get(State, "PRK").name == "Korea, Democratic People's Republic of"  # type: ignore[union-attr]
        names = session.scalars(select(StateName.name).where(StateName.state_code == "RUS"))
        assert "Russia" in set(names)
    again.dispose()


def test_older_database_is_upgraded(db_url: str) -> None:
    engine = sanctrack.connect(db_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "-1")
    engine.dispose()
    engine = sanctrack.connect(db_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            head_revision()
        )
    engine.dispose()


def test_newer_database_gets_a_clear_error(engine: Engine, db_url: str) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_future'"))
    with pytest.raises(sanctrack.SchemaTooNewError) as raised:
        sanctrack.connect(db_url)
    message = str(raised.value)
    assert message.startswith("The database ")
    assert message.endswith(
        f"is at schema revision 'ffff_from_future', which this sanctrack does not know "
        f"(its newest is {head_revision()!r}). It was written by a newer sanctrack: upgrade "
        "with `pip install -U sanctrack`, or connect to another database."
    )
    assert str(make_url(db_url).database) in message  # it says which database


def test_caps_of_resolution_2397_are_seeded(session: Session) -> None:
    caps = {
        (p.cap_amount, p.cap_unit_slug, p.cap_period)
        for p in session.scalars(select(Provision).where(Provision.kind == "cap"))
        if p.resolution.startswith("2397")
    }
    assert caps == {(500_000, "barrels", "year"), (4_000_000, "barrels", "year")}


def test_connect_to_a_current_database_needs_no_alembic(tmp_path: Path) -> None:
    # A notebook's `import sanctrack; connect()` on an existing database and a first
    # aggregate naming states by code: one read, no migration machinery imported (it
    # costs most of the import time), no seed or alias file parsed, no lock taken.
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'current.db'}"
    sanctrack.connect(url).dispose()
    script = (
        "import sys, sanctrack; from sqlmodel import Session; e = sanctrack.connect(sys.argv[1])\n"
        "with Session(e) as s: sanctrack.transfers_by_year_and_category(s, supplier='PRK')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'mako', 'yaml'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, url], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
    fresh = subprocess.run(
        [sys.executable, "-c", script, f"sqlite:///{tmp_path / 'new.db'}"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "alembic" in fresh.stdout  # a new database is migrated, by Alembic


def test_postgresql_sessions_compile_no_jit(db_url: str) -> None:
    # JIT compilation took most of an aggregate's time on PostgreSQL: sanctrack turns it
    # off for its own connections (a URL with its own `options` keeps them).
    engine = sanctrack.connect(db_url)
    with engine.connect() as connection:
        if engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only")
        assert connection.exec_driver_sql("SHOW jit").scalar_one() == "off"
    engine.dispose()
    if "?" not in db_url:
        chosen = sanctrack.connect(f"{db_url}?options=-c%20jit%3Don")
        with chosen.connect() as connection:
            assert connection.exec_driver_sql("SHOW jit").scalar_one() == "on"
        chosen.dispose()


def test_import_sanctrack_loads_the_helpers_on_first_use() -> None:
    import subprocess
    import sys

    script = (
        "import sys, sanctrack; "
        "print(sorted(m for m in ('sanctrack.fixture', 'sanctrack.queries') if m in sys.modules)); "
        "from sanctrack import load_fixture, transfers_by_year_and_category; "
        "print(load_fixture.__module__, transfers_by_year_and_category.__module__, "
        "'load_fixture' in dir(sanctrack))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:2] == [
        "[]",
        "sanctrack.fixture.load sanctrack.queries.by_year True",
    ]
    with pytest.raises(AttributeError, match="no attribute 'nosuch'"):
        sanctrack.nosuch  # noqa: B018
