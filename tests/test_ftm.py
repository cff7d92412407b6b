"""FollowTheMoney export and import (sanctrack.ftm, the ftm extra)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from carrier_cases import carriers
from carrier_strategies import owned_sections
from fixture_cases import base, write
from followthemoney import model
from followthemoney.util import make_entity_id
from ftm_ownership_compare import owned_links
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

import sanctrack
from sanctrack.cli import app
from sanctrack.errors import FixtureError
from sanctrack.fixture.schema import Fixture
from sanctrack.ftm import export_entities, import_entities, write_entities
from sanctrack.models import Dataset
from sanctrack.optional import MissingExtraError

runner = CliRunner()
SHAPE = (
    "expected an FtM entity: a JSON object with an id and a schema (strings), and its "
    "properties as an object"
)
MISSING = (
    "FollowTheMoney export and import needs followthemoney, which is not installed: "
    "pip install 'sanctrack[ftm]'"
)


def _data() -> dict[str, Any]:
    data = carriers()
    data["sources"][0] |= {"url": "https://example.org/report", "publisher": "Test team"}
    return data


@pytest.fixture
def loaded(session: Session, tmp_path: Path) -> Session:
    sanctrack.load_fixture(session, write(tmp_path / "carriers.yaml", _data()))
    return session


def _carriers(fixture: Fixture) -> dict[str, list[Any]]:
    """What FtM keeps of a dataset's carriers: not their ids, nor the periods of names."""
    organisations = {o.id: o.name for o in fixture.organisations}
    vessels = [
        (v.imo, v.mmsi, v.type, v.deadweight, [n.name for n in v.names], [f.flag for f in v.flags])
        for v in fixture.vessels
    ]
    aircraft = [
        (a.registration, a.type, organisations.get(a.operator or "")) for a in fixture.aircraft
    ]
    return {
        "vessels": sorted(vessels, key=repr),
        "aircraft": sorted(aircraft, key=repr),
        "organisations": sorted(
            ((o.name, o.aliases, o.country) for o in fixture.organisations), key=repr
        ),
        "persons": sorted(((p.name, p.aliases, p.country) for p in fixture.persons), key=repr),
    }


def test_export_then_import_gives_the_same_carriers(loaded: Session, tmp_path: Path) -> None:
    path = tmp_path / "out.ftm.jsonl"
    assert write_entities(loaded, path, "test-ds") == 16
    result = import_entities(loaded, path, dataset="imported")
    assert str(result) == (
        "imported: 6 created, 0 updated, 0 unchanged, 0 removed (transfers: 0 created, "
        "0 updated, 0 unchanged, 0 removed); read 1 Airplane, 1 Organization, 1 Person, "
        "2 Vessel; skipped 2 Address, 3 Event, 2 Sanction, 4 Trip (sanctrack imports no such "
        "entities)"
    )
    original = _carriers(sanctrack.export_dataset(loaded, "test-ds"))
    assert _carriers(sanctrack.export_dataset(loaded, "imported")) == original
    assert original["vessels"][0][4] == ["OLD NAME", "NEW NAME"]  # the test compares something
    assert str(import_entities(loaded, path, dataset="imported")).startswith(
        "imported: unchanged (6 records already up to date)"
    )


def test_every_exported_entity_is_valid_followthemoney(loaded: Session) -> None:
    entities = list(export_entities(loaded))
    ids = {e["id"] for e in entities}
    schemata = {e["id"]: e["schema"] for e in entities}
    assert len(ids) == len(entities)
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None and schema.validate(entity) is None, entity
        for name, values in entity["properties"].items():
            prop = schema.get(name)
            assert prop is not None, (entity["schema"], name)
            assert [prop.type.clean(v) for v in values] == values, (name, values)
            if prop.type.name == "entity":  # each reference is to an exported entity
                assert set(values) <= ids, (name, values)
                for value in values:  # of the schema the property's range allows
                    assert model.get(schemata[value]).is_a(prop.range), (name, value)
    assert [e["id"] for e in export_entities(loaded)] == [e["id"] for e in entities]  # stable
    assert _vessel_ids(loaded, "NEW NAME") == {
        make_entity_id("sanctrack", "test-ds", "vessel", "ship")
    }
    assert sorted(e["schema"] for e in entities) == sorted(
        ["Vessel"] * 2
        + ["Airplane", "Organization", "Person"]
        + ["Sanction"] * 2
        + ["Address"] * 2
        + ["Trip"] * 4
        + ["Event"] * 3
    )


def _by_record(loaded: Session) -> dict[str, dict[str, list[str]]]:
    return {
        e["properties"]["recordId"][0]: e["properties"]
        for e in export_entities(loaded, "test-ds")
        if "recordId" in e["properties"]
    }


def test_transfers_and_movements_are_events_with_their_provenance(loaded: Session) -> None:
    events = _by_record(loaded)
    t2 = events["test-ds/t2"]
    assert t2["name"] == ["troops from PRK to RUS"]
    assert (t2["startDate"], t2["endDate"], t2["country"]) == (
        ["2024-10"],
        ["2024-12"],
        ["kp", "ru"],
    )
    assert (t2["sourceUrl"], t2["publisher"]) == (["https://example.org/report"], ["Test team"])
    assert events["test-ds/t3"]["startDate"] == ["2025-01"]  # 2025-01~: the qualifier is lost
    voyage = events["test-ds/voyage-1"]  # from KPZZ2 to RUZZ3: a Trip between Addresses
    assert (voyage["startLocation"], voyage["endLocation"]) == (
        [make_entity_id("sanctrack", "port", "KPZZ2")],
        [make_entity_id("sanctrack", "port", "RUZZ3")],
    )
    assert voyage["vehicle"] == [next(iter(_vessel_ids(loaded, "OLD NAME")))]
    call = events["test-ds/call-1"]
    assert (call["location"], call["addressEntity"]) == (
        ["Test port"],
        [make_entity_id("sanctrack", "port", "RUZZ3")],
    )
    sts = events["test-ds/sts-1"]  # two vessels: both vehicles of the Trip
    assert set(sts["vehicle"]) == _vessel_ids(loaded, "NEW NAME") | _vessel_ids(loaded, "TANKER")
    voyage_id = next(
        e["id"]
        for e in export_entities(loaded)
        if e["properties"].get("recordId") == ["test-ds/voyage-1"]
    )
    [tanker_id] = _vessel_ids(loaded, "TANKER")
    assert "involved" not in events["test-ds/t1"]  # FtM's Event involves legal entities only
    assert sorted(events["test-ds/t1"]["notes"]) == [
        f"carried by movement {voyage_id} (sanctrack test-ds/voyage-1)",
        f"carried by vessel {tanker_id} (sanctrack test-ds/tanker)",
    ]


def test_a_vessel_carries_the_provenance_of_its_claims(loaded: Session) -> None:
    vessels = {
        e["properties"]["name"][-1]: e["properties"]
        for e in export_entities(loaded, "test-ds")
        if e["schema"] == "Vessel"
    }
    ship = vessels["NEW NAME"]  # claims from s1 (with a url and a publisher) and s2
    assert (ship["sourceUrl"], ship["publisher"]) == (["https://example.org/report"], ["Test team"])
    assert "sourceUrl" not in vessels["TANKER"]  # no claims: no provenance


def _vessel_ids(loaded: Session, name: str) -> set[str]:
    return {
        e["id"]
        for e in export_entities(loaded)
        if e["schema"] == "Vessel" and name in e["properties"]["name"]
    }


def test_designations_are_sanctions_of_their_entity(loaded: Session) -> None:
    sanctions = [e["properties"] for e in export_entities(loaded) if e["schema"] == "Sanction"]
    assert {s["entity"][0] for s in sanctions} >= _vessel_ids(loaded, "NEW NAME")
    assert all(
        s["program"] == ["unsc-dprk"] and s["listingDate"] == ["2024-03-01"] for s in sanctions
    )
    assert all(s["sourceUrl"] == ["https://example.org/report"] for s in sanctions)


def _entity(ident: str, schema: str, **props: Any) -> str:
    return json.dumps({"id": ident, "schema": schema, "properties": props}) + "\n"


GOOD = "".join(
    [
        _entity(
            "ves-1", "Vessel", name=["SEA STAR"], previousName=["OLD STAR"],
            imoNumber=["IMO9074729"], flag=["kp"], pastFlags=["pa"],
            deadweightTonnage=["5000.0"], type=["Tanker"],
        ),
        _entity("co-1", "Company", name=["Star Shipping Ltd"], alias=["Star"], jurisdiction=["ru"]),
        _entity("body-1", "PublicBody", name=["Test Ministry"], country=["kp"]),
        _entity("pers-1", "Person", name=["Jo Tester"], nationality=["ru"]),
        _entity(
            "air-1", "Airplane", registrationNumber=["RA-11111"], model=["Il-76"],
            operator=["co-1"],
        ),
        _entity("own-1", "Ownership", owner=["co-1"], asset=["ves-1"]),
        _entity("san-1", "Sanction", entity=["ves-1"], program=["Test program"]),
    ]
)  # fmt: skip


def test_a_handwritten_ftm_file_is_imported(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "some.ftm.jsonl"
    path.write_text(GOOD, encoding="utf-8")
    result = import_entities(session, path, dataset="from-ftm")
    assert result.read == {
        "Vessel": 1, "Company": 1, "PublicBody": 1, "Person": 1, "Airplane": 1, "Ownership": 1,
    }  # fmt: skip
    assert result.skipped == {"Sanction": 1}
    fixture = sanctrack.export_dataset(session, "from-ftm")
    [owned] = fixture.ownerships
    assert (owned.owner.ref(), owned.asset.ref(), owned.role, owned.period) == (
        ("organisation", "co-1"),
        ("vessel", "ves-1"),
        "owner",
        None,
    )
    assert [(s.id, s.kind, s.title) for s in fixture.sources] == [
        ("from-ftm-ftm-source-1", "dataset", "FollowTheMoney entities from some.ftm.jsonl")
    ]
    assert fixture.dataset.title == "FollowTheMoney entities from some.ftm.jsonl"
    assert _carriers(fixture) == {
        "vessels": [("9074729", None, "Tanker", 5000, ["SEA STAR", "OLD STAR"], ["PRK", "PAN"])],
        "aircraft": [("RA-11111", "Il-76", "Star Shipping Ltd")],
        "organisations": [("Star Shipping Ltd", ["Star"], "RUS"), ("Test Ministry", [], "PRK")],
        "persons": [("Jo Tester", [], "RUS")],
    }
    path.write_text(GOOD.replace("SEA STAR", "SEA MOON"), encoding="utf-8")
    again = import_entities(session, path, dataset="from-ftm")  # the newer file: in place
    assert (again.load.created, again.load.updated, again.load.removed) == (0, 2, 0)  # +version
    vessels = sanctrack.export_dataset(session, "from-ftm").vessels
    assert [n.name for n in vessels[0].names] == ["SEA MOON", "OLD STAR"]


BAD = (
    _entity("ves-1", "Vessel", name=["SEA STAR"], imoNumber=["IMO9074720"])
    + "{not json\n"
    + _entity("pers-1", "Person", alias=["Nameless"], country=["zz"])
    + _entity("air-1", "Airplane", registrationNumber=["RA-11111"], operator=["nobody"])
    + _entity("ves-2", "Vessel", name=["OK"], deadweightTonnage=["heavy"])
    + "[1]\n"
    + json.dumps({"id": "no-schema", "properties": {}})
    + "\n"
    + json.dumps({"id": "p", "schema": "Person", "properties": ["name"]})
    + "\n\xff\n"
)


def test_bad_entities_are_located_errors_and_nothing_is_loaded(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "bad.ftm.jsonl"
    path.write_bytes(BAD.encode("utf-8").replace("\xff".encode(), b"\xff"))
    with pytest.raises(FixtureError) as caught:
        import_entities(session, path, dataset="bad")
    assert str(caught.value) == (
        "10 errors; nothing was loaded. Fix the file and load it again:\n"
        "bad.ftm.jsonl: line 1 (ves-1).imoNumber: IMO number 9074720 fails its check digit: "
        "the last digit should be 9, by the weighted sum of the first six; check the number "
        "in the source\n"
        "bad.ftm.jsonl: line 2: invalid JSON: Expecting property name enclosed in double quotes\n"
        "bad.ftm.jsonl: line 3 (pers-1).country: Unknown state 'zz'. Use an ISO 3166-1 code "
        "(e.g. 'PRK') or a name listed by `sanctrack states`.\n"
        "bad.ftm.jsonl: line 3 (pers-1).name: a required field is missing\n"
        "bad.ftm.jsonl: line 4 (air-1).operator: its operator 'nobody' is not an Organization or "
        "Company entity of this file: add the operator's entity, or remove the property\n"
        "bad.ftm.jsonl: line 5 (ves-2).deadweightTonnage: expected a valid integer, got 'heavy'\n"
        f"bad.ftm.jsonl: line 6: {SHAPE}\n"
        f"bad.ftm.jsonl: line 7: {SHAPE}\n"
        f"bad.ftm.jsonl: line 8: {SHAPE}\n"
        "bad.ftm.jsonl: line 9: expected UTF-8 text"
    )
    assert session.get(Dataset, "bad") is None


def test_import_refuses_a_bad_dataset_id(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "good.ftm.jsonl"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(FixtureError) as caught:
        import_entities(session, path, dataset="Not A Slug")
    assert str(caught.value).splitlines()[1] == (
        "good.ftm.jsonl: dataset.id: expected an id of lowercase letters, digits, '-', '.' or "
        "'_', got 'Not A Slug'"
    )


def test_without_the_extra_both_say_which_to_install(
    loaded: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "followthemoney", None)  # import followthemoney now fails
    with pytest.raises(MissingExtraError) as caught:
        list(export_entities(loaded))
    assert str(caught.value) == MISSING
    path = tmp_path / "good.ftm.jsonl"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(MissingExtraError) as caught:
        import_entities(loaded, path, dataset="x")
    assert str(caught.value) == MISSING


def test_cli_export_and_import(db_url: str, tmp_path: Path) -> None:
    assert (
        runner.invoke(
            app, ["load", "-d", db_url, str(write(tmp_path / "c.yaml", _data()))]
        ).exit_code
        == 0
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["export-ftm", "-d", db_url, "--dataset", "test-ds", "-o", str(out)]
    )
    assert (result.exit_code, result.output) == (0, f"Wrote 16 FollowTheMoney entities to {out}\n")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 16
    result = runner.invoke(app, ["import-ftm", str(out), "--dataset", "again", "-d", db_url])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("again: 6 created, 0 updated")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(_entity("p", "Person", name=["X"], country=["zz"]), encoding="utf-8")
    result = runner.invoke(app, ["import-ftm", str(bad), "--dataset", "bad", "-d", db_url])
    assert result.exit_code != 0
    assert result.output.splitlines()[-1] == (
        "bad.jsonl: line 1 (p).country: Unknown state 'zz'. Use an ISO 3166-1 code (e.g. 'PRK') "
        "or a name listed by `sanctrack states`."
    )


def test_the_cli_without_the_extra_says_which_to_install(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(app, ["init", "-d", db_url]).exit_code == 0
    monkeypatch.setitem(sys.modules, "followthemoney", None)
    result = runner.invoke(app, ["export-ftm", "-d", db_url, "-o", str(tmp_path / "x.jsonl")])
    assert (result.exit_code != 0, result.output.splitlines()) == (True, [MISSING])
    assert not (tmp_path / "x.jsonl").exists()


def test_the_cli_refuses_an_unknown_dataset(db_url: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", "-d", db_url]).exit_code == 0
    out = tmp_path / "x.jsonl"
    result = runner.invoke(app, ["export-ftm", "-d", db_url, "--dataset", "nope", "-o", str(out)])
    assert (result.exit_code != 0, result.output.splitlines()) == (
        True,
        [
            "Unknown dataset 'nope': load it first, or list the loaded datasets with "
            "`sanctrack datasets`."
        ],
    )
    assert not out.exists()


def test_importing_sanctrack_does_not_load_followthemoney() -> None:
    import subprocess

    code = (
        "import sys, sanctrack, sanctrack.cli, sanctrack.ftm\n"
        "print('followthemoney' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_what_the_loader_finds_is_located_at_the_entity(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "twice.ftm.jsonl"
    path.write_text(
        _entity("a", "Vessel", name=["A"], imoNumber=["IMO9074729"])
        + _entity("s", "Sanction", entity=["a"])
        + _entity("b", "Vessel", name=["B"], imoNumber=["9074729"])
        + _entity("NK-1", "Person", name=["P"])
        + _entity("nk-1", "Person", name=["Q"]),  # the same key once lowercased: another one
        encoding="utf-8",
    )
    with pytest.raises(FixtureError) as caught:
        import_entities(session, path, dataset="twice")
    assert str(caught.value) == (
        "1 error; nothing was loaded. Fix the file and load it again:\n"
        "twice.ftm.jsonl: line 3 (b).imoNumber: IMO 9074729 is also vessel 'a'"
    )
    path.write_text(path.read_text(encoding="utf-8").replace('["9074729"]', '["9176187"]'))
    import_entities(session, path, dataset="twice")
    persons = sanctrack.export_dataset(session, "twice").persons
    assert [(p.id, p.name) for p in persons] == [("nk-1", "P"), ("nk-1-2", "Q")]


def test_the_cli_refuses_a_missing_file(db_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "nothere.jsonl"
    result = runner.invoke(app, ["import-ftm", str(missing), "--dataset", "x", "-d", db_url])
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "1 error; nothing was loaded. Fix the file and load it again:",
            "nothere.jsonl: no such file: check the path",
        ],
    )


def _once(fixture: Fixture) -> dict[str, list[Any]]:
    """_carriers with each vessel's names and flags once each (FtM keeps a value once)."""
    found = _carriers(fixture)
    found["vessels"] = [
        (*v[:4], list(dict.fromkeys(v[4])), list(dict.fromkeys(v[5]))) for v in found["vessels"]
    ]
    return found


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sections=owned_sections("s1"))
def test_generated_carriers_round_trip_through_ftm(
    engine: Engine, tmp_path: Path, sections: dict[str, Any]
) -> None:
    with Session(engine) as session:
        sanctrack.load_fixture(session, write(tmp_path / "gen.yaml", base() | sections))
        write_entities(session, tmp_path / "gen.ftm.jsonl", "test-ds")
        import_entities(session, tmp_path / "gen.ftm.jsonl", dataset="gen-ftm")
        original = sanctrack.export_dataset(session, "test-ds")
        imported = sanctrack.export_dataset(session, "gen-ftm")
        assert _once(imported) == _once(original)
        assert owned_links(imported) == owned_links(original)
        assert len(imported.ownerships) == len(sections["ownerships"])
        sanctrack.remove_dataset(session, "gen-ftm")
        sanctrack.remove_dataset(session, "test-ds")
