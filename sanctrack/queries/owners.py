"""``owners``: who owned, operated or managed a vessel, an aircraft or an organisation over
time (table ``ownership``, and an aircraft's undated ``operator``), with whether a regime
has designated the owner; and :func:`asset_owners`, the same per asset for ``carriers``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Select, false, func, or_, select, true
from sqlalchemy.orm import Session

from sanctrack.models import metadata
from sanctrack.queries.designations import labelled_designations
from sanctrack.queries.filters import make_filters
from sanctrack.queries.movements import _vessel_ids
from sanctrack.queries.result import QueryResult

OWNERSHIP = metadata.tables["ownership"]
AIRCRAFT = metadata.tables["aircraft"]
PARTIES = {"organisation": metadata.tables["organisation"], "person": metadata.tables["person"]}
AssetKind = Literal["vessel", "aircraft", "organisation"]
OwnerKind = Literal["organisation", "person"]
OWNER_COLUMNS: dict[OwnerKind, str] = {
    "organisation": "owner_organisation_id",
    "person": "owner_person_id",
}
ASSET_KINDS: tuple[AssetKind, ...] = ("vessel", "aircraft", "organisation")


class OwnerRow(BaseModel):
    """One owner's link to an asset (both by their dataset's ids), in a role, over a period
    (None: not said), as a source says (``source`` None: an aircraft's undated
    ``operator``); ``owner_designations`` are the regimes that list the owner
    (``regime@date``); ``link`` is the link's id in its dataset."""

    dataset: str
    asset_kind: AssetKind
    asset: str
    asset_name: str | None
    owner_kind: OwnerKind
    owner: str
    owner_name: str
    role: str
    period: str | None
    period_start: date | None
    period_end: date | None
    source: str | None
    credibility: int | None
    owner_designations: tuple[str, ...]
    link: str | None


def _party_ids(kind: OwnerKind, text: str) -> Select[tuple[int]]:
    """The organisations or people ``text`` names: an id of a dataset or a name (case aside)."""
    t = PARTIES[kind]
    return select(t.c.id).where(or_(t.c.key == text, func.lower(t.c.name) == text.lower()))


def _asset_ids(kind: AssetKind, text: str) -> Select[tuple[int]]:
    if kind == "vessel":
        return _vessel_ids(text)
    if kind == "aircraft":
        return select(AIRCRAFT.c.id).where(
            or_(AIRCRAFT.c.key == text, AIRCRAFT.c.registration == text)
        )
    return _party_ids("organisation", text)


def owner_designations(session: Session) -> dict[tuple[str, int], tuple[str, ...]]:
    """(kind, id) of each designated organisation or person -> its ``regime@date``s."""
    found: dict[tuple[str, int], list[str]] = {}
    for d, label in labelled_designations(session):
        for kind in PARTIES:
            ident = getattr(d, f"{kind}_id")
            if ident is not None:
                found.setdefault((kind, ident), []).append(label)
    return {key: tuple(labels) for key, labels in found.items()}


def _names(session: Session) -> dict[tuple[str, int], tuple[str, str | None]]:
    """(kind, id) -> (key, name) of every vessel (its latest name), aircraft (its
    registration), organisation and person."""
    names: dict[tuple[str, int], tuple[str, str | None]] = {}
    vessel_name = metadata.tables["vessel_name"]
    latest = {}
    for r in session.execute(select(vessel_name).order_by(vessel_name.c.position)):
        latest[r.vessel_id] = r.name
    for r in session.execute(select(metadata.tables["vessel"])):
        names[("vessel", r.id)] = (r.key, latest.get(r.id))
    for r in session.execute(select(AIRCRAFT)):
        names[("aircraft", r.id)] = (r.key, r.registration)
    for kind, t in PARTIES.items():
        for r in session.execute(select(t.c.id, t.c.key, t.c.name)):
            names[(kind, r.id)] = (r.key, r.name)
    return names


def owners(
    session: Session,
    *,
    vessel: str | None = None,
    aircraft: str | None = None,
    organisation: str | None = None,
    owner: str | None = None,
    roles: str | Iterable[str] | None = None,
    datasets: str | Iterable[str] | None = None,
) -> QueryResult[OwnerRow]:
    """The ownership and operator links, by asset and in time order (an undated link
    first). ``vessel`` keeps a vessel's (its id, IMO number or any name it bore),
    ``aircraft`` an aircraft's (its id or registration), ``organisation`` those of an
    organisation owned (its id or name); ``owner`` those of an owner, organisation or
    person (id or name); ``roles`` those in these roles (owner, registered_owner,
    operator...)."""
    f = make_filters(datasets=datasets)
    given: tuple[tuple[AssetKind, str | None], ...] = (
        ("vessel", vessel), ("aircraft", aircraft), ("organisation", organisation),
    )  # fmt: skip
    chosen = [(k, v) for k, v in given if v is not None]
    wanted_roles = None if roles is None else {roles} if isinstance(roles, str) else set(roles)
    o = OWNERSHIP
    links = select(o)
    shorthand = select(AIRCRAFT).where(AIRCRAFT.c.operator_id.is_not(None))
    if chosen:
        links = links.where(or_(*(o.c[f"{k}_id"].in_(_asset_ids(k, v)) for k, v in chosen)))
        shorthand = shorthand.where(
            AIRCRAFT.c.id.in_(_asset_ids("aircraft", aircraft)) if aircraft else false()
        )
    if owner is not None:
        links = links.where(
            or_(*(o.c[c].in_(_party_ids(k, owner)) for k, c in OWNER_COLUMNS.items()))
        )
        shorthand = shorthand.where(AIRCRAFT.c.operator_id.in_(_party_ids("organisation", owner)))
    if wanted_roles is not None:
        links = links.where(o.c.role.in_(sorted(wanted_roles)))
        shorthand = shorthand.where(true() if "operator" in wanted_roles else false())
    if f.datasets is not None:
        links = links.where(o.c.dataset_id.in_(f.datasets))
        shorthand = shorthand.where(AIRCRAFT.c.dataset_id.in_(f.datasets))
    names = _names(session)
    designated = owner_designations(session)
    rows = []
    for r in session.execute(links):
        asset_kind = next(k for k in ASSET_KINDS if getattr(r, f"{k}_id") is not None)
        owner_kind = next(k for k, c in OWNER_COLUMNS.items() if getattr(r, c) is not None)
        asset_id, owner_id = getattr(r, f"{asset_kind}_id"), getattr(r, OWNER_COLUMNS[owner_kind])
        rows.append(
            OwnerRow(
                dataset=r.dataset_id,
                asset_kind=asset_kind,
                asset=names[(asset_kind, asset_id)][0],
                asset_name=names[(asset_kind, asset_id)][1],
                owner_kind=owner_kind,
                owner=names[(owner_kind, owner_id)][0],
                owner_name=names[(owner_kind, owner_id)][1] or "",
                role=r.role,
                period=r.period,
                period_start=r.period_start,
                period_end=r.period_end,
                source=r.source_id,
                credibility=r.credibility,
                owner_designations=designated.get((owner_kind, owner_id), ()),
                link=r.key,
            )
        )
    for a in session.execute(shorthand):
        rows.append(
            OwnerRow(
                dataset=a.dataset_id,
                asset_kind="aircraft",
                asset=a.key,
                asset_name=a.registration,
                owner_kind="organisation",
                owner=names[("organisation", a.operator_id)][0],
                owner_name=names[("organisation", a.operator_id)][1] or "",
                role="operator",
                period=None,
                period_start=None,
                period_end=None,
                source=None,
                credibility=None,
                owner_designations=designated.get(("organisation", a.operator_id), ()),
                link=None,
            )
        )
    rows.sort(
        key=lambda r: (
            r.asset_kind, r.dataset, r.asset, r.period is not None,
            r.period_start or r.period_end or date.min, r.link or "",
        )
    )  # fmt: skip
    return QueryResult[OwnerRow](
        rows=rows,
        parameters={
            "vessel": vessel,
            "aircraft": aircraft,
            "organisation": organisation,
            "owner": owner,
            "roles": None if wanted_roles is None else tuple(sorted(wanted_roles)),
            "datasets": f.datasets,
        },
        sources=sorted({r.source for r in rows if r.source is not None}),
    )


def owner_label(row: OwnerRow) -> str:
    """``owner (role, period)``: how ``carriers`` names an owner of a carrier."""
    return f"{row.owner} ({row.role}, {row.period})" if row.period else f"{row.owner} ({row.role})"


def asset_owners(session: Session) -> dict[tuple[str, str, str], tuple[list[str], list[str]]]:
    """(kind, dataset, key) of each asset -> the labels of its owners (``owner_label``)
    and of their designations (``owner: regime@date``), each once."""
    found: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    for row in owners(session).rows:
        labels, designations = found.setdefault((row.asset_kind, row.dataset, row.asset), ([], []))
        labels.append(owner_label(row))
        for d in row.owner_designations:
            if f"{row.owner}: {d}" not in designations:
                designations.append(f"{row.owner}: {d}")
    return found
