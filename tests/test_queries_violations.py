"""Violations a lawyer would sign (issue 10): precise mappings, in-force dates, confidence,
and regime-level assertions. Each false positive of the issue is a regression test."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from builders import ClaimSpec, SourceSpec, TransferSpec, build
from fixture_cases import base, write
from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

import sanctrack
from sanctrack.fixture.export import export_dataset, write_fixture
from sanctrack.models import metadata
from sanctrack.queries import ViolationRow, cap_checks, violations
from sanctrack.queries.in_force import InForce
from sanctrack.seeding.reference import provision_problems
from sanctrack.seeding.schema import ProvisionSeed, RegimeSeed

SOURCES = [SourceSpec("s-a", "A", date(2024, 1, 1))]


def spec(
    key: str,
    materiel: str,
    start: date | None,
    end: date | None,
    *,
    supplier: str = "RUS",
    recipient: str = "PRK",
    claim: ClaimSpec | None = None,
) -> TransferSpec:
    return TransferSpec(
        key,
        start,
        end,
        supplier=supplier,
        recipient=recipient,
        materiel=materiel,
        claims=[claim or ClaimSpec("s-a", "exact", 1, None, "items")],
    )


def found(session: Session) -> dict[str, set[tuple[str | None, str | None, str | None]]]:
    """transfer -> {(provision, rule, confidence)}"""
    out: dict[str, set[tuple[str | None, str | None, str | None]]] = {}
    for r in violations(session):
        out.setdefault(r.transfer, set()).add((r.provision_id, r.rule, r.confidence))
    return out


def barrels(amount: int, form: str = "exact", high: int | None = None) -> ClaimSpec:
    return ClaimSpec("s-a", form, amount, high, "barrels")


def test_aviation_fuel_ban_is_not_flagged_for_generic_refined_petroleum(
    session: Session,
) -> None:
    """Russia's notified 44,655 barrels in January 2023 are refined petroleum within the
    cap: no violation at all. Aviation fuel is banned outright (2270 op 31)."""
    jan = (date(2023, 1, 1), date(2023, 1, 31))
    build(
        session,
        SOURCES,
        [
            spec("notified", "refined-petroleum", *jan, claim=barrels(44_655)),
            spec("jet-fuel", "aviation-fuel", *jan, claim=barrels(1_000)),
        ],
    )
    got = found(session)
    assert "notified" not in got
    assert got["jet-fuel"] == {("unsc-2270-op31", "prohibited_materiel", "certain")}
    (check,) = cap_checks(session).rows  # aviation fuel is refined petroleum: both counted
    assert (check.provision_id, check.year, check.transfers, check.best) == (
        "unsc-2397-op5",
        2023,
        2,
        45_655,
    )
    assert check.status == "not_shown"


def test_hosting_trainers_is_not_flagged_for_troops_or_workers(session: Session) -> None:
    year = (date(2024, 1, 1), date(2024, 12, 31))
    people = ClaimSpec("s-a", "exact", 100, None, "personnel")
    build(
        session,
        SOURCES,
        [
            spec(m, m, *year, supplier="PRK", recipient="RUS", claim=people)
            for m in ("troops", "workers", "military-trainers")
        ],
    )
    got = found(session)
    assert "troops" not in got
    assert got["workers"] == {
        ("unsc-2371-work-authorizations-freeze", "prohibited_category", "possible"),
        ("unsc-2375-op17", "prohibited_category", "possible"),
        ("unsc-2397-op8", "prohibited_category", "certain"),
    }
    assert got["military-trainers"] == {
        ("unsc-2270-hosting-trainers", "prohibited_category", "certain")
    }


def test_small_arms_embargo_is_not_flagged_for_satellite_technology(session: Session) -> None:
    year = (date(2024, 1, 1), date(2024, 12, 31))
    build(
        session,
        SOURCES,
        [
            spec("satellite-technology", "technology", *year),
            spec("arms-assistance", "arms-technical-assistance", *year),
            spec("rifles", "small-arms-light-weapons", *year),
        ],
    )
    got = found(session)
    assert "satellite-technology" not in got
    assert got["arms-assistance"] == {
        ("unsc-2270-small-arms", "arms_embargo", "certain"),
        ("unsc-1718-technical-assistance", "prohibited_category", "possible"),
    }
    assert got["rifles"] == {("unsc-2270-small-arms", "arms_embargo", "certain")}


def test_a_transfer_before_a_provision_came_into_force_is_not_flagged(
    session: Session,
) -> None:
    build(
        session,
        SOURCES,
        [
            spec("ships-2017-06", "ships", date(2017, 6, 1), date(2017, 6, 30)),
            spec("ships-2018", "ships", date(2018, 1, 1), date(2018, 12, 31)),
            spec("ships-2017-2018", "ships", date(2017, 1, 1), date(2018, 12, 31)),
            spec("helicopters-2015", "helicopters", date(2015, 1, 1), date(2015, 12, 31)),
            spec("helicopters-2017", "helicopters", date(2017, 1, 1), date(2017, 12, 31)),
        ],
    )
    got = found(session)
    # 2397 op 14 (any vessel) is in force from 22 Dec 2017; 2321 op 30 (new helicopters and
    # vessels) from 30 Nov 2016, and only if new: possible; the 1874 embargo (warships)
    assert got["ships-2017-06"] == {
        ("unsc-2321-op30", "prohibited_category", "possible"),
        ("unsc-1718-op8a", "arms_embargo", "certain"),
        ("unsc-1874-op10", "arms_embargo", "certain"),
        ("unsc-2270-small-arms", "arms_embargo", "certain"),
    }
    assert ("unsc-2397-op14", "prohibited_category", "certain") in got["ships-2018"]
    # in force for part of the period only: probable
    assert ("unsc-2397-op14", "prohibited_category", "probable") in got["ships-2017-2018"]
    assert got["helicopters-2015"] == {
        ("unsc-1718-op8a", "arms_embargo", "certain"),
        ("unsc-1874-op10", "arms_embargo", "certain"),
    }
    assert ("unsc-2321-op30", "prohibited_category", "possible") in got["helicopters-2017"]


def test_a_superseded_cap_is_not_applied_after_its_successor(session: Session) -> None:
    build(
        session,
        SOURCES,
        [
            spec(
                "petrol-2016",
                "refined-petroleum",
                date(2016, 1, 1),
                date(2016, 12, 31),
                claim=barrels(3_000_000),
            ),
            spec(
                "petrol-2019",
                "refined-petroleum",
                date(2019, 1, 1),
                date(2019, 12, 31),
                claim=barrels(1_000_000),
            ),
        ],
    )
    checks = {(c.provision_id, c.year): c.status for c in cap_checks(session)}
    # no cap was in force in 2016; 2375's 2,000,000 barrels never applied (2397 op 5 took
    # its place on 1 Jan 2018), so 1,000,000 barrels in 2019 break only the 500,000 cap
    assert checks == {("unsc-2397-op5", 2019): "certain"}
    assert found(session) == {"petrol-2019": {("unsc-2397-op5", "annual_cap", "certain")}}


def test_cap_confidence_levels(session: Session) -> None:
    year = (date(2024, 1, 1), date(2024, 12, 31))
    build(
        session,
        SOURCES,
        [
            spec("range", "refined-petroleum", *year, claim=barrels(100_000, "between", 700_000)),
        ],
    )
    (check,) = cap_checks(session).rows
    assert (check.low, check.high, check.status) == (100_000, 700_000, "possible")
    assert found(session) == {"range": {("unsc-2397-op5", "annual_cap", "possible")}}


def test_violation_rows_carry_the_provision_text_and_regime(session: Session) -> None:
    build(
        session, SOURCES, [spec("jet-fuel", "aviation-fuel", date(2024, 1, 1), date(2024, 1, 31))]
    )
    (row,) = violations(session).rows
    assert row.regime == "unsc-dprk" and row.provision_id == "unsc-2270-op31"
    assert row.provision_text is not None and row.provision_text.startswith(
        "All States must prevent the sale or supply to the DPRK of aviation fuel"
    )


def test_an_unknown_in_force_date_is_only_ever_possible() -> None:
    unknown = InForce(None, None)
    assert unknown.confidence(date(2024, 1, 1), date(2024, 12, 31), True) == "possible"
    assert unknown.confidence(None, None, True) == "possible"
    assert unknown.covers_year(1990)
    known = InForce(date(2016, 3, 2), None)
    assert known.confidence(date(2016, 3, 2), date(2016, 3, 2), True) == "certain"
    assert known.confidence(date(2016, 1, 1), date(2016, 3, 1), True) is None
    assert known.confidence(None, date(2024, 1, 1), True) == "probable"
    assert known.confidence(date(2024, 1, 1), None, False) == "possible"
    assert not known.covers_year(2016) and known.covers_year(2017)
    superseded = InForce(date(2018, 1, 1), date(2018, 1, 1))
    assert superseded.never() and not superseded.covers_year(2018)
    assert superseded.confidence(None, None, True) is None


def test_seed_checks_name_the_provision_at_fault() -> None:
    def provision(ident: str, **kw: object) -> ProvisionSeed:
        fields = {"regime": "r", "resolution": "1", "paragraph": None, "kind": "ban"}
        fields |= {"prohibits": "x", "categories": ["ships"]}
        return ProvisionSeed.model_validate({"id": ident, **fields, **kw})

    problems = provision_problems(
        [
            provision("a", superseded_by="b"),
            provision("b"),
            provision("c", superseded_by="nowhere", regime="other"),
            provision("d", categories=[], materiel=["kn-99"]),
        ],
        [RegimeSeed(id="r", name="R"), RegimeSeed(id="a", name="A")],
        {"kn-23"},
    )
    assert problems == [
        "provisions.yaml: c: unknown regime 'other'",
        "provisions.yaml: d: unknown materiel type 'kn-99'",
        "provisions.yaml: a: its successor 'b' has no in_force date",
        "provisions.yaml: c: unknown successor 'nowhere'",
        "regimes.yaml: a: is also a provision id",
    ]


REGIME_LEVEL = {"source": "s2", "violates": ["unsc-dprk", "unsc-1718-op8b"]}


def test_a_regime_level_assertion_loads_exports_and_queries(engine: Engine, tmp_path: Path) -> None:
    data = base()
    data["transfers"][0]["claims"][0] |= REGIME_LEVEL
    path = write(tmp_path / "regime.yaml", data)
    with Session(engine) as s:
        sanctrack.load_fixture(s, path)
    with Session(engine) as s:
        asserted = [r for r in violations(s, inferred=False) if r.transfer == "t1"]
        exported = export_dataset(s, "test-ds")
    assert [(r.regime, r.provision_id, r.provision_text, r.source_id) for r in asserted] == [
        ("unsc-dprk", None, None, "s2"),
        ("unsc-dprk", "unsc-1718-op8b", asserted[1].provision_text, "s2"),
    ]
    assert asserted[1].provision_text and asserted[0].confidence is None
    assert all(isinstance(r, ViolationRow) and r.basis == "asserted" for r in asserted)
    assert exported.transfers[0].claims[0].violates == ["unsc-1718-op8b", "unsc-dprk"]
    again = write_fixture(exported, tmp_path / "again.yaml")
    assert "- unsc-dprk" in again.read_text(encoding="utf-8")
    with Session(engine) as s:
        assert not sanctrack.load_fixture(s, again).changed


def test_a_regime_level_violation_must_be_asserted(engine: Engine, tmp_path: Path) -> None:
    with Session(engine) as s:
        sanctrack.load_fixture(s, write(tmp_path / "base.yaml", base()))
    violation = metadata.tables["violation"]
    with engine.connect() as c:
        transfer_id = c.exec_driver_sql("SELECT id FROM transfer WHERE key = 't1'").scalar()
    for values in (
        {"regime_id": "unsc-dprk", "rule": "arms_embargo"},  # a rule names a provision
        {"regime_id": "unsc-dprk", "provision_id": "unsc-1718-op8b", "source_id": "s1"},
        {"source_id": "s1"},  # neither
    ):
        with pytest.raises(IntegrityError), engine.begin() as c:
            c.execute(insert(violation).values(transfer_id=transfer_id, **values))
