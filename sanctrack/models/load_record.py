"""The load history: which file was loaded into which dataset, when, with what effect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, String, Text
from sqlmodel import Field

from sanctrack.models.base import Model, UTCDateTime, utcnow


class LoadRecordBase(Model):
    dataset_id: str = Field(sa_type=String(100), index=True)
    path: str = Field(sa_type=Text)
    checksum: str = Field(sa_type=String(64), description="SHA-256 of the file")
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


class LoadRecord(LoadRecordBase, table=True):
    __tablename__ = "load_record"
    __table_args__ = (
        CheckConstraint(
            "created >= 0 AND updated >= 0 AND unchanged >= 0 AND removed >= 0",
            name="counts_non_negative",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    loaded_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
