"""Sources and materiel types shared between datasets (README, "Shared sources and materiel
types"): no takeover, identical repeats are references, the owner can't change what others
rely on or remove what they use, circles of citations are caught across datasets, long
chains load, and two loads that define the same source at the same instant give one owner
and a located error (or a reference), never a raw database error. On SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import workers
from fixture_cases import dump, unlined, write
from sqlalchemy import Engine, select, text
from sqlmodel import Session

import sanctrack
from sanctrack import FixtureError, LoadReport, export_dataset, load_fixture, write_fixture
from sanctrack.fixture.write import Writer
from sanctrack.models import MaterielType, Source

WORKERS = Path(workers.__file__)


def source(ident: str, **fields: Any) -> dict[str, Any]:
    return {"id": ident, "kind": "report", "reliability": "B"} | fields


def transfer(ident: str, cited: str, materiel: str = "troops", **claim: Any) -> dict[str, Any]:
    claim = {"source": cited, "quantity": {"about": 100}} | claim
    if materiel == "troops":
        claim.setdefault("unit", "personnel")
    return {
        "id": ident,
        "supplier": "PRK",
        "recipient": "RUS",
        "materiel": materiel,
        "period": "2024",
        "claims": [claim],
    }


def dataset(
    ident: str,
    sources: list[dict[str, Any]] | None = None,
    transfers: list[dict[str, Any]] | None = None,
    materiel: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return copy.deepcopy(
        {
            "dataset": {"id": ident, "title": f"Dataset {ident}", "version": "1"},
            "sources": sources or [],
            "materiel_types": materiel or [],
            "transfers": transfers or [],
        }
    )


MISSILE = {"slug": "a-missile", "name": "A missile", "category": "ballistic-missiles"}
MISSILE |= {"unit": "missiles"}


def load(engine: Engine, folder: Path, data: dict[str, Any]) -> LoadReport:
    path = write(folder / f"{data['dataset']['id']}.yaml", data)
    with Session(engine) as session:
        return load_fixture(session, path)


def refused(engine: Engine, folder: Path, data: dict[str, Any]) -> list[str]:
    """The errors of loading ``data``, which must leave the database as it was."""
    before = dump(engine)
    with pytest.raises(FixtureError) as caught:
        load(engine, folder, data)
    assert dump(engine) == before
    return [unlined(issue) for issue in caught.value.errors]


def stored_source(engine: Engine, ident: str) -> tuple[Any, ...]:
    with engine.connect() as c:
        row = c.execute(
            select(Source.dataset_id, Source.title, Source.reliability).where(Source.id == ident)
        ).one()
        return tuple(row)


@pytest.fixture
def a(engine: Engine, tmp_path: Path) -> dict[str, Any]:
    """Dataset 'a', loaded: source 's' and materiel type 'a-missile' are its own."""
    data = dataset(
        "a",
        [source("s", title="A's report", url="https://a.example/s")],
        [transfer("t1", "s")],
        [MISSILE],
    )
    load(engine, tmp_path, data)
    return data


# -- takeover, repeats ------------------------------------------------------------------


def test_another_dataset_cannot_take_a_source_over(
    engine: Engine, tmp_path: Path, a: dict[str, Any]
) -> None:
    b = dataset("b", [source("s", title="B's title")], [transfer("t1", "s")])
    assert refused(engine, tmp_path, b) == [
        "b.yaml: sources[0] (s).id: source 's' already belongs to dataset 'a' and differs in "
        "title and url: cite it without defining it, or load a corrected 'a'"
    ]
    assert stored_source(engine, "s") == ("a", "A's report", "B")
    assert not load(engine, tmp_path, a).changed  # a's unchanged file still loads as such
    del b["sources"]  # citing it without defining it is how b uses it
    assert load(engine, tmp_path, b).counts["transfers"]["created"] == 1
    assert stored_source(engine, "s") == ("a", "A's report", "B")


def test_an_identical_repeat_is_a_reference(
    engine: Engine, tmp_path: Path, a: dict[str, Any]
) -> None:
    b = dataset("b", copy.deepcopy(a["sources"]), [transfer("t1", "s")], [MISSILE])
    report = load(engine, tmp_path, b)
    assert report.counts["sources"] == {"created": 0, "updated": 0, "unchanged": 1, "removed": 0}
    assert report.counts["materiel_types"]["unchanged"] == 1
    assert stored_source(engine, "s") == ("a", "A's report", "B")
    with engine.connect() as c:
        owner = c.execute(select(MaterielType.dataset_id).where(MaterielType.slug == "a-missile"))
        assert owner.scalar_one() == "a"
    assert not load(engine, tmp_path, b).changed
    assert not load(engine, tmp_path, a).changed
    # The owner may change what no one relies on, a title, even while b cites it...
    a["sources"][0]["title"] = "A's report, revised"
    assert load(engine, tmp_path, a).counts["sources"]["updated"] == 1
    # ...and then b's copy is a different definition.
    assert refused(engine, tmp_path, b) == [
        "b.yaml: sources[0] (s).id: source 's' already belongs to dataset 'a' and differs in "
        "title: cite it without defining it, or load a corrected 'a'"
    ]


def test_a_seeded_materiel_type_may_be_repeated_but_not_changed(
    engine: Engine, tmp_path: Path
) -> None:
    seeded = {"slug": "ballistic-missiles", "name": "Ballistic missiles (unspecified)"}
    seeded |= {"category": "ballistic-missiles", "unit": "missiles"}
    data = dataset("b", [source("b1")], [transfer("t1", "b1", "ballistic-missiles")], [seeded])
    assert load(engine, tmp_path, data).counts["materiel_types"]["unchanged"] == 1
    data["materiel_types"][0]["name"] = "Missiles"
    assert refused(engine, tmp_path, data) == [
        "b.yaml: materiel_types[0] (ballistic-missiles).slug: materiel type "
        "'ballistic-missiles' is already defined by the seeds: use it without declaring it, "
        "or choose another slug"
    ]


# -- the owner's changes and removals ----------------------------------------------------


def test_the_owner_cannot_change_what_another_dataset_relies_on(
    engine: Engine, tmp_path: Path, a: dict[str, Any]
) -> None:
    load(engine, tmp_path, dataset("b", [], [transfer("t1", "s")]))
    a["sources"][0]["reliability"] = "D"
    assert refused(engine, tmp_path, a) == [
        "a.yaml: sources[0] (s): source 's' is used by dataset 'b', so its reliability cannot "
        "change: keep it as it is, or define a new source"
    ]
    a["sources"][0] |= {"kind": "official_statement", "published": "2024-01-02"}
    load(engine, tmp_path, dataset("c", [source("c1", cites="s")], [transfer("t1", "c1")]))
    assert refused(engine, tmp_path, a) == [
        "a.yaml: sources[0] (s): source 's' is used by datasets 'b', 'c', so its kind, "
        "published and reliability cannot change: keep them as they are, or define a new source"
    ]
    a["sources"][0] = source("s", title="Renamed", url="https://a.example/renamed")
    assert load(engine, tmp_path, a).counts["sources"]["updated"] == 1
    assert stored_source(engine, "s") == ("a", "Renamed", "B")


def test_recategorising_a_materiel_type_another_dataset_uses_is_refused(
    engine: Engine, tmp_path: Path, a: dict[str, Any]
) -> None:
    b = dataset("b", [source("b1")], [transfer("t1", "b1", "a-missile")])  # 100 missiles
    load(engine, tmp_path, b)
    a["materiel_types"][0] |= {"category": "troops", "unit": "personnel"}
    assert refused(engine, tmp_path, a) == [
        "a.yaml: materiel_types[0] (a-missile): materiel type 'a-missile' is used by the "
        "transfers of dataset 'b', so its category and unit cannot change: keep them as they "
        "are, or declare a new materiel type"
    ]
    assert not load(engine, tmp_path, b).changed  # still 100 missiles
    a["materiel_types"][0] = MISSILE | {"name": "A missile, renamed"}
    assert load(engine, tmp_path, a).counts["materiel_types"]["updated"] == 1
    del a["materiel_types"]
    assert refused(engine, tmp_path, a) == [
        "a.yaml: materiel_types: materiel type 'a-missile' was dropped from the file but is "
        "still used by dataset 'b': keep it in the file"
    ]


def test_the_owner_cannot_drop_a_source_others_cite(
    engine: Engine, tmp_path: Path, a: dict[str, Any]
) -> None:
    load(engine, tmp_path, dataset("b", [], [transfer("t1", "s", violates=["unsc-1718-op8b"])]))
    load(engine, tmp_path, dataset("c", [source("c1", cites="s")], [transfer("t1", "c1")]))
    a["sources"] = [source("s2")]
    a["transfers"] = [transfer("t1", "s2")]
    assert refused(engine, tmp_path, a) == [
        "a.yaml: sources: source 's' was dropped from the file but is still used by datasets "
        "'b', 'c': keep it in the file"
    ]


def test_dropping_a_source_no_one_else_uses(
    engine: Engine, tmp_path: Path, a: dict[str, Any]
) -> None:
    a["sources"] = [source("s2"), source("s3", cites="s2")]
    a["transfers"] = [transfer("t1", "s3")]
    load(engine, tmp_path, a)
    a["sources"] = [source("s4")]
    a["transfers"] = [transfer("t1", "s4")]
    report = load(engine, tmp_path, a)
    assert report.counts["sources"] == {"created": 1, "updated": 0, "unchanged": 0, "removed": 2}


# -- chains and circles -----------------------------------------------------------------


def test_a_circle_across_datasets_is_refused(
    engine: Engine, tmp_path: Path, a: dict[str, Any]
) -> None:
    load(engine, tmp_path, dataset("b", [source("b1", cites="s")], [transfer("t1", "b1")]))
    load(engine, tmp_path, dataset("c", [source("c1", cites="b1")], [transfer("t1", "c1")]))
    a["sources"][0]["cites"] = "c1"
    assert refused(engine, tmp_path, a) == [
        "a.yaml: sources[0] (s).cites: sources cite each other in a circle: s -> c1 -> b1 -> s "
        "(through datasets 'b', 'c'): a source cannot rest on itself; remove one of these "
        "citations"
    ]


def chain(prefix: str, n: int, first_cites: str | None = None) -> list[dict[str, Any]]:
    """``n`` sources, each citing the one before, listed newest first (the worst order)."""
    sources = [source(f"{prefix}{i:05d}", cites=f"{prefix}{i - 1:05d}") for i in range(n)]
    sources[0]["cites"] = first_cites
    return sources[::-1]


@pytest.mark.parametrize("n", [1_500, 5_000])
def test_long_chains_validate_and_load(engine: Engine, tmp_path: Path, n: int) -> None:
    a = dataset("a", chain("a", n), [transfer("t1", "a00000")])
    assert sanctrack.validate_fixture(write(tmp_path / "a.yaml", a)) == 1
    assert load(engine, tmp_path, a).counts["sources"]["created"] == n
    assert not load(engine, tmp_path, a).changed
    # Another dataset's chain continues it: checked across the database.
    b = dataset("b", chain("b", n, first_cites=f"a{n - 1:05d}"), [transfer("t1", "b00000")])
    assert load(engine, tmp_path, b).counts["sources"]["created"] == n
    a["sources"][-1]["cites"] = f"b{n - 1:05d}"  # a00000 would close a circle of 2n sources
    assert refused(engine, tmp_path, a) == [  # reported at its first source in the file
        f"a.yaml: sources[0] (a{n - 1:05d}).cites: sources cite each other in a circle: "
        f"a{n - 1:05d} -> a{n - 2:05d} -> a{n - 3:05d} -> a{n - 4:05d} -> a{n - 5:05d} -> ... "
        f"-> b00001 -> b00000 -> a{n - 1:05d} ({2 * n} sources) (through dataset 'b'): a "
        "source cannot rest on itself; remove one of these citations"
    ]


def test_a_long_circle_is_reported_once(tmp_path: Path) -> None:
    sources = chain("c", 1_500, first_cites="c01499")
    path = write(tmp_path / "bad.yaml", dataset("x", sources, [transfer("t1", "c00000")]))
    with pytest.raises(FixtureError) as caught:
        sanctrack.validate_fixture(path)
    assert [unlined(e) for e in caught.value.errors] == [
        "bad.yaml: sources[0] (c01499).cites: sources cite each other in a circle: c01499 -> "
        "c01498 -> c01497 -> c01496 -> c01495 -> ... -> c00001 -> c00000 -> c01499 (1500 sources)"
        ": a source cannot rest on itself; remove one of these citations"
    ]


# -- export -------------------------------------------------------------------------------


def test_an_export_citing_another_dataset_says_which_to_load_first(
    engine: Engine, tmp_path: Path, a: dict[str, Any], postgres: Any, backend: str
) -> None:
    b = dataset("b", [source("b1", cites="s")], [transfer("t1", "s", "a-missile")])
    load(engine, tmp_path, b)
    with Session(engine) as session:
        exported_a = export_dataset(session, "a")
        exported_b = export_dataset(session, "b")
    assert exported_a.dataset.requires is None
    assert exported_b.dataset.requires == ["a"]
    path_a = write_fixture(exported_a, tmp_path / "export-a.yaml")
    path_b = write_fixture(exported_b, tmp_path / "export-b.yaml")
    fresh = sanctrack.connect(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        with Session(fresh) as session, pytest.raises(FixtureError) as caught:
            load_fixture(session, path_b)
        assert str(caught.value.errors[0]) == (
            "export-b.yaml:6: dataset.requires[0]: dataset 'a' is not loaded: load it first "
            "(this file refers to its sources or materiel types)"
        )
        for path in (path_a, path_b):
            with Session(fresh) as session:
                assert load_fixture(session, path).changed
    finally:
        fresh.dispose()


# -- the source-definition race ------------------------------------------------------------


def race_file(folder: Path, name: str, round_: int, title: str) -> Path:
    header = {
        "dataset": {"id": f"{name}-{round_}", "title": name, "version": "1"},
        "sources": [{"id": f"race-{round_}", "kind": "report", "title": title}],
        "materiel_types": [
            {"slug": f"race-shell-{round_}", "name": "Shell", "category": "ammunition"}
            | {"unit": "rounds"}
        ],
    }
    record = transfer("t1", f"race-{round_}", f"race-shell-{round_}")
    path = folder / f"{name}-{round_}.jsonl"
    path.write_text(json.dumps(header) + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    return path


def race(url: str, paths: list[Path], barrier: Path) -> list[tuple[int, dict[str, Any]]]:
    """Load ``paths`` in one process each, let go at the same instant; (exit status, last
    JSON line) of each. None of them may print a traceback."""
    loaders = [
        subprocess.Popen(
            [sys.executable, str(WORKERS), "load", url, str(p), "--barrier", str(barrier)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={k: v for k, v in os.environ.items() if k != workers.BUSY_TIMEOUT_VARIABLE},
        )
        for p in paths
    ]
    try:
        for loader in loaders:
            assert loader.stdout is not None
            assert loader.stdout.readline() == "ready\n"
        barrier.touch()
        outcomes = [loader.communicate(timeout=300) for loader in loaders]
    finally:
        for loader in loaders:
            if loader.poll() is None:
                loader.kill()
                loader.communicate()
    results = []
    for loader, (out, err) in zip(loaders, outcomes, strict=True):
        assert "Traceback" not in err and "Error" not in err, err
        results.append((loader.returncode, json.loads(out.splitlines()[-1])))
    return results


@pytest.mark.parametrize("identical", [True, False], ids=["identical", "different"])
def test_two_loads_define_the_same_source_at_once(
    db_url: str, tmp_path: Path, identical: bool
) -> None:
    sanctrack.connect(db_url).dispose()  # migrated and seeded: the race is the loads'
    for round_ in range(1, 6):
        paths = [
            race_file(tmp_path, name, round_, "Same" if identical else f"By {name}")
            for name in ("race-a", "race-b")
        ]
        results = race(db_url, paths, tmp_path / f"go-{round_}")
        engine = sanctrack.connect(db_url)
        try:
            with engine.connect() as c:
                owner = c.execute(
                    select(Source.dataset_id, Source.title).where(Source.id == f"race-{round_}")
                ).one()
                materiel_owner = c.execute(
                    select(MaterielType.dataset_id).where(
                        MaterielType.slug == f"race-shell-{round_}"
                    )
                ).scalar_one()
        finally:
            engine.dispose()
        winner = owner[0]
        assert materiel_owner == winner
        by_dataset = {f"race-{n}-{round_}": r for n, r in zip("ab", results, strict=True)}
        status, report = by_dataset[winner]
        assert status == 0 and report["counts"]["sources"]["created"] == 1
        assert owner[1] == ("Same" if identical else f"By {winner[: -len(str(round_)) - 1]}")
        (loser,) = set(by_dataset) - {winner}
        status, report = by_dataset[loser]
        if identical:  # the loser's definition is a reference to the winner's
            assert status == 0, report
            assert report["counts"]["sources"] == {
                "created": 0,
                "updated": 0,
                "unchanged": 1,
                "removed": 0,
            }
        else:
            assert status == 1
            assert report["errors"] == [
                f"{loser}.jsonl: line 1.sources[0] (race-{round_}).id: source "
                f"'race-{round_}' already belongs to dataset {winner!r} and differs in title: "
                f"cite it without defining it, or load a corrected {winner!r}"
            ]


# -- an owner's change while another load relies on it -------------------------------------


class Paused:
    """Loads in threads; the load of dataset ``pause`` stops before its removals (its header
    and transfers are written, its locks held) until ``go`` is set."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, pause: str) -> None:
        self.reached, self.go = threading.Event(), threading.Event()
        self.headers: Counter[str] = Counter()  # header writes (runs) per dataset
        finish, header = Writer.finish, Writer.header

        def counted_header(writer: Writer, *args: Any) -> None:
            self.headers[writer.dataset_id] += 1
            header(writer, *args)

        def paused_finish(writer: Writer) -> None:
            if writer.dataset_id == pause and not self.go.is_set():
                self.reached.set()
                self.go.wait(timeout=120)
            finish(writer)

        monkeypatch.setattr(Writer, "finish", paused_finish)
        monkeypatch.setattr(Writer, "header", counted_header)

    @staticmethod
    def start(engine: Engine, path: Path, outcome: dict[str, Any]) -> threading.Thread:
        def run() -> None:
            try:
                with Session(engine) as session:
                    outcome["report"] = load_fixture(session, path)
            except BaseException as error:  # the test looks at it
                outcome["error"] = error

        thread = threading.Thread(target=run)
        thread.start()
        return thread


def blocked(engine: Engine, thread: threading.Thread) -> None:
    """Return once a load waits for another's lock (on SQLite, after a second), or
    ``thread`` has ended."""
    if engine.dialect.name != "postgresql":
        thread.join(timeout=1.0)
        return
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    with engine.connect() as c:
        for _ in range(6000):  # a hang guard of 300 s: it takes well under a second
            if c.execute(waiting).scalar() or not thread.is_alive():
                return
            time.sleep(0.05)
    raise AssertionError("the second load never waited for the first")


def interleave(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    first: Path,
    second: Path,
) -> tuple[dict[str, Any], dict[str, Any], Counter[str]]:
    """Load ``first`` until it has written everything but its removals; start ``second``
    and let it run into ``first``'s locks; let ``first`` commit. Returns both outcomes and
    how many times each dataset's header was written (a load that ran again: twice)."""
    paused = Paused(monkeypatch, first.stem)
    one: dict[str, Any] = {}
    two: dict[str, Any] = {}
    thread_one = paused.start(engine, first, one)
    assert paused.reached.wait(timeout=120)
    thread_two = paused.start(engine, second, two)
    blocked(engine, thread_two)
    paused.go.set()
    thread_one.join(timeout=120)
    thread_two.join(timeout=120)
    return one, two, paused.headers


def errors_of(outcome: dict[str, Any]) -> list[str]:
    error = outcome.get("error")
    assert isinstance(error, FixtureError), repr(error)
    return [unlined(issue) for issue in error.errors]


def citing_movement(ident: str) -> dict[str, Any]:
    """Dataset ``ident``: a vessel, and a voyage of it that a's source 's' reports."""
    data = dataset(ident)
    data["vessels"] = [{"id": "ship", "names": [{"name": "SHIP"}]}]
    data["movements"] = [
        {"id": "v", "kind": "voyage", "period": "2024-03", "vessel": "ship"}
        | {"claims": [{"source": "s"}]}
    ]
    return data


#: How dataset b cites a's source 's': (b, what b creates, the field of b that names it).
CITES = {
    "claim": (dataset("b", [], [transfer("t1", "s")]), "transfers", "transfers[0] (t1).claims"),
    "movement": (citing_movement("b"), "movements", "movements[0] (v).claims"),
}


@pytest.mark.parametrize("by", sorted(CITES))
def test_a_source_dropped_while_another_load_cites_it(
    engine: Engine, tmp_path: Path, a: dict[str, Any], monkeypatch: pytest.MonkeyPatch, by: str
) -> None:
    """A movement's claim holds its source as a transfer's claim does (without the hold:
    a foreign-key error on PostgreSQL)."""
    citing_data, _, field = CITES[by]
    a["sources"], a["transfers"] = [source("s2")], [transfer("t1", "s2")]
    drop = write(tmp_path / "a.yaml", a)
    cite = write(tmp_path / "b.yaml", citing_data)
    dropped, citing, headers = interleave(engine, monkeypatch, drop, cite)
    assert dropped["report"].counts["sources"]["removed"] == 1
    # On PostgreSQL b had checked 's' before a removed it, so it ran again: its check
    # then found 's' gone (before its header, for a movement: it fails in the check). On
    # SQLite b waited for a to finish; b is a new dataset, so for a transfer its lean pass
    # stopped at the problem and the full pass reported it (sanctrack.fixture.lean).
    postgres = engine.dialect.name == "postgresql"
    assert headers["b"] == {"claim": 2, "movement": 1 if postgres else 0}[by]
    assert errors_of(citing) == [
        f"b.yaml: {field}[0].source: unknown source 's' (did you mean 's2'?)"
    ]


@pytest.mark.parametrize("by", sorted(CITES))
def test_a_source_cited_while_its_owner_drops_it(
    engine: Engine, tmp_path: Path, a: dict[str, Any], monkeypatch: pytest.MonkeyPatch, by: str
) -> None:
    citing_data, created, _ = CITES[by]
    a["sources"], a["transfers"] = [source("s2")], [transfer("t1", "s2")]
    drop = write(tmp_path / "a.yaml", a)
    cite = write(tmp_path / "b.yaml", citing_data)
    citing, dropped, headers = interleave(engine, monkeypatch, cite, drop)
    assert headers["a"] == 1
    assert citing["report"].counts[created]["created"] == 1
    assert errors_of(dropped) == [
        "a.yaml: sources: source 's' was dropped from the file but is still used by dataset "
        "'b': keep it in the file"
    ]


def test_a_materiel_type_recategorised_while_another_load_uses_it(
    engine: Engine,
    tmp_path: Path,
    a: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a["materiel_types"][0] |= {"category": "troops", "unit": "personnel"}
    change = write(tmp_path / "a.yaml", a)
    use = dataset("b", [source("b1")], [transfer("t1", "b1", "a-missile", unit="missiles")])
    use_path = write(tmp_path / "b.yaml", use)
    changed, using, headers = interleave(engine, monkeypatch, change, use_path)
    assert changed["report"].counts["materiel_types"]["updated"] == 1
    assert headers["b"] == 2  # PostgreSQL: checked again; SQLite: lean, then full pass
    assert errors_of(using) == [
        "b.yaml: transfers[0] (t1).claims[0].unit: unit 'missiles' does not fit category "
        "'troops' (expected one of: flights, personnel)"
    ]
    # And the other way round: the user first, then the owner's change is refused.
    a["materiel_types"][0] = MISSILE
    (tmp_path / "restore").mkdir()
    load(engine, tmp_path / "restore", a)
    using, changed, _ = interleave(engine, monkeypatch, use_path, change)
    assert using["report"].counts["transfers"]["created"] == 1
    assert errors_of(changed) == [
        "a.yaml: materiel_types[0] (a-missile): materiel type 'a-missile' is used by the "
        "transfers of dataset 'b', so its category and unit cannot change: keep them as they "
        "are, or declare a new materiel type"
    ]
