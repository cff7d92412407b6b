"""What reference data a database was seeded with (so that seeding can be skipped)."""

from __future__ import annotations

from sqlalchemy import String
from sqlmodel import Field

from sanctrack.models.base import Model


class SeedState(Model, table=True):
    __tablename__ = "seed_state"

    name: str = Field(sa_type=String(50), primary_key=True)
    checksum: str = Field(sa_type=String(64))
