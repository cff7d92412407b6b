"""Ownership and operator links: a source's statement that an organisation or a person
(the owner) owned, operated or managed an asset (a vessel, an aircraft or an organisation)
over an EDTF period, in a role. A link belongs to the dataset that declares it and its
ends (removed with either), and is named in it by its ``key``."""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field

from sanctrack.models.base import one_of
from sanctrack.models.dated import one_set, period_checks, precision_checks
from sanctrack.models.designation import entity_column
from sanctrack.models.sourced import Sourced, sourced_checks

#: The roles an owner holds: owners (as a register records them, or the beneficial one
#: behind it), the operator, and the managers a ship's register names.
OwnershipRole = Literal[
    "owner",
    "registered_owner",
    "beneficial_owner",
    "operator",
    "ship_manager",
    "ism_manager",
    "commercial_manager",
]
OWNERSHIP_ROLES: tuple[str, ...] = get_args(OwnershipRole)
#: The roles that make the owner an owner (FtM ``owner`` of a vehicle); the others manage.
OWNING_ROLES = ("owner", "registered_owner", "beneficial_owner")
OWNER_COLUMNS = ("owner_organisation_id", "owner_person_id")
ASSET_COLUMNS = ("vessel_id", "aircraft_id", "organisation_id")


class Ownership(Sourced, table=True):
    __table_args__ = (
        UniqueConstraint("dataset_id", "key"),
        CheckConstraint(one_set(*OWNER_COLUMNS), name="one_owner"),
        CheckConstraint(one_set(*ASSET_COLUMNS), name="one_asset"),
        CheckConstraint(
            "owner_organisation_id IS NULL OR organisation_id IS NULL "
            "OR owner_organisation_id <> organisation_id",
            name="not_itself",
        ),
        CheckConstraint(one_of("role", OWNERSHIP_ROLES), name="role"),
        *period_checks(),
        *precision_checks(),
        *sourced_checks(),
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    dataset_id: str = Field(
        sa_column=Column(
            String(100), ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    key: str = Field(sa_type=String(100), description="The id given in the dataset")
    owner_organisation_id: int | None = Field(
        default=None, sa_column=entity_column("organisation", "owner_organisation_id")
    )
    owner_person_id: int | None = Field(
        default=None, sa_column=entity_column("person", "owner_person_id")
    )
    vessel_id: int | None = Field(default=None, sa_column=entity_column("vessel", "vessel_id"))
    aircraft_id: int | None = Field(
        default=None, sa_column=entity_column("aircraft", "aircraft_id")
    )
    organisation_id: int | None = Field(
        default=None, sa_column=entity_column("organisation", "organisation_id")
    )
    role: str = Field(sa_type=String(20))
    period: str | None = Field(default=None, sa_type=String(60), description="EDTF, normalised")
    period_start: date | None = Field(default=None, sa_type=Date)
    start_precision: str | None = Field(default=None, sa_type=String(5))
    period_end: date | None = Field(default=None, sa_type=Date)
    end_precision: str | None = Field(default=None, sa_type=String(5))
    source_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id"), nullable=False, index=True)
    )
