"""The fixture section ``ownerships``: located validation, all-or-nothing loading, update in
place, removal with the dataset or an end, the export round trip (YAML and JSON Lines),
and the rules the table keeps itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from carrier_strategies import owned_sections
from fixture_cases import base, records, write
from hypothesis import HealthCheck, given, settings
from ownership_cases import owned
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from sanctrack import export_dataset, load_fixture, remove_dataset, validate_fixture, write_fixture
from sanctrack.errors import FixtureError
from sanctrack.models import Ownership


def load(engine: Engine, path: Path) -> Any:
    with Session(engine) as session:
        return load_fixture(session, path)


def links(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        query = select(
            Ownership.key, Ownership.role, Ownership.period, Ownership.period_start,
            Ownership.end_precision, Ownership.source_id, Ownership.credibility,
        ).order_by(Ownership.position)  # fmt: skip
        return [tuple(r) for r in session.execute(query)]


def count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(Ownership)) or 0)


def _errors(engine: Engine, path: Path) -> list[tuple[str | None, str | None, str]]:
    with pytest.raises(FixtureError) as caught, Session(engine) as session:
        load_fixture(session, path)
    return [(e.record, e.field, e.message) for e in caught.value.errors]


@pytest.mark.parametrize("suffix", [".yaml", ".jsonl"])
def test_ownerships_load_and_export_round_trip(engine: Engine, tmp_path: Path, suffix: str) -> None:
    report = load(engine, write(tmp_path / f"in{suffix}", owned()))
    assert report.counts["ownerships"]["created"] == 6
    assert links(engine)[:2] == [
        ("ship-owner-1", "registered_owner", "2019/2022", date(2019, 1, 1),
         "year", "s1", 2),
        ("ship-owner-2", "registered_owner", "2023-02/..", date(2023, 2, 1),
         None, "s2", 6),
    ]  # fmt: skip
    with Session(engine) as session:
        exported = export_dataset(session, "test-ds")
    assert exported.model_dump(mode="json")["ownerships"] == owned()["ownerships"]
    before = records(engine)
    again = load(engine, write_fixture(exported, tmp_path / f"out{suffix}"))
    assert not again.changed
    assert records(engine) == before


def test_a_corrected_file_updates_links_in_place(engine: Engine, tmp_path: Path) -> None:
    data = owned()
    load(engine, write(tmp_path / "a.yaml", data))
    with Session(engine) as session:
        first = session.scalar(select(Ownership.id).where(Ownership.key == "ship-owner-1"))
    data["ownerships"][0]["period"] = "2019/2021"
    data["ownerships"][0]["owner"] = {"person": "captain"}
    del data["ownerships"][3]  # tanker-owner
    report = load(engine, write(tmp_path / "b.yaml", data))
    assert report.counts["ownerships"] == {
        "created": 0,
        "updated": 3,
        "unchanged": 2,
        "removed": 1,
    }  # fmt: skip  (the two after the one removed move up a place)
    with Session(engine) as session:
        link = session.get(Ownership, first)
        assert link is not None and link.key == "ship-owner-1"
        assert (link.period, link.owner_person_id, link.owner_organisation_id) == (
            "2019/2021",
            session.scalar(select(func.min(Ownership.owner_person_id))),
            None,
        )
    assert count(engine) == 5


def test_links_go_with_their_dataset_and_their_ends(engine: Engine, tmp_path: Path) -> None:
    data = owned()
    load(engine, write(tmp_path / "a.yaml", data))
    data["persons"] = []  # the captain: with the links that name him
    data["designations"] = [d for d in data["designations"] if "person" not in d]
    data["ownerships"] = [o for o in data["ownerships"] if "captain" not in (*o["owner"].values(),)]
    report = load(engine, write(tmp_path / "b.yaml", data))
    assert report.counts["ownerships"]["removed"] == 2
    assert count(engine) == 4
    with Session(engine) as session:
        remove_dataset(session, "test-ds")
    assert count(engine) == 0


def test_bad_links_are_located_errors_and_nothing_is_loaded(engine: Engine, tmp_path: Path) -> None:
    data = owned()
    links_ = data["ownerships"]
    links_[0]["owner"] = {"organisation": "airlin"}
    links_[1]["asset"] = {"vessel": "tankr"}
    links_[2]["period"] = "2024-13"
    links_[3]["source"] = "s9"
    links_[4]["id"] = links_[5]["id"]
    assert _errors(engine, write(tmp_path / "a.yaml", data)) == [
        ("ownerships[0] (ship-owner-1)", "owner.organisation",
         "unknown organisation 'airlin': declare it in this file (did you mean 'airline'?)"),
        ("ownerships[1] (ship-owner-2)", "asset.vessel",
         "unknown vessel 'tankr': declare it in this file (did you mean 'tanker'?)"),
        ("ownerships[2] (ship-manager)", "period",
         "expected an EDTF period such as 2024, 2024-03, 2025-01/2025-03 or 2023-09/.. "
         "('2024-13' is not a real date (month must be in 1..12))"),
        ("ownerships[3] (tanker-owner)", "source",
         "unknown source 's9'"),
        ("ownerships[5] (airline-owner)", "id", "duplicate ownership 'airline-owner'"),
    ]  # fmt: skip
    assert count(engine) == 0
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Ownership)) == 0


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            {"owner": {"vessel": "ship"}},
            "ownerships[0].owner",
            "a vessel cannot own: an owner is an organisation or a person of this file",
        ),
        (
            {"owner": {"aircraft": "plane"}},
            "ownerships[0].owner",
            "an aircraft cannot own: an owner is an organisation or a person of this file",
        ),
        (
            {"asset": {"person": "captain"}},
            "ownerships[0].asset",
            "a person is not owned: an asset is a vessel, an aircraft or an "
            "organisation of this file",
        ),
        (
            {"owner": {"organisation": "airline", "person": "captain"}},
            "ownerships[0].owner",
            "expected exactly one of organisation, person",
        ),
        (
            {"owner": {"organisation": "airline"}, "asset": {"organisation": "airline"}},
            "ownerships[0]",
            "organisation 'airline' cannot own itself: name another owner or asset",
        ),
        (
            {"role": "landlord"},
            "ownerships[0].role",
            "expected 'owner', 'registered_owner', 'beneficial_owner', 'operator', "
            "'ship_manager', 'ism_manager' or 'commercial_manager', got 'landlord'",
        ),
    ],
)
def test_an_owner_or_asset_of_the_wrong_kind_is_a_located_error(
    tmp_path: Path, change: dict[str, Any], where: str, message: str
) -> None:
    data = owned()
    data["ownerships"][0] |= change
    with pytest.raises(FixtureError) as caught:
        validate_fixture(write(tmp_path / "a.yaml", data))
    assert [(e.field, e.message) for e in caught.value.errors] == [(where, message)]


def _ids(session: Session) -> dict[str, int]:
    from sanctrack.models import Organisation, Person, Vessel

    out = {}
    for model in (Vessel, Organisation, Person):
        for row in session.exec(select(model)).scalars():  # type: ignore[call-overload]
            out[f"{model.__tablename__}:{row.key}"] = row.id
    return out


@pytest.mark.parametrize(
    ("values", "check"),
    [
        ({"owner_organisation_id": "organisation:airline", "organisation_id":
          "organisation:airline"}, "not_itself"),
        ({"owner_organisation_id": "organisation:airline", "owner_person_id":
          "person:captain", "vessel_id": "vessel:ship"}, "one_owner"),
        ({"owner_person_id": "person:captain"}, "one_asset"),
        ({"owner_person_id": "person:captain", "vessel_id": "vessel:ship",
          "role": "landlord"}, "role"),
        ({"owner_person_id": "person:captain", "vessel_id": "vessel:ship",
          "period": "2024/2023", "period_start": "2024", "period_end": "2023",
          "start_precision": "year", "end_precision": "year"}, "start_before_end"),
    ],
)  # fmt: skip
def test_the_table_keeps_its_rules(
    engine: Engine, tmp_path: Path, values: dict[str, str], check: str
) -> None:
    load(engine, write(tmp_path / "a.yaml", owned()))
    with Session(engine) as session:
        ids = _ids(session)
        row: dict[str, Any] = {
            "dataset_id": "test-ds", "key": "new", "role": "owner", "source_id": "s1",
            "position": 99, "credibility": 6,
        }  # fmt: skip
        for column, value in values.items():
            row[column] = ids.get(value, value)
        if "period_start" in row:
            row["period_start"], row["period_end"] = date(2024, 1, 1), date(2023, 12, 31)
        with pytest.raises(IntegrityError) as caught:
            session.execute(insert(Ownership).values(row))
        assert f"ck_ownership_{check}" in str(caught.value)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sections=owned_sections("s1"))
def test_generated_ownerships_round_trip(
    engine: Engine, tmp_path: Path, sections: dict[str, Any]
) -> None:
    data = base() | sections
    report = load(engine, write(tmp_path / "gen.yaml", data))
    assert report.counts.get("ownerships", {}).get("created", 0) == len(sections["ownerships"])
    before = records(engine)
    with Session(engine) as session:
        exported = export_dataset(session, "test-ds")
    assert exported.model_dump(mode="json").get("ownerships", []) == [
        {k: v for k, v in o.items() if (k, v) not in (("credibility", 6), ("role", "owner"))}
        for o in sections["ownerships"]
    ]
    again = load(engine, write_fixture(exported, tmp_path / "gen-out.jsonl"))
    assert not again.changed, report
    assert records(engine) == before
    with Session(engine) as session:
        remove_dataset(session, "test-ds")
    assert count(engine) == 0


def test_the_readme_example_of_ownerships_validates(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "fixtures" / "README.md").read_text(encoding="utf-8")
    [block] = [b for b in text.split("```yaml\n")[1:] if "\nownerships:" in b.split("```")[0]]
    example = yaml.safe_load(block.split("```")[0])
    del example["transfers"]  # the README abridges its transfer
    example["dataset"] = {"id": "readme-ownerships", "title": "README example", "version": "1"}
    example["sources"] = [
        {"id": "example-report", "kind": "report"},
        {"id": "example-list", "kind": "official_statement"},
    ]
    assert validate_fixture(write(tmp_path / "readme.yaml", example)) == 0
    assert [o["role"] for o in example["ownerships"]] == ["registered_owner", "beneficial_owner"]


@pytest.mark.parametrize("end", ["start", "end"])
def test_a_day_without_its_precision_is_refused(engine: Engine, tmp_path: Path, end: str) -> None:
    """The precision checks say IS NOT NULL: a CHECK passes on NULL, so an ``IN`` or OR list
    alone would let a day through without its precision."""
    load(engine, write(tmp_path / "a.yaml", owned()))
    with Session(engine) as session:
        ids = _ids(session)
        row: dict[str, Any] = {
            "dataset_id": "test-ds", "key": "new", "role": "owner", "source_id": "s1",
            "position": 99, "credibility": 6, "owner_person_id": ids["person:captain"],
            "vessel_id": ids["vessel:ship"], "period": "2024", "period_start": date(2024, 1, 1),
            "period_end": date(2024, 12, 31), "start_precision": "year", "end_precision": "year",
        }  # fmt: skip
        row[f"{end}_precision"] = None
        with pytest.raises(IntegrityError) as caught:
            session.execute(insert(Ownership).values(row))
        assert f"ck_ownership_{end}_precision" in str(caught.value)
