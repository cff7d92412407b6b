"""The bundled record (every fixtures/*.yaml, loaded together), checked generically.

Every claim cites a source with an address; every running-total series is non-decreasing
or carries an expected conflict; loading everything counts no physical transfer twice;
the demo's conflicts and headline figures are the ones the files give. The expected
caveats are listed in tests/data/expected_conflicts*.yaml (one file per theme), each entry
{dataset, transfer, why} with an optional ``caveat`` (conflicting_claims, the default, or
possible_double_count).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session
from typer.testing import CliRunner

import sanctrack
from sanctrack.cli import app
from sanctrack.estimates.readings import Claim
from sanctrack.fixture.read import read_document
from sanctrack.periods import parse_period
from sanctrack.queries import review
from sanctrack.resources import data_dir

DATA = Path(__file__).resolve().parent / "data"
CONFLICT, DOUBLE_COUNT = "conflicting_claims", "possible_double_count"
FILES = sanctrack.bundled_fixtures()
DOCS: dict[str, Any] = {d["dataset"]["id"]: d for d in map(read_document, FILES)}


def expected(caveat: str) -> dict[tuple[str, str], str]:
    """(dataset, transfer) -> why, for the entries of one kind in every expectations file."""
    found = {}
    for path in sorted(DATA.glob("expected_conflicts*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            if entry.get("caveat", CONFLICT) == caveat:
                assert entry["why"].strip(), f"{path.name}: say why {entry['transfer']}"
                found[(entry["dataset"], entry["transfer"])] = entry["why"]
    return found


def sources() -> dict[str, dict[str, Any]]:
    return {s["id"]: s for d in DOCS.values() for s in d.get("sources", [])}


def claims() -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(dataset, transfer, claim) for every claim of the bundled files."""
    for dataset, doc in DOCS.items():
        for transfer in doc.get("transfers", []):
            for claim in transfer["claims"]:
                yield dataset, transfer, claim


def test_every_expected_caveat_names_a_bundled_transfer() -> None:
    held = {(dataset, t["id"]) for dataset, t, _ in claims()}
    for kind in (CONFLICT, DOUBLE_COUNT):
        assert set(expected(kind)) <= held


def test_every_claim_cites_a_source_with_an_address() -> None:
    """The page the claim was read in has a url, except the two translated articles the
    MSMT and NATO datasets were curated from: they were given as files with no address
    (tests/data/sources_without_address.yaml says so, source by source)."""
    excused = yaml.safe_load((DATA / "sources_without_address.yaml").read_text("utf-8"))
    known = sources()
    assert set(excused) <= set(known)
    missing = {
        claim["source"]
        for _, _, claim in claims()
        if not known[claim["source"]].get("url") and claim["source"] not in excused
    }
    assert missing == set()


def _claim(transfer: dict[str, Any], claim: dict[str, Any]) -> Claim:
    """A running-total claim as the engine reads it: its window and stated bounds."""
    quantity = claim["quantity"]
    ((qualifier, value),) = quantity.items()
    low, best, high = {
        "exact": (value, value, value),
        "about": (None, value, None),
        "at_least": (value, value, None),
        "more_than": (value, value, None),
        "up_to": (None, value, value),
    }.get(qualifier) or (value[0], None, value[1])
    since = claim.get("since")
    start = parse_period(str(since)).start_date if since else None
    start = start or parse_period(str(transfer["period"])).start_date
    # as_of defaults to the source's published date, when that is one exact day.
    as_of = claim.get("as_of") or sources()[claim["source"]]["published"]
    end = date.fromisoformat(str(as_of))
    return Claim(claim["source"], qualifier, low, best, high, start, end)


def test_running_totals_are_non_decreasing_or_expected_conflicts() -> None:
    """A running total over a window inside another's window cannot exceed it: the first's
    lower bound is at most the second's upper bound ("about" read with its 25 %)."""
    decreasing = set()
    for dataset, doc in DOCS.items():
        for transfer in doc.get("transfers", []):
            series = [
                _claim(transfer, c)
                for c in transfer["claims"]
                if c.get("measure") == "cumulative" and c.get("quantity")
            ]
            for inner in series:
                for outer in series:
                    inside = outer.start <= inner.start and inner.end <= outer.end  # type: ignore[operator]
                    high = outer.checked()[1]
                    if inside and high is not None and inner.checked()[0] > high:
                        decreasing.add((dataset, transfer["id"]))
    assert decreasing <= set(expected(CONFLICT))


def loaded(session: Session) -> Session:
    for path in FILES:
        sanctrack.load_fixture(session, path)
    return session


def test_loading_everything_counts_no_physical_transfer_twice(session: Session) -> None:
    listed = {f"{d}/{t}" for d, t in expected(DOUBLE_COUNT)}
    for item in review(loaded(session)):
        assert listed & set(item.caveat.transfers), item.caveat.message


def _tables(output: str) -> dict[str, dict[tuple[int, str, str], list[int | None]]]:
    """The demo's year x category tables by heading: (year, category, unit) -> low, best,
    high, transfers."""
    tables: dict[str, dict[tuple[int, str, str], list[int | None]]] = {}
    heading = ""
    for line in output.splitlines():
        if "transfers by year and category" in line:
            heading = line.split(":")[0]
            tables[heading] = {}
        elif line.startswith("└"):
            heading = ""
        elif heading and line.startswith("│"):
            year, category, unit, *numbers = (c.strip() for c in line.strip("│").split("│"))
            # The table writes an unbounded high and an unquantified best as words.
            words: dict[str, int | None] = {"unbounded": None, "unquantified": 0}
            values = [words[n] if n in words else int(n.replace(",", "")) for n in numbers[:4]]
            tables[heading][(int(year), category, unit)] = values
    return tables


def _categories() -> dict[str, str]:
    """materiel type slug -> its category slug (seeds and the bundled files' own types)."""
    seeds = yaml.safe_load((data_dir("seeds") / "materiel_types.yaml").read_text("utf-8"))
    found = {m["slug"]: m["category"] for m in seeds["materiel_types"]}
    for doc in DOCS.values():
        found.update({m["slug"]: m["category"] for m in doc.get("materiel_types", [])})
    return found


def test_the_demo_shows_the_figures_and_conflicts_of_the_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--url", f"sqlite:///{tmp_path / 'd.db'}"])
    assert result.exit_code == 0, result.output
    for dataset in DOCS:
        assert f"{dataset}: " in result.output
    # The conflicts: exactly the expected ones, each named once.
    conflicts = expected(CONFLICT)
    assert f"Conflicting claims: {len(conflicts)} transfer(s)" in result.output
    shown = result.output.split("Conflicting claims:")[1]
    for dataset, transfer in conflicts:
        assert shown.count(f"'{transfer}' (dataset '{dataset}')") == 1
    assert "unsc-2397-op5" in result.output  # the petroleum cap check
    # The headline figures: every figure a file states for one whole calendar year
    # bounds that year's row from below; and from above, where the row holds that
    # transfer alone and its claims do not conflict.
    tables, category = _tables(result.output), _categories()
    checked = 0
    for dataset, transfer, claim in claims():
        period = str(claim.get("period") or transfer["period"])
        quantity = claim.get("quantity")
        if claim.get("measure") == "cumulative" or not quantity or len(period) != 4:
            continue
        table = tables[f"{transfer['supplier']} → {transfer['recipient']}"]
        low, best, high, count = table[(int(period), category[transfer["materiel"]], claim["unit"])]
        stated = _claim(transfer, {**claim, "as_of": f"{period}-12-31"}).hard()
        assert low is not None and low >= stated[0]
        assert best is not None and low <= best and (high is None or best <= high)
        if count == 1 and stated[1] is not None and (dataset, transfer["id"]) not in conflicts:
            assert high is not None and high <= stated[1]
        checked += 1
    assert checked >= 4
