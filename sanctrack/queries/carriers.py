"""``carriers``: the vessels, aircraft and organisations linked to transfers ("carried by",
directly or through a movement), with how many transfers and sources; and
``designated_carriers`` / ``undesignated_carriers``: the carriers of sanctioned transfers
(those :func:`sanctrack.queries.violations.violations` lists), designated by a regime or
not yet. What an analyst brings to a designations desk."""

from __future__ import annotations

from typing import Any, Literal, Unpack

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctrack.models import metadata
from sanctrack.queries.base import counted_transfers_cte
from sanctrack.queries.designations import labelled_designations
from sanctrack.queries.filters import FilterArgs, make_filters
from sanctrack.queries.owners import asset_owners
from sanctrack.queries.result import QueryResult
from sanctrack.queries.violations import violations

CarrierKind = Literal["vessel", "aircraft", "organisation"]
CARRIED_BY = metadata.tables["carried_by"]
MOVEMENT = metadata.tables["movement"]
TABLES: dict[CarrierKind, str] = {
    "vessel": "vessel",
    "aircraft": "aircraft",
    "organisation": "organisation",
}


class CarrierRow(BaseModel):
    """A carrier, the transfers it is linked to (``transfers``, as ``dataset/id``) and the
    distinct sources of those links; ``identifier`` is a vessel's IMO number or an
    aircraft's registration; ``designations`` the regimes that list it (``regime@date``);
    ``owners`` who owned, operated or managed it (``owner (role, period)``, from
    :func:`sanctrack.queries.owners.owners`) and ``designated_owners`` those of them a
    regime lists (``owner: regime@date``); ``described_by`` the sources of a vessel's own
    claims, those that give its names, flags, type, tonnage or IMO number."""

    kind: CarrierKind
    dataset: str
    carrier: str
    name: str | None
    identifier: str | None
    transfers: tuple[str, ...]
    transfer_count: int
    sources: tuple[str, ...]
    source_count: int
    designations: tuple[str, ...]
    owners: tuple[str, ...] = ()
    designated_owners: tuple[str, ...] = ()
    described_by: tuple[str, ...] = ()


Key = tuple[CarrierKind, int]


def _links(session: Session, transfer_ids: set[int]) -> dict[Key, list[tuple[int, str]]]:
    """carrier -> (transfer id, source) of each link, direct or through a movement (its
    vessel, second vessel or aircraft)."""
    moved = {r.id: r for r in session.execute(select(MOVEMENT))}
    found: dict[Key, list[tuple[int, str]]] = {}
    for r in session.execute(select(CARRIED_BY)):
        if r.transfer_id not in transfer_ids:
            continue
        keys: list[Key] = []
        if r.movement_id is not None:
            m = moved[r.movement_id]
            keys += [("vessel", v) for v in (m.vessel_id, m.second_vessel_id) if v is not None]
            keys += [("aircraft", m.aircraft_id)] if m.aircraft_id is not None else []
        for kind in TABLES:
            value = getattr(r, f"{kind}_id")
            if value is not None:
                keys.append((kind, value))
        for key in keys:
            found.setdefault(key, []).append((r.transfer_id, r.source_id))
    return found


def _designations(session: Session) -> dict[Key, list[str]]:
    """carrier -> its designations; a vessel's also through its IMO number, so that a
    designation recorded in another dataset counts."""
    vessel = metadata.tables["vessel"]
    imo = {r.id: r.imo for r in session.execute(select(vessel.c.id, vessel.c.imo)) if r.imo}
    by_imo: dict[str, list[str]] = {}
    found: dict[Key, list[str]] = {}
    for d, label in labelled_designations(session):
        for kind in TABLES:
            value = getattr(d, f"{kind}_id")
            if value is not None:
                found.setdefault((kind, value), []).append(label)
        if d.vessel_id in imo:
            by_imo.setdefault(imo[d.vessel_id], []).append(label)
    for vessel_id, number in imo.items():
        mine = found.setdefault(("vessel", vessel_id), [])
        mine += [label for label in by_imo.get(number, ()) if label not in mine]
    return found


def _rows(session: Session, transfer_ids: set[int], keys: dict[int, str]) -> list[CarrierRow]:
    designated = _designations(session)
    described: dict[Key, Any] = {}
    for kind, table in TABLES.items():
        for r in session.execute(select(metadata.tables[table])):
            described[(kind, r.id)] = r
    names = metadata.tables["vessel_name"]
    last_name: dict[int, str] = {}
    for r in session.execute(select(names).order_by(names.c.position)):
        last_name[r.vessel_id] = r.name  # the latest name: the last in the vessel's list
    owned = asset_owners(session)
    claims = metadata.tables["vessel_claim"]
    described_by: dict[int, set[str]] = {}
    for r in session.execute(select(claims.c.vessel_id, claims.c.source_id)):
        described_by.setdefault(r.vessel_id, set()).add(r.source_id)
    rows = []
    for (kind, ident), links in _links(session, transfer_ids).items():
        r = described[(kind, ident)]
        owners, designated_owners = owned.get((kind, r.dataset_id, r.key), ([], []))
        transfers = tuple(sorted({keys[t] for t, _ in links}))
        sources = tuple(sorted({s for _, s in links}))
        rows.append(
            CarrierRow(
                kind=kind,
                dataset=r.dataset_id,
                carrier=r.key,
                name=last_name.get(ident) if kind == "vessel" else getattr(r, "name", None),
                identifier=r.imo if kind == "vessel" else getattr(r, "registration", None),
                transfers=transfers,
                transfer_count=len(transfers),
                sources=sources,
                source_count=len(sources),
                designations=tuple(designated.get((kind, ident), ())),
                owners=tuple(owners),
                designated_owners=tuple(designated_owners),
                described_by=tuple(sorted(described_by.get(ident, ()))) if kind == "vessel" else (),
            )
        )
    rows.sort(key=lambda r: (-r.transfer_count, r.kind, r.dataset, r.carrier))
    return rows


def _transfers(session: Session, filters: FilterArgs) -> dict[int, str]:
    """id -> ``dataset/key`` of the transfers the filters choose."""
    counted = counted_transfers_cte(make_filters(**filters))
    query = select(counted.c.transfer_id, counted.c.dataset_id, counted.c.key)
    return {r.transfer_id: f"{r.dataset_id}/{r.key}" for r in session.execute(query)}


def carriers(session: Session, **filters: Unpack[FilterArgs]) -> QueryResult[CarrierRow]:
    """The vessels, aircraft and organisations linked to the transfers the filters choose
    (``supplier``, ``recipient``, ``category``... as for every helper), most transfers
    first. A movement's vessels and aircraft count as carriers of the transfers it is
    linked to."""
    keys = _transfers(session, filters)
    rows = _rows(session, set(keys), keys)
    return QueryResult[CarrierRow](
        rows=rows,
        parameters=make_filters(**filters).model_dump(),
        sources=_cited(rows),
    )


def _sanctioned(session: Session, filters: FilterArgs, designated: bool) -> QueryResult[CarrierRow]:
    keys = _transfers(session, filters)
    listed = {f"{v.dataset}/{v.transfer}" for v in violations(session, **filters)}
    wanted = {i for i, key in keys.items() if key in listed}
    rows = [r for r in _rows(session, wanted, keys) if bool(r.designations) == designated]
    return QueryResult[CarrierRow](
        rows=rows,
        parameters={**make_filters(**filters).model_dump(), "designated": designated},
        sources=_cited(rows),
    )


def _cited(rows: list[CarrierRow]) -> list[str]:
    """The sources a result's rows cite: of their links, and of their vessels' claims."""
    return sorted({s for r in rows for s in (*r.sources, *r.described_by)})


def designated_carriers(session: Session, **filters: Unpack[FilterArgs]) -> QueryResult[CarrierRow]:
    """The carriers of sanctioned transfers (a violation asserted or inferred) that a
    regime has designated."""
    return _sanctioned(session, filters, designated=True)


def undesignated_carriers(
    session: Session, **filters: Unpack[FilterArgs]
) -> QueryResult[CarrierRow]:
    """The carriers of sanctioned transfers that no regime has designated yet."""
    return _sanctioned(session, filters, designated=False)
