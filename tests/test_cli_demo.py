"""`sanctrack demo` (the README's first command) and the mounted `sanctrack report`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

import sanctrack
from sanctrack.cli import app


def test_demo_loads_the_bundled_datasets_and_prints_the_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    result = CliRunner().invoke(app, ["demo", "--url", url])
    assert result.exit_code == 0, result.output
    # The MSMT report's source is defined by the first file that loads it, unchanged after.
    assert "msmt-2025-05-dprk-russia: 18 created, 0 updated, 1 unchanged" in result.output
    # Every bundled dataset, each after the datasets it requires.
    order = [p.name for p in sanctrack.bundled_fixtures()]
    loaded = [line.split(":")[0] + ".yaml" for line in result.output.splitlines()[: len(order)]]
    assert loaded == order
    assert order.index("msmt-2025-05-dprk-russia.yaml") < order.index(
        "dprk-russia-2023-2025-materiel.yaml"
    )
    assert "PRK → RUS: transfers by year and category" in result.output
    assert "RUS → PRK: transfers by year and category" in result.output
    assert "9,000,000" in result.output
    # The petroleum cap check: 15,279 barrels in January 2024 (Russia's report to the UN)
    # and more than 1,000,000 since March 2024 (the MSMT): certainly over the cap.
    assert "Petroleum to PRK against the annual caps" in result.output
    cap_rows = [line for line in result.output.splitlines() if "unsc-2397-op5" in line]
    cells = [[c.strip() for c in row.strip("│").split("│")] for row in cap_rows]
    assert [c[2] for c in cells] == ["2023", "2024", "2025"]
    assert cells[1] == [
        *("all", "unsc-2397-op5", "2024", "barrels", "500,000", "1,015,279", "1,015,279"),
        *("unbounded", "1", "0", "0", "certain"),
    ]
    # The conflicts, in a section of their own (not repeated under the tables).
    conflict = "cannot all hold: politico-2024-02-27-shin-briefing: about 6,700"
    assert result.output.count(conflict) == 1
    assert result.output.index("Conflicting claims:") < result.output.index(conflict)
    again = CliRunner().invoke(app, ["demo", "--url", url])
    assert "msmt-2025-05-dprk-russia: unchanged" in again.output
    assert "dprk-russia-2023-2025-materiel: unchanged" in again.output


def test_report_csv_after_demo(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    CliRunner().invoke(app, ["demo", "--url", url])
    result = CliRunner().invoke(
        app,
        [
            "report",
            "by-year-category",
            "--supplier",
            "Corea del Nord",
            "--recipient",
            "Russia",
            "--level",
            "leaf",
            "--year",
            "2024",
            "--format",
            "csv",
            "--database",
            url,
        ],
    )
    assert result.exit_code == 0, result.output
    rows = {(r["category"], r["unit"]): r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows[("artillery-ammunition", "rounds")]["best"] == "9000000"
    assert rows[("troops", "personnel")]["low"] == "11000"
    assert rows[("troops", "personnel")]["high"] == ""
    assert rows[("troops", "personnel")]["unquantified"] == "0"  # NATO's troops: same_as
    assert rows[("troops", "personnel")]["transfers"] == "1"


def test_report_unknown_state_exits_1_with_the_message(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    result = CliRunner().invoke(
        app, ["report", "by-year-category", "--supplier", "Korea", "--database", url]
    )
    assert result.exit_code == 1
    assert str(sanctrack.AmbiguousStateError("Korea", ["KOR", "PRK"])) in result.output
