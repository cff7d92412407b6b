"""``movements``: a timeline of port calls, voyages, flights and ship-to-ship transfers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from sanctrack.models import metadata
from sanctrack.queries.filters import make_filters
from sanctrack.queries.result import QueryResult

MOVEMENT = metadata.tables["movement"]
VESSEL = metadata.tables["vessel"]
VESSEL_NAME = metadata.tables["vessel_name"]
AIRCRAFT = metadata.tables["aircraft"]
CLAIM = metadata.tables["movement_claim"]


class MovementRow(BaseModel):
    """One movement, its vessels or aircraft (by the dataset's ids), its ports (UN/LOCODE)
    and the sources that assert it."""

    dataset: str
    movement: str
    kind: str
    period: str
    period_start: date | None
    period_end: date | None
    ais_status: str | None
    vessel: str | None
    imo: str | None
    names: tuple[str, ...]
    second_vessel: str | None
    aircraft: str | None
    port: str | None
    from_port: str | None
    to_port: str | None
    sources: tuple[str, ...]


def _vessel_ids(vessel: str) -> Select[tuple[int]]:
    """The vessels ``vessel`` names: an id of a dataset, an IMO number or any of its names
    (case aside)."""
    by_name = select(VESSEL_NAME.c.vessel_id).where(
        VESSEL_NAME.c.name.ilike(vessel.replace("\\", "\\\\").replace("%", "\\%"), escape="\\")
    )
    return select(VESSEL.c.id).where(
        or_(VESSEL.c.key == vessel, VESSEL.c.imo == vessel, VESSEL.c.id.in_(by_name))
    )


def movements(
    session: Session,
    *,
    vessel: str | None = None,
    port: str | None = None,
    years: int | str | Iterable[int | str] | None = None,
    datasets: str | Iterable[str] | None = None,
) -> QueryResult[MovementRow]:
    """Movements in time order (an open start sorts by its end). ``vessel`` keeps those of
    a vessel (its id, IMO number or any name it bore), as the first or the second of a
    ship-to-ship transfer; ``port`` those at, from or to a port (UN/LOCODE); ``years``
    those whose period meets one of those years."""
    f = make_filters(years=years, datasets=datasets)
    m = MOVEMENT
    query = select(m).order_by(m.c.id)
    if vessel is not None:
        chosen = _vessel_ids(vessel)
        query = query.where(or_(m.c.vessel_id.in_(chosen), m.c.second_vessel_id.in_(chosen)))
    if port is not None:
        code = port.upper()
        query = query.where(
            or_(m.c.port_locode == code, m.c.from_locode == code, m.c.to_locode == code)
        )
    if f.datasets is not None:
        query = query.where(m.c.dataset_id.in_(f.datasets))
    if f.years is not None:
        query = query.where(
            or_(
                *(
                    (m.c.period_start.is_(None) | (m.c.period_start <= date(y, 12, 31)))
                    & (m.c.period_end.is_(None) | (m.c.period_end >= date(y, 1, 1)))
                    for y in f.years
                )
            )
        )
    found = list(session.execute(query))
    ids = [r.id for r in found]
    vessels = {r.id: r for r in session.execute(select(VESSEL))}
    aircraft = {r.id: r.key for r in session.execute(select(AIRCRAFT.c.id, AIRCRAFT.c.key))}
    names: dict[int, list[str]] = {}
    for r in session.execute(select(VESSEL_NAME).order_by(VESSEL_NAME.c.position)):
        names.setdefault(r.vessel_id, []).append(r.name)
    sources: dict[int, list[str]] = {}
    claims = select(CLAIM).where(CLAIM.c.movement_id.in_(ids)).order_by(CLAIM.c.position)
    for r in session.execute(claims):
        sources.setdefault(r.movement_id, []).append(r.source_id)
    rows = [
        MovementRow(
            dataset=r.dataset_id,
            movement=r.key,
            kind=r.kind,
            period=r.period,
            period_start=r.period_start,
            period_end=r.period_end,
            ais_status=r.ais_status,
            vessel=vessels[r.vessel_id].key if r.vessel_id else None,
            imo=vessels[r.vessel_id].imo if r.vessel_id else None,
            names=tuple(names.get(r.vessel_id, ())),
            second_vessel=vessels[r.second_vessel_id].key if r.second_vessel_id else None,
            aircraft=aircraft.get(r.aircraft_id),
            port=r.port_locode,
            from_port=r.from_locode,
            to_port=r.to_locode,
            sources=tuple(dict.fromkeys(sources.get(r.id, ()))),
        )
        for r in found
    ]
    rows.sort(key=lambda r: (r.period_start or r.period_end or date.min, r.dataset, r.movement))
    return QueryResult[MovementRow](
        rows=rows,
        parameters={"vessel": vessel, "port": port, "years": f.years, "datasets": f.datasets},
        sources=sorted({s for r in rows for s in r.sources}),
    )
