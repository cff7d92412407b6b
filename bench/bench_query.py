"""Benchmark: transfers_by_year_and_category vs a hand-written SQL GROUP BY.

    python bench/bench_query.py [--n 1000000] [--runs 3] [--rebuild]

The database is the bulk-load benchmark's, loaded by sanctrack as a user would: bench/
generate.py writes bench/out/bench-<N>.jsonl (N transfers, one claim each, dataset
bench-1m) and ``sanctrack.load_fixture`` loads it into bench/out/query-<N>.db, cached
there (and upgraded to the current schema by ``sanctrack.connect``). A second, small
dataset (OVERLAP transfers drawn the same way, from other sources) is loaded too, so
that the overlap caveats have something to find.

Then, alternating runs, it times the helper called with its defaults (caveats included,
exactly as a user calls it) and one hand-written SQL string computing the same rows for
this data, where every transfer has one claim over its period (so that the estimate of a
year is: the claim's low when the year holds the whole period, else 0; its high; its best
prorated by days; top-level categories; sources count; one row per year, supplier,
recipient, category and unit), and checks that both give the same rows. Prints both
best times and their ratio (the target: at most 1.2). The helper reads the estimates
that the load stored (sanctrack.queries.stored); it is also timed with them set aside
(``--unstored``: every transfer estimated from its claims, as before they were stored),
and against a plain GROUP BY year x supplier x recipient x materiel x unit over the raw
rows, the floor of any aggregate.
Times are CPU times of this process (SQLite runs in it), which a busy shared machine
disturbs far less than wall-clock time.

Issue 11's targets, printed with their ratios: the helper at most 1.0x the plain GROUP BY,
and within 5x DuckDB (``pip install duckdb``; the ``bench`` extra) grouping the same
materialised year rows (the stored estimates, copied into DuckDB once, untimed; DuckDB's
threads count in this process's CPU time). With ``--postgres URL`` (a server such as
postgresql://postgres@127.0.0.1:5432/postgres) the same two datasets are loaded into a new
database there, the helper and the plain GROUP BY (the same five keys as on SQLite; also a
coarser one without the parties, printed for comparison) are timed on it (wall-clock: the
server does the work), and the database is dropped (``--postgres-keep NAME``: loaded into NAME
once and kept for the next runs; ``--postgres-only``: without the SQLite runs).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from pathlib import Path

from generate import DEFAULT_N, SOURCES, generate, transfer
from sqlalchemy import text
from sqlmodel import Session

import sanctrack
from sanctrack.queries import QueryResult, transfers_by_year_and_category
from sanctrack.queries.stored import forget_estimates

OUT = Path(__file__).resolve().parent / "out"
OVERLAP = 1_000
OVERLAP_DATASET = "bench-overlap"


def overlap_fixture(path: Path, n: int = OVERLAP, seed: int = 7) -> Path:
    """A small second dataset: ``n`` transfers like the generator's, from its own sources."""
    rng = random.Random(seed)
    sources = [dict(s, id=f"overlap-{s['id']}") for s in SOURCES]
    for s in sources:
        if "cites" in s:
            s["cites"] = f"overlap-{s['cites']}"
    header = {
        "dataset": {"id": OVERLAP_DATASET, "title": "Overlap benchmark", "version": "1"},
        "sources": sources,
        "materiel_types": [],
    }
    lines = [json.dumps(header)]
    for number in range(1, n + 1):
        record = transfer(rng, number)
        for claim in record["claims"]:
            claim["source"] = f"overlap-{claim['source']}"
        lines.append(json.dumps(record))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def database(n: int, rebuild: bool) -> Path:
    """bench/out/query-<n>.db, built once with generate.py and sanctrack.load_fixture."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"query-{n}.db"
    if path.exists() and not rebuild:
        return path
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    fixture = OUT / f"bench-{n}.jsonl"
    if not fixture.exists():
        generate(fixture, n)
    small = overlap_fixture(OUT / f"overlap-{OVERLAP}.jsonl")
    building = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    engine = sanctrack.connect(f"sqlite:///{building}")
    with Session(engine) as session:
        for loaded in (fixture, small):
            print(f"loading {loaded.name}: {sanctrack.load_fixture(session, loaded)}")
    engine.dispose()
    building.replace(path)
    print(f"built {path} in {time.perf_counter() - started:.1f}s")
    return path


HAND_SQL = """
WITH RECURSIVE roots(slug, root) AS (
  SELECT slug, slug FROM category WHERE parent_slug IS NULL
  UNION ALL SELECT c.slug, r.root FROM category c JOIN roots r ON c.parent_slug = r.slug),
ft AS (
  SELECT t.id AS tid, t.supplier_code AS supplier, t.recipient_code AS recipient,
         r.root AS category,
         t.period_start IS NOT NULL AND t.period_end IS NOT NULL AS closed,
         CAST(substr(COALESCE(t.period_start, t.period_end), 1, 4) AS INTEGER) AS sy,
         CAST(substr(COALESCE(t.period_end, t.period_start), 1, 4) AS INTEGER) AS ey,
         CAST(julianday(COALESCE(t.period_start, t.period_end)) - 1721425.5 AS INTEGER) AS s,
         CAST(julianday(COALESCE(t.period_end, t.period_start)) - 1721425.5 AS INTEGER) AS e
  FROM transfer t JOIN materiel_type m ON m.slug = t.materiel_slug
  JOIN roots r ON r.slug = m.category_slug
  WHERE t.status NOT IN ('pledged', 'planned')),
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
               ORDER BY c.qualifier = 'unquantified', so.effective_reliability,
                        so.published_last DESC NULLS LAST, so.published_first DESC,
                        c.source_id)),
years(y) AS (SELECT (SELECT MIN(sy) FROM rc) UNION ALL
             SELECT y + 1 FROM years WHERE y < (SELECT MAX(ey) FROM rc)),
sp AS (
  SELECT rc.*, y, e - s + 1 AS d, closed AND sy = ey AS whole,
    CASE WHEN (365*(y-1) + (y-1)/4 - (y-1)/100 + (y-1)/400) > s
         THEN (365*(y-1) + (y-1)/4 - (y-1)/100 + (y-1)/400) - s ELSE 0 END AS c0,
    CASE WHEN (365*y + y/4 - y/100 + y/400) <= e
         THEN (365*y + y/4 - y/100 + y/400) - s ELSE e - s + 1 END AS c1
  FROM rc JOIN years ON y BETWEEN sy AND ey),
sv AS (
  SELECT y, supplier, recipient, category, unit, unq, rn, source_id, whole, high,
    CASE WHEN unq = 1 THEN 0 WHEN whole THEN low ELSE 0 END AS lo,
    CASE WHEN unq = 1 THEN 0 WHEN NOT closed THEN best
         ELSE (best/d)*(c1-c0) + ((best%d)*c1)/d - ((best%d)*c0)/d END AS be
  FROM sp)
SELECT y, supplier, recipient, category, unit,
  SUM(CASE WHEN rn = 1 THEN lo END),
  SUM(CASE WHEN rn = 1 THEN be END),
  CASE WHEN MAX(CASE WHEN rn = 1 AND (high IS NULL OR unq = 1) THEN 1 ELSE 0 END) = 1 THEN NULL
       ELSE SUM(CASE WHEN rn = 1 THEN high END) END,
  SUM(CASE WHEN rn = 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN rn = 1 THEN unq ELSE 0 END),
  SUM(CASE WHEN rn = 1 AND unq = 0 AND NOT whole THEN 1 ELSE 0 END),
  0,
  COUNT(DISTINCT source_id)
FROM sv
GROUP BY y, supplier, recipient, category, unit
"""


PLAIN_SQL = """
SELECT CAST(substr(t.period_start, 1, 4) AS INTEGER) AS y, t.supplier_code, t.recipient_code,
       t.materiel_slug, c.unit_slug, SUM(c.low), SUM(c.best), SUM(c.high), COUNT(*)
FROM transfer t JOIN claim c ON c.transfer_id = t.id
GROUP BY 1, 2, 3, 4, 5
"""


def timed(runs: int, call: Callable[[], object]) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.process_time()
        result = call()
        times.append(time.process_time() - t0)
    return times, result


def shown(times: list[float]) -> str:
    return f"{min(times):.3f}s CPU  (runs: {', '.join(f'{t:.3f}' for t in times)})"


DUCKDB_SQL = """
SELECT y.year, y.supplier_code, y.recipient_code, m.root, y.unit_slug,
       STRING_AGG(DISTINCT y.source_id, ','), SUM(low), SUM(best),
       CASE WHEN MAX(CASE WHEN high IS NULL THEN 1 ELSE 0 END) = 1 THEN NULL ELSE SUM(high) END,
       COUNT(*), SUM(unquantified), SUM(allocated)
FROM years y JOIN roots m ON m.slug = y.materiel_slug
WHERE y.status NOT IN ('pledged', 'planned')
GROUP BY 1, 2, 3, 4, 5
"""
ROOTS_SQL = """
WITH RECURSIVE roots(slug, root) AS (
  SELECT slug, slug FROM category WHERE parent_slug IS NULL
  UNION ALL SELECT c.slug, r.root FROM category c JOIN roots r ON c.parent_slug = r.slug)
SELECT m.slug, r.root FROM materiel_type m JOIN roots r ON r.slug = m.category_slug
"""


def duckdb_times(session: Session, runs: int) -> list[float] | None:
    """DuckDB grouping the stored year rows (copied into it once), or None without duckdb."""
    try:
        import duckdb
    except ImportError:
        print("duckdb is not installed (pip install duckdb): no DuckDB comparison")
        return None
    import pyarrow as pa

    connection = session.connection()
    columns = ["year", "materiel_slug", "unit_slug", "supplier_code", "recipient_code"]
    columns += ["source_id", "status"]
    columns += ["low", "best", "high", "unquantified", "allocated"]
    rows = connection.exec_driver_sql(f"SELECT {', '.join(columns)} FROM year_estimate").all()
    years = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
    roots_rows = connection.exec_driver_sql(ROOTS_SQL).all()
    roots = pa.table({"slug": [r[0] for r in roots_rows], "root": [r[1] for r in roots_rows]})
    duck = duckdb.connect()
    duck.register("years_arrow", years)
    duck.register("roots_arrow", roots)
    duck.execute("CREATE TABLE years AS SELECT * FROM years_arrow")
    duck.execute("CREATE TABLE roots AS SELECT * FROM roots_arrow")
    times, _ = timed(runs, lambda: duck.execute(DUCKDB_SQL).fetchall())
    duck.close()
    return times


def postgres_ratio(server_url: str, n: int, runs: int, keep: str | None = None) -> None:
    """The helper and the plain GROUP BY on PostgreSQL, over the same two datasets, in a
    throwaway database (``keep``: in the database of that name, loaded if it holds no
    transfers yet and kept, so that later runs skip the load)."""
    import statistics
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    server = make_url(server_url).set(drivername="postgresql+psycopg")
    name = keep or f"bench_query_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        exists = c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists.first() is None:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        engine = sanctrack.connect(url)
        with Session(engine) as session:
            loaded = session.connection().exec_driver_sql("SELECT count(*) FROM transfer")
            if loaded.scalar_one() == 0:
                if not (OUT / f"bench-{n}.jsonl").exists():
                    generate(OUT / f"bench-{n}.jsonl", n)
                if not (OUT / f"overlap-{OVERLAP}.jsonl").exists():
                    overlap_fixture(OUT / f"overlap-{OVERLAP}.jsonl")
                started = time.perf_counter()
                for path in (OUT / f"bench-{n}.jsonl", OUT / f"overlap-{OVERLAP}.jsonl"):
                    sanctrack.load_fixture(session, path)
                print(f"postgresql: loaded in {time.perf_counter() - started:.1f}s")
            else:
                print(f"postgresql: reusing the loaded database {name}")
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM ANALYZE")  # as a server's autovacuum would, soon
        helper: list[float] = []
        floors: dict[str, list[float]] = {"plain": [], "coarse": []}
        with Session(engine) as session:
            for _ in range(runs):  # alternating, so that load drifts hit all alike
                t0 = time.perf_counter()
                transfers_by_year_and_category(session)
                helper.append(time.perf_counter() - t0)
                session.commit()
                for name, sql in (("plain", PLAIN_PG_SQL), ("coarse", COARSE_PG_SQL)):
                    t0 = time.perf_counter()
                    session.connection().exec_driver_sql(sql).all()
                    floors[name].append(time.perf_counter() - t0)
                    session.commit()
        engine.dispose()
        print(f"postgresql helper:         {min(helper):.3f}s wall (runs: {_runs(helper)})")
        for name, label, target in (
            ("plain", "plain GROUP BY", "target <= 1.00"),
            ("coarse", "coarser GROUP BY", "for comparison"),
        ):
            times = floors[name]
            ratios = [h / p for h, p in zip(helper, times, strict=True)]
            print(f"postgresql {label + ':':18s} {min(times):.3f}s wall (runs: {_runs(times)})")
            print(
                f"postgresql ratio to the {label}: {min(helper) / min(times):.2f} "
                f"(best/best; per run: min {min(ratios):.2f}, median "
                f"{statistics.median(ratios):.2f}; {target})"
            )
    finally:
        if keep is None:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


#: PLAIN_SQL on PostgreSQL: the same five keys, the grain of the helper's rows (each is of
#: one supplier and one recipient), which issue 11's target compares against. Its sums are cast
#: to BIGINT, as the helper's are: PostgreSQL sums a BIGINT as a NUMERIC, which psycopg reads
#: as a slower Decimal.
PLAIN_PG_SQL = """
SELECT CAST(substr(CAST(t.period_start AS text), 1, 4) AS INTEGER) AS y, t.supplier_code,
       t.recipient_code, t.materiel_slug, c.unit_slug, CAST(SUM(c.low) AS BIGINT),
       CAST(SUM(c.best) AS BIGINT), CAST(SUM(c.high) AS BIGINT), COUNT(*)
FROM transfer t JOIN claim c ON c.transfer_id = t.id
GROUP BY 1, 2, 3, 4, 5
"""

#: The floor these benches timed on PostgreSQL before: without the parties, so a coarser
#: answer (84 rows over the bench data, against the helper's 26,087); printed for comparison.
COARSE_PG_SQL = """
SELECT CAST(substr(CAST(t.period_start AS text), 1, 4) AS INTEGER) AS y, t.materiel_slug,
       c.unit_slug, CAST(SUM(c.low) AS BIGINT), CAST(SUM(c.best) AS BIGINT),
       CAST(SUM(c.high) AS BIGINT), COUNT(*)
FROM transfer t JOIN claim c ON c.transfer_id = t.id
GROUP BY 1, 2, 3
"""


def _runs(times: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="transfers in bench-1m")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="reload the database")
    parser.add_argument(
        "--unstored", action="store_true", help="also time the helper with nothing stored"
    )
    parser.add_argument("--postgres", metavar="URL", help="also time it on this server")
    parser.add_argument(
        "--postgres-keep",
        metavar="NAME",
        help="with --postgres: load into database NAME once and keep it (later runs reuse it)",
    )
    parser.add_argument(
        "--postgres-only", action="store_true", help="with --postgres: skip the SQLite runs"
    )
    args = parser.parse_args()
    if args.postgres and args.postgres_only:
        postgres_ratio(args.postgres, args.n, args.runs, args.postgres_keep)
        return
    path = database(args.n, args.rebuild)
    engine = sanctrack.connect(f"sqlite:///{path}")
    with Session(engine) as session:
        print(f"estimates stored now: {sanctrack.refresh_estimates(session):,}")
        helper_times, hand_times, plain_times = [], [], []
        for _ in range(args.runs):  # alternating, so that load drifts hit all alike
            t, result = timed(1, lambda: transfers_by_year_and_category(session))
            helper_times += t
            t, hand = timed(1, lambda: session.connection().exec_driver_sql(HAND_SQL).all())
            hand_times += t
            t, _ = timed(1, lambda: session.connection().exec_driver_sql(PLAIN_SQL).all())
            plain_times += t
        assert isinstance(result, QueryResult) and isinstance(hand, list)
        duck_times = duckdb_times(session, args.runs)
        unstored_times: list[float] = []
        if args.unstored:
            forget_estimates(session)
            session.commit()
            unstored_times, again = timed(
                args.runs, lambda: transfers_by_year_and_category(session)
            )
            assert isinstance(again, QueryResult) and again.rows == result.rows
            session.rollback()
            t0 = time.perf_counter()
            print(f"stored again: {sanctrack.refresh_estimates(session):,} transfers", end=" ")
            print(f"in {time.perf_counter() - t0:.1f}s")
        got = sorted(
            (
                r.year,
                r.supplier,
                r.recipient,
                r.category,
                r.unit,
                r.low,
                r.best,
                r.high,
                r.transfers,
                r.unquantified,
                r.allocated,
                r.conflicting,
                r.sources,
            )
            for r in result
        )
        assert got == sorted(tuple(r) for r in hand), "the two queries disagree"
    engine.dispose()
    helper, manual, plain = min(helper_times), min(hand_times), min(plain_times)
    print(f"database: {path} ({args.n:,} + {OVERLAP:,} transfers)")
    print(f"rows: {len(result)}  caveats: {len(result.caveats)}")
    print(f"transfers_by_year_and_category: {shown(helper_times)}")
    if unstored_times:
        print(f"  the same, nothing stored:     {shown(unstored_times)}")
    print(f"hand-written SQL, same rows:    {shown(hand_times)}")
    print(f"plain GROUP BY over raw rows:   {shown(plain_times)}")
    print(f"ratio to the hand-written SQL: {helper / manual:.2f} (target <= 1.20)")
    print(f"ratio to the plain GROUP BY:   {helper / plain:.2f} (issue 11's target: <= 1.00)")
    if duck_times:
        duck = min(duck_times)
        print(f"DuckDB over the stored years:  {shown(duck_times)}")
        print(f"ratio to DuckDB:               {helper / duck:.2f} (issue 11's target: <= 5.00)")
    per = helper / (args.n + OVERLAP) * 1e6
    print(f"helper time per transfer:      {per:.3f} us")
    if args.postgres:
        postgres_ratio(args.postgres, args.n, args.runs, args.postgres_keep)


if __name__ == "__main__":
    main()
