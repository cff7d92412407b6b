"""The carrier tables keep their rules in the database: the IMO check digit, the shape of
each kind of movement, one entity per designation; and they go with their dataset."""

from __future__ import annotations

from datetime import date

import pytest
from carrier_strategies import check_digit, imo_numbers, wrong_imo_numbers
from hypothesis import given, settings
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from sanctrack.models import Dataset, Movement, Port, Vessel, VesselFlag, VesselName
from sanctrack.models.imo import imo_problem


@given(imo_numbers())
def test_valid_imo_numbers_pass(imo: str) -> None:
    assert imo_problem(imo) is None


@given(wrong_imo_numbers())
def test_wrong_check_digits_are_refused_with_the_right_digit(imo: str) -> None:
    problem = imo_problem(imo)
    assert problem is not None
    assert f"should be {check_digit(imo[:6])}" in problem


@pytest.mark.parametrize("text", ["907472", "90747290", "IMO9074729", "907472x"])
def test_imo_numbers_are_seven_digits(text: str) -> None:
    assert imo_problem(text) == (
        f"expected an IMO number of seven digits, such as 9074729, got {text!r}"
    )


def _dataset(session: Session, ident: str = "d") -> None:
    session.execute(insert(Dataset).values(id=ident, title="t", version="1"))


def _vessel(session: Session, imo: str | None, key: str = "v") -> int:
    result = session.execute(insert(Vessel).values(dataset_id="d", key=key, imo=imo))
    return int(result.inserted_primary_key[0])


@settings(max_examples=10, deadline=None)
@given(good=imo_numbers(), bad=wrong_imo_numbers())
def test_the_database_applies_the_check_digit(session: Session, good: str, bad: str) -> None:
    try:
        _dataset(session)
        _vessel(session, good)
        with pytest.raises(IntegrityError), session.begin_nested():
            _vessel(session, bad, key="w")
    finally:
        session.rollback()


def test_a_renamed_reflagged_vessel_is_one_vessel_going_with_its_dataset(
    session: Session,
) -> None:
    _dataset(session)
    vessel = _vessel(session, "9074729")
    for position, (name, start, end) in enumerate(
        [("OLD NAME", date(2019, 1, 1), date(2022, 12, 31)), ("NEW NAME", date(2023, 1, 1), None)]
    ):
        period = "2019/2022" if end else "2023/.."
        row = {"vessel_id": vessel, "period": period, "period_start": start, "period_end": end}
        session.execute(insert(VesselName).values(row | {"name": name, "position": position}))
        flag = "PAN" if end else "RUS"
        session.execute(insert(VesselFlag).values(row | {"state_code": flag, "position": position}))
    session.add(Port(locode="RUZZ3", name="Test port", country_code="RUS", dataset_id="d"))
    session.flush()
    session.execute(
        insert(Movement).values(
            dataset_id="d",
            key="m",
            kind="port_call",
            period="2024",
            vessel_id=vessel,
            port_locode="RUZZ3",
        )
    )
    assert session.scalar(select(func.count()).select_from(Vessel)) == 1
    assert session.scalar(select(func.count()).select_from(VesselName)) == 2
    session.execute(delete(Dataset).where(Dataset.id == "d"))  # type: ignore[arg-type]
    for table in (Vessel, VesselName, VesselFlag, Movement):
        assert session.scalar(select(func.count()).select_from(table)) == 0
    assert session.get(Port, "RUZZ3") is None  # the seeded ports stay
    session.rollback()


@pytest.mark.parametrize(
    "values",
    [
        {"kind": "port_call"},  # no port
        {"kind": "port_call", "port_locode": "RUZZ3", "to_locode": "RUZZ3"},
        {"kind": "flight"},  # a vessel, no aircraft
        {"kind": "ship_to_ship"},  # no second vessel
        {"kind": "voyage", "ais_status": "asleep"},
        {
            "kind": "voyage",
            "period_start": date(2024, 2, 1),
            "period_end": date(2024, 1, 1),
            "start_precision": "day",
            "end_precision": "day",
        },
    ],
)
def test_movements_keep_their_shape(session: Session, values: dict[str, object]) -> None:
    _dataset(session)
    vessel = _vessel(session, None)
    session.add(Port(locode="RUZZ3", name="Test port", country_code="RUS", dataset_id="d"))
    session.flush()
    with pytest.raises(IntegrityError):
        session.execute(
            insert(Movement).values(
                {"dataset_id": "d", "key": "m", "period": "2024", "vessel_id": vessel} | values
            )
        )
    session.rollback()
