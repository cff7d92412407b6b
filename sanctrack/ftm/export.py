"""A database's carriers, designations, movements and transfers as FollowTheMoney
entities, built and validated with followthemoney's model.

Each entity's id is derived from sanctrack's natural keys (dataset, kind, key), so it is
the same on every export. Dated names and flags lose their periods (FtM has none)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from sanctrack.fixture import UnknownDatasetError, export_dataset
from sanctrack.fixture.schema import Fixture
from sanctrack.ftm.events import movement_entity, port_addresses, transfer_entity
from sanctrack.ftm.library import ftm_id, ftm_model
from sanctrack.ftm.ownerships import owned_organisations, ownership_entities, vehicle_links
from sanctrack.models import Dataset
from sanctrack.models.port import Port
from sanctrack.models.regime import Regime
from sanctrack.models.source import Source

Entity = dict[str, Any]


class Builder:
    """Makes the entities of one dataset, with what they name across datasets."""

    def __init__(self, session: Session, fixture: Fixture, seen: set[str]) -> None:
        self.model = ftm_model()
        self.dataset = fixture.dataset.id
        self.fixture = fixture
        self.sources = {s.id: s for s in session.exec(select(Source))}
        self.regimes = {r.id: r.name for r in session.exec(select(Regime))}
        self.ports = {p.locode: p for p in session.exec(select(Port))}
        self.seen = seen  # the ports given an Address entity already

    def make(self, schema: str, kind: str, key: str, **values: Any) -> Any:
        entity = self.model.make_entity(schema)
        entity.id = self.ref(kind, key)
        for prop, value in values.items():
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    entity.add(prop, item)
        return entity

    def ref(self, kind: str, key: str | None) -> str | None:
        """The id of the entity for the record ``key`` of ``kind`` in this dataset."""
        return None if key is None else ftm_id("sanctrack", self.dataset, kind, key)

    def provenance(self, sources: list[str]) -> dict[str, list[str | None]]:
        found = [self.sources[s] for s in dict.fromkeys(sources) if s in self.sources]
        return {
            "sourceUrl": [s.url for s in found],
            "publisher": [s.publisher for s in found],
        }

    def entities(self) -> Iterator[Any]:
        f = self.fixture
        links = vehicle_links(self, f.ownerships)
        for v in f.vessels:
            names = [n.name for n in v.names] or [v.id]
            yield self.make(
                "Vessel", "vessel", v.id, name=names, imoNumber=v.imo, mmsi=v.mmsi,
                flag=[x.flag for x in v.flags], type=v.type, deadweightTonnage=v.deadweight,
                **links.get(("vessel", v.id), {}), **self.provenance([c.source for c in v.claims]),
            )  # fmt: skip
        for a in f.aircraft:
            yield self.make(
                "Airplane", "aircraft", a.id, name=a.registration or a.id,
                registrationNumber=a.registration, type=a.type,
                operator=self.ref("organisation", a.operator),
                **links.get(("aircraft", a.id), {}),
            )  # fmt: skip
        companies = owned_organisations(f.ownerships)
        for kind, schema, parties in (
            ("organisation", "Organization", f.organisations),
            ("person", "Person", f.persons),
        ):
            for p in parties:
                shown = "Company" if kind == "organisation" and p.id in companies else schema
                yield self.make(shown, kind, p.id, name=p.name, alias=p.aliases, country=p.country)
        yield from ownership_entities(self, f.ownerships)
        for d in f.designations:
            kind, key = d.entity()
            listed = d.listed.rstrip("~?%")  # FtM dates are prefixes, without qualifiers
            yield self.make(
                "Sanction", "designation", f"{kind}/{key}/{d.regime}/{d.listed}",
                entity=self.ref(kind, key), authority=self.regimes.get(d.regime, d.regime),
                program=d.regime, programId=d.regime, listingDate=listed, startDate=listed,
                **self.provenance([d.source]),
            )  # fmt: skip
        yield from port_addresses(self, f.movements)
        for m in f.movements:
            yield movement_entity(self, m)
        for t in f.transfers:
            yield transfer_entity(self, t)


def export_entities(session: Session, dataset: str | None = None) -> Iterator[Entity]:
    """The FollowTheMoney entities of ``dataset`` (default: every dataset), as dicts:
    Vessel, Airplane (with its operator), Organization (Company when owned), Person,
    Ownership (owner, operator and manager links), Sanction (designations),
    Trip for movements (ports as Address entities), Event for transfers, with their sources'
    URLs and publishers (a vessel's: those of its claims).
    A missing extra or an unknown dataset is an error now, before the first entity."""
    ftm_model()
    if dataset is not None and session.get(Dataset, dataset) is None:
        raise UnknownDatasetError(dataset)
    ids = [dataset] if dataset is not None else list(
        session.exec(select(Dataset.id).order_by(col(Dataset.id)))
    )  # fmt: skip
    return _entities(session, ids)


def _entities(session: Session, ids: list[str]) -> Iterator[Entity]:
    seen: set[str] = set()
    for ident in ids:
        builder = Builder(session, export_dataset(session, ident), seen)
        for entity in builder.entities():
            yield entity.to_dict()


def write_entities(session: Session, path: str | Path, dataset: str | None = None) -> int:
    """Write export_entities to ``path`` as JSON lines; returns how many."""
    entities = export_entities(session, dataset)
    count = 0
    with Path(path).open("w", encoding="utf-8") as out:
        for entity in entities:
            out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count
