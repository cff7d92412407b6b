"""People: a name, aliases (in table ``alias``) and a country."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field

from sanctrack.models.organisation import Party


class Person(Party, table=True):
    __table_args__ = (UniqueConstraint("dataset_id", "key"),)

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    dataset_id: str = Field(
        sa_column=Column(
            String(100), ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    country_code: str | None = Field(
        default=None, sa_column=Column(String(3), ForeignKey("state.code"), index=True)
    )
