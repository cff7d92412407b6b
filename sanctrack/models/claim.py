"""Claims: one source's statement about one transfer, with its honest uncertainty.

A claim measures either a **flow** (the quantity moved within its window) or a
**cumulative** running total (from ``since`` up to ``as_of``). ``period``, ``since`` and
``as_of`` keep what the fixture wrote (NULL: the default was used); ``window_start`` and
``window_end`` hold the resolved window in days, inclusive, that the estimates read.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field

from sanctrack.models.base import Model, one_of
from sanctrack.models.vocab import MEASURES, QUALIFIERS

#: The shape each qualifier gives to (low, best, high); NULL is unknown.
QUALIFIER_SHAPES = {
    "exact": "low IS NOT NULL AND best = low AND high = low",
    "about": "low IS NULL AND best IS NOT NULL AND high IS NULL",
    "at_least": "low IS NOT NULL AND best = low AND high IS NULL",
    "more_than": "low IS NOT NULL AND best = low AND high IS NULL",
    "up_to": "low IS NULL AND best IS NOT NULL AND high = best",
    "between": "low IS NOT NULL AND high IS NOT NULL",
    "unquantified": "low IS NULL AND best IS NULL AND high IS NULL",
}


class ClaimBase(Model):
    qualifier: str = Field(sa_type=String(12))
    low: int | None = Field(default=None, sa_type=BigInteger)
    best: int | None = Field(default=None, sa_type=BigInteger)
    high: int | None = Field(default=None, sa_type=BigInteger)
    page: str | None = Field(default=None, sa_type=String(50))
    paragraph: str | None = Field(default=None, sa_type=String(50))
    figure: str | None = Field(default=None, sa_type=String(50))
    credibility: int = Field(default=6, sa_type=SmallInteger, description="Admiralty 1-6")
    quote: str | None = Field(default=None, sa_type=Text)
    position: int = Field(sa_type=SmallInteger, description="index in the transfer's claims")
    measure: str = Field(
        default="flow",
        sa_column_kwargs={"server_default": "flow"},
        sa_type=String(10),
        description="flow or cumulative",
    )
    period: str | None = Field(
        default=None, sa_type=String(60), description="flow: EDTF period as normalised"
    )
    since: str | None = Field(
        default=None, sa_type=String(10), description="cumulative: EDTF date as normalised"
    )
    as_of: date | None = Field(default=None, sa_type=Date, description="cumulative: as given")
    window_start: date | None = Field(default=None, sa_type=Date, description="resolved, or open")
    window_end: date | None = Field(default=None, sa_type=Date, description="resolved, or open")


class Claim(ClaimBase, table=True):
    __table_args__ = (
        UniqueConstraint("transfer_id", "position"),
        CheckConstraint(one_of("qualifier", QUALIFIERS), name="qualifier"),
        CheckConstraint(one_of("measure", MEASURES), name="measure"),
        CheckConstraint(
            "(measure = 'flow' AND since IS NULL AND as_of IS NULL) OR "
            "(measure = 'cumulative' AND period IS NULL AND window_end IS NOT NULL)",
            name="measure_shape",
        ),
        CheckConstraint(
            "window_start IS NULL OR window_end IS NULL OR window_start <= window_end",
            name="window_order",
        ),
        CheckConstraint("position >= 0", name="position"),
        CheckConstraint(
            " OR ".join(f"(qualifier = '{q}' AND {s})" for q, s in QUALIFIER_SHAPES.items()),
            name="qualifier_shape",
        ),
        CheckConstraint(
            "(low IS NULL OR low >= 0) AND (best IS NULL OR best >= 0) "
            "AND (high IS NULL OR high >= 0)",
            name="non_negative",
        ),
        CheckConstraint(
            "(low IS NULL OR best IS NULL OR low <= best) AND "
            "(best IS NULL OR high IS NULL OR best <= high) AND "
            "(low IS NULL OR high IS NULL OR low <= high)",
            name="low_best_high",
        ),
        CheckConstraint(
            "qualifier = 'unquantified' OR unit_slug IS NOT NULL", name="quantity_has_unit"
        ),
        CheckConstraint("credibility BETWEEN 1 AND 6", name="credibility"),
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    transfer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("transfer.id", ondelete="CASCADE"), nullable=False)
    )
    source_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id"), nullable=False, index=True)
    )
    unit_slug: str | None = Field(
        default=None, sa_column=Column(String(50), ForeignKey("unit.slug"))
    )
