"""The bundled dataset dprk-russia-2023-2025-people-fuel-tech (issue 13, part B): it loads
with every other bundled dataset in any order, counts each shared flow once, raises the
conflicts its ledger expects, and gives the refined-petroleum cap check its claims imply."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlmodel import Session

import sanctrack
from sanctrack.queries import cap_checks, transfers_by_year_and_category
from sanctrack.resources import data_dir

DATASET = "dprk-russia-2023-2025-people-fuel-tech"
FILE = data_dir("fixtures") / f"{DATASET}.yaml"
EXPECTED = Path(__file__).parent / "data" / "expected_conflicts_people_fuel_tech.yaml"
EVERY_STATUS = ["reported", "confirmed", "denied", "pledged", "planned"]


def bundled() -> list[Path]:
    return sorted(data_dir("fixtures").glob("*.yaml"))


@pytest.fixture(params=["first", "last"])
def loaded(session: Session, request: pytest.FixtureRequest) -> Session:
    """Every bundled dataset, in their load order (each after what it requires), with this
    file first (where that order puts it) or last: it repeats the MSMT report's definition
    instead of requiring its dataset, so it loads before or after the others."""
    others = [p for p in sanctrack.bundled_fixtures() if p.name != FILE.name]
    paths = [FILE, *others] if request.param == "first" else [*others, FILE]
    for path in paths:
        sanctrack.load_fixture(session, path)
    return session


def own(keys: tuple[str, ...]) -> bool:
    return any(k == DATASET or k.startswith(f"{DATASET}/") for k in keys)


def test_every_claim_cites_a_source_read_at_an_address() -> None:
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    sources = {s["id"]: s for s in data["sources"]}
    claims = [c for t in data["transfers"] for c in t["claims"]]
    assert len(claims) >= 30
    for claim in claims:
        source = sources[claim["source"]]
        assert source.get("url"), claim["source"]
        assert claim.get("quote") and claim.get("locator", {}).get("paragraph")

    # At least 12 distinct originals: the roots the claims' chains end at.
    def roots(sid: str) -> set[str]:
        cited = sources[sid].get("cites")
        if not cited:
            return {sid}
        return set().union(*(roots(c) for c in ([cited] if isinstance(cited, str) else cited)))

    originals = set().union(*(roots(c["source"]) for c in claims))
    assert len(originals) >= 12


@pytest.mark.parametrize("year_split", ["prorate", "start", "end"])
def test_the_refined_petroleum_cap_check(loaded: Session, year_split: str) -> None:
    """The figures the file implies, per year, against UNSCR 2397's 500,000 barrels:

    * 2023: Russia's reports, 105,845 barrels exact (NK News and Yonhap): 105,845 at
      every bound, under the cap ("not_shown"). The month-by-month readings (105,844)
      conflict with it by one barrel; the bounds are the hull, 105,845.
    * 2024: 15,279 barrels exact in January (Russia's last report) plus "more than
      1 million" from March to 31 October (MSMT) and to 22 November (Open Source Centre):
      the two windows are disjoint, so at least 1,015,279; the March-only "more than
      165,000" (Kirby) lies inside the running total and adds nothing. No upper bound.
      Twice the cap: "certain".
    * 2025: nothing quantified falls in it (the running totals end in November 2024):
      0, unbounded, "not_shown".
    The MSMT dataset's refined petroleum is the same flow (same_as) and unquantified: one
    transfer each year, and no change to the figures."""
    result = cap_checks(loaded, year_split=year_split)  # type: ignore[arg-type]
    got = {
        r.year: (r.low, r.best, r.high, r.status, r.transfers)
        for r in result.rows
        if r.provision_id == "unsc-2397-op5"
    }
    assert got == {
        2023: (105_845, 105_845, 105_845, "not_shown", 1),
        2024: (1_015_279, 1_015_279, None, "certain", 1),
        2025: (0, 0, None, "not_shown", 1),
    }


def test_the_cap_check_of_this_dataset_alone(session: Session) -> None:
    sanctrack.load_fixture(session, FILE)
    rows = {r.year: (r.low, r.high, r.status) for r in cap_checks(session).rows}
    assert rows == {
        2023: (105_845, 105_845, "not_shown"),
        2024: (1_015_279, None, "certain"),
        2025: (0, None, "not_shown"),
    }


def test_the_conflicts_are_the_expected_ones(loaded: Session) -> None:
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    assert all(e["dataset"] == DATASET and e["why"] for e in expected)
    result = transfers_by_year_and_category(loaded, status=EVERY_STATUS)
    flagged = {
        t
        for c in result.caveats
        if c.kind == "conflicting_claims" and DATASET in c.datasets
        for t in c.transfers
    }
    assert flagged == {e["transfer"] for e in expected}


def test_no_double_count_but_the_ones_the_ledger_leaves_open(loaded: Session) -> None:
    """Only the technology cluster with NATO's unspecified "military technology" (ledger
    C1-C2) is open among delivered transfers; counting plans too adds the planned 30,000
    troops with the pledged builders and the deminers (C3)."""
    satellite = f"{DATASET}/rus-prk-satellite-launch-assistance-2023-2024"
    planned = f"{DATASET}/prk-rus-troops-further-2025-planned"

    def open_clusters(**kw: object) -> list[tuple[str, ...]]:
        result = transfers_by_year_and_category(loaded, **kw)  # type: ignore[arg-type]
        return [
            c.transfers
            for c in result.caveats
            if c.kind == "possible_double_count" and own(c.transfers)
        ]

    (technology,) = open_clusters()
    assert satellite in technology
    assert "nato-2024-10-28/rus-prk-military-technology-to-2024-10-28" in technology
    with_plans = open_clusters(status=EVERY_STATUS)
    assert sorted(with_plans) == sorted(
        [
            technology,
            (
                f"{DATASET}/prk-rus-military-builders-kursk-2025",
                planned,
                f"{DATASET}/prk-rus-deminers-kursk-2025",
            ),
        ]
    )


def test_the_shared_flows_are_counted_once(loaded: Session) -> None:
    """The 2024 troops, the 2025 reinforcements, the petroleum, the Pantsir, the EW systems
    and the missile-data feedback are the MSMT's (and NATO's) flows: one transfer each."""
    result = transfers_by_year_and_category(
        loaded, supplier="PRK", recipient="RUS", level="leaf", category="troops"
    )
    rows = {r.year: r for r in result.rows}
    # 2024: one deployment, whatever the three datasets call it; at least 11,000 (the
    # readings of 4 November, 20 November and the MSMT's "more than 11,000").
    assert rows[2024].transfers == 1 and rows[2024].low == 11_000
    # 2025: the reinforcements (3,000 exact, MSMT) and the deminers (1,000 exact,
    # Shoigu's figure, which the KBS's "approximately" and iPress's 1,000 admit).
    assert rows[2025].transfers == 2 and rows[2025].low == 4_000
    air = transfers_by_year_and_category(loaded, supplier="RUS", recipient="PRK", level="leaf")
    for category in ("air-defence-systems", "electronic-warfare-systems", "refined-petroleum"):
        assert {r.transfers for r in air.rows if r.category == category} == {1}
