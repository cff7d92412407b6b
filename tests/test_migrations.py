"""The migrations produce exactly the models' schema, and go down and up again."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from fixture_cases import BUNDLED, base, records, write
from sqlalchemy import Connection, Engine, create_engine, insert, inspect, select, text
from sqlmodel import Session

import sanctrack
from sanctrack import load_fixture
from sanctrack.db.engine import make_engine
from sanctrack.db.migrate import (
    HEAD,
    alembic_config,
    check_foreign_keys,
    head_revision,
    locked_transaction,
    release,
)
from sanctrack.models import metadata
from sanctrack.seeding.reference import reference_data

T_VIOLATION = metadata.tables["violation"]


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


# -- 0002 -> 0003 with data: claim windows ------------------------------------------------

TRANSFERS = [  # id, key, period, start, start precision, end, end precision
    (1, "t-year", "2024", "2024-01-01", "year", "2024-12-31", "year"),
    (2, "t-months", "2023-09/2025-05", "2023-09-01", "month", "2025-05-31", "month"),
    (3, "t-open-end", "2024-02-10/..", "2024-02-10", "day", None, None),
    (4, "t-open-start", "../2024-06", None, None, "2024-06-30", "month"),
]
#: id, transfer id, source id: inserted out of id order and interleaved across transfers
CLAIMS = [(5, 1, "s-a"), (2, 1, "s-b"), (9, 1, "s-c"), (3, 2, "s-a"), (1, 3, "s-b"), (7, 4, "s-c")]


def _at(engine: Engine, revision: str, direction: str = "upgrade") -> None:
    """Migrate as sanctrack.connect() does (on SQLite, foreign keys off)."""
    connection = locked_transaction(engine)
    try:
        getattr(command, direction)(alembic_config(connection), revision)
        check_foreign_keys(connection)
        connection.commit()
    finally:
        release(connection)


def _seed_as_of(connection: Connection) -> None:
    """The reference data an older revision can hold: its tables, and their columns."""
    present = inspect(connection)
    for name, rows in reference_data().tables.items():
        if present.has_table(name):
            columns = {c["name"] for c in present.get_columns(name)}
            kept = [{k: v for k, v in row.items() if k in columns} for row in rows]
            connection.execute(insert(metadata.tables[name]), kept)


def _fill_0002(engine: Engine) -> None:
    connection = locked_transaction(engine)
    try:
        command.upgrade(alembic_config(connection), "0002")
        _seed_as_of(connection)
        run = connection.execute
        run(text("INSERT INTO dataset (id, title, version) VALUES ('d', 'D', '1')"))
        for source in ("s-a", "s-b", "s-c"):
            run(
                text(
                    "INSERT INTO source (id, kind, reliability, dataset_id) "
                    "VALUES (:id, 'report', 'B', 'd')"
                ),
                {"id": source},
            )
        for i, key, period, start, sp, end, ep in TRANSFERS:
            run(
                text(
                    "INSERT INTO transfer (id, key, period, period_start, start_precision, "
                    "period_end, end_precision, status, dataset_id, supplier_code, "
                    "recipient_code, materiel_slug) VALUES (:i, :key, :period, :start, :sp, "
                    ":end, :ep, 'reported', 'd', 'PRK', 'RUS', 'ammunition')"
                ),
                {
                    "i": i,
                    "key": key,
                    "period": period,
                    "start": start and date.fromisoformat(start),
                    "sp": sp,
                    "end": end and date.fromisoformat(end),
                    "ep": ep,
                },
            )
        for i, transfer_id, source in CLAIMS:
            run(
                text(
                    "INSERT INTO claim (id, transfer_id, source_id, qualifier, low, best, "
                    "high, credibility, unit_slug, quote) VALUES (:i, :t, :s, 'exact', :i, "
                    ":i, :i, 3, 'rounds', :q)"
                ),
                {"i": i, "t": transfer_id, "s": source, "q": f"claim {i}"},
            )
        run(
            text(
                "INSERT INTO violation (transfer_id, provision_id, source_id) "
                "VALUES (1, 'unsc-1718-op8b', 's-a')"
            )
        )
        connection.commit()
    finally:
        release(connection)


def _rows(engine: Engine, table: str) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(text(f"SELECT * FROM {table} ORDER BY id"))]


def test_0003_keeps_loaded_claims_as_flows_and_goes_back(db_url: str) -> None:
    engine = make_engine(db_url)
    _fill_0002(engine)
    before = {t: _rows(engine, t) for t in ("transfer", "claim", "violation", "source")}
    _at(engine, "0003")
    claim = metadata.tables["claim"]  # the head schema: 0003's columns, with their types
    with engine.connect() as c:
        got = [
            tuple(r)
            for r in c.execute(
                select(
                    claim.c.id,
                    claim.c.position,
                    *(claim.c[n] for n in ("measure", "period", "since", "as_of")),
                    claim.c.window_start,
                    claim.c.window_end,
                ).order_by(claim.c.id)
            )
        ]
    d = date
    assert got == [
        (1, 0, "flow", None, None, None, d(2024, 2, 10), None),
        (2, 0, "flow", None, None, None, d(2024, 1, 1), d(2024, 12, 31)),
        (3, 0, "flow", None, None, None, d(2023, 9, 1), d(2025, 5, 31)),
        (5, 1, "flow", None, None, None, d(2024, 1, 1), d(2024, 12, 31)),
        (7, 0, "flow", None, None, None, None, d(2024, 6, 30)),
        (9, 2, "flow", None, None, None, d(2024, 1, 1), d(2024, 12, 31)),
    ]
    kept = {t: _rows(engine, t) for t in ("transfer", "violation", "source")}
    assert kept == {t: before[t] for t in kept}
    assert [r[: len(before["claim"][0])] for r in _rows(engine, "claim")] == before["claim"]
    _at(engine, "0002", "downgrade")
    assert {t: _rows(engine, t) for t in before} == before
    engine.dispose()


def test_0003_refuses_to_rebuild_sqlite_tables_with_foreign_keys_on(tmp_path: Any) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fk.db'}")  # foreign keys on
    _fill_0002(engine)
    before = _rows(engine, "claim")
    with pytest.raises(RuntimeError) as caught, engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0003")
    assert str(caught.value) == (
        "Revision 0003 rebuilds the transfer table, which on SQLite with foreign keys on "
        "would delete every claim and violation: migrate with sanctrack.connect() (or "
        "`sanctrack init`), which switches foreign keys off while it migrates."
    )
    assert _rows(engine, "claim") == before
    engine.dispose()


def test_0003_refuses_to_go_down_with_what_0002_cannot_hold(db_url: str) -> None:
    engine = make_engine(db_url)
    _fill_0002(engine)
    _at(engine, "0003")
    with engine.begin() as c:
        c.execute(text("UPDATE claim SET position = 3, period = '2024-03' WHERE id = 9"))
        c.execute(text("UPDATE claim SET source_id = 's-a' WHERE id = 2"))
        c.execute(text("UPDATE transfer SET status = 'pledged' WHERE id = 4"))
    before = {t: _rows(engine, t) for t in ("transfer", "claim")}
    with pytest.raises(RuntimeError) as caught:
        _at(engine, "0002", "downgrade")
    assert str(caught.value) == (
        "Cannot downgrade below revision 0003: revision 0002 cannot hold transfers with "
        "several claims from one source (1), claims with a period of their own (1), pledged "
        "or planned transfers (1). Remove them first (reload the datasets without them)."
    )
    assert {t: _rows(engine, t) for t in before} == before
    engine.dispose()


def test_bundled_datasets_survive_0003_down_and_up_and_reload_unchanged(db_url: str) -> None:
    """The windows 0003 fills in for claims loaded before it, and the chains 0005
    resolves, are those the loader gives the same files: reloading them afterwards
    changes nothing."""
    engine = sanctrack.connect(db_url)
    for path in BUNDLED:
        with Session(engine) as session:
            load_fixture(session, path)
    with engine.begin() as connection:  # below 0006 there is no regime-level assertion
        regime_level = T_VIOLATION.delete().where(T_VIOLATION.c.regime_id.is_not(None))
        assert connection.execute(regime_level).rowcount == 1  # NATO's "violazione"
    before = records(engine)
    assert before.pop("transfer_link")  # the bundled judgements: lost below 0007
    _at(engine, "0002", "downgrade")
    _at(engine, "0003")
    _at(engine, "head")
    engine.dispose()
    engine = sanctrack.connect(db_url)  # writes the reference data the migrations changed
    after = records(engine)
    assert after.pop("transfer_link") == []
    assert after == before
    for path in BUNDLED:
        with Session(engine) as session:
            report = load_fixture(session, path)
        # Only the judgements and the regime-level assertion are new: revision 0003 had
        # no table for the one, no column for the other (the transfer is updated).
        assert report.created == report.counts["links"]["created"]
        assert report.updated == report.counts["transfers"]["updated"] <= 1
        assert not report.removed
    engine.dispose()


# -- 0004 -> 0006 with data: regimes, in-force dates, regime-level violations -------------

VIOLATION_KEPT = "SELECT id, transfer_id, provision_id, source_id, rule FROM violation ORDER BY id"


def _query(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(text(sql))]


def test_0006_keeps_violations_names_regimes_and_goes_back(db_url: str, tmp_path: Any) -> None:
    engine = sanctrack.connect(db_url)
    with Session(engine) as session:
        load_fixture(session, write(tmp_path / "base.yaml", base()))
    before = _query(engine, VIOLATION_KEPT)
    assert before and all(r[2] == "unsc-1718-op8b" for r in before)
    _at(engine, "0004", "downgrade")
    assert _query(engine, VIOLATION_KEPT) == before
    assert _query(engine, "SELECT DISTINCT regime FROM provision") == [("UNSC DPRK",)]
    _at(engine, "head")
    assert _query(engine, VIOLATION_KEPT) == before
    assert _query(engine, "SELECT DISTINCT regime FROM provision") == [("unsc-dprk",)]
    assert _query(engine, "SELECT id, name FROM regime") == [("unsc-dprk", "UNSC DPRK")]
    assert _query(engine, "SELECT COUNT(*) FROM violation WHERE regime_id IS NOT NULL") == [(0,)]
    engine.dispose()


def test_0006_refuses_to_go_down_with_regime_level_violations(db_url: str, tmp_path: Any) -> None:
    engine = sanctrack.connect(db_url)
    data = base()
    data["transfers"][0]["claims"][0]["violates"] = ["unsc-dprk"]
    with Session(engine) as session:
        load_fixture(session, write(tmp_path / "regime.yaml", data))
    before = _rows(engine, "violation")
    with pytest.raises(RuntimeError) as caught:
        _at(engine, "0004", "downgrade")
    assert str(caught.value) == (
        "Cannot downgrade below revision 0006: revision 0004 cannot hold violations of a "
        "regime that name no provision (1). Remove them first (reload the datasets without "
        "them)."
    )
    assert _rows(engine, "violation") == before
    engine.dispose()


def test_0006_refuses_to_rebuild_sqlite_tables_with_foreign_keys_on(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'fk.db'}"
    sanctrack.connect(url).dispose()  # seeded: provisions with their categories
    engine = make_engine(url)  # foreign keys on
    _down_with_foreign_keys_off(engine, "0010")  # 0011 rebuilds tables too: see below
    with pytest.raises(RuntimeError) as caught, engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0004")
    assert str(caught.value).startswith(
        "Revision 0006 rebuilds the provision table, which on SQLite with foreign keys on "
        "would delete the provisions' categories"
    )
    engine.dispose()


def _down_with_foreign_keys_off(engine: Engine, revision: str) -> None:
    connection = locked_transaction(engine)  # as sanctrack.connect() migrates
    try:
        command.downgrade(alembic_config(connection), revision)
        check_foreign_keys(connection)
        connection.commit()
    finally:
        release(connection)


@pytest.mark.parametrize("direction", ["downgrade", "upgrade"])
def test_0011_refuses_to_rebuild_sqlite_tables_with_foreign_keys_on(
    tmp_path: Any, direction: str
) -> None:
    url = f"sqlite:///{tmp_path / 'fk.db'}"
    sanctrack.connect(url).dispose()  # seeded: provisions with their categories
    engine = make_engine(url)  # foreign keys on
    if direction == "upgrade":
        _down_with_foreign_keys_off(engine, "0010")
    before = _query(engine, "SELECT * FROM provision_category ORDER BY 1, 2")
    with pytest.raises(RuntimeError) as caught, engine.begin() as connection:
        getattr(command, direction)(
            alembic_config(connection), "0010" if direction == "downgrade" else "0011"
        )
    assert str(caught.value) == (
        "Revision 0011 rebuilds the transfer, claim, source, provision and movement tables, "
        "which on SQLite with foreign keys on would delete the rows that refer to them: "
        "migrate with sanctrack.connect() (or `sanctrack init`), which switches foreign keys "
        "off while it migrates."
    )
    assert before and _query(engine, "SELECT * FROM provision_category ORDER BY 1, 2") == before
    engine.dispose()


def _checks(engine: Engine) -> dict[str, set[tuple[str | None, str]]]:
    found = inspect(engine)
    return {
        table: {(c["name"], c["sqltext"]) for c in found.get_check_constraints(table)}
        for table in metadata.tables
    }


@pytest.mark.parametrize("revision", ["head", "0010"])
def test_migrated_checks_are_the_models(db_url: str, revision: str) -> None:
    """Alembic's check does not compare CHECK constraints: the migrated tables' checks are
    those metadata.create_all makes (0011 rewrote the value lists as OR chains); and 0010's
    are 0011's with IN lists (down and up again gives head's)."""
    engine = make_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
        if revision != "head":
            command.downgrade(alembic_config(connection), revision)
            command.upgrade(alembic_config(connection), "head")
    migrated = _checks(engine)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
        metadata.create_all(connection)
    assert _checks(engine) == migrated
    assert any(" OR " in text for checks in migrated.values() for _, text in checks)
    engine.dispose()


def test_head_constant_is_alembics_head() -> None:
    # connect() compares a database's revision with HEAD without importing Alembic.
    assert head_revision() == HEAD
