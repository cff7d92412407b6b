"""Pydantic models of the seed files in seeds/ (validated before anything is written)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from sanctrack.models.vocab import CapPeriod, Direction, ProvisionKind

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitSeed(Strict):
    slug: str = Field(pattern=SLUG_PATTERN, max_length=50)
    name: str
    counts: bool
    description: str | None = None


class CategorySeed(Strict):
    slug: str = Field(pattern=SLUG_PATTERN, max_length=100)
    name: str
    parent: str | None = None
    unroca: str | None = None
    sipri: str | None = None
    units: list[str] | None = None
    note: str | None = None


class MaterielTypeSeed(Strict):
    slug: str = Field(pattern=SLUG_PATTERN, max_length=100)
    name: str = Field(max_length=300)
    category: str
    designation: str | None = Field(default=None, max_length=200)
    unit: str
    note: str | None = None


class CapSeed(Strict):
    amount: int = Field(ge=0)
    unit: str
    period: CapPeriod


class RegimeSeed(Strict):
    id: str = Field(pattern=SLUG_PATTERN, max_length=100)
    name: str = Field(max_length=200)
    verified_from: str | None = None
    note: str | None = None


class ProvisionSeed(Strict):
    id: str = Field(pattern=SLUG_PATTERN, max_length=100)
    regime: str
    resolution: str
    paragraph: str | None
    kind: ProvisionKind
    direction: Direction | None = None
    target: str | None = None
    prohibits: str
    categories: list[str] = []
    materiel: list[str] = []
    cap: CapSeed | None = None
    in_force: date | None = None
    in_force_verified_from: str | None = None
    superseded_by: str | None = None
    applies_if: str | None = None
    verified_from: str | None = None
    note: str | None = None


class PortSeed(Strict):
    locode: str = Field(pattern=r"^[A-Z]{2}[A-Z2-9]{3}$")
    name: str = Field(max_length=200)
    country: str = Field(pattern=r"^[A-Z]{3}$")
    coordinates: tuple[float, float] | None = None
    verified_from: str


class PortsFile(Strict):
    ports: list[PortSeed]


class UnitsFile(Strict):
    units: list[UnitSeed]


class CategoriesFile(Strict):
    categories: list[CategorySeed]


class MaterielTypesFile(Strict):
    materiel_types: list[MaterielTypeSeed]


class RegimesFile(Strict):
    regimes: list[RegimeSeed]


class ProvisionsFile(Strict):
    provisions: list[ProvisionSeed]
