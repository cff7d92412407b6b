"""The floor of the bulk-load benchmark: the least work that stores a JSON Lines fixture.

The same file, parsed with ``json.loads`` and inserted with sqlite3 ``executemany`` into the
tables ``sanctrack.connect`` created, in one transaction, with the same column values that
sanctrack stores. No validation, no state-name resolution, no unit checks: only what any
loader has to do. The dataset and sources of the header are inserted first, untimed.

Usage: ``python bench/floor.py FIXTURE.jsonl DATABASE [--batch N] [--json]`` where DATABASE
is a ``sqlite:///`` URL or a path of a database already created by ``sanctrack.connect``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sanctrack.fixture.chains import resolve
from sanctrack.fixture.schema import published_span
from sanctrack.periods import parse_period


def cited(source: dict[str, Any]) -> tuple[str, ...]:
    """The ids a fixture source cites (one id, or a list of them)."""
    value = source.get("cites")
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


BATCH = 50_000

TRANSFER_COLUMNS = (
    "id",
    "key",
    "dataset_id",
    "supplier_code",
    "recipient_code",
    "materiel_slug",
    "period",
    "period_start",
    "start_precision",
    "period_end",
    "end_precision",
    "status",
    "description",
)
CLAIM_COLUMNS = (
    "transfer_id",
    "source_id",
    "qualifier",
    "low",
    "best",
    "high",
    "unit_slug",
    "page",
    "paragraph",
    "figure",
    "credibility",
    "quote",
    "position",
    "window_start",
    "window_end",
)

_QUOTED_TRANSFER_COLUMNS = ", ".join('"' + column + '"' for column in TRANSFER_COLUMNS)
INSERT_TRANSFER = (
    f"INSERT INTO transfer ({_QUOTED_TRANSFER_COLUMNS}) "
    f"VALUES ({', '.join('?' * len(TRANSFER_COLUMNS))})"
)
INSERT_CLAIM = (
    f"INSERT INTO claim ({', '.join(CLAIM_COLUMNS)}) VALUES ({', '.join('?' * len(CLAIM_COLUMNS))})"
)

Quantity = tuple[str, int | None, int | None, int | None]


@dataclass
class FloorResult:
    seconds: float
    transfers: int
    claims: int
    peak_rss_mb: float


def sqlite_path(database: str) -> str:
    """The file path of a ``sqlite:///`` URL, or ``database`` itself if it is a path."""
    if database.startswith("sqlite:///"):
        return database.removeprefix("sqlite:///")
    if "://" in database:
        raise ValueError(f"the floor runs on SQLite only, not {database!r}")
    return database


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (VmHWM, else ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quantity_bounds(quantity: dict[str, Any] | None) -> Quantity:
    """(qualifier, low, best, high) as in the table of fixtures/README.md."""
    if quantity is None:
        return ("unquantified", None, None, None)
    if "exact" in quantity:
        n = quantity["exact"]
        return ("exact", n, n, n)
    if "about" in quantity:
        return ("about", None, quantity["about"], None)
    if "at_least" in quantity:
        n = quantity["at_least"]
        return ("at_least", n, n, None)
    if "more_than" in quantity:
        n = quantity["more_than"]
        return ("more_than", n, n, None)
    if "up_to" in quantity:
        n = quantity["up_to"]
        return ("up_to", None, n, n)
    low, high = quantity["between"]
    return ("between", low, quantity.get("best"), high)


def insert_header(database: str, fixture: str | Path) -> dict[str, str]:
    """Insert the header's dataset, sources and materiel types (untimed setup).

    Returns the default unit of every materiel type, which sanctrack stores on a claim
    that gives no unit.
    """
    with open(fixture, encoding="utf-8") as lines:
        header: dict[str, Any] = json.loads(lines.readline())
    dataset = header["dataset"]
    connection = sqlite3.connect(sqlite_path(database))
    try:
        with connection:
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute(
                "INSERT INTO dataset (id, title, version, description) VALUES (?, ?, ?, ?)",
                (dataset["id"], dataset["title"], dataset["version"], dataset.get("description")),
            )
            sources = header["sources"]
            cites = {s["id"]: cited(s) for s in sources}
            chains = resolve({s["id"]: s.get("reliability", "F") for s in sources}, cites)
            connection.executemany(
                "INSERT INTO source (id, publisher, title, published, published_first, "
                "published_last, kind, language, url, reliability, effective_reliability, "
                "root_id, dataset_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        s["id"],
                        s.get("publisher"),
                        s.get("title"),
                        s.get("published"),
                        *(str(d) if d else None for d in published_span(s.get("published"))),
                        s["kind"],
                        s.get("language"),
                        s.get("url"),
                        s.get("reliability", "F"),
                        chains[s["id"]].effective,
                        chains[s["id"]].root,
                        dataset["id"],
                    )
                    for s in sources
                ],
            )
            connection.executemany(
                "INSERT INTO source_cite (source_id, position, cited_id) VALUES (?, ?, ?)",
                [(i, n, c) for i, listed in cites.items() for n, c in enumerate(listed)],
            )
            connection.executemany(
                "INSERT INTO source_root (source_id, root_id) VALUES (?, ?)",
                [(i, r) for i, chain in chains.items() for r in sorted(chain.roots)],
            )
            connection.executemany(
                "INSERT INTO materiel_type (slug, name, designation, category_slug, "
                "default_unit_slug, dataset_id) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        m["slug"],
                        m["name"],
                        m.get("designation"),
                        m["category"],
                        m["unit"],
                        dataset["id"],
                    )
                    for m in header.get("materiel_types", [])
                ],
            )
            default_units = dict(
                connection.execute("SELECT slug, default_unit_slug FROM materiel_type")
            )
    finally:
        connection.close()
    return default_units


def _rows(
    lines: Iterable[str], dataset_id: str, first_id: int, default_units: dict[str, str]
) -> Iterable[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    transfer_id = first_id
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        period = parse_period(record["period"])
        start, end = period.start, period.end
        transfer = (
            transfer_id,
            record["id"],
            dataset_id,
            record["supplier"],
            record["recipient"],
            record["materiel"],
            period.text,
            start.first.isoformat() if start else None,
            start.precision if start else None,
            end.last.isoformat() if end else None,
            end.precision if end else None,
            record.get("status", "reported"),
            record.get("description"),
        )
        claims = []
        default_unit = default_units[record["materiel"]]
        for position, claim in enumerate(record["claims"]):
            # bench/generate.py writes flows over the transfer's period only
            assert "measure" not in claim and "period" not in claim
            locator = claim.get("locator") or {}
            claims.append(
                (
                    transfer_id,
                    claim["source"],
                    *quantity_bounds(claim.get("quantity")),
                    claim.get("unit") or default_unit,
                    locator.get("page"),
                    locator.get("paragraph"),
                    locator.get("figure"),
                    claim.get("credibility", 6),
                    claim.get("quote"),
                    position,
                    transfer[7],
                    transfer[9],
                )
            )
        yield transfer, claims
        transfer_id += 1


def load_floor(
    database: str, fixture: str | Path, default_units: dict[str, str], batch: int = BATCH
) -> tuple[float, int, int]:
    """Timed: load every transfer line of ``fixture``; return (seconds, transfers, claims).

    Run :func:`insert_header` first; it returns ``default_units``. The connection gets the
    settings sanctrack's engine gives its SQLite connections (foreign keys on, synchronous
    NORMAL; the file is in WAL).
    """
    started = time.perf_counter()
    connection = sqlite3.connect(sqlite_path(database), isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA synchronous=NORMAL")
        with open(fixture, encoding="utf-8") as lines:
            dataset_id = json.loads(lines.readline())["dataset"]["id"]
            connection.execute("BEGIN")
            first_id = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM transfer")
            transfer_rows: list[tuple[Any, ...]] = []
            claim_rows: list[tuple[Any, ...]] = []
            transfers = claims = 0
            for transfer, its_claims in _rows(
                lines, dataset_id, first_id.fetchone()[0], default_units
            ):
                transfer_rows.append(transfer)
                claim_rows.extend(its_claims)
                if len(transfer_rows) >= batch:
                    connection.executemany(INSERT_TRANSFER, transfer_rows)
                    connection.executemany(INSERT_CLAIM, claim_rows)
                    transfers += len(transfer_rows)
                    claims += len(claim_rows)
                    transfer_rows.clear()
                    claim_rows.clear()
            connection.executemany(INSERT_TRANSFER, transfer_rows)
            connection.executemany(INSERT_CLAIM, claim_rows)
            transfers += len(transfer_rows)
            claims += len(claim_rows)
            connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()
    return time.perf_counter() - started, transfers, claims


def run(database: str, fixture: str | Path, batch: int = BATCH) -> FloorResult:
    """Insert the header (untimed), then time the floor load."""
    default_units = insert_header(database, fixture)
    seconds, transfers, claims = load_floor(database, fixture, default_units, batch)
    return FloorResult(seconds, transfers, claims, peak_rss_mb())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("fixture", type=Path)
    parser.add_argument("database", help="sqlite:///PATH or PATH, created by sanctrack.connect")
    parser.add_argument("--batch", type=int, default=BATCH, help="rows per executemany")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = run(args.database, args.fixture, args.batch)
    if args.json:
        print(json.dumps(asdict(result)))
    else:
        print(
            f"floor: {result.transfers:,} transfers, {result.claims:,} claims "
            f"in {result.seconds:.2f} s; peak RSS {result.peak_rss_mb:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
