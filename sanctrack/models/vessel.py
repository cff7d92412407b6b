"""Vessels, with their names and flags as dated intervals: a ship renamed and reflagged
stays one vessel. A vessel belongs to the dataset that declares it (removed with it) and
is named in it by its ``key``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlmodel import Field

from sanctrack.models.base import Model
from sanctrack.models.dated import period_checks
from sanctrack.models.imo import IMO_CHECK


class Vessel(Model, table=True):
    __table_args__ = (
        UniqueConstraint("dataset_id", "key"),
        UniqueConstraint("dataset_id", "imo"),
        CheckConstraint(IMO_CHECK, name="imo"),
        CheckConstraint("mmsi IS NULL OR length(mmsi) = 9", name="mmsi"),
        CheckConstraint("deadweight IS NULL OR deadweight > 0", name="deadweight"),
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    dataset_id: str = Field(
        sa_column=Column(
            String(100), ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    key: str = Field(sa_type=String(100), description="The id given in the dataset")
    imo: str | None = Field(default=None, sa_type=String(7), index=True)
    mmsi: str | None = Field(default=None, sa_type=String(9))
    type: str | None = Field(default=None, sa_type=String(100))
    deadweight: int | None = Field(default=None, sa_type=Integer, description="tonnes")


class _Dated(Model):
    period: str | None = Field(default=None, sa_type=String(60), description="EDTF, normalised")
    period_start: date | None = Field(default=None, sa_type=Date)
    period_end: date | None = Field(default=None, sa_type=Date)
    position: int = Field(sa_type=SmallInteger, description="index in the vessel's list")


class VesselName(_Dated, table=True):
    __tablename__ = "vessel_name"
    __table_args__ = (UniqueConstraint("vessel_id", "position"), *period_checks())

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    vessel_id: int = Field(
        sa_column=Column(Integer, ForeignKey("vessel.id", ondelete="CASCADE"), nullable=False)
    )
    name: str = Field(sa_type=String(200), index=True)


class VesselFlag(_Dated, table=True):
    __tablename__ = "vessel_flag"
    __table_args__ = (UniqueConstraint("vessel_id", "position"), *period_checks())

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    vessel_id: int = Field(
        sa_column=Column(Integer, ForeignKey("vessel.id", ondelete="CASCADE"), nullable=False)
    )
    state_code: str = Field(
        sa_column=Column(String(3), ForeignKey("state.code"), nullable=False, index=True)
    )
