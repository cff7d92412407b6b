"""Hypothesis strategies for the carriers: IMO numbers (valid by their check digit, or
not), MMSIs, and fixture sections of vessels, ports and movements that load together."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from sanctrack.models.ownership import OWNERSHIP_ROLES

WEIGHTS = (7, 6, 5, 4, 3, 2)


def check_digit(first_six: str) -> int:
    """The IMO check digit: the last digit of the first six weighted 7 down to 2."""
    return sum(int(d) * w for d, w in zip(first_six, WEIGHTS, strict=True)) % 10


@st.composite
def imo_numbers(draw: st.DrawFn) -> str:
    """A seven-digit IMO number whose check digit is right (never all zeros)."""
    six = draw(st.from_regex(r"[1-9][0-9]{5}", fullmatch=True))
    return f"{six}{check_digit(six)}"


@st.composite
def wrong_imo_numbers(draw: st.DrawFn) -> str:
    """Seven digits whose last is not the check digit."""
    six = draw(st.from_regex(r"[1-9][0-9]{5}", fullmatch=True))
    wrong = draw(st.integers(0, 9).filter(lambda d: d != check_digit(six)))
    return f"{six}{wrong}"


mmsis = st.from_regex(r"[2-7][0-9]{8}", fullmatch=True)
keys = st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)
#: single spaces only: FollowTheMoney collapses runs of whitespace in names
names = st.from_regex(r"[A-Z][A-Z0-9]{0,9}( [A-Z0-9]{1,9}){0,2}", fullmatch=True)
years = st.integers(2015, 2025)
#: ports the generated fixtures declare (codes of the UN/LOCODE form, not real ones)
PORTS = [
    {"locode": "KPZZ2", "name": "Test port A", "country": "PRK"},
    {"locode": "RUZZ3", "name": "Test port B", "country": "RUS", "coordinates": [43.1, 131.9]},
    {"locode": "RUZZ4", "name": "Test port C", "country": "RUS"},
]
PORT_CODES = [p["locode"] for p in PORTS]
FLAGS = ("RUS", "PRK", "PAN", "TGO", "SLE")


@st.composite
def dated(draw: st.DrawFn, field: str, values: st.SearchStrategy[str]) -> list[dict[str, Any]]:
    """Consecutive dated values (a name or a flag), the last one open-ended."""
    count = draw(st.integers(1, 3))
    start = draw(years)
    out = []
    for i in range(count):
        end = start + draw(st.integers(0, 2))
        period = f"{start}/{end}" if i < count - 1 else f"{start}/.."
        out.append({field: draw(values), "period": period})
        start = end + 1
    return out


@st.composite
def vessels(draw: st.DrawFn, key: str, source: str | None = None) -> dict[str, Any]:
    """A vessel ``key``; with ``source``, maybe described by it in claims."""
    vessel: dict[str, Any] = {"id": key, "names": draw(dated("name", names))}
    if source is not None and draw(st.booleans()):
        claim = st.fixed_dictionaries(
            {"source": st.just(source), "credibility": st.integers(1, 6)},
            optional={"quote": names, "locator": st.fixed_dictionaries({"page": keys})},
        )
        vessel["claims"] = draw(st.lists(claim, min_size=1, max_size=3))
    if draw(st.booleans()):
        vessel["imo"] = draw(imo_numbers())
    if draw(st.booleans()):
        vessel["mmsi"] = draw(mmsis)
    if draw(st.booleans()):
        vessel["flags"] = draw(dated("flag", st.sampled_from(FLAGS)))
    if draw(st.booleans()):
        vessel["deadweight"] = draw(st.integers(100, 300_000))
    if draw(st.booleans()):
        vessel["type"] = draw(st.sampled_from(["general cargo", "oil tanker", "container"]))
    return vessel


@st.composite
def movements(draw: st.DrawFn, key: str, vessel_keys: list[str], source: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["port_call", "voyage", "ship_to_ship"]))
    start = draw(years)
    movement: dict[str, Any] = {
        "id": key,
        "kind": kind,
        "period": f"{start}-{draw(st.integers(1, 12)):02d}",
        "vessel": draw(st.sampled_from(vessel_keys)),
        "claims": [{"source": source, "credibility": draw(st.integers(1, 6))}],
    }
    if draw(st.booleans()):
        movement["ais"] = draw(st.sampled_from(["transmitting", "dark", "spoofed"]))
    if kind == "port_call":
        movement["port"] = draw(st.sampled_from(PORT_CODES))
    elif kind == "voyage":
        movement["from"], movement["to"] = draw(
            st.lists(st.sampled_from(PORT_CODES), min_size=2, max_size=2, unique=True)
        )
    else:
        others = [v for v in vessel_keys if v != movement["vessel"]]
        if not others:
            movement["kind"] = "voyage"
        else:
            movement["second_vessel"] = draw(st.sampled_from(others))
    return movement


#: regimes of seeds/regimes.yaml that designations name
REGIMES = ("unsc-dprk", "us-nksr", "us-russia-eo14024", "eu-dprk", "uk-russia")


@st.composite
def listing_dates(draw: st.DrawFn) -> str:
    """A listing date of day, month or year precision, as a source may give it."""
    day = draw(st.dates(date(2006, 10, 14), date(2026, 11, 30)))
    return day.isoformat()[: draw(st.sampled_from((10, 7, 4)))]


@st.composite
def designations(draw: st.DrawFn, vessel_keys: list[str], source: str) -> list[dict[str, Any]]:
    """Designations of some of the vessels, each under a regime on a date of any precision."""
    listed = st.fixed_dictionaries(
        {
            "vessel": st.sampled_from(vessel_keys),
            "regime": st.sampled_from(REGIMES),
            "listed": listing_dates(),
            "source": st.just(source),
        }
    )
    return draw(st.lists(listed, max_size=3, unique_by=lambda d: (d["vessel"], d["regime"])))


@st.composite
def carrier_sections(draw: st.DrawFn, source: str) -> dict[str, Any]:
    """ports, vessels, movements and designations sections citing ``source``, which load
    together."""
    vessel_keys = draw(st.lists(keys, min_size=1, max_size=4, unique=True))
    imos: set[str] = set()
    section = []
    for k in vessel_keys:
        vessel = draw(vessels(k, source))
        if vessel.get("imo") in imos:
            del vessel["imo"]
        imos.add(vessel.get("imo", ""))
        section.append(vessel)
    movement_keys = draw(st.lists(keys, max_size=4, unique=True))
    return {
        "ports": PORTS,
        "vessels": section,
        "movements": [draw(movements(k, vessel_keys, source)) for k in movement_keys],
        "designations": draw(designations(vessel_keys, source)),
    }


ROLES = OWNERSHIP_ROLES  # the vocabulary the table checks


@st.composite
def periods(draw: st.DrawFn) -> str | None:
    """An EDTF period of a link: none, a year, a month, or an interval open or closed."""
    start = draw(years)
    return draw(
        st.sampled_from(
            [
                None,
                str(start),
                f"{start}-{draw(st.integers(1, 12)):02d}",
                f"{start}/{start + draw(st.integers(1, 3))}",
                f"{start}-{draw(st.integers(1, 12)):02d}/..",
                f"../{start}",
            ]
        )
    )


@st.composite
def ownerships(
    draw: st.DrawFn,
    vessel_keys: list[str],
    organisations: list[str],
    persons: list[str],
    source: str,
) -> list[dict[str, Any]]:
    """Links from the organisations and persons to the vessels and organisations (never
    an organisation to itself), each with a role, a period and a credibility."""
    owners = [("organisation", k) for k in organisations] + [("person", k) for k in persons]
    assets = [("vessel", k) for k in vessel_keys] + [("organisation", k) for k in organisations]
    out = []
    for i in range(draw(st.integers(0, 5))):
        owner = draw(st.sampled_from(owners))
        asset = draw(st.sampled_from([a for a in assets if a != owner]))
        link: dict[str, Any] = {
            "id": f"link-{i}",
            "owner": {owner[0]: owner[1]},
            "asset": {asset[0]: asset[1]},
            "role": draw(st.sampled_from(ROLES)),
            "source": source,
            "credibility": draw(st.integers(1, 6)),
        }
        period = draw(periods())
        if period is not None:
            link["period"] = period
        out.append(link)
    return out


#: names of organisations and people: FtM keeps them as they are only if single-spaced
party_names = st.from_regex(
    r"[A-Z][A-Za-z0-9.]{0,12}( [A-Z][A-Za-z0-9.]{0,12}){0,2}", fullmatch=True
)


@st.composite
def owned_sections(draw: st.DrawFn, source: str) -> dict[str, Any]:
    """carrier_sections with organisations, persons and the ownerships between them."""
    sections = draw(carrier_sections(source))
    organisations = draw(st.lists(keys, min_size=1, max_size=3, unique=True))
    persons = draw(st.lists(keys, max_size=2, unique=True))
    vessel_keys = [v["id"] for v in sections["vessels"]]
    sections["organisations"] = [{"id": k, "name": draw(party_names)} for k in organisations]
    sections["persons"] = [{"id": k, "name": draw(party_names)} for k in persons]
    sections["ownerships"] = draw(ownerships(vessel_keys, organisations, persons, source))
    return sections
