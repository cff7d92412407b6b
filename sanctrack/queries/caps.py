"""Annual caps (refined petroleum, crude oil): what was delivered each year, against the cap.

For each cap provision, the transfers to its target in its categories (and their
subcategories) are split into years like ``transfers_by_year_and_category`` does, and
their chosen claims summed per (year, unit) in SQL. Only quantities in the cap's unit
are compared; other units are counted in ``other_units``, never summed with it. A cap
is "certain"ly exceeded when the summed lower bound exceeds it, "probable" when the
summed best estimate does, else "not_shown" (which is not proof of compliance:
``unquantified`` transfers may hide any amount).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import CTE, Select, and_, case, func, select
from sqlalchemy.orm import Session

from sanctrack.models import metadata
from sanctrack.queries.base import chosen, filtered_transfers, ranked_claims
from sanctrack.queries.by_year import dialect_of, run_checked, total_sum
from sanctrack.queries.filters import ClaimPolicy, Filters, YearSplit
from sanctrack.queries.split import split_years

PROVISION = metadata.tables["provision"]
PROVISION_CATEGORY = metadata.tables["provision_category"]
CapStatus = Literal["certain", "probable", "not_shown"]


class CapCheckRow(BaseModel):
    """One cap in one year: the delivered totals in the cap's unit, and the verdict."""

    provision_id: str
    year: int
    unit: str
    cap: int
    low: int
    best: int
    high: int | None
    transfers: int
    unquantified: int
    other_units: int
    status: CapStatus


def cap_split(
    filters: Filters, provision: CapProvision, policy: ClaimPolicy, split: YearSplit, dialect: str
) -> CTE:
    """The year-split chosen quantities of the transfers a cap provision covers."""
    scoped = filters.model_copy(update={"categories": provision.categories, "level": "leaf"})
    if provision.direction == "from_target":
        scoped = scoped.model_copy(update={"suppliers": (provision.target_code,)})
    else:
        scoped = scoped.model_copy(update={"recipients": (provision.target_code,)})
    prefix = f"cap_{_safe(provision.id)}"
    transfers = filtered_transfers(scoped, name=f"{prefix}_ft")
    ranked = ranked_claims(transfers, scoped, policy, dialect, name=f"{prefix}_rc")
    picked = chosen(transfers, ranked, name=f"{prefix}_chosen")
    return split_years(picked, split, name=f"{prefix}_split")


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name)


def cap_query(split: CTE, provision: CapProvision) -> Select[Any]:
    in_unit = split.c.unit == provision.cap_unit_slug
    unbounded = func.max(case((and_(in_unit, split.c.high.is_(None)), 1), else_=0))
    return select(
        split.c.year,
        func.coalesce(total_sum(case((in_unit, split.c.low))), 0).label("low"),
        func.coalesce(total_sum(case((in_unit, split.c.best))), 0).label("best"),
        case(
            (unbounded == 1, None), else_=func.coalesce(total_sum(case((in_unit, split.c.high))), 0)
        ).label("high"),
        func.sum(case((in_unit, 1), else_=0)).label("transfers"),
        func.sum(case((in_unit, split.c.unquantified), else_=0)).label("unquantified"),
        func.sum(case((in_unit, 0), else_=1)).label("other_units"),
    ).group_by(split.c.year)


class CapProvision(BaseModel):
    """A cap provision, as the cap checks need it."""

    model_config = ConfigDict(extra="ignore")

    id: str
    direction: str | None
    target_code: str | None
    cap_amount: int
    cap_unit_slug: str
    categories: tuple[str, ...]


def cap_provisions(session: Session) -> list[CapProvision]:
    """The cap provisions (reference data, a handful of rows) with their categories."""
    p, pc = PROVISION, PROVISION_CATEGORY
    found = session.execute(select(p).where(p.c.kind == "cap").order_by(p.c.id)).all()
    covers = session.execute(select(pc.c.provision_id, pc.c.category_slug)).all()
    return [
        CapProvision(categories=tuple(sorted(c for pid, c in covers if pid == r.id)), **r._mapping)
        for r in found
    ]


def status_of(low: int, best: int, cap: int) -> CapStatus:
    if low > cap:
        return "certain"
    return "probable" if best > cap else "not_shown"


def cap_checks_for(
    session: Session, filters: Filters, policy: ClaimPolicy, split: YearSplit
) -> list[CapCheckRow]:
    rows: list[CapCheckRow] = []
    for provision in cap_provisions(session):
        query = cap_query(
            cap_split(filters, provision, policy, split, dialect_of(session)), provision
        )
        for r in run_checked(session, query):
            cap = provision.cap_amount
            rows.append(
                CapCheckRow(
                    provision_id=provision.id,
                    unit=provision.cap_unit_slug,
                    cap=cap,
                    status=status_of(r.low, r.best, cap),
                    **r._mapping,
                )
            )
    rows.sort(key=lambda r: (r.provision_id, r.year))
    return rows
