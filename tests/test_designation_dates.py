"""Designations listed on a date of month or year precision ("designated in March 2018"):
kept as given, ordered by their first day, exported back, labelled in the queries and sent
to FollowTheMoney as a partial date; the migration that adds them keeps existing days."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from carrier_cases import carriers
from fixture_cases import write
from sqlalchemy import Engine, text
from sqlmodel import Session
from test_migrations import _at, _query

import sanctrack
from sanctrack import designated_carriers, export_dataset
from sanctrack.errors import FixtureError


def _listed(data: dict[str, Any], *dates: str) -> dict[str, Any]:
    for designation, day in zip(data["designations"], dates, strict=True):
        designation["listed"] = day
    return data


def _load(session: Session, path: Path) -> Any:
    return sanctrack.load_fixture(session, path)


def test_a_month_is_kept_as_given(session: Session, tmp_path: Path) -> None:
    _load(session, write(tmp_path / "a.yaml", _listed(carriers(), "2018-03", "2019")))
    exported = export_dataset(session, "test-ds")
    assert sorted(d.listed for d in exported.designations) == ["2018-03", "2019"]
    rows = session.execute(text("SELECT listed, listed_as FROM designation ORDER BY listed_as"))
    assert [(str(day), given) for day, given in rows] == [
        ("2018-03-01", "2018-03"),
        ("2019-01-01", "2019"),
    ]
    designated = designated_carriers(session, category="artillery-ammunition")
    assert {r.carrier: r.designations for r in designated} == {"ship": ("unsc-dprk@2018-03",)}


def test_a_day_given_later_updates_in_place(session: Session, tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", _listed(carriers(), "2018-03", "2019"))
    _load(session, path)
    report = _load(session, write(path, _listed(carriers(), "2018-03-30", "2019")))
    assert report.changed
    exported = export_dataset(session, "test-ds")
    assert sorted(d.listed for d in exported.designations) == ["2018-03-30", "2019"]
    assert not _load(
        session, write(tmp_path / "b.yaml", _listed(carriers(), "2018-03-30", "2019"))
    ).changed


def test_ftm_gets_the_partial_date(session: Session, tmp_path: Path) -> None:
    pytest.importorskip("followthemoney")
    from sanctrack.ftm import export_entities

    _load(session, write(tmp_path / "a.yaml", _listed(carriers(), "2018-03", "2019~")))
    sanctions = [e["properties"] for e in export_entities(session) if e["schema"] == "Sanction"]
    assert sorted(s["listingDate"][0] for s in sanctions) == ["2018-03", "2019"]


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        ("2018-13", "'2018-13' is not a real date"),
        ("2018-03/2018-04", "not an interval, got '2018-03/2018-04'"),
        ("March 2018", "expected a date such as 2024-10-28, a month such as 2024-01"),
    ],
)
def test_a_bad_listing_date_is_a_located_error(
    engine: Engine, tmp_path: Path, listed: str, expected: str
) -> None:
    path = write(tmp_path / "a.yaml", _listed(carriers(), listed, "2019"))
    with pytest.raises(FixtureError) as caught, Session(engine) as session:
        _load(session, path)
    [issue] = caught.value.errors
    assert issue.field == "designations[0].listed" and issue.line is not None
    assert expected in issue.message


def test_0015_keeps_days_and_refuses_to_drop_months(db_url: str, tmp_path: Path) -> None:
    engine = sanctrack.connect(db_url)
    with Session(engine) as session:
        _load(session, write(tmp_path / "a.yaml", _listed(carriers(), "2018-03-30", "2019-02-01")))
    _at(engine, "0010", "downgrade")
    _at(engine, "head")
    assert _query(engine, "SELECT listed_as FROM designation ORDER BY listed_as") == [
        ("2018-03-30",),
        ("2019-02-01",),
    ]
    with Session(engine) as session:
        _load(session, write(tmp_path / "a.yaml", _listed(carriers(), "2018-03", "2019-02-01")))
    with pytest.raises(RuntimeError, match="1 designation\\(s\\) have a listing date of month"):
        _at(engine, "0010", "downgrade")
    assert _query(engine, "SELECT COUNT(*) FROM designation") == [(2,)]
    engine.dispose()
