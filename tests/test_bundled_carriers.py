"""Who carried it, in the bundled record (issue 14, section 5): the vessels, movements and
carried-by links of fixtures/*.yaml, and the port seeds they name. Every expectation is
read from the files themselves, so the tests follow the files as they grow; what the
files say today (the four cargo ships, the four tankers) is checked by name as well."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from sqlmodel import Session

import sanctrack
from sanctrack.models.imo import imo_problem
from sanctrack.periods import parse_period
from sanctrack.queries.carriers import carriers, designated_carriers, undesignated_carriers
from sanctrack.queries.movements import movements
from sanctrack.queries.violations import violations
from sanctrack.resources import data_dir

FILES = sanctrack.bundled_fixtures()
CONTAINERS = "dprk-russia-2023-2025-materiel/prk-rus-munitions-containers-2022-2025"
PETROLEUM = "dprk-russia-2023-2025-people-fuel-tech/rus-prk-refined-petroleum-2023-2025"


def documents() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        yield data["dataset"]["id"], data


def statements() -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(dataset, its sources by id, statement): every movement and vessel claim, carried-by
    link and ownership."""
    for dataset, data in documents():
        sources = {s["id"]: s for s in data.get("sources", [])}
        for record in [*data.get("movements", []), *data.get("vessels", [])]:
            for claim in record.get("claims", []):
                yield dataset, sources, claim
        for transfer in data.get("transfers", []):
            for link in transfer.get("carried_by", []):
                yield dataset, sources, link
        for ownership in data.get("ownerships", []):
            yield dataset, sources, ownership


def expected_carriers() -> dict[str, set[tuple[str, str]]]:
    """transfer (dataset/id) -> the (dataset, vessel) its carried-by links name, directly
    or through a movement's vessels."""
    found: dict[str, set[tuple[str, str]]] = {}
    for dataset, data in documents():
        moved = {m["id"]: m for m in data.get("movements", [])}
        for transfer in data.get("transfers", []):
            for link in transfer.get("carried_by", []):
                if "movement" in link:
                    m = moved[link["movement"]]
                    named = [m.get("vessel"), m.get("second_vessel")]
                else:
                    named = [link.get("vessel")]
                key = f"{dataset}/{transfer['id']}"
                found.setdefault(key, set()).update((dataset, v) for v in named if v)
    return found


def test_every_vessel_imo_is_valid() -> None:
    vessels = [v for _, data in documents() for v in data.get("vessels", [])]
    assert len(vessels) >= 8
    numbered = [str(v["imo"]) for v in vessels if "imo" in v]
    assert numbered, "at least one IMO number was verified"
    for imo in numbered:
        assert re.fullmatch(r"[0-9]{7}", imo) and imo_problem(imo) is None, imo
    for vessel in vessels:
        assert vessel.get("names"), vessel["id"]


def test_every_movement_and_carried_by_cites_a_page_read_at_an_address() -> None:
    seen = 0
    for dataset, sources, statement in statements():
        source = sources[statement["source"]]
        assert source.get("url"), (dataset, statement["source"])
        assert statement.get("quote") and statement.get("locator", {}).get("paragraph")
        assert 1 <= statement.get("credibility", 6) <= 5, statement
        seen += 1
    assert seen >= 20


def test_movement_periods_lie_in_the_linked_transfer() -> None:
    """A movement that evidences a transfer happens within the transfer's period."""
    for _, data in documents():
        moved = {m["id"]: m for m in data.get("movements", [])}
        for transfer in data.get("transfers", []):
            window = parse_period(transfer["period"])
            for link in transfer.get("carried_by", []):
                if "movement" not in link:
                    continue
                period = parse_period(moved[link["movement"]]["period"])
                assert window.start_date is not None and period.start_date is not None
                assert window.start_date <= period.start_date, link["movement"]
                if window.end_date is not None:
                    assert period.end_date is not None and period.end_date <= window.end_date


@pytest.fixture
def loaded(session: Session) -> Session:
    for path in FILES:
        sanctrack.load_fixture(session, path)
    return session


def test_carriers_finds_the_vessels_of_each_linked_transfer(loaded: Session) -> None:
    expected = expected_carriers()
    assert set(expected) == {CONTAINERS, PETROLEUM}
    got: dict[str, set[tuple[str, str]]] = {}
    for row in carriers(loaded).rows:
        assert row.kind == "vessel"
        for transfer in row.transfers:
            got.setdefault(transfer, set()).add((row.dataset, row.carrier))
    assert got == expected
    ships = carriers(loaded, supplier="PRK", recipient="RUS", category="ammunition").rows
    assert {r.name for r in ships} == {"Angara", "Maria", "Lady R", "Maia-1"}
    assert all(r.transfers == (CONTAINERS,) for r in ships)
    assert {r.carrier: r.identifier for r in ships if r.identifier} == {"lady-r": "9161003"}
    described = {
        r.carrier: set(r.described_by) for r in carriers(loaded).rows if r.kind == "vessel"
    }
    for _, data in documents():  # each vessel's row names the sources of its claims
        for vessel in data.get("vessels", []):
            if vessel["id"] in described:
                wanted = {c["source"] for c in vessel.get("claims", [])}
                assert described[vessel["id"]] == wanted, vessel["id"]
    assert described["lady-r"] == {"maritime-executive-2023-10-19-lady-r"}
    tankers = carriers(loaded, supplier="RUS", recipient="PRK", category="refined-petroleum")
    assert {r.name for r in tankers.rows} == {"YU SON", "Eunheung", "Baekyangsan 1", "Wol Bong San"}
    assert {r.identifier for r in tankers.rows} == {"8691702", None}


def test_carriers_count_the_sources_of_their_links(loaded: Session) -> None:
    """A carrier's sources are those of its links, direct or through its movements."""
    expected: dict[tuple[str, str], set[str]] = {}
    for dataset, data in documents():
        moved = {m["id"]: m for m in data.get("movements", [])}
        for transfer in data.get("transfers", []):
            for link in transfer.get("carried_by", []):
                vessel = moved[link["movement"]]["vessel"] if "movement" in link else link["vessel"]
                expected.setdefault((dataset, vessel), set()).add(link["source"])
    rows = carriers(loaded).rows
    assert {(r.dataset, r.carrier): set(r.sources) for r in rows} == expected
    assert all(r.source_count == len(r.sources) for r in rows)


@pytest.mark.parametrize("name", ["lady-r", "Lady R", "LADY R", "9161003", "8691702", "maia-1"])
def test_movements_give_a_vessels_timeline(loaded: Session, name: str) -> None:
    by_name = {"Lady R": "lady-r", "LADY R": "lady-r", "9161003": "lady-r", "8691702": "yu-son"}
    vessel = by_name.get(name, name)
    own = [
        (dataset, m)
        for dataset, data in documents()
        for m in data.get("movements", [])
        if vessel in (m.get("vessel"), m.get("second_vessel"))
    ]
    rows = movements(loaded, vessel=name).rows
    assert sorted(r.movement for r in rows) == sorted(m["id"] for _, m in own)
    starts = [r.period_start or r.period_end for r in rows]
    assert starts == sorted(s for s in starts if s is not None)
    assert all(r.sources for r in rows)


def test_movements_at_rajin_and_vostochny(loaded: Session) -> None:
    for port in ("KPRJN", "RUVYP"):
        named = {
            m["id"]
            for _, data in documents()
            for m in data.get("movements", [])
            if port in (m.get("port"), m.get("from"), m.get("to"))
        }
        assert named and {r.movement for r in movements(loaded, port=port).rows} == named
    dark = {r.movement for r in movements(loaded, port="RUVYP", years=2024).rows if r.ais_status}
    assert "lady-r-voyage-vostochny-rajin-2024-04" in dark


def test_owners_of_the_bundled_carriers(loaded: Session) -> None:
    """Each `ownerships` link of the files is an owner of its vessel, with its source."""
    expected = {
        (
            dataset,
            o["asset"]["vessel"],
            o["owner"]["organisation"],
            o.get("role", "owner"),
            o["source"],
        )
        for dataset, data in documents()
        for o in data.get("ownerships", [])
    }
    found = {(r.dataset, r.asset, r.owner, r.role, r.source) for r in sanctrack.owners(loaded)}
    assert found == expected
    assert (
        "dprk-russia-2023-2025-materiel",
        "maia-1",
        "mg-flot",
        "owner",
        "nasdaqpicks-2025-02-ft-maia-1",
    ) in found


def test_designated_and_undesignated_bundled_carriers(loaded: Session) -> None:
    """The carriers of sanctioned transfers split by the files' `designations`: those
    listed are designated, under their regimes and dates as given; the rest are not."""
    listed: dict[tuple[str, str], set[str]] = {}
    for dataset, data in documents():
        for d in data.get("designations", []):
            listed.setdefault((dataset, d["vessel"]), set()).add(f"{d['regime']}@{d['listed']}")
    sanctioned = {f"{r.dataset}/{r.transfer}" for r in violations(loaded).rows}
    assert {CONTAINERS, PETROLEUM} <= sanctioned
    expected = {c for t, found in expected_carriers().items() if t in sanctioned for c in found}
    designated = {
        (r.dataset, r.carrier): set(r.designations) for r in designated_carriers(loaded).rows
    }
    assert designated == {c: listed[c] for c in expected if c in listed}
    undesignated = {(r.dataset, r.carrier) for r in undesignated_carriers(loaded).rows}
    assert undesignated == expected - set(listed)
    # What the files say today, by name: the UN's of March 2018, the two US ones.
    materiel, fuel = "dprk-russia-2023-2025-materiel", "dprk-russia-2023-2025-people-fuel-tech"
    assert designated[(fuel, "yu-son")] == {"unsc-dprk@2018-03"}
    assert designated[(materiel, "angara")] == {"us-sanctions@2022-05"}
    assert (materiel, "lady-r") in undesignated


def test_seeded_ports_quote_the_code_and_coordinates_they_give() -> None:
    """Each seed's verified_from quotes its UN/LOCODE row, and the coordinates entered are
    those printed there (never the repository's own geocoding)."""
    ports = yaml.safe_load((data_dir("seeds") / "ports.yaml").read_text("utf-8"))["ports"]
    assert {p["locode"] for p in ports} >= {
        "KPRJN",
        "KPNAM",
        "KPCHO",
        "RUVYP",
        "RUVVO",
        "RUNJK",
    }
    for port in ports:
        code = port["locode"]
        row = f"{code[:2]},{code[2:]},"
        assert row in port["verified_from"], code
        if port["coordinates"] is not None:
            lat, lon = port["coordinates"]
            assert f",{lat!r},{lon!r}," in port["verified_from"], code
        else:
            assert ",true'" in port["verified_from"], code
