"""Every problem of a fixture in one FixtureError: the structural errors of every record
and the checks of what refers to what, also for the parts of an invalid record that did
validate. Fixing the problems of one kind never reveals a problem of another."""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from fixture_cases import base, unlined, write
from sqlmodel import Session

from sanctrack import FixtureError, load_fixture, validate_fixture

Doc = dict[str, Any]


def _set(path: Callable[[Doc], Any], key: str, value: Any) -> Callable[[Doc], None]:
    def change(d: Doc) -> None:
        path(d)[key] = value

    return change


def _drop(path: Callable[[Doc], Any], key: str) -> Callable[[Doc], None]:
    return lambda d: path(d).pop(key)


def _transfer(n: int) -> Callable[[Doc], Any]:
    return lambda d: d["transfers"][n]


def _claim(n: int, c: int = 0) -> Callable[[Doc], Any]:
    return lambda d: d["transfers"][n]["claims"][c]


#: (kind, the mistake, what is reported), in the order reported (the file's): independent
#: mistakes, several in one record.
MISTAKES: list[tuple[str, Callable[[Doc], None], str]] = [
    (
        "structure",
        _drop(lambda d: d["dataset"], "version"),
        "bad.{fmt}: dataset.version: a required field is missing",
    ),
    (
        "structure",
        _set(lambda d: d["sources"][0], "kind", "reprot"),
        "bad.{fmt}: sources[0] (s1).kind: expected 'report', 'official_statement', "
        "'news_article', 'intelligence_assessment', 'dataset' or 'other', got 'reprot'",
    ),
    (
        "reference",
        _set(lambda d: d["sources"][1], "cites", "s3"),
        "bad.{fmt}: sources[1] (s2).cites: unknown source 's3'",
    ),
    (
        "structure",
        _set(_claim(0), "quantity", {"up_to": "nine million"}),
        "bad.{fmt}: transfers[0] (t1).claims[0].quantity.up_to: expected a non-negative "
        "integer up to 9223372036854775807, got 'nine million'",
    ),
    (
        "reference",
        _set(_transfer(0), "supplier", "Narnia"),
        "bad.{fmt}: transfers[0] (t1).supplier: Unknown state 'Narnia'. Closest candidates: "
        "Armenia (ARM), Hungary (HUN), Martinique (MTQ), Finland (FIN), Argentina (ARG). "
        "Use an ISO 3166-1 code (e.g. 'PRK') or a name listed by `sanctrack states`.",
    ),
    (
        "structure",
        _set(_transfer(1), "status", "rumoured"),
        "bad.{fmt}: transfers[1] (t2).status: expected 'reported', 'confirmed', 'denied', "
        "'pledged' or 'planned', got 'rumoured'",
    ),
    (
        "period",
        _set(_transfer(1), "period", "2024-10/2024-13"),
        "bad.{fmt}: transfers[1] (t2).period: expected an EDTF period such as 2024, 2024-03, "
        "2025-01/2025-03 or 2023-09/.. ('2024-13' is not a real date (month must be in "
        "1..12))",
    ),
    (
        "reference",
        _set(_claim(1), "source", "s9"),
        "bad.{fmt}: transfers[1] (t2).claims[0].source: unknown source 's9'",
    ),
    (
        "reference",
        _set(_transfer(2), "materiel", "test-shel"),
        "bad.{fmt}: transfers[2] (t3).materiel: unknown materiel type 'test-shel' "
        "(did you mean 'test-shell'?)",
    ),
    (
        "period",
        _set(_claim(2, 0), "period", "2023"),
        "bad.{fmt}: transfers[2] (t3).claims[0].period: the claim's period 2023 does not "
        "overlap the transfer's period 2025-01~: give a period within the transfer's, or "
        "claim it on another transfer",
    ),
]
KINDS = ("structure", "reference", "period")


def broken(kinds: tuple[str, ...]) -> Doc:
    document = base()
    for kind, change, _ in MISTAKES:
        if kind in kinds:
            change(document)
    return document


def reported(path: Path) -> list[str]:
    with pytest.raises(FixtureError) as caught:
        validate_fixture(path)
    assert caught.value.total == len(caught.value.errors)
    return [str(issue) for issue in caught.value.errors]


def assert_reports(found: list[str], kinds: tuple[str, ...], fmt: str) -> None:
    assert [unlined(f) for f in found] == [
        m.format(fmt=fmt) for kind, _, m in MISTAKES if kind in kinds
    ]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_every_mistake_in_one_error(tmp_path: Path, fmt: str) -> None:
    assert len(MISTAKES) == 10
    path = write(tmp_path / f"bad.{fmt}", broken(KINDS))
    assert_reports(reported(path), KINDS, fmt)


@pytest.mark.parametrize("kinds", [c for n in (1, 2) for c in combinations(KINDS, n)], ids="+".join)
def test_fixing_one_kind_reveals_nothing_new(tmp_path: Path, kinds: tuple[str, ...]) -> None:
    """With the mistakes of the other kinds fixed, exactly these kinds' are reported."""
    path = write(tmp_path / "bad.yaml", broken(kinds))
    assert_reports(reported(path), kinds, "yaml")


def test_with_every_mistake_fixed_the_file_is_valid(tmp_path: Path) -> None:
    assert validate_fixture(write(tmp_path / "good.yaml", broken(()))) == 3


def test_a_load_reports_them_all_and_loads_nothing(session: Session, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.yaml", broken(KINDS))
    with pytest.raises(FixtureError) as caught:
        load_fixture(session, path)
    assert_reports([str(e) for e in caught.value.errors], KINDS, "yaml")
