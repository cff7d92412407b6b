"""Units in which quantities are stated: rounds, personnel, barrels..."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlmodel import Field

from sanctrack.models.base import Model


class UnitBase(Model):
    slug: str = Field(sa_type=String(50), primary_key=True)
    name: str = Field(sa_type=String(100))
    counts: bool = Field(description="True: counts items; False: measures an amount")
    description: str | None = Field(default=None, sa_type=Text)


class Unit(UnitBase, table=True):
    pass
