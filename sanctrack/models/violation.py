"""Links from a transfer to a provision it violates (asserted by a source, or inferred),
or to a regime a source says it violates without naming a provision."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field

from sanctrack.models.base import Model


class Violation(Model, table=True):
    """Exactly one of ``source_id`` (asserted by that source) or ``rule`` (inferred) is set,
    and exactly one of ``provision_id`` or ``regime_id``: a regime-level row (a source says
    "a breach of UN Security Council resolutions" and names no provision) is asserted."""

    __table_args__ = (
        CheckConstraint("(source_id IS NULL) <> (rule IS NULL)", name="source_or_rule"),
        CheckConstraint(
            "(provision_id IS NULL) <> (regime_id IS NULL)", name="provision_or_regime"
        ),
        CheckConstraint("regime_id IS NULL OR source_id IS NOT NULL", name="regime_asserted"),
        UniqueConstraint("transfer_id", "provision_id", "source_id"),
        UniqueConstraint("transfer_id", "provision_id", "rule"),
        UniqueConstraint("transfer_id", "regime_id", "source_id"),
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    transfer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("transfer.id", ondelete="CASCADE"), nullable=False)
    )
    provision_id: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("provision.id"), index=True)
    )
    regime_id: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("regime.id"), index=True)
    )
    source_id: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("source.id"), index=True)
    )
    rule: str | None = Field(default=None, sa_type=String(100))

    @property
    def basis(self) -> str:
        """'asserted' (by a source) or 'inferred' (by a rule)."""
        return "asserted" if self.source_id is not None else "inferred"
