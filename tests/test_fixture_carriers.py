"""The carrier sections of a fixture: located validation, all-or-nothing loading, update in
place, removal with the dataset, and the export round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from carrier_cases import carriers
from carrier_strategies import carrier_sections
from fixture_cases import base, records, write
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from sanctrack import (
    export_dataset,
    load_fixture,
    queries,
    remove_dataset,
    validate_fixture,
    write_fixture,
)
from sanctrack.errors import FixtureError
from sanctrack.models import CarriedBy, Movement, Port, Vessel, VesselClaim, VesselFlag, VesselName


def load(engine: Engine, path: Path) -> Any:
    with Session(engine) as session:
        return load_fixture(session, path)


def count(engine: Engine, model: Any) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def dataset_ports(engine: Engine) -> list[str]:
    """The ports the datasets declared (the seeded ones aside)."""
    with Session(engine) as session:
        query = select(Port.locode).where(Port.dataset_id.is_not(None))  # type: ignore[union-attr]
        return sorted(session.scalars(query))


@pytest.mark.parametrize("suffix", [".yaml", ".jsonl"])
def test_carriers_load_and_export_round_trip(engine: Engine, tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path / f"in{suffix}", carriers())
    report = load(engine, path)
    assert report.counts["vessels"]["created"] == 2
    assert report.counts["movements"]["created"] == 4
    assert report.counts["carried_by"]["created"] == 3
    assert count(engine, Vessel) == 2 and count(engine, VesselName) == 3
    with Session(engine) as session:
        exported = export_dataset(session, "test-ds")
    assert exported.vessels[0].model_dump(mode="json")["names"] == [
        {"name": "OLD NAME", "period": "2019/2022"},
        {"name": "NEW NAME"},
    ]
    assert exported.transfers[0].carried_by[1].vessel == "tanker"
    assert [
        (c.source, c.locator.page, c.credibility, c.quote) for c in exported.vessels[0].claims
    ] == [("s1", "11", 2, None), ("s2", None, 6, "the general cargo ship NEW NAME")]
    assert count(engine, VesselClaim) == 2
    before = records(engine)
    out = write_fixture(exported, tmp_path / f"out{suffix}")
    again = load(engine, out)
    assert not again.changed
    assert records(engine) == before


def test_a_corrected_file_updates_carriers_in_place(engine: Engine, tmp_path: Path) -> None:
    data = carriers()
    load(engine, write(tmp_path / "a.yaml", data))
    with Session(engine) as session:
        ship_id = session.scalar(select(Vessel.id).where(Vessel.key == "ship"))
    data["vessels"][0]["names"].append({"name": "NEWEST NAME", "period": "2025/.."})
    data["vessels"][0]["names"][1]["period"] = "2023/2024"
    data["movements"] = [m for m in data["movements"] if m["id"] != "sts-1"]
    data["vessels"].pop()  # the tanker
    data["transfers"][0]["carried_by"].pop()
    data["ports"].pop()  # KPZZ2: the voyage comes from elsewhere
    del data["movements"][0]["from"]
    report = load(engine, write(tmp_path / "b.yaml", data))
    assert report.counts["vessels"] == {"created": 0, "updated": 1, "unchanged": 0, "removed": 1}
    assert report.counts["movements"]["removed"] == 1
    assert report.counts["ports"]["removed"] == 1
    with Session(engine) as session:
        assert session.scalar(select(Vessel.id).where(Vessel.key == "ship")) == ship_id
        names = session.scalars(
            select(VesselName.name)
            .where(VesselName.vessel_id == ship_id)
            .order_by(VesselName.position)
        ).all()
    assert names == ["OLD NAME", "NEW NAME", "NEWEST NAME"]
    assert count(engine, CarriedBy) == 2 and dataset_ports(engine) == ["RUZZ3"]


def test_carrier_rows_name_the_sources_that_describe_each_vessel(
    engine: Engine, tmp_path: Path
) -> None:
    """A vessel's row lists the sources of its own claims, apart from those of its links,
    and the result cites both; a corrected file's claims replace the old ones."""
    data = carriers()
    load(engine, write(tmp_path / "a.yaml", data))
    with Session(engine) as session:
        result = queries.carriers(session)
    rows = {r.carrier: r for r in result.rows}
    assert (rows["ship"].described_by, rows["tanker"].described_by) == (("s1", "s2"), ())
    assert rows["plane"].kind == "aircraft" and rows["plane"].described_by == ()
    assert set(rows["ship"].described_by) <= set(result.sources)
    data["vessels"][0]["claims"] = [{"source": "s2"}]
    load(engine, write(tmp_path / "b.yaml", data))
    with Session(engine) as session:
        [ship] = [r for r in queries.carriers(session).rows if r.carrier == "ship"]
    assert ship.described_by == ("s2",)


def test_remove_dataset_takes_its_carriers(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "a.yaml", carriers()))
    with Session(engine) as session:
        remove_dataset(session, "test-ds")
    for model in (Vessel, VesselFlag, VesselClaim, Movement, CarriedBy):
        assert count(engine, model) == 0
    assert dataset_ports(engine) == []


def _errors(engine: Engine, path: Path) -> list[tuple[str | None, str | None, str]]:
    with pytest.raises(FixtureError) as caught, Session(engine) as session:
        load_fixture(session, path)
    return [(e.record, e.field, e.message) for e in caught.value.errors]


def test_an_invalid_imo_number_is_a_located_error(engine: Engine, tmp_path: Path) -> None:
    data = carriers()
    data["vessels"][0]["imo"] = "9074728"
    [(_, where, message)] = _errors(engine, write(tmp_path / "a.yaml", data))
    assert where == "vessels[0].imo"
    assert "the last digit should be 9" in message
    assert count(engine, Vessel) == 0  # all or nothing


def test_references_are_checked_and_located(engine: Engine, tmp_path: Path) -> None:
    data = carriers()
    data["movements"][0]["vessel"] = "shipp"
    data["movements"][1]["port"] = "RUZZ9"
    data["designations"][0]["regime"] = "ofac"
    data["transfers"][1]["carried_by"][0] = {"movement": "nowhere", "source": "s9"}
    data["vessels"][1]["flags"] = [{"flag": "Atlantis"}]
    data["vessels"][0]["claims"][1]["source"] = "s3"
    errors = _errors(engine, write(tmp_path / "a.yaml", data))
    fields = {(record, where) for record, where, _ in errors}
    assert fields == {
        ("vessels[1] (tanker)", "flags[0].flag"),
        ("vessels[0] (ship)", "claims[1].source"),
        ("movements[0] (voyage-1)", "vessel"),
        ("movements[1] (call-1)", "port"),
        ("designations[0]", "regime"),
        ("transfers[1] (t2)", "carried_by[0].movement"),
        ("transfers[1] (t2)", "carried_by[0].source"),
    }
    messages = {where: message for _, where, message in errors}
    assert (
        messages["vessel"]
        == "unknown vessel 'shipp': declare it in this file (did you mean 'ship'?)"
    )
    assert count(engine, Vessel) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "port_call"}, "a port_call needs port: add it"),
        ({"kind": "flight"}, "a flight needs aircraft: add it"),
        (
            {"second_vessel": "ship", "kind": "ship_to_ship", "from": None, "to": None},
            "a ship_to_ship transfer needs two different vessels",
        ),
    ],
)
def test_movements_are_of_one_shape(
    engine: Engine, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    data = carriers()
    movement = data["movements"][0]
    movement.update(change)
    for key in [k for k, v in movement.items() if v is None]:
        del movement[key]
    errors = _errors(engine, write(tmp_path / "a.yaml", data))
    assert any(m.startswith(f"Value error, {message}") or message in m for _, _, m in errors)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sections=carrier_sections("s1"))
def test_generated_carriers_round_trip(
    engine: Engine, tmp_path: Path, sections: dict[str, Any]
) -> None:
    data = base() | sections
    report = load(engine, write(tmp_path / "gen.yaml", data))
    before = records(engine)
    with Session(engine) as session:
        exported = export_dataset(session, "test-ds")
    assert len(exported.vessels) == len(sections["vessels"])
    listed = sorted((d["vessel"], d["regime"], d["listed"]) for d in sections["designations"])
    assert sorted((d.vessel, d.regime, d.listed) for d in exported.designations) == listed
    again = load(engine, write_fixture(exported, tmp_path / "gen-out.yaml"))
    assert not again.changed, report
    assert records(engine) == before
    with Session(engine) as session:
        remove_dataset(session, "test-ds")
    assert count(engine, Vessel) == 0


def test_seeded_ports_need_no_declaring(engine: Engine, tmp_path: Path) -> None:
    data = carriers()
    data["movements"][1]["port"] = "RUVYP"
    load(engine, write(tmp_path / "a.yaml", data))
    with Session(engine) as session:
        port = session.get(Port, "RUVYP")
        assert port is not None and port.dataset_id is None and port.country_code == "RUS"
    data["ports"].append({"locode": "RUVYP", "name": "Again", "country": "RUS"})
    errors = _errors(engine, write(tmp_path / "b.yaml", data))
    assert ("ports[2] (RUVYP)", "locode", "port RUVYP is seeded: remove it from 'ports'") in errors


def test_a_port_another_dataset_declares_is_refused(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "a.yaml", carriers()))
    other = carriers()
    other["dataset"]["id"] = "other-ds"
    for source in other["sources"]:
        source["id"] = f"o-{source['id']}"
    other["sources"][1]["cites"] = "o-s1"
    other = yaml_renamed(other)
    errors = _errors(engine, write(tmp_path / "b.yaml", other))
    assert errors == [
        (
            "ports[0] (RUZZ3)",
            "locode",
            "port RUZZ3 is declared by dataset 'test-ds': remove it here",
        ),
        (
            "ports[1] (KPZZ2)",
            "locode",
            "port KPZZ2 is declared by dataset 'test-ds': remove it here",
        ),
    ]


def yaml_renamed(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` citing the renamed sources (o-s1, o-s2) and declaring its own materiel."""
    text = yaml.safe_dump(data)
    text = text.replace("source: s1", "source: o-s1").replace("source: s2", "source: o-s2")
    text = text.replace("test-shell", "other-shell")
    out: dict[str, Any] = yaml.safe_load(text)
    return out


def test_validate_fixture_checks_carriers_without_a_database(tmp_path: Path) -> None:
    data = carriers()
    data["vessels"][0]["imo"] = 9074720
    with pytest.raises(FixtureError) as caught:
        validate_fixture(write(tmp_path / "a.yaml", data))
    assert [(e.record, e.field) for e in caught.value.errors] == [(None, "vessels[0].imo")]
    data = carriers()
    data["movements"][0]["to"] = "RUZZ8"
    with pytest.raises(FixtureError) as caught:
        validate_fixture(write(tmp_path / "b.yaml", data))
    assert [(e.record, e.field, e.message) for e in caught.value.errors] == [
        (
            "movements[0] (voyage-1)",
            "to",
            "unknown port 'RUZZ8': declare it in the seeds or 'ports' (did you mean 'RUZZ3'?)",
        )
    ]
    assert validate_fixture(write(tmp_path / "c.yaml", carriers())) == 3


def test_a_broken_header_leaves_carried_by_for_the_next_round(
    engine: Engine, tmp_path: Path
) -> None:
    # With an invalid source, the header is checked from its valid parts; the carrier
    # sections (whose positions a salvaged header would not keep) and the references to
    # them wait, rather than be reported unknown.
    data = carriers()
    data["sources"][0]["reliability"] = "Z"
    errors = _errors(engine, write(tmp_path / "a.yaml", data))
    assert [where for _, where, _ in errors] == ["reliability"]
    assert count(engine, Vessel) == 0
