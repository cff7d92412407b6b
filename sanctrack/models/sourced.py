"""The columns of a sourced statement that is not a quantity: a source, where in it, how
credible (Admiralty 1-6), the words, and its place in its owner's list."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, SmallInteger, String, Text
from sqlmodel import Field

from sanctrack.models.base import Model


def sourced_checks() -> tuple[CheckConstraint, ...]:
    return (
        CheckConstraint("credibility BETWEEN 1 AND 6", name="credibility"),
        CheckConstraint("position >= 0", name="position"),
    )


class Sourced(Model):
    page: str | None = Field(default=None, sa_type=String(50))
    paragraph: str | None = Field(default=None, sa_type=String(50))
    figure: str | None = Field(default=None, sa_type=String(50))
    credibility: int = Field(default=6, sa_type=SmallInteger, description="Admiralty 1-6")
    quote: str | None = Field(default=None, sa_type=Text)
    position: int = Field(sa_type=SmallInteger, description="index in its owner's list")
