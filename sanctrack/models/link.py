"""Reviewed judgements about transfers of different records: the same physical transfer
(``same_as``), or different ones despite overlapping (``distinct_from``).

A link belongs to the dataset that declares it (removed with it, replaced when it is
loaded again) and names both transfers by natural key, (dataset, key), so that it may name
a transfer not loaded yet: it takes effect when that transfer arrives. The pair is stored
in order (a before b), so each judgement is stored once.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.sql.elements import conv
from sqlmodel import Field

from sanctrack.models.base import Model

LINK_KINDS = ("same_as", "distinct_from")


class TransferLink(Model, table=True):
    __tablename__ = "transfer_link"
    __table_args__ = (
        UniqueConstraint(
            "dataset_id",
            "kind",
            "a_dataset",
            "a_key",
            "b_dataset",
            "b_key",
            name=conv("uq_transfer_link_judgement"),  # the default name is too long
        ),
        CheckConstraint("kind = 'same_as' OR kind = 'distinct_from'", name="kind"),
        CheckConstraint(
            "a_dataset < b_dataset OR (a_dataset = b_dataset AND a_key < b_key)", name="ordered"
        ),
        Index("ix_transfer_link_a", "a_dataset", "a_key"),
        Index("ix_transfer_link_b", "b_dataset", "b_key"),
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    dataset_id: str = Field(
        sa_column=Column(
            String(100), ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    kind: str = Field(sa_type=String(13))
    a_dataset: str = Field(sa_type=String(100))
    a_key: str = Field(sa_type=String(100))
    b_dataset: str = Field(sa_type=String(100))
    b_key: str = Field(sa_type=String(100))
