"""A small dataset with carriers: BASE (tests/fixture_cases) with ports, vessels, aircraft,
an organisation, a person, movements of each kind, designations and carried-by links."""

from __future__ import annotations

from typing import Any

from fixture_cases import base


def carriers() -> dict[str, Any]:
    """BASE with a port, a renamed and reflagged vessel, an aircraft and its operator, a
    person, movements of each kind, a designation and carried-by links."""
    data = base()
    data["ports"] = [
        {"locode": "RUZZ3", "name": "Test port", "country": "Russia", "coordinates": [43, 132]},
        {"locode": "KPZZ2", "name": "Other test port", "country": "PRK"},
    ]
    data["vessels"] = [
        {
            "id": "ship",
            "imo": 9074729,
            "mmsi": "273000000",
            "type": "general cargo",
            "deadweight": 6000,
            "names": [{"name": "OLD NAME", "period": "2019/2022"}, {"name": "NEW NAME"}],
            "flags": [
                {"flag": "Panama", "period": "2019/2022"},
                {"flag": "RUS", "period": "2023/.."},
            ],
            "claims": [
                {"source": "s1", "locator": {"page": "11"}, "credibility": 2},
                {"source": "s2", "quote": "the general cargo ship NEW NAME"},
            ],
        },
        {"id": "tanker", "names": [{"name": "TANKER"}]},
    ]
    data["organisations"] = [
        {"id": "airline", "name": "Test airline", "aliases": ["TA", "T. Air"], "country": "RUS"}
    ]
    data["persons"] = [{"id": "captain", "name": "A. Captain", "country": "RUS"}]
    data["aircraft"] = [{"id": "plane", "registration": "RA-00000", "operator": "airline"}]
    data["movements"] = [
        {
            "id": "voyage-1",
            "kind": "voyage",
            "period": "2024-03/2024-04",
            "ais": "dark",
            "vessel": "ship",
            "from": "KPZZ2",
            "to": "RUZZ3",
            "claims": [{"source": "s1", "locator": {"page": "12"}, "credibility": 2}],
        },
        {
            "id": "call-1",
            "kind": "port_call",
            "period": "2024-05-02",
            "vessel": "ship",
            "port": "RUZZ3",
            "claims": [{"source": "s2", "quote": "it called"}],
        },
        {
            "id": "sts-1",
            "kind": "ship_to_ship",
            "period": "2024",
            "vessel": "ship",
            "second_vessel": "tanker",
            "claims": [{"source": "s1"}],
        },
        {
            "id": "flight-1",
            "kind": "flight",
            "period": "2024-06",
            "aircraft": "plane",
            "claims": [{"source": "s1"}],
        },
    ]
    data["designations"] = [
        {"vessel": "ship", "regime": "unsc-dprk", "listed": "2024-03-01", "source": "s1"},
        {"person": "captain", "regime": "unsc-dprk", "listed": "2024-03-01", "source": "s1"},
    ]
    data["transfers"][0]["carried_by"] = [
        {"movement": "voyage-1", "source": "s1", "locator": {"page": "12"}, "credibility": 2},
        {"vessel": "tanker", "source": "s2"},
    ]
    data["transfers"][1]["carried_by"] = [{"aircraft": "plane", "source": "s1"}]
    return data
