"""Generate a deterministic JSON Lines fixture for the bulk-load benchmark.

Usage: ``python bench/generate.py OUT [N]`` writes OUT with N transfers (default 1,000,000),
one claim each. The same seed and N give a byte-identical file.

Line 1 is the header (dataset, sources, materiel types); every further line is a transfer,
as described in fixtures/README.md ("Bulk data").
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

DEFAULT_N = 1_000_000
DEFAULT_SEED = 20250529
DATASET_ID = "bench-1m"

#: ISO 3166-1 alpha-3 codes that suppliers and recipients are drawn from.
STATES: tuple[str, ...] = (
    "PRK",
    "RUS",
    "IRN",
    "SYR",
    "CHN",
    "BLR",
    "MMR",
    "VEN",
    "CUB",
    "UKR",
    "USA",
    "GBR",
    "FRA",
    "DEU",
    "IND",
    "PAK",
    "TUR",
    "SAU",
    "ARE",
    "YEM",
)

#: Seeded materiel slugs, each with a unit its category allows (seeds/categories.yaml)
#: and the largest plausible quantity of one transfer in that unit.
MATERIEL: tuple[tuple[str, str, int], ...] = (
    ("artillery-ammunition", "rounds", 2_000_000),
    ("rocket-ammunition", "rounds", 200_000),
    ("ballistic-missiles", "missiles", 200),
    ("kn-23", "missiles", 100),
    ("troops", "personnel", 15_000),
    ("workers", "personnel", 5_000),
    ("refined-petroleum", "barrels", 1_000_000),
    ("crude-oil", "barrels", 4_000_000),
    ("multiple-rocket-launchers", "launchers", 300),
    ("air-defence-systems", "items", 50),
    ("technology", "items", 20),
    ("military-vehicles", "vehicles", 500),
)

#: The sources the claims cite (all declared in the header).
SOURCES: tuple[dict[str, Any], ...] = (
    {
        "id": "bench-msmt-report",
        "kind": "report",
        "publisher": "Multilateral Sanctions Monitoring Team",
        "title": "Benchmark report",
        "published": "2025-05-29",
        "language": "en",
        "reliability": "B",
    },
    {
        "id": "bench-official-statement",
        "kind": "official_statement",
        "publisher": "Ministry of Defence",
        "reliability": "C",
    },
    {
        "id": "bench-news-article",
        "kind": "news_article",
        "publisher": "Example News",
        "published": "2025-06-01",
        "reliability": "D",
        "cites": "bench-msmt-report",
    },
    {
        "id": "bench-intelligence",
        "kind": "intelligence_assessment",
        "reliability": "C",
    },
    {
        "id": "bench-dataset",
        "kind": "dataset",
        "publisher": "Example Institute",
        "reliability": "B",
    },
    {
        "id": "bench-other",
        "kind": "other",
        "reliability": "F",
    },
)

YEARS = tuple(range(2019, 2026))


def header() -> dict[str, Any]:
    """Line 1: the dataset, its sources and (no extra) materiel types."""
    return {
        "dataset": {
            "id": DATASET_ID,
            "title": "Bulk-load benchmark: synthetic transfers, one claim each",
            "version": "1",
        },
        "sources": [dict(source) for source in SOURCES],
        "materiel_types": [],
    }


def _period(rng: random.Random) -> str:
    form = rng.random()
    year = rng.choice(YEARS)
    if form < 0.4:
        return str(year)
    if form < 0.8:
        return f"{year}-{rng.randint(1, 12):02d}"
    # An interval of 1..18 months, starting in a year of YEARS.
    start = year * 12 + rng.randint(0, 11)
    end = start + rng.randint(1, 18)
    return f"{start // 12}-{start % 12 + 1:02d}/{end // 12}-{end % 12 + 1:02d}"


def _quantity(rng: random.Random, largest: int) -> dict[str, Any] | None:
    form = rng.random()
    if form < 0.05:
        return None
    amount = rng.randint(1, largest)
    if form < 0.30:
        return {"exact": amount}
    if form < 0.50:
        return {"about": amount}
    if form < 0.65:
        return {"at_least": amount}
    if form < 0.80:
        return {"up_to": amount}
    low = rng.randint(0, amount)
    return {"between": [low, amount]}


def transfer(rng: random.Random, number: int) -> dict[str, Any]:
    """The ``number``-th transfer (from 1), drawn from ``rng``."""
    supplier = rng.choice(STATES)
    recipient = rng.choice(STATES)
    while recipient == supplier:
        recipient = rng.choice(STATES)
    materiel, unit, largest = rng.choice(MATERIEL)
    claim: dict[str, Any] = {"source": rng.choice(SOURCES)["id"]}
    quantity = _quantity(rng, largest)
    if quantity is not None:
        claim["quantity"] = quantity
        claim["unit"] = unit
    claim["credibility"] = rng.randint(1, 6)
    claim["locator"] = {"page": str(rng.randint(1, 400))}
    record: dict[str, Any] = {
        "id": f"t-{number:07d}",
        "supplier": supplier,
        "recipient": recipient,
        "materiel": materiel,
        "period": _period(rng),
    }
    if rng.random() < 0.1:
        record["status"] = "confirmed"
    record["claims"] = [claim]
    return record


def generate(path: str | Path, n: int = DEFAULT_N, seed: int = DEFAULT_SEED) -> Path:
    """Write the fixture to ``path`` (n transfers, one claim each) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    dumps = json.JSONEncoder(ensure_ascii=True, separators=(", ", ": ")).encode
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        out.write(dumps(header()) + "\n")
        lines: list[str] = []
        for number in range(1, n + 1):
            lines.append(dumps(transfer(rng, number)))
            if len(lines) == 10_000:
                out.write("\n".join(lines) + "\n")
                lines.clear()
        if lines:
            out.write("\n".join(lines) + "\n")
    tmp.replace(path)
    return path


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print("usage: python bench/generate.py OUT [N]", file=sys.stderr)
        return 2
    n = int(argv[1].replace("_", "")) if len(argv) == 2 else DEFAULT_N
    path = generate(argv[0], n)
    print(f"wrote {n:,} transfers to {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
