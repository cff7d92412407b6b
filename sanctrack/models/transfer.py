"""Transfers: one movement of materiel from a supplier state to a recipient state."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field

from sanctrack.models.base import Model, one_of
from sanctrack.models.dated import period_checks, precision_checks
from sanctrack.models.vocab import STATUSES


class TransferBase(Model):
    key: str = Field(sa_type=String(100), description="The id given in the dataset")
    period: str = Field(sa_type=String(60), description="EDTF-style period, as normalised")
    period_start: date | None = Field(default=None, sa_type=Date)
    start_precision: str | None = Field(default=None, sa_type=String(5))
    period_end: date | None = Field(default=None, sa_type=Date)
    end_precision: str | None = Field(default=None, sa_type=String(5))
    status: str = Field(default="reported", sa_type=String(10))
    description: str | None = Field(default=None, sa_type=Text)


class Transfer(TransferBase, table=True):
    __table_args__ = (
        UniqueConstraint("dataset_id", "key"),
        # The overlap caveats group transfers in this order, reading only the index.
        Index(
            "ix_transfer_overlap",
            "supplier_code",
            "recipient_code",
            "materiel_slug",
            "dataset_id",
            "period_start",
            "period_end",
        ),
        CheckConstraint(one_of("status", STATUSES), name="status"),
        *period_checks(),
        *precision_checks(),
    )

    id: int | None = Field(default=None, primary_key=True)
    dataset_id: str = Field(sa_column=Column(String(100), ForeignKey("dataset.id"), nullable=False))
    # No index of its own: ix_transfer_overlap begins with it.
    supplier_code: str = Field(
        sa_column=Column(String(3), ForeignKey("state.code"), nullable=False)
    )
    recipient_code: str = Field(
        sa_column=Column(String(3), ForeignKey("state.code"), nullable=False, index=True)
    )
    materiel_slug: str = Field(
        sa_column=Column(String(100), ForeignKey("materiel_type.slug"), nullable=False, index=True)
    )
