"""Aircraft: a registration, a type and an operator (an organisation of the same dataset)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field

from sanctrack.models.base import Model


class Aircraft(Model, table=True):
    __table_args__ = (UniqueConstraint("dataset_id", "key"),)

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    dataset_id: str = Field(
        sa_column=Column(
            String(100), ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    key: str = Field(sa_type=String(100), description="The id given in the dataset")
    registration: str | None = Field(default=None, sa_type=String(20), index=True)
    type: str | None = Field(default=None, sa_type=String(100))
    operator_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="SET NULL"), index=True),
    )
