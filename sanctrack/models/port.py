"""Ports, by UN/LOCODE (two letters of the country, three of the place): the seeded ones
(seeds/ports.yaml, ``dataset_id`` NULL) and those a dataset declares (removed with it)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Float, ForeignKey, String, Text
from sqlmodel import Field

from sanctrack.models.base import Model

LOCODE_PATTERN = r"^[A-Z]{2}[A-Z2-9]{3}$"


class Port(Model, table=True):
    __table_args__ = (
        CheckConstraint("length(locode) = 5", name="locode"),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="latitude"),
        CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="longitude"),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates"),
    )

    locode: str = Field(sa_type=String(5), primary_key=True)
    name: str = Field(sa_type=String(200))
    country_code: str = Field(
        sa_column=Column(String(3), ForeignKey("state.code"), nullable=False, index=True)
    )
    latitude: float | None = Field(default=None, sa_type=Float)
    longitude: float | None = Field(default=None, sa_type=Float)
    verified_from: str | None = Field(default=None, sa_type=Text)
    dataset_id: str | None = Field(
        default=None,
        sa_column=Column(String(100), ForeignKey("dataset.id", ondelete="CASCADE"), index=True),
        description="The dataset that declared it; NULL for seeded ports",
    )
