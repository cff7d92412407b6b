"""Sources: reports, statements, articles; who wrote them and which source they cite."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String, Text
from sqlmodel import Field

from sanctrack.models.base import Model, one_of
from sanctrack.models.vocab import RELIABILITIES, SOURCE_KINDS


class SourceBase(Model):
    id: str = Field(sa_type=String(100), primary_key=True)
    publisher: str | None = Field(default=None, sa_type=String(300))
    title: str | None = Field(default=None, sa_type=Text)
    published: date | None = Field(default=None, sa_type=Date)
    kind: str = Field(sa_type=String(30))
    language: str | None = Field(default=None, sa_type=String(16))
    url: str | None = Field(default=None, sa_type=Text)
    reliability: str = Field(default="F", sa_type=String(1), description="Admiralty A-F")


class Source(SourceBase, table=True):
    __table_args__ = (
        CheckConstraint(one_of("kind", SOURCE_KINDS), name="kind"),
        CheckConstraint(one_of("reliability", RELIABILITIES), name="reliability"),
        CheckConstraint("cites_id IS NULL OR cites_id <> id", name="not_self_citing"),
    )

    dataset_id: str = Field(
        sa_column=Column(String(100), ForeignKey("dataset.id"), nullable=False, index=True)
    )
    cites_id: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("source.id"), index=True)
    )


class SourceAuthor(Model, table=True):
    """An author of a source: a state or an organisation, in the order given."""

    __tablename__ = "source_author"
    __table_args__ = (
        CheckConstraint(
            "(state_code IS NULL) <> (organisation IS NULL)", name="state_or_organisation"
        ),
    )

    source_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id", ondelete="CASCADE"), primary_key=True)
    )
    position: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    state_code: str | None = Field(
        default=None, sa_column=Column(String(3), ForeignKey("state.code"))
    )
    organisation: str | None = Field(default=None, sa_type=Text)
