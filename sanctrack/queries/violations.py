"""``violations``: each transfer with the provisions (or regimes) it violates, asserted
or inferred.

* asserted: a source says so (a ``violation`` row with ``source_id``). It names a
  provision, or only a regime (``violates: [unsc-dprk]``: "a breach of UN Security
  Council resolutions"); a regime-level row has no provision and no provision text;
* inferred by the rules of :mod:`sanctrack.queries.violation_rules` (embargoes and bans,
  in force at the transfer's period, each with a confidence), and
  - "annual_cap": a cap exceeded in a year it was in force ("certain", "probable" or
    "possible", see :mod:`sanctrack.queries.caps`); every transfer delivered in the
    cap's unit that year is listed. A capped delivery is never a violation by its
    category alone: an allowed (notified) delivery within the cap is not listed.

``confidence`` is None for asserted rows (the source's word, weighed by its reliability);
a rule row stored in the ``violation`` table (sanctrack writes none) records no
confidence, and is returned as ``possible``.
"""

from __future__ import annotations

from typing import Any, Literal, Unpack

from pydantic import BaseModel
from sqlalchemy import CTE, Select, case, func, literal, null, or_, select
from sqlalchemy.orm import Session

from sanctrack.models import metadata
from sanctrack.queries.base import counted_transfers_cte
from sanctrack.queries.caps import (
    PROVISION,
    CapCheckRow,
    cap_checks_for,
    cap_provisions,
    cap_years,
)
from sanctrack.queries.filters import ClaimPolicy, FilterArgs, Filters, YearSplit, make_filters
from sanctrack.queries.in_force import Confidence, weakest
from sanctrack.queries.result import QueryResult
from sanctrack.queries.run import run_checked
from sanctrack.queries.violation_rules import rule_rows

VIOLATION = metadata.tables["violation"]
SOURCE = metadata.tables["source"]


class ViolationRow(BaseModel):
    """A transfer and one provision (or, asserted, one regime) it violates, with the basis
    for saying so, the provision's text and, inferred, the rule and its confidence."""

    transfer: str
    dataset: str
    supplier: str
    recipient: str
    category: str
    period: str
    regime: str
    provision_id: str | None
    provision_text: str | None
    basis: Literal["asserted", "inferred"]
    source_id: str | None
    rule: str | None
    confidence: Confidence | None
    year: int | None


def _columns(t: CTE) -> list[Any]:
    return [
        t.c.key.label("transfer"),
        t.c.dataset_id.label("dataset"),
        t.c.supplier_code.label("supplier"),
        t.c.recipient_code.label("recipient"),
        t.c.leaf.label("category"),
        t.c.period,
    ]


def stored_rows(t: CTE, filters: Filters) -> Select[Any]:
    v, s, p = VIOLATION, SOURCE, PROVISION
    basis = case((v.c.source_id.is_(None), "inferred"), else_="asserted")
    query = (
        select(
            *_columns(t),
            func.coalesce(p.c.regime, v.c.regime_id).label("regime"),
            v.c.provision_id,
            p.c.prohibits.label("provision_text"),
            basis.label("basis"),
            v.c.source_id,
            v.c.rule,
            case((v.c.rule.is_not(None), literal("possible")), else_=null()).label("confidence"),
            null().label("year"),
        )
        .select_from(t)
        .join(v, v.c.transfer_id == t.c.transfer_id)
        .outerjoin(p, p.c.id == v.c.provision_id)
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
    p = PROVISION
    found = session.execute(select(p.c.id, p.c.prohibits, p.c.regime)).all()
    texts = {r.id: r.prohibits for r in found}
    regimes = {r.id: r.regime for r in found}
    for provision in cap_provisions(session):
        exceeded: dict[int, Confidence] = {}
        for c in checks:
            if c.provision_id == provision.id and c.status != "not_shown":
                exceeded[c.year] = c.status
                if provision.in_force is None:  # not verified: never more than possible
                    exceeded[c.year] = weakest(c.status, "possible")
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
                        "regime": regimes[provision.id],
                        "provision_id": provision.id,
                        "provision_text": texts[provision.id],
                        "basis": "inferred",
                        "source_id": None,
                        "rule": "annual_cap",
                        "confidence": exceeded[year],
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
    found: list[Any] = [r._mapping for r in run_checked(session, stored_rows(counted, filters))]
    if inferred:
        found += rule_rows(session, counted)
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
            r.provision_id or "",
            r.regime,
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
    cap: "not_shown", which is not proof of compliance: the high is unbounded). Caps are
    checked only in the years they were in force (2375's cap never: see
    :mod:`sanctrack.queries.caps`)."""
    filters = make_filters(year_split=year_split, claim_policy=claim_policy, **filter_args)
    rows = cap_checks_for(session, filters, claim_policy, year_split)
    return QueryResult[CapCheckRow](
        rows=rows,
        parameters={**filters.model_dump(), "year_split": year_split, "claim_policy": claim_policy},
    )
