"""One transfer across datasets: same_as pools the members of an identity group through
the engine, whatever the load order; distinct_from silences their overlap caveat; the
caveats cover one dataset too, respect the filters and list the transfers they name."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import ClaimSpec, SourceSpec, TransferSpec, build, clear
from fixture_cases import write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert
from sqlmodel import Session

from sanctrack import FixtureError, export_dataset, load_fixture, write_fixture
from sanctrack.models import metadata
from sanctrack.queries import flows, timeline, transfers_by_year_and_category


def dataset(ds: str, transfers: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    source = {"id": f"{ds}-report", "kind": "report", "reliability": "B"}
    return {
        "dataset": {"id": ds, "title": ds, "version": "1"},
        "sources": [{**source, "published": "2025-01-01"}],
        **extra,
        "transfers": transfers,
    }


def transfer(ds: str, key: str, period: str, quantity: dict[str, int], **extra: Any) -> Any:
    claim = {"source": f"{ds}-report", "quantity": quantity, "unit": "rounds"}
    return {
        "id": key,
        "supplier": "PRK",
        "recipient": "RUS",
        "materiel": "artillery-ammunition",
        "period": period,
        "claims": [claim],
        **extra,
    }


X = dataset("ds-x", [transfer("ds-x", "shells", "2024", {"at_least": 1_000_000})])


def y(**extra: Any) -> dict[str, Any]:
    return dataset("ds-y", [transfer("ds-y", "rounds", "2024", {"at_least": 3_000_000}, **extra)])


def load(session: Session, tmp_path: Path, data: dict[str, Any], name: str = "") -> Any:
    return load_fixture(session, write(tmp_path / f"{name or data['dataset']['id']}.yaml", data))


def year(session: Session, **filters: Any) -> Any:
    result = transfers_by_year_and_category(session, **filters)
    assert len(result.rows) == 1
    return result.rows[0], result.caveats


def test_a_group_of_two_directions_counts_under_its_first_member(
    session: Session, tmp_path: Path
) -> None:
    """same_as over members that name different directions: counted once, as the first
    member (ds-x/shells, PRK → RUS) names it, with a caveat that says how to mend it."""
    load(session, tmp_path, X)
    back = y(same_as=["ds-x/shells"], supplier="RUS", recipient="PRK")
    load(session, tmp_path, back)
    row, caveats = year(session)
    assert (row.supplier, row.recipient, row.low, row.transfers) == ("PRK", "RUS", 3_000_000, 1)
    assert [(c.kind, c.message) for c in caveats] == [
        (
            "mixed_directions",
            "The transfers ds-x/shells, ds-y/rounds are judged one (same_as) but name "
            "different directions (PRK → RUS, RUS → PRK); they are counted once, as PRK → "
            "RUS, the direction of ds-x/shells. If they are different transfers, judge them "
            "distinct_from; else correct the supplier or recipient.",
        )
    ]
    # A filter pools only the members that pass it: here ds-y/rounds alone, as it names it.
    alone, none = year(session, supplier="RUS")
    assert (alone.supplier, alone.recipient, alone.low, none) == ("RUS", "PRK", 3_000_000, [])


@pytest.mark.parametrize("y_first", [False, True])
def test_same_as_counts_one_transfer_whatever_the_load_order(
    session: Session, tmp_path: Path, y_first: bool
) -> None:
    files = [y(same_as=["ds-x/shells"]), X]
    for data in files if y_first else files[::-1]:
        load(session, tmp_path, data)
    row, caveats = year(session)
    assert (row.low, row.best, row.transfers, row.sources) == (3_000_000, 3_000_000, 1, 2)
    assert caveats == []
    assert [r.transfers for r in flows(session)] == [1]
    assert [r.low for r in timeline(session)] == [3_000_000]
    # Each dataset alone counts its own transfer.
    assert year(session, datasets="ds-x")[0].low == 1_000_000


def test_dropping_the_link_counts_both_again_with_a_caveat(
    session: Session, tmp_path: Path
) -> None:
    load(session, tmp_path, X)
    assert load(session, tmp_path, y(same_as=["ds-x/shells"])).counts["links"]["created"] == 1
    report = load(session, tmp_path, y())
    assert report.counts["links"]["removed"] == 1
    row, caveats = year(session)
    assert (row.low, row.transfers) == (4_000_000, 2)
    assert [c.transfers for c in caveats] == [("ds-x/shells", "ds-y/rounds")]
    assert caveats[0].datasets == ("ds-x", "ds-y") and caveats[0].counts == (1, 1)
    assert caveats[0].message == (
        "PRK to RUS, ammunition: 2 transfers with overlapping periods (1 in ds-x, 1 in "
        "ds-y; 2024-01-01 to 2024-12-31): ds-x/shells, ds-y/rounds. Some may be the same "
        "goods counted twice: judge them with same_as or distinct_from (sanctrack review)."
    )


def test_distinct_from_silences_the_caveat_and_counts_both(
    session: Session, tmp_path: Path
) -> None:
    load(session, tmp_path, X)
    load(session, tmp_path, y(distinct_from=["ds-x/shells"]))
    row, caveats = year(session)
    assert (row.low, row.transfers, caveats) == (4_000_000, 2, [])


def test_a_judgement_file_links_two_other_datasets(session: Session, tmp_path: Path) -> None:
    load(session, tmp_path, X)
    load(session, tmp_path, y())
    judged = dataset("my-review", [], links=[{"same_as": ["ds-x/shells", "ds-y/rounds"]}])
    judged["sources"] = []
    load(session, tmp_path, judged)
    row, caveats = year(session)
    assert (row.low, row.transfers, caveats) == (3_000_000, 1, [])
    exported = export_dataset(session, "my-review")
    assert [link.same_as for link in exported.links] == [["ds-x/shells", "ds-y/rounds"]]
    again = write_fixture(exported, tmp_path / "again.yaml")
    assert not load_fixture(session, again).changed  # the round trip changes nothing


def test_links_export_and_load_again_unchanged(session: Session, tmp_path: Path) -> None:
    load(session, tmp_path, X)
    load(session, tmp_path, y(same_as=["ds-x/shells"], distinct_from=[]))
    path = write_fixture(export_dataset(session, "ds-y"), tmp_path / "exported.yaml")
    text = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert text["transfers"][0]["same_as"] == ["ds-x/shells"]
    assert "distinct_from" not in text["transfers"][0] and "links" not in text
    assert not load_fixture(session, path).changed


def test_overlaps_within_one_dataset_respect_the_filters(session: Session, tmp_path: Path) -> None:
    data = dataset(
        "ds-x",
        [
            transfer("ds-x", "shells", "2024", {"at_least": 10}),
            transfer("ds-x", "more-shells", "2024-06", {"at_least": 20}),
            transfer("ds-x", "troops", "2024", {"at_least": 30}, materiel="troops"),
            transfer("ds-x", "guns", "2024", {"at_least": 5}, materiel="self-propelled-guns"),
            transfer("ds-x", "howitzers", "2024", {"at_least": 5}, materiel="artillery"),
        ],
    )
    data["transfers"][2]["claims"][0]["unit"] = "personnel"
    data["transfers"][3]["claims"][0]["unit"] = "items"
    data["transfers"][4]["claims"][0]["unit"] = "items"
    load(session, tmp_path, data)
    caveats = transfers_by_year_and_category(session).caveats
    # Two artillery types of one dataset are different goods; two ammunition transfers
    # of one type in overlapping periods may be one.
    assert [c.transfers for c in caveats] == [("ds-x/shells", "ds-x/more-shells")]
    assert transfers_by_year_and_category(session, years=2023).caveats == []
    assert len(transfers_by_year_and_category(session, years=[2024, 2025]).caveats) == 1
    assert transfers_by_year_and_category(session, category="personnel").caveats == []


def test_link_errors_are_located(session: Session, tmp_path: Path) -> None:
    data = dataset(
        "ds-x",
        [
            transfer("ds-x", "a", "2024", {"exact": 1}, same_as=["a"]),
            transfer("ds-x", "b", "2024", {"exact": 1}, same_as=["c"]),
            transfer("ds-x", "c", "2024", {"exact": 1}, distinct_from=["b"]),
            transfer("ds-x", "d", "2024", {"exact": 1}, same_as=["nosuch"]),
        ],
    )
    with pytest.raises(FixtureError) as caught:
        load(session, tmp_path, data)
    assert [(e.record, e.field, e.message) for e in caught.value.errors] == [
        ("transfers[0] (a)", "same_as[0]", "ds-x/a is linked to itself: remove it"),
        (
            "transfers[2] (c)",
            "distinct_from[0]",
            "ds-x/b and ds-x/c are also judged same_as (at transfers[1] (b)): keep one judgement",
        ),
        (
            "transfers[3] (d)",
            "same_as[0]",
            "no transfer 'nosuch' in this dataset: give its id, or dataset/id for a "
            "transfer of another dataset",
        ),
    ]


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FORMS = ["exact", "about", "at_least", "more_than", "up_to", "between", "unquantified"]
SOURCES = [SourceSpec("s-x", "B", date(2024, 6, 1)), SourceSpec("s-y", "C", date(2025, 1, 1))]


@st.composite
def flow_claims(draw: st.DrawFn, source: str) -> list[ClaimSpec]:
    """Claims over the transfer's whole period (one window: no sub-window adds up)."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        form = draw(st.sampled_from(FORMS))
        a = draw(st.integers(0, 10**6))
        b = draw(st.integers(a, 10**6)) if form == "between" else None
        out.append(ClaimSpec(source, form, a, b, "rounds"))
    return out


def totals(session: Session, **filters: Any) -> dict[Any, tuple[int, int, float, int]]:
    rows = transfers_by_year_and_category(session, caveats=False, **filters)
    inf = float("inf")
    return {
        (r.year, r.unit): (r.low, r.best, inf if r.high is None else r.high, r.conflicting)
        for r in rows
    }


@SETTINGS
@given(x=flow_claims("s-x"), y_=flow_claims("s-y"), start=st.integers(0, 700))
def test_same_as_never_raises_a_total_above_the_larger_of_the_two(
    engine: Engine, x: list[ClaimSpec], y_: list[ClaimSpec], start: int
) -> None:
    """Unless the pooled claims conflict (then the bounds are the hull of the readings,
    never falsely narrow, and a caveat says so)."""
    period = (date.fromordinal(date(2023, 1, 1).toordinal() + start), date(2025, 6, 30))
    with Session(engine) as session:
        clear(session)
        sources = [SourceSpec(s.id, s.reliability, s.published, "ds-a") for s in SOURCES]
        build(
            session,
            sources,
            [TransferSpec("tx", *period, x, "ds-a"), TransferSpec("ty", *period, y_, "ds-b")],
        )
        apart = [totals(session, datasets=d) for d in ("ds-a", "ds-b")]
        session.execute(
            insert(metadata.tables["transfer_link"])
            .values(dataset_id="ds-b", kind="same_as", a_dataset="ds-a", a_key="tx")
            .values(b_dataset="ds-b", b_key="ty")
        )
        session.commit()
        pooled = totals(session)
        for key, (low, best, high, conflicting) in pooled.items():
            if conflicting:  # the hull of the conflicting readings, with a caveat
                continue
            separate = [t[key] for t in apart if key in t]
            assert low <= max(s[0] for s in separate)
            assert best <= max(s[1] for s in separate)
            assert high <= max(s[2] for s in separate)
        assert sum(r.transfers for r in transfers_by_year_and_category(session)) == len(pooled)


def test_review_shows_the_claims_and_writes_a_judgement_file(
    session: Session, tmp_path: Path, engine: Engine
) -> None:
    from typer.testing import CliRunner

    from sanctrack.cli import app
    from sanctrack.queries import judgement_template, review

    load(session, tmp_path, X)
    load(session, tmp_path, y())
    items = review(session, supplier="PRK")
    assert [i.caveat.transfers for i in items] == [("ds-x/shells", "ds-y/rounds")]
    assert [(c.transfer, c.source_id, c.claim) for c in items[0].claims] == [
        ("ds-x/shells", "ds-x-report", "at least 1,000,000 (2024-01-01 to 2024-12-31)"),
        ("ds-y/rounds", "ds-y-report", "at least 3,000,000 (2024-01-01 to 2024-12-31)"),
    ]
    template = judgement_template(items)
    assert "  - same_as: [ds-x/shells, ds-y/rounds]\n" in template
    url = str(engine.url.render_as_string(hide_password=False))
    judged = tmp_path / "judgements.yaml"
    result = CliRunner().invoke(app, ["review", "--url", url, "--template", str(judged)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"[1] {items[0].caveat.message}"
    assert lines[1].split("\t") == [
        "",
        "ds-x/shells",
        "2024",
        "artillery-ammunition",
        "ds-x-report",
        "B",
        "at least 1,000,000 (2024-01-01 to 2024-12-31)",
    ]
    assert lines[-1] == f"Wrote a judgement file for 1 caveat(s) to {judged}"
    assert judged.read_text(encoding="utf-8") == template
    judged.write_text(template.replace("same_as", "distinct_from"), encoding="utf-8")
    load_fixture(session, judged)
    assert review(session) == []
    result = CliRunner().invoke(app, ["review", "--url", url])
    assert result.exit_code == 0, result.output
    assert result.output == "No open overlap caveats.\n"


def test_removing_a_dataset_removes_its_links(session: Session, tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from sanctrack import UnknownDatasetError, remove_dataset

    load(session, tmp_path, X)
    load(session, tmp_path, y(same_as=["ds-x/shells"]))
    report = remove_dataset(session, "ds-y")
    assert report.counts["links"]["removed"] == 1
    assert report.counts["transfers"]["removed"] == 1
    assert report.counts["datasets"]["removed"] == 1
    link = metadata.tables["transfer_link"]
    assert session.execute(select(func.count()).select_from(link)).scalar_one() == 0
    row, caveats = year(session)
    assert (row.low, row.transfers, caveats) == (1_000_000, 1, [])
    with pytest.raises(UnknownDatasetError):
        remove_dataset(session, "ds-y")
    # Loaded again, its link waits for nothing: ds-x is there.
    load(session, tmp_path, y(same_as=["ds-x/shells"]))
    assert year(session)[0].transfers == 1


def test_the_remove_command(engine: Engine, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sanctrack.cli import app

    url = str(engine.url.render_as_string(hide_password=False))
    with Session(engine) as session:
        load(session, tmp_path, X)
    result = CliRunner().invoke(app, ["remove", "ds-x", "--url", url])
    assert result.exit_code == 0, result.output
    assert result.output == "Removed ds-x: 3 records\n"  # dataset, source, transfer
    result = CliRunner().invoke(app, ["remove", "ds-x", "--url", url])
    assert result.exit_code == 1
