"""The estimate engine against a plain-Python reference model, and its promises:
sound bounds, more evidence never widens them, conflicts are never silent, years add
up, and a numeric claim is never overridden by an unquantified one."""

from __future__ import annotations

from datetime import date, timedelta

from builders import quantity
from estimate_reference import RefClaim, bounds, solutions
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrack.estimates import Claim, estimate

DAY0 = date(2024, 1, 1)
QUALIFIERS = ("exact", "about", "at_least", "more_than", "up_to", "between", "unquantified")


def day(i: int) -> date:
    return DAY0 + timedelta(days=i)


def stored(qualifier: str, a: int, b: int) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) as the store keeps them for a qualifier and figures a <= b."""
    q = quantity(qualifier, a, b)
    return q["low"], q["best"], q["high"]


@st.composite
def small_claims(draw: st.DrawFn, days: int) -> list[tuple[int, int, str, int, int]]:
    out = []
    for _ in range(draw(st.integers(1, 3))):
        first = draw(st.integers(0, days - 1))
        last = draw(st.integers(first, days - 1))
        a, b = sorted(draw(st.tuples(st.integers(0, 5), st.integers(0, 5))))
        out.append((first, last, draw(st.sampled_from(QUALIFIERS)), a, b))
    return out


def both(raw: list[tuple[int, int, str, int, int]]) -> tuple[list[Claim], list[RefClaim]]:
    engine, reference = [], []
    for rank, (first, last, q, a, b) in enumerate(raw):
        low, best, high = stored(q, a, b)
        engine.append(Claim(f"c{rank}", q, low, best, high, day(first), day(last), rank))
        reference.append(RefClaim(first, last, q, low, best, high))
    return engine, reference


@settings(max_examples=150)
@given(data=st.data(), days=st.integers(1, 3))
def test_bounds_and_conflicts_match_the_reference_model(data: st.DataObject, days: int) -> None:
    raw = data.draw(small_claims(days))
    engine_claims, ref_claims = both(raw)
    first = data.draw(st.integers(0, days - 1))
    last = data.draw(st.integers(first, days - 1))
    support = (day(0), day(days - 1))
    (got,) = estimate(engine_claims, support, [(day(first), day(last))])
    cap = 16
    consistent = solutions(days, ref_claims, cap, checked=True)
    numeric = [c for c in ref_claims if c.qualifier != "unquantified"]
    assert got.unquantified == (not numeric)
    assert bool(got.conflicting) == (not consistent)
    if consistent:
        assert (got.low, got.high) == bounds(solutions(days, ref_claims, cap), first, last, cap)
    assert got.low <= got.best and (got.high is None or got.best <= got.high)


@st.composite
def truth_and_claims(draw: st.DrawFn) -> tuple[list[int], list[Claim]]:
    """A hidden daily flow over a support, and claims that are true of it."""
    flows = draw(st.lists(st.integers(0, 1000), min_size=1, max_size=40))
    claims = []
    for rank in range(draw(st.integers(1, 6))):
        first = draw(st.integers(0, len(flows) - 1))
        last = draw(st.integers(first, len(flows) - 1))
        true = sum(flows[first : last + 1])
        q = draw(st.sampled_from(QUALIFIERS))
        if q == "exact":
            low, best, high = true, true, true
        elif q == "about":  # within the tolerance: true/1.25 <= figure <= true/0.75
            figure = draw(st.integers(-(-true * 4 // 5), true * 4 // 3))
            low, best, high = None, figure, None
        elif q in ("at_least", "more_than"):
            low = best = draw(st.integers(0, true))
            high = None
        elif q == "up_to":
            best = high = draw(st.integers(true, true + 500))
            low = None
        elif q == "between":
            low, high = draw(st.integers(0, true)), draw(st.integers(true, true + 500))
            best = None
        else:
            low = best = high = None
        claims.append(Claim(f"c{rank}", q, low, best, high, day(first), day(last), rank))
    return flows, claims


@given(case=truth_and_claims(), data=st.data())
def test_bounds_are_sound_and_true_claims_never_conflict(
    case: tuple[list[int], list[Claim]], data: st.DataObject
) -> None:
    flows, claims = case
    support = (day(0), day(len(flows) - 1))
    windows = []
    for _ in range(5):
        first = data.draw(st.integers(-3, len(flows) + 3))
        last = data.draw(st.integers(first, len(flows) + 5))
        windows.append((first, last))
    for (first, last), got in zip(
        windows, estimate(claims, support, [(day(a), day(b)) for a, b in windows]), strict=True
    ):
        true = sum(flows[max(first, 0) : max(last + 1, 0)])
        assert not got.conflicting
        assert got.low <= true and (got.high is None or true <= got.high)


@given(case=truth_and_claims(), extra=truth_and_claims(), data=st.data())
def test_more_evidence_never_widens_the_bounds(
    case: tuple[list[int], list[Claim]], extra: tuple[list[int], list[Claim]], data: st.DataObject
) -> None:
    flows, claims = case
    _, more = extra
    # keep the extra claims that lie within this support, true of these flows
    added = [c for c in more if c.end is not None and c.end <= day(len(flows) - 1)]
    true_added = []
    for c in added:
        assert c.start is not None and c.end is not None
        true = sum(flows[(c.start - DAY0).days : (c.end - DAY0).days + 1])
        low, high = c.checked()
        if low <= true and (high is None or true <= high):
            true_added.append(c)
    support = (day(0), day(len(flows) - 1))
    first = data.draw(st.integers(0, len(flows) - 1))
    window = [(day(first), day(data.draw(st.integers(first, len(flows) - 1))))]
    (before,) = estimate(claims, support, window)
    (after,) = estimate([*claims, *true_added], support, window)
    assert before.low <= after.low
    assert before.high is None or (after.high is not None and after.high <= before.high)


@st.composite
def any_claims(draw: st.DrawFn) -> list[Claim]:
    """Claims over 2023-2025, true or not: conflicts included."""
    claims = []
    for rank in range(draw(st.integers(1, 6))):
        first = draw(st.integers(0, 1095))
        last = draw(st.integers(first, 1095))
        a, b = sorted(draw(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000))))
        q = draw(st.sampled_from(QUALIFIERS))
        low, best, high = stored(q, a, b)
        start = date(2023, 1, 1) + timedelta(days=first)
        end = date(2023, 1, 1) + timedelta(days=last)
        claims.append(Claim(f"c{rank}", q, low, best, high, start, end, rank))
    return claims


@given(claims=any_claims(), split=st.sampled_from(["prorate", "start", "end"]))
def test_years_add_up(claims: list[Claim], split: str) -> None:
    support = (date(2023, 1, 1), date(2025, 12, 31))
    years = [(date(y, 1, 1), date(y, 12, 31)) for y in (2023, 2024, 2025)]
    *per_year, whole = estimate(claims, support, [*years, support], split=split)
    assert sum(e.low for e in per_year) <= whole.low
    highs = [e.high for e in per_year]
    if whole.high is not None and all(h is not None for h in highs):
        assert sum(h for h in highs if h is not None) >= whole.high
    for e in (*per_year, whole):
        assert e.low <= e.best and (e.high is None or e.best <= e.high)
        assert e.conflicting == whole.conflicting


def as_read(c: Claim) -> Claim:
    """A claim with its conflict reading as hard bounds ("about N" as N -25% .. +25%)."""
    low, high = c.checked()
    return Claim(c.label, "between", low, None, high, c.start, c.end, c.rank)


@given(claims=any_claims(), data=st.data())
def test_conflicting_bounds_are_the_hull_of_each_reading(
    claims: list[Claim], data: st.DataObject
) -> None:
    """With a conflict, the bounds of every window hold the bounds of each reading: one
    conflicting claim with every claim not in conflict (or alone, if even that cannot
    hold). The hull is never narrower than one of them."""
    support = (date(2023, 1, 1), date(2025, 12, 31))
    first = data.draw(st.integers(0, 1095))
    start = date(2023, 1, 1) + timedelta(days=first)
    window = (start, start + timedelta(days=data.draw(st.integers(0, 1095 - first))))
    (got,) = estimate(claims, support, [window])
    agreeing = [c for c in claims if c.label not in got.conflicting]
    for c in claims:
        if c.label not in got.conflicting:
            continue
        (reading,) = estimate([*agreeing, as_read(c)], support, [window])
        if reading.conflicting:
            (reading,) = estimate([as_read(c)], support, [window])
        assert got.low <= reading.low
        assert got.high is None or (reading.high is not None and reading.high <= got.high)


@given(claims=any_claims())
def test_a_numeric_claim_is_never_overridden_by_an_unquantified_one(claims: list[Claim]) -> None:
    support = (date(2023, 1, 1), date(2025, 12, 31))
    vague = Claim("vague", "unquantified", None, None, None, *support, rank=-1)
    (alone,) = estimate(claims, support, [support])
    (with_vague,) = estimate([vague, *claims], support, [support])
    numeric = any(c.qualifier != "unquantified" for c in claims)
    assert with_vague.unquantified == (not numeric)
    assert (with_vague.low, with_vague.high) == (alone.low, alone.high)


def test_a_figure_outside_the_period_is_a_conflict_not_a_hang() -> None:
    support = (date(2024, 1, 1), date(2024, 12, 31))
    outside = Claim("late", "at_least", 5, 5, None, date(2025, 1, 1), date(2025, 3, 1), 0)
    inside = Claim("year", "exact", 10, 10, 10, *support, rank=1)
    (got,) = estimate([outside, inside], support, [support])
    assert got.conflicting == ("late",)
    assert (got.low, got.high) == (10, 10)
    (alone,) = estimate([outside], support, [support])
    assert alone.conflicting == ("late",) and (alone.low, alone.high) == (0, None)
