"""Benchmark: a notebook's first answer on the bundled data.

    python bench/bench_latency.py [--runs 5]

Builds bench/out/latency.db once (every bundled dataset, loaded by sanctrack), then, in a
fresh Python process each run (as a notebook kernel starts), times its three steps:
``import sanctrack``, ``sanctrack.connect()`` on that existing database, and one
``transfers_by_year_and_category``. Prints each part and their sum, min and median over
the runs (wall-clock seconds of that process; the target is a sum under 0.5 s), and which
of alembic and mako the process imported (none should be).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
TARGET = 0.5

STEPS = r"""
import json, sys, time
t0 = time.perf_counter()
import sanctrack
from sqlmodel import Session
t1 = time.perf_counter()
engine = sanctrack.connect(sys.argv[1])
t2 = time.perf_counter()
with Session(engine) as session:
    rows = sanctrack.transfers_by_year_and_category(session, supplier="PRK", recipient="RUS")
t3 = time.perf_counter()
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"alembic", "mako"})
print(json.dumps({"import": t1 - t0, "connect": t2 - t1, "aggregate": t3 - t2,
                  "rows": len(rows), "heavy": heavy}))
"""


def database() -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "latency.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        build = (
            "import sys, sanctrack; from sqlmodel import Session; "
            "e = sanctrack.connect(sys.argv[1])\n"
            "for p in sanctrack.bundled_fixtures():\n"
            "    with Session(e) as s: sanctrack.load_fixture(s, p)\n"
        )
        subprocess.run([sys.executable, "-c", build, url], check=True)
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = database()
    runs = []
    for _ in range(args.runs):
        done = subprocess.run(
            [sys.executable, "-c", STEPS, url], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(done.stdout))
    for part in ("import", "connect", "aggregate"):
        times = [r[part] for r in runs]
        print(f"{part:>10}: min {min(times):.3f}s  median {statistics.median(times):.3f}s")
    sums = [r["import"] + r["connect"] + r["aggregate"] for r in runs]
    print(f"{'sum':>10}: min {min(sums):.3f}s  median {statistics.median(sums):.3f}s", end="")
    print(
        f"  (target < {TARGET}s; ratio of the median to it: {statistics.median(sums) / TARGET:.2f})"
    )
    print(f"rows: {runs[0]['rows']}; alembic/mako imported: {runs[0]['heavy'] or 'none'}")


if __name__ == "__main__":
    main()
