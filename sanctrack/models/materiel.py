"""Materiel types: what a transfer moves (a category, a designation, a default unit)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String
from sqlmodel import Field

from sanctrack.models.base import Model


class MaterielTypeBase(Model):
    slug: str = Field(sa_type=String(100), primary_key=True)
    name: str = Field(sa_type=String(300))
    designation: str | None = Field(default=None, sa_type=String(200))


class MaterielType(MaterielTypeBase, table=True):
    __tablename__ = "materiel_type"

    category_slug: str = Field(
        sa_column=Column(String(100), ForeignKey("category.slug"), nullable=False, index=True)
    )
    default_unit_slug: str = Field(
        sa_column=Column(String(50), ForeignKey("unit.slug"), nullable=False)
    )
    dataset_id: str | None = Field(
        default=None,
        sa_column=Column(String(100), ForeignKey("dataset.id"), index=True),
        description="The dataset that declared it; NULL for seeded types",
    )
