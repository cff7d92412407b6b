"""The movements a derived claim was computed from (:mod:`claim_derivation`), in the order
given; each voyage or port call at most once per claim."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, SmallInteger, UniqueConstraint
from sqlmodel import Field

from sanctrack.models.base import Model


class ClaimDerivationMovement(Model, table=True):
    __tablename__ = "claim_derivation_movement"
    __table_args__ = (
        UniqueConstraint("claim_id", "movement_id"),
        CheckConstraint("position >= 0", name="position"),
    )

    claim_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("claim_derivation.claim_id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        )
    )
    position: int = Field(
        sa_column=Column(SmallInteger, primary_key=True, autoincrement=False),
        description="index in the derivation's list of movements",
    )
    movement_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("movement.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
