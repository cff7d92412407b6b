"""Designations: a vessel, aircraft, organisation or person listed under a sanctions
regime (seeds/regimes.yaml) on a date; the source is the list itself. The date may be of
day, month or year precision (``2018-03``: a source that says "in March 2018"): ``listed_as``
keeps it as given, ``listed`` is the first day it may mean, for ordering."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String
from sqlmodel import Field

from sanctrack.models.base import Model
from sanctrack.models.dated import one_set

#: The kinds of entity a designation or a "carried by" link may name, as their columns.
ENTITY_COLUMNS = ("vessel_id", "aircraft_id", "organisation_id", "person_id")


def entity_column(table: str, column: str) -> Column[int]:
    return Column(column, Integer, ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True)


class Designation(Model, table=True):
    __table_args__ = (CheckConstraint(one_set(*ENTITY_COLUMNS), name="one_entity"),)

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    dataset_id: str = Field(
        sa_column=Column(
            String(100), ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    vessel_id: int | None = Field(default=None, sa_column=entity_column("vessel", "vessel_id"))
    aircraft_id: int | None = Field(
        default=None, sa_column=entity_column("aircraft", "aircraft_id")
    )
    organisation_id: int | None = Field(
        default=None, sa_column=entity_column("organisation", "organisation_id")
    )
    person_id: int | None = Field(default=None, sa_column=entity_column("person", "person_id"))
    regime_id: str = Field(
        sa_column=Column(String(100), ForeignKey("regime.id"), nullable=False, index=True)
    )
    listed: date = Field(sa_type=Date, description="the first day the listing date may mean")
    listed_as: str = Field(
        sa_type=String(11),
        description="the listing date as given: EDTF of day, month or year precision",
    )
    source_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id"), nullable=False, index=True)
    )
