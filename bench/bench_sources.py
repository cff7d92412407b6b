"""Source-heavy headers: load a fixture whose header defines N sources (default 100,000).

Usage: ``python bench/bench_sources.py [--n N] [--url URL]``

Writes bench/out/sources-<N>.jsonl (N sources, every tenth citing the one before it, each
with one author, and 10 transfers), then, each in its own subprocess so that its peak
memory is its own: loads it into a new database (SQLite in bench/out unless ``--url``
names an empty one), loads it again (unchanged), and loads it a third time with the title
of every hundredth source changed. Prints the seconds and the peak RSS of each run.
This is a benchmark, not a test: it prints figures and exits 0 unless a run fails.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent


def write(path: Path, n: int, edited: bool = False) -> Path:
    sources: list[dict[str, Any]] = []
    for i in range(n):
        source: dict[str, Any] = {
            "id": f"src-{i:07d}",
            "kind": "report",
            "title": f"Report {i}" + (" (revised)" if edited and i % 100 == 0 else ""),
            "reliability": "C",
            "authors": [{"organisation": f"Org {i % 97}"}],
        }
        if i % 10:
            source["cites"] = f"src-{i - 1:07d}"
        sources.append(source)
    header = {"dataset": {"id": "bench-sources", "title": "Bench", "version": "1"}}
    header |= {"sources": sources, "materiel_types": []}
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(header, separators=(",", ":")) + "\n")
        for t in range(10):
            record = {
                "id": f"t{t}",
                "supplier": "PRK",
                "recipient": "RUS",
                "materiel": "troops",
                "period": "2024",
                "claims": [{"source": f"src-{t:07d}", "unit": "personnel"}],
            }
            out.write(json.dumps(record) + "\n")
    return path


def run_one(url: str, path: str) -> None:
    """In a subprocess: one load, then a JSON line with its seconds, peak RSS and counts."""
    from sqlmodel import Session

    import sanctrack

    engine = sanctrack.connect(url)
    start = time.perf_counter()
    with Session(engine) as session:
        report = sanctrack.load_fixture(session, path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "sources": report.counts["sources"]}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--url")
    parser.add_argument("--run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_one(*args.run)
        return 0
    out = BENCH / "out"
    out.mkdir(exist_ok=True)
    first = write(out / f"sources-{args.n}.jsonl", args.n)
    edited = write(out / f"sources-{args.n}-edited.jsonl", args.n, edited=True)
    url = args.url
    if url is None:
        database = out / f"sources-{args.n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{database}"
    for name, path in (("first load", first), ("unchanged reload", first), ("1% edited", edited)):
        result = subprocess.run(
            [sys.executable, __file__, "--run", url, str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            print(result.stderr, file=sys.stderr)
            return result.returncode
        figures = json.loads(result.stdout.splitlines()[-1])
        print(
            f"{name:>16}: {figures['seconds']:8.1f} s  {figures['peak_mb']:7.0f} MB peak  "
            f"sources {figures['sources']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
