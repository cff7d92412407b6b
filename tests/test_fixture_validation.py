"""Validation: every malformed input gives a FixtureError naming the file, the record, the
field, and what was expected; all the errors of a file are reported at once."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fixture_cases import base, unlined, write

import sanctrack
from sanctrack import FixtureError, FixtureIssue, SanctrackError, validate_fixture

Mutate = Callable[[dict[str, Any]], Any]
MAX = 2**63 - 1
NINE = "expected a non-negative integer up to 9223372036854775807"


def transfer(n: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: d["transfers"][n]


def claim(n: int, c: int = 0) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: d["transfers"][n]["claims"][c]


def setting(where: Callable[[dict[str, Any]], dict[str, Any]], **values: Any) -> Mutate:
    return lambda d: where(d).update(values)


@dataclass
class Case:
    """A malformed fixture: BASE with one ``change``, written as ``bad.<fmt>``."""

    id: str
    change: Mutate
    expected: list[str]
    fmt: str = "yaml"


def source(n: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: d["sources"][n]


def materiel(n: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: d["materiel_types"][n]


def duplicate_transfer(d: dict[str, Any]) -> None:
    d["transfers"][2]["id"] = "t1"


def duplicate_source(d: dict[str, Any]) -> None:
    d["sources"].append({"id": "s1", "kind": "other"})


def duplicate_materiel(d: dict[str, Any]) -> None:
    d["materiel_types"].append(dict(d["materiel_types"][0], name="Another"))


def cycle(d: dict[str, Any]) -> None:
    d["sources"][0]["cites"] = "s2"


CASES = [
    # values the database cannot store, or that are not what a field holds
    Case(
        "quantity-not-a-number",
        setting(claim(0), quantity={"up_to": "nine million"}),
        [f"bad.yaml: transfers[0] (t1).claims[0].quantity.up_to: {NINE}, got 'nine million'"],
    ),
    Case(
        "quantity-negative",
        setting(claim(0), quantity={"exact": -1}),
        [f"bad.yaml: transfers[0] (t1).claims[0].quantity.exact: {NINE}, got -1"],
    ),
    Case(
        "quantity-fractional",
        setting(claim(0), quantity={"about": 1.5}),
        [f"bad.yaml: transfers[0] (t1).claims[0].quantity.about: {NINE}, got 1.5"],
    ),
    Case(
        "quantity-boolean",
        setting(claim(0), quantity={"at_least": True}),
        [f"bad.yaml: transfers[0] (t1).claims[0].quantity.at_least: {NINE}, got True"],
    ),
    Case(
        "quantity-beyond-int64",
        setting(claim(0), quantity={"exact": MAX + 1}),
        [f"bad.yaml: transfers[0] (t1).claims[0].quantity.exact: {NINE}, got 9223372036854775808"],
    ),
    Case(
        "quantity-beyond-int64-json",
        setting(claim(0), quantity={"up_to": 10**30}),
        [
            f"bad.json: transfers[0] (t1).claims[0].quantity.up_to: {NINE}, "
            "got 1000000000000000000000000000000"
        ],
        "json",
    ),
    Case(
        "between-beyond-int64",
        setting(claim(1), quantity={"between": [1, MAX + 1]}),
        [
            f"bad.yaml: transfers[1] (t2).claims[0].quantity.between[1]: {NINE}, "
            "got 9223372036854775808"
        ],
    ),
    Case(
        "id-too-long",
        setting(transfer(0), id="t" * 101),
        [f"bad.yaml: transfers[0].id: expected at most 100 characters, got '{'t' * 76}..."],
    ),
    Case(
        "page-too-long",
        setting(claim(0), locator={"page": "p" * 51}),
        [
            "bad.yaml: transfers[0] (t1).claims[0].locator.page: expected at most 50 characters, "
            f"got '{'p' * 51}'"
        ],
    ),
    Case(
        "publisher-too-long",
        setting(source(0), publisher="x" * 301),
        [
            "bad.yaml: sources[0] (s1).publisher: expected at most 300 characters, "
            f"got '{'x' * 76}..."
        ],
    ),
    Case(
        "nul-in-quote",
        setting(claim(2, 1), quote="a\x00b"),
        [
            "bad.yaml: transfers[2] (t3).claims[1].quote: expected text without NUL characters "
            "(\\u0000), which the database cannot store"
        ],
    ),
    Case(
        "nul-in-title-jsonl",
        setting(lambda d: d["dataset"], title="a\x00b"),
        [
            "bad.jsonl: line 1.dataset.title: expected visible characters only, got U+0000 "
            "(NULL) at character 2: remove it"
        ],
        "jsonl",
    ),
    Case(
        "nul-in-author",
        setting(source(0), authors=[{"organisation": "\x00"}]),
        [
            "bad.json: sources[0] (s1).authors[0].organisation: expected visible characters "
            "only, got U+0000 (NULL) at character 1: remove it"
        ],
        "json",
    ),
    Case(
        "credibility-out-of-range",
        setting(claim(0), credibility=7),
        [
            "bad.yaml: transfers[0] (t1).claims[0].credibility: expected less than or equal to 6, "
            "got 7"
        ],
    ),
    # unknown references
    Case(
        "unknown-state",
        setting(transfer(1), supplier="Narnia"),
        [
            "bad.yaml: transfers[1] (t2).supplier: Unknown state 'Narnia'. Closest candidates: "
            "Armenia (ARM), Hungary (HUN), Martinique (MTQ), Finland (FIN), Argentina (ARG). "
            "Use an ISO 3166-1 code (e.g. 'PRK') or a name listed by `sanctrack states`."
        ],
    ),
    Case(
        "unknown-author-state",
        setting(source(0), authors=[{"state": "Atlantis"}]),
        [
            "bad.yaml: sources[0] (s1).authors[0].state: Unknown state 'Atlantis'. Closest "
            "candidates: Albania (ALB), Åland Islands (ALA), Malaysia (MYS), Germany (DEU), "
            "Tunisia (TUN). Use an ISO 3166-1 code (e.g. 'PRK') or a name listed by "
            "`sanctrack states`."
        ],
    ),
    Case(
        "unknown-source",
        setting(claim(0), source="s12"),
        [
            "bad.yaml: transfers[0] (t1).claims[0].source: unknown source 's12' "
            "(did you mean 's2', 's1'?)"
        ],
    ),
    Case(
        "unknown-cited-source",
        setting(source(1), cites="nowhere"),
        ["bad.yaml: sources[1] (s2).cites: unknown source 'nowhere'"],
    ),
    Case(
        "unknown-materiel",
        setting(transfer(0), materiel="artilery-ammunition"),
        [
            "bad.yaml: transfers[0] (t1).materiel: unknown materiel type 'artilery-ammunition' "
            "(did you mean 'artillery-ammunition', 'rocket-ammunition', 'ammunition'?)"
        ],
    ),
    Case(
        "unknown-unit",
        setting(claim(0), unit="shells"),
        [
            "bad.yaml: transfers[0] (t1).claims[0].unit: unknown unit 'shells' "
            "(did you mean 'vessels'?)"
        ],
    ),
    Case(
        "unknown-provision",
        setting(claim(0), violates=["unsc-1718-op8c"]),
        [
            "bad.yaml: transfers[0] (t1).claims[0].violates[0]: unknown provision or regime "
            "'unsc-1718-op8c' "
            "(did you mean 'unsc-1718-op8b', 'unsc-1718-op8a', 'unsc-2397-op8'?)"
        ],
    ),
    Case(
        "listing-regime-violated",
        setting(claim(0), violates=["eu-dprk"]),
        [
            "bad.yaml: transfers[0] (t1).claims[0].violates[0]: 'eu-dprk' is a list that "
            "designations name, and binds no state: name a regime that does ('unsc-dprk') "
            "or one of its provisions"
        ],
    ),
    Case(
        "unknown-category",
        setting(materiel(0), category="shells"),
        ["bad.yaml: materiel_types[0] (test-shell).category: unknown category 'shells'"],
    ),
    # inconsistent values
    Case(
        "low-above-high",
        setting(claim(1), quantity={"between": [12000, 10000]}),
        [
            "bad.yaml: transfers[1] (t2).claims[0].quantity: expected low <= high in 'between', "
            "got low 12000 > high 10000"
        ],
    ),
    Case(
        "best-outside-between",
        setting(claim(1), quantity={"between": [1, 5], "best": 6}),
        ["bad.yaml: transfers[1] (t2).claims[0].quantity: expected 'best' between 1 and 5, got 6"],
    ),
    Case(
        "two-quantity-forms",
        setting(claim(0), quantity={"exact": 5, "about": 3}),
        [
            "bad.yaml: transfers[0] (t1).claims[0].quantity: expected exactly one of exact, about, "
            "at_least, more_than, up_to, between, got exact, about"
        ],
    ),
    Case(
        "end-before-start",
        setting(transfer(1), period="2024-12/2024-10"),
        [
            "bad.yaml: transfers[1] (t2).period: expected an EDTF period such as 2024, 2024-03, "
            "2025-01/2025-03 or 2023-09/.. (the end 2024-10 is before the start 2024-12)"
        ],
    ),
    Case(
        "period-not-edtf",
        setting(transfer(1), period="last year"),
        [
            "bad.yaml: transfers[1] (t2).period: expected an EDTF period such as 2024, 2024-03, "
            "2025-01/2025-03 or 2023-09/.. ('last year' is not a date of the form YYYY, YYYY-MM "
            "or YYYY-MM-DD)"
        ],
    ),
    Case(
        "period-not-quoted",
        setting(transfer(1), period=2024),
        [
            "bad.yaml: transfers[1] (t2).period: expected text, got 2024: put it in quotes "
            '(in YAML, write "2024")'
        ],
    ),
    Case(
        "troops-in-barrels",
        setting(claim(1), unit="barrels"),
        [
            "bad.yaml: transfers[1] (t2).claims[0].unit: unit 'barrels' does not fit category "
            "'troops' (expected one of: flights, personnel)"
        ],
    ),
    Case(
        "materiel-default-unit-misfit",
        setting(materiel(0), unit="personnel"),
        [
            "bad.yaml: materiel_types[0] (test-shell).unit: unit 'personnel' does not fit "
            "category 'artillery-ammunition' (expected one of: containers, rounds, tonnes)",
            "bad.yaml: transfers[2] (t3).claims[0].unit: unit 'personnel' does not fit "
            "category 'artillery-ammunition' (expected one of: containers, rounds, tonnes)",
            "bad.yaml: transfers[2] (t3).claims[1].unit: unit 'personnel' does not fit "
            "category 'artillery-ammunition' (expected one of: containers, rounds, tonnes)",
        ],
    ),
    Case(
        "recipient-is-supplier",
        setting(transfer(0), recipient="North Korea"),
        ["bad.yaml: transfers[0] (t1).recipient: the recipient is the supplier (PRK)"],
    ),
    Case(
        "two-claims-same-source",
        setting(claim(2, 1), source="s1"),
        [
            "bad.yaml: transfers[2] (t3).claims[1].source: source 's1' already has a flow "
            "claim on this transfer over 2025-01-01 to 2025-01-31 (claims[0]): give one of "
            "them another 'period', or remove one"
        ],
    ),
    Case(
        "sources-cite-in-circle",
        cycle,
        [
            "bad.yaml: sources[0] (s1).cites: sources cite each other in a circle: s1 -> s2 -> s1"
            ": a source cannot rest on itself; remove one of these citations",
        ],
    ),
    Case(
        "seeded-materiel-redeclared",
        setting(materiel(0), slug="troops"),
        [
            "bad.yaml: materiel_types[0] (troops).slug: materiel type 'troops' is already defined "
            "by the seeds: use it without declaring it, or choose another slug",
            "bad.yaml: transfers[2] (t3).materiel: unknown materiel type 'test-shell'",
        ],
    ),
    # duplicate ids
    Case(
        "duplicate-transfer-id",
        duplicate_transfer,
        ["bad.yaml: transfers[2] (t1).id: duplicate transfer id 't1' (first at transfers[0] (t1))"],
    ),
    Case(
        "duplicate-transfer-id-jsonl",
        duplicate_transfer,
        ["bad.jsonl: line 4 (t1).id: duplicate transfer id 't1' (first at line 2 (t1))"],
        "jsonl",
    ),
    Case(
        "duplicate-source-id",
        duplicate_source,
        ["bad.yaml: sources[2] (s1).id: duplicate source id 's1'"],
    ),
    Case(
        "duplicate-materiel-type",
        duplicate_materiel,
        ["bad.yaml: materiel_types[1] (test-shell).slug: duplicate materiel type 'test-shell'"],
    ),
    # shape
    Case(
        "missing-field",
        lambda d: d["transfers"][0].pop("period"),
        ["bad.yaml: transfers[0] (t1).period: a required field is missing"],
    ),
    Case(
        "unknown-field",
        setting(transfer(0), colour="red"),
        [
            "bad.yaml: transfers[0] (t1).colour: unknown field (remove it or check its spelling), "
            "got 'red'"
        ],
    ),
    Case(
        "no-claims",
        setting(transfer(0), claims=[]),
        ["bad.yaml: transfers[0] (t1).claims: expected at least 1 item, got []"],
    ),
    Case(
        "bad-source-kind",
        setting(source(1), kind="blog"),
        [
            "bad.yaml: sources[1] (s2).kind: expected 'report', 'official_statement', "
            "'news_article', 'intelligence_assessment', 'dataset' or 'other', got 'blog'"
        ],
    ),
    Case(
        "bad-date",
        setting(source(0), published="29 May 2025"),
        [
            "bad.yaml: sources[0] (s1).published: expected a date such as 2024-10-28, a month "
            "such as 2024-01, a year such as 2024, optionally approximate (2023-11~) or "
            "uncertain (2024?), got '29 May 2025' ('29 May 2025' is not a date of the form "
            "YYYY, YYYY-MM or YYYY-MM-DD)"
        ],
    ),
    Case(
        "bad-dataset-id",
        setting(lambda d: d["dataset"], id="Test DS"),
        [
            "bad.yaml: dataset.id: expected an id of lowercase letters, digits, '-', '.' or '_', "
            "got 'Test DS'"
        ],
    ),
    Case(
        "author-state-and-organisation",
        setting(source(0), authors=[{"state": "AUS", "organisation": "x"}]),
        [
            "bad.yaml: sources[0] (s1).authors[0]: expected exactly one of 'state', "
            "'organisation' or 'person'"
        ],
    ),
    Case(
        "transfer-not-a-mapping",
        lambda d: d["transfers"].insert(1, "t9"),
        ["bad.yaml: transfers[1]: expected a valid dictionary or instance of TransferIn, got 't9'"],
    ),
    Case(
        "transfers-not-a-list",
        lambda d: d.update(transfers={"t1": {}}),
        ["bad.yaml: transfers: expected a list of transfers, got dict"],
    ),
    # JSON Lines: records are located by line number and id
    Case(
        "jsonl-quantity",
        setting(claim(0), quantity={"up_to": "nine million"}),
        [f"bad.jsonl: line 2 (t1).claims[0].quantity.up_to: {NINE}, got 'nine million'"],
        "jsonl",
    ),
    Case(
        "jsonl-unknown-unit",
        setting(claim(1), unit="barrels"),
        [
            "bad.jsonl: line 3 (t2).claims[0].unit: unit 'barrels' does not fit category 'troops' "
            "(expected one of: flights, personnel)"
        ],
        "jsonl",
    ),
    Case(
        "jsonl-header",
        setting(source(1), reliability="Z"),
        [
            "bad.jsonl: line 1.sources[1] (s2).reliability: expected 'A', 'B', 'C', 'D', 'E' or "
            "'F', got 'Z'"
        ],
        "jsonl",
    ),
]


def write_case(tmp_path: Path, case: Case) -> Path:
    data = base()
    case.change(data)
    return write(tmp_path / f"bad.{case.fmt}", data)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_malformed_input_is_located(tmp_path: Path, case: Case) -> None:
    path = write_case(tmp_path, case)
    with pytest.raises(FixtureError) as caught:
        validate_fixture(path)
    assert [unlined(issue) for issue in caught.value.errors] == case.expected
    assert caught.value.total == len(case.expected)
    for issue in caught.value.errors:
        assert issue.file == path.name
        assert issue.record or issue.field  # every issue says where


def test_the_example_from_the_issue(tmp_path: Path) -> None:
    data = base()
    data["transfers"][0]["id"] = "prk-rus-shells-2024"
    for ident in ("t0", "t-1", "t-2"):
        data["transfers"].insert(0, copy.deepcopy(data["transfers"][-1]) | {"id": ident})
    data["transfers"][3]["claims"][0]["quantity"] = {"up_to": "nine million"}
    path = write(tmp_path / "msmt.yaml", data)
    with pytest.raises(FixtureError) as caught:
        validate_fixture(path)
    [issue] = caught.value.errors
    assert str(issue) == (
        "msmt.yaml:64: transfers[3] (prk-rus-shells-2024).claims[0].quantity.up_to: "
        f"{NINE}, got 'nine million'"
    )
    assert (issue.file, issue.line, issue.record, issue.field) == (
        "msmt.yaml",
        64,
        "transfers[3] (prk-rus-shells-2024)",
        "claims[0].quantity.up_to",
    )
    assert path.read_text(encoding="utf-8").splitlines()[63] == "      up_to: nine million"


def test_fixture_error_is_a_sanctrack_error_and_a_value_error() -> None:
    assert sanctrack.FixtureError is FixtureError
    assert issubclass(FixtureError, SanctrackError)
    assert issubclass(FixtureError, ValueError)
    error = FixtureError([FixtureIssue("f.yaml", "transfers[0] (t1)", "period", "bad")])
    assert error.errors == [FixtureIssue("f.yaml", "transfers[0] (t1)", "period", "bad")]
    assert error.total == 1
    assert str(error).splitlines()[1:] == ["f.yaml: transfers[0] (t1).period: bad"]


def break_many(d: dict[str, Any]) -> None:
    d["sources"][1]["cites"] = "nowhere"
    d["transfers"][0]["claims"][0]["quantity"] = {"up_to": "nine million"}
    d["transfers"][1]["supplier"] = "PRK"
    d["transfers"][1]["recipient"] = "PRK"
    d["transfers"][1]["period"] = "2024-12/2024-10"
    d["transfers"][1]["claims"][0]["unit"] = "barrels"
    d["transfers"][2]["id"] = "t1"
    d["transfers"][2]["materiel"] = "kn-99"
    d["transfers"][2]["claims"][0]["violates"] = ["nothing"]


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_all_errors_in_a_file_are_reported_at_once(tmp_path: Path, fmt: str) -> None:
    data = base()
    break_many(data)
    path = write(tmp_path / f"bad.{fmt}", data)
    with pytest.raises(FixtureError) as caught:
        validate_fixture(path)
    if fmt == "jsonl":
        sources, t0, t1, t2 = "line 1.sources[1] (s2)", "line 2 (t1)", "line 3 (t2)", "line 4 (t1)"
        first = "line 2 (t1)"
    else:
        sources, t0, t1, t2 = (
            "sources[1] (s2)",
            "transfers[0] (t1)",
            "transfers[1] (t2)",
            ("transfers[2] (t1)"),
        )
        first = "transfers[0] (t1)"
    name = path.name
    assert [unlined(e) for e in caught.value.errors] == [
        f"{name}: {sources}.cites: unknown source 'nowhere'",
        f"{name}: {t0}.claims[0].quantity.up_to: {NINE}, got 'nine million'",
        f"{name}: {t1}.recipient: the recipient is the supplier (PRK)",
        f"{name}: {t1}.period: expected an EDTF period such as 2024, 2024-03, 2025-01/2025-03 "
        "or 2023-09/.. (the end 2024-10 is before the start 2024-12)",
        f"{name}: {t1}.claims[0].unit: unit 'barrels' does not fit category 'troops' "
        "(expected one of: flights, personnel)",
        f"{name}: {t2}.id: duplicate transfer id 't1' (first at {first})",
        f"{name}: {t2}.materiel: unknown materiel type 'kn-99' (did you mean 'kn-24', 'kn-23'?)",
        f"{name}: {t2}.claims[0].violates[0]: unknown provision or regime 'nothing'",
    ]
    assert caught.value.total == 8
    assert str(caught.value).startswith("8 errors; nothing was loaded.")


def test_errors_beyond_the_limit_are_counted(tmp_path: Path) -> None:
    data = base()
    template = data["transfers"][0]
    data["transfers"] = [
        copy.deepcopy(template) | {"id": f"t{i}", "supplier": "Narnia"}
        for i in range(FixtureError.LIMIT + 5)
    ]
    path = write(tmp_path / "many.jsonl", data)
    with pytest.raises(FixtureError) as caught:
        validate_fixture(path)
    assert len(caught.value.errors) == FixtureError.LIMIT
    assert caught.value.total == FixtureError.LIMIT + 5
    assert str(caught.value).splitlines()[-1] == "... and 5 more"
    assert str(caught.value.errors[-1]).startswith(
        f"many.jsonl: line {FixtureError.LIMIT + 1} (t{FixtureError.LIMIT - 1}).supplier: "
    )


HEADER = b'{"dataset": {"id": "d", "title": "D", "version": "1"}}\n'


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "empty.yaml",
            b"   \n",
            "empty.yaml: the file is empty: expected a fixture with a 'dataset' section",
        ),
        (
            "empty.jsonl",
            b"\n\n",
            "empty.jsonl: the file is empty: expected a header line with a 'dataset'",
        ),
        (
            "list.yaml",
            b"- 1\n- 2\n",
            "list.yaml: expected a mapping with the keys dataset, "
            "sources, materiel_types and transfers, got list",
        ),
        (
            "latin1.yaml",
            "dataset: {title: caf\u00e9}\n".encode("latin-1"),
            "latin1.yaml: the file is not UTF-8 (invalid byte at offset 20); save it as UTF-8",
        ),
        (
            "broken.json",
            b'{"dataset": ',
            "broken.json:1:13: invalid JSON: Expecting value",
        ),
        (
            "broken.jsonl",
            HEADER + b'{"id": \n',
            "broken.jsonl: line 2: Invalid JSON: "
            "EOF while parsing a value at line 2 column 0, got b'{\"id\": \\n'",
        ),
        (
            "alias.yaml",
            b"a: &x [1]\nb: *x\n",
            "alias.yaml:2: YAML aliases (*x) are not allowed in fixtures; write the value out",
        ),
        (
            "tag.yaml",
            b"a: !!python/object/apply:os.system ['true']\n",
            "tag.yaml:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
            "allowed: fixtures hold plain data only",
        ),
        (
            "deep.json",
            b"[" * 100 + b"]" * 100,
            "deep.json: nested more than 64 levels deep (at [0][0][0][0][0][0]...)",
        ),
        (
            "fixture.txt",
            b"dataset: {}\n",
            "fixture.txt: unknown file type '.txt': expected .yaml, .yml, .json, .jsonl, .csv, "
            ".xlsx or .parquet",
        ),
        (
            "no-dataset.yaml",
            b"sources: []\n",
            "no-dataset.yaml:1: dataset: a required field is missing",
        ),
    ],
)
def test_unreadable_files_are_located(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FixtureError) as caught:
        validate_fixture(path)
    assert [str(e) for e in caught.value.errors] == [expected]


def test_valid_fixture_validates_in_every_format(tmp_path: Path) -> None:
    for fmt in ("yaml", "yml", "json", "jsonl"):
        assert validate_fixture(write(tmp_path / f"ok.{fmt}", base())) == 3


def test_largest_storable_quantity_is_valid(tmp_path: Path) -> None:
    data = base()
    data["transfers"][1]["claims"][0]["quantity"] = {"between": [0, MAX], "best": MAX}
    assert validate_fixture(write(tmp_path / "max.yaml", data)) == 3
