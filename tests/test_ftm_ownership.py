"""FollowTheMoney Ownership entities: exported with their ends, roles, dates and sources,
valid followthemoney, imported back (a source per sourceUrl), and the Ownerships an
import cannot link skipped and counted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixture_cases import write
from followthemoney import model
from followthemoney.util import make_entity_id
from ftm_ownership_compare import owned_links
from ownership_cases import owned
from sqlmodel import Session

import sanctrack
from sanctrack.errors import FixtureError
from sanctrack.ftm import export_entities, import_entities, write_entities


def _data() -> dict[str, Any]:
    data = owned()
    data["sources"][0] |= {"url": "https://example.org/report", "publisher": "Test team"}
    return data


@pytest.fixture
def loaded(session: Session, tmp_path: Path) -> Session:
    sanctrack.load_fixture(session, write(tmp_path / "owned.yaml", _data()))
    return session


#: The schemata whose links to entities are in their range (an Event's ``involved`` is
#: a LegalEntity, which a vessel is not: not this test's concern).
LINKED = ("Ownership", "Vessel", "Airplane")


def _id(kind: str, key: str) -> str:
    return make_entity_id("sanctrack", "test-ds", kind, key)


def test_links_are_ownership_entities(loaded: Session) -> None:
    entities = list(export_entities(loaded, "test-ds"))
    ids = {e["id"] for e in entities}
    by_id = {e["id"]: e for e in entities}
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None and schema.validate(entity) is None, entity
        for name, values in entity["properties"].items():
            prop = schema.get(name)
            assert prop is not None and [prop.type.clean(v) for v in values] == values
            if prop.type.name != "entity":
                continue
            assert set(values) <= ids, (name, values)
            if entity["schema"] in LINKED:  # an Asset owned, a LegalEntity owning
                schemata = [model.get(by_id[v]["schema"]) for v in values]
                assert all(s is not None and s.is_a(prop.range) for s in schemata), name
    first = by_id[_id("ownership", "ship-owner-1")]["properties"]
    assert first == {
        "owner": [_id("organisation", "airline")],
        "asset": [_id("vessel", "ship")],
        "role": ["Registered owner"],
        "startDate": ["2019"],
        "endDate": ["2022"],
        "recordId": ["test-ds/ship-owner-1"],
        "sourceUrl": ["https://example.org/report"],
        "publisher": ["Test team"],
    }
    sold = by_id[_id("ownership", "ship-owner-2")]["properties"]
    assert (sold["startDate"], "endDate" in sold, sold["description"]) == (
        ["2023-02"], False, ["sold in February 2023"],
    )  # fmt: skip
    assert by_id[_id("organisation", "airline")]["schema"] == "Company"  # owned: an Asset
    assert by_id[_id("organisation", "shipco")]["schema"] == "Organization"
    ship = by_id[_id("vessel", "ship")]["properties"]
    assert sorted(ship["owner"]) == sorted(
        [_id("organisation", "airline"), _id("organisation", "shipco")]
    )
    assert "operator" not in ship  # the captain is its ISM manager: an Ownership only
    plane = by_id[_id("aircraft", "plane")]["properties"]
    assert plane["operator"] == [_id("organisation", "airline")]


def test_export_then_import_gives_the_same_links(loaded: Session, tmp_path: Path) -> None:
    path = tmp_path / "out.ftm.jsonl"
    write_entities(loaded, path, "test-ds")
    result = import_entities(loaded, path, dataset="imported")
    assert result.read["Ownership"] == 6 and result.unlinked == 0
    original = sanctrack.export_dataset(loaded, "test-ds")
    imported = sanctrack.export_dataset(loaded, "imported")
    assert owned_links(imported) == owned_links(original)
    assert len(owned_links(original)) == 6  # the test compares something
    assert [(s.id, s.url, s.publisher) for s in imported.sources] == [
        ("imported-ftm-source-1", "https://example.org/report", "Test team"),
        ("imported-ftm-source-2", None, None),  # s2 has no URL: the file is the source
    ]
    again = import_entities(loaded, path, dataset="imported")
    assert str(again).startswith("imported: unchanged")


def _lines(*entities: dict[str, Any]) -> str:
    return "".join(json.dumps(e) + "\n" for e in entities)


def _e(ident: str, schema: str, **props: Any) -> dict[str, Any]:
    return {"id": ident, "schema": schema, "properties": props}


def test_roles_dates_and_unlinked_ownerships_on_import(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "os.ftm.jsonl"
    path.write_text(
        _lines(
            _e("v", "Vessel", name=["SEA"]),
            _e("c", "Company", name=["Co"]),
            _e("p", "Person", name=["Pat"]),
            _e("o1", "Ownership", owner=["c"], asset=["v"], role=["ISM Manager"],
               startDate=["2019-03-05T00:00:00"], sourceUrl=["https://example.org/a"]),
            _e("o2", "Ownership", owner=["p"], asset=["c"], role=["Shareholder"],
               startDate=["2020"], endDate=["2021-06"]),
            _e("o3", "Ownership", owner=["p"], asset=["elsewhere"]),
            _e("o4", "Ownership", asset=["v"]),
            _e("o5", "Ownership", owner=["v"], asset=["c"]),  # a vessel owns nothing here
        ),
        encoding="utf-8",
    )  # fmt: skip
    result = import_entities(session, path, dataset="os")
    assert result.unlinked == 3
    assert str(result).endswith("; skipped 3 Ownership whose owner or asset is not imported")
    links = sanctrack.export_dataset(session, "os").ownerships
    assert [(o.owner.ref(), o.asset.ref(), o.role, o.period) for o in links] == [
        (("organisation", "c"), ("vessel", "v"), "ism_manager", "2019-03-05/.."),
        (("person", "p"), ("organisation", "c"), "owner", "2020/2021-06"),
    ]


def test_a_bad_ownership_date_is_located_at_its_line(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "bad.ftm.jsonl"
    path.write_text(
        _lines(
            _e("v", "Vessel", name=["SEA"]),
            _e("c", "Company", name=["Co"]),
            _e("o1", "Ownership", owner=["c"], asset=["v"], startDate=["2021"], endDate=["2019"]),
        ),
        encoding="utf-8",
    )
    with pytest.raises(FixtureError) as caught:
        import_entities(session, path, dataset="bad")
    [issue] = caught.value.errors
    assert (issue.file, issue.record, issue.field) == ("bad.ftm.jsonl", "line 3 (o1)", "period")
    assert issue.message.startswith("expected an EDTF period such as 2024")
    with pytest.raises(sanctrack.UnknownDatasetError):  # nothing was loaded
        sanctrack.export_dataset(session, "bad")
