"""Ownership links as FollowTheMoney Ownership entities, and what they add to the entities
they join: a vehicle's ``owner`` and ``operator``, and Company for an organisation owned
(FtM's Ownership owns an Asset; an Organization is none, a Company is both)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sanctrack.fixture.schema_ownership import OwnershipIn
from sanctrack.ftm.dates import ftm_dates
from sanctrack.models.ownership import OWNING_ROLES

if TYPE_CHECKING:
    from sanctrack.ftm.export import Builder

#: The Ownership ``role`` written for each of sanctrack's roles (and read back).
ROLE_TEXT = {
    "owner": "Owner",
    "registered_owner": "Registered owner",
    "beneficial_owner": "Beneficial owner",
    "operator": "Operator",
    "ship_manager": "Ship manager",
    "ism_manager": "ISM manager",
    "commercial_manager": "Commercial manager",
}


def vehicle_links(b: Builder, ownerships: list[OwnershipIn]) -> dict[tuple[str, str], Any]:
    """(kind, id) of each vessel or aircraft -> its FtM ``owner`` and (vessels only: an
    airplane's is its ``operator`` field) ``operator`` entity ids."""
    found: dict[tuple[str, str], dict[str, list[str | None]]] = {}
    for o in ownerships:
        kind, key = o.asset.ref()
        if kind == "organisation":
            continue
        if o.role in OWNING_ROLES:
            prop = "owner"
        elif o.role == "operator" and kind == "vessel":
            prop = "operator"
        else:
            continue
        values = found.setdefault((kind, key), {}).setdefault(prop, [])
        ref = b.ref(*o.owner.ref())
        if ref not in values:
            values.append(ref)
    return found


def owned_organisations(ownerships: list[OwnershipIn]) -> set[str]:
    """The ids of the organisations some link makes an asset: exported as Company."""
    return {key for o in ownerships for kind, key in [o.asset.ref()] if kind == "organisation"}


def ownership_entities(b: Builder, ownerships: list[OwnershipIn]) -> Iterator[Any]:
    for o in ownerships:
        start, end = ftm_dates(o.period)
        yield b.make(
            "Ownership", "ownership", o.id, owner=b.ref(*o.owner.ref()),
            asset=b.ref(*o.asset.ref()), role=ROLE_TEXT[o.role], startDate=start,
            endDate=end, description=o.quote, recordId=f"{b.dataset}/{o.id}",
            **b.provenance([o.source]),
        )  # fmt: skip
