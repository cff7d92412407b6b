"""Sanctions provisions (embargoes, caps, bans), when each was in force, and the categories
and materiel types each one covers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Column, Date, ForeignKey, String, Text
from sqlmodel import Field

from sanctrack.models.base import Model, one_of
from sanctrack.models.vocab import CAP_PERIODS, DIRECTIONS, PROVISION_KINDS


class ProvisionBase(Model):
    id: str = Field(sa_type=String(100), primary_key=True)
    resolution: str = Field(sa_type=String(50))
    paragraph: str | None = Field(default=None, sa_type=String(30), description="NULL: unverified")
    kind: str = Field(sa_type=String(10))
    direction: str | None = Field(default=None, sa_type=String(12))
    prohibits: str = Field(sa_type=Text)
    cap_amount: int | None = Field(default=None, sa_type=BigInteger)
    cap_period: str | None = Field(default=None, sa_type=String(10))
    verified_from: str | None = Field(default=None, sa_type=Text)
    note: str | None = Field(default=None, sa_type=Text)
    in_force: date | None = Field(
        default=None, sa_type=Date, description="First day in force; NULL: not verified"
    )
    in_force_verified_from: str | None = Field(default=None, sa_type=Text)
    applies_if: str | None = Field(
        default=None,
        sa_type=Text,
        description="NULL: the materiel is prohibited outright; else the condition",
    )


class Provision(ProvisionBase, table=True):
    __table_args__ = (
        CheckConstraint(one_of("kind", PROVISION_KINDS), name="kind"),
        CheckConstraint(f"direction IS NULL OR {one_of('direction', DIRECTIONS)}", name="dir"),
        CheckConstraint(
            "(kind = 'cap') = (cap_amount IS NOT NULL AND cap_unit_slug IS NOT NULL "
            f"AND cap_period IS NOT NULL AND {one_of('cap_period', CAP_PERIODS)})",
            name="cap_fields",
        ),
        CheckConstraint("cap_amount IS NULL OR cap_amount >= 0", name="cap_non_negative"),
        CheckConstraint("superseded_by IS NULL OR superseded_by <> id", name="not_own_successor"),
    )

    regime: str = Field(sa_column=Column(String(100), ForeignKey("regime.id"), nullable=False))

    target_code: str | None = Field(
        default=None, sa_column=Column(String(3), ForeignKey("state.code"))
    )
    cap_unit_slug: str | None = Field(
        default=None, sa_column=Column(String(50), ForeignKey("unit.slug"))
    )
    superseded_by: str | None = Field(
        default=None,
        sa_column=Column(String(100), ForeignKey("provision.id")),
        description="The provision that replaced this one from its own in_force date",
    )


class ProvisionCategory(Model, table=True):
    """A materiel category a provision covers; the inference rules read it."""

    __tablename__ = "provision_category"

    provision_id: str = Field(
        sa_column=Column(
            String(100), ForeignKey("provision.id", ondelete="CASCADE"), primary_key=True
        )
    )
    category_slug: str = Field(
        sa_column=Column(String(100), ForeignKey("category.slug"), primary_key=True)
    )


class ProvisionMateriel(Model, table=True):
    """A materiel type a provision covers (e.g. aviation fuel, not all refined petroleum)."""

    __tablename__ = "provision_materiel"

    provision_id: str = Field(
        sa_column=Column(
            String(100), ForeignKey("provision.id", ondelete="CASCADE"), primary_key=True
        )
    )
    materiel_slug: str = Field(
        sa_column=Column(String(100), ForeignKey("materiel_type.slug"), primary_key=True)
    )
