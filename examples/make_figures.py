"""Draw the README's figures from the bundled datasets: python examples/make_figures.py

Deterministic: an in-memory database, the bundled fixtures loaded in the order their
``requires`` give, fixed sizes and resolution, and no timestamp in the PNG files."""

from __future__ import annotations

from pathlib import Path

import matplotlib
from sqlmodel import Session

import sanctrack
from sanctrack.queries import transfers_by_year_and_category

FIGURES = Path(__file__).resolve().parent / "figures"


def main() -> None:
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "sanctrack"
    engine = sanctrack.connect("sqlite://")
    with Session(engine) as session:
        for path in sanctrack.bundled_fixtures():  # each after the datasets it requires
            sanctrack.load_fixture(session, path)
        by_year = transfers_by_year_and_category(session, supplier="PRK", recipient="RUS")
        FIGURES.mkdir(exist_ok=True)
        (FIGURES / "by_year_category.png").write_bytes(by_year.plot().png(dpi=90))
    engine.dispose()


if __name__ == "__main__":
    main()
