"""Titles, caveats and sources in words: short, wrapped, and saying what was left out."""

from __future__ import annotations

from sanctrack.queries.describe import caveats_line, footnote, sources_line, title
from sanctrack.queries.result import Caveat


def test_long_lists_are_shortened() -> None:
    sources = [f"source-{i:02d}" for i in range(11)]
    assert sources_line(sources) == (
        "Sources: source-00, source-01, source-02, source-03, source-04, source-05, "
        "source-06, source-07 and 3 more."
    )
    caveats = [
        Caveat(
            kind="possible_double_count",
            message="long",
            supplier="RUS",
            recipient="PRK",
            category=f"c{i}",
            transfers=("a", "b"),
            datasets=("d1", "d2"),
        )
        for i in range(6)
    ]
    line = caveats_line(caveats)
    assert line.startswith(
        "Caveats: RUS → PRK, c0: 2 transfers of 2 datasets may be the same goods;"
    )
    assert line.endswith("; and 2 more (see result.caveats).") and "c4" not in line
    other = Caveat(kind="x", message="word " * 100)
    assert len(caveats_line([other])) < 160 and caveats_line([other]).endswith(" ….")
    wrapped = footnote(sources, caveats, "Marks.", width=60)
    assert max(len(line) for line in wrapped.splitlines()) <= 60
    assert wrapped.splitlines()[-1].endswith("(see result.caveats).")


def test_title_names_the_filters() -> None:
    parameters = {
        "suppliers": ("PRK",),
        "recipients": None,
        "categories": ("missiles",),
        "level": "leaf",
        "years": (2023, 2024, 2025),
        "datasets": None,
        "as_of": "2024-10-28",
        "claim_policy": "newest",
        "year_split": "start",
    }
    assert title("Flows by category", parameters) == (
        "Flows by category: PRK → any recipient; categories missiles; leaf categories; "
        "2023–2025; as known on 2024-10-28; claims: newest; multi-year claims counted at "
        "their start"
    )
