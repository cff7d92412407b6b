"""Sources: reports, statements, articles; who wrote them, and what their chains of
citations resolve to.

``published`` keeps the EDTF date as normalised (``2024-01``, ``2023-11~``, ``2024-10-28``);
``published_first`` .. ``published_last`` is its known span, the days it may mean (the
qualifier does not widen it). The loader resolves each source's chain of citations
(:mod:`sanctrack.fixture.chains`) and stores the result here: ``effective_reliability``,
the reliability the policies and ``min_reliability`` use, and ``root_id``, the root at the
end of the chain that gives it; every root is in ``source_root``, the citations in
``source_cite``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String, Text
from sqlmodel import Field

from sanctrack.models.base import Model, one_of
from sanctrack.models.vocab import RELIABILITIES, SOURCE_KINDS

#: The longest normalised published date: ``YYYY-MM-DD`` and a qualifier.
PUBLISHED_LENGTH = 11


class SourceBase(Model):
    id: str = Field(sa_type=String(100), primary_key=True)
    publisher: str | None = Field(default=None, sa_type=String(300))
    title: str | None = Field(default=None, sa_type=Text)
    published: str | None = Field(
        default=None, sa_type=String(PUBLISHED_LENGTH), description="EDTF date as normalised"
    )
    published_first: date | None = Field(default=None, sa_type=Date, description="its first day")
    published_last: date | None = Field(default=None, sa_type=Date, description="its last day")
    kind: str = Field(sa_type=String(30))
    language: str | None = Field(default=None, sa_type=String(16))
    url: str | None = Field(default=None, sa_type=Text)
    reliability: str = Field(default="F", sa_type=String(1), description="Admiralty A-F")
    effective_reliability: str = Field(
        sa_type=String(1), description="the best chain's worst reliability (the loader's)"
    )


class Source(SourceBase, table=True):
    __table_args__ = (
        CheckConstraint(one_of("kind", SOURCE_KINDS), name="kind"),
        CheckConstraint(one_of("reliability", RELIABILITIES), name="reliability"),
        CheckConstraint(
            one_of("effective_reliability", RELIABILITIES), name="effective_reliability"
        ),
        # A chain is never better than its own first link (A best .. F worst).
        CheckConstraint("effective_reliability >= reliability", name="no_better_than_itself"),
        CheckConstraint(
            "(published IS NULL AND published_first IS NULL AND published_last IS NULL) OR "
            "(published IS NOT NULL AND published_first IS NOT NULL "
            "AND published_last IS NOT NULL AND published_first <= published_last)",
            name="published_span",
        ),
    )

    dataset_id: str = Field(
        sa_column=Column(String(100), ForeignKey("dataset.id"), nullable=False, index=True)
    )
    root_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id"), nullable=False, index=True),
        description="the root at the end of the chain that gives effective_reliability",
    )


class SourceAuthor(Model, table=True):
    """An author of a source: a state, an organisation or a person, in the order given."""

    __tablename__ = "source_author"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN state_code IS NULL THEN 0 ELSE 1 END) "
            "+ (CASE WHEN organisation IS NULL THEN 0 ELSE 1 END) "
            "+ (CASE WHEN person IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_author",
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
    person: str | None = Field(default=None, sa_type=Text)
