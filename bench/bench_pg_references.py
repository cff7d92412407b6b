"""What a reference check costs a COPY on PostgreSQL: per-row foreign keys against one
bulk check per statement.

    python bench/bench_pg_references.py URL [--rows 200000] [--runs 3]

URL is a server (postgresql://postgres@127.0.0.1:5432/postgres); a throwaway database is
created there and dropped. ``--rows`` rows of (id, a, b), a and b codes of a 20-row parent
table, are copied into three tables: with no reference check, with two FOREIGN KEYs (one
trigger call per row and key), and with an AFTER INSERT statement trigger that checks
every new row's a and b in one query over the transition table (and locks the parents
FOR KEY SHARE, as the foreign keys do). Prints each COPY's best time and the cost of the
checks per row. Issue 11: a sanctrack load into PostgreSQL makes about 9 such checks per
transfer (4 on transfer, 3 on claim, 1 on estimated_transfer, 1 per stored year).
"""

from __future__ import annotations

import argparse
import io
import time
import uuid

import psycopg

PARENT = """
CREATE TABLE parent (code varchar(3) PRIMARY KEY);
INSERT INTO parent SELECT 'S' || lpad(i::text, 2, '0') FROM generate_series(1, 20) i;
"""
TABLES = {
    "no check": "CREATE TABLE plain (id int PRIMARY KEY, a varchar(3) NOT NULL, "
    "b varchar(3) NOT NULL)",
    "foreign keys": "CREATE TABLE keyed (id int PRIMARY KEY, "
    "a varchar(3) NOT NULL REFERENCES parent, b varchar(3) NOT NULL REFERENCES parent)",
    "bulk trigger": """
CREATE TABLE bulk (id int PRIMARY KEY, a varchar(3) NOT NULL, b varchar(3) NOT NULL);
CREATE FUNCTION bulk_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM parent WHERE code IN (SELECT a FROM new_rows UNION SELECT b FROM new_rows)
    FOR KEY SHARE;
  IF EXISTS (SELECT 1 FROM new_rows n
             WHERE NOT EXISTS (SELECT 1 FROM parent p WHERE p.code = n.a)
                OR NOT EXISTS (SELECT 1 FROM parent p WHERE p.code = n.b)) THEN
    RAISE foreign_key_violation USING MESSAGE = 'a row refers to no parent';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER bulk_references AFTER INSERT ON bulk REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bulk_references();
""",
}
NAMES = {"no check": "plain", "foreign keys": "keyed", "bulk trigger": "bulk"}


def rows_text(n: int) -> bytes:
    out = io.StringIO()
    for i in range(1, n + 1):
        out.write(f"{i}\tS{1 + i % 20:02d}\tS{1 + (i // 20) % 20:02d}\n")
    return out.getvalue().encode()


def copy_seconds(conn: psycopg.Connection, table: str, data: bytes) -> float:
    conn.execute(f"TRUNCATE {table}")
    conn.commit()
    started = time.perf_counter()
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} (id, a, b) FROM STDIN") as copy:
        copy.write(data)
    conn.commit()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    name = f"bench_refs_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = psycopg.conninfo.make_conninfo(args.url, dbname=name)
        with psycopg.connect(url) as conn:
            conn.execute(PARENT)
            for ddl in TABLES.values():
                conn.execute(ddl)
            conn.commit()
            data = rows_text(args.rows)
            times: dict[str, list[float]] = {kind: [] for kind in TABLES}
            for _ in range(args.runs):  # alternating, so that load drifts hit all alike
                for kind in TABLES:
                    times[kind].append(copy_seconds(conn, NAMES[kind], data))
            for kind in ("foreign keys", "bulk trigger"):  # both checks refuse a bad row
                try:
                    copy_seconds(conn, NAMES[kind], b"1\tS01\tXXX\n")
                except psycopg.errors.ForeignKeyViolation:
                    conn.rollback()
                else:
                    raise SystemExit(f"{kind}: a row referring to no parent was copied")
        base = min(times["no check"])
        print(f"COPY of {args.rows:,} rows, two references each, best of {args.runs}:")
        for kind, runs in times.items():
            extra = (min(runs) - base) / (2 * args.rows) * 1e6
            shown = ", ".join(f"{t:.3f}" for t in runs)
            print(f"  {kind:13s} {min(runs):7.3f} s  (runs {shown})  {extra:5.2f} us per check")
    finally:
        with psycopg.connect(args.url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
