"""The hierarchical materiel taxonomy, and which units fit each category."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Text
from sqlmodel import Field

from sanctrack.models.base import Model


class CategoryBase(Model):
    slug: str = Field(sa_type=String(100), primary_key=True)
    name: str = Field(sa_type=String(200))
    unroca: str | None = Field(default=None, sa_type=String(50), description="UNROCA category")
    sipri: str | None = Field(default=None, sa_type=String(100), description="SIPRI category")
    note: str | None = Field(default=None, sa_type=Text)


class Category(CategoryBase, table=True):
    parent_slug: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("category.slug"), index=True)
    )


class CategoryUnit(Model, table=True):
    """A unit that fits a category (troops are never counted in barrels)."""

    __tablename__ = "category_unit"

    category_slug: str = Field(
        sa_column=Column(
            String(100), ForeignKey("category.slug", ondelete="CASCADE"), primary_key=True
        )
    )
    unit_slug: str = Field(sa_column=Column(String(50), ForeignKey("unit.slug"), primary_key=True))
