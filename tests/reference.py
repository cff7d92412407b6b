"""A plain-Python model of transfers_by_year_and_category, for the property tests."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from builders import ClaimSpec, TransferSpec
from strategies import SOURCES

RELIABILITY = {s.id: s.reliability for s in SOURCES}
PUBLISHED = {s.id: s.published for s in SOURCES}


def choose(transfer: TransferSpec) -> ClaimSpec:
    """The most_reliable policy: reliability, newest publication, source id."""

    def key(c: ClaimSpec) -> tuple[str, int, str]:
        published = PUBLISHED[c.source]
        return (RELIABILITY[c.source], -(published.toordinal() if published else -1), c.source)

    return min(transfer.claims, key=key)


def effective(c: ClaimSpec) -> tuple[int, int, int | None]:
    from builders import quantity

    q = quantity(c.form, c.a, c.b)
    low = q["low"] or 0
    best = q["best"] if q["best"] is not None else low
    return low, best, q["high"]


def years(t: TransferSpec, mode: str) -> dict[int, tuple[int, int, int | None]]:
    low, best, high = effective(choose(t))
    start = t.start or t.end
    end = t.end or t.start
    assert start and end
    if mode == "start" or start.year == end.year:
        return {start.year: (low, best, high)}
    if mode == "end":
        return {end.year: (low, best, high)}
    s, e = start.toordinal(), end.toordinal()
    days = e - s + 1

    def share(q: int, y: int) -> int:
        c0 = max(date(y, 1, 1).toordinal(), s) - s
        c1 = min(date(y + 1, 1, 1).toordinal(), e + 1) - s
        return q * c1 // days - q * c0 // days

    out: dict[int, tuple[int, int, int | None]] = {}
    for y in range(start.year, end.year + 1):
        lo = share(low, y)
        be = lo + share(best - low, y)
        hi = None if high is None else be + share(high - best, y)
        out[y] = (lo, be, hi)
    return out


def expected(
    ts: list[TransferSpec], mode: str
) -> dict[tuple[int, str, str | None], tuple[int, int, int | None, int]]:
    """(year, leaf category, unit) -> (low, best, high, transfers)."""
    acc: dict[tuple[int, str, str | None], list[int | None]] = defaultdict(lambda: [0, 0, 0, 0])
    for t in ts:
        unit = choose(t).unit
        for y, (lo, be, hi) in years(t, mode).items():
            row = acc[(y, t.materiel, unit)]
            row[0] = (row[0] or 0) + lo
            row[1] = (row[1] or 0) + be
            row[2] = None if hi is None or row[2] is None else row[2] + hi
            row[3] = (row[3] or 0) + 1
    return {k: (v[0], v[1], v[2], v[3]) for k, v in acc.items()}  # type: ignore[misc]
