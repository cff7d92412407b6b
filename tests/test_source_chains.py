"""Source chains (issue 10, part 1): ``cites`` takes one or more originals, circles are
located errors, each claim rests on its roots, queries count outlets (``sources``) and
roots (``independent_sources``), the effective reliability follows the chain, and
``published`` takes partial and approximate EDTF dates. On SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from fixture_cases import BUNDLED, unlined, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlmodel import Session

import sanctrack
from sanctrack import FixtureError, export_dataset, load_fixture, write_fixture
from sanctrack.models import Source, SourceAuthor, SourceRoot
from sanctrack.queries import flows, source_comparison, timeline, transfers_by_year_and_category

CIRCLE = ": a source cannot rest on itself; remove one of these citations"


def source(ident: str, reliability: str = "B", **fields: Any) -> dict[str, Any]:
    return {"id": ident, "kind": "report", "reliability": reliability} | fields


def claim(cited: str, about: int = 100, **fields: Any) -> dict[str, Any]:
    return {"source": cited, "quantity": {"about": about}, "unit": "personnel"} | fields


def transfer(ident: str, *claims: dict[str, Any], period: str = "2024") -> dict[str, Any]:
    return {
        "id": ident,
        "supplier": "PRK",
        "recipient": "RUS",
        "materiel": "troops",
        "period": period,
        "claims": list(claims),
    }


def dataset(ident: str, sources: list[Any], transfers: list[Any]) -> dict[str, Any]:
    return copy.deepcopy(
        {
            "dataset": {"id": ident, "title": f"Dataset {ident}", "version": "1"},
            "sources": sources,
            "transfers": transfers,
        }
    )


def load(engine: Engine, folder: Path, data: dict[str, Any]) -> None:
    path = write(folder / f"{data['dataset']['id']}.yaml", data)
    with Session(engine) as session:
        load_fixture(session, path)


def errors(engine: Engine, folder: Path, data: dict[str, Any]) -> list[str]:
    path = write(folder / f"{data['dataset']['id']}.yaml", data)
    with Session(engine) as session, pytest.raises(FixtureError) as caught:
        load_fixture(session, path)
    return [unlined(e) for e in caught.value.errors]


# -- cites: lists and circles -----------------------------------------------------------


def test_a_circle_through_one_of_several_originals_is_located(
    engine: Engine, tmp_path: Path
) -> None:
    data = dataset(
        "x",
        [source("s1", cites=["s2", "s3"]), source("s2"), source("s3", cites="s4"), source("s4")],
        [transfer("t1", claim("s1"))],
    )
    data["sources"][3]["cites"] = ["s2", "s1"]  # s1 -> s3 -> s4 -> s1
    assert errors(engine, tmp_path, data) == [
        "x.yaml: sources[0] (s1).cites: sources cite each other in a circle: "
        "s1 -> s3 -> s4 -> s1" + CIRCLE
    ]


def test_a_source_citing_itself_in_a_list_is_located(engine: Engine, tmp_path: Path) -> None:
    data = dataset(
        "x", [source("s0"), source("s1", cites=["s0", "s1"])], [transfer("t1", claim("s1"))]
    )
    assert errors(engine, tmp_path, data) == [
        "x.yaml: sources[1] (s1).cites: sources cite each other in a circle: s1 -> s1" + CIRCLE
    ]


def test_a_circle_through_a_loaded_dataset_is_located(engine: Engine, tmp_path: Path) -> None:
    load(engine, tmp_path, dataset("a", [source("a1")], [transfer("t1", claim("a1"))]))
    load(engine, tmp_path, dataset("b", [source("b1", cites=["a1"])], []))
    b2 = dataset("c", [source("c1", cites=["a1", "b1"])], [transfer("t1", claim("c1"))])
    load(engine, tmp_path, b2)
    # a1 now cites c1, which rests on b1, which rests on a1.
    a = dataset("a", [source("a1", cites=["c1"])], [transfer("t1", claim("a1"))])
    assert errors(engine, tmp_path, a) == [
        "a.yaml: sources[0] (a1).cites: sources cite each other in a circle: a1 -> c1 -> a1 "
        "(through dataset 'c')" + CIRCLE
    ]


def test_an_original_listed_twice_is_located(engine: Engine, tmp_path: Path) -> None:
    data = dataset(
        "x", [source("s0"), source("s2", cites=["s0", "s0"])], [transfer("t1", claim("s2"))]
    )
    assert errors(engine, tmp_path, data) == [
        "x.yaml: sources[1] (s2): source 's0' is cited twice: list it once in 'cites'"
    ]


def test_an_unknown_original_in_a_list_is_located(engine: Engine, tmp_path: Path) -> None:
    data = dataset(
        "x", [source("s0"), source("s1", cites=["s0", "nowhere"])], [transfer("t1", claim("s1"))]
    )
    assert errors(engine, tmp_path, data) == [
        "x.yaml: sources[1] (s1).cites[1]: unknown source 'nowhere'"
    ]


# -- roots and independent sources ------------------------------------------------------


def echoes(*articles: str) -> dict[str, Any]:
    """A report, and articles that each echo it with a claim of its figure."""
    sources = [source("report", "B"), *(source(a, "C", cites="report") for a in articles)]
    claims = [claim(a, period=f"2024-0{i + 1}") for i, a in enumerate(articles)]
    return dataset("echo", sources, [transfer("t1", *claims)])


def test_two_articles_echoing_one_report_are_one_independent_source(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    load(engine, tmp_path, echoes("art-1", "art-2"))
    (row,) = transfers_by_year_and_category(session, caveats=False)
    assert (row.sources, row.independent_sources) == (2, 1)
    (flow,) = flows(session, caveats=False)
    assert (flow.sources, flow.independent_sources) == (2, 1)
    (line,) = timeline(session, caveats=False)
    assert (line.sources, line.independent_sources) == (2, 1)
    compared = source_comparison(session)
    assert [(r.source_id, r.root, r.roots) for r in compared] == [
        ("art-1", "report", ("report",)),
        ("art-2", "report", ("report",)),
    ]


def test_an_article_of_two_originals_rests_on_both(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    data = dataset(
        "x",
        [source("r1", "D"), source("r2", "A"), source("art", "C", cites=["r1", "r2"])],
        [transfer("t1", claim("art")), transfer("t2", claim("r1"), period="2025")],
    )
    load(engine, tmp_path, data)
    rows = transfers_by_year_and_category(session, caveats=False)
    assert [(r.year, r.sources, r.independent_sources) for r in rows] == [
        (2024, 1, 2),
        (2025, 1, 1),
    ]
    stored = {(r.source_id, r.root_id) for r in session.scalars(select(SourceRoot)).all()}
    assert stored == {("art", "r1"), ("art", "r2"), ("r1", "r1"), ("r2", "r2")}
    art = session.get(Source, "art")
    assert art is not None
    # The best chain is art (C) -> r2 (A), worth C; art -> r1 (D) is worth D.
    assert (art.effective_reliability, art.root_id) == ("C", "r2")


def test_effective_reliability_is_the_worst_on_the_best_chain(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    data = dataset(
        "x",
        [
            source("report", "A"),
            source("wire", "E", cites="report"),
            source("article", "B", cites="wire"),
            source("other", "C"),
        ],
        [transfer("t1", claim("article", 100), claim("other", 200, period="2024-06"))],
    )
    load(engine, tmp_path, data)
    article = session.get(Source, "article")
    assert article is not None
    assert (article.effective_reliability, article.root_id) == ("E", "report")
    compared = source_comparison(session, claim_policy="most_reliable")
    # "other" (C) beats the article (B itself, E through the wire).
    assert [(r.source_id, r.reliability, r.chosen) for r in compared] == [
        ("other", "C", True),
        ("article", "E", False),
    ]
    assert [r.sources for r in transfers_by_year_and_category(session, min_reliability="C")] == [1]
    assert [r.sources for r in transfers_by_year_and_category(session, min_reliability="E")] == [2]
    # Without the wire in between, the article is as good as its report allows: B.
    data["sources"][2]["cites"] = "report"
    session.commit()  # end the session's read: the load writes from another session
    load(engine, tmp_path, data)
    assert session.get(Source, "article").effective_reliability == "B"  # type: ignore[union-attr]
    assert [r.sources for r in transfers_by_year_and_category(session, min_reliability="B")] == [1]


# -- published dates --------------------------------------------------------------------


def dated(*published: str | None) -> dict[str, Any]:
    """One source per date (``s0``, ``s1``...), each with a claim on one transfer."""
    sources = [
        source(f"s{i}", **({"published": p} if p is not None else {}))
        for i, p in enumerate(published)
    ]
    claims = [claim(f"s{i}", 100 + i) for i in range(len(published))]
    return dataset("dated", sources, [transfer("t1", *claims)])


def newest(session: Session) -> str:
    (chosen,) = [r.source_id for r in source_comparison(session, claim_policy="newest") if r.chosen]
    return chosen


def test_partial_and_approximate_dates_are_stored_with_their_span(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    load(engine, tmp_path, dated("2024-01", "2023-11~", "2024", "2024-02-29", None))
    spans = {
        s.id: (s.published, s.published_first, s.published_last)
        for s in session.scalars(select(Source))
    }
    assert spans == {
        "s0": ("2024-01", date(2024, 1, 1), date(2024, 1, 31)),
        "s1": ("2023-11~", date(2023, 11, 1), date(2023, 11, 30)),
        "s2": ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        "s3": ("2024-02-29", date(2024, 2, 29), date(2024, 2, 29)),
        "s4": (None, None, None),
    }


@pytest.mark.parametrize(
    ("published", "chosen"),
    [
        (("2024-06", "2024"), "s1"),  # 2024 may end later than June
        (("2024", "2024-12-31"), "s1"),  # same last day: the later first day
        (("2024-03-01", "2024-03~"), "s1"),  # a day in March against any day of it
        (("2020", None), "s0"),  # an undated source is not newer than an old dated one
        ((None, "2019-05-01"), "s1"),
    ],
)
def test_newest_reads_the_span_and_ranks_undated_sources_last(
    session: Session,
    engine: Engine,
    tmp_path: Path,
    published: tuple[str | None, ...],
    chosen: str,
) -> None:
    load(engine, tmp_path, dated(*published))
    assert newest(session) == chosen


def test_as_of_counts_a_source_once_its_whole_span_is_past(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    load(engine, tmp_path, dated("2024-01", None))

    def known(day: str) -> list[int]:
        return [r.sources for r in transfers_by_year_and_category(session, as_of=day)]

    assert known("2024-01-15") == []  # January 2024 may not have come yet
    assert known("2024-01-31") == [1]  # and never the undated one
    assert known("2030-01-01") == [1]


def test_a_running_total_needs_an_as_of_when_its_source_has_no_one_day(
    engine: Engine, tmp_path: Path
) -> None:
    data = dated("2024-05")
    data["transfers"][0]["claims"][0]["measure"] = "cumulative"
    assert errors(engine, tmp_path, data) == [
        "dated.yaml: transfers[0] (t1).claims[0].as_of: source 's0' was published 2024-05, not "
        "on one known day: add 'as_of', the date of this running total (YYYY-MM-DD)"
    ]


# -- authors and the round trip ---------------------------------------------------------


def test_cites_lists_partial_dates_and_persons_round_trip(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    data = dataset(
        "x",
        [
            source("r1", published="2024"),
            source("r2", published="2023-11~"),
            source(
                "art",
                "C",
                cites=["r2", "r1"],
                published="2024-01",
                authors=[{"person": "A. Writer"}, {"state": "Italy"}, {"organisation": "ANSA"}],
            ),
            source("echo", "D", cites="art"),
        ],
        [transfer("t1", claim("art"), claim("echo", period="2024-02"))],
    )
    load(engine, tmp_path, data)
    authors = session.scalars(select(SourceAuthor).order_by(SourceAuthor.position)).all()  # type: ignore[arg-type]
    assert [(a.person, a.state_code, a.organisation) for a in authors] == [
        ("A. Writer", None, None),
        (None, "ITA", None),
        (None, None, "ANSA"),
    ]
    exported = export_dataset(session, "x")
    by_id = {s.id: s for s in exported.sources}
    assert by_id["art"].cites == ["r2", "r1"]
    assert by_id["echo"].cites == "art"  # one original: written as before
    assert by_id["art"].published == "2024-01"
    path = write_fixture(exported, tmp_path / "again.yaml")
    fresh = sanctrack.connect(f"sqlite:///{tmp_path / 'fresh.db'}")
    with Session(fresh) as other:
        load_fixture(other, path)
        assert export_dataset(other, "x") == exported
    fresh.dispose()
    with Session(engine) as again:
        assert not load_fixture(again, path).changed


# -- the bundled data -------------------------------------------------------------------


def test_the_bundled_articles_rest_on_the_msmt_report_and_the_nato_statement(
    session: Session,
) -> None:
    for path in BUNDLED:
        load_fixture(session, path)
    roots = {(r.source_id, r.root, r.roots) for r in source_comparison(session)}
    assert roots == {
        ("news-it-msmt-2025-05", "msmt-2025-05-report", ("msmt-2025-05-report",)),
        ("news-it-nato-2024-10-28", "nato-2024-10-28-statement", ("nato-2024-10-28-statement",)),
    }
    rows = {
        (r.year, r.category): (r.sources, r.independent_sources)
        for r in transfers_by_year_and_category(session, caveats=False)
    }
    # 2024 ammunition: one article on each original, so two outlets and two originals.
    assert rows[(2024, "ammunition")] == (2, 2)
    # The MSMT's missiles are NATO's too (same_as): both articles, on both originals.
    assert rows[(2023, "missiles")] == (2, 2)
    assert rows[(2025, "personnel")] == (1, 1)  # early 2025: the MSMT's article alone
    assert all(independent == outlets for outlets, independent in rows.values())


# -- property: an echo adds an outlet, never an independent source ----------------------

SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def echoed(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A dataset of chains and claims, and the same with one claim echoed by a new article
    (a source citing the claim's source, with a claim of the same figure)."""
    n = draw(st.integers(1, 5))
    sources = []
    for i in range(n):
        s = source(f"s{i}", draw(st.sampled_from("ABCDEF")))
        cited = draw(st.lists(st.sampled_from([f"s{j}" for j in range(i)] or ["-"]), unique=True))
        if i and cited:
            s["cites"] = cited if len(cited) > 1 else cited[0]
        sources.append(s)
    transfers = []
    for k in range(draw(st.integers(1, 4))):
        chosen = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True))
        year = draw(st.sampled_from(["2023", "2024"]))
        claims = [claim(f"s{i}", draw(st.integers(1, 1000))) for i in chosen]
        transfers.append(transfer(f"t{k}", *claims, period=year))
    base = dataset("prop", sources, transfers)
    echo = copy.deepcopy(base)
    t = draw(st.integers(0, len(transfers) - 1))
    claims_of_t = echo["transfers"][t]["claims"]
    original = claims_of_t[draw(st.integers(0, len(claims_of_t) - 1))]
    echo["sources"].append(
        source("echo", draw(st.sampled_from("ABCDEF")), cites=original["source"])
    )
    echo["transfers"][t]["claims"].append(copy.deepcopy(original) | {"source": "echo"})
    return base, echo


def independent(session: Session) -> dict[Any, Any]:
    by_year = {
        (r.year, r.category, r.unit): r.independent_sources
        for r in transfers_by_year_and_category(session, caveats=False)
    }
    by_flow = {
        (r.supplier, r.recipient, r.category, r.unit): r.independent_sources
        for r in flows(session, caveats=False)
    }
    by_transfer = {r.transfer: r.independent_sources for r in timeline(session, caveats=False)}
    return {"years": by_year, "flows": by_flow, "timeline": by_transfer}


@SETTINGS
@given(case=echoed())
def test_an_echoing_article_never_changes_independent_sources(
    session: Session, engine: Engine, tmp_path: Path, case: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    base, echo = case
    session.commit()
    load(engine, tmp_path, base)
    before = independent(session)
    session.commit()  # end the session's read: the load writes from another session
    load(engine, tmp_path, echo)
    assert independent(session) == before


def test_the_fixtures_readme_example_of_chains(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    text = (Path(__file__).parents[1] / "fixtures" / "README.md").read_text(encoding="utf-8")
    block = text.split("### Chains of sources", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    sources = yaml.safe_load(block)["sources"]
    claims = [claim("article-1", 100), claim("article-2", 300, period="2024-06")]
    load(engine, tmp_path, dataset("readme-chains", sources, [transfer("t1", *claims)]))
    (row,) = transfers_by_year_and_category(session, caveats=False)
    assert (row.sources, row.independent_sources) == (2, 2)
    compared = source_comparison(session, claim_policy="newest")
    assert [(r.source_id, r.reliability, r.chosen) for r in compared] == [
        ("article-2", "D", True),  # dated; article-1 is not, so it ranks after
        ("article-1", "C", False),
    ]
    assert {r.source_id: r.roots for r in compared} == {
        "article-1": ("report-a", "statement-b"),
        "article-2": ("report-a", "statement-b"),
    }
