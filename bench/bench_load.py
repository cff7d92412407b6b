"""Bulk-load benchmark: sanctrack.load_fixture against the floor, on 1,000,000 transfers.

Usage: ``python bench/bench_load.py [--n N] [--repeat R] [--regenerate] [--no-postgres]
[--postgres-only] [--profile]``

1. Generates bench/out/bench-<N>.jsonl (N transfers, one claim each) unless it exists.
2. Alternates floor and sanctrack runs (floor, sanctrack, floor, sanctrack, ...), each in a
   fresh SQLite file created with ``sanctrack.connect`` and each in its own subprocess, so
   each run's peak memory (VmHWM) is its own.
3. Checks that every database holds N transfers and N claims, and that the last floor and
   sanctrack databases hold the same transfer and claim values.
4. With $SANCTRACK_BENCH_POSTGRES_URL (or $SANCTRACK_TEST_POSTGRES_URL), a server URL such
   as postgresql://postgres@127.0.0.1:5432/postgres, also times load_fixture on a
   throwaway PostgreSQL database, dropped at the end.

Targets: sanctrack's time <= 3x the BARE floor's (issue 11: bench/bare_floor.py, json.loads
of every line and the raw fields into one table with no constraint or index; on PostgreSQL,
COPY into such a table), its peak memory < 400 MB. The project's floor (bench/floor.py: the
same rows sanctrack writes, parsed and built by hand) is printed too, with its old target of
2x. ``--sizes 10000,100000,1000000`` instead times one bare and one sanctrack load at each
size and prints the time per transfer (issue 11: linear from 10k to 1M).
This is a benchmark, not a test: it prints figures and exits 0 unless a run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from floor import peak_rss_mb, sqlite_path
from generate import DEFAULT_N, generate
from statement_time import timed

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
TARGET_RATIO = 2.0
TARGET_BARE_RATIO = 3.0
TARGET_PEAK_MB = 400.0
POSTGRES_VARIABLES = ("SANCTRACK_BENCH_POSTGRES_URL", "SANCTRACK_TEST_POSTGRES_URL")
CHILD_TIMEOUT_S = 3600


@dataclass
class Run:
    kind: str
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float = 0.0
    transfers: int = 0
    claims: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    #: Within the load alone (not start-up): the time it waited on SQL, and its own CPU time.
    sql_seconds: float = 0.0
    load_cpu_seconds: float = 0.0


# --- the child processes ------------------------------------------------------------------


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child_sanctrack(fixture: str, url: str, profile: str | None) -> dict[str, Any]:
    """Run in a subprocess: time ``load_fixture`` on ``url`` (already connected once)."""
    from sqlmodel import Session

    import sanctrack

    engine = sanctrack.connect(url)
    rss_before = _rss_mb()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    with Session(engine) as session:
        spent = timed(engine, session)
        report = sanctrack.load_fixture(session, fixture)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None and profile:
        profiler.disable()
        profiler.dump_stats(profile)
    engine.dispose()
    return {
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_mb": rss_before,
        "sql_seconds": spent.total,
        "load_cpu_seconds": cpu,
        "report": {
            name: getattr(report, name, None)
            for name in ("created", "updated", "unchanged", "removed")
        },
    }


def _run_child(command: list[str]) -> dict[str, Any]:
    """Run a child; its result, with ``cpu_seconds``: the CPU time it used in all (user and
    system, start-up included), which a busy machine disturbs far less than wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({completed.returncode}):\n"
            f"{completed.stdout[-4000:]}\n{completed.stderr[-8000:]}"
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["cpu_seconds"] = used
    return result


# --- the parent ---------------------------------------------------------------------------


def fresh_sqlite(path: Path) -> str:
    """Delete ``path`` (and its WAL files), create it with sanctrack.connect, return the URL."""
    import sanctrack

    remove_sqlite(path)
    url = f"sqlite:///{path}"
    sanctrack.connect(url).dispose()
    return url


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def count_rows(url: str) -> tuple[int, int]:
    connection = sqlite3.connect(sqlite_path(url))
    try:
        transfers = connection.execute("SELECT count(*) FROM transfer").fetchone()[0]
        claims = connection.execute("SELECT count(*) FROM claim").fetchone()[0]
    finally:
        connection.close()
    return int(transfers), int(claims)


#: The values both loaders must store (ids aside: they may differ).
COMPARED = (
    't."key", t.dataset_id, t.supplier_code, t.recipient_code, t.materiel_slug, t.period, '
    "t.period_start, t.start_precision, t.period_end, t.end_precision, t.status, "
    "t.description, c.source_id, c.qualifier, c.low, c.best, c.high, c.unit_slug, c.page, "
    "c.paragraph, c.figure, c.credibility, c.quote, c.position, c.measure, c.window_start, "
    "c.window_end"
)


def compare_content(floor_url: str, sanctrack_url: str) -> tuple[int, list[Any]]:
    """Rows of (transfer x claim) values in one database and not the other, and a sample."""
    connection = sqlite3.connect(sqlite_path(floor_url))
    try:
        connection.execute("ATTACH DATABASE ? AS other", (sqlite_path(sanctrack_url),))
        sample: list[Any] = []
        differing = 0
        for left, right in (("main", "other"), ("other", "main")):
            query = (
                f"SELECT {COMPARED} FROM {left}.transfer t JOIN {left}.claim c "
                f"ON c.transfer_id = t.id EXCEPT "
                f"SELECT {COMPARED} FROM {right}.transfer t JOIN {right}.claim c "
                f"ON c.transfer_id = t.id"
            )
            rows = connection.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
            differing += rows
            if rows:
                sample += [(left, *row) for row in connection.execute(f"{query} LIMIT 3")]
    finally:
        connection.close()
    return differing, sample


def run_floor(fixture: Path, database: Path) -> Run:
    url = fresh_sqlite(database)
    result = _run_child(
        [sys.executable, str(BENCH / "floor.py"), str(fixture), url, "--json"],
    )
    transfers, claims = count_rows(url)
    return Run(
        "floor", result["seconds"], result["peak_rss_mb"], result["cpu_seconds"], transfers, claims
    )


def run_bare(fixture: Path, url: str) -> Run:
    """The bare floor (bench/bare_floor.py) into ``url``: a new SQLite file, or an empty
    PostgreSQL database."""
    result = _run_child([sys.executable, str(BENCH / "bare_floor.py"), str(fixture), url])
    return Run("bare", result["seconds"], result["peak_rss_mb"], result["cpu_seconds"])


def run_sanctrack(fixture: Path, url: str, profile: Path | None = None) -> Run:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(fixture), url]
    if profile is not None:
        command += ["--child-profile", str(profile)]
    result = _run_child(command)
    run = Run("sanctrack", result["seconds"], result["peak_rss_mb"], result["cpu_seconds"])
    run.sql_seconds, run.load_cpu_seconds = result["sql_seconds"], result["load_cpu_seconds"]
    run.extra = {"rss_before_mb": result["rss_before_mb"], "report": result["report"]}
    if url.startswith("sqlite"):
        run.transfers, run.claims = count_rows(url)
    return run


def postgres_server_url() -> str | None:
    for variable in POSTGRES_VARIABLES:
        if os.environ.get(variable):
            return os.environ[variable]
    return None


@contextmanager
def throwaway_postgres(server_url: str) -> Iterator[str]:
    """A new database bench_<random> on the server; dropped on exit, also on failure."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def postgres_counts(url: str) -> tuple[int, int]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            transfers = connection.execute(text("SELECT count(*) FROM transfer")).scalar_one()
            claims = connection.execute(text("SELECT count(*) FROM claim")).scalar_one()
    finally:
        engine.dispose()
    return int(transfers), int(claims)


def print_profile(path: Path, top: int = 20) -> None:
    import pstats

    print(f"\n--- cProfile of one sanctrack load: top {top} by cumulative time ---")
    pstats.Stats(str(path), stream=sys.stdout).sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bulk-load benchmark of sanctrack.load_fixture")
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="transfers (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each loader (default 2)")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the fixture file")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL run")
    parser.add_argument(
        "--postgres-only",
        action="store_true",
        help="only PostgreSQL: --repeat alternating sanctrack and COPY runs, with their ratios",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also profile one sanctrack load (cProfile)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases in bench/out")
    parser.add_argument("--sizes", help="comma-separated sizes: time per transfer at each")
    parser.add_argument("--child", nargs=2, metavar=("FIXTURE", "URL"), help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(child_sanctrack(args.child[0], args.child[1], profile=args.child_profile)))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    fixture = OUT / f"bench-{args.n}.jsonl"
    if args.regenerate or not fixture.exists():
        started = time.perf_counter()
        generate(fixture, args.n)
        print(f"generated {fixture} in {time.perf_counter() - started:.1f} s")
    size_mb = fixture.stat().st_size / 1e6
    print(f"fixture: {fixture} ({args.n:,} transfers, {size_mb:.0f} MB)")

    if args.sizes:
        return scaling([int(size) for size in args.sizes.split(",")])
    if args.postgres_only:
        return postgres_only(fixture, args.n, args.repeat)

    runs: dict[str, list[Run]] = {"bare": [], "floor": [], "sanctrack": []}
    databases = {
        "bare": OUT / f"bare-{args.n}.db",
        "floor": OUT / f"floor-{args.n}.db",
        "sanctrack": OUT / f"sanctrack-{args.n}.db",
    }
    for attempt in range(1, args.repeat + 1):
        for kind in ("bare", "floor", "sanctrack"):
            if kind == "bare":
                remove_sqlite(databases[kind])
                run = run_bare(fixture, f"sqlite:///{databases[kind]}")
            elif kind == "floor":
                run = run_floor(fixture, databases[kind])
            else:
                run = run_sanctrack(fixture, fresh_sqlite(databases[kind]))
            runs[kind].append(run)
            rows = f"{run.transfers:,} transfers, {run.claims:,} claims"
            extra = ""
            if kind == "sanctrack":
                extra = (
                    f", SQL {run.sql_seconds:.2f} s, RSS before load "
                    f"{run.extra['rss_before_mb']:.0f} MB, report {run.extra['report']}"
                )
            print(
                f"run {attempt} {kind:9s} {run.seconds:8.2f} s  peak RSS "
                f"{run.peak_rss_mb:6.0f} MB  ({rows}{extra})",
                flush=True,
            )

    differing, sample = compare_content(
        f"sqlite:///{databases['floor']}", f"sqlite:///{databases['sanctrack']}"
    )

    profile_path: Path | None = None
    if args.profile:
        profile_path = OUT / f"sanctrack-{args.n}.prof"
        url = fresh_sqlite(databases["sanctrack"])
        profiled = run_sanctrack(fixture, url, profile=profile_path)
        print(f"profiled sanctrack run: {profiled.seconds:.2f} s (with cProfile overhead)")

    postgres: Run | None = None
    postgres_bare: Run | None = None
    postgres_error: str | None = None
    server_url = None if args.no_postgres else postgres_server_url()
    if server_url:
        try:
            with throwaway_postgres(server_url) as url:
                import sanctrack

                sanctrack.connect(url).dispose()
                postgres = run_sanctrack(fixture, url)
                postgres.transfers, postgres.claims = postgres_counts(url)
            with throwaway_postgres(server_url) as url:
                postgres_bare = run_bare(fixture, url)
                print(
                    f"postgres  sanctrack {postgres.seconds:8.2f} s  peak RSS "
                    f"{postgres.peak_rss_mb:6.0f} MB  ({postgres.transfers:,} transfers, "
                    f"{postgres.claims:,} claims)",
                    flush=True,
                )
        except Exception as error:  # a benchmark reports, it does not stop here
            postgres_error = f"{type(error).__name__}: {error}"
            print(f"postgres run failed: {postgres_error}", file=sys.stderr)

    if not args.keep:
        for path in databases.values():
            remove_sqlite(path)

    floor_times = [run.seconds for run in runs["floor"]]
    sanctrack_times = [run.seconds for run in runs["sanctrack"]]
    floor_cpu = [run.cpu_seconds for run in runs["floor"]]
    sanctrack_cpu = [run.cpu_seconds for run in runs["sanctrack"]]
    cpu_ratio = min(sanctrack_cpu) / min(floor_cpu)
    best_ratio = min(sanctrack_times) / min(floor_times)
    median_ratio = statistics.median(sanctrack_times) / statistics.median(floor_times)
    peak = max(run.peak_rss_mb for run in runs["sanctrack"])
    rows_ok = all(
        run.transfers == args.n and run.claims == args.n
        for kind in ("floor", "sanctrack")
        for run in runs[kind]
    )
    bare_times = [run.seconds for run in runs["bare"]]
    bare_cpu = [run.cpu_seconds for run in runs["bare"]]
    bare_ratio = min(sanctrack_times) / min(bare_times)
    bare_median = statistics.median(sanctrack_times) / statistics.median(bare_times)
    bare_cpu_ratio = min(sanctrack_cpu) / min(bare_cpu)
    bare_cpu_median = statistics.median(sanctrack_cpu) / statistics.median(bare_cpu)

    def verdict(ok: bool) -> str:
        return "OK" if ok else "MISSED"

    print()
    print("=" * 72)
    print(f"bulk-load benchmark: {args.n:,} transfers x 1 claim, {args.repeat} runs each")
    print(f"  fixture           {fixture} ({size_mb:.0f} MB)")
    print(
        f"  bare floor        best {min(bare_times):7.2f} s   median "
        f"{statistics.median(bare_times):7.2f} s   runs {_fmt(bare_times)}   CPU best "
        f"{min(bare_cpu):.2f} s"
    )
    print(
        f"  sanctrack / bare  best/best {bare_ratio:.2f}   median/median {bare_median:.2f}   "
        f"CPU {bare_cpu_ratio:.2f}   target <= {TARGET_BARE_RATIO:.1f}   "
        f"{verdict(bare_ratio <= TARGET_BARE_RATIO)}"
    )
    print(
        f"  CPU vs bare       bare runs {_fmt(bare_cpu)}   sanctrack runs {_fmt(sanctrack_cpu)}"
        f"   min/min {bare_cpu_ratio:.2f}   median/median {bare_cpu_median:.2f}   target <= "
        f"{TARGET_BARE_RATIO:.1f}   {verdict(bare_cpu_ratio <= TARGET_BARE_RATIO)}"
    )
    paired = [s.seconds / b.seconds for s, b in zip(runs["sanctrack"], runs["bare"], strict=True)]
    print(
        f"  per run / bare    {_fmt(paired)}   min {min(paired):.2f}   median "
        f"{statistics.median(paired):.2f}   (each sanctrack run over the bare run before it)"
    )
    sql_times = [r.sql_seconds for r in runs["sanctrack"]]
    sql = [s / b.seconds for s, b in zip(sql_times, runs["bare"], strict=True)]
    print(
        f"  its SQL / bare    {_fmt(sql)}   min {min(sql):.2f}   median "
        f"{statistics.median(sql):.2f}   (statements and commit alone, runs {_fmt(sql_times)} s:"
        " the least a load of this SQL can take, however fast its Python)"
    )
    print(
        f"  floor             best {min(floor_times):7.2f} s   median "
        f"{statistics.median(floor_times):7.2f} s   runs {_fmt(floor_times)}"
    )
    print(
        f"  sanctrack         best {min(sanctrack_times):7.2f} s   median "
        f"{statistics.median(sanctrack_times):7.2f} s   runs {_fmt(sanctrack_times)}"
    )
    print(
        f"  ratio             best/best {best_ratio:.2f}   median/median {median_ratio:.2f}"
        f"   target <= {TARGET_RATIO:.1f}   {verdict(best_ratio <= TARGET_RATIO)}"
    )
    print(
        f"  CPU time          floor best {min(floor_cpu):7.2f} s   sanctrack best "
        f"{min(sanctrack_cpu):7.2f} s   ratio {cpu_ratio:.2f}   target <= {TARGET_RATIO:.1f}   "
        f"{verdict(cpu_ratio <= TARGET_RATIO)}"
    )
    print(
        f"  sanctrack peak    {peak:.0f} MB (max over runs; floor "
        f"{max(run.peak_rss_mb for run in runs['floor']):.0f} MB)   target < "
        f"{TARGET_PEAK_MB:.0f} MB   {verdict(peak < TARGET_PEAK_MB)}"
    )
    print(
        "  rows loaded       "
        + ", ".join(
            f"{run.kind} {run.transfers:,}/{run.claims:,}"
            for kinds in runs.values()
            for run in kinds
        )
        + f"   (transfers/claims; expected {args.n:,} each)   {verdict(rows_ok)}"
    )
    print(
        f"  same content      {'yes' if differing == 0 else f'NO: {differing:,} rows differ'}"
        " (last floor vs last sanctrack database, ids aside)"
    )
    for row in sample:
        print(f"    {row}")
    if postgres is not None:
        print(
            f"  postgresql        {postgres.seconds:7.2f} s   peak {postgres.peak_rss_mb:.0f} MB"
            f"   rows {postgres.transfers:,}/{postgres.claims:,}"
        )
    if postgres is not None and postgres_bare is not None:
        ratio = postgres.seconds / postgres_bare.seconds
        client = postgres.cpu_seconds / postgres_bare.cpu_seconds
        print(
            f"  postgresql bare   COPY {postgres_bare.seconds:7.2f} s   sanctrack / COPY "
            f"{ratio:.2f} (CPU of the client: {client:.2f})"
            f"   target <= {TARGET_BARE_RATIO:.1f}   {verdict(ratio <= TARGET_BARE_RATIO)}"
        )
    elif postgres_error:
        print(f"  postgresql        failed: {postgres_error}")
    else:
        print(f"  postgresql        skipped (set {POSTGRES_VARIABLES[0]} to run it)")
    print("=" * 72)

    if profile_path is not None:
        print_profile(profile_path)
    return 0


def postgres_only(fixture: Path, n: int, repeat: int) -> int:
    """``repeat`` alternating PostgreSQL runs (sanctrack, then COPY into a bare table),
    each in a throwaway database: each run's ratio, and their min and median."""
    server_url = postgres_server_url()
    if server_url is None:
        print(f"--postgres-only needs {POSTGRES_VARIABLES[0]}", file=sys.stderr)
        return 2
    import sanctrack

    ratios, loads, bares, client = [], [], [], []
    for attempt in range(1, repeat + 1):
        with throwaway_postgres(server_url) as url:
            sanctrack.connect(url).dispose()
            load = run_sanctrack(fixture, url)
            counts = postgres_counts(url)
        with throwaway_postgres(server_url) as url:
            bare = run_bare(fixture, url)
        if counts != (n, n):
            print(f"run {attempt}: {counts} transfers/claims, expected {n:,} each", file=sys.stderr)
            return 1
        loads.append(load.seconds)
        bares.append(bare.seconds)
        ratios.append(load.seconds / bare.seconds)
        client.append(load.load_cpu_seconds / bare.seconds)
        print(
            f"run {attempt} postgresql sanctrack {load.seconds:8.2f} s (peak {load.peak_rss_mb:.0f}"
            f" MB)   COPY {bare.seconds:6.2f} s   ratio {ratios[-1]:.2f}   the client's own CPU"
            f" time in the load {load.load_cpu_seconds:.2f} s ({client[-1]:.2f}x COPY)",
            flush=True,
        )
    print(
        f"postgresql sanctrack / COPY at {n:,}: min {min(ratios):.2f}, median "
        f"{statistics.median(ratios):.2f} over {repeat} runs (sanctrack min {min(loads):.2f} s, "
        f"COPY min {min(bares):.2f} s; target <= {TARGET_BARE_RATIO:.1f})"
    )
    print(
        f"the client's CPU time alone / COPY: min {min(client):.2f}, median "
        f"{statistics.median(client):.2f} (validating and building rows in this one process)"
    )
    return 0


def scaling(sizes: list[int]) -> int:
    """One bare and one sanctrack load at each size: the time per transfer of each."""
    print(f"{'transfers':>10}  {'bare us/t':>10}  {'sanctrack us/t':>15}  {'CPU us/t':>9}  ratio")
    per: list[float] = []
    for n in sizes:
        fixture = OUT / f"bench-{n}.jsonl"
        if not fixture.exists():
            generate(fixture, n)
        bare_db, database = OUT / f"bare-{n}.db", OUT / f"sanctrack-{n}.db"
        remove_sqlite(bare_db)
        bare = run_bare(fixture, f"sqlite:///{bare_db}")
        run = run_sanctrack(fixture, fresh_sqlite(database))
        for path in (bare_db, database):
            remove_sqlite(path)
        per.append(run.cpu_seconds / n * 1e6)
        print(
            f"{n:>10,}  {bare.seconds / n * 1e6:>10.1f}  {run.seconds / n * 1e6:>15.1f}  "
            f"{per[-1]:>9.1f}  {run.seconds / bare.seconds:.2f}",
            flush=True,
        )
    print(f"CPU time per transfer, largest size over smallest: {per[-1] / per[0]:.2f} (linear: 1)")
    return 0


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


if __name__ == "__main__":
    sys.exit(main())
