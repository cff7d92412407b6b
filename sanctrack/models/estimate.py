"""Estimates stored at load time: what the engine gives each transfer under the default
claim policy (``envelope``) and year split (``prorate``), when no claim filter applies.

They are a cache, never a source of truth. A transfer has stored estimates only while a
row of ``estimated_transfer`` says so; database triggers (migration 0004) delete that row,
and its years, whenever anything its estimate reads changes: its claims, its period, the
reliability or publication date of a source of its claims. Queries estimate the
transfers without a row (or with conflicting claims, whose caveats name the claims) from
their claims, as if nothing were stored; ``sanctrack.refresh_estimates`` and every load
store them again (:mod:`sanctrack.queries.stored`).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
)
from sqlmodel import Field

from sanctrack.models.base import Model


class EstimatedTransfer(Model, table=True):
    """A transfer whose estimates are stored and current."""

    __tablename__ = "estimated_transfer"

    transfer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("transfer.id", ondelete="CASCADE"), primary_key=True)
    )
    conflicting: bool = Field(sa_column=Column(Boolean, nullable=False))


class YearEstimate(Model, table=True):
    """One year of a stored transfer estimate (none for a transfer whose claims conflict).
    ``source_id`` is the one source of all the transfer's claims, or NULL if several."""

    __tablename__ = "year_estimate"
    __table_args__ = (
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
    unit_slug: str | None = Field(default=None, sa_type=String(100))
    source_id: str | None = Field(default=None, sa_type=String(100))
    low: int = Field(sa_type=BigInteger)
    best: int = Field(sa_type=BigInteger)
    high: int | None = Field(default=None, sa_type=BigInteger)
    unquantified: int = Field(sa_type=SmallInteger)
    allocated: int = Field(sa_type=SmallInteger)
