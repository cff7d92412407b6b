"""The overlap caveats' fast split of a one-dataset cluster gives the parts that the
pairwise one gives (sanctrack.queries.caveats)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sanctrack.queries.caveats import Counted, _components, _edges, _open, _runs_by_materiel

DAY0 = date(2024, 1, 1)


@st.composite
def clusters(draw: st.DrawFn) -> list[Counted]:
    spans = draw(
        st.lists(
            st.tuples(st.integers(0, 60), st.integers(0, 20), st.sampled_from("abc")),
            min_size=1,
            max_size=30,
        )
    )
    rows = [
        Counted(
            i,
            "ds",
            f"t-{i}",
            f"m-{m}",
            DAY0 + timedelta(s),
            DAY0 + timedelta(s + d),
            "PRK",
            "RUS",
            "ammunition",
        )
        for i, (s, d, m) in enumerate(spans)
    ]
    return sorted(rows, key=lambda r: (r.start, r.key))  # the sweep's order


def ids(parts: list[list[Counted]]) -> list[list[int]]:
    return [[r.transfer_id for r in part] for part in parts]


@given(clusters())
def test_runs_by_materiel_are_the_pairwise_components(cluster: list[Counted]) -> None:
    edges = [
        (a, b) for i, a in enumerate(cluster) for b in cluster[i + 1 :] if _open(a, b, {}, set())
    ]
    assert ids(_runs_by_materiel(cluster)) == ids(_components(cluster, edges))


@given(
    clusters(),
    st.sets(st.tuples(st.integers(0, 29), st.integers(0, 29))),
    st.dictionaries(st.integers(0, 29), st.integers(0, 3)),
    st.booleans(),
)
def test_the_sweeps_pairs_are_the_pairwise_ones(
    cluster: list[Counted],
    judged: set[tuple[int, int]],
    groups: dict[int, int],
    two_datasets: bool,
) -> None:
    """Pairing each transfer only with those that start before it ends (in start order)
    finds every open pair, under judgements and groups too."""
    if two_datasets:
        cluster = [r if r.transfer_id % 2 else replace(r, dataset_id="other") for r in cluster]
    distinct = {frozenset(p) for p in judged}
    pairwise = [
        (a.transfer_id, b.transfer_id)
        for i, a in enumerate(cluster)
        for b in cluster[i + 1 :]
        if _open(a, b, groups, distinct)
    ]
    swept = [(a.transfer_id, b.transfer_id) for a, b in _edges(cluster, groups, distinct)]
    assert sorted(swept) == sorted(pairwise)


def test_runs_split_a_materiel_whose_periods_part() -> None:
    day = DAY0.toordinal()
    a, b, c = (
        Counted(
            n,
            "ds",
            f"t-{n}",
            "m-a",
            date.fromordinal(day + s),
            date.fromordinal(day + e),
            "PRK",
            "RUS",
            "ammunition",
        )
        for n, (s, e) in enumerate([(0, 5), (3, 8), (10, 12)])
    )
    assert ids(_runs_by_materiel([a, b, c])) == [[0, 1], [2]]
