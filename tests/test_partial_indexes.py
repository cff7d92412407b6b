"""The partial indexes of the stored estimates: migrated as the models declare them, and
used by SQLite to find the few rows they hold (a full scan of millions otherwise)."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, select, text, true
from sqlalchemy.sql import Executable
from sqlmodel import Session

import sanctrack
from sanctrack.fixture import bundled_fixtures
from sanctrack.models import metadata
from sanctrack.queries.filters import make_filters
from sanctrack.queries.stored import ESTIMATED, stored_sources

PARTIAL = {
    index.name: index
    for table in metadata.tables.values()
    for index in table.indexes
    if index.dialect_options["sqlite"]["where"] is not None
}


def _bare(predicate: str) -> str:
    return re.sub(r"[()\s]", "", predicate).lower()


def test_the_models_declare_the_two_partial_indexes() -> None:
    assert set(PARTIAL) == {"ix_estimated_transfer_conflicting", "ix_year_estimate_several_sources"}


def test_migrated_partial_indexes_have_the_models_predicates(engine: Engine) -> None:
    with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        for name, index in PARTIAL.items():
            if postgres:
                found = "SELECT pg_get_indexdef(CAST(:name AS regclass))"
                wanted = index.dialect_options["postgresql"]["where"]
            else:
                found = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"
                wanted = index.dialect_options["sqlite"]["where"]
            definition = connection.execute(text(found), {"name": name}).scalar_one()
            head, _, predicate = definition.partition(" WHERE ")
            assert _bare(predicate) == _bare(str(wanted)), definition
            assert _columns(head) == [c.name for c in index.columns], definition


def _columns(definition: str) -> list[str]:
    inside = definition[definition.index("(") + 1 : definition.rindex(")")]
    return [c.strip().strip('"') for c in inside.split(",")]


def _plan(session: Session, query: Executable) -> str:
    dialect = session.connection().dialect
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    rows = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
    return "\n".join(str(r[-1]) for r in rows)


def test_sqlite_reads_the_few_rows_from_the_partial_indexes(tmp_path: Path) -> None:
    engine = sanctrack.connect(f"sqlite:///{tmp_path / 'bundled.db'}")
    with Session(engine) as session:
        for path in bundled_fixtures():
            sanctrack.load_fixture(session, path)
        conflicting = select(ESTIMATED.c.transfer_id).where(ESTIMATED.c.conflicting == true())
        assert "USING INDEX ix_estimated_transfer_conflicting" in _plan(session, conflicting)
        several = _plan(session, stored_sources(make_filters(), groups=True))
        assert "USING COVERING INDEX ix_year_estimate_several_sources" in several, several
        assert "ix_year_estimate_totals" not in several
        # and the rows they hold are those of the predicates
        held = session.execute(text("SELECT count(*) FROM year_estimate WHERE source_id IS NULL"))
        assert held.scalar_one() > 0  # the bundled data has transfers of several sources
    engine.dispose()
