"""Subprocess entry points for the crash-safety and concurrency tests, and a fast generator
of JSON Lines datasets that don't share any id.

``python tests/workers.py load URL PATH [--barrier FILE] [--hold-after N]`` connects to URL
(migrating and seeding it, like any user would), loads PATH and prints one JSON line with
the report.
Before it connects it prints ``ready`` and, with ``--barrier``, waits for FILE to exist, so
that a test can start several loaders at the same instant. Each time the load reports
progress it prints ``progress BYTES``; with ``--hold-after``, after the N-th it stops, its
transaction open, until killed. Every line is flushed at once.

With ``$SANCTRACK_TEST_BUSY_TIMEOUT_MS`` set, each attempt at SQLite's write lock waits
that long instead of 1 s, so that sanctrack's retry does more of the waiting; each retry is
logged to stderr.
"""

from __future__ import annotations

import json
import logging
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

STATES = ("PRK", "RUS", "IRN", "SYR", "CHN", "BLR", "MMR", "VEN", "UKR", "USA", "GBR", "IND")
#: Seeded materiel slugs with a unit their category allows.
MATERIEL = (
    ("artillery-ammunition", "rounds"),
    ("ballistic-missiles", "missiles"),
    ("troops", "personnel"),
    ("refined-petroleum", "barrels"),
    ("military-vehicles", "vehicles"),
)
SOURCE_KINDS = ("report", "news_article", "official_statement")
BUSY_TIMEOUT_VARIABLE = "SANCTRACK_TEST_BUSY_TIMEOUT_MS"


def header(dataset: str, version: str = "1") -> dict[str, Any]:
    """The header line of ``dataset``: its own three sources, no materiel types."""
    return {
        "dataset": {"id": dataset, "title": f"Generated dataset {dataset}", "version": version},
        "sources": [
            {"id": f"{dataset}-{kind}", "kind": kind, "reliability": "C"} for kind in SOURCE_KINDS
        ],
        "materiel_types": [],
    }


def transfer(dataset: str, number: int, seed: int) -> dict[str, Any]:
    """The ``number``-th transfer (from 1) of a generated dataset; a pure function, so a
    test can recompute any record to check it."""
    rng = random.Random(seed * 1_000_003 + number)
    supplier, recipient = rng.sample(STATES, 2)
    materiel, unit = rng.choice(MATERIEL)
    return {
        "id": f"t-{number:07d}",
        "supplier": supplier,
        "recipient": recipient,
        "materiel": materiel,
        "period": f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}",
        "claims": [
            {
                "source": f"{dataset}-{rng.choice(SOURCE_KINDS)}",
                "quantity": {"about": rng.randint(1, 100_000)},
                "unit": unit,
                "credibility": rng.randint(1, 6),
            }
        ],
    }


def generate(
    path: Path, dataset: str, n: int, seed: int = 1, *, first: int = 1, version: str = "1"
) -> Path:
    """Write ``dataset`` with ``n`` transfers, numbered from ``first``, to ``path`` (JSON
    Lines) and return the path."""
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    end = first + n
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(dumps(header(dataset, version)) + "\n")
        for start in range(first, end, 10_000):
            stop = min(start + 10_000, end)
            out.write("".join(dumps(transfer(dataset, i, seed)) + "\n" for i in range(start, stop)))
    return path


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def load(url: str, path: str, barrier: str | None, hold_after: int | None = None) -> int:
    from sqlmodel import Session

    import sanctrack
    import sanctrack.db.engine

    timeout = os.environ.get(BUSY_TIMEOUT_VARIABLE)
    if timeout:
        sanctrack.db.engine.SQLITE_LOCK_ATTEMPT_MS = int(timeout)
    logging.basicConfig(stream=sys.stderr, format="%(name)s: %(message)s")
    logging.getLogger("sanctrack.db.retry").setLevel(logging.INFO)
    _say("ready")
    if barrier is not None:
        deadline = time.monotonic() + 60
        while not Path(barrier).exists():
            if time.monotonic() > deadline:
                _say("barrier never opened")
                return 3
            time.sleep(0.002)
    started = time.time()
    engine = sanctrack.connect(url)
    reported = 0

    def progress(done: int) -> None:
        # With --hold-after N, stop (transaction open) after the N-th progress line, until
        # killed: so that a test can kill a load that is surely mid-way, however slow the
        # machine.
        nonlocal reported
        _say(f"progress {done}")
        reported += 1
        if hold_after is not None and reported >= hold_after:
            time.sleep(3600)

    try:
        with Session(engine) as session:
            report = sanctrack.load_fixture(session, path, progress=progress)
    except sanctrack.FixtureError as error:  # refused: say why, as one JSON line
        _say(json.dumps({"errors": [str(issue) for issue in error.errors]}))
        engine.dispose()
        return 1
    _say(
        json.dumps(
            {
                "dataset": report.dataset,
                "counts": report.counts,
                "started": started,
                "finished": time.time(),
            }
        )
    )
    engine.dispose()
    return 0


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "load":
        barrier = argv[argv.index("--barrier") + 1] if "--barrier" in argv else None
        hold = int(argv[argv.index("--hold-after") + 1]) if "--hold-after" in argv else None
        return load(argv[1], argv[2], barrier, hold)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
