"""movements, carriers, designated_carriers and undesignated_carriers on a small dataset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from carrier_cases import carriers as carrier_data
from fixture_cases import write
from sqlalchemy import Engine
from sqlmodel import Session

import sanctrack
from sanctrack import carriers, designated_carriers, movements, undesignated_carriers


@pytest.fixture
def session(engine: Engine, tmp_path: Path) -> Iterator[Session]:
    with Session(engine) as session:
        sanctrack.load_fixture(session, write(tmp_path / "carriers.yaml", carrier_data()))
        yield session


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, ["sts-1", "voyage-1", "call-1", "flight-1"]),
        ({"vessel": "ship"}, ["sts-1", "voyage-1", "call-1"]),
        ({"vessel": "old name"}, ["sts-1", "voyage-1", "call-1"]),  # any name it bore
        ({"vessel": "9074729"}, ["sts-1", "voyage-1", "call-1"]),  # its IMO number
        ({"vessel": "tanker"}, ["sts-1"]),  # the second vessel
        ({"vessel": "nothing"}, []),
        ({"port": "ruzz3"}, ["voyage-1", "call-1"]),
        ({"port": "KPZZ2"}, ["voyage-1"]),
        ({"years": 2024}, ["sts-1", "voyage-1", "call-1", "flight-1"]),
        ({"years": [2023, 2025]}, []),
        ({"vessel": "ship", "port": "RUZZ3", "years": "2024"}, ["voyage-1", "call-1"]),
    ],
)
def test_movements_timeline(
    session: Session, kwargs: dict[str, object], expected: list[str]
) -> None:
    result = movements(session, **kwargs)  # type: ignore[arg-type]
    assert [r.movement for r in result] == expected


def test_a_movement_row_says_what_happened(session: Session) -> None:
    (voyage,) = [r for r in movements(session) if r.movement == "voyage-1"]
    assert (voyage.kind, voyage.ais_status, voyage.from_port, voyage.to_port) == (
        "voyage",
        "dark",
        "KPZZ2",
        "RUZZ3",
    )
    assert voyage.names == ("OLD NAME", "NEW NAME") and voyage.sources == ("s1",)
    assert str(voyage.period_start) == "2024-03-01" and str(voyage.period_end) == "2024-04-30"


def _found(result: sanctrack.QueryResult[sanctrack.CarrierRow]) -> dict[str, tuple[object, ...]]:
    return {r.carrier: (r.kind, r.transfers, r.transfer_count, r.sources) for r in result}


def test_carriers_link_voyages_and_carriers_to_transfers(session: Session) -> None:
    found = _found(carriers(session))
    assert found == {
        # through voyage-1, which carried t1 (source s1)
        "ship": ("vessel", ("test-ds/t1",), 1, ("s1",)),
        "tanker": ("vessel", ("test-ds/t1",), 1, ("s2",)),
        "plane": ("aircraft", ("test-ds/t2",), 1, ("s1",)),
    }
    ship = next(r for r in carriers(session) if r.carrier == "ship")
    assert (ship.name, ship.identifier, ship.designations) == (
        "NEW NAME",
        "9074729",
        ("unsc-dprk@2024-03-01",),
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"recipient": "Russia"}, {"ship", "tanker", "plane"}),
        ({"supplier": "RUS"}, set()),  # t3 went by no carrier
        ({"category": "artillery-ammunition"}, {"ship", "tanker"}),
    ],
)
def test_carriers_follow_the_transfer_filters(
    session: Session, filters: dict[str, str], expected: set[str]
) -> None:
    assert set(_found(carriers(session, **filters))) == expected  # type: ignore[arg-type]


def test_designated_and_undesignated_carriers_of_sanctioned_transfers(
    session: Session,
) -> None:
    # t1 violates a provision (its claim says so): its carriers are ship and tanker.
    designated = _found(designated_carriers(session, category="artillery-ammunition"))
    undesignated = _found(undesignated_carriers(session, category="artillery-ammunition"))
    assert set(designated) == {"ship"}
    assert set(undesignated) == {"tanker"}


def test_a_designation_in_another_dataset_counts_by_imo_number(
    session: Session, tmp_path: Path
) -> None:
    data = carrier_data()
    data["vessels"][1]["imo"] = "1234567"
    sanctrack.load_fixture(session, write(tmp_path / "again.yaml", data))
    assert "tanker" in _found(undesignated_carriers(session, category="artillery-ammunition"))
    listing = {
        "dataset": {"id": "a-list", "title": "A list", "version": "1"},
        "sources": [{"id": "the-list", "kind": "official_statement"}],
        "vessels": [{"id": "listed", "imo": 1234567}],
        "designations": [
            {
                "vessel": "listed",
                "regime": "unsc-dprk",
                "listed": "2025-01-02",
                "source": "the-list",
            }
        ],
    }
    sanctrack.load_fixture(session, write(tmp_path / "list.yaml", listing))
    designated = designated_carriers(session, category="artillery-ammunition")
    assert {r.carrier: r.designations for r in designated} == {
        "ship": ("unsc-dprk@2024-03-01",),
        "tanker": ("unsc-dprk@2025-01-02",),
    }
    assert list(undesignated_carriers(session, category="artillery-ammunition")) == []
