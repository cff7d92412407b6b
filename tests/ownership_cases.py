"""The carriers dataset (tests/carrier_cases) with ownership and operator links: a vessel
owned, then sold, and managed; an aircraft's dated operator; an organisation owned by a
person; and a second, designated organisation that owns the tanker."""

from __future__ import annotations

from typing import Any

from carrier_cases import carriers


def owned() -> dict[str, Any]:
    data = carriers()
    data["organisations"].append({"id": "shipco", "name": "Test shipping", "country": "PRK"})
    data["designations"].append(
        {"organisation": "shipco", "regime": "unsc-dprk", "listed": "2023-01-10", "source": "s1"}
    )
    data["ownerships"] = [
        {
            "id": "ship-owner-1",
            "owner": {"organisation": "airline"},
            "asset": {"vessel": "ship"},
            "role": "registered_owner",
            "period": "2019/2022",
            "source": "s1",
            "locator": {"page": "14"},
            "credibility": 2,
        },
        {
            "id": "ship-owner-2",
            "owner": {"organisation": "shipco"},
            "asset": {"vessel": "ship"},
            "role": "registered_owner",
            "period": "2023-02/..",
            "source": "s2",
            "quote": "sold in February 2023",
        },
        {
            "id": "ship-manager",
            "owner": {"person": "captain"},
            "asset": {"vessel": "ship"},
            "role": "ism_manager",
            "source": "s1",
        },
        {
            "id": "tanker-owner",
            "owner": {"organisation": "shipco"},
            "asset": {"vessel": "tanker"},
            "source": "s1",
        },
        {
            "id": "plane-operator",
            "owner": {"organisation": "airline"},
            "asset": {"aircraft": "plane"},
            "role": "operator",
            "period": "2024-01-05/2024-12",
            "source": "s2",
        },
        {
            "id": "airline-owner",
            "owner": {"person": "captain"},
            "asset": {"organisation": "airline"},
            "role": "beneficial_owner",
            "period": "2020",
            "source": "s1",
        },
    ]
    return data
