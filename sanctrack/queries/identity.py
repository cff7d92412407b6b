"""Identity groups: the transfers that ``same_as`` links make one physical transfer.

A group is what the links join, transitively, among the transfers loaded (a link waits
until both of its transfers are). A query counts a group once: the members that pass
its filters are pooled into one transfer whose claims are all theirs, estimated by the
engine together (so two datasets reporting one flow never add up). The first member, in
(dataset, key) order, names the group; its period is the hull of the members'.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from sqlalchemy import Select, Table, and_, select, union
from sqlalchemy.orm import Session

from sanctrack.models import metadata
from sanctrack.queries.base import TRANSFER

LINK: Table = metadata.tables["transfer_link"]


@cache
def linked_pairs(kind: str = "same_as") -> Any:
    """(a, b): the transfer ids of each link of ``kind`` whose transfers are both loaded.
    Built once (SQLAlchemy's statements are immutable, so one serves every query)."""
    a, b, link = TRANSFER.alias("link_a"), TRANSFER.alias("link_b"), LINK
    return (
        select(a.c.id.label("a"), b.c.id.label("b"))
        .select_from(
            link.join(a, and_(a.c.dataset_id == link.c.a_dataset, a.c.key == link.c.a_key)).join(
                b, and_(b.c.dataset_id == link.c.b_dataset, b.c.key == link.c.b_key)
            )
        )
        .where(link.c.kind == kind)
    )


@cache
def grouped() -> Select[Any]:
    """The ids of the transfers in an identity group (of two or more); built once."""
    pairs = linked_pairs().subquery("same_pairs")
    ids = union(select(pairs.c.a.label("id")), select(pairs.c.b)).subquery("grouped_ids")
    return select(ids.c.id)


def identity_groups(session: Session) -> dict[int, int]:
    """Transfer id -> its group's id (the smallest member id), for grouped transfers."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in session.execute(linked_pairs()).all():
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def distinct_pairs(session: Session) -> set[frozenset[int]]:
    """The pairs of loaded transfers judged different (``distinct_from``)."""
    return {frozenset(row) for row in session.execute(linked_pairs("distinct_from")).all()}


def pooled(counted: Iterable[Any], groups: dict[int, int], pool: Any) -> Iterator[Any]:
    """``counted`` (transfers, in id order) with each group's members pooled by ``pool``
    (called with the members, in (dataset, key) order); the groups come last."""
    held: dict[int, list[Any]] = {}
    for t in counted:
        group = groups.get(t.id)
        if group is None:
            yield t
        else:
            held.setdefault(group, []).append(t)
    for group in sorted(held):
        yield pool(sorted(held[group], key=lambda t: (t.dataset, t.key)))
