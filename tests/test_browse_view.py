"""The browse_claims view: one row per claim with its names resolved, on SQLite and
PostgreSQL, and served by Datasette as it is."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fixture_cases import BUNDLED
from sqlalchemy import Engine, func, inspect, select, text
from sqlmodel import Session

import sanctrack
from sanctrack import load_fixture
from sanctrack.db.engine import make_engine
from sanctrack.db.migrate import alembic_config
from sanctrack.models import Claim

VIEW = "browse_claims"


def _load_bundled(engine: Engine) -> None:
    for path in BUNDLED:
        with Session(engine) as session:
            load_fixture(session, path)


def _rows(engine: Engine, where: str = "") -> list[dict[str, Any]]:
    with engine.connect() as c:
        query = f"SELECT * FROM {VIEW} {where} ORDER BY dataset, transfer, claim_position"
        return [dict(r) for r in c.execute(text(query)).mappings()]


def test_one_row_per_claim_with_names(engine: Engine) -> None:
    _load_bundled(engine)
    with Session(engine) as session:
        claims = session.scalar(select(func.count()).select_from(Claim))
    rows = _rows(engine)
    assert len(rows) == claims
    shells = [
        r
        for r in rows
        if r["dataset"] == "msmt-2025-05-dprk-russia" and r["materiel"] == "artillery-ammunition"
    ]
    assert shells, "the MSMT dataset reports artillery ammunition"
    row = shells[0]
    assert (row["supplier_code"], row["recipient_code"]) == ("PRK", "RUS")
    assert row["supplier"] != row["supplier_code"]  # a name, not the code
    assert row["category"] == "artillery-ammunition"
    assert row["category_name"] and row["materiel_name"] and row["dataset_title"]
    assert row["source_id"] and row["reliability"] in "ABCDEF"
    assert set(rows[0]) >= {
        "transfer",
        "period",
        "qualifier",
        "low",
        "best",
        "high",
        "unit",
        "source_title",
        "source_publisher",
        "source_url",
        "effective_reliability",
        "credibility",
        "page",
        "paragraph",
        "figure",
        "quote",
    }


def test_the_view_goes_with_its_migration(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert VIEW in inspect(engine).get_view_names()
    assert VIEW not in inspect(engine).get_table_names()  # so models and migrations match
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0007")
    assert VIEW not in inspect(engine).get_view_names()
    engine.dispose()


def test_datasette_serves_the_view(tmp_path: Path) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    path = tmp_path / "sanctrack.db"
    engine = sanctrack.connect(str(f"sqlite:///{path}"))
    _load_bundled(engine)
    expected = _rows(engine)
    engine.dispose()

    async def fetch() -> tuple[Any, Any]:
        ds = datasette_app.Datasette([str(path)], immutables=[])
        listing = await ds.client.get("/sanctrack.json")
        rows = await ds.client.get(f"/sanctrack/{VIEW}.json?_shape=array&_size=max")
        return listing, rows

    listing, response = asyncio.run(fetch())
    assert listing.status_code == 200
    assert VIEW in [v["name"] for v in listing.json()["views"]]
    assert response.status_code == 200
    served = response.json()
    assert len(served) == len(expected)
    by_claim = {r["claim_id"]: r for r in served}
    first = expected[0]
    assert by_claim[first["claim_id"]]["supplier"] == first["supplier"]
    assert by_claim[first["claim_id"]]["source_title"] == first["source_title"]


@pytest.mark.parametrize("complete", [True, False])
def test_a_derived_claim_is_named_derived(engine: Engine, tmp_path: Path, complete: bool) -> None:
    """A Datasette user sees which figures were computed (0017), not read in a source."""
    from fixture_cases import write
    from test_capacity_claims import case

    with Session(engine) as session:
        load_fixture(session, write(tmp_path / "derived.yaml", case(complete=complete)))
    rows = _rows(engine)
    derived = [r for r in rows if r["transfer"] == "fuel"]
    assert [(r["derived_by"], bool(r["derivation_complete"])) for r in derived] == [
        ("capacity", complete)
    ]
    assert derived[0]["source_id"] == "analysis" and derived[0]["low"] > 0
    read = [r for r in rows if r["transfer"] != "fuel"]
    assert read and all(r["derived_by"] is None for r in read)
    assert all(r["derivation_complete"] is None for r in read)
    with Session(engine) as session:
        claims = session.scalar(select(func.count()).select_from(Claim))
    assert len(rows) == claims  # the outer join adds no row


def test_the_derived_columns_go_with_their_migration(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0017")
    assert {"derived_by", "derivation_complete"} <= _columns(engine)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0016")
    assert "derived_by" not in _columns(engine) and "quote" in _columns(engine)
    engine.dispose()


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(VIEW)}
