"""Export: a dataset written back out as a fixture loads into a fresh database as the same
records, in every format; and loads back into its own database as no change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixture_cases import MSMT, NATO, base, records, write
from sqlalchemy import Engine
from sqlmodel import Session

import sanctrack
from sanctrack import UnknownDatasetError, export_dataset, load_fixture, write_fixture


def load(engine: Engine, path: Path) -> sanctrack.LoadReport:
    with Session(engine) as session:
        return load_fixture(session, path)


def rich() -> dict[str, Any]:
    """BASE with every quantity form, a locator, a quote, violations, and a citation of
    another dataset's source."""
    data = base()
    data["sources"][1]["cites"] = "nato-2024-10-28-statement"
    data["sources"][0]["url"] = "https://example.org/report"
    forms: list[dict[str, Any] | None] = [
        {"exact": 7},
        {"at_least": 8},
        {"more_than": 9},
        {"between": [1, 2**63 - 1], "best": 5},
        {"between": [0, 0]},
        None,
    ]
    for i, quantity in enumerate(forms):
        data["transfers"].append(
            {
                "id": f"q{i}",
                "supplier": "Corea del Nord",
                "recipient": "RUS",
                "materiel": "ballistic-missiles",
                "period": f"../2024-0{i + 1}-1{i}",
                "status": "denied",
                "description": f"quantity form {i}",
                "claims": [
                    {
                        "source": "s1",
                        "quantity": quantity,
                        "unit": "missiles",
                        "locator": {"page": "1", "paragraph": str(i), "figure": "f"},
                        "credibility": 1 + i,
                        "quote": "«citation»",
                        "violates": ["unsc-1718-op8b", "unsc-1874-op10"],
                    },
                    {"source": "news-it-nato-2024-10-28", "unit": "launchers"},
                ],
            }
        )
    return data


@pytest.fixture
def fresh(backend: str, tmp_path: Path, postgres: Any) -> Iterator[Engine]:
    """A second empty database on the same backend."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}" if backend == "sqlite" else postgres.create()
    engine = sanctrack.connect(url)
    yield engine
    engine.dispose()
    if backend != "sqlite":
        postgres.drop(url)


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_export_then_load_into_a_fresh_database_gives_the_same_records(
    engine: Engine, fresh: Engine, tmp_path: Path, fmt: str
) -> None:
    for path in (NATO, MSMT):
        load(engine, path)
    load(engine, write(tmp_path / "rich.yaml", rich()))
    exported = []
    with Session(engine) as session:  # NATO first: test-ds cites its sources
        for dataset in ("nato-2024-10-28", "msmt-2025-05-dprk-russia", "test-ds"):
            exported.append(
                write_fixture(
                    export_dataset(session, dataset), tmp_path / f"{dataset}.export.{fmt}"
                )
            )
    for path in exported:
        report = load(fresh, path)
        assert report.created > 0 and report.updated == report.removed == 0
    assert records(fresh) == records(engine)
    # and each export is, for the database it came from, no change at all
    for path in exported:
        assert not load(engine, path).changed
    # exporting the copy gives the same fixture
    with Session(engine) as a, Session(fresh) as b:
        for dataset in ("nato-2024-10-28", "msmt-2025-05-dprk-russia", "test-ds"):
            assert export_dataset(a, dataset) == export_dataset(b, dataset)


def test_export_keeps_what_the_fixture_said(engine: Engine, tmp_path: Path) -> None:
    load(engine, NATO)
    load(engine, write(tmp_path / "rich.yaml", rich()))
    with Session(engine) as session:
        fixture = export_dataset(session, "test-ds")
    assert fixture.dataset.id == "test-ds"
    assert [t.id for t in fixture.transfers] == ["t1", "t2", "t3", *(f"q{i}" for i in range(6))]
    q3 = fixture.transfers[6]
    assert q3.supplier == "PRK"  # names are stored as ISO codes
    assert q3.period == "../2024-04-13"
    assert q3.claims[0].quantity is not None
    assert q3.claims[0].quantity.bounds() == ("between", 1, 5, 2**63 - 1)
    assert q3.claims[0].violates == ["unsc-1718-op8b", "unsc-1874-op10"]
    assert q3.claims[1].quantity is None
    t3 = fixture.transfers[2]
    assert [c.unit for c in t3.claims] == ["rounds", "rounds"]  # the default unit, made explicit
    assert [a.model_dump(exclude_none=True) for a in fixture.sources[0].authors] == [
        {"organisation": "Test team"},
        {"state": "AUS"},
    ]


def test_exporting_an_unknown_dataset(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(UnknownDatasetError) as caught:
        export_dataset(session, "nope")
    assert isinstance(caught.value, sanctrack.SanctrackError)
    assert isinstance(caught.value, LookupError)
    assert "Unknown dataset 'nope'" in str(caught.value)


def test_write_fixture_refuses_unknown_suffixes(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "t.yaml", base()))
    with Session(engine) as session:
        fixture = export_dataset(session, "test-ds")
    with pytest.raises(sanctrack.SanctrackError):
        write_fixture(fixture, tmp_path / "out.txt")
