"""Shared helpers for the fixture tests: a small valid fixture, writers, a database dump."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, inspect, select

from sanctrack.models import metadata

ROOT = Path(__file__).resolve().parents[2]
MSMT = ROOT / "fixtures" / "msmt-2025-05-dprk-russia.yaml"
NATO = ROOT / "fixtures" / "nato-2024-10-28.yaml"
BUNDLED = (MSMT, NATO)

#: A small valid curated dataset; tests copy it and break one thing at a time.
BASE: dict[str, Any] = {
    "dataset": {"id": "test-ds", "title": "Test dataset", "version": "1"},
    "sources": [
        {
            "id": "s1",
            "kind": "report",
            "reliability": "B",
            "published": "2025-05-29",
            "authors": [{"organisation": "Test team"}, {"state": "Australia"}],
        },
        {"id": "s2", "kind": "news_article", "language": "it", "cites": "s1"},
    ],
    "materiel_types": [
        {
            "slug": "test-shell",
            "name": "Test shell",
            "category": "artillery-ammunition",
            "unit": "rounds",
        }
    ],
    "transfers": [
        {
            "id": "t1",
            "supplier": "PRK",
            "recipient": "Russia",
            "materiel": "artillery-ammunition",
            "period": "2024",
            "claims": [
                {
                    "source": "s2",
                    "quantity": {"up_to": 9000000},
                    "unit": "rounds",
                    "locator": {"page": "3"},
                    "credibility": 3,
                    "violates": ["unsc-1718-op8b"],
                }
            ],
        },
        {
            "id": "t2",
            "supplier": "PRK",
            "recipient": "RUS",
            "materiel": "troops",
            "period": "2024-10/2024-12",
            "status": "confirmed",
            "claims": [
                {"source": "s1", "quantity": {"between": [10000, 12000]}, "unit": "personnel"}
            ],
        },
        {
            "id": "t3",
            "supplier": "RUS",
            "recipient": "PRK",
            "materiel": "test-shell",
            "period": "2025-01~",
            "claims": [
                {"source": "s1", "quantity": {"about": 500}},
                {"source": "s2", "quote": "some shells"},
            ],
        },
    ],
}


def base() -> dict[str, Any]:
    """A fresh deep copy of BASE, safe to mutate."""
    return copy.deepcopy(BASE)


def write(path: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` as YAML, JSON or JSON Lines, chosen by the suffix of ``path``."""
    if path.suffix == ".jsonl":
        header = {k: v for k, v in data.items() if k != "transfers"}
        lines = [header, *data.get("transfers", [])]
        path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    elif path.suffix == ".json":
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _key(row: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, repr(value)) for value in row)


def dump(engine: Engine, exclude: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in sanctrack.models.metadata, sorted, by table name."""
    with engine.connect() as c:
        return {
            name: sorted((tuple(r) for r in c.execute(select(table))), key=_key)
            for name, table in sorted(metadata.tables.items())
            if name not in exclude
        }


def records(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """What the datasets hold, without surrogate ids or the load history: two databases
    loaded with the same data compare equal."""
    with engine.connect() as c:
        tables = metadata.tables
        keys = {
            r.id: (r.dataset_id, r.key)
            for r in c.execute(
                select(
                    tables["transfer"].c.id,
                    tables["transfer"].c.dataset_id,
                    tables["transfer"].c.key,
                )
            )
        }
        out: dict[str, list[tuple[Any, ...]]] = {}
        present = set(inspect(c).get_table_names())  # an earlier revision has fewer
        for name, table in sorted(tables.items()):
            if name in (
                "load_record",
                "estimated_transfer",
                "year_estimate",
                "unestimated_transfer",
                "year_rollup",
                "rolled_up_dataset",
            ):
                continue  # the load history, and estimates derived from the rest
            if name not in present:
                continue
            rows = []
            for row in c.execute(select(table)).mappings():
                values = dict(row)
                if name in ("transfer", "claim", "violation", "transfer_link"):
                    values.pop("id")
                if "transfer_id" in values:
                    values["transfer_id"] = keys[values["transfer_id"]]
                rows.append(tuple(sorted(values.items())))
            out[name] = sorted(rows, key=_key)
        return out


_LINE = re.compile(r"^(\S+?\.(?:yaml|yml|json)):\d+(?::\d+)?: ", re.MULTILINE)


def unlined(issue: object) -> str:
    """An issue (or an error's text) as shown, without the line (and column) after the
    file's name: for the tests about what is reported, not where (tests/test_fixture_lines.py
    checks the lines)."""
    return _LINE.sub(r"\1: ", str(issue))
