"""Derived claims (issue 14 §3): a capacity estimate from voyages of vessels of known
deadweight enters the estimates as a claim, labelled derived; located errors, the
arithmetic, update in place, the export round trip and removal with the dataset."""

from __future__ import annotations

import copy
import math
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
import yaml
from carrier_cases import carriers
from fixture_cases import records, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from sanctrack import (
    export_dataset,
    flows,
    load_fixture,
    remove_dataset,
    source_comparison,
    transfers_by_year_and_category,
    validate_fixture,
    write_fixture,
)
from sanctrack.errors import FixtureError, SanctrackError
from sanctrack.estimates.capacity import CapacityTooLarge, capacity
from sanctrack.models import Claim, ClaimDerivation, ClaimDerivationMovement, Transfer

FRACTION = {"low": 0.33, "best": 0.9, "high": 0.97}
DIESEL = {"low": 7.23, "best": 7.46, "high": 7.5}
#: The claim's window: voyage-1 (2024-03/2024-04) to call-1 (2024-05-02).
SPAN = "2024-03/2024-05-02"
#: ship (6,000 t) makes both movements: 12,000 t of deadweight.
LOW, BEST, HIGH = 28630, 80568, 87300  # 12000 x 0.33 x 7.23, x 0.9 x 7.46, x 0.97 x 7.5
FUEL = 3  # the index of the fuel transfer


def case(complete: bool = True, period: str = SPAN) -> dict[str, Any]:
    """The carriers case with an analysis source citing the movements' sources, a voyage
    of a vessel without a deadweight, and a transfer of refined petroleum whose one claim
    is derived from two movements of the ship."""
    data = carriers()
    data["sources"].append(
        {"id": "analysis", "kind": "other", "title": "Capacity analysis", "cites": ["s1", "s2"]}
    )
    data["movements"].append(
        {
            "id": "tanker-voyage",
            "kind": "voyage",
            "period": "2024-06",
            "vessel": "tanker",
            "claims": [{"source": "s1"}],
        }
    )
    data["transfers"].append(
        {
            "id": "fuel",
            "supplier": "RUS",
            "recipient": "PRK",
            "materiel": "refined-petroleum",
            "period": period,
            "claims": [
                {
                    "source": "analysis",
                    "unit": "barrels",
                    "locator": {"page": "2"},
                    "derived": {
                        "method": "capacity",
                        "movements": ["voyage-1", "call-1"],
                        "laden_fraction": dict(FRACTION),
                        "barrels_per_tonne": dict(DIESEL),
                        "complete": complete,
                    },
                }
            ],
        }
    )
    return data


def load(engine: Engine, path: Path) -> Any:
    with Session(engine) as session:
        return load_fixture(session, path)


def fuel_claims(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        query = (
            select(Claim.qualifier, Claim.low, Claim.best, Claim.high, Claim.period)
            .join(Transfer, Transfer.id == Claim.transfer_id)  # type: ignore[arg-type]
            .where(Transfer.key == "fuel")
            .order_by(Claim.position)  # type: ignore[arg-type]
        )
        return [tuple(r) for r in session.execute(query)]


def count(engine: Engine, model: Any) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def petroleum_2024(engine: Engine) -> Any:
    with Session(engine) as session:
        result = transfers_by_year_and_category(session, recipient="PRK", category="petroleum")
    return result


def test_a_derived_claim_enters_the_year_category_bounds_labelled_derived(
    engine: Engine, tmp_path: Path
) -> None:
    report = load(engine, write(tmp_path / "a.yaml", case()))
    assert report.counts["derivations"]["created"] == 1
    assert fuel_claims(engine) == [("between", LOW, BEST, HIGH, SPAN)]
    result = petroleum_2024(engine)
    [row] = result.rows
    assert (row.year, row.supplier, row.category, row.unit) == (2024, "RUS", "petroleum", "barrels")
    assert (row.low, row.best, row.high) == (LOW, BEST, HIGH)
    [caveat] = [c for c in result.caveats if c.kind == "derived_claims"]
    assert (caveat.transfers, caveat.datasets, caveat.counts) == (
        ("test-ds/fuel",),
        ("test-ds",),
        (1,),
    )
    with Session(engine) as session:
        flowed = flows(session, recipient="PRK", category="petroleum")
    assert [c for c in flowed.caveats if c.kind == "derived_claims"] == [caveat]
    assert caveat.message.startswith(
        "RUS to PRK, petroleum: 1 transfer(s) rest on derived figures: test-ds/fuel. "
    )
    with Session(engine) as session:
        rows = source_comparison(session, recipient="PRK", category="petroleum")
    assert [(r.source_id, r.derived, r.qualifier, r.best) for r in rows] == [
        ("analysis", True, "between", BEST)
    ]
    with Session(engine) as session:  # the other rows rest on no derived claim
        others = transfers_by_year_and_category(session, supplier="PRK")
    assert others.rows and not [c for c in others.caveats if c.kind == "derived_claims"]


def test_an_incomplete_list_of_voyages_is_a_floor(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "a.yaml", case(complete=False)))
    assert fuel_claims(engine) == [("at_least", LOW, LOW, None, SPAN)]
    [row] = petroleum_2024(engine).rows
    assert (row.low, row.best, row.high) == (LOW, LOW, None)


def test_a_derived_claim_is_named_derived_in_a_conflict(engine: Engine, tmp_path: Path) -> None:
    data = case()
    data["transfers"][FUEL]["claims"].append(
        {"source": "s1", "quantity": {"up_to": 10000}, "unit": "barrels"}
    )
    load(engine, write(tmp_path / "a.yaml", data))
    result = petroleum_2024(engine)
    [conflict] = [c for c in result.caveats if c.kind == "conflicting_claims"]
    assert "analysis: 28,630 to 87,300, derived (2024-03-01 to 2024-05-02)" in conflict.message
    assert "s1: up to 10,000 (2024-03-01 to 2024-05-02)" in conflict.message
    with Session(engine) as session:
        rows = source_comparison(session, recipient="PRK", category="petroleum")
    assert sorted((r.source_id, r.derived) for r in rows) == [("analysis", True), ("s1", False)]


def errors(engine: Engine, path: Path) -> list[tuple[str | None, str | None, str]]:
    with pytest.raises(FixtureError) as caught, Session(engine) as session:
        load_fixture(session, path)
    return [(e.record, e.field, e.message) for e in caught.value.errors]


def _derived(data: dict[str, Any]) -> dict[str, Any]:
    claim: dict[str, Any] = data["transfers"][FUEL]["claims"][0]
    return claim


SPAN_MESSAGE = (
    "the movements' span 2024-03/2024-05-02 does not overlap the transfer's period 2023: "
    "derive the claim from the transfer's movements, or claim it on another transfer"
)


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            {"derived.movements": ["voyage-1", "tanker-voyage"]},
            "derived.movements[1]",
            "vessel 'tanker' of movement 'tanker-voyage' has no deadweight: give the vessel "
            "its 'deadweight' (tonnes), or leave the movement out",
        ),
        (
            {"derived.movements": ["voyage-2"]},
            "derived.movements[0]",
            "unknown movement 'voyage-2': declare it in 'movements' (did you mean 'voyage-1'?)",
        ),
        (
            {"derived.movements": ["voyage-1", "flight-1"]},
            "derived.movements[1]",
            "movement 'flight-1' is a flight: a capacity estimate takes the voyages and port "
            "calls of vessels",
        ),
        (
            {"derived.movements": ["sts-1"]},
            "derived.movements[0]",
            "movement 'sts-1' is a ship_to_ship: a capacity estimate takes the voyages and "
            "port calls of vessels",
        ),
        (
            {"derived.movements": ["voyage-1", "voyage-1"]},
            "derived.movements[1]",
            "movement 'voyage-1' is listed twice: list it once",
        ),
        (
            {"derived.laden_fraction": {"low": 0.5, "best": 0.9, "high": 1.2}},
            "derived.laden_fraction.high",
            "expected less than or equal to 1, got 1.2",
        ),
        (
            {"derived.laden_fraction": {"low": 0.95, "best": 0.9, "high": 0.97}},
            "derived.laden_fraction",
            "expected low <= best <= high, got low 0.95, best 0.9, high 0.97: order them",
        ),
        (
            {"derived.barrels_per_tonne": {"low": 0, "best": 7.46, "high": 7.5}},
            "derived.barrels_per_tonne.low",
            "expected greater than 0, got 0",
        ),
        (
            {"quantity": {"exact": 5}},
            "quantity",
            "a derived claim's figure is computed: remove 'quantity'",
        ),
        (
            {"period": "2024"},
            "period",
            "a derived claim's window is the span of its movements' periods: remove 'period'",
        ),
        (
            {"measure": "cumulative"},
            "measure",
            "a derived claim is a flow over its movements: remove 'measure'",
        ),
        (
            {"derived.barrels_per_tonne": None},
            "derived.barrels_per_tonne",
            "a capacity estimate in barrels needs the product's 'barrels_per_tonne' (low, "
            "best, high): see the README, 'Capacity estimates: the method'",
        ),
        (
            {"unit": "tonnes"},
            "derived.barrels_per_tonne",
            "a capacity estimate in tonnes has no 'barrels_per_tonne': remove it, or give "
            "'unit: barrels'",
        ),
        (
            {"source": "s1"},
            "source",
            "source 's1' does not cite a source of movement 'call-1' (s2): add one to its "
            "'cites', so that the derived figure rests on the sources of its inputs",
        ),
        ({"transfer.period": "2023"}, "derived.movements", SPAN_MESSAGE),
    ],
)
def test_a_wrong_derivation_is_a_located_error(
    engine: Engine, tmp_path: Path, change: dict[str, Any], where: str, message: str
) -> None:
    data = case()
    claim = _derived(data)
    for path, value in change.items():
        if path == "transfer.period":
            data["transfers"][FUEL]["period"] = value
        elif path.startswith("derived."):
            name = path.removeprefix("derived.")
            if value is None:
                del claim["derived"][name]
            else:
                claim["derived"][name] = value
        else:
            claim[path] = value
    found = errors(engine, write(tmp_path / "a.yaml", data))
    located = [(r, f, m) for r, f, m in found if f == f"claims[0].{where}"]
    assert located, found
    assert all(record == "transfers[3] (fuel)" for record, _, _ in located)
    assert message in [m.removeprefix("Value error, ") for _, _, m in located]
    assert count(engine, Claim) == 0 and count(engine, ClaimDerivation) == 0  # all or nothing


def test_a_source_must_rest_on_the_movements_sources(engine: Engine, tmp_path: Path) -> None:
    data = case()
    data["sources"].append({"id": "loose", "kind": "other"})
    _derived(data)["source"] = "loose"
    found = errors(engine, write(tmp_path / "a.yaml", data))
    assert [(f, m) for _, f, m in found] == [
        (
            "claims[0].source",
            f"source 'loose' does not cite a source of movement {key!r} ({source}): add one to "
            "its 'cites', so that the derived figure rests on the sources of its inputs",
        )
        for key, source in (("voyage-1", "s1"), ("call-1", "s2"))
    ]


def test_validate_fixture_checks_derivations_without_a_database(tmp_path: Path) -> None:
    assert validate_fixture(write(tmp_path / "ok.yaml", case())) == 4
    data = case(period="2024")
    _derived(data)["derived"]["movements"] = ["tanker-voyage"]
    with pytest.raises(FixtureError) as caught:
        validate_fixture(write(tmp_path / "bad.yaml", data))
    [issue] = caught.value.errors
    assert issue.field == "claims[0].derived.movements[0]"
    assert issue.line is not None  # located at its line in the YAML file


def test_a_corrected_deadweight_updates_the_claim_in_place(engine: Engine, tmp_path: Path) -> None:
    data = case()
    load(engine, write(tmp_path / "a.yaml", data))
    with Session(engine) as session:
        fuel = session.scalar(select(Transfer.id).where(Transfer.key == "fuel"))
    again = load(engine, write(tmp_path / "a.yaml", data))
    assert not again.changed
    data["vessels"][0]["deadweight"] = 8000  # 16,000 t: 38,174 .. 116,400, best 107,424
    report = load(engine, write(tmp_path / "b.yaml", data))
    assert report.counts["transfers"]["updated"] == 1
    assert fuel_claims(engine) == [("between", 38174, 107424, 116400, SPAN)]
    with Session(engine) as session:
        assert session.scalar(select(Transfer.id).where(Transfer.key == "fuel")) == fuel
    [row] = petroleum_2024(engine).rows
    assert (row.low, row.best, row.high) == (38174, 107424, 116400)
    _derived(data)["derived"]["complete"] = False  # the figure changes: a floor now
    _derived(data)["derived"]["barrels_per_tonne"]["high"] = 7.6  # no effect on a floor
    load(engine, write(tmp_path / "c.yaml", data))
    assert fuel_claims(engine) == [("at_least", 38174, 38174, None, SPAN)]
    with Session(engine) as session:
        stored = session.scalar(select(ClaimDerivation.barrels_high))
    assert stored == 7.6
    _derived(data)["derived"]["movements"] = ["call-1", "voyage-1"]  # the same figure
    report = load(engine, write(tmp_path / "d.yaml", data))
    assert report.counts["transfers"]["unchanged"] == 4
    assert report.counts["derivations"]["updated"] == 1
    del _derived(data)["derived"]
    _derived(data)["quantity"] = {"exact": 5}
    load(engine, write(tmp_path / "e.yaml", data))
    assert count(engine, ClaimDerivation) == 0 and count(engine, ClaimDerivationMovement) == 0


def test_dropping_a_derived_claims_movement_from_the_file_is_refused(
    engine: Engine, tmp_path: Path
) -> None:
    data = case()
    load(engine, write(tmp_path / "a.yaml", data))
    data["movements"] = [m for m in data["movements"] if m["id"] != "call-1"]
    found = errors(engine, write(tmp_path / "b.yaml", data))
    assert ("claims[0].derived.movements[1]") in [f for _, f, _ in found]
    assert count(engine, ClaimDerivationMovement) == 2  # unchanged


@pytest.mark.parametrize("suffix", [".yaml", ".jsonl"])
def test_the_export_writes_the_derivation_back(engine: Engine, tmp_path: Path, suffix: str) -> None:
    load(engine, write(tmp_path / f"a{suffix}", case()))
    before = records(engine)
    with Session(engine) as session:
        exported = export_dataset(session, "test-ds")
    claim = exported.transfers[FUEL].claims[0]
    assert claim.quantity is None and claim.period is None
    assert claim.derived is not None
    assert claim.derived.model_dump() == case()["transfers"][FUEL]["claims"][0]["derived"]
    out = write_fixture(exported, tmp_path / f"out{suffix}")
    text = out.read_text(encoding="utf-8")
    assert str(LOW) not in text and str(HIGH) not in text  # the inputs, not the figures
    assert not load(engine, out).changed
    assert records(engine) == before


def test_the_flat_layout_refuses_a_derived_claim(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "a.yaml", case()))
    with Session(engine) as session:
        exported = export_dataset(session, "test-ds")
    with pytest.raises(SanctrackError) as caught:
        write_fixture(exported, tmp_path / "out.csv")
    assert str(caught.value) == (
        "Cannot export to out.csv: transfer 'fuel' has a derived claim, which rests on the "
        "dataset's movements and vessels, and the flat layout holds neither. Export to "
        ".yaml, .json or .jsonl instead."
    )


def test_remove_dataset_takes_its_derivations(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "a.yaml", case()))
    assert count(engine, ClaimDerivationMovement) == 2
    with Session(engine) as session:
        remove_dataset(session, "test-ds")
    assert count(engine, ClaimDerivation) == 0 and count(engine, ClaimDerivationMovement) == 0


# -- the arithmetic -------------------------------------------------------------------


def reference(
    deadweights: list[int], fraction: tuple[float, ...], density: tuple[float, ...] | None
) -> tuple[int, int, int]:
    """The low, best and high in decimal arithmetic, exact at this precision."""
    with localcontext() as context:
        context.prec = 80
        total = Decimal(sum(deadweights))
        factors = [
            Decimal(repr(f)) * (Decimal(repr(d)) if density else 1)
            for f, d in zip(fraction, density or (1, 1, 1), strict=True)
        ]
        low, best, high = (total * f for f in factors)
        return math.floor(low), math.floor(best + Decimal("0.5")), math.ceil(high)


def ordered(values: st.SearchStrategy[float]) -> st.SearchStrategy[tuple[float, ...]]:
    return st.lists(values, min_size=3, max_size=3).map(lambda v: tuple(sorted(v)))


fractions = ordered(st.decimals("0.01", "1", places=3).map(float))
densities = ordered(st.decimals("5", "12", places=3).map(float))
deadweights = st.lists(st.integers(1, 400_000), min_size=1, max_size=60)


@given(deadweights, fractions, st.none() | densities, st.booleans())
def test_the_arithmetic_matches_a_decimal_reference(
    dwt: list[int], fraction: tuple[float, ...], density: tuple[float, ...] | None, complete: bool
) -> None:
    qualifier, low, best, high = capacity(
        dwt,
        (fraction[0], fraction[1], fraction[2]),
        None if density is None else (density[0], density[1], density[2]),
        complete=complete,
    )
    ref = reference(dwt, fraction, density)
    if complete:
        assert (qualifier, low, best, high) == ("between", *ref)
        assert high is not None and low <= best <= high
    else:
        assert (qualifier, low, best, high) == ("at_least", ref[0], ref[0], None)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.integers(1, 300_000), min_size=2, max_size=2),
    fractions,
    densities,
    st.booleans(),
)
def test_loaded_derived_claims_match_the_arithmetic(
    engine: Engine,
    tmp_path: Path,
    dwt: list[int],
    fraction: tuple[float, ...],
    density: tuple[float, ...],
    complete: bool,
) -> None:
    """Each example reloads the dataset with other inputs: the claim follows them."""
    data = copy.deepcopy(case(complete=complete))
    data["vessels"][0]["deadweight"] = dwt[0]
    data["vessels"][1]["deadweight"] = dwt[1]
    derived = _derived(data)["derived"]
    derived["movements"] = ["voyage-1", "tanker-voyage"]
    derived["laden_fraction"] = dict(zip(("low", "best", "high"), fraction, strict=True))
    derived["barrels_per_tonne"] = dict(zip(("low", "best", "high"), density, strict=True))
    data["transfers"][FUEL]["period"] = "2024"
    load(engine, write(tmp_path / "a.yaml", data))
    low, best, high = reference(dwt, fraction, density)
    window = "2024-03/2024-06"
    expected = ("between", low, best, high) if complete else ("at_least", low, low, None)
    assert fuel_claims(engine) == [(*expected, window)]
    [row] = petroleum_2024(engine).rows
    assert (row.low, row.high) == (expected[1], None)  # a sub-window of the year: no high
    assert row.best == expected[2]


def test_the_example_of_fixtures_readme_loads_as_it_says(engine: Engine, tmp_path: Path) -> None:
    """fixtures/README.md's capacity example, in a dataset of its own: the figures the
    README gives."""
    text = (Path(__file__).resolve().parents[1] / "fixtures" / "README.md").read_text()
    block = text.split("```yaml\n# capacity example\n", 1)[1].split("```", 1)[0]
    data = {"dataset": {"id": "example", "title": "Example", "version": "1"}}
    data |= yaml.safe_load(block)
    load(engine, write(tmp_path / "a.yaml", data))
    assert "`between: [14315, 43650]` with best 40,284 barrels" in text
    with Session(engine) as session:
        rows = transfers_by_year_and_category(session, recipient="PRK", category="petroleum")
        [claim] = session.execute(select(Claim.qualifier, Claim.low, Claim.best, Claim.high))
    assert tuple(claim) == ("between", 14315, 40284, 43650)
    assert [(r.year, r.low, r.best, r.high) for r in rows] == [(2024, 14315, 40284, 43650)]


def test_an_estimate_too_large_for_a_quantity_is_refused() -> None:
    """The fixture's limits keep a loaded estimate below 2**63 - 1; the function checks."""
    with pytest.raises(CapacityTooLarge) as caught:
        capacity([10**17], (0.5, 1, 1), (50, 100, 100), complete=True)
    assert str(caught.value) == (
        "the estimate, up to 10,000,000,000,000,000,000, is larger than a quantity may be "
        "(9,223,372,036,854,775,807): check the deadweights and the factors"
    )
