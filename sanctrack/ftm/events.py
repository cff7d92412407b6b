"""Movements and transfers as FollowTheMoney events: each movement a Trip of its vessels or
aircraft (its ports as Address entities), each transfer an Event."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sanctrack.fixture.schema import TransferIn
from sanctrack.fixture.schema_carriers import MovementIn
from sanctrack.ftm.dates import ftm_dates
from sanctrack.ftm.library import ftm_id

if TYPE_CHECKING:
    from sanctrack.ftm.export import Builder


def port_id(locode: str | None) -> str | None:
    """The id of a port's Address entity: ports are shared by all datasets."""
    return None if locode is None else ftm_id("sanctrack", "port", locode)


def port_addresses(b: Builder, movements: list[MovementIn]) -> Iterator[Any]:
    """An Address for each port the movements name that no earlier dataset gave."""
    for m in movements:
        for locode in (m.port, m.from_, m.to):
            port = b.ports.get(locode or "")
            if port is None or port.locode in b.seen:
                continue
            b.seen.add(port.locode)
            entity = b.model.make_entity("Address")
            entity.id = port_id(port.locode)
            values = {
                "name": port.name, "full": port.name, "country": port.country_code,
                "latitude": port.latitude, "longitude": port.longitude,
                "keywords": f"UN/LOCODE {port.locode}",
            }  # fmt: skip
            for prop, value in values.items():
                if value is not None:
                    entity.add(prop, value)
            yield entity


def movement_entity(b: Builder, m: MovementIn) -> Any:
    """Every movement is a Trip: its ``vehicle`` the vessels or aircraft (FtM's Event takes
    only legal entities as ``involved``), its ports the start and end, or the place."""
    start, end = ftm_dates(m.period)
    places = [p for p in (m.port, m.from_, m.to) if p is not None]
    return b.make(
        "Trip", "movement", m.id, name=f"{m.kind.replace('_', ' ')} {m.id}",
        startDate=start, endDate=end, summary=m.description, recordId=f"{b.dataset}/{m.id}",
        startLocation=port_id(m.from_), endLocation=port_id(m.to),
        addressEntity=port_id(m.port), location=[b.ports[p].name for p in places if p in b.ports],
        vehicle=[
            b.ref("vessel", m.vessel), b.ref("vessel", m.second_vessel),
            b.ref("aircraft", m.aircraft),
        ],
        **b.provenance([c.source for c in m.claims]),
    )  # fmt: skip


def transfer_entity(b: Builder, t: TransferIn) -> Any:
    """A transfer is an Event. FtM links an Event to legal entities only: the organisations
    that carried it are ``involved``; a vessel, aircraft or movement (a Trip) that did is
    said in ``notes``, with its entity's id and its sanctrack ``dataset/key``."""
    start, end = ftm_dates(t.period)
    sources = [c.source for c in t.claims] + [c.source for c in t.carried_by]
    carriers = [c.carrier() for c in t.carried_by]
    return b.make(
        "Event", "transfer", t.id, name=f"{t.materiel} from {t.supplier} to {t.recipient}",
        startDate=start, endDate=end, country=[t.supplier, t.recipient],
        summary=t.description,
        involved=[b.ref(kind, key) for kind, key in carriers if kind == "organisation"],
        notes=[
            f"carried by {kind} {b.ref(kind, key)} (sanctrack {b.dataset}/{key})"
            for kind, key in carriers if kind != "organisation"
        ],
        recordId=f"{b.dataset}/{t.id}", keywords=[t.materiel, t.status],
        **b.provenance(sources),
    )  # fmt: skip
