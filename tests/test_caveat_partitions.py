"""The overlap caveats' partitions found by skipping through the overlap index on
PostgreSQL (sanctrack.queries.caveats._skipping) are the DISTINCT ones, under filters."""

from __future__ import annotations

from typing import Any

import pytest
from builders import build, clear
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import Session
from strategies import MATERIELS, SOURCES, transfer_lists

from sanctrack.queries.base import TRANSFER
from sanctrack.queries.caveats import PARTITION_KEYS, _partition_filters, _skipping
from sanctrack.queries.filters import make_filters

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def some(values: list[str]) -> st.SearchStrategy[list[str] | None]:
    return st.none() | st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True)


asks = st.fixed_dictionaries(
    {
        "supplier": some(["PRK", "RUS", "IRN"]),
        "recipient": some(["PRK", "RUS", "IRN"]),
        "datasets": some(["ds-a", "ds-b"]),
        "materiel": some([m for m, _ in MATERIELS]),
    }
)


@SETTINGS
@given(transfers=transfer_lists(), ask=asks)
def test_skipping_through_the_index_finds_the_distinct_partitions(
    session: Session,
    transfers: list,  # type: ignore[type-arg]
    ask: dict[str, Any],
) -> None:
    if session.connection().dialect.name != "postgresql":
        pytest.skip("the skipping query is PostgreSQL's (SQLite has no LATERAL)")
    clear(session)
    build(session, SOURCES, transfers)
    f = make_filters(**{k: v for k, v in ask.items() if v is not None})
    t = TRANSFER
    plain = select(*(t.c[k] for k in PARTITION_KEYS)).distinct()
    plain = plain.where(*_partition_filters(f, t))
    found = session.execute(_skipping(f)).all()
    assert len(found) == len(set(found))
    assert sorted(found) == sorted(session.execute(plain).all())


@SETTINGS
@given(transfers=transfer_lists(), page=st.integers(1, 4), years=st.booleans())
def test_a_partition_read_a_page_at_a_time_gives_the_same_caveats(
    session: Session,
    transfers: list,  # type: ignore[type-arg]
    page: int,
    years: bool,
) -> None:
    """The counted transfers of a partition are read in pages of PAGE, each after the
    last row of the one before: the caveats are those of one read, whatever the size."""
    from sanctrack.queries import caveats

    clear(session)
    build(session, SOURCES, transfers)
    f = make_filters(years=[2023, 2024] if years else None, level="leaf")
    whole = caveats.overlap_caveats(session, f)
    every = [list(caveats._counted(session, f, p)) for p in caveats._partitions(session, f)]
    default = caveats.PAGE
    caveats.PAGE = page
    try:
        assert caveats.overlap_caveats(session, f) == whole
        paged = [list(caveats._counted(session, f, p)) for p in caveats._partitions(session, f)]
    finally:
        caveats.PAGE = default
    assert paged == every
