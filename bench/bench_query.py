"""Benchmark: transfers_by_year_and_category vs a hand-written SQL GROUP BY.

    python bench/bench_query.py [--n 1000000] [--db /tmp/bench_query.db] [--runs 3]

Builds (once) a SQLite database of N transfers with 1-3 claims each in two datasets
(inserted directly with sqlite3, fast), then times the helper with its default arguments
(caveats included) and one hand-written SQL string computing the same rows
(most_reliable claim by window functions, prorate year split, top-level categories,
sources count), alternating runs; checks that both give the same rows.
Prints both best times and their ratio (target: at most 1.2).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session

import sanctrack
from sanctrack.queries import transfers_by_year_and_category

MATERIELS = [
    "artillery-ammunition",
    "troops",
    "ballistic-missiles",
    "refined-petroleum",
    "technology",
]
UNITS = {
    "artillery-ammunition": "rounds",
    "troops": "personnel",
    "ballistic-missiles": "missiles",
    "refined-petroleum": "barrels",
    "technology": "items",
}
STATES = ["PRK", "RUS", "IRN", "CHN", "SYR"]
SOURCES = [
    (f"src-{i}", "ABCDEF"[i % 6], date(2020, 1, 1) + timedelta(days=37 * i)) for i in range(40)
]


def build(path: Path, n: int, seed: int = 1) -> None:
    sanctrack.connect(f"sqlite:///{path}").dispose()
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    for ds in ("bench-a", "bench-b"):
        db.execute("INSERT INTO dataset (id, title, version) VALUES (?, ?, '1')", (ds, ds))
    db.executemany(
        "INSERT INTO source (id, kind, reliability, published, dataset_id) "
        "VALUES (?, 'report', ?, ?, 'bench-a')",
        [(s, r, p.isoformat()) for s, r, p in SOURCES],
    )
    transfers, claims = [], []
    for i in range(1, n + 1):
        start = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 7 * 365))
        end = start + timedelta(days=rng.choice([0, 30, 200, 500, 900]))
        materiel = rng.choice(MATERIELS)
        supplier, recipient = rng.sample(STATES, 2)
        transfers.append(
            (
                i,
                f"t{i}",
                f"{start}/{end}",
                start.isoformat(),
                "day",
                end.isoformat(),
                "day",
                "reported",
                rng.choice(("bench-a", "bench-b")),
                supplier,
                recipient,
                materiel,
            )
        )
        for src in rng.sample(SOURCES, rng.choice([1, 1, 2, 3])):
            q = rng.randrange(0, 10**6)
            form = rng.choice(["exact", "about", "at_least", "up_to", "between", "unquantified"])
            low, best, high = {
                "exact": (q, q, q),
                "about": (None, q, None),
                "at_least": (q, q, None),
                "up_to": (None, q, q),
                "between": (q, None, 2 * q),
                "unquantified": (None, None, None),
            }[form]
            claims.append((i, src[0], form, low, best, high, UNITS[materiel], 3))
    db.executemany(
        "INSERT INTO transfer (id, key, period, period_start, start_precision, period_end, "
        "end_precision, status, dataset_id, supplier_code, recipient_code, materiel_slug) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        transfers,
    )
    db.executemany(
        "INSERT INTO claim (transfer_id, source_id, qualifier, low, best, high, unit_slug, "
        "credibility) VALUES (?,?,?,?,?,?,?,?)",
        claims,
    )
    db.commit()
    db.execute("ANALYZE")
    db.close()


HAND_SQL = """
WITH RECURSIVE roots(slug, root) AS (
  SELECT slug, slug FROM category WHERE parent_slug IS NULL
  UNION ALL SELECT c.slug, r.root FROM category c JOIN roots r ON c.parent_slug = r.slug),
ft AS (
  SELECT t.id AS tid, r.root AS category,
         CAST(substr(COALESCE(t.period_start, t.period_end), 1, 4) AS INTEGER) AS sy,
         CAST(substr(COALESCE(t.period_end, t.period_start), 1, 4) AS INTEGER) AS ey,
         CAST(julianday(COALESCE(t.period_start, t.period_end)) - 1721425.5 AS INTEGER) AS s,
         CAST(julianday(COALESCE(t.period_end, t.period_start)) - 1721425.5 AS INTEGER) AS e
  FROM transfer t JOIN materiel_type m ON m.slug = t.materiel_slug
  JOIN roots r ON r.slug = m.category_slug),
rc AS (
  SELECT ft.*, c.source_id,
         FIRST_VALUE(c.unit_slug) OVER w AS unit,
         FIRST_VALUE(COALESCE(c.low, 0)) OVER w AS low,
         FIRST_VALUE(COALESCE(c.best, c.low, 0)) OVER w AS best,
         FIRST_VALUE(c.high) OVER w AS high,
         FIRST_VALUE(CASE WHEN c.qualifier = 'unquantified' THEN 1 ELSE 0 END) OVER w AS unq,
         ROW_NUMBER() OVER w AS rn
  FROM ft JOIN claim c ON c.transfer_id = ft.tid JOIN source so ON so.id = c.source_id
  WINDOW w AS (PARTITION BY c.transfer_id
               ORDER BY so.reliability, so.published DESC NULLS LAST, c.source_id)),
years(y) AS (SELECT (SELECT MIN(sy) FROM rc) UNION ALL
             SELECT y + 1 FROM years WHERE y < (SELECT MAX(ey) FROM rc)),
sp AS (
  SELECT rc.*, y, e - s + 1 AS d,
    CASE WHEN (365*(y-1) + (y-1)/4 - (y-1)/100 + (y-1)/400) > s
         THEN (365*(y-1) + (y-1)/4 - (y-1)/100 + (y-1)/400) - s ELSE 0 END AS c0,
    CASE WHEN (365*y + y/4 - y/100 + y/400) <= e
         THEN (365*y + y/4 - y/100 + y/400) - s ELSE e - s + 1 END AS c1
  FROM rc JOIN years ON y BETWEEN sy AND ey),
sv AS (
  SELECT y, category, unit, unq, rn, source_id, high IS NULL AS unb,
    (low/d)*(c1-c0) + ((low%d)*c1)/d - ((low%d)*c0)/d AS lo,
    ((best-low)/d)*(c1-c0) + (((best-low)%d)*c1)/d - (((best-low)%d)*c0)/d AS bl,
    ((high-best)/d)*(c1-c0) + (((high-best)%d)*c1)/d - (((high-best)%d)*c0)/d AS hb
  FROM sp)
SELECT y, category, unit,
  SUM(CASE WHEN rn = 1 THEN lo END),
  SUM(CASE WHEN rn = 1 THEN lo + bl END),
  CASE WHEN MAX(CASE WHEN rn = 1 AND unb THEN 1 ELSE 0 END) = 1 THEN NULL
       ELSE SUM(CASE WHEN rn = 1 THEN lo + bl + hb END) END,
  SUM(CASE WHEN rn = 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN rn = 1 THEN unq ELSE 0 END),
  COUNT(DISTINCT source_id)
FROM sv
GROUP BY y, category, unit
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench_query.db"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.db.exists():
        t0 = time.perf_counter()
        build(args.db, args.n)
        print(f"built {args.db} ({args.n:,} transfers) in {time.perf_counter() - t0:.1f}s")
    engine = sanctrack.connect(f"sqlite:///{args.db}")
    helper_times, hand_times = [], []
    with Session(engine) as session:
        for _ in range(args.runs):
            t0 = time.perf_counter()
            result = transfers_by_year_and_category(session)
            helper_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            hand = session.connection().exec_driver_sql(HAND_SQL).all()
            hand_times.append(time.perf_counter() - t0)
        got = sorted(
            (
                r.year,
                r.category,
                r.unit,
                r.low,
                r.best,
                r.high,
                r.transfers,
                r.unquantified,
                r.sources,
            )
            for r in result
        )
        assert got == sorted(tuple(r) for r in hand), "the two queries disagree"
    engine.dispose()
    helper, manual = min(helper_times), min(hand_times)
    print(f"rows: {len(result)}  caveats: {len(result.caveats)}")
    print(
        f"transfers_by_year_and_category: {helper:.3f}s  (runs: "
        f"{', '.join(f'{t:.3f}' for t in helper_times)})"
    )
    print(
        f"hand-written SQL GROUP BY:      {manual:.3f}s  (runs: "
        f"{', '.join(f'{t:.3f}' for t in hand_times)})"
    )
    print(f"ratio: {helper / manual:.2f} (target <= 1.20)")


if __name__ == "__main__":
    main()
