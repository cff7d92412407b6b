"""Year rollups: a dataset's stored year estimates (:mod:`sanctrack.models.estimate`),
summed per (year, materiel, unit, supplier, recipient, status), so that the year x
category aggregate reads tens of thousands of rows instead of millions (issue 11).

Like the stored estimates they sum, they are a cache. A dataset's rollup counts only
while a ``rolled_up_dataset`` row says so; triggers (migration 0016) delete that row
whenever a year row of the dataset is inserted, deleted or changed, and storing
estimates builds it again (:mod:`sanctrack.queries.rollups`). A query reads the rollup of
a dataset that has one and no transfer in an identity group, and the year rows of the
others.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Index, String, Text
from sqlmodel import Field

from sanctrack.models.base import Model


class RolledUpDataset(Model, table=True):
    """A dataset whose rollup is current."""

    __tablename__ = "rolled_up_dataset"

    dataset_id: str = Field(
        sa_column=Column(
            String(100), ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True
        )
    )


class YearRollup(Model, table=True):
    """The stored year rows of one dataset with one (year, materiel, unit, supplier,
    recipient, status), summed. ``sources``: the distinct sources of those with one
    source, joined by ',' (NULL: none); ``unbounded``: 1 if one of them has no high, and
    then ``high`` sums the others'."""

    __tablename__ = "year_rollup"
    __table_args__ = (
        Index("ix_year_rollup_dataset_id", "dataset_id"),
        CheckConstraint("0 <= low AND low <= best", name="low_best"),
        CheckConstraint("unbounded = 0 OR unbounded = 1", name="unbounded"),
        CheckConstraint("0 < transfers", name="transfers"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dataset_id: str = Field(
        sa_column=Column(String(100), ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False)
    )
    year: int = Field()
    materiel_slug: str = Field(sa_type=String(100))
    unit_slug: str | None = Field(default=None, sa_type=String(100))
    supplier_code: str = Field(sa_type=String(3))
    recipient_code: str = Field(sa_type=String(3))
    status: str = Field(sa_type=String(10))
    sources: str | None = Field(default=None, sa_column=Column(Text))
    low: int = Field(sa_type=BigInteger)
    best: int = Field(sa_type=BigInteger)
    high: int = Field(sa_type=BigInteger)
    unbounded: int = Field()
    transfers: int = Field(sa_type=BigInteger)
    unquantified: int = Field(sa_type=BigInteger)
    allocated: int = Field(sa_type=BigInteger)
