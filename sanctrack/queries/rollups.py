"""Building the year rollups (:mod:`sanctrack.models.rollup`) and choosing which a query
reads: those of the datasets whose rollup is current and that have no transfer in an
identity group (the members of a group are estimated from their claims, pooled, so
their year rows must not count; a dataset without them has none in its rollup)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Select, Table, case, func, insert, literal, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from sanctrack.estimates.sqlfuncs import distinct_sources
from sanctrack.models import metadata
from sanctrack.queries.base import TRANSFER
from sanctrack.queries.identity import grouped
from sanctrack.queries.run import is_overflow, total_sum

ROLLUP: Table = metadata.tables["year_rollup"]
ROLLED: Table = metadata.tables["rolled_up_dataset"]
YEARS: Table = metadata.tables["year_estimate"]
DATASET: Table = metadata.tables["dataset"]
#: What a rollup row is of.
KEYS = ("year", "materiel_slug", "unit_slug", "supplier_code", "recipient_code", "status")


def build_rollups(session: Session, datasets: Iterable[str]) -> None:
    """Build again the rollups of ``datasets`` from their stored year rows, in the
    session's transaction, and mark them current. The caller holds what guards their
    year rows (on PostgreSQL, each dataset's lock).

    A dataset whose sums exceed 2**63 - 1 gets no rollup: queries read its year rows,
    and raise the overflow only for the totals that overflow (``QueryOverflowError``)."""
    wanted = sorted(set(datasets))
    if not wanted:
        return
    connection = session.connection()
    connection.execute(ROLLUP.delete().where(ROLLUP.c.dataset_id.in_(wanted)))
    connection.execute(ROLLED.delete().where(ROLLED.c.dataset_id.in_(wanted)))
    if not _rolled_up(connection, wanted):  # one overflows: each on its own
        for dataset in wanted:
            _rolled_up(connection, [dataset])


def _rolled_up(connection: Connection, datasets: list[str]) -> bool:
    """Insert the rollups of ``datasets`` and mark them current, in a savepoint; False
    (and nothing written) if a sum overflows."""
    try:
        with connection.begin_nested():
            targets = ["dataset_id", *KEYS, "sources", "low", "best", "high", "unbounded"]
            targets += ["transfers", "unquantified", "allocated"]
            connection.execute(insert(ROLLUP).from_select(targets, _summed(datasets)))
            connection.execute(insert(ROLLED), [{"dataset_id": d} for d in datasets])
    except DBAPIError as error:
        if not is_overflow(error.orig):
            raise
        return False
    return True


def _summed(datasets: list[str]) -> Select[Any]:
    """The rollup rows of ``datasets``, from their year rows."""
    y, t = YEARS, TRANSFER
    keys = [y.c[k] for k in KEYS]
    summed = select(
        y.c.dataset_id,
        *keys,
        distinct_sources(y.c.source_id),
        total_sum(y.c.low),
        total_sum(y.c.best),
        func.coalesce(total_sum(y.c.high), literal(0)),
        func.max(case((y.c.high.is_(None), 1), else_=0)),
        func.count(),
        total_sum(y.c.unquantified),
        total_sum(y.c.allocated),
    )
    # From the datasets' transfers (an index) to their years (the primary key's prefix):
    # a small dataset among millions of year rows reads only its own.
    return (
        summed.select_from(t.join(y, y.c.transfer_id == t.c.id))
        .where(t.c.dataset_id.in_(datasets))
        .group_by(y.c.dataset_id, *keys)
    )


def not_rolled_up(session: Session, datasets: Iterable[str] | None = None) -> list[str]:
    """The datasets (of ``datasets``; without, every dataset) whose rollup is not
    current."""
    known = select(DATASET.c.id)
    if datasets is not None:
        known = known.where(DATASET.c.id.in_(sorted(set(datasets))))
    current = set(session.execute(select(ROLLED.c.dataset_id)).scalars())
    return sorted(d for d in session.execute(known).scalars() if d not in current)


def read_rollups(groups: bool) -> Select[Any]:
    """The datasets whose rollup a query reads. ``groups``: whether identity groups may
    exist (without, every current rollup is read)."""
    rolled = select(ROLLED.c.dataset_id)
    if not groups:
        return rolled
    in_groups = select(TRANSFER.c.dataset_id).where(TRANSFER.c.id.in_(grouped()))
    return rolled.where(ROLLED.c.dataset_id.not_in(in_groups))
