"""Hypothesis strategies for whole fixture documents (dicts in the fixture format, see
fixtures/README.md), and for sets of datasets that can be loaded in any order.

The reference data comes from the seeds: the categories with the units that fit them
(inherited from the parent when a category lists none) and the seeded materiel types.
Every generated document is valid: it loads without error on its own, and a set of
documents from :func:`dataset_sets` loads in any order (no dataset refers to another's
sources or materiel types).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from sanctrack.fixture.schema import BLANK_LETTERS
from sanctrack.periods import parse_period

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _category_units() -> dict[str, list[str]]:
    categories = yaml.safe_load((SEEDS / "categories.yaml").read_text("utf-8"))["categories"]
    by_slug = {c["slug"]: c for c in categories}

    def units(slug: str) -> list[str]:
        c = by_slug[slug]
        return list(c.get("units") or units(c["parent"]))

    return {slug: units(slug) for slug in by_slug}


#: category slug -> the units that fit it
CATEGORY_UNITS = _category_units()
#: seeded materiel type slug -> (category, default unit)
SEEDED_MATERIEL = {
    m["slug"]: (m["category"], m["unit"])
    for m in yaml.safe_load((SEEDS / "materiel_types.yaml").read_text("utf-8"))["materiel_types"]
}
#: a few of them, so that categories and units repeat across transfers and datasets
MATERIEL_CHOICES = [
    "artillery-ammunition",
    "artillery-shell-152mm",
    "ammunition",
    "ballistic-missiles",
    "kn-23",
    "troops",
    "refined-petroleum",
    "pantsir",
]
#: states as codes, plus names resolve_state accepts for some of them; XXX is "unknown"
STATES = ["PRK", "RUS", "IRN", "XXX", "Russia", "Corea del Nord", "Iran"]
CODES = {"Russia": "RUS", "Corea del Nord": "PRK", "Iran": "IRN"}
PROVISIONS = ["unsc-1718-op8a", "unsc-1718-op8b", "unsc-1874-op10", "unsc-2270-op17"]
FORMS = ["exact", "about", "at_least", "more_than", "up_to", "between", "between_best", None]
HOSTILE_TEXT = [
    "x'; DROP TABLE transfer; --",
    '" OR 1=1 --',
    "a;b",
    "100%",
    "back\\slash",
    'Ro\'bert "Bobby"',
    "Северная Корея",
    "朝鲜",
    "emoji 🚀",
    "line\nbreak",
]

#: free text: printable characters of any script (no NUL, which the database rejects; no
#: surrogates, which no file encoding holds), and a few hostile strings
_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
text = st.one_of(st.text(_CHARS, min_size=1, max_size=12), st.sampled_from(HOSTILE_TEXT))
#: one-line text (names, titles, locators): what displays as itself, with no control,
#: invisible or bidirectional characters (sanctrack.fixture.schema.Visible)
_VISIBLE = st.characters(
    blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"), blacklist_characters=BLANK_LETTERS
)
one_line = st.one_of(
    st.text(_VISIBLE, min_size=1, max_size=12),
    st.sampled_from([t for t in HOSTILE_TEXT if t.isprintable()]),
)
#: one-line text that stays non-empty after the loader strips whitespace
required_one_line = one_line.filter(lambda s: s.strip() != "")


def short(strategy: st.SearchStrategy[str], limit: int) -> st.SearchStrategy[str]:
    return strategy.map(lambda s: s[:limit])


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def dates(draw: st.DrawFn) -> date:
    year = draw(st.integers(2019, 2026))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return date(year, month, day)


def _edtf(d: date, precision: str, qualifier: str) -> str:
    parts = {"year": 1, "month": 2, "day": 3}[precision]
    return "-".join(d.isoformat().split("-")[:parts]) + qualifier


@st.composite
def periods(draw: st.DrawFn) -> str:
    """A period in one of the README's forms: a year, month or day (each possibly
    qualified), a closed interval, or an interval open at one end."""
    precision = st.sampled_from(["year", "month", "day"])
    qualifier = st.sampled_from(["", "", "~", "?", "%"])
    a, b = sorted([draw(dates()), draw(dates())])
    left = _edtf(a, draw(precision), draw(qualifier))
    right = _edtf(b, draw(precision), draw(qualifier))
    shape = draw(st.sampled_from(["single", "interval", "open_end", "open_start"]))
    if shape == "single":
        return left
    if shape == "open_end":
        return f"{left}/.."
    if shape == "open_start":
        return f"../{right}"
    return f"{left}/{right}"


def _day_in(draw: st.DrawFn, first: date, last: date) -> date:
    return first + timedelta(days=draw(st.integers(0, (last - first).days)))


@st.composite
def claim_windows(
    draw: st.DrawFn, period: str, published: str | None
) -> tuple[dict[str, Any], tuple[Any, ...]]:
    """A claim's window fields for a transfer over ``period`` whose source was
    ``published``, and the window they resolve to, (measure, first day, last day):
    mostly none (a flow over the transfer's period), else a flow over a period of its
    own that overlaps the transfer's, or a running total (since, as_of: each given or
    left to its default when the default is valid)."""
    transfer = parse_period(period)
    first = transfer.start_date or date(2019, 1, 1)
    last = transfer.end_date or date(2026, 12, 31)
    shape = draw(st.sampled_from(["default", "default", "flow", "cumulative"]))
    if shape == "default":
        return {}, ("flow", transfer.start_date, transfer.end_date)
    precision = st.sampled_from(["year", "month", "day"])
    a = _day_in(draw, first, last)
    if shape == "flow":
        b = _day_in(draw, a, last)
        left = _edtf(a, draw(precision), draw(st.sampled_from(["", "", "~"])))
        right = ".." if draw(st.integers(0, 4)) == 0 else _edtf(b, draw(precision), "")
        own = parse_period(f"{left}/{right}")
        return {"period": own.text}, ("flow", own.start_date, own.end_date)
    window: dict[str, Any] = {"measure": "cumulative"}
    since = transfer.start_date
    if transfer.start is None or draw(st.booleans()):
        window["since"] = _edtf(a, draw(precision), "")
        since = parse_period(window["since"]).start_date
    assert since is not None
    day = date.fromisoformat(published) if published else None
    default_fits = day is not None and day >= max(since, first) and since <= last
    if default_fits and draw(st.booleans()):
        return window, ("cumulative", since, day)
    as_of = _day_in(draw, max(since, first), max(since, first) + timedelta(days=900))
    window["as_of"] = as_of.isoformat()
    return window, ("cumulative", since, as_of)


@st.composite
def quantities(draw: st.DrawFn, max_value: int = 10**12) -> dict[str, Any] | None:
    form = draw(st.sampled_from(FORMS))
    if form is None:
        return None
    a = draw(st.integers(0, max_value))
    if form.startswith("between"):
        b = draw(st.integers(a, max_value))
        quantity: dict[str, Any] = {"between": [a, b]}
        if form == "between_best":
            quantity["best"] = draw(st.integers(a, b))
        return quantity
    return {form: a}


@st.composite
def claims(draw: st.DrawFn, source: str, category: str, max_value: int = 10**12) -> dict[str, Any]:
    """A claim's source, quantity, unit, locator, credibility, quote and violations (its
    window: :func:`claim_windows`)."""
    claim: dict[str, Any] = {"source": source, "quantity": draw(quantities(max_value))}
    if claim["quantity"] is None and draw(st.booleans()):
        del claim["quantity"]  # omitted and null both mean unquantified
    unit = draw(optional(st.sampled_from(CATEGORY_UNITS[category])))
    if unit is not None:  # omitted: the materiel type's default unit
        claim["unit"] = unit
    locator = {
        k: draw(short(one_line, 50))
        for k in ("page", "paragraph", "figure")
        if draw(st.integers(0, 3)) == 0
    }
    if locator:
        claim["locator"] = locator
    if draw(st.booleans()):
        claim["credibility"] = draw(st.integers(1, 6))
    quote = draw(optional(text))
    if quote is not None:
        claim["quote"] = quote
    violates = draw(st.lists(st.sampled_from(PROVISIONS), max_size=2, unique=True))
    if violates:
        claim["violates"] = violates
    return claim


@st.composite
def sources(draw: st.DrawFn, prefix: str) -> list[dict[str, Any]]:
    """1-3 sources with ids ``<prefix>-s<n>``; a source may cite an earlier one."""
    out: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 3))):
        source: dict[str, Any] = {
            "id": f"{prefix}-s{i}",
            "kind": draw(
                st.sampled_from(
                    [
                        "report",
                        "official_statement",
                        "news_article",
                        "intelligence_assessment",
                        "dataset",
                        "other",
                    ]
                )
            ),
            "reliability": draw(st.sampled_from("ABCDEF")),
        }
        published = draw(optional(dates()))
        if published is not None:
            source["published"] = published.isoformat()
        for key, limit in (("publisher", 300), ("title", 500), ("url", 500)):
            value = draw(optional(required_one_line))
            if value is not None:
                source[key] = value[:limit]
        if draw(st.booleans()):
            source["language"] = draw(st.sampled_from(["en", "it", "ru", "ko"]))
        authors = draw(
            st.lists(
                st.one_of(
                    st.builds(lambda s: {"state": s}, st.sampled_from(STATES)),
                    st.builds(lambda o: {"organisation": o}, required_one_line),
                ),
                max_size=2,
            )
        )
        if authors:
            source["authors"] = authors
        if draw(st.booleans()) and out:
            source["cites"] = draw(st.sampled_from([s["id"] for s in out]))
        out.append(source)
    return out


@st.composite
def materiel_types(draw: st.DrawFn, prefix: str) -> list[dict[str, Any]]:
    """0-2 materiel types of the dataset's own, slugs ``<prefix>-m<n>``."""
    out = []
    for i in range(draw(st.integers(0, 2))):
        category = draw(st.sampled_from(sorted(CATEGORY_UNITS)))
        m: dict[str, Any] = {
            "slug": f"{prefix}-m{i}",
            "name": draw(required_one_line)[:300],
            "category": category,
            "unit": draw(st.sampled_from(CATEGORY_UNITS[category])),
        }
        designation = draw(optional(required_one_line))
        if designation is not None:
            m["designation"] = designation
        out.append(m)
    return out


@st.composite
def states(draw: st.DrawFn) -> tuple[str, str]:
    """(supplier, recipient): different states, unless both are unknown (XXX)."""
    supplier = draw(st.sampled_from(STATES))
    code = CODES.get(supplier, supplier)
    recipient = draw(
        st.sampled_from(
            [s for s in STATES if CODES.get(s, s) != code or code == "XXX"],
        )
    )
    return supplier, recipient


@st.composite
def fixture_documents(
    draw: st.DrawFn,
    dataset_id: str = "ds-a",
    max_transfers: int = 5,
    max_value: int = 10**12,
    repeat_sources: bool = True,
) -> dict[str, Any]:
    """One valid curated dataset ``dataset_id`` (sources ``<id>-s<n>``, materiel types
    ``<id>-m<n>``, transfers ``t<n>``), as a dict ready for ``fixture_cases.write``.
    Claims have windows (flows over periods of their own, running totals); with
    ``repeat_sources`` (the default) a source may make several claims on one transfer
    (the claim policies break ties by the claim's position)."""
    own_sources: list[dict[str, Any]] = draw(sources(dataset_id))
    own_materiel: list[dict[str, Any]] = draw(materiel_types(dataset_id))
    categories = {slug: c for slug, (c, _) in SEEDED_MATERIEL.items()}
    categories.update({m["slug"]: m["category"] for m in own_materiel})
    materiel_choices = MATERIEL_CHOICES + [m["slug"] for m in own_materiel]
    dataset: dict[str, Any] = {
        "id": dataset_id,
        "title": draw(required_one_line)[:500],
        "version": draw(st.sampled_from(["1", "2025-05-29.1", "v2"])),
    }
    description = draw(optional(text))
    if description is not None:
        dataset["description"] = description
    transfers = []
    for i in range(draw(st.integers(0, max_transfers))):
        supplier, recipient = draw(states())
        materiel = draw(st.sampled_from(materiel_choices))
        # a source may make several claims on one transfer, over different windows
        cited = draw(
            st.lists(
                st.sampled_from([s["id"] for s in own_sources]),
                min_size=1,
                max_size=4 if repeat_sources else 3,
                unique=not repeat_sources,
            )
        )
        period = draw(periods())
        published = {s["id"]: s.get("published") for s in own_sources}
        claimed: set[tuple[Any, ...]] = set()
        transfer_claims = []
        for source in cited:
            claim = draw(claims(source, categories[materiel], max_value))
            window, resolved = draw(claim_windows(period, published[source]))
            if (source, *resolved) not in claimed:  # one claim per source and window
                claimed.add((source, *resolved))
                transfer_claims.append({"source": source, **window, **claim})
        transfer: dict[str, Any] = {
            "id": f"t{i}",
            "supplier": supplier,
            "recipient": recipient,
            "materiel": materiel,
            "period": period,
            "claims": transfer_claims,
        }
        status = draw(
            optional(st.sampled_from(["reported", "confirmed", "denied", "pledged", "planned"]))
        )
        if status is not None:
            transfer["status"] = status
        description = draw(optional(text))
        if description is not None:
            transfer["description"] = description
        transfers.append(transfer)
    document: dict[str, Any] = {"dataset": dataset, "sources": own_sources}
    if draw(st.booleans()) or own_materiel:  # an empty list, or no key at all
        document["materiel_types"] = own_materiel
    document["transfers"] = transfers
    return document


DATASET_IDS = ["ds-a", "ds-b", "ds-c", "nato.2024", "msmt_2025"]


@st.composite
def dataset_sets(
    draw: st.DrawFn,
    min_size: int = 2,
    max_size: int = 3,
    max_transfers: int = 5,
    repeat_sources: bool = True,
) -> list[dict[str, Any]]:
    """2-3 documents with distinct dataset ids, loadable in any order."""
    ids = draw(
        st.lists(st.sampled_from(DATASET_IDS), min_size=min_size, max_size=max_size, unique=True)
    )
    return [draw(fixture_documents(i, max_transfers, repeat_sources=repeat_sources)) for i in ids]


def suppliers_of(documents: list[dict[str, Any]]) -> list[str]:
    """The supplier codes the documents' transfers name, sorted."""
    return sorted(
        {CODES.get(t["supplier"], t["supplier"]) for d in documents for t in d["transfers"]}
    )
