"""Estimates stored at load time: what the engine gives each transfer under the default
claim policy (``envelope``) and year split (``prorate``), when no claim filter applies.

They are a cache, never a source of truth. A transfer has stored estimates only while a
row of ``estimated_transfer`` says so; database triggers (migrations 0004 and 0008) delete
that row, and its years, whenever anything its estimate or its years' copies read
changes: its claims, its period, parties, materiel, status or dataset, the reliability or
publication date of a source of its claims. The same triggers note the transfer in
``unestimated_transfer``, so that finding what is not stored costs little among millions.
Queries estimate the transfers without a row (or with conflicting claims, whose caveats
name the claims) from their claims, as if nothing were stored;
``sanctrack.refresh_estimates`` and every load store them again
(:mod:`sanctrack.queries.stored`).

A year row copies the transfer's fields that queries filter and group on, and one
covering index holds them with the totals, so that the year x category aggregate is one
scan of that index (issue 11).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    text,
)
from sqlmodel import Field

from sanctrack.models.base import Model


class EstimatedTransfer(Model, table=True):
    """A transfer whose estimates are stored and current."""

    __tablename__ = "estimated_transfer"
    # The few transfers whose claims conflict, found without reading the others (a query
    # asks whether there are any, then reads them: sanctrack.queries.stored.unstored).
    __table_args__ = (
        Index(
            "ix_estimated_transfer_conflicting",
            "transfer_id",
            sqlite_where=text("conflicting = 1"),
            postgresql_where=text("conflicting"),
        ),
    )

    transfer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("transfer.id", ondelete="CASCADE"), primary_key=True)
    )
    conflicting: bool = Field(sa_column=Column(Boolean, nullable=False))


class UnestimatedTransfer(Model, table=True):
    """A transfer that may have claims and no stored estimate (the triggers note it; storing
    clears it). No foreign key: a transfer deleted since is only passed over."""

    __tablename__ = "unestimated_transfer"

    transfer_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))


#: What the aggregate reads of a year row, in its GROUP BY order, then the filters' columns.
TOTALS_INDEX = (
    "year",
    "materiel_slug",
    "unit_slug",
    "supplier_code",
    "recipient_code",
    "source_id",
    "status",
    "dataset_id",
    "transfer_id",
    "low",
    "best",
    "high",
    "unquantified",
    "allocated",
)


class YearEstimate(Model, table=True):
    """One year of a stored transfer estimate (none for a transfer whose claims conflict).
    ``source_id`` is the one source of all the transfer's claims, or NULL if several. The
    transfer's dataset, parties, materiel and status are copies (kept current by the
    triggers, which forget the estimate when one changes)."""

    __tablename__ = "year_estimate"
    __table_args__ = (
        Index("ix_year_estimate_totals", *TOTALS_INDEX),
        # The years of transfers whose claims have several sources, which the aggregate
        # reads the sources of (sanctrack.queries.stored.stored_sources): few among millions.
        # The totals index's keys over these rows only: covering what that query reads, in
        # the same order, so that SQLite prefers it (with transfer_id first, it scanned the
        # totals index of every row instead).
        Index(
            "ix_year_estimate_several_sources",
            *TOTALS_INDEX[:9],
            sqlite_where=text("source_id IS NULL"),
            postgresql_where=text("source_id IS NULL"),
        ),
        CheckConstraint("0 <= low AND low <= best", name="low_best"),
        CheckConstraint("high IS NULL OR best <= high", name="best_high"),
        CheckConstraint("unquantified = 0 OR unquantified = 1", name="unquantified"),
        CheckConstraint("allocated = 0 OR allocated = 1", name="allocated"),
    )

    transfer_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("estimated_transfer.transfer_id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    year: int = Field(sa_column=Column(SmallInteger, primary_key=True))
    dataset_id: str = Field(sa_type=String(100))
    supplier_code: str = Field(sa_type=String(3))
    recipient_code: str = Field(sa_type=String(3))
    materiel_slug: str = Field(sa_type=String(100))
    status: str = Field(sa_type=String(10))
    unit_slug: str | None = Field(default=None, sa_type=String(100))
    source_id: str | None = Field(default=None, sa_type=String(100))
    low: int = Field(sa_type=BigInteger)
    best: int = Field(sa_type=BigInteger)
    high: int | None = Field(default=None, sa_type=BigInteger)
    unquantified: int = Field(sa_type=SmallInteger)
    allocated: int = Field(sa_type=SmallInteger)
