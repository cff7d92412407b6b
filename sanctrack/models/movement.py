"""Movements: a vessel's port call or voyage, an aircraft's flight, or a ship-to-ship
transfer between two vessels, over an EDTF period, with the vessel's AIS status. Each is
asserted by claims (table ``movement_claim``). A movement belongs to the dataset that
declares it, as do the vessels and the aircraft it names."""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field

from sanctrack.models.base import Model, one_of
from sanctrack.models.dated import period_checks, precision_checks

MovementKind = Literal["port_call", "voyage", "flight", "ship_to_ship"]
AisStatus = Literal["transmitting", "dark", "spoofed"]
MOVEMENT_KINDS: tuple[str, ...] = get_args(MovementKind)
AIS_STATUSES: tuple[str, ...] = get_args(AisStatus)

#: What each kind names: a port call one vessel at one port; a voyage one vessel, from and
#: to ports if known; a flight one aircraft; a ship-to-ship transfer two vessels.
KIND_SHAPES = {
    "port_call": "vessel_id IS NOT NULL AND aircraft_id IS NULL AND second_vessel_id IS NULL "
    "AND port_locode IS NOT NULL AND from_locode IS NULL AND to_locode IS NULL",
    "voyage": "vessel_id IS NOT NULL AND aircraft_id IS NULL AND second_vessel_id IS NULL "
    "AND port_locode IS NULL",
    "flight": "vessel_id IS NULL AND aircraft_id IS NOT NULL AND second_vessel_id IS NULL "
    "AND port_locode IS NULL AND ais_status IS NULL",
    "ship_to_ship": "vessel_id IS NOT NULL AND aircraft_id IS NULL "
    "AND second_vessel_id IS NOT NULL AND second_vessel_id <> vessel_id "
    "AND from_locode IS NULL AND to_locode IS NULL",
}


def _vessel(column: str) -> Column[int]:
    return Column(column, Integer, ForeignKey("vessel.id", ondelete="CASCADE"), index=True)


def _port(column: str) -> Column[str]:
    return Column(column, String(5), ForeignKey("port.locode"), index=True)


class Movement(Model, table=True):
    __table_args__ = (
        UniqueConstraint("dataset_id", "key"),
        CheckConstraint(one_of("kind", MOVEMENT_KINDS), name="kind"),
        CheckConstraint(f"ais_status IS NULL OR {one_of('ais_status', AIS_STATUSES)}", name="ais"),
        CheckConstraint(
            " OR ".join(f"(kind = '{k}' AND {s})" for k, s in KIND_SHAPES.items()), name="shape"
        ),
        *precision_checks(),
        *period_checks(),
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    dataset_id: str = Field(
        sa_column=Column(
            String(100), ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    key: str = Field(sa_type=String(100), description="The id given in the dataset")
    kind: str = Field(sa_type=String(12))
    period: str = Field(sa_type=String(60), description="EDTF-style period, as normalised")
    period_start: date | None = Field(default=None, sa_type=Date)
    start_precision: str | None = Field(default=None, sa_type=String(5))
    period_end: date | None = Field(default=None, sa_type=Date)
    end_precision: str | None = Field(default=None, sa_type=String(5))
    ais_status: str | None = Field(default=None, sa_type=String(12))
    vessel_id: int | None = Field(default=None, sa_column=_vessel("vessel_id"))
    second_vessel_id: int | None = Field(default=None, sa_column=_vessel("second_vessel_id"))
    aircraft_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("aircraft.id", ondelete="CASCADE"), index=True),
    )
    port_locode: str | None = Field(default=None, sa_column=_port("port_locode"))
    from_locode: str | None = Field(default=None, sa_column=_port("from_locode"))
    to_locode: str | None = Field(default=None, sa_column=_port("to_locode"))
    description: str | None = Field(default=None, sa_type=Text)
