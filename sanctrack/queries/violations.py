"""``violations``: each transfer with the provisions it violates, asserted or inferred.

* asserted: a source says so (a ``violation`` row with ``source_id``);
* inferred by a rule (``violation`` rows with ``rule`` are included too):
  - "arms_embargo": an embargo provision covers the transfer's category (a provision's
    category covers its subcategories) and its direction matches: to_target when the
    recipient is the target, from_target when the supplier is, both for either;
  - "prohibited_category": the same for ban provisions (arms-related training and
    technical assistance, vessels, helicopters, aviation fuel, workers...);
  - "annual_cap": a cap exceeded in a year ("certain" or "probable", see
    :mod:`sanctrack.queries.caps`); every transfer delivered in the cap's unit that
    year is listed.
Provisions carry no dates: a rule does not check that the provision was in force.
"""

from __future__ import annotations

from typing import Any, Literal, Unpack

from pydantic import BaseModel
from sqlalchemy import CTE, Select, and_, case, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from sanctrack.models import metadata
from sanctrack.queries.base import CATEGORY, counted_transfers_cte
from sanctrack.queries.caps import (
    PROVISION,
    PROVISION_CATEGORY,
    CapCheckRow,
    cap_checks_for,
    cap_provisions,
    cap_years,
)
from sanctrack.queries.filters import ClaimPolicy, FilterArgs, Filters, YearSplit, make_filters
from sanctrack.queries.result import QueryResult
from sanctrack.queries.run import run_checked

VIOLATION = metadata.tables["violation"]
SOURCE = metadata.tables["source"]
Status = Literal["violation", "certain", "probable"]


class ViolationRow(BaseModel):
    """A transfer and one provision it violates, with the basis for saying so."""

    transfer: str
    dataset: str
    supplier: str
    recipient: str
    category: str
    period: str
    provision_id: str
    basis: Literal["asserted", "inferred"]
    source_id: str | None
    rule: str | None
    status: Status
    year: int | None


def covered_categories() -> CTE:
    """(provision_id, category_slug), a provision's categories with their descendants."""
    pc, c = PROVISION_CATEGORY, CATEGORY
    base = select(pc.c.provision_id, pc.c.category_slug).cte("covered", recursive=True)
    child = select(base.c.provision_id, c.c.slug).join(
        base, c.c.parent_slug == base.c.category_slug
    )
    return base.union_all(child)


def _columns(t: CTE) -> list[Any]:
    return [
        t.c.key.label("transfer"),
        t.c.dataset_id.label("dataset"),
        t.c.supplier_code.label("supplier"),
        t.c.recipient_code.label("recipient"),
        t.c.leaf.label("category"),
        t.c.period,
    ]


def rule_rows(t: CTE) -> Select[Any]:
    p, cov = PROVISION, covered_categories()
    to_target = and_(
        p.c.direction.in_(("to_target", "both")), t.c.recipient_code == p.c.target_code
    )
    from_target = and_(
        p.c.direction.in_(("from_target", "both")), t.c.supplier_code == p.c.target_code
    )
    rule = case((p.c.kind == "embargo", "arms_embargo"), else_="prohibited_category")
    return (
        select(
            *_columns(t),
            p.c.id.label("provision_id"),
            literal("inferred").label("basis"),
            null().label("source_id"),
            rule.label("rule"),
            literal("violation").label("status"),
            null().label("year"),
        )
        .select_from(t)
        .join(cov, cov.c.category_slug == t.c.leaf)
        .join(p, p.c.id == cov.c.provision_id)
        .where(p.c.kind.in_(("embargo", "ban")), or_(to_target, from_target))
    )


def stored_rows(t: CTE, filters: Filters) -> Select[Any]:
    v, s = VIOLATION, SOURCE
    basis = case((v.c.source_id.is_(None), "inferred"), else_="asserted")
    query = (
        select(
            *_columns(t),
            v.c.provision_id,
            basis.label("basis"),
            v.c.source_id,
            v.c.rule,
            literal("violation").label("status"),
            null().label("year"),
        )
        .select_from(t)
        .join(v, v.c.transfer_id == t.c.transfer_id)
        .outerjoin(s, s.c.id == v.c.source_id)
    )
    if filters.min_reliability is not None:
        query = query.where(
            or_(v.c.source_id.is_(None), s.c.reliability <= filters.min_reliability)
        )
    if filters.sources is not None:
        query = query.where(or_(v.c.source_id.is_(None), v.c.source_id.in_(filters.sources)))
    return query


def cap_rows(
    session: Session,
    counted: set[int],
    filters: Filters,
    checks: list[CapCheckRow],
    policy: str,
    split: str,
) -> list[dict[str, Any]]:
    """The listed transfers delivered in a cap's unit in a year it was exceeded."""
    rows: list[dict[str, Any]] = []
    for provision in cap_provisions(session):
        exceeded = {
            c.year: c.status
            for c in checks
            if c.provision_id == provision.id and c.status != "not_shown"
        }
        if not exceeded:
            continue
        for t, unit, year, _e in cap_years(session, filters, provision, policy, split):
            if year in exceeded and unit == provision.cap_unit_slug and t.id in counted:
                rows.append(
                    {
                        "transfer": t.key,
                        "dataset": t.dataset,
                        "supplier": t.supplier,
                        "recipient": t.recipient,
                        "category": t.leaf,
                        "period": t.period,
                        "provision_id": provision.id,
                        "basis": "inferred",
                        "source_id": None,
                        "rule": "annual_cap",
                        "status": exceeded[year],
                        "year": year,
                    }
                )
    return rows


def violations(
    session: Session,
    *,
    inferred: bool = True,
    year_split: YearSplit = "prorate",
    claim_policy: ClaimPolicy = "envelope",
    **filter_args: Unpack[FilterArgs],
) -> QueryResult[ViolationRow]:
    """Each transfer with the provisions it violates (see the module docstring).

    The state and category filters choose the transfers listed; cap totals always sum
    everything delivered to the target (subject to the source and dataset filters)."""
    filters = make_filters(year_split=year_split, claim_policy=claim_policy, **filter_args)
    counted = counted_transfers_cte(filters)
    parts = [stored_rows(counted, filters)] + ([rule_rows(counted)] if inferred else [])
    found: list[Any] = [r._mapping for r in run_checked(session, union_all(*parts))]
    if inferred:
        evidence = Filters(
            min_reliability=filters.min_reliability,
            datasets=filters.datasets,
            sources=filters.sources,
            statuses=filters.statuses,
            as_of=filters.as_of,
        )
        checks = cap_checks_for(session, evidence, claim_policy, year_split)
        listed = {r.transfer_id for r in run_checked(session, select(counted.c.transfer_id))}
        found += cap_rows(session, listed, evidence, checks, claim_policy, year_split)
    rows = sorted({ViolationRow.model_validate(r).model_dump_json(): None for r in found})
    parsed = [ViolationRow.model_validate_json(r) for r in rows]
    parsed.sort(
        key=lambda r: (
            r.transfer,
            r.provision_id,
            r.basis,
            r.source_id or "",
            r.rule or "",
            r.year or 0,
        )
    )
    return QueryResult[ViolationRow](
        rows=parsed,
        parameters={
            **filters.model_dump(),
            "inferred": inferred,
            "year_split": year_split,
            "claim_policy": claim_policy,
        },
    )


def cap_checks(
    session: Session,
    *,
    year_split: YearSplit = "prorate",
    claim_policy: ClaimPolicy = "envelope",
    **filter_args: Unpack[FilterArgs],
) -> QueryResult[CapCheckRow]:
    """Every cap provision in every year with deliveries: the totals and the verdict.
    The cap's target and categories replace the state and category filters.

    Worked example: refined petroleum to the DPRK in 2024, "more than 165,000 barrels in
    March 2024 alone" and no other figure: the 2024 low is 165,000 (below the 500,000-barrel
    cap: "not_shown", which is not proof of compliance: the high is unbounded)."""
    filters = make_filters(year_split=year_split, claim_policy=claim_policy, **filter_args)
    rows = cap_checks_for(session, filters, claim_policy, year_split)
    return QueryResult[CapCheckRow](
        rows=rows,
        parameters={**filters.model_dump(), "year_split": year_split, "claim_policy": claim_policy},
    )
