"""The rules that infer violations from what a transfer moves, and when.

A provision covers a transfer when its categories (each with its subcategories) hold the
transfer's category, or its materiel types include the transfer's materiel type, and its
direction matches: to_target when the recipient is the target, from_target when the
supplier is, both for either. Rules:

* "arms_embargo": an embargo provision covers it;
* "prohibited_category" / "prohibited_materiel": a ban provision covers it through a
  category / a materiel type;

each with a confidence (:mod:`sanctrack.queries.in_force`): a transfer wholly outside the
provision's time in force is not listed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, and_, literal, or_, select, union_all
from sqlalchemy.orm import Session

from sanctrack.models import metadata
from sanctrack.queries.base import CATEGORY, TRANSFER
from sanctrack.queries.caps import PROVISION, PROVISION_CATEGORY
from sanctrack.queries.in_force import InForce
from sanctrack.queries.run import run_checked

PROVISION_MATERIEL = metadata.tables["provision_materiel"]


def covered_categories() -> CTE:
    """(provision_id, category_slug), a provision's categories with their descendants."""
    pc, c = PROVISION_CATEGORY, CATEGORY
    base = select(pc.c.provision_id, pc.c.category_slug).cte("covered", recursive=True)
    child = select(base.c.provision_id, c.c.slug).join(
        base, c.c.parent_slug == base.c.category_slug
    )
    return base.union_all(child)


def coverage(t: CTE) -> CTE:
    """(transfer_id, provision_id, through): the provisions whose categories or materiel
    types cover each listed transfer."""
    cov, pm = covered_categories(), PROVISION_MATERIEL
    by_category = select(
        t.c.transfer_id, cov.c.provision_id, literal("category").label("through")
    ).join(cov, cov.c.category_slug == t.c.leaf)
    by_materiel = (
        select(t.c.transfer_id, pm.c.provision_id, literal("materiel").label("through"))
        .join(TRANSFER, TRANSFER.c.id == t.c.transfer_id)
        .join(pm, pm.c.materiel_slug == TRANSFER.c.materiel_slug)
    )
    return union_all(by_category, by_materiel).cte("coverage")


def rule_rows(session: Session, t: CTE) -> list[dict[str, Any]]:
    """The inferred violations of embargoes and bans, with their confidence."""
    p, cov = PROVISION, coverage(t)
    successor = p.alias("successor")
    to_target = and_(
        p.c.direction.in_(("to_target", "both")), t.c.recipient_code == p.c.target_code
    )
    from_target = and_(
        p.c.direction.in_(("from_target", "both")), t.c.supplier_code == p.c.target_code
    )
    query = (
        select(
            t.c.key.label("transfer"),
            t.c.dataset_id.label("dataset"),
            t.c.supplier_code.label("supplier"),
            t.c.recipient_code.label("recipient"),
            t.c.leaf.label("category"),
            t.c.period,
            t.c.period_start,
            t.c.period_end,
            p.c.regime,
            p.c.id.label("provision_id"),
            p.c.prohibits.label("provision_text"),
            p.c.kind,
            p.c.in_force,
            p.c.applies_if,
            successor.c.in_force.label("until"),
            cov.c.through,
        )
        .select_from(t)
        .join(cov, cov.c.transfer_id == t.c.transfer_id)
        .join(p, p.c.id == cov.c.provision_id)
        .outerjoin(successor, successor.c.id == p.c.superseded_by)
        .where(p.c.kind.in_(("embargo", "ban")), or_(to_target, from_target))
    )
    rows = []
    for r in run_checked(session, query):
        window = InForce(r.in_force, r.until)
        confidence = window.confidence(r.period_start, r.period_end, r.applies_if is None)
        if confidence is None:
            continue
        kind = "prohibited_materiel" if r.through == "materiel" else "prohibited_category"
        rows.append(
            {
                **{k: v for k, v in r._mapping.items() if k in _KEPT},
                "basis": "inferred",
                "source_id": None,
                "rule": "arms_embargo" if r.kind == "embargo" else kind,
                "confidence": confidence,
                "year": None,
            }
        )
    return rows


_KEPT = {
    "transfer",
    "dataset",
    "supplier",
    "recipient",
    "category",
    "period",
    "regime",
    "provision_id",
    "provision_text",
}
