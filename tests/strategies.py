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
def claims(draw: st.DrawFn, source: str, unit: str, max_value: int) -> ClaimSpec:
    form = draw(st.sampled_from(FORMS))
    a = draw(st.integers(0, max_value))
    b = draw(st.integers(a, max_value)) if form == "between" else None
    return ClaimSpec(source, form, a, b, unit, draw(st.integers(1, 6)))


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
    return TransferSpec(
        key,
        start,
        end,
        claims=[draw(claims(s, unit, max_value)) for s in sources],
        dataset=draw(st.sampled_from(["ds-a", "ds-b"])),
        recipient=draw(st.sampled_from(["RUS", "IRN"])),
        materiel=materiel,
    )


@st.composite
def transfer_lists(
    draw: st.DrawFn, max_size: int = 6, max_value: int = 10**12
) -> list[TransferSpec]:
    n = draw(st.integers(1, max_size))
    return [draw(transfers(f"t-{i}", max_value)) for i in range(n)]
