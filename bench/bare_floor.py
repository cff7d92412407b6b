"""The bare floor of a bulk load (issue 11): json.loads of every line, and the raw fields
written into one table with no constraint and no index; nothing parsed, nothing checked.

    python bench/bare_floor.py FIXTURE.jsonl sqlite:///PATH | postgresql://...

SQLite: executemany in batches, one transaction. PostgreSQL: COPY (psycopg) into a new
table of a database that the caller made. Prints one JSON line: seconds and peak RSS.
A loader can be no faster than this; bench_load.py prints sanctrack's time over it.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from floor import peak_rss_mb, sqlite_path

COLUMNS = (
    "key",
    "supplier",
    "recipient",
    "materiel",
    "period",
    "status",
    "source",
    "qualifier",
    "quantity",
    "unit",
    "credibility",
    "page",
    "paragraph",
    "quote",
)
BATCH = 10_000


def raw_rows(fixture: Path) -> Iterator[tuple[Any, ...]]:
    """One row per claim: the transfer's and the claim's fields as the JSON gives them."""
    with fixture.open(encoding="utf-8") as lines:
        next(lines)  # the header
        for line in lines:
            t = json.loads(line)
            for c in t["claims"]:
                locator = c.get("locator") or {}
                yield (
                    t["id"],
                    t["supplier"],
                    t["recipient"],
                    t["materiel"],
                    t["period"],
                    t.get("status"),
                    c["source"],
                    *next(iter((c.get("quantity") or {"unquantified": None}).items())),
                    c.get("unit"),
                    c.get("credibility"),
                    locator.get("page"),
                    locator.get("paragraph"),
                    c.get("quote"),
                )


def _sqlite(fixture: Path, path: str) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(f"CREATE TABLE bare ({', '.join(COLUMNS)})")
    insert = f"INSERT INTO bare VALUES ({', '.join('?' * len(COLUMNS))})"
    connection.execute("BEGIN")
    batch: list[tuple[Any, ...]] = []
    for row in raw_rows(fixture):
        batch.append(tuple(json.dumps(v) if isinstance(v, list) else v for v in row))
        if len(batch) >= BATCH:
            connection.executemany(insert, batch)
            batch.clear()
    connection.executemany(insert, batch)
    connection.execute("COMMIT")
    connection.close()


def _postgres(fixture: Path, url: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        connection.execute(f"CREATE TABLE bare ({', '.join(f'{c} text' for c in COLUMNS)})")
        with connection.cursor().copy(f"COPY bare ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in raw_rows(fixture):
                copy.write_row([None if v is None else str(v) for v in row])


def main(argv: list[str]) -> int:
    fixture, url = Path(argv[0]), argv[1]
    started = time.perf_counter()
    if url.startswith("postgresql"):
        _postgres(fixture, url)
    else:
        _sqlite(fixture, sqlite_path(url))
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_rss_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
