"""Year rollups (sanctrack.queries.rollups): a query reads a dataset's rollup while it is
current and the dataset has no transfer in an identity group, and its year rows
otherwise; any write to a dataset's year rows makes its rollup stale (the triggers of
migration 0016) until estimates are stored again."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from builders import ClaimSpec, TransferSpec, build
from sqlalchemy import insert, select, update
from sqlmodel import Session
from strategies import SOURCES
from test_stored_estimates import answers, from_claims

from sanctrack import load_fixture, refresh_estimates
from sanctrack.models import metadata
from sanctrack.queries import QueryOverflowError, transfers_by_year_and_category
from sanctrack.queries.rollups import build_rollups, not_rolled_up

T = metadata.tables
YEAR = (date(2024, 1, 1), date(2024, 12, 31))
DATASETS = ("ds-a", "ds-b", "ds-c")


def rolled(session: Session) -> set[str]:
    return set(session.execute(select(T["rolled_up_dataset"].c.dataset_id)).scalars())


def bests(session: Session) -> dict[str, int]:
    """The default aggregate's best per supplier (each dataset below has its own)."""
    session.commit()
    rows = transfers_by_year_and_category(session, caveats=False)
    return {r.supplier: r.best for r in rows}


def tamper(session: Session) -> None:
    """Add 1000 to every rollup's best: a query that reads a rollup shows it."""
    rollup = T["year_rollup"]
    session.execute(update(rollup).values(best=rollup.c.best + 1000))
    session.commit()


def three_datasets(session: Session) -> list[int]:
    """ds-a (PRK), ds-b (IRN) and ds-c (BLR): one transfer to RUS each, 100 rounds."""
    transfers = [
        TransferSpec(f"t-{d}", *YEAR, [ClaimSpec("s-a", a=100)], dataset=d, supplier=s)
        for d, s in zip(DATASETS, ("PRK", "IRN", "BLR"), strict=True)
    ]
    ids = build(session, SOURCES, transfers, datasets=DATASETS)
    refresh_estimates(session)
    return ids


def test_a_current_rollup_is_read(session: Session) -> None:
    three_datasets(session)
    assert rolled(session) == set(DATASETS)
    assert bests(session) == {"PRK": 100, "IRN": 100, "BLR": 100}
    tamper(session)
    assert bests(session) == {"PRK": 1100, "IRN": 1100, "BLR": 1100}


def test_a_write_to_a_datasets_years_makes_its_rollup_stale(session: Session) -> None:
    ids = three_datasets(session)
    tamper(session)
    claim = T["claim"]
    session.execute(
        update(claim).where(claim.c.transfer_id == ids[0]).values(low=150, best=150, high=150)
    )
    session.commit()  # the claim's trigger deletes ds-a's years: its rollup is stale
    assert rolled(session) == {"ds-b", "ds-c"}
    assert bests(session) == {"PRK": 150, "IRN": 1100, "BLR": 1100}
    years = T["year_estimate"]
    session.execute(update(years).where(years.c.transfer_id == ids[1]).values(best=100))
    session.commit()  # a year row written by other means: stale too
    assert rolled(session) == {"ds-c"}
    assert bests(session) == {"PRK": 150, "IRN": 100, "BLR": 1100}
    assert not_rolled_up(session) == ["ds-a", "ds-b"]
    assert refresh_estimates(session) == 1  # ds-a's transfer; both rollups built again
    assert rolled(session) == set(DATASETS)
    assert bests(session) == {"PRK": 150, "IRN": 100, "BLR": 1100}
    build_rollups(session, ["ds-c"])
    session.commit()
    assert bests(session) == {"PRK": 150, "IRN": 100, "BLR": 100}


def test_the_rollup_of_a_dataset_with_grouped_transfers_is_not_read(session: Session) -> None:
    three_datasets(session)
    tamper(session)
    link = {"dataset_id": "ds-a", "kind": "same_as", "a_dataset": "ds-a", "a_key": "t-ds-a"}
    links = T["transfer_link"]
    session.execute(insert(links).values(**link, b_dataset="ds-b", b_key="t-ds-b"))
    session.commit()
    assert rolled(session) == set(DATASETS)  # current, but the query reads years instead
    # The group is pooled and named by its first member (ds-a's, from PRK): one estimate.
    assert bests(session) == {"PRK": 100, "BLR": 1100}
    session.execute(links.delete())
    session.commit()  # no group any more: every (tampered) rollup is read again
    assert bests(session) == {"PRK": 1100, "IRN": 1100, "BLR": 1100}


def test_answers_are_the_same_from_rollups_years_and_claims(session: Session) -> None:
    three_datasets(session)
    with_rollups = answers(session)
    session.execute(T["rolled_up_dataset"].delete())
    session.commit()
    assert answers(session) == with_rollups
    assert from_claims(session) == with_rollups


def test_a_load_builds_its_datasets_rollup(session: Session, tmp_path: Any) -> None:
    from fixture_cases import BUNDLED

    for path in BUNDLED:
        report = load_fixture(session, path)
        assert report.dataset in rolled(session)


def test_a_dataset_whose_sums_overflow_gets_no_rollup(session: Session) -> None:
    """Its load succeeds; queries read its years, and only a total that overflows raises."""
    big = [ClaimSpec("s-a", "exact", 2**62)]
    transfers = [TransferSpec(k, *YEAR, big) for k in ("a", "b")]
    transfers.append(TransferSpec("c", *YEAR, [ClaimSpec("s-a", a=100)], dataset="ds-b"))
    transfers[-1].supplier = "IRN"
    build(session, SOURCES, transfers)
    assert refresh_estimates(session) == 3
    assert rolled(session) == {"ds-b"}
    with pytest.raises(QueryOverflowError):
        transfers_by_year_and_category(session)
    session.rollback()
    rows = transfers_by_year_and_category(session, supplier="IRN", caveats=False)
    assert [r.best for r in rows] == [100]
