"""Write the reference data into a database: insert what is missing, update what changed,
delete what the seeds no longer hold. Running it twice changes nothing."""

from __future__ import annotations

from sqlalchemy import Connection, Table, and_, delete, insert, select, tuple_, update

from sanctrack.models import SeedState, metadata
from sanctrack.seeding.reference import Row, reference_data, seeds_checksum

_SEED_NAME = "reference"


def _key(table: Table, row: Row) -> tuple[object, ...]:
    return tuple(row[c.name] for c in table.primary_key.columns)


def _sync_table(connection: Connection, table: Table, rows: list[Row]) -> list[tuple[object, ...]]:
    """Insert and update ``rows``; return the keys of existing rows the seeds dropped."""
    scope = table.c.dataset_id.is_(None) if "dataset_id" in table.c else None
    query = select(table) if scope is None else select(table).where(scope)
    existing = {_key(table, dict(r._mapping)): dict(r._mapping) for r in connection.execute(query)}
    wanted = {_key(table, row): row for row in rows}
    new = [row for key, row in wanted.items() if key not in existing]
    if new:
        connection.execute(insert(table), new)
    pk = list(table.primary_key.columns)
    for key, row in wanted.items():
        if key in existing and existing[key] != row:
            where = and_(*(col == value for col, value in zip(pk, key, strict=True)))
            connection.execute(update(table).where(where).values(row))
    return [key for key in existing if key not in wanted]


def _stored_checksum(connection: Connection) -> str | None:
    state_table = metadata.tables[SeedState.__tablename__]
    return connection.execute(
        select(state_table.c.checksum).where(state_table.c.name == _SEED_NAME)
    ).scalar_one_or_none()


def seeded(connection: Connection) -> bool:
    """Whether the reference tables hold the current seeds (the schema must be current)."""
    return _stored_checksum(connection) == seeds_checksum()


def seed(connection: Connection) -> bool:
    """Bring the reference tables in line with seeds/. Returns False if already up to date."""
    checksum = seeds_checksum()
    state_table = metadata.tables[SeedState.__tablename__]
    stored = _stored_checksum(connection)
    if stored == checksum:
        return False
    data = reference_data().tables
    dropped = {
        name: _sync_table(connection, metadata.tables[name], rows) for name, rows in data.items()
    }
    for name in reversed(list(data)):
        table = metadata.tables[name]
        keys = dropped[name]
        pk = list(table.primary_key.columns)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            connection.execute(delete(table).where(tuple_(*pk).in_(chunk)))
    if stored is None:
        connection.execute(insert(state_table), {"name": _SEED_NAME, "checksum": checksum})
    else:
        connection.execute(
            update(state_table).where(state_table.c.name == _SEED_NAME).values(checksum=checksum)
        )
    return True
