"""The migrations produce exactly the models' schema, and go down and up again."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from sanctrack.db.engine import make_engine
from sanctrack.db.migrate import alembic_config, head_revision
from sanctrack.models import metadata


def test_upgrade_then_check_finds_no_difference(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with engine.begin() as connection:
        command.check(alembic_config(connection))  # raises if autogenerate sees a diff
    engine.dispose()


def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
        command.check(alembic_config(connection))
    assert set(inspect(engine).get_table_names()) == {*metadata.tables, "alembic_version"}
    engine.dispose()


def test_every_revision_steps_down_and_up(db_url: str) -> None:
    engine = make_engine(db_url)
    revisions = list(ScriptDirectory.from_config(alembic_config()).walk_revisions())
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    for _ in revisions:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "-1")
    with engine.begin() as connection:
        for revision in reversed(revisions):
            command.upgrade(alembic_config(connection), revision.revision)
    assert revisions[0].revision == head_revision()
    engine.dispose()


def test_plain_engine_gets_no_sqlite_settings(tmp_path: object) -> None:
    plain = create_engine("sqlite://")
    with plain.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
    plain.dispose()
