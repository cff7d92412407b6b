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
from fixture_cases import base, dump, unlined, write
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

# -- input that a parser would silently rewrite -----------------------------------------------

#: A small valid fixture, line by line, for the cases that name a line: each case changes
#: one thing in it (test_the_small_fixture_is_valid checks it is valid as it stands).
SMALL = b"""\
dataset:
  id: test-ds
  title: Test dataset
  version: '1'
sources:
  - id: s1
    kind: report
transfers:
  - id: t1
    supplier: PRK
    recipient: RUS
    materiel: troops
    period: '2024'
    claims:
      - source: s1
        quantity: {up_to: 100}
        unit: personnel
"""
ONCE = "each key may appear only once, keep one of them"
VISIBLE = "expected visible characters only, got"


def small(old: bytes, new: bytes) -> bytes:
    assert SMALL.count(old) == 1, old
    return SMALL.replace(old, new)


def json_with(old: str, new: str, data: dict[str, Any] | None = None) -> bytes:
    """``data`` (base()) as JSON, with the text ``old`` replaced by ``new``."""
    text = json.dumps(base() if data is None else data)
    assert text.count(old) == 1, old
    return text.replace(old, new).encode()


def jsonl_with(line: int, old: str, new: str) -> bytes:
    """base() as JSON Lines, with ``old`` replaced by ``new`` in line ``line``."""
    records = [header(), *base()["transfers"]]
    texts = [json.dumps(r) for r in records]
    assert texts[line - 1].count(old) == 1, old
    texts[line - 1] = texts[line - 1].replace(old, new)
    return "".join(t + "\n" for t in texts).encode()


def up_to(literal: bytes) -> bytes:
    return small(b"{up_to: 100}", b"{up_to: " + literal + b"}")


def ambiguous(number: str, old: str, new: str, advice: str, where: str, line: int = 16) -> str:
    return (
        f"bad.yaml:{line}: {where}: {number} reads as {old} in YAML 1.1 but as {new} in "
        f"YAML 1.2: {advice}, or quote it if it is text"
    )


QUANTITY = "transfers[0] (t1).claims[0].quantity.up_to"
DECIMAL = "write the number in plain decimal digits"

REWRITES: list[Case] = [
    # a key given twice: the parsers keep the last one without a word
    Case(
        "duplicate-transfers-key-yaml",
        "bad.yaml",
        SMALL + b"transfers: []\n",
        f"bad.yaml: duplicate key 'transfers' (line 18, first on line 8): {ONCE}",
    ),
    Case(
        "duplicate-dataset-id-yaml",
        "bad.yaml",
        small(b"  version: '1'\n", b"  version: '1'\n  id: msmt-2025-05-dprk-russia\n"),
        f"bad.yaml: dataset: duplicate key 'id' (line 5, first on line 2): {ONCE}",
    ),
    Case(
        "duplicate-quantity-yaml",
        "bad.yaml",
        small(b"        unit:", b"        quantity: {up_to: 1}\n        unit:"),
        f"bad.yaml: transfers[0] (t1).claims[0]: duplicate key 'quantity' (line 17, first on "
        f"line 16): {ONCE}",
    ),
    Case(
        "duplicate-key-in-a-flow-mapping-yaml",
        "bad.yaml",
        up_to(b"100, up_to: 200"),
        f"bad.yaml: transfers[0] (t1).claims[0].quantity: duplicate key 'up_to' (line 16, first "
        f"on line 16): {ONCE}",
    ),
    Case(
        "duplicate-quoted-and-plain-key-yaml",
        "bad.yaml",
        small(b"    supplier: PRK\n", b"    supplier: PRK\n    'supplier': IRN\n"),
        f"bad.yaml: transfers[0] (t1): duplicate key 'supplier' (line 11, first on line 10): "
        f"{ONCE}",
    ),
    Case(
        "duplicate-source-id-yaml",
        "bad.yaml",
        small(b"    kind: report\n", b"    kind: report\n    id: s2\n"),
        f"bad.yaml: sources[0] (s1): duplicate key 'id' (line 8, first on line 6): {ONCE}",
    ),
    Case(
        "duplicate-key-in-an-author-yaml",
        "bad.yaml",
        small(
            b"    kind: report\n", b"    kind: report\n    authors: [{state: PRK, state: RUS}]\n"
        ),
        f"bad.yaml: sources[0] (s1).authors[0]: duplicate key 'state' (line 8, first on line 8): "
        f"{ONCE}",
    ),
    Case(
        "duplicate-transfers-key-json",
        "bad.json",
        json.dumps(base())[:-1].encode() + b', "transfers": []}',
        f"bad.json: duplicate key 'transfers': {ONCE}",
    ),
    Case(
        "duplicate-dataset-id-json",
        "bad.json",
        json_with('"version": "1"', '"version": "1", "id": "msmt-2025-05-dprk-russia"'),
        f"bad.json: dataset: duplicate key 'id': {ONCE}",
    ),
    Case(
        "duplicate-quantity-json",
        "bad.json",
        json_with(
            '"quantity": {"up_to": 9000000}',
            '"quantity": {"up_to": 9000000}, "quantity": {"up_to": 1}',
        ),
        f"bad.json: transfers[0] (t1).claims[0]: duplicate key 'quantity': {ONCE}",
    ),
    Case(
        "duplicate-key-spelled-with-an-escape-json",
        "bad.json",
        json_with('"about": 500', '"about": 500, "\\u0061bout": 5'),
        f"bad.json: transfers[2] (t3).claims[0].quantity: duplicate key 'about': {ONCE}",
    ),
    Case(
        "duplicate-materiel-slug-json",
        "bad.json",
        json_with('"slug": "test-shell"', '"slug": "test-shell", "slug": "troops"'),
        f"bad.json: materiel_types[0] (troops): duplicate key 'slug': {ONCE}",
    ),
    Case(
        "duplicate-dataset-id-jsonl-header",
        "bad.jsonl",
        jsonl_with(1, '"id": "test-ds"', '"id": "test-ds", "id": "msmt-2025-05-dprk-russia"'),
        f"bad.jsonl: line 1.dataset: duplicate key 'id': {ONCE}",
    ),
    Case(
        "duplicate-sources-key-jsonl-header",
        "bad.jsonl",
        jsonl_with(1, '"materiel_types"', '"sources": [], "materiel_types"'),
        f"bad.jsonl: line 1: duplicate key 'sources': {ONCE}",
    ),
    Case(
        "duplicate-source-kind-jsonl-header",
        "bad.jsonl",
        jsonl_with(1, '"kind": "report"', '"kind": "report", "kind": "other"'),
        f"bad.jsonl: line 1.sources[0] (s1): duplicate key 'kind': {ONCE}",
    ),
    Case(
        "duplicate-quantity-jsonl",
        "bad.jsonl",
        jsonl_with(
            2,
            '"quantity": {"up_to": 9000000}',
            '"quantity": {"up_to": 9000000}, "quantity": {"up_to": 1}',
        ),
        f"bad.jsonl: line 2 (t1).claims[0]: duplicate key 'quantity': {ONCE}",
    ),
    Case(
        "duplicate-key-with-the-same-value-jsonl",
        "bad.jsonl",
        jsonl_with(3, '"status": "confirmed"', '"status": "confirmed", "status": "confirmed"'),
        f"bad.jsonl: line 3 (t2): duplicate key 'status': {ONCE}",
    ),
    Case(
        "duplicate-key-beside-a-colon-in-a-quote-jsonl",
        "bad.jsonl",
        jsonl_with(4, '"about": 500}', '"about": 500}, "quote": "they said: 500", "quote": "500"'),
        f"bad.jsonl: line 4 (t3).claims[0]: duplicate key 'quote': {ONCE}",
    ),
    Case(
        "duplicate-key-spelled-with-an-escape-jsonl",
        "bad.jsonl",
        jsonl_with(2, '"page": "3"', '"page": "3", "p\\u0061ge": "4"'),
        f"bad.jsonl: line 2 (t1).claims[0].locator: duplicate key 'page': {ONCE}",
    ),
    Case(
        "duplicate-key-and-a-bad-value-jsonl",
        "bad.jsonl",
        jsonl_with(2, '"period": "2024"', '"period": "2024", "period": 2024'),
        f"bad.jsonl: line 2 (t1): duplicate key 'period': {ONCE}",
    ),
    # numbers that YAML 1.1 (PyYAML) and YAML 1.2 read differently
    Case(
        "octal-looking-quantity-yaml",
        "bad.yaml",
        up_to(b"0100"),
        ambiguous("0100", "the number 64", "the number 100", "write 100", QUANTITY),
    ),
    Case(
        "sexagesimal-quantity-yaml",
        "bad.yaml",
        up_to(b"1:30"),
        ambiguous("1:30", "the number 90", "text", DECIMAL, QUANTITY),
    ),
    Case(
        "long-sexagesimal-quantity-yaml",
        "bad.yaml",
        up_to(b"190:20:30"),
        ambiguous("190:20:30", "the number 685230", "text", DECIMAL, QUANTITY),
    ),
    Case(
        "underscored-quantity-yaml",
        "bad.yaml",
        up_to(b"1_000"),
        ambiguous("1_000", "the number 1000", "text", "write 1000", QUANTITY),
    ),
    Case(
        "yaml-1.2-octal-quantity-yaml",
        "bad.yaml",
        up_to(b"0o17"),
        f"bad.yaml: {QUANTITY}: {NINE}, got '0o17'",  # YAML 1.1 reads it as text
    ),
    Case(
        "binary-quantity-yaml",
        "bad.yaml",
        up_to(b"0b101"),
        ambiguous("0b101", "the number 5", "text", DECIMAL, QUANTITY),
    ),
    Case(
        "exponent-without-a-dot-yaml",
        "bad.yaml",
        up_to(b"1e5"),
        f"bad.yaml: {QUANTITY}: {NINE}, got '1e5'",  # YAML 1.1 reads it as text
    ),
    Case(
        "dotted-exponent-without-a-sign-yaml",
        "bad.yaml",
        up_to(b"1.5e3"),
        f"bad.yaml: {QUANTITY}: {NINE}, got '1.5e3'",  # YAML 1.1 reads it as text
    ),
    Case(
        "leading-zero-nine-yaml",
        "bad.yaml",
        up_to(b"09"),
        f"bad.yaml: {QUANTITY}: {NINE}, got '09'",  # YAML 1.1 reads it as text
    ),
    Case(
        "signed-hex-quantity-yaml",
        "bad.yaml",
        up_to(b"-0x10"),
        ambiguous("-0x10", "the number -16", "text", DECIMAL, QUANTITY),
    ),
    Case(
        "octal-looking-version-yaml",
        "bad.yaml",
        small(b"version: '1'", b"version: 0100"),
        ambiguous("0100", "the number 64", "the number 100", "write 100", "dataset.version", 4),
    ),
    Case(
        "sexagesimal-period-yaml",
        "bad.yaml",
        small(b"period: '2024'", b"period: 20:24"),
        ambiguous("20:24", "the number 1224", "text", DECIMAL, "transfers[0] (t1).period", 13),
    ),
    # invisible and bidirectional characters where text names something
    Case(
        "right-to-left-override-in-recipient-yaml",
        "bad.yaml",
        small(b"recipient: RUS", b'recipient: "\\u202eSUR"'),
        f"bad.yaml: transfers[0] (t1).recipient: {VISIBLE} U+202E (RIGHT-TO-LEFT OVERRIDE) at "
        "character 1: remove it",
    ),
    Case(
        "zero-width-space-in-supplier-json",
        "bad.json",
        json.dumps(base()).replace('"PRK"', '"PR\\u200bK"', 1).encode(),
        f"bad.json: transfers[0] (t1).supplier: {VISIBLE} U+200B (ZERO WIDTH SPACE) at "
        "character 3: remove it",
    ),
    Case(
        "isolate-in-author-state-jsonl-header",
        "bad.jsonl",
        jsonl_with(1, '"state": "Australia"', '"state": "\\u2066Australia\\u2069"'),
        f"bad.jsonl: line 1.sources[0] (s1).authors[1].state: {VISIBLE} U+2066 "
        "(LEFT-TO-RIGHT ISOLATE) at character 1: remove it",
    ),
    Case(
        "pop-isolate-in-period-jsonl",
        "bad.jsonl",
        jsonl_with(3, '"period": "2024-10/2024-12"', '"period": "2024-10/2024-12\\u2069"'),
        f"bad.jsonl: line 3 (t2).period: {VISIBLE} U+2069 (POP DIRECTIONAL ISOLATE) at "
        "character 16: remove it",
    ),
    Case(
        "right-to-left-mark-in-recipient-jsonl",
        "bad.jsonl",
        jsonl_with(2, '"recipient": "Russia"', '"recipient": "\\u200fRussia"'),
        f"bad.jsonl: line 2 (t1).recipient: {VISIBLE} U+200F (RIGHT-TO-LEFT MARK) at "
        "character 1: remove it",
    ),
    Case(
        "byte-order-mark-inside-title-yaml",
        "bad.yaml",
        small(b"title: Test dataset", b'title: "Test\\ufeffdataset"'),
        f"bad.yaml: dataset.title: {VISIBLE} U+FEFF (ZERO WIDTH NO-BREAK SPACE) at character "
        "5: remove it",
    ),
    Case(
        "right-to-left-embedding-in-version-yaml",
        "bad.yaml",
        small(b"version: '1'", b'version: "\\u202b1"'),
        f"bad.yaml: dataset.version: {VISIBLE} U+202B (RIGHT-TO-LEFT EMBEDDING) at character "
        "1: remove it",
    ),
    Case(
        "soft-hyphen-in-publisher-json",
        "bad.json",
        json_with('"kind": "report"', '"kind": "report", "publisher": "Re\\u00adport team"'),
        f"bad.json: sources[0] (s1).publisher: {VISIBLE} U+00AD (SOFT HYPHEN) at character "
        "3: remove it",
    ),
    Case(
        "zero-width-joiner-in-materiel-name-json",
        "bad.json",
        json_with('"name": "Test shell"', '"name": "Test\\u200dshell"'),
        f"bad.json: materiel_types[0] (test-shell).name: {VISIBLE} U+200D (ZERO WIDTH JOINER) "
        "at character 5: remove it",
    ),
    Case(
        "hangul-filler-as-organisation-json",
        "bad.json",
        json_with('"organisation": "Test team"', '"organisation": "\\u3164"'),
        f"bad.json: sources[0] (s1).authors[0].organisation: {VISIBLE} U+3164 (HANGUL FILLER) "
        "at character 1: remove it",
    ),
    Case(
        "terminal-escape-in-title-json",
        "bad.json",
        json_with('"title": "Test dataset"', '"title": "\\u001b[31mTest dataset"'),
        f"bad.json: dataset.title: {VISIBLE} U+001B (ESCAPE) at character 1: remove it",
    ),
    Case(
        "line-break-in-title-yaml",
        "bad.yaml",
        small(b"title: Test dataset", b'title: "Test\\ndataset"'),
        f"bad.yaml: dataset.title: {VISIBLE} U+000A (LINE FEED) at character 5: remove it",
    ),
    Case(
        "line-separator-in-unit-yaml",
        "bad.yaml",
        small(b"unit: personnel", b'unit: "person\\u2028nel"'),
        f"bad.yaml: transfers[0] (t1).claims[0].unit: {VISIBLE} U+2028 (LINE SEPARATOR) at "
        "character 7: remove it",
    ),
    Case(
        "tab-in-locator-page-jsonl",
        "bad.jsonl",
        jsonl_with(2, '"page": "3"', '"page": "3\\t4"'),
        f"bad.jsonl: line 2 (t1).claims[0].locator.page: {VISIBLE} U+0009 (TAB) at character "
        "2: remove it",
    ),
    Case(
        "arabic-letter-mark-in-supplier-yaml",
        "bad.yaml",
        small(b"supplier: PRK", b'supplier: "PRK\\u061c"'),
        f"bad.yaml: transfers[0] (t1).supplier: {VISIBLE} U+061C (ARABIC LETTER MARK) at "
        "character 4: remove it",
    ),
    Case(
        "right-to-left-isolate-in-source-title-yaml",
        "bad.yaml",
        small(b"    kind: report\n", b'    kind: report\n    title: "\\u2067Report"\n'),
        f"bad.yaml: sources[0] (s1).title: {VISIBLE} U+2067 (RIGHT-TO-LEFT ISOLATE) at "
        "character 1: remove it",
    ),
    Case(
        "word-joiner-in-url-json",
        "bad.json",
        json_with('"kind": "report"', '"kind": "report", "url": "https://example.org/\\u2060a"'),
        f"bad.json: sources[0] (s1).url: {VISIBLE} U+2060 (WORD JOINER) at character 21: remove it",
    ),
    Case(
        "delete-in-designation-json",
        "bad.json",
        json_with('"unit": "rounds"}]', '"unit": "rounds", "designation": "M\\u007f1"}]'),
        f"bad.json: materiel_types[0] (test-shell).designation: {VISIBLE} U+007F (DELETE) at "
        "character 2: remove it",
    ),
    Case(
        "left-to-right-override-in-supplier-jsonl",
        "bad.jsonl",
        jsonl_with(4, '"supplier": "RUS"', '"supplier": "\\u202dRUS"'),
        f"bad.jsonl: line 4 (t3).supplier: {VISIBLE} U+202D (LEFT-TO-RIGHT OVERRIDE) at "
        "character 1: remove it",
    ),
    # sections left empty
    Case(
        "transfers-left-empty-yaml",
        "bad.yaml",
        SMALL[: SMALL.index(b"transfers:")] + b"transfers:\n",
        "bad.yaml: transfers: expected a list of transfers, got nothing: write `transfers: []` "
        "for none",
    ),
    Case(
        "transfers-null-json",
        "bad.json",
        json.dumps(base() | {"transfers": None}).encode(),
        'bad.json: transfers: expected a list of transfers, got nothing: write `"transfers": '
        "[]` for none",
    ),
    Case(
        "sources-left-empty-yaml",
        "bad.yaml",
        small(b"sources:\n  - id: s1\n    kind: report\n", b"sources:\n"),
        "bad.yaml: sources: expected a list, got nothing: write [] for an empty list",
    ),
]

CASES: list[Case] = [
    # broken syntax
    Case("yaml-unclosed", "bad.yaml", b"dataset: [\n", "bad.yaml:2:1: invalid YAML: "),
    Case(
        "yaml-bad-indent",
        "bad.yaml",
        b"dataset:\n  id: d\n title: x\n",
        "bad.yaml:3:2: invalid YAML: did not find expected key",
    ),
    Case(
        "yaml-tab",
        "bad.yaml",
        b"dataset:\n\tid: d\n",
        "bad.yaml:2:1: invalid YAML: found character that cannot start any token",
    ),
    Case(
        "yaml-two-documents",
        "bad.yaml",
        b"dataset: {id: d}\n---\ndataset: {id: e}\n",
        "bad.yaml:2:1: invalid YAML: but found another document",
    ),
    Case(
        "yaml-unhashable-key",
        "bad.yaml",
        b"dataset: {id: d}\n? [a, b]\n: 1\n",
        "bad.yaml:2:3: invalid YAML: found unhashable key",
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
        "bad.yaml:9:14: invalid YAML: cannot read '2025-13-45' as !!timestamp: month must be in "
        "1..12",
    ),
    Case(
        "yaml-int-tag-on-text",
        "bad.yaml",
        b"dataset: {id: d, version: !!int one}\n",
        "bad.yaml:1:27: invalid YAML: cannot read 'one' as !!int: invalid literal",
    ),
    Case(
        "yaml-unknown-tag",
        "bad.yaml",
        b"dataset: !custom {id: d}\n",
        "bad.yaml:1:10: invalid YAML: could not determine a constructor for the tag '!custom'",
    ),
    Case(
        "json-truncated",
        "bad.json",
        json.dumps(base()).encode()[:-20],
        "bad.json:1:1104: invalid JSON: Expecting ':' delimiter",
    ),
    Case(
        "json-trailing-comma",
        "bad.json",
        b'{"dataset": {"id": "d"},}',
        "bad.json:1:25: invalid JSON: Expecting property name enclosed in double quotes",
    ),
    Case(
        "json-single-quotes",
        "bad.json",
        b"{'dataset': {}}",
        "bad.json:1:2: invalid JSON: Expecting property name enclosed in double quotes",
    ),
    Case(
        "json-raw-control-character",
        "bad.json",
        b'{"dataset": {"id": "a\x01"}}',
        "bad.json:1:22: invalid JSON: Invalid control character at",
    ),
    Case(
        "json-two-documents",
        "bad.json",
        b'{"dataset": {}}\n{"dataset": {}}\n',
        "bad.json:2:1: invalid JSON: Extra data",
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
        f"bad.yaml:31:14: invalid YAML: cannot read '{'9' * 37}...' as !!int: "
        "a number of more than 4300 digits",
    ),
    Case(
        "5000-digit-number-json",
        "bad.json",
        quantity_file("json", "9" * 5000),
        "bad.json:48:16: invalid JSON: a number of more than 4300 digits",
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
        "deep.json:1:202: nested more than 64 levels deep",
    ),
    Case(
        "100000-deep-object-json",
        "deep.json",
        lambda: b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "deep.json:1:1006: nested more than 64 levels deep",
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
        "deep.yaml:1: nested more than 64 levels deep",
    ),
    Case(
        "3000-deep-block-yaml",
        "deep.yaml",
        lambda: b"".join(b" " * i + b"- \n" for i in range(3000)),
        "deep.yaml:65: nested more than 64 levels deep",
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
        "tag.yaml:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ),
    Case(
        "tag-object-new-open",
        "tag.yaml",
        python_tag("object/new:builtins.open", '["@MARKER@", "w"]'),
        "tag.yaml:1: YAML tag 'tag:yaml.org,2002:python/object/new:builtins.open' is not allowed",
    ),
    Case(
        "tag-name",
        "tag.yaml",
        python_tag("name:os.system", "''"),
        "tag.yaml:1: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed",
    ),
    Case(
        "tag-object-in-a-transfer",
        "tag.yaml",
        text_of(base(), "yaml").replace(
            b"period: '2024'", b"period: !!python/object:pathlib.Path {}"
        ),
        "tag.yaml:27: YAML tag 'tag:yaml.org,2002:python/object:pathlib.Path' is not allowed",
    ),
    Case(
        "tag-through-a-handle",
        "tag.yaml",
        b"%TAG !p! tag:yaml.org,2002:python/\n---\ndataset: !p!object/apply:os.system "
        + TOUCH.encode()
        + b"\n",
        "tag.yaml:3: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ),
    Case(
        "tag-verbatim",
        "tag.yaml",
        b"dataset: !<tag:yaml.org,2002:python/object/apply:os.system> " + TOUCH.encode() + b"\n",
        "tag.yaml:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ),
    Case(
        "billion-laughs",
        "bomb.yaml",
        billion_laughs(),
        "bomb.yaml:2: YAML aliases (*a0) are not allowed in fixtures",
    ),
    Case(
        "merge-key-alias",
        "bomb.yaml",
        b"base: &b {id: d, title: D}\ndataset: {<<: *b, version: '1'}\n",
        "bomb.yaml:2: YAML aliases (*b) are not allowed in fixtures",
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
    *REWRITES,
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
#: (A key given twice at the top level is located by the key.)
WHOLE_FILE = (
    "line ",
    "offset ",
    "(at ",
    "the file ",
    "expected a mapping with the keys",
    "duplicate key ",
)


def located(error: SanctrackError, name: str) -> None:
    """Every issue names the file and where in it the problem is: a record or field, a
    line (and column), a byte offset, or the whole file (empty, not a mapping, a byte
    order mark)."""
    assert isinstance(error, FixtureError)
    for issue in error.errors:
        assert issue.file == name
        somewhere = issue.record or issue.field or issue.line is not None
        assert somewhere or any(w in issue.message for w in WHOLE_FILE), str(issue)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 154
    assert len(REWRITES) >= 54
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_the_small_fixtures_are_valid(tmp_path: Path, fmt: str) -> None:
    """SMALL and base() are valid as they stand: each case's error is the one change's."""
    (tmp_path / "small.yaml").write_bytes(SMALL)
    assert validate_fixture(tmp_path / "small.yaml") == 1
    assert validate_fixture(write(tmp_path / f"base.{fmt}", base())) == 3


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_file_is_refused_and_changes_nothing(
    bundled: tuple[Engine, dict[str, list[tuple[Any, ...]]]], tmp_path: Path, case: Case
) -> None:
    engine, before = bundled
    path, marker = materialise(case, tmp_path)
    with hang_guard(), Session(engine) as session, pytest.raises(SanctrackError) as caught:
        load_fixture(session, path)
    message = str(caught.value)
    assert case.expected in message or case.expected in unlined(message)
    located(caught.value, case.name)
    assert dump(engine) == before
    assert not marker.exists()

    if case.needs_database:
        assert validate_fixture(path) >= 0
        return
    with hang_guard(), pytest.raises(SanctrackError) as again:
        validate_fixture(path)
    assert type(again.value) is type(caught.value)
    assert case.expected in str(again.value) or case.expected in unlined(again.value)
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
