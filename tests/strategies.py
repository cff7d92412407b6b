"""Hypothesis strategies: transfers with one or more claims, periods over a few years."""

from __future__ import annotations

from datetime import date, timedelta

from builders import ClaimSpec, SourceSpec, TransferSpec
from hypothesis import strategies as st

SOURCES = [
    SourceSpec("s-a", "A", date(2024, 1, 1)),
    SourceSpec("s-b1", "B", date(2024, 6, 1)),
    SourceSpec("s-b2", "B", date(2025, 1, 1)),
    SourceSpec("s-b3", "B", None),
    SourceSpec("s-f", "F", date(2023, 1, 1), dataset="ds-b"),
]
SOURCE_IDS = [s.id for s in SOURCES]
FORMS = ["exact", "about", "at_least", "more_than", "up_to", "between", "unquantified"]
MATERIELS = [
    ("artillery-ammunition", "rounds"),
    ("troops", "personnel"),
    ("ammunition", "rounds"),
    ("ballistic-missiles", "missiles"),
]


@st.composite
def windows(
    draw: st.DrawFn, start: date | None, end: date | None
) -> tuple[str, tuple[date | None, date | None] | None]:
    """(measure, window): mostly a flow over the transfer's period; else a flow over a
    sub-window, or a running total from the transfer's start (or later) to a date."""
    shape = draw(st.sampled_from(["transfer", "transfer", "sub", "cumulative"]))
    if shape == "transfer":
        return "flow", None
    first = start or date(2019, 1, 1)
    last = end or first + timedelta(days=4 * 365)
    a = first + timedelta(days=draw(st.integers(0, (last - first).days)))
    b = a + timedelta(days=draw(st.integers(0, (last - a).days)))
    if shape == "sub":
        return "flow", (a, b)
    since = start if draw(st.booleans()) else a
    as_of = b + timedelta(days=draw(st.integers(0, 400)))  # a total may be dated later
    return "cumulative", (since, as_of)


@st.composite
def claims(
    draw: st.DrawFn,
    source: str,
    unit: str,
    max_value: int,
    period: tuple[date | None, date | None] = (None, None),
) -> ClaimSpec:
    form = draw(st.sampled_from(FORMS))
    a = draw(st.integers(0, max_value))
    b = draw(st.integers(a, max_value)) if form == "between" else None
    measure, window = draw(windows(*period))
    return ClaimSpec(source, form, a, b, unit, draw(st.integers(1, 6)), measure, window)


@st.composite
def periods(draw: st.DrawFn) -> tuple[date | None, date | None]:
    start = date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 5 * 365)))
    end = start + timedelta(days=draw(st.integers(0, 4 * 365)))
    shape = draw(st.sampled_from(["closed", "closed", "open_start", "open_end"]))
    return (None if shape == "open_start" else start, None if shape == "open_end" else end)


@st.composite
def transfers(draw: st.DrawFn, key: str, max_value: int = 10**12) -> TransferSpec:
    materiel, unit = draw(st.sampled_from(MATERIELS))
    sources = draw(st.lists(st.sampled_from(SOURCE_IDS), min_size=1, max_size=4, unique=True))
    start, end = draw(periods())
    supplier = draw(st.sampled_from(["PRK", "RUS"]))  # both directions of the founding case
    return TransferSpec(
        key,
        start,
        end,
        claims=[draw(claims(s, unit, max_value, (start, end))) for s in sources],
        dataset=draw(st.sampled_from(["ds-a", "ds-b"])),
        supplier=supplier,
        recipient=draw(st.sampled_from([r for r in ("PRK", "RUS", "IRN") if r != supplier])),
        materiel=materiel,
    )


@st.composite
def transfer_lists(
    draw: st.DrawFn, max_size: int = 6, max_value: int = 10**12
) -> list[TransferSpec]:
    n = draw(st.integers(1, max_size))
    return [draw(transfers(f"t-{i}", max_value)) for i in range(n)]
