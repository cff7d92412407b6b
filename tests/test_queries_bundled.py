"""The query helpers on the two bundled datasets (DPRK <-> Russia)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

import sanctrack
from sanctrack.queries import (
    cap_checks,
    flows,
    source_comparison,
    timeline,
    transfers_by_year_and_category,
    violations,
)
from sanctrack.resources import data_dir


@pytest.fixture
def loaded(session: Session) -> Session:
    for path in sorted(data_dir("fixtures").glob("*.yaml")):
        sanctrack.load_fixture(session, path)
    return session


def rows(session: Session, **kw: object) -> dict[tuple[int, str, str | None], object]:
    result = transfers_by_year_and_category(session, **kw)  # type: ignore[arg-type]
    return {(r.year, r.category, r.unit): r for r in result}


@pytest.mark.parametrize("mode", ["prorate", "start", "end"])
def test_done_criteria(loaded: Session, mode: str) -> None:
    got = rows(loaded, supplier="Corea del Nord", recipient="Russia", year_split=mode)
    ammo = got[(2024, "ammunition", "rounds")]
    assert ammo.best == 9_000_000  # type: ignore[attr-defined]
    assert ammo.unquantified == 1 and ammo.transfers == 2  # type: ignore[attr-defined]
    assert ammo.low == 0 and ammo.high is None  # type: ignore[attr-defined]
    troops = got[(2024, "personnel", "personnel")]
    assert troops.low >= 11_000 and troops.high is None  # more than 11,000  # type: ignore[attr-defined]
    assert troops.unquantified == 1  # the NATO troops, counted  # type: ignore[attr-defined]
    early = got[(2025, "personnel", "personnel")]
    assert (early.low, early.best, early.high) == (3000, 3000, 3000)  # type: ignore[attr-defined]


def test_every_unquantified_transfer_is_counted(loaded: Session) -> None:
    whole = flows(loaded)
    assert sum(r.transfers for r in whole) == 17
    assert sum(r.unquantified for r in whole) == 17 - 4  # 4 transfers have a figure
    # Each transfer is counted in every year its period spans, whatever the split of its
    # best estimate: its bounds for those years are not zero.
    spans = {
        r.transfer: range(
            (r.period_start or r.period_end).year,  # type: ignore[union-attr]
            (r.period_end or r.period_start).year + 1,  # type: ignore[union-attr]
        )
        for r in timeline(loaded)
    }
    for mode in ("start", "end", "prorate"):
        result = transfers_by_year_and_category(loaded, year_split=mode)
        assert sum(r.transfers for r in result) == sum(len(s) for s in spans.values())
        assert all(r.high is None for r in result if r.unquantified)


def test_leaf_level_and_category_filter(loaded: Session) -> None:
    got = rows(loaded, level="leaf", category="ammunition", year_split="end")
    assert set(got) == {(2024, "ammunition", "rounds"), (2024, "artillery-ammunition", "rounds")}


def test_overlap_caveats(loaded: Session) -> None:
    both = ("msmt-2025-05-dprk-russia", "nato-2024-10-28")
    result = transfers_by_year_and_category(loaded, supplier="PRK")
    groups = {(c.supplier, c.recipient, c.category, c.datasets): c for c in result.caveats}
    assert set(groups) == {
        ("PRK", "RUS", "ammunition", both),
        ("PRK", "RUS", "missiles", both),
        ("PRK", "RUS", "personnel", both),
    }
    troops = groups[("PRK", "RUS", "personnel", both)]
    assert troops.counts == (2, 1)  # troops 2024 and early 2025 (MSMT); Kursk (NATO)
    assert "2024-01-01 to 2025-05-31" in troops.message and "open start" in troops.message
    assert all(c.kind == "possible_double_count" for c in result.caveats)
    assert "possible_double_count" in result._repr_html_()
    leaf = transfers_by_year_and_category(loaded, supplier="PRK", level="leaf")
    assert {c.category for c in leaf.caveats} == {"ballistic-missiles", "troops"}
    one = transfers_by_year_and_category(loaded, datasets="nato-2024-10-28")
    assert one.caveats == []
    # Only the transfers counted (a claim passing the source filters) are grouped.
    nato = transfers_by_year_and_category(loaded, sources="news-it-nato-2024-10-28")
    assert nato.caveats == []
    news = ["news-it-msmt-2025-05", "news-it-nato-2024-10-28"]
    assert len(transfers_by_year_and_category(loaded, sources=news).caveats) == 4


def test_min_reliability_and_sources_filters(loaded: Session) -> None:
    assert len(transfers_by_year_and_category(loaded, min_reliability="B")) == 0
    only = transfers_by_year_and_category(loaded, sources="news-it-nato-2024-10-28")
    assert (
        sum(
            r.transfers
            for r in transfers_by_year_and_category(
                loaded, sources="news-it-nato-2024-10-28", year_split="start"
            )
        )
        == 4
    )
    assert all(r.sources == 1 for r in only)


def test_violations(loaded: Session) -> None:
    result = violations(loaded)
    found = {(r.transfer, r.provision_id, r.rule, r.confidence) for r in result}
    embargo = "arms_embargo"
    assert ("prk-rus-ballistic-missiles-2022-2025", "unsc-1718-op8b", embargo, "certain") in found
    # an open start ("../2025-05") may lie before any provision: probable, not certain
    assert (
        "rus-prk-anti-aircraft-missiles-to-2025-05",
        "unsc-1718-op8a",
        embargo,
        "probable",
    ) in found
    flagged = {t for t, *_ in found}
    # Issue 10's false positives are gone: the troops (hosting trainers), generic
    # refined petroleum (the aviation-fuel ban) and unspecified "technology" (the small-arms
    # embargo and the arms-related technical-assistance bans) are flagged by no rule.
    for transfer in (
        "prk-rus-troops-2024",
        "prk-rus-troops-2025-early",
        "prk-rus-troops-kursk-2024",
        "rus-prk-refined-petroleum-to-2025-05",
        "rus-prk-military-technology-to-2024-10-28",
        "rus-prk-ballistic-missile-feedback-to-2025-05",
    ):
        assert transfer not in flagged
    assert all(r.basis == "inferred" and r.regime == "unsc-dprk" for r in result)
    assert all(r.provision_text for r in result)
    assert len(found) == 21
    assert violations(loaded, inferred=False).rows == []
    caps = cap_checks(loaded)
    # 2375's annual cap is superseded by 2397 op 5 from the day it would have begun
    assert {c.provision_id for c in caps} == {"unsc-2397-op5"}
    assert all(c.status == "not_shown" and c.unquantified == 1 for c in caps)


def test_flows_sources_timeline(loaded: Session) -> None:
    flow = {(r.supplier, r.recipient, r.category): r for r in flows(loaded)}
    assert flow[("PRK", "RUS", "personnel")].best == 14_000
    assert flow[("PRK", "RUS", "personnel")].transfers == 3
    assert flow[("RUS", "PRK", "technology")].transfers == 2
    compared = source_comparison(loaded)
    assert len(compared) == 17 and all(r.chosen for r in compared)
    line = timeline(loaded, years=2025, supplier="PRK")
    assert "prk-rus-troops-2025-early" in {r.transfer for r in line}
    assert "prk-rus-troops-2024" not in {r.transfer for r in line}
