"""Loading: all or nothing, idempotent, updates in place, a load history, bundled datasets on
every backend; an invalid file leaves the database exactly as it was."""

from __future__ import annotations

import copy
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixture_cases import BUNDLED, MSMT, NATO, base, dump, unlined, write
from sqlalchemy import Engine, select
from sqlmodel import Session
from test_fixture_validation import CASES, Case, write_case

import sanctrack
from sanctrack import FixtureError, LoadReport, load_fixture
from sanctrack.models import LoadRecord, metadata

POSTGRES_VARIABLE = "SANCTRACK_TEST_POSTGRES_URL"


def load(engine: Engine, path: Path) -> LoadReport:
    with Session(engine) as session:
        return load_fixture(session, path)


def counts(report: LoadReport) -> dict[str, dict[str, int]]:
    """The counts, without links when there are none (these datasets declare none)."""
    return {
        kind: dict(by_effect)
        for kind, by_effect in report.counts.items()
        if kind != "links" or any(by_effect.values())
    }


def history(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        table = metadata.tables["load_record"]
        query = select(
            table.c.dataset_id,
            table.c.checksum,
            table.c.created,
            table.c.updated,
            table.c.unchanged,
            table.c.removed,
        ).order_by(table.c.id)
        return [tuple(r) for r in c.execute(query)]


@pytest.fixture(
    scope="module",
    params=["sqlite", "postgresql"] if os.environ.get(POSTGRES_VARIABLE) else ["sqlite"],
)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres: Any
) -> Iterator[Engine]:
    """One database per backend, with both bundled datasets loaded, shared by the tests
    that must leave it unchanged."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('loaded') / 'loaded.db'}"
    else:
        url = postgres.create()
    engine = sanctrack.connect(url)
    for path in BUNDLED:
        load(engine, path)
    yield engine
    engine.dispose()
    if request.param != "sqlite":
        postgres.drop(url)


# -- bundled datasets ----------------------------------------------------------------------


def test_bundled_datasets_load_and_reload_with_no_change(engine: Engine) -> None:
    for path in BUNDLED:
        report = load(engine, path)
        assert report.changed
        assert report.created > 0 and report.updated == report.removed == 0
        assert report.counts["datasets"]["created"] == 1
    before = dump(engine)
    for path in BUNDLED:
        again = load(engine, path)
        assert not again.changed
        assert again.created == again.updated == again.removed == 0
        assert again.unchanged > 0
        assert (
            str(again)
            == f"{again.dataset}: unchanged ({again.unchanged} records already up to date)"
        )
    assert dump(engine) == before  # a no-op reload records nothing, not even history


def test_bundled_datasets_validate_without_a_database() -> None:
    with Session(sanctrack.connect("sqlite://")) as session:
        for path in BUNDLED:
            report = load_fixture(session, path)
            assert sanctrack.validate_fixture(path) == report.counts["transfers"]["created"]


# -- malformed input leaves the database exactly as it was ---------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_input_changes_nothing(loaded: Engine, tmp_path: Path, case: Case) -> None:
    path = write_case(tmp_path, case)
    before = dump(loaded)
    with pytest.raises(FixtureError) as caught:
        load(loaded, path)
    assert [unlined(issue) for issue in caught.value.errors] == case.expected
    assert dump(loaded) == before


@pytest.mark.parametrize("fmt", ["yaml", "jsonl"])
def test_a_broken_update_of_a_loaded_dataset_changes_nothing(
    loaded: Engine, tmp_path: Path, fmt: str
) -> None:
    """A file whose first records are fine and whose last one is broken: all or nothing."""
    with Session(loaded) as session:
        msmt = sanctrack.export_dataset(session, "msmt-2025-05-dprk-russia")
    data = msmt.model_dump(mode="json", exclude_none=True)
    data["dataset"]["version"] = "broken"
    data["transfers"].append(copy.deepcopy(data["transfers"][0]) | {"id": "new-one"})
    data["transfers"][-1]["claims"][0]["quantity"] = {"exact": 2**63}
    path = write(tmp_path / f"msmt.{fmt}", data)
    before = dump(loaded)
    with pytest.raises(FixtureError) as caught:
        load(loaded, path)
    label = (
        f"line {len(data['transfers']) + 1}"
        if fmt == "jsonl"
        else (f"transfers[{len(data['transfers']) - 1}]")
    )
    assert [unlined(e) for e in caught.value.errors] == [
        f"msmt.{fmt}: {label} (new-one).claims[0].quantity.exact: expected a non-negative "
        "integer up to 9223372036854775807, got 9223372036854775808"
    ]
    assert dump(loaded) == before


def test_a_source_defined_by_another_dataset_cannot_be_redefined(
    loaded: Engine, tmp_path: Path
) -> None:
    data = base()
    data["sources"].append({"id": "nato-2024-10-28-statement", "kind": "report"})
    path = write(tmp_path / "steal.yaml", data)
    before = dump(loaded)
    with pytest.raises(FixtureError) as caught:
        load(loaded, path)
    assert [unlined(e) for e in caught.value.errors] == [
        "steal.yaml: sources[2] (nato-2024-10-28-statement).id: source "
        "'nato-2024-10-28-statement' already belongs to dataset 'nato-2024-10-28' and differs "
        "in kind, publisher, title, published, language, reliability and authors: cite it "
        "without defining it, or load a corrected 'nato-2024-10-28'"
    ]
    assert dump(loaded) == before


def test_a_materiel_type_of_another_dataset_cannot_be_redefined(
    engine: Engine, tmp_path: Path
) -> None:
    load(engine, write(tmp_path / "a.yaml", base()))
    other = base()
    other["dataset"]["id"] = "other-ds"
    other["sources"] = [{"id": "o1", "kind": "report"}]
    other["transfers"] = [other["transfers"][2]]
    other["transfers"][0]["claims"] = [{"source": "o1"}]
    other["materiel_types"][0]["name"] = "Another shell"
    path = write(tmp_path / "b.yaml", other)
    before = dump(engine)
    with pytest.raises(FixtureError) as caught:
        load(engine, path)
    assert [unlined(e) for e in caught.value.errors] == [
        "b.yaml: materiel_types[0] (test-shell).slug: materiel type 'test-shell' already "
        "belongs to dataset 'test-ds' and differs in name: use it without declaring it, or "
        "load a corrected 'test-ds'"
    ]
    assert dump(engine) == before
    del other["materiel_types"]  # citing another dataset's materiel type is fine
    assert load(engine, write(tmp_path / "b.yaml", other)).counts["transfers"]["created"] == 1


# -- idempotence, updates in place, removals, history -------------------------------------


def test_loading_twice_changes_nothing_and_says_so(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "test.yaml", base())
    first = load(engine, path)
    assert counts(first) == {
        "datasets": {"created": 1, "updated": 0, "unchanged": 0, "removed": 0},
        "sources": {"created": 2, "updated": 0, "unchanged": 0, "removed": 0},
        "materiel_types": {"created": 1, "updated": 0, "unchanged": 0, "removed": 0},
        "transfers": {"created": 3, "updated": 0, "unchanged": 0, "removed": 0},
    }
    assert (first.created, first.updated, first.unchanged, first.removed) == (7, 0, 0, 0)
    before = dump(engine)
    second = load(engine, path)
    assert not second.changed
    assert (second.created, second.updated, second.unchanged, second.removed) == (0, 0, 7, 0)
    assert str(second) == "test-ds: unchanged (7 records already up to date)"
    assert dump(engine) == before
    # the same data in another format is the same dataset: still nothing to do
    for fmt in ("json", "jsonl"):
        assert not load(engine, write(tmp_path / f"test.{fmt}", base())).changed
    assert dump(engine) == before


def test_a_corrected_version_updates_in_place(engine: Engine, tmp_path: Path) -> None:
    load(engine, NATO)
    nato_before = dump_dataset(engine, "nato-2024-10-28")
    v1 = write(tmp_path / "v1.yaml", base())
    load(engine, v1)
    with engine.connect() as c:
        t3_id = c.execute(
            select(metadata.tables["transfer"].c.id).where(
                metadata.tables["transfer"].c.key == "t3"
            )
        ).scalar_one()

    data = base()
    data["dataset"]["version"] = "2"
    data["transfers"][0]["claims"][0]["quantity"] = {"up_to": 8000000}  # t1 corrected
    del data["transfers"][1]  # t2 dropped
    data["transfers"].append(
        {  # t4 added
            "id": "t4",
            "supplier": "RUS",
            "recipient": "PRK",
            "materiel": "crude-oil",
            "period": "2024/..",
            "claims": [{"source": "s2", "quantity": {"more_than": 1000000}, "unit": "barrels"}],
        }
    )
    v2 = write(tmp_path / "v2.yaml", data)
    report = load(engine, v2)
    assert counts(report) == {
        "datasets": {"created": 0, "updated": 1, "unchanged": 0, "removed": 0},
        "sources": {"created": 0, "updated": 0, "unchanged": 2, "removed": 0},
        "materiel_types": {"created": 0, "updated": 0, "unchanged": 1, "removed": 0},
        "transfers": {"created": 1, "updated": 1, "unchanged": 1, "removed": 1},
    }
    assert str(report) == (
        "test-ds: 1 created, 2 updated, 4 unchanged, 1 removed "
        "(transfers: 1 created, 1 updated, 1 unchanged, 1 removed)"
    )
    with engine.connect() as c:
        t, cl = metadata.tables["transfer"], metadata.tables["claim"]
        rows = c.execute(select(t.c.key, t.c.id).where(t.c.dataset_id == "test-ds")).all()
        assert sorted(k for k, _ in rows) == ["t1", "t3", "t4"]
        assert dict(rows)["t3"] == t3_id  # unchanged records keep their rows
        best = c.execute(
            select(cl.c.best).join(t, t.c.id == cl.c.transfer_id).where(t.c.key == "t1")
        ).scalar_one()
        assert best == 8000000
        version = c.execute(
            select(metadata.tables["dataset"].c.version).where(
                metadata.tables["dataset"].c.id == "test-ds"
            )
        ).scalar_one()
        assert version == "2"
    assert dump_dataset(engine, "nato-2024-10-28") == nato_before

    # the exported dataset is v2, and reloading v2 changes nothing
    with Session(engine) as session:
        exported = sanctrack.export_dataset(session, "test-ds")
    assert [t.id for t in exported.transfers] == ["t1", "t3", "t4"]
    assert not load(engine, v2).changed


def test_load_history(engine: Engine, tmp_path: Path) -> None:
    v1 = write(tmp_path / "v1.yaml", base())
    data = base()
    del data["transfers"][0]
    v2 = write(tmp_path / "v2.yaml", data)
    load(engine, v1)
    load(engine, v1)  # no-op: not recorded
    load(engine, v2)
    load(engine, v2)  # no-op: not recorded
    with pytest.raises(FixtureError):
        load(engine, write(tmp_path / "bad.yaml", base() | {"transfers": [{}]}))
    sha = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (v1, v2)}
    assert history(engine) == [
        ("test-ds", sha[v1], 7, 0, 0, 0),
        ("test-ds", sha[v2], 0, 0, 6, 1),
    ]
    with Session(engine) as session:
        records = session.exec(select(LoadRecord).order_by(LoadRecord.id)).all()  # type: ignore[call-overload, arg-type]
        assert [Path(r[0].path) for r in records] == [v1.resolve(), v2.resolve()]
        assert records[0][0].loaded_at <= records[1][0].loaded_at
        assert records[0][0].loaded_at.tzinfo is not None


def test_removing_a_dataset_record_never_touches_another_dataset(
    engine: Engine, tmp_path: Path
) -> None:
    """Two datasets may use the same transfer ids: each is its own namespace."""
    a = base()
    b = base()
    b["dataset"]["id"] = "b-ds"
    for s in b["sources"]:
        s["id"] = "b-" + s["id"]
        if "cites" in s:
            s["cites"] = "b-" + s["cites"]
    del b["materiel_types"]
    for t in b["transfers"]:
        for c in t["claims"]:
            c["source"] = "b-" + c["source"]
    load(engine, write(tmp_path / "a.yaml", a))
    load(engine, write(tmp_path / "b.yaml", b))
    b_before = dump_dataset(engine, "b-ds")
    a["transfers"] = a["transfers"][2:]
    report = load(engine, write(tmp_path / "a.yaml", a))
    assert report.counts["transfers"] == {"created": 0, "updated": 0, "unchanged": 1, "removed": 2}
    assert dump_dataset(engine, "b-ds") == b_before


def test_dropping_a_source_another_dataset_cites_is_refused(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "a.yaml", base()))
    other = {
        "dataset": {"id": "other-ds", "title": "Other", "version": "1"},
        "sources": [{"id": "o1", "kind": "news_article", "cites": "s1"}],
        "transfers": [
            {
                "id": "x1",
                "supplier": "PRK",
                "recipient": "RUS",
                "materiel": "troops",
                "period": "2024",
                "claims": [{"source": "s2", "unit": "personnel"}],
            }
        ],
    }
    load(engine, write(tmp_path / "other.yaml", other))
    before = dump(engine)
    data = base()
    data["sources"] = []  # drops s1 and s2, which other-ds cites
    for t in data["transfers"]:
        t["claims"] = [{"source": "o1", "unit": c.get("unit")} for c in t["claims"][:1]]
    path = write(tmp_path / "a.yaml", data)
    with pytest.raises(FixtureError) as caught:
        load(engine, path)
    assert sorted(unlined(e) for e in caught.value.errors) == [
        "a.yaml: sources: source 's1' was dropped from the file but is still used by "
        "dataset 'other-ds': keep it in the file",
        "a.yaml: sources: source 's2' was dropped from the file but is still used by "
        "dataset 'other-ds': keep it in the file",
    ]
    assert dump(engine) == before


def test_dropping_a_materiel_type_still_in_use(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "a.yaml", base()))
    data = base()
    del data["materiel_types"]  # t3 still uses test-shell
    path = write(tmp_path / "a.yaml", data)
    before = dump(engine)
    with pytest.raises(FixtureError) as caught:
        load(engine, path)
    assert [unlined(e) for e in caught.value.errors] == [
        "a.yaml: transfers[2] (t3).materiel: unknown materiel type 'test-shell'"
    ]
    assert dump(engine) == before
    del data["transfers"][2]
    report = load(engine, write(tmp_path / "a.yaml", data))
    assert report.counts["materiel_types"]["removed"] == 1
    assert report.counts["transfers"]["removed"] == 1


def test_largest_quantities_are_stored(engine: Engine, tmp_path: Path) -> None:
    top = 2**63 - 1
    data = base()
    data["transfers"][1]["claims"][0]["quantity"] = {"between": [top - 1, top], "best": top}
    data["transfers"][0]["claims"][0]["quantity"] = {"exact": top}
    path = write(tmp_path / "max.jsonl", data)
    load(engine, path)
    with engine.connect() as c:
        cl = metadata.tables["claim"]
        assert sorted(
            c.execute(
                select(cl.c.low, cl.c.best, cl.c.high).where(
                    cl.c.qualifier.in_(["exact", "between"])
                )
            ).all()
        ) == [(top - 1, top, top), (top, top, top)]
    assert not load(engine, path).changed


def dump_dataset(engine: Engine, dataset_id: str) -> dict[str, list[tuple[Any, ...]]]:
    """The rows that belong to one dataset."""
    t = metadata.tables
    with engine.connect() as c:
        transfers = select(t["transfer"].c.id).where(t["transfer"].c.dataset_id == dataset_id)
        sources = select(t["source"].c.id).where(t["source"].c.dataset_id == dataset_id)
        queries = {
            "dataset": select(t["dataset"]).where(t["dataset"].c.id == dataset_id),
            "source": select(t["source"]).where(t["source"].c.dataset_id == dataset_id),
            "source_author": select(t["source_author"]).where(
                t["source_author"].c.source_id.in_(sources)
            ),
            "materiel_type": select(t["materiel_type"]).where(
                t["materiel_type"].c.dataset_id == dataset_id
            ),
            "transfer": select(t["transfer"]).where(t["transfer"].c.dataset_id == dataset_id),
            "claim": select(t["claim"]).where(t["claim"].c.transfer_id.in_(transfers)),
            "violation": select(t["violation"]).where(t["violation"].c.transfer_id.in_(transfers)),
            "load_record": select(t["load_record"]).where(
                t["load_record"].c.dataset_id == dataset_id
            ),
        }
        return {
            name: sorted((tuple(r) for r in c.execute(q)), key=repr) for name, q in queries.items()
        }


def test_msmt_dataset_has_the_example_claim(engine: Engine) -> None:
    load(engine, MSMT)
    with Session(engine) as session:
        fixture = sanctrack.export_dataset(session, "msmt-2025-05-dprk-russia")
    assert fixture.transfers
