"""owners(): who owned, operated or managed a carrier over time; and the owners, and the
designated owners, of the carriers that carriers() and (un)designated_carriers() list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fixture_cases import write
from ownership_cases import owned
from sqlalchemy import Engine
from sqlmodel import Session

import sanctrack
from sanctrack import carriers, designated_carriers, owners, undesignated_carriers


@pytest.fixture
def session(engine: Engine, tmp_path: Path) -> Iterator[Session]:
    with Session(engine) as session:
        sanctrack.load_fixture(session, write(tmp_path / "owned.yaml", owned()))
        yield session


def test_owners_of_a_vessel_in_time_order(session: Session) -> None:
    rows = owners(session, vessel="ship").rows
    assert [(r.owner, r.role, r.period, r.source, r.link) for r in rows] == [
        ("captain", "ism_manager", None, "s1", "ship-manager"),  # undated: first
        ("airline", "registered_owner", "2019/2022", "s1", "ship-owner-1"),
        ("shipco", "registered_owner", "2023-02/..", "s2", "ship-owner-2"),
    ]
    sold = rows[2]
    assert (sold.asset_kind, sold.asset_name, sold.owner_kind, sold.owner_name) == (
        "vessel", "NEW NAME", "organisation", "Test shipping",
    )  # fmt: skip
    assert (str(sold.period_start), sold.period_end, sold.credibility) == ("2023-02-01", None, 6)
    assert sold.owner_designations == ("unsc-dprk@2023-01-10",)
    assert rows[0].owner_designations == ("unsc-dprk@2024-03-01",)  # the captain, a person


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"vessel": "old name"}, ["ship-manager", "ship-owner-1", "ship-owner-2"]),
        ({"vessel": "9074729", "roles": "registered_owner"}, ["ship-owner-1", "ship-owner-2"]),
        ({"vessel": "tanker"}, ["tanker-owner"]),
        ({"aircraft": "RA-00000"}, [None, "plane-operator"]),  # its operator field, then the link
        ({"aircraft": "plane", "roles": ["owner"]}, []),
        ({"organisation": "Test airline"}, ["airline-owner"]),
        ({"owner": "shipco"}, ["ship-owner-2", "tanker-owner"]),
        ({"owner": "A. Captain"}, ["airline-owner", "ship-manager"]),
        ({"owner": "airline", "roles": "operator"}, [None, "plane-operator"]),
        ({"datasets": "other"}, []),
        ({"vessel": "nothing"}, []),
    ],
)
def test_owners_filters(session: Session, kwargs: dict[str, object], expected: list[str]) -> None:
    assert [r.link for r in owners(session, **kwargs)] == expected  # type: ignore[arg-type]


def test_an_aircraft_operator_field_is_an_undated_unsourced_operator(session: Session) -> None:
    field, link = owners(session, aircraft="plane").rows
    assert (field.role, field.owner, field.period, field.source, field.link) == (
        "operator", "airline", None, None, None,
    )  # fmt: skip
    assert (link.period, link.source) == ("2024-01-05/2024-12", "s2")
    assert owners(session).sources == ["s1", "s2"]


def test_carriers_name_their_owners_and_the_designated_ones(session: Session) -> None:
    found = {r.carrier: (r.owners, r.designated_owners) for r in carriers(session)}
    assert found == {
        "ship": (
            (
                "captain (ism_manager)",
                "airline (registered_owner, 2019/2022)",
                "shipco (registered_owner, 2023-02/..)",
            ),
            ("captain: unsc-dprk@2024-03-01", "shipco: unsc-dprk@2023-01-10"),
        ),
        "tanker": (("shipco (owner)",), ("shipco: unsc-dprk@2023-01-10",)),
        "plane": (("airline (operator)", "airline (operator, 2024-01-05/2024-12)"), ()),
    }


def test_an_undesignated_carrier_with_a_designated_owner_says_so(session: Session) -> None:
    # The tanker carried t1 (a violation) and no regime lists it; its owner is listed.
    [tanker] = undesignated_carriers(session, category="artillery-ammunition").rows
    assert (tanker.carrier, tanker.designations) == ("tanker", ())
    assert tanker.designated_owners == ("shipco: unsc-dprk@2023-01-10",)
    [ship] = designated_carriers(session, category="artillery-ammunition").rows
    assert ship.carrier == "ship" and "shipco: unsc-dprk@2023-01-10" in ship.designated_owners
