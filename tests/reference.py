"""A plain-Python model of the helpers over TransferSpecs: the same claims given straight
to the estimate engine (itself checked against an enumeration model in
test_estimates_engine), grouped by hand. What it checks is everything between: the SQL
that selects transfers and claims, the ranking, units, years and the grouping."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from builders import ClaimSpec, TransferSpec, quantity, window
from strategies import SOURCES

from sanctrack.estimates import Claim, estimate

RELIABILITY = {s.id: s.reliability for s in SOURCES}
PUBLISHED = {s.id: s.published for s in SOURCES}


def rank_key(c: ClaimSpec) -> tuple[bool, str, int, str]:
    """The envelope's and most_reliable's order: numeric first, reliability, newest, id."""
    published = PUBLISHED[c.source]
    newest = -published.toordinal() if published else 1
    return (c.form == "unquantified", RELIABILITY[c.source], newest, c.source)


def choose(transfer: TransferSpec) -> ClaimSpec:
    return min(transfer.claims, key=rank_key)


def engine_claims(t: TransferSpec, policy: str) -> tuple[list[Claim], str | None]:
    order = sorted(t.claims, key=rank_key)
    first = order[0]
    if policy != "envelope":
        order = [first]
    elif first.form != "unquantified":
        order = [c for c in order if c.form != "unquantified" and c.unit == first.unit]
    out = []
    for rank, c in enumerate(order):
        q = quantity(c.form, c.a, c.b)
        w = window(t, c)
        out.append(
            Claim(
                c.source,
                q["qualifier"],
                q["low"],
                q["best"],
                q["high"],
                w["window_start"],
                w["window_end"],
                rank,
            )
        )
    return out, first.unit


def years(t: TransferSpec, claims: list[Claim]) -> list[int]:
    """The years from the first to the last known date of a transfer (its period's, or
    where open, the dates of the claims that count)."""
    known = [d for d in (t.start, t.end) if d is not None]
    for c in claims:
        for d in c.start, c.end:
            if (
                d is not None
                and (t.start is None or d >= t.start)
                and (t.end is None or d <= t.end)
            ):
                known.append(d)
    return list(range(min(known).year, max(known).year + 1))


#: (year, supplier, recipient, leaf category, unit): directions are never added together.
Key = tuple[int, str, str, str, str | None]


def expected(
    ts: list[TransferSpec], mode: str, policy: str = "envelope"
) -> dict[Key, tuple[int, int, int | None, int]]:
    """(year, supplier, recipient, leaf category, unit) -> (low, best, high, transfers)."""
    acc: dict[Key, list[int | None]] = defaultdict(lambda: [0, 0, 0, 0])
    for t in ts:
        claims, unit = engine_claims(t, policy)
        spanned = years(t, claims)
        asked = [(date(y, 1, 1), date(y, 12, 31)) for y in spanned]
        for y, e in zip(
            spanned, estimate(claims, (t.start, t.end), asked, split=mode), strict=True
        ):
            row = acc[(y, t.supplier, t.recipient, t.materiel, unit)]
            row[0] = (row[0] or 0) + e.low
            row[1] = (row[1] or 0) + e.best
            row[2] = None if e.high is None or row[2] is None else row[2] + e.high
            row[3] = (row[3] or 0) + 1
    return {k: (v[0], v[1], v[2], v[3]) for k, v in acc.items()}  # type: ignore[misc]
