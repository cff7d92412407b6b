""" "Carried by": a source's statement that a transfer went by a movement, or by a vessel,
aircraft or organisation (a carrier). Transfer and carrier are of the same dataset."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field

from sanctrack.models.dated import one_set
from sanctrack.models.designation import entity_column
from sanctrack.models.sourced import Sourced, sourced_checks

CARRIER_COLUMNS = ("movement_id", "vessel_id", "aircraft_id", "organisation_id")


class CarriedBy(Sourced, table=True):
    __tablename__ = "carried_by"
    __table_args__ = (
        UniqueConstraint("transfer_id", "position"),
        CheckConstraint(one_set(*CARRIER_COLUMNS), name="one_carrier"),
        *sourced_checks(),
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    transfer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("transfer.id", ondelete="CASCADE"), nullable=False)
    )
    movement_id: int | None = Field(
        default=None, sa_column=entity_column("movement", "movement_id")
    )
    vessel_id: int | None = Field(default=None, sa_column=entity_column("vessel", "vessel_id"))
    aircraft_id: int | None = Field(
        default=None, sa_column=entity_column("aircraft", "aircraft_id")
    )
    organisation_id: int | None = Field(
        default=None, sa_column=entity_column("organisation", "organisation_id")
    )
    source_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id"), nullable=False, index=True)
    )
