"""The query helpers on the MSMT and NATO bundled datasets (DPRK <-> Russia).

These two are the datasets the query semantics were first worked out on; their figures
below are derived claim by claim. The whole bundled record (every file of fixtures/,
loaded together) is checked generically in test_bundled_record.py."""

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
    for name in ("msmt-2025-05-dprk-russia.yaml", "nato-2024-10-28.yaml"):
        sanctrack.load_fixture(session, data_dir("fixtures") / name)
    return session


def rows(session: Session, **kw: object) -> dict[tuple[int, str, str | None], object]:
    result = transfers_by_year_and_category(session, **kw)  # type: ignore[arg-type]
    return {(r.year, r.category, r.unit): r for r in result}


@pytest.mark.parametrize("mode", ["prorate", "start", "end"])
def test_done_criteria(loaded: Session, mode: str) -> None:
    got = rows(loaded, supplier="Corea del Nord", recipient="Russia", year_split=mode)
    ammo = got[(2024, "ammunition", "rounds")]
    assert ammo.best == 9_000_000  # type: ignore[attr-defined]
    # NATO's "millions of munitions" is the same flow (same_as): pooled, and a numeric
    # claim beats an unquantified one, so the MSMT's "up to 9 million" bounds it.
    assert ammo.unquantified == 0 and ammo.transfers == 1  # type: ignore[attr-defined]
    assert ammo.low == 0 and ammo.high == 9_000_000  # type: ignore[attr-defined]
    troops = got[(2024, "personnel", "personnel")]
    assert troops.low >= 11_000 and troops.high is None  # more than 11,000  # type: ignore[attr-defined]
    assert troops.transfers == 1  # the NATO troops: the same deployment  # type: ignore[attr-defined]
    early = got[(2025, "personnel", "personnel")]
    assert (early.low, early.best, early.high) == (3000, 3000, 3000)  # type: ignore[attr-defined]


def test_every_unquantified_transfer_is_counted(loaded: Session) -> None:
    whole = flows(loaded)
    # 17 transfers, 3 of them NATO's, each the same as one of the MSMT's: 14 counted.
    assert sum(r.transfers for r in whole) == 14
    assert sum(r.unquantified for r in whole) == 14 - 4  # 4 transfers have a figure
    # Each transfer is counted in every year its period spans, whatever the split of its
    # best estimate: its bounds for those years are not zero. (One dataset: a transfer
    # pooled with NATO's open-ended one spans the years its claims' dates give.)
    msmt = "msmt-2025-05-dprk-russia"
    spans = {
        r.transfer: range(
            (r.period_start or r.period_end).year,  # type: ignore[union-attr]
            (r.period_end or r.period_start).year + 1,  # type: ignore[union-attr]
        )
        for r in timeline(loaded, datasets=msmt)
    }
    for mode in ("start", "end", "prorate"):
        result = transfers_by_year_and_category(loaded, year_split=mode, datasets=msmt)
        assert sum(r.transfers for r in result) == sum(len(s) for s in spans.values())
        assert all(r.high is None for r in result if r.unquantified)


def test_leaf_level_and_category_filter(loaded: Session) -> None:
    got = rows(loaded, level="leaf", category="ammunition", year_split="end")
    # NATO's "ammunition" is pooled with (and named by) the MSMT's artillery ammunition.
    assert set(got) == {(2024, "artillery-ammunition", "rounds")}


def test_the_bundled_datasets_count_what_they_share_once(loaded: Session) -> None:
    """The MSMT dataset declares the three transfers NATO's statement also reports
    (munitions, ballistic missiles, troops) same_as NATO's: loading both counts each once,
    with both sources' claims, and leaves no overlap caveat."""
    result = transfers_by_year_and_category(loaded, supplier="PRK")
    assert result.caveats == []
    got = {(r.year, r.category): r for r in result}
    for year, category in [(2024, "ammunition"), (2024, "missiles"), (2024, "personnel")]:
        assert got[(year, category)].transfers == 1
        assert got[(year, category)].sources == 2  # the MSMT's article and NATO's
    ammunition = got[(2024, "ammunition")]
    assert (ammunition.low, ammunition.best, ammunition.high) == (0, 9_000_000, 9_000_000)
    # Each dataset alone still counts its own transfer.
    nato = transfers_by_year_and_category(loaded, datasets="nato-2024-10-28")
    assert {(r.year, r.category): r.transfers for r in nato}[(2024, "ammunition")] == 1
    assert nato.caveats == []


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
    flagged = {t for t, _, rule, _ in found if rule is not None}
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
    inferred = [r for r in result if r.basis == "inferred"]
    assert all(r.regime == "unsc-dprk" and r.provision_text for r in inferred)
    assert len(inferred) == 21
    # NATO's statement: "una violazione delle risoluzioni del Consiglio di Sicurezza dell'ONU",
    # naming no provision: an assertion at regime level.
    asserted = violations(loaded, inferred=False).rows
    assert [(r.transfer, r.regime, r.provision_id, r.basis) for r in asserted] == [
        ("prk-rus-troops-kursk-2024", "unsc-dprk", None, "asserted")
    ]
    assert len(result) == 22
    caps = cap_checks(loaded)
    # 2375's annual cap is superseded by 2397 op 5 from the day it would have begun
    assert {c.provision_id for c in caps} == {"unsc-2397-op5"}
    assert all(c.status == "not_shown" and c.unquantified == 1 for c in caps)


def test_flows_sources_timeline(loaded: Session) -> None:
    flow = {(r.supplier, r.recipient, r.category): r for r in flows(loaded)}
    assert flow[("PRK", "RUS", "personnel")].best == 14_000
    assert flow[("PRK", "RUS", "personnel")].transfers == 2  # NATO's Kursk troops pooled
    assert flow[("RUS", "PRK", "technology")].transfers == 2
    compared = source_comparison(loaded)
    assert len(compared) == 17  # every claim, one chosen per counted transfer
    assert sum(r.chosen for r in compared) == 14
    line = timeline(loaded, years=2025, supplier="PRK")
    assert "prk-rus-troops-2025-early" in {r.transfer for r in line}
    assert "prk-rus-troops-2024" not in {r.transfer for r in line}
