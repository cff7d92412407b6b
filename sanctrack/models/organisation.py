"""Organisations (companies, ministries, armed forces...) and people: a name, aliases and a
country. Each belongs to the dataset that declares it and is named in it by its ``key``."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlmodel import Field

from sanctrack.models.base import Model
from sanctrack.models.dated import one_set


class Party(Model):
    key: str = Field(sa_type=String(100), description="The id given in the dataset")
    name: str = Field(sa_type=String(300), index=True)


class Organisation(Party, table=True):
    __table_args__ = (UniqueConstraint("dataset_id", "key"),)

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    dataset_id: str = Field(
        sa_column=Column(
            String(100), ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    country_code: str | None = Field(
        default=None, sa_column=Column(String(3), ForeignKey("state.code"), index=True)
    )


class Alias(Model, table=True):
    """Another name of an organisation or a person."""

    __table_args__ = (CheckConstraint(one_set("organisation_id", "person_id"), name="one_party"),)

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    organisation_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), index=True),
    )
    person_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), index=True),
    )
    name: str = Field(sa_type=String(300), index=True)
    position: int = Field(sa_type=SmallInteger, description="index in the party's aliases")
