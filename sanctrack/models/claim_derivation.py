"""Claim derivations: how a derived claim's figure was computed, instead of read in a
source. A derived claim is an ordinary ``claim`` row (the estimates read it like any
other); this table keeps its inputs, from which the loader computes its figure again at
every load, so that a corrected input (a vessel's deadweight) corrects the claim.

The one method is ``capacity``: the cargo of voyages or port calls of vessels with a
known deadweight, Σ deadweight × a laden fraction (low, best, high), in tonnes, and ×
barrels per tonne (low, best, high) when the claim is in barrels. ``complete`` says the
movements are every shipment of the transfer within the claim's window (the figure then
bounds it), or not (a floor only). Its movements are in ``claim_derivation_movement``.
"""

from __future__ import annotations

from typing import Literal, get_args

from sqlalchemy import Boolean, CheckConstraint, Column, Float, ForeignKey, Integer, String
from sqlmodel import Field

from sanctrack.models.base import Model, one_of

DerivationMethod = Literal["capacity"]
DERIVATION_METHODS: tuple[str, ...] = get_args(DerivationMethod)


def _ordered(prefix: str, top: str) -> str:
    """SQL text for 0 < low <= best <= high (<= ``top``, if given) of a low/best/high."""
    low, best, high = (f"{prefix}_{end}" for end in ("low", "best", "high"))
    limit = f" AND {high} <= {top}" if top else ""
    return f"{low} > 0 AND {low} <= {best} AND {best} <= {high}{limit}"


class ClaimDerivation(Model, table=True):
    __tablename__ = "claim_derivation"
    __table_args__ = (
        CheckConstraint(one_of("method", DERIVATION_METHODS), name="method"),
        CheckConstraint(_ordered("fraction", "1"), name="fraction"),
        CheckConstraint(
            "(barrels_low IS NULL AND barrels_best IS NULL AND barrels_high IS NULL) OR "
            f"({_ordered('barrels', '')})",
            name="barrels",
        ),
    )

    claim_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("claim.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        )
    )
    method: str = Field(sa_type=String(20))
    complete: bool = Field(
        sa_column=Column(Boolean, nullable=False),
        description="the movements are every shipment of the transfer within the window",
    )
    fraction_low: float = Field(sa_type=Float, description="laden fraction of deadweight")
    fraction_best: float = Field(sa_type=Float)
    fraction_high: float = Field(sa_type=Float)
    barrels_low: float | None = Field(default=None, sa_type=Float, description="per tonne")
    barrels_best: float | None = Field(default=None, sa_type=Float)
    barrels_high: float | None = Field(default=None, sa_type=Float)
