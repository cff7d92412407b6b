"""Stored estimates (sanctrack.queries.stored): a query gives the same rows whether the
estimates are stored or not, and any write that changes what an estimate reads makes the
query estimate that transfer from its claims again (the triggers of migration 0004)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from builders import ClaimSpec, TransferSpec, build, clear
from fixture_cases import BUNDLED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, insert, select, text, update
from sqlmodel import Session
from strategies import SOURCES, transfer_lists

import sanctrack
from sanctrack import load_fixture, refresh_estimates
from sanctrack.models import metadata
from sanctrack.queries import transfers_by_year_and_category
from sanctrack.queries.stored import any_unstored, forget_estimates, store_estimates

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
T = metadata.tables
#: Query options: some the stored estimates answer, some they don't.
ASKS: list[dict[str, Any]] = [
    {},
    {"level": "leaf"},
    {"years": [2023, 2024]},
    {"supplier": "PRK", "status": ["reported", "pledged"]},
    {"datasets": ["ds-b"]},
    {"claim_policy": "most_reliable"},
    {"year_split": "start"},
    {"min_reliability": "B"},
    {"materiel": ["troops", "artillery-ammunition"], "category": "ammunition"},
]


def answers(session: Session) -> list[Any]:
    """Every ask's rows and caveats, comparable."""
    out = []
    for ask in ASKS:
        result = transfers_by_year_and_category(session, **ask)
        out.append(([r.model_dump() for r in result], [c.model_dump() for c in result.caveats]))
    return out


def from_claims(session: Session) -> list[Any]:
    """The answers with nothing stored (every transfer estimated from its claims)."""
    forget_estimates(session)
    session.commit()
    return answers(session)


def stored(session: Session) -> set[int]:
    return set(session.execute(select(T["estimated_transfer"].c.transfer_id)).scalars())


def with_claims(session: Session) -> set[int]:
    return set(session.execute(select(T["claim"].c.transfer_id)).scalars())


@SETTINGS
@given(transfers=transfer_lists())
def test_stored_and_unstored_estimates_give_the_same_rows(
    session: Session,
    transfers: list,  # type: ignore[type-arg]
) -> None:
    clear(session)
    build(session, SOURCES, transfers)
    assert stored(session) == set()
    unstored = answers(session)
    assert refresh_estimates(session) == len(with_claims(session))
    assert stored(session) == with_claims(session)
    rollups = select(T["rolled_up_dataset"].c.dataset_id)
    assert set(session.execute(rollups).scalars()) == {"ds-a", "ds-b"}  # read below
    assert refresh_estimates(session) == 0  # nothing left to store
    assert answers(session) == unstored
    assert from_claims(session) == unstored


def _delete_claim(session: Session, claim: Any) -> bool:
    session.execute(delete(T["claim"]).where(T["claim"].c.id == claim.id))
    return True


def _add_claim(session: Session, claim: Any) -> bool:
    c = T["claim"]
    last = session.execute(
        select(func.max(c.c.position)).where(c.c.transfer_id == claim.transfer_id)
    ).scalar_one()
    values = {k: v for k, v in claim._mapping.items() if k != "id"}
    session.execute(insert(c).values({**values, "position": last + 1, "source_id": "s-a"}))
    return True


def _raise_figure(session: Session, claim: Any) -> bool:
    c = T["claim"]
    if claim.low is None:
        return False
    values = {"low": c.c.low + 7, "best": c.c.best + 7}
    if claim.high is not None:
        values["high"] = c.c.high + 7
    session.execute(update(c).where(c.c.id == claim.id).values(values))
    return True


def _source_reliability(session: Session, claim: Any) -> bool:
    s = T["source"]
    was = session.execute(select(s.c.reliability).where(s.c.id == claim.source_id)).scalar()
    worst = {"reliability": "F", "effective_reliability": "F"}
    session.execute(update(s).where(s.c.id == claim.source_id).values(worst))
    return bool(was != "F")


def _source_published(session: Session, claim: Any) -> bool:
    s = T["source"]
    was = session.execute(select(s.c.published).where(s.c.id == claim.source_id)).scalar()
    undated = {"published": None, "published_first": None, "published_last": None}
    session.execute(update(s).where(s.c.id == claim.source_id).values(undated))
    return was is not None


def _longer_period(session: Session, claim: Any) -> bool:
    t = T["transfer"]
    end = session.execute(select(t.c.period_end).where(t.c.id == claim.transfer_id)).scalar_one()
    if end is None:
        return False
    later = end + timedelta(days=400)
    session.execute(update(t).where(t.c.id == claim.transfer_id).values(period_end=later))
    return True


CHANGES = {
    "delete a claim": _delete_claim,
    "add a claim": _add_claim,
    "change a figure": _raise_figure,
    "change a source's reliability": _source_reliability,
    "change a source's date": _source_published,
    "change a transfer's period": _longer_period,
}


@SETTINGS
@given(
    transfers=transfer_lists(),
    change=st.sampled_from(sorted(CHANGES)),
    pick=st.integers(0, 10**6),
)
def test_a_change_to_what_an_estimate_reads_forgets_it(
    session: Session,
    transfers: list,  # type: ignore[type-arg]
    change: str,
    pick: int,
) -> None:
    clear(session)
    build(session, SOURCES, transfers)
    refresh_estimates(session)
    claims = session.execute(select(T["claim"]).order_by(T["claim"].c.id)).all()
    claim = claims[pick % len(claims)]
    changed = CHANGES[change](session, claim)
    session.commit()
    if change.startswith("change a source's"):
        touched = set(
            session.execute(
                select(T["claim"].c.transfer_id).where(T["claim"].c.source_id == claim.source_id)
            ).scalars()
        )
    else:
        touched = {claim.transfer_id}
    if changed:
        assert not touched & stored(session), f"{change}: a stale estimate is still stored"
    orphans = select(T["year_estimate"].c.transfer_id).where(
        T["year_estimate"].c.transfer_id.not_in(select(T["estimated_transfer"].c.transfer_id))
    )
    assert session.execute(orphans).first() is None
    now = answers(session)
    assert from_claims(session) == now


def test_loading_stores_the_estimates_of_what_it_loads(session: Session) -> None:
    for path in BUNDLED:
        load_fixture(session, path)
    assert stored(session) == with_claims(session)
    conflicting = session.execute(
        select(T["estimated_transfer"].c.transfer_id).where(
            T["estimated_transfer"].c.conflicting.is_(True)
        )
    ).all()
    # The MSMT's transfers that NATO also reports are pooled with NATO's, from their claims.
    assert any_unstored(session) and not conflicting
    loaded = answers(session)
    assert from_claims(session) == loaded
    assert not any_unstored(session) or stored(session) == set()
    # A reload that changes nothing stores what is missing (on PostgreSQL, its dataset's).
    for path in BUNDLED:
        assert not load_fixture(session, path).changed
    assert stored(session) == with_claims(session)


def test_a_migrated_database_is_answered_from_the_claims_until_refreshed(
    db_url: str,
) -> None:
    from test_migrations import _at

    engine = sanctrack.connect(db_url)
    with Session(engine) as session:
        for path in BUNDLED:
            load_fixture(session, path)
    with engine.begin() as connection:  # revisions below 0006 cannot hold them
        violation = T["violation"]
        connection.execute(violation.delete().where(violation.c.regime_id.is_not(None)))
    _at(engine, "0003", "downgrade")
    _at(engine, "head")
    with Session(engine) as session:
        assert stored(session) == set()
        unstored = answers(session)
        assert refresh_estimates(session) == len(with_claims(session))
        assert answers(session) == unstored
    engine.dispose()


def test_the_triggers_exist(session: Session) -> None:
    """Five triggers forget estimates, one forgets deleted transfers' notes, three mark
    rollups stale (SQLite's schema table, PostgreSQL's catalogue)."""
    if session.get_bind().dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'sanctrack_%'"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    names = set(session.execute(text(query)).scalars())
    kinds = ("claim_insert", "claim_update", "claim_delete", "transfer_update", "source_update")
    unroll = {f"sanctrack_unroll_year_{n}" for n in ("insert", "update", "delete")}
    forget = {f"sanctrack_forget_{n}" for n in kinds}
    assert names == forget | {"sanctrack_unnote_transfer_delete"} | unroll


@pytest.mark.parametrize("dataset", ["ds-a", None])
def test_storing_one_dataset_leaves_the_others(session: Session, dataset: str | None) -> None:
    year = (date(2024, 1, 1), date(2024, 12, 31))
    a = TransferSpec("t-a", *year, [ClaimSpec("s-a")])
    b = TransferSpec("t-b", *year, [ClaimSpec("s-f")], dataset="ds-b")
    ids = build(session, SOURCES, [a, b])
    assert store_estimates(session, dataset=dataset) == (1 if dataset else 2)
    session.commit()
    assert stored(session) == ({ids[0]} if dataset else set(ids))


def test_a_chain_change_forgets_the_estimates_it_changes(
    session: Session, tmp_path: Any, engine: Any
) -> None:
    """An article that now cites a worse wire becomes worse (its effective reliability),
    so another claim gives the best: the stale stored estimate must not answer."""
    from fixture_cases import write

    data: dict[str, Any] = {
        "dataset": {"id": "chain", "title": "Chain", "version": "1"},
        "sources": [
            {"id": "report", "kind": "report", "reliability": "A"},
            {"id": "wire", "kind": "news_article", "reliability": "E"},
            {"id": "article", "kind": "news_article", "reliability": "B", "cites": "report"},
            {"id": "other", "kind": "report", "reliability": "C"},
        ],
        "transfers": [
            {
                "id": "t1",
                "supplier": "PRK",
                "recipient": "RUS",
                "materiel": "troops",
                "period": "2024",
                "claims": [
                    {"source": "article", "quantity": {"about": 100}, "unit": "personnel"},
                    {"source": "other", "quantity": {"about": 200}, "unit": "personnel"},
                ],
            }
        ],
    }

    def best() -> list[int]:
        session.commit()
        return [r.best for r in transfers_by_year_and_category(session, caveats=False)]

    load_fixture(session, write(tmp_path / "chain.yaml", data))
    assert stored(session) == with_claims(session)
    assert best() == [100]
    data["sources"][2]["cites"] = "wire"
    with Session(engine) as other:  # the loader forgets t1's estimate, then stores it anew
        load_fixture(other, write(tmp_path / "chain.yaml", data))
    assert best() == [200]
    assert from_claims(session) == answers(session)
