"""Claim windows: flows over a period of their own, running totals (since .. as_of), their
defaults resolved into the stored window, their located errors, reloads and exports."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import clear
from dataset_strategies import dataset_sets
from fixture_cases import ROOT, dump, records, unlined, write
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlmodel import Session

import sanctrack
from sanctrack import FixtureError, export_dataset, load_fixture, validate_fixture, write_fixture
from sanctrack.models import metadata

CLAIM = metadata.tables["claim"]
WINDOW = ("measure", "period", "since", "as_of", "window_start", "window_end")

#: sources: s1 published 2024-06-30, s2 with no published date
DOCUMENT: dict[str, Any] = {
    "dataset": {"id": "windows", "title": "Claim windows", "version": "1"},
    "sources": [
        {"id": "s1", "kind": "report", "published": "2024-06-30"},
        {"id": "s2", "kind": "news_article"},
    ],
    "transfers": [
        {
            "id": "t",
            "supplier": "PRK",
            "recipient": "RUS",
            "materiel": "artillery-ammunition",
            "period": "2024",
            "claims": [{"source": "s1", "quantity": {"at_least": 10}}],
        }
    ],
}


def document(*claims: dict[str, Any], period: str = "2024") -> dict[str, Any]:
    """DOCUMENT with one transfer over ``period`` holding ``claims``."""
    data = copy.deepcopy(DOCUMENT)
    data["transfers"][0]["period"] = period
    data["transfers"][0]["claims"] = [
        {"quantity": {"at_least": 10 + i}} | c for i, c in enumerate(claims)
    ]
    return data


def load(engine: Engine, path: Path) -> sanctrack.LoadReport:
    with Session(engine) as session:
        return load_fixture(session, path)


def windows(engine: Engine) -> list[tuple[Any, ...]]:
    """(position, source, measure, period, since, as_of, window_start, window_end)."""
    with engine.connect() as c:
        query = select(CLAIM.c.position, CLAIM.c.source_id, *(CLAIM.c[n] for n in WINDOW))
        return [tuple(r) for r in c.execute(query.order_by(CLAIM.c.position))]


# -- errors -----------------------------------------------------------------------------

Case = tuple[str, dict[str, Any], str]
WHERE = "bad.yaml: transfers[0] (t).claims"
ERRORS: list[Case] = [
    (
        "period-on-cumulative",
        document({"source": "s1", "measure": "cumulative", "period": "2024-03"}),
        f"{WHERE}[0].period: 'period' is for flow claims only: give a running total "
        "(measure: cumulative) its window with 'since' and 'as_of'",
    ),
    (
        "since-on-flow",
        document({"source": "s1", "since": "2024-03"}),
        f"{WHERE}[0].since: 'since' is for running totals only: add 'measure: cumulative', "
        "or give a flow its window with 'period'",
    ),
    (
        "as-of-on-flow",
        document({"source": "s1", "measure": "flow", "as_of": "2024-05-01"}),
        f"{WHERE}[0].as_of: 'as_of' is for running totals only: add 'measure: cumulative', "
        "or give a flow its window with 'period'",
    ),
    (
        "since-after-as-of",
        document({"source": "s1", "measure": "cumulative", "since": "2024-07"}),
        f"{WHERE}[0].since: 'since' 2024-07 is after 'as_of' 2024-06-30 (source 's1' "
        "published): a running total counts from 'since' up to 'as_of'",
    ),
    (
        "default-since-after-as-of",
        document({"source": "s1", "measure": "cumulative", "as_of": "2023-12-31"}),
        f"{WHERE}[0].as_of: 'since' 2024 (the transfer's start) is after 'as_of' 2023-12-31: "
        "a running total counts from 'since' up to 'as_of'",
    ),
    (
        "flow-outside-transfer",
        document({"source": "s1", "period": "2025-01/2025-03"}),
        f"{WHERE}[0].period: the claim's period 2025-01/2025-03 does not overlap the "
        "transfer's period 2024: give a period within the transfer's, or claim it on "
        "another transfer",
    ),
    (
        "cumulative-after-transfer",
        document(
            {"source": "s1", "measure": "cumulative", "since": "2025-02", "as_of": "2025-03-01"}
        ),
        f"{WHERE}[0].since: the running total from 2025-02 to 2025-03-01 does not overlap "
        "the transfer's period 2024: correct 'since', or claim it on another transfer",
    ),
    (
        "cumulative-before-transfer",
        document(
            {"source": "s1", "measure": "cumulative", "since": "2023-01", "as_of": "2023-06-01"}
        ),
        f"{WHERE}[0].as_of: the running total from 2023-01 to 2023-06-01 does not overlap "
        "the transfer's period 2024: correct 'as_of', or claim it on another transfer",
    ),
    (
        "no-published-date",
        document({"source": "s2", "measure": "cumulative"}),
        f"{WHERE}[0].as_of: source 's2' has no published date: add 'as_of', the date of "
        "this running total (YYYY-MM-DD)",
    ),
    (
        "open-start-without-since",
        document({"source": "s1", "measure": "cumulative"}, period="../2024-06"),
        f"{WHERE}[0].since: the transfer's period ../2024-06 has an open start: give "
        "'since', the date this running total counts from",
    ),
    (
        "since-interval",
        document({"source": "s1", "measure": "cumulative", "since": "2024-01/2024-02"}),
        f"{WHERE}[0].since: expected a date of the form YYYY, YYYY-MM or YYYY-MM-DD (no "
        "interval, no qualifier), got '2024-01/2024-02'",
    ),
    (
        "since-qualified",
        document({"source": "s1", "measure": "cumulative", "since": "2024-01~"}),
        f"{WHERE}[0].since: expected a date of the form YYYY, YYYY-MM or YYYY-MM-DD (no "
        "interval, no qualifier), got '2024-01~'",
    ),
    (
        "bad-period",
        document({"source": "s1", "period": "March 2024"}),
        f"{WHERE}[0].period: expected an EDTF period such as 2024, 2024-03, 2025-01/2025-03 "
        "or 2023-09/.. ('March 2024' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD)",
    ),
    (
        "duplicate-flow",
        # the transfer's period, once by default and once written out in other words
        document({"source": "s1"}, {"source": "s1", "period": "2024-01/2024-12"}),
        f"{WHERE}[1].source: source 's1' already has a flow claim on this transfer over "
        "2024-01-01 to 2024-12-31 (claims[0]): give one of them another 'period', or "
        "remove one",
    ),
    (
        "duplicate-cumulative",
        document(
            {"source": "s1", "measure": "cumulative"},
            {"source": "s1", "measure": "cumulative", "since": "2024", "as_of": "2024-06-30"},
        ),
        f"{WHERE}[1].source: source 's1' already has a running total on this transfer from "
        "2024-01-01 as of 2024-06-30 (claims[0]): give one of them another 'as_of' or "
        "'since', or remove one",
    ),
]


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_validate_locates_each_window_error(
    tmp_path: Path, data: dict[str, Any], expected: str
) -> None:
    with pytest.raises(FixtureError) as caught:
        validate_fixture(write(tmp_path / "bad.yaml", data))
    assert [unlined(e) for e in caught.value.errors] == [expected]


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_load_refuses_each_window_error(
    engine: Engine, tmp_path: Path, data: dict[str, Any], expected: str
) -> None:
    with pytest.raises(FixtureError) as caught:
        load(engine, write(tmp_path / "bad.yaml", data))
    assert [unlined(e) for e in caught.value.errors] == [expected]
    assert windows(engine) == []


def test_a_running_total_of_another_datasets_source_uses_its_published_date(
    engine: Engine, tmp_path: Path
) -> None:
    load(engine, write(tmp_path / "a.yaml", DOCUMENT))
    other = document({"source": "s1", "measure": "cumulative"}, period="2024-03/..")
    other["dataset"]["id"] = "other"
    del other["sources"]  # s1 belongs to dataset 'windows'
    load(engine, write(tmp_path / "b.yaml", other))
    assert ("cumulative", None, None, None, date(2024, 3, 1), date(2024, 6, 30)) in [
        w[2:] for w in windows(engine)
    ]
    before = dump(engine)
    # Another dataset's running total takes its as_of from s1's date: the date is part of
    # what that dataset relies on, and the owner may not move it (the ownership rules).
    for published in ("2024-09-15", None):
        moved = copy.deepcopy(DOCUMENT)
        moved["sources"][0]["published"] = published
        with pytest.raises(FixtureError) as caught:
            load(engine, write(tmp_path / "a.yaml", moved))
        assert [unlined(e) for e in caught.value.errors] == [
            "a.yaml: sources[0] (s1): source 's1' is used by dataset 'other', so its "
            "published cannot change: keep it as it is, or define a new source"
        ]
        assert dump(engine) == before


# -- defaults, as stored ----------------------------------------------------------------

RESOLVED = document(
    {"source": "s1"},  # a flow over the transfer's period
    {"source": "s1", "period": "2024-03"},  # "in March 2024 alone"
    {"source": "s1", "period": "2024-11/.."},  # an open end stays open
    {"source": "s1", "measure": "cumulative"},  # since the start, as of publication
    {"source": "s2", "measure": "cumulative", "since": "2024-02-15", "as_of": "2025-01-31"},
    {"source": "s1", "measure": "cumulative", "as_of": "2024-03-31"},  # s1 again, earlier
    {"source": "s2", "period": "2024-03", "quantity": None},  # unquantified
)


def test_defaults_resolve_into_the_stored_window(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "w.yaml", RESOLVED))
    d = date
    assert windows(engine) == [
        (0, "s1", "flow", None, None, None, d(2024, 1, 1), d(2024, 12, 31)),
        (1, "s1", "flow", "2024-03", None, None, d(2024, 3, 1), d(2024, 3, 31)),
        (2, "s1", "flow", "2024-11/..", None, None, d(2024, 11, 1), None),
        (3, "s1", "cumulative", None, None, None, d(2024, 1, 1), d(2024, 6, 30)),
        (4, "s2", "cumulative", None, "2024-02-15", d(2025, 1, 31), d(2024, 2, 15), d(2025, 1, 31)),
        (5, "s1", "cumulative", None, None, d(2024, 3, 31), d(2024, 1, 1), d(2024, 3, 31)),
        (6, "s2", "flow", "2024-03", None, None, d(2024, 3, 1), d(2024, 3, 31)),
    ]


def test_announced_transfers_load(engine: Engine, tmp_path: Path) -> None:
    data = copy.deepcopy(DOCUMENT)
    data["transfers"][0]["status"] = "pledged"
    data["transfers"].append(copy.deepcopy(data["transfers"][0]) | {"id": "u", "status": "planned"})
    load(engine, write(tmp_path / "p.yaml", data))
    with engine.connect() as c:
        table = metadata.tables["transfer"]
        got = sorted(tuple(r) for r in c.execute(select(table.c.key, table.c.status)))
    assert got == [("t", "pledged"), ("u", "planned")]


# -- reloads ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_reloading_unchanged_windows_changes_nothing(
    engine: Engine, tmp_path: Path, fmt: str
) -> None:
    path = write(tmp_path / f"w.{fmt}", RESOLVED)
    assert load(engine, path).changed
    report = load(engine, path)
    assert not report.changed, str(report)


def test_a_new_published_date_moves_the_default_as_of(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "w.yaml", RESOLVED))
    data = copy.deepcopy(RESOLVED)
    data["sources"][0]["published"] = "2024-09-15"
    report = load(engine, write(tmp_path / "w.yaml", data))
    assert report.counts["transfers"]["updated"] == 1
    ends = {w[0]: w[-1] for w in windows(engine)}
    assert ends[3] == date(2024, 9, 15)  # as of publication: moved
    assert ends[5] == date(2024, 3, 31)  # its own as_of: kept


def test_reordering_claims_updates_positions(engine: Engine, tmp_path: Path) -> None:
    load(engine, write(tmp_path / "w.yaml", RESOLVED))
    data = copy.deepcopy(RESOLVED)
    data["transfers"][0]["claims"].reverse()
    assert load(engine, write(tmp_path / "w.yaml", data)).counts["transfers"]["updated"] == 1
    assert [w[1:4] for w in windows(engine)][:2] == [
        ("s2", "flow", "2024-03"),
        ("s1", "cumulative", None),
    ]


# -- export -----------------------------------------------------------------------------


@pytest.fixture
def fresh(backend: str, tmp_path: Path, postgres: Any) -> Iterator[Engine]:
    """A second empty database on the same backend."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}" if backend == "sqlite" else postgres.create()
    engine = sanctrack.connect(url)
    yield engine
    engine.dispose()
    if backend != "sqlite":
        postgres.drop(url)


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_export_round_trips_windows(
    engine: Engine, fresh: Engine, tmp_path: Path, fmt: str
) -> None:
    load(engine, write(tmp_path / "w.yaml", RESOLVED))
    with Session(engine) as s:
        exported = export_dataset(s, "windows")
    path = write_fixture(exported, tmp_path / f"out.{fmt}")
    assert load(fresh, path).changed
    assert records(fresh) == records(engine)
    assert not load(engine, path).changed
    claims = [c.model_dump(mode="json", exclude_none=True) for c in exported.transfers[0].claims]
    # written as given: defaults stay unsaid, claims in their order
    assert [{k: c[k] for k in ("source", *WINDOW[:4]) if k in c} for c in claims] == [
        {"source": "s1"},
        {"source": "s1", "period": "2024-03"},
        {"source": "s1", "period": "2024-11/.."},
        {"source": "s1", "measure": "cumulative"},
        {"source": "s2", "measure": "cumulative", "since": "2024-02-15", "as_of": "2025-01-31"},
        {"source": "s1", "measure": "cumulative", "as_of": "2024-03-31"},
        {"source": "s2", "period": "2024-03"},
    ]


def test_a_sources_violations_export_once(engine: Engine, tmp_path: Path) -> None:
    data = document(
        {"source": "s1", "violates": ["unsc-1718-op8b"]},
        {"source": "s1", "period": "2024-03", "violates": ["unsc-1874-op10"]},
    )
    load(engine, write(tmp_path / "v.yaml", data))
    with Session(engine) as s:
        claims = export_dataset(s, "windows").transfers[0].claims
    assert [c.violates for c in claims] == [["unsc-1718-op8b", "unsc-1874-op10"], []]


# -- the README's examples --------------------------------------------------------------

README = ROOT / "fixtures" / "README.md"


def readme_example(heading: str) -> dict[str, Any]:
    """The first YAML block after the paragraph that starts with ``heading``."""
    text = README.read_text(encoding="utf-8")
    after = text[text.index(heading) :]
    block = re.search(r"```yaml\n(.*?)```", after, re.S)
    assert block is not None
    loaded = yaml.safe_load(block.group(1))
    return loaded if isinstance(loaded, dict) else {"transfers": loaded}


def test_the_containers_example_loads_as_documented(engine: Engine) -> None:
    """The worked example of fixtures/README.md (tests/data/containers-2023-2025.yaml)."""
    load(engine, ROOT / "tests" / "data" / "containers-2023-2025.yaml")
    start = date(2023, 9, 1)
    readings = [
        ("yonhap-2023-10-14-kirby", date(2023, 10, 13)),
        ("politico-2024-02-27-shin", date(2024, 2, 26)),
        ("yonhap-2024-02-23-state-dept", date(2024, 2, 23)),
        ("kyivpost-2024-06-14-shin", date(2024, 6, 14)),
        ("joongang-2025-05-29-msmt", date(2025, 5, 29)),
    ]
    assert windows(engine) == [
        (i, source, "cumulative", None, None, as_of, start, as_of)
        for i, (source, as_of) in enumerate(readings)
    ]
    with engine.connect() as c:
        amounts = [
            tuple(r)
            for r in c.execute(
                select(CLAIM.c.qualifier, CLAIM.c.low, CLAIM.c.best, CLAIM.c.unit_slug).order_by(
                    CLAIM.c.position
                )
            )
        ]
    assert amounts == [
        ("more_than", 1000, 1000, "containers"),
        ("about", None, 6700, "containers"),
        ("more_than", 10000, 10000, "containers"),
        ("at_least", 10000, 10000, "containers"),
        ("more_than", 20000, 20000, "containers"),
    ]
    # the README's snippet of it: the last claim with its defaults written out
    snippet = readme_example("**Running totals**")["claims"]
    assert snippet[-1] == {
        "source": "joongang-2025-05-29-msmt",
        "measure": "cumulative",
        "since": "2023-09",
        "as_of": date(2025, 5, 29),
        "quantity": {"more_than": 20000},
        "unit": "containers",
    }


def test_the_readme_sub_window_loads_as_documented(engine: Engine, tmp_path: Path) -> None:
    data: dict[str, Any] = {
        "dataset": {"id": "readme-petroleum", "title": "README example", "version": "1"},
        "sources": [{"id": "kyivindependent-2024-05-kirby", "kind": "news_article"}],
    } | readme_example("**A figure for part of the period**")
    load(engine, write(tmp_path / "petroleum.yaml", data))
    assert [w[2:] for w in windows(engine)] == [
        ("flow", "2024-03", None, None, date(2024, 3, 1), date(2024, 3, 31)),
    ]


# -- existing files -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["msmt-2025-05-dprk-russia.yaml", "nato-2024-10-28.yaml"])
def test_bundled_claims_are_flows_over_their_transfers(engine: Engine, name: str) -> None:
    load(engine, ROOT / "fixtures" / name)
    transfer = metadata.tables["transfer"]
    with engine.connect() as c:
        rows = c.execute(
            select(
                CLAIM.c.measure,
                CLAIM.c.period,
                CLAIM.c.since,
                CLAIM.c.as_of,
                CLAIM.c.window_start.is_not_distinct_from(transfer.c.period_start),
                CLAIM.c.window_end.is_not_distinct_from(transfer.c.period_end),
            ).join(transfer, transfer.c.id == CLAIM.c.transfer_id)
        ).all()
    assert rows
    assert {tuple(r) for r in rows} == {("flow", None, None, None, True, True)}


# -- generated datasets with windows, running totals and repeated sources -----------------


@settings(max_examples=10, deadline=None)
@given(
    documents=dataset_sets(min_size=1, max_size=2, repeat_sources=True),
    fmt=st.sampled_from(["yaml", "json", "jsonl"]),
)
def test_generated_windows_reload_unchanged_and_round_trip(
    engine: Engine, fresh: Engine, tmp_path: Path, documents: list[dict[str, Any]], fmt: str
) -> None:
    for e in (engine, fresh):
        with Session(e) as session:
            clear(session)
    paths = [write(tmp_path / f"in-{i}.{fmt}", d) for i, d in enumerate(documents)]
    for path in paths:
        load(engine, path)
    before = dump(engine)
    assert [load(engine, p).changed for p in paths] == [False] * len(paths)
    assert dump(engine) == before
    with Session(engine) as s:
        exported = [export_dataset(s, d["dataset"]["id"]) for d in documents]
    out = [write_fixture(x, tmp_path / f"out-{i}.{fmt}") for i, x in enumerate(exported)]
    for path in out:
        load(fresh, path)
    assert records(fresh) == records(engine)
    assert [load(engine, p).changed for p in out] == [False] * len(out)
