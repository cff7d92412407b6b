"""``sanctrack export-ftm`` and ``sanctrack import-ftm``: FollowTheMoney entities out of
and into the database (the ``ftm`` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from sanctrack.cli_options import Database, Wait, open_database
from sanctrack.terminal import errors_reported, say


def export_ftm(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The JSON-lines file to write", dir_okay=False)
    ],
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="Only this dataset (default: all)")
    ] = None,
    database: Database = None,
    wait: Wait = None,
) -> None:
    """Write vessels, aircraft, organisations, persons, ownerships, designations,
    movements and transfers as FollowTheMoney entities, one JSON object a line.

    Example: sanctrack export-ftm -d research.db -o sanctrack.ftm.jsonl
    """
    from sanctrack.ftm import write_entities

    with errors_reported():
        engine = open_database(database, wait, create=False)
        with Session(engine) as session:
            count = write_entities(session, output, dataset)
        say(f"Wrote {count} FollowTheMoney entities to {output}")


def import_ftm(
    path: Annotated[Path, typer.Argument(help="A FollowTheMoney JSON-lines file")],
    dataset: Annotated[str, typer.Option("--dataset", help="The dataset id to load them as")],
    database: Database = None,
    wait: Wait = None,
) -> None:
    """Load the Vessel, Airplane, Company, Organization, Person and Ownership entities of
    a FollowTheMoney file (such as an OpenSanctions export) as a dataset, all or nothing;
    entities of other schemata, and Ownerships whose owner or asset is not loaded, are
    counted as skipped.

    Example: sanctrack import-ftm opensanctions.ftm.json --dataset os-vessels -d research.db
    """
    from sanctrack.ftm import import_entities

    with errors_reported():
        engine = open_database(database, wait, create=True)
        with Session(engine) as session:
            result = import_entities(session, path, dataset)
        say(str(result))
