"""Annual caps (refined petroleum, crude oil): what was delivered each year, against the cap.

For each cap provision, the transfers to its target in its categories (and their
subcategories) are estimated per year like ``transfers_by_year_and_category`` does
(:mod:`sanctrack.estimates`), and summed per year. Only quantities in the cap's unit
are compared; other units are counted in ``other_units``, never summed with it. A cap
is "certain"ly exceeded when the summed lower bound exceeds it, "probable" when the
summed best estimate does, "possible" when only the (bounded) summed upper bound does,
else "not_shown" (which is not proof of compliance: ``unquantified`` transfers may hide
any amount, but an unknown amount alone does not make a delivery a violation: the cap
allows deliveries up to it). A cap is checked only in the years it was in force
(:mod:`sanctrack.queries.in_force`): 2375's 2,000,000-barrel cap never, since 2397 op 5's
500,000 barrels superseded it from 1 January 2018, the day it would have begun.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctrack.estimates.engine import Estimate
from sanctrack.estimates.transfer import estimate_years
from sanctrack.models import metadata
from sanctrack.queries.claimset import Counted, counted_transfers
from sanctrack.queries.filters import Filters
from sanctrack.queries.in_force import InForce
from sanctrack.queries.run import check_total
from sanctrack.queries.totals import Total

PROVISION = metadata.tables["provision"]
PROVISION_CATEGORY = metadata.tables["provision_category"]
CapStatus = Literal["certain", "probable", "possible", "not_shown"]


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


def cap_filters(filters: Filters, provision: CapProvision) -> Filters:
    """The filters narrowed to what a cap provision covers."""
    scoped = filters.model_copy(update={"categories": provision.categories, "level": "leaf"})
    if provision.direction == "from_target":
        return scoped.model_copy(update={"suppliers": (provision.target_code,)})
    return scoped.model_copy(update={"recipients": (provision.target_code,)})


def cap_years(
    session: Session, filters: Filters, provision: CapProvision, policy: str, split: str
) -> Iterator[tuple[Counted, str | None, int, Estimate]]:
    """(transfer, its unit, year, estimate) for every year of every transfer a cap covers,
    in the years the cap was in force."""
    for t in counted_transfers(session, cap_filters(filters, provision)):
        years, e = estimate_years(t.claims, t.support, policy=policy, split=split)
        for year, window in zip(years, e.windows, strict=True):
            if provision.window.covers_year(year):
                yield t, e.unit, year, window


class CapProvision(BaseModel):
    """A cap provision, as the cap checks need it."""

    model_config = ConfigDict(extra="ignore")

    id: str
    direction: str | None
    target_code: str | None
    cap_amount: int
    cap_unit_slug: str
    categories: tuple[str, ...]
    in_force: date | None
    until: date | None  # the successor's in_force: the cap applies before it

    @property
    def window(self) -> InForce:
        return InForce(self.in_force, self.until)


def cap_provisions(session: Session) -> list[CapProvision]:
    """The cap provisions (reference data, a handful of rows) with their categories."""
    p, pc = PROVISION, PROVISION_CATEGORY
    successor = p.alias("successor")
    found = session.execute(
        select(p, successor.c.in_force.label("until"))
        .outerjoin(successor, successor.c.id == p.c.superseded_by)
        .where(p.c.kind == "cap")
        .order_by(p.c.id)
    ).all()
    covers = session.execute(select(pc.c.provision_id, pc.c.category_slug)).all()
    return [
        CapProvision(categories=tuple(sorted(c for pid, c in covers if pid == r.id)), **r._mapping)
        for r in found
    ]


def status_of(low: int, best: int, high: int | None, cap: int) -> CapStatus:
    if low > cap:
        return "certain"
    if best > cap:
        return "probable"
    return "possible" if high is not None and high > cap else "not_shown"


def cap_checks_for(
    session: Session, filters: Filters, policy: str, split: str
) -> list[CapCheckRow]:
    rows: list[CapCheckRow] = []
    for provision in cap_provisions(session):
        in_unit: dict[int, Total] = {}
        other: dict[int, int] = {}
        for _t, unit, year, e in cap_years(session, filters, provision, policy, split):
            if unit == provision.cap_unit_slug:
                in_unit.setdefault(year, Total()).add(e, set())
            else:
                other[year] = other.get(year, 0) + 1
        for year in sorted({*in_unit, *other}):
            total = in_unit.get(year, Total())
            check_total(total.low, total.best, total.high)
            cap = provision.cap_amount
            rows.append(
                CapCheckRow(
                    provision_id=provision.id,
                    year=year,
                    unit=provision.cap_unit_slug,
                    cap=cap,
                    low=total.low,
                    best=total.best,
                    high=total.high,
                    transfers=total.transfers,
                    unquantified=total.unquantified,
                    other_units=other.get(year, 0),
                    status=status_of(total.low, total.best, total.high, cap),
                )
            )
    rows.sort(key=lambda r: (r.provision_id, r.year))
    return rows
