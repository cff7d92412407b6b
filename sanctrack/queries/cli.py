"""``sanctrack report ...``: query results on the command line (table, CSV or JSON)."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlmodel import Session

from sanctrack.queries.by_year import transfers_by_year_and_category
from sanctrack.queries.filters import ClaimPolicy, YearSplit
from sanctrack.queries.result import QueryResult
from sanctrack.queries.textable import caveat_texts, rich_tables
from sanctrack.terminal import errors_reported

report_app = typer.Typer(help="Reports computed from the database.", no_args_is_help=True)


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def emit(result: QueryResult[Any], fmt: Format) -> None:
    """Print ``result`` as a rich table (caveats below it), CSV or JSON."""
    columns, records = result.columns(), result.records()
    if fmt is Format.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    elif fmt is Format.json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        # Piped output has no width: don't let rich squeeze the table.
        console = Console() if sys.stdout.isatty() else Console(width=200)
        for table in rich_tables(result.kinds(), records, result.parameters, console.width):
            console.print(table)
        for line in caveat_texts(result.caveats):
            console.print(line, highlight=False)


Opt = typer.Option


@report_app.command("by-year-category")
def by_year_category(
    supplier: Annotated[list[str] | None, Opt(help="Supplier code or name")] = None,
    recipient: Annotated[list[str] | None, Opt(help="Recipient code or name")] = None,
    category: Annotated[list[str] | None, Opt(help="Category slug (with subcategories)")] = None,
    level: Annotated[str, Opt(help="top or leaf")] = "top",
    year: Annotated[list[int] | None, Opt(help="Keep these years")] = None,
    min_reliability: Annotated[str | None, Opt(help="A-F")] = None,
    dataset: Annotated[list[str] | None, Opt(help="Dataset id")] = None,
    source: Annotated[list[str] | None, Opt(help="Source id")] = None,
    year_split: Annotated[str, Opt(help="prorate, start or end")] = "prorate",
    claim_policy: Annotated[
        str, Opt(help="envelope (every claim), most_reliable, newest, highest_credibility")
    ] = "envelope",
    status: Annotated[
        list[str] | None, Opt(help="Transfer statuses counted (default: all but pledged, planned)")
    ] = None,
    as_of: Annotated[
        str | None, Opt("--as-of", help="Only sources published on or before this date")
    ] = None,
    database: Annotated[str | None, Opt("--database", "-d", help="Database URL")] = None,
    fmt: Annotated[Format, Opt("--format", "-f")] = Format.table,
    wait: Annotated[
        float | None,
        Opt("--wait", min=0, metavar="SECONDS", help="Wait at most this long for other writers"),
    ] = None,
) -> None:
    """Quantities per year, category and unit (low, best, high, counts)."""
    from sanctrack.db.connect import connect

    with errors_reported():
        engine = connect(database, wait=wait)
        with Session(engine) as session:
            result = transfers_by_year_and_category(
                session,
                supplier=supplier,
                recipient=recipient,
                category=category,
                level=level,
                years=year,
                min_reliability=min_reliability,
                datasets=dataset,
                sources=source,
                status=status,
                as_of=as_of,
                year_split=_as(year_split),
                claim_policy=_policy(claim_policy),
            )
        engine.dispose()
    emit(result, fmt)


def _as(value: str) -> YearSplit:
    return value  # type: ignore[return-value]  # checked by the helper


def _policy(value: str) -> ClaimPolicy:
    return value  # type: ignore[return-value]  # checked by the helper
