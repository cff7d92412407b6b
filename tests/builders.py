"""A small test-data builder: inserts datasets, sources, transfers and claims with Core."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from sanctrack.models import metadata

T = metadata.tables


#: quantity forms -> (qualifier, low, best, high), as the fixture README's table
def quantity(form: str, a: int | None = None, b: int | None = None) -> dict[str, Any]:
    shapes: dict[str, tuple[Any, Any, Any]] = {
        "exact": (a, a, a),
        "about": (None, a, None),
        "at_least": (a, a, None),
        "more_than": (a, a, None),
        "up_to": (None, a, a),
        "between": (a, None, b),
        "unquantified": (None, None, None),
    }
    low, best, high = shapes[form]
    return {"qualifier": form, "low": low, "best": best, "high": high}


@dataclass
class ClaimSpec:
    source: str
    form: str = "exact"
    a: int | None = 1
    b: int | None = None
    unit: str | None = "rounds"
    credibility: int = 3
    #: "flow" over ``window``, or "cumulative": a running total from its start to its end
    measure: str = "flow"
    #: (first day, last day); None: the transfer's period (a running total needs an end)
    window: tuple[date | None, date | None] | None = None


@dataclass
class SourceSpec:
    id: str
    reliability: str = "C"
    published: date | None = None
    dataset: str = "ds-a"


@dataclass
class TransferSpec:
    key: str
    start: date | None
    end: date | None
    claims: list[ClaimSpec] = field(default_factory=list)
    dataset: str = "ds-a"
    supplier: str = "PRK"
    recipient: str = "RUS"
    materiel: str = "artillery-ammunition"
    status: str = "reported"


def window(transfer: TransferSpec, claim: ClaimSpec) -> dict[str, Any]:
    """The claim's window columns, written as a fixture with the same window would be."""
    start, end = claim.window or (transfer.start, transfer.end)
    if claim.measure == "cumulative":
        assert end is not None, "a running total needs an end (its as_of date)"
        since = None if start is None or start == transfer.start else start.isoformat()
        return {
            "measure": "cumulative",
            "since": since,
            "as_of": end,
            "window_start": start,
            "window_end": end,
        }
    period = None if claim.window is None else f"{start or '..'}/{end or '..'}"
    return {"measure": "flow", "period": period, "window_start": start, "window_end": end}


def add_dataset(session: Session, dataset_id: str) -> None:
    session.execute(insert(T["dataset"]).values(id=dataset_id, title=dataset_id, version="1"))


def add_source(session: Session, spec: SourceSpec) -> None:
    """A source that cites nothing, as the loader stores it: its own root."""
    session.execute(
        insert(T["source"]).values(
            id=spec.id,
            kind="report",
            reliability=spec.reliability,
            effective_reliability=spec.reliability,
            root_id=spec.id,
            published=spec.published.isoformat() if spec.published else None,
            published_first=spec.published,
            published_last=spec.published,
            dataset_id=spec.dataset,
        )
    )
    session.execute(insert(T["source_root"]).values(source_id=spec.id, root_id=spec.id))


def add_transfer(session: Session, spec: TransferSpec) -> int:
    precision = {
        "start_precision": "day" if spec.start else None,
        "end_precision": "day" if spec.end else None,
    }
    period = f"{spec.start or '..'}/{spec.end or '..'}"
    transfer_id: int = session.execute(
        insert(T["transfer"])
        .values(
            key=spec.key,
            period=period,
            period_start=spec.start,
            period_end=spec.end,
            status=spec.status,
            dataset_id=spec.dataset,
            supplier_code=spec.supplier,
            recipient_code=spec.recipient,
            materiel_slug=spec.materiel,
            **precision,
        )
        .returning(T["transfer"].c.id)
    ).scalar_one()
    for position, claim in enumerate(spec.claims):
        session.execute(
            insert(T["claim"]).values(
                transfer_id=transfer_id,
                source_id=claim.source,
                unit_slug=claim.unit,
                credibility=claim.credibility,
                position=position,
                **window(spec, claim),
                **quantity(claim.form, claim.a, claim.b),
            )
        )
    return transfer_id


def build(
    session: Session,
    sources: list[SourceSpec],
    transfers: list[TransferSpec],
    datasets: tuple[str, ...] = ("ds-a", "ds-b"),
) -> list[int]:
    """Insert everything and commit; returns the transfer ids."""
    for dataset_id in datasets:
        add_dataset(session, dataset_id)
    for source in sources:
        add_source(session, source)
    ids = [add_transfer(session, t) for t in transfers]
    session.commit()
    return ids


def clear(session: Session) -> None:
    """Delete all findings (keeps the seeded reference data)."""
    for table in (
        "violation",
        "claim",
        "transfer",
        "source_author",
        "source_cite",
        "source_root",
        "source",
        "load_record",
    ):
        session.execute(delete(T[table]))
    session.execute(delete(T["materiel_type"]).where(T["materiel_type"].c.dataset_id.is_not(None)))
    session.execute(delete(T["dataset"]))
    session.commit()
