"""A corpus of malformed fixture files: broken syntax, wrong types, hostile numbers, bad
encodings, huge lines, deep nesting, YAML tags and alias bombs. Each one gives a located
SanctrackError, constructs no Python object, and leaves the database exactly as it was.
No case is timed (speed is bench/'s business); a guard only stops a case that hangs.

The values the schema or the references refuse, one field at a time, are the CASES of
test_fixture_validation (and test_fixture_load checks those leave the database unchanged);
this corpus is about what arrives before and around them. Big files are generated at test
time, never stored.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from fixture_cases import base, dump, write
from malformed import BACKENDS, bundled_database, hang_guard
from sqlalchemy import Engine
from sqlmodel import Session

from sanctrack import FixtureError, SanctrackError, load_fixture, validate_fixture
from sanctrack.fixture import read

MB = 1 << 20
BIG = 50 * MB
NINE = "expected a non-negative integer up to 9223372036854775807"
#: Replaced, in a case's content, by the path of a file no case may create.
MARKER = b"@MARKER@"

Content = bytes | Callable[[], bytes]


@dataclass
class Case:
    """A malformed file ``name`` holding ``content``; the error names ``expected``."""

    id: str
    name: str
    content: Content
    expected: str
    #: Only a database knows what is wrong (validate_fixture accepts the file).
    needs_database: bool = False


def lines(*records: Any) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def text_of(data: Any, fmt: str) -> bytes:
    """``data`` as fixture_cases.write writes it in format ``fmt``."""
    with tempfile.TemporaryDirectory() as directory:
        return write(Path(directory) / f"x.{fmt}", data).read_bytes()


def header() -> dict[str, Any]:
    return {k: v for k, v in base().items() if k != "transfers"}


def transfer(**changes: Any) -> dict[str, Any]:
    return base()["transfers"][0] | changes


# -- numbers where a quantity goes: YAML, JSON and JSON Lines ------------------------------

#: (label, YAML literal, JSON literal, what the error says it got)
QUANTITIES = [
    ("nan", ".nan", "NaN", "nan"),
    ("infinity", ".inf", "Infinity", "inf"),
    ("minus-infinity", "-.inf", "-Infinity", "-inf"),
    ("1e400", "1.0e+400", "1e400", "inf"),
    ("2-pow-63", str(2**63), str(2**63), str(2**63)),
    ("2-pow-64", str(2**64), str(2**64), str(2**64)),
    ("minus-one", "-1", "-1", "-1"),
    ("true", "true", "true", "True"),
    ("quoted-100", '"100"', '"100"', "'100'"),
    ("fraction", "100.5", "100.5", "100.5"),
]


def quantity_file(fmt: str, literal: str) -> bytes:
    data = base()
    data["transfers"][0]["claims"][0]["quantity"] = {"up_to": "QUANTITY"}
    quoted = b"QUANTITY" if fmt == "yaml" else b'"QUANTITY"'
    return text_of(data, fmt).replace(quoted, literal.encode())


def quantity_cases() -> list[Case]:
    cases = []
    for label, in_yaml, in_json, got in QUANTITIES:
        for fmt in ("yaml", "json", "jsonl"):
            literal = in_yaml if fmt == "yaml" else in_json
            where = "line 2 (t1)" if fmt == "jsonl" else "transfers[0] (t1)"
            cases.append(
                Case(
                    f"quantity-{label}-{fmt}",
                    f"bad.{fmt}",
                    quantity_file(fmt, literal),
                    f"bad.{fmt}: {where}.claims[0].quantity.up_to: {NINE}, got {got}",
                )
            )
    return cases


# -- generated contents ----------------------------------------------------------------------


def billion_laughs() -> bytes:
    """9 levels of 9 aliases each: 9**9 'lol's if aliases were expanded."""
    out = [b'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n']
    for level in range(1, 10):
        refs = b", ".join([b"*a%d" % (level - 1)] * 9)
        out.append(b"a%d: &a%d [%s]\n" % (level, level, refs))
    return b"".join(out)


def nested_jsonl_record() -> bytes:
    return lines(header()) + b'{"id": "t1", "claims": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"


def junk_line() -> bytes:
    return lines(header()) + b"x" * BIG + b"\n"


def huge_id_line() -> bytes:
    return lines(header(), transfer(id="a" * BIG))


def huge_description_line() -> bytes:
    """A 50 MB description, then a quantity that is refused: the whole line is read."""
    bad = transfer(description="d" * BIG)
    bad["claims"][0]["quantity"] = {"up_to": -1}
    return lines(header(), bad)


def huge_json_document() -> bytes:
    """A single-line JSON document of 50 MB: a long description, then a refused quantity."""
    data = base()
    data["transfers"][0]["description"] = "d" * BIG
    data["transfers"][2]["claims"][0]["quantity"] = {"about": -1}
    return json.dumps(data).encode()


def huge_yaml_line() -> bytes:
    data = base()
    data["transfers"][0]["description"] = "DESCRIPTION"
    data["transfers"][2]["claims"][0]["quantity"] = {"about": -1}
    return text_of(data, "yaml").replace(b"DESCRIPTION", b"d" * BIG)


def many_transfers_json() -> bytes:
    """5 MB of valid transfers on one line (two batches' worth), the last one refused: every
    record is checked, and what was written is rolled back."""
    data = base()
    template = data["transfers"][0]
    size = len(json.dumps(template)) + 2
    data["transfers"] = [template | {"id": f"t{i}"} for i in range(5 * MB // size)]
    data["transfers"].append(template | {"id": "last", "supplier": "Narnia"})
    return json.dumps(data, separators=(",", ":")).encode()


def late_error_after_a_batch() -> bytes:
    """More transfers than the loader writes per batch, then one refused: the written batch
    must be rolled back."""
    template = transfer()
    rows = [template | {"id": f"t{i}"} for i in range(20_050)]
    rows.append(template | {"id": "last", "period": "2024-12/2024-10"})
    return lines(header(), *rows)


def many_unknown_materiel() -> bytes:
    """One misspelling repeated on 50,000 lines: checked quickly, reported 1,000 times."""
    template = transfer(materiel="artilery-ammunition")
    return lines(header(), *(template | {"id": f"t{i}"} for i in range(50_000)))


def deep_in_a_claim() -> bytes:
    data = base()
    nested: list[Any] = []
    for _ in range(100):
        nested = [nested]
    data["transfers"][0]["claims"][0]["violates"] = nested
    return json.dumps(data).encode()


def python_tag(tag: str, args: str) -> bytes:
    return b"dataset: !!python/" + tag.encode() + b" " + args.encode() + b"\n"


TOUCH = '["touch @MARKER@"]'
HEADER = lines(header())

CASES: list[Case] = [
    # broken syntax
    Case("yaml-unclosed", "bad.yaml", b"dataset: [\n", "bad.yaml: invalid YAML: "),
    Case(
        "yaml-bad-indent",
        "bad.yaml",
        b"dataset:\n  id: d\n title: x\n",
        "bad.yaml: invalid YAML: did not find expected key (line 3, column 2)",
    ),
    Case(
        "yaml-tab",
        "bad.yaml",
        b"dataset:\n\tid: d\n",
        "bad.yaml: invalid YAML: found character that cannot start any token (line 2, column 1)",
    ),
    Case(
        "yaml-two-documents",
        "bad.yaml",
        b"dataset: {id: d}\n---\ndataset: {id: e}\n",
        "bad.yaml: invalid YAML: but found another document (line 2, column 1)",
    ),
    Case(
        "yaml-unhashable-key",
        "bad.yaml",
        b"dataset: {id: d}\n? [a, b]\n: 1\n",
        "bad.yaml: invalid YAML: found unhashable key (line 2, column 3)",
    ),
    Case(
        "yaml-raw-nul-byte",
        "bad.yaml",
        b"dataset: {id: d, title: a\x00b}\n",
        "bad.yaml: the file holds a NUL byte (offset 25): is it UTF-16? Save it as UTF-8",
    ),
    Case(
        "yaml-impossible-date",
        "bad.yaml",
        text_of(base(), "yaml").replace(b"'2025-05-29'", b"2025-13-45"),
        "bad.yaml: invalid YAML: cannot read '2025-13-45' as !!timestamp: month must be in "
        "1..12 (line 9, column 14)",
    ),
    Case(
        "yaml-int-tag-on-text",
        "bad.yaml",
        b"dataset: {id: d, version: !!int one}\n",
        "bad.yaml: invalid YAML: cannot read 'one' as !!int: invalid literal",
    ),
    Case(
        "yaml-unknown-tag",
        "bad.yaml",
        b"dataset: !custom {id: d}\n",
        "bad.yaml: invalid YAML: could not determine a constructor for the tag '!custom' "
        "(line 1, column 10)",
    ),
    Case(
        "json-truncated",
        "bad.json",
        json.dumps(base()).encode()[:-20],
        "bad.json: invalid JSON: Expecting ':' delimiter (line 1, column 1104)",
    ),
    Case(
        "json-trailing-comma",
        "bad.json",
        b'{"dataset": {"id": "d"},}',
        "bad.json: invalid JSON: Expecting property name enclosed in double quotes "
        "(line 1, column 25)",
    ),
    Case(
        "json-single-quotes",
        "bad.json",
        b"{'dataset': {}}",
        "bad.json: invalid JSON: Expecting property name enclosed in double quotes "
        "(line 1, column 2)",
    ),
    Case(
        "json-raw-control-character",
        "bad.json",
        b'{"dataset": {"id": "a\x01"}}',
        "bad.json: invalid JSON: Invalid control character at (line 1, column 22)",
    ),
    Case(
        "json-two-documents",
        "bad.json",
        b'{"dataset": {}}\n{"dataset": {}}\n',
        "bad.json: invalid JSON: Extra data (line 2, column 1)",
    ),
    Case(
        "jsonl-broken-header",
        "bad.jsonl",
        b'{"dataset": {"id": "d"\n',
        "bad.jsonl: line 1: invalid JSON: Expecting ',' delimiter (line 1, column 23)",
    ),
    Case(
        "jsonl-broken-record",
        "bad.jsonl",
        HEADER + b'{"id": "t1", "claims": [}\n',
        "bad.jsonl: line 2: Invalid JSON: expected value at line 1 column 25",
    ),
    Case(
        "jsonl-pretty-printed",
        "bad.jsonl",
        json.dumps(header(), indent=1).encode(),
        "bad.jsonl: line 1: invalid JSON: Expecting property name enclosed in double quotes",
    ),
    # empty files and the wrong shape
    Case("empty-yaml", "empty.yaml", b"", "empty.yaml: the file is empty"),
    Case("empty-json", "empty.json", b"", "empty.json: the file is empty"),
    Case("empty-jsonl", "empty.jsonl", b"", "empty.jsonl: the file is empty"),
    Case("whitespace-json", "blank.json", b" \n\t\r\n ", "blank.json: the file is empty"),
    Case("blank-lines-jsonl", "blank.jsonl", b"\n  \n\t\n", "blank.jsonl: the file is empty"),
    Case(
        "comment-only-yaml",
        "bad.yaml",
        b"# a fixture, one day\n",
        "bad.yaml: expected a mapping with the keys dataset, sources, materiel_types and "
        "transfers, got NoneType",
    ),
    Case(
        "only-the-dataset-key",
        "bad.yaml",
        b"dataset:\n",
        "bad.yaml: dataset: expected a valid dictionary or instance of DatasetIn, got None",
    ),
    Case(
        "jsonl-header-without-dataset",
        "bad.jsonl",
        lines({"sources": []}),
        "bad.jsonl: line 1.dataset: a required field is missing",
    ),
    Case(
        "top-level-list-json",
        "bad.json",
        b"[]",
        "bad.json: expected a mapping with the keys dataset, sources, materiel_types and "
        "transfers, got list",
    ),
    Case(
        "top-level-scalar-yaml",
        "bad.yaml",
        b"just some words\n",
        "bad.yaml: expected a mapping with the keys dataset, sources, materiel_types and "
        "transfers, got str",
    ),
    Case(
        "top-level-scalar-jsonl",
        "bad.jsonl",
        b"42\n",
        "bad.jsonl: line 1: expected a valid dictionary or instance of Header, got 42",
    ),
    Case(
        "jsonl-record-is-a-list",
        "bad.jsonl",
        HEADER + b'["t1", "PRK"]\n',
        "bad.jsonl: line 2: expected an object, got ['t1', 'PRK']",
    ),
    Case(
        "transfers-is-a-string",
        "bad.json",
        json.dumps(base() | {"transfers": "t1, t2"}).encode(),
        "bad.json: transfers: expected a list of transfers, got str",
    ),
    # encodings
    Case(
        "latin-1-yaml",
        "bad.yaml",
        text_of(base(), "yaml").replace(b"Test team", "Équipe".encode("latin-1")),
        "bad.yaml: the file is not UTF-8 (invalid byte at offset ",
    ),
    Case(
        "latin-1-jsonl-record",
        "bad.jsonl",
        HEADER
        + json.dumps(transfer(description="caf\u00e9"), ensure_ascii=False).encode("latin-1")
        + b"\n",
        "bad.jsonl: line 2: Invalid JSON: invalid unicode code point",
    ),
    Case(
        "utf-16-yaml",
        "bad.yaml",
        text_of(base(), "yaml").decode().encode("utf-16"),
        "bad.yaml: the file is not UTF-8 (invalid byte at offset 0)",
    ),
    Case(
        "utf-16-json",
        "bad.json",
        json.dumps(base()).encode("utf-16-le"),
        "bad.json: the file holds a NUL byte (offset 1): is it UTF-16? Save it as UTF-8",
    ),
    Case(
        "byte-order-mark-json",
        "bad.json",
        b"\xef\xbb\xbf" + json.dumps(base()).encode(),
        "bad.json: the file starts with a byte order mark (BOM)",
    ),
    Case(
        "byte-order-mark-jsonl",
        "bad.jsonl",
        b"\xef\xbb\xbf" + HEADER,
        "bad.jsonl: line 1: the file starts with a byte order mark (BOM)",
    ),
    Case(
        "lone-surrogate-json",
        "bad.json",
        json.dumps(base()).replace('"Test dataset"', '"Test \\ud800"').encode(),
        "bad.json: dataset.title: expected a valid string, unable to parse raw data as a "
        "unicode string",
    ),
    Case(
        "nul-in-jsonl-description",
        "bad.jsonl",
        lines(header(), transfer(description="a\x00b")),
        "bad.jsonl: line 2 (t1).description: expected text without NUL characters",
    ),
    # numbers Python does not turn into text
    Case(
        "5000-digit-number-yaml",
        "bad.yaml",
        quantity_file("yaml", "9" * 5000),
        f"bad.yaml: invalid YAML: cannot read '{'9' * 37}...' as !!int: "
        "a number of more than 4300 digits (line ",
    ),
    Case(
        "5000-digit-number-json",
        "bad.json",
        quantity_file("json", "9" * 5000),
        "bad.json: invalid JSON: a number of more than 4300 digits (line ",
    ),
    Case(
        "5000-digit-number-jsonl",
        "bad.jsonl",
        quantity_file("jsonl", "9" * 5000),
        "bad.jsonl: line 2: Invalid JSON: number out of range",
    ),
    Case(
        "5000-digit-number-jsonl-header",
        "bad.jsonl",
        b'{"dataset": {"id": "d", "title": "D", "version": ' + b"9" * 5000 + b"}}\n",
        "bad.jsonl: line 1: invalid JSON: a number of more than 4300 digits (line 1, column 50)",
    ),
    Case(
        "hex-quantity-beyond-int64-yaml",
        "bad.yaml",
        quantity_file("yaml", "0x10000000000000000"),
        f"bad.yaml: transfers[0] (t1).claims[0].quantity.up_to: {NINE}, got {2**64}",
    ),
    Case(
        "20000-bit-hex-number-as-title-yaml",
        "bad.yaml",
        text_of(base(), "yaml").replace(b"Test dataset", b"0x" + b"f" * 5000),
        "bad.yaml: dataset.title: expected text, got a number of 20000 bits",
    ),
    # deep nesting
    Case(
        "100000-deep-list-json",
        "deep.json",
        lambda: b"[" * 100_000 + b"]" * 100_000,
        "deep.json: nested more than 64 levels deep (line 1, column ",
    ),
    Case(
        "100000-deep-object-json",
        "deep.json",
        lambda: b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "deep.json: nested more than 64 levels deep (line 1, column ",
    ),
    Case(
        "100-deep-in-a-claim-json",
        "deep.json",
        deep_in_a_claim(),
        "deep.json: nested more than 64 levels deep (at transfers[0].claims[0].violates[0]...)",
    ),
    Case(
        "100000-deep-flow-yaml",
        "deep.yaml",
        lambda: b"dataset: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "deep.yaml: nested more than 64 levels deep (line 1)",
    ),
    Case(
        "3000-deep-block-yaml",
        "deep.yaml",
        lambda: b"".join(b" " * i + b"- \n" for i in range(3000)),
        "deep.yaml: nested more than 64 levels deep (line 65)",
    ),
    Case(
        "100000-deep-jsonl-header",
        "deep.jsonl",
        lambda: b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "deep.jsonl: line 1: nested more than 64 levels deep (line 1, column ",
    ),
    Case(
        "100000-deep-jsonl-record",
        "deep.jsonl",
        nested_jsonl_record,
        "deep.jsonl: line 2: Invalid JSON: recursion limit exceeded",
    ),
    # YAML that would construct Python objects, and alias bombs
    Case(
        "tag-object-apply-os-system",
        "tag.yaml",
        python_tag("object/apply:os.system", TOUCH),
        "tag.yaml: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
        "(line 1)",
    ),
    Case(
        "tag-object-new-open",
        "tag.yaml",
        python_tag("object/new:builtins.open", '["@MARKER@", "w"]'),
        "tag.yaml: YAML tag 'tag:yaml.org,2002:python/object/new:builtins.open' is not allowed",
    ),
    Case(
        "tag-name",
        "tag.yaml",
        python_tag("name:os.system", "''"),
        "tag.yaml: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed",
    ),
    Case(
        "tag-object-in-a-transfer",
        "tag.yaml",
        text_of(base(), "yaml").replace(
            b"period: '2024'", b"period: !!python/object:pathlib.Path {}"
        ),
        "tag.yaml: YAML tag 'tag:yaml.org,2002:python/object:pathlib.Path' is not allowed "
        "(line 27)",
    ),
    Case(
        "tag-through-a-handle",
        "tag.yaml",
        b"%TAG !p! tag:yaml.org,2002:python/\n---\ndataset: !p!object/apply:os.system "
        + TOUCH.encode()
        + b"\n",
        "tag.yaml: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
        "(line 3)",
    ),
    Case(
        "tag-verbatim",
        "tag.yaml",
        b"dataset: !<tag:yaml.org,2002:python/object/apply:os.system> " + TOUCH.encode() + b"\n",
        "tag.yaml: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ),
    Case(
        "billion-laughs",
        "bomb.yaml",
        billion_laughs(),
        "bomb.yaml: YAML aliases (*a0) are not allowed in fixtures (line 2)",
    ),
    Case(
        "merge-key-alias",
        "bomb.yaml",
        b"base: &b {id: d, title: D}\ndataset: {<<: *b, version: '1'}\n",
        "bomb.yaml: YAML aliases (*b) are not allowed in fixtures (line 2)",
    ),
    # 50 MB on one line
    Case("50mb-junk-jsonl-line", "big.jsonl", junk_line, "big.jsonl: line 2: Invalid JSON: "),
    Case(
        "50mb-id-jsonl",
        "big.jsonl",
        huge_id_line,
        "big.jsonl: line 2.id: expected at most 100 characters, got 'aaaa",
    ),
    Case(
        "50mb-description-jsonl",
        "big.jsonl",
        huge_description_line,
        f"big.jsonl: line 2 (t1).claims[0].quantity.up_to: {NINE}, got -1",
    ),
    Case(
        "50mb-json-document",
        "big.json",
        huge_json_document,
        f"big.json: transfers[2] (t3).claims[0].quantity.about: {NINE}, got -1",
    ),
    Case(
        "50mb-yaml-line",
        "big.yaml",
        huge_yaml_line,
        f"big.yaml: transfers[2] (t3).claims[0].quantity.about: {NINE}, got -1",
    ),
    Case(
        "5mb-of-transfers-json",
        "big.json",
        many_transfers_json,
        "big.json: transfers[",
    ),
    # references and consistency, in the formats and sizes the per-field CASES do not use
    Case(
        "late-error-after-a-written-batch-jsonl",
        "late.jsonl",
        late_error_after_a_batch,
        "late.jsonl: line 20052 (last).period: expected an EDTF period",
    ),
    Case(
        "one-misspelling-on-50000-lines-jsonl",
        "typo.jsonl",
        many_unknown_materiel,
        "typo.jsonl: line 2 (t0).materiel: unknown materiel type 'artilery-ammunition' "
        "(did you mean 'artillery-ammunition'",
    ),
    Case(
        "unknown-references-json",
        "refs.json",
        text_of(
            base()
            | {
                "transfers": [
                    transfer(
                        supplier="Atlantis",
                        materiel="kn-99",
                        claims=[{"source": "nowhere", "violates": ["unsc-0000"]}],
                    )
                ]
            },
            "json",
        ),
        "refs.json: transfers[0] (t1).supplier: Unknown state 'Atlantis'",
    ),
    Case(
        "duplicate-ids-jsonl",
        "dup.jsonl",
        lines(header(), transfer(), transfer()),
        "dup.jsonl: line 3 (t1).id: duplicate transfer id 't1' (first at line 2 (t1))",
    ),
    Case(
        "source-of-a-loaded-dataset-redefined",
        "steal.yaml",
        text_of(
            base()
            | {"sources": [*base()["sources"], {"id": "msmt-2025-05-report", "kind": "other"}]},
            "yaml",
        ),
        "steal.yaml: sources[2] (msmt-2025-05-report).id: source 'msmt-2025-05-report' "
        "already belongs to dataset 'msmt-2025-05-dprk-russia'",
        needs_database=True,
    ),
    *quantity_cases(),
]


@pytest.fixture(scope="module", params=BACKENDS)
def bundled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres: Any
) -> Iterator[tuple[Engine, dict[str, list[tuple[Any, ...]]]]]:
    """A database with both bundled datasets, and its dump."""
    for engine in bundled_database(request.param, tmp_path_factory, postgres):
        yield engine, dump(engine)


def materialise(case: Case, directory: Path) -> tuple[Path, Path]:
    """Write the case's file; return it and the marker file no case may create."""
    marker = directory / "constructed"
    content = case.content() if callable(case.content) else case.content
    path = directory / case.name
    path.write_bytes(content.replace(MARKER, str(marker).encode()))
    return path, marker


#: What an issue about the whole file says instead of a record or field.
WHOLE_FILE = ("line ", "offset ", "(at ", "the file ", "expected a mapping with the keys")


def located(error: SanctrackError, name: str) -> None:
    """Every issue names the file and where in it the problem is: a record or field, a
    line, a byte offset, or the whole file (empty, not a mapping, a byte order mark)."""
    assert isinstance(error, FixtureError)
    for issue in error.errors:
        assert issue.file == name
        assert issue.record or issue.field or any(w in issue.message for w in WHOLE_FILE), str(
            issue
        )


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_file_is_refused_and_changes_nothing(
    bundled: tuple[Engine, dict[str, list[tuple[Any, ...]]]], tmp_path: Path, case: Case
) -> None:
    engine, before = bundled
    path, marker = materialise(case, tmp_path)
    with hang_guard(), Session(engine) as session, pytest.raises(SanctrackError) as caught:
        load_fixture(session, path)
    message = str(caught.value)
    assert case.expected in message
    located(caught.value, case.name)
    assert dump(engine) == before
    assert not marker.exists()

    if case.needs_database:
        assert validate_fixture(path) >= 0
        return
    with hang_guard(), pytest.raises(SanctrackError) as again:
        validate_fixture(path)
    assert type(again.value) is type(caught.value)
    assert case.expected in str(again.value)
    assert not marker.exists()


@pytest.mark.parametrize(
    "document",
    [
        "!!python/object/apply:os.system ['touch @MARKER@']",
        "!!python/object/new:builtins.open ['@MARKER@', 'w']",
        "!!python/name:os.system",
        "a: &x [1]\nb: *x",
    ],
)
def test_yaml_loader_constructs_no_python_object(tmp_path: Path, document: str) -> None:
    """Even past the event check, the loader is a safe one: it refuses Python tags."""
    marker = tmp_path / "constructed"
    assert issubclass(read._Loader, yaml.SafeLoader) or issubclass(
        read._Loader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )
    text = document.replace("@MARKER@", str(marker))
    if "&x" in document:  # aliases are refused before loading; the loader alone shares them
        assert yaml.load(text, Loader=read._Loader) == {"a": [1], "b": [1]}
    else:
        with pytest.raises(yaml.constructor.ConstructorError):
            yaml.load(text, Loader=read._Loader)
    assert not marker.exists()
