"""The `sanctrack` command line: a thin layer over the library."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from sqlalchemy import select
from sqlmodel import Session, col

from sanctrack.cli_options import Database, Wait, open_database
from sanctrack.db.urls import shown_url
from sanctrack.errors import SanctrackError
from sanctrack.fixture import export_dataset, load_fixture, validate_fixture, write_fixture
from sanctrack.fixture.paths import shown_name
from sanctrack.models import Dataset
from sanctrack.terminal import err, errors_reported, print_error, say, say_row


def _exit_codes() -> str:
    from sanctrack.exitcodes import MEANINGS

    return "Exit codes: " + "; ".join(f"{int(c)} {m}" for c, m in MEANINGS.items()) + "."


app = typer.Typer(
    help="sanctrack: a database of sanctions-breaking transfers between states.",
    epilog=(
        "Example: sanctrack demo, then sanctrack report by-year-category --supplier PRK. "
        + _exit_codes()
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from sanctrack import __version__

        say(f"sanctrack {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit"
        ),
    ] = False,
) -> None:
    """sanctrack: a database of sanctions-breaking transfers between states."""


#: Files larger than this get a progress bar while loading.
PROGRESS_BYTES = 1 << 20


@app.command()
def init(database: Database = None, wait: Wait = None) -> None:
    """Create or upgrade the database, with its reference data.

    Example: sanctrack init -d research.db
    """
    with errors_reported():
        engine = open_database(database, wait, create=True)
    say(f"Database ready: {shown_url(engine.url)}")


def _progress_for(path: Path) -> tuple[Progress | None, Callable[[int], None] | None]:
    try:
        size = path.stat().st_size
    except OSError:  # load_fixture says what is wrong with the path
        return None, None
    if size < PROGRESS_BYTES or not err.is_terminal:
        return None, None
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    task = bar.add_task(shown_name(path), total=size)
    return bar, lambda done: bar.update(task, completed=done)


#: Fixture files; load_fixture and validate_fixture refuse what is not one, one line each.
Paths = Annotated[list[Path], typer.Argument()]


@app.command()
def load(paths: Paths, database: Database = None, wait: Wait = None) -> None:
    """Load fixture files (YAML, JSON, JSON Lines, or flat: .csv, .xlsx, .parquet), each
    all or nothing.

    Example: sanctrack load -d research.db my-dataset.yaml my-sheet.xlsx judgements.yaml
    """
    from sanctrack.exitcodes import exit_code

    failed = 0  # the exit code of the first file that failed
    with errors_reported():
        engine = open_database(database, wait, create=True)
        for path in paths:
            bar, progress = _progress_for(path)
            try:
                with Session(engine) as session:
                    if bar is not None:
                        with bar:
                            report = load_fixture(session, path, progress=progress)
                    else:
                        report = load_fixture(session, path)
                say(str(report))
            except SanctrackError as error:
                failed = failed or exit_code(error)
                print_error(error)
    if failed:
        raise typer.Exit(failed)


@app.command()
def validate(paths: Paths) -> None:
    """Check fixture files without touching any database.

    Example: sanctrack validate my-dataset.yaml
    """
    failed = False
    for path in paths:
        try:
            count = validate_fixture(path)
            say(f"{shown_name(path)}: valid ({count} transfers)")
        except SanctrackError as error:
            failed = True
            print_error(error)
    if failed:
        raise typer.Exit(1)


#: What `export --format` writes; a flat format needs a file (it writes several).
EXPORT_FORMATS = ("yaml", "json", "jsonl", "csv", "xlsx", "parquet")


def _export_target(output: Path | None, fmt: str | None) -> Path | None:
    """The file to write, None for YAML on standard output; a SanctrackError for a format
    that cannot go there."""
    if fmt is None:
        return output
    if fmt not in EXPORT_FORMATS:
        raise SanctrackError(f"Unknown format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    if output is None:
        if fmt == "yaml":
            return None
        raise SanctrackError(f"--format {fmt} writes to a file: give it with -o FILE.{fmt}")
    suffix = output.suffix.lower().lstrip(".")
    if suffix != fmt and (fmt, suffix) != ("yaml", "yml"):
        raise SanctrackError(f"--format {fmt} needs a .{fmt} file, got {output.name}")
    return output


@app.command()
def export(
    dataset: str,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=(
                "File to write (.yaml, .json, .jsonl, or flat: .csv, .xlsx, .parquet); "
                "default: YAML on standard output"
            ),
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="yaml, json, jsonl, csv, xlsx or parquet (default: from the file's suffix)",
        ),
    ] = None,
    database: Database = None,
    wait: Wait = None,
) -> None:
    """Write a loaded dataset back out as a fixture.

    The flat formats write one row per claim; .csv and .parquet put the dataset, sources,
    materiel types and links in files beside it (x.sources.csv...).

    Example: sanctrack export msmt-2025-05-dprk-russia -d research.db --format xlsx -o msmt.xlsx
    """
    with errors_reported():
        target = _export_target(output, fmt)
        engine = open_database(database, wait, create=False)
        with Session(engine) as session:
            fixture = export_dataset(session, dataset)
        if target is None:
            import yaml

            data: Any = fixture.model_dump(mode="json", exclude_none=True)
            sys.stdout.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        else:
            write_fixture(fixture, target)
            say(f"Wrote {dataset} to {target}")


@app.command()
def template(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The workbook to write (.xlsx)", dir_okay=False),
    ] = Path("sanctrack-template.xlsx"),
) -> None:
    """Write an empty spreadsheet fixture (.xlsx) to fill in and load, with drop-down
    lists of the materiel types, units, qualifiers, statuses, source kinds and
    reliabilities.

    Example: sanctrack template -o my-dataset.xlsx
    """
    from sanctrack.fixture.template import write_template

    with errors_reported():
        write_template(output)
    say(f"Wrote a template to {output}: fill in its sheets, then `sanctrack load {output}`")


@app.command()
def remove(dataset: str, database: Database = None, wait: Wait = None) -> None:
    """Remove a dataset with everything it holds (refused while another relies on it).

    Example: sanctrack remove my-judgements
    """
    from sanctrack.fixture import remove_dataset

    with errors_reported():
        engine = open_database(database, wait, create=False)
        with Session(engine) as session:
            report = remove_dataset(session, dataset, wait=wait)
        say(f"Removed {dataset}: {report.removed} records")


@app.command()
def datasets(database: Database = None, wait: Wait = None) -> None:
    """List the loaded datasets (id, version and title, separated by tabs).

    Example: sanctrack datasets -d research.db
    """
    with errors_reported():
        engine = open_database(database, wait, create=False)
        with Session(engine) as session:
            found = list(session.scalars(select(Dataset).order_by(col(Dataset.id))))
    if not found:
        say(NO_DATASETS)
    for d in found:
        say_row(d.id, d.version, d.title)


#: What `datasets` says of a database without any.
NO_DATASETS = "No datasets loaded. Load one with `sanctrack load FILE`, or try `sanctrack demo`."


@app.command()
def states(names: Annotated[list[str] | None, typer.Argument()] = None) -> None:
    """Resolve state names or codes to ISO 3166-1 alpha-3 codes (name, then code, by tabs);
    with no name, list every state (code, then name). Each name that cannot be resolved
    gets its error on standard error, and the exit code is 1.

    Example: sanctrack states "Corée du Nord" "Russian Fed." 408
    """
    from sanctrack.statenames import resolve_state, state_records

    if not names:
        for record in state_records():
            say_row(record.code, record.name)
        return
    failed = False
    for name in names:
        try:
            code = resolve_state(name)
        except SanctrackError as error:
            failed = True
            print_error(error)
        else:
            say_row(name, code)
    if failed:
        raise typer.Exit(1)


@app.command()
def demo(database: Database = None, wait: Wait = None) -> None:
    """Create a database, load the bundled datasets and print transfers by year and
    category, the petroleum cap check and the claims that conflict.

    Example: sanctrack demo -d demo.db
    """
    from sanctrack.fixture import bundled_fixtures
    from sanctrack.queries import cap_checks, transfers_by_year_and_category
    from sanctrack.queries.cli import emit
    from sanctrack.queries.totals import CONFLICT

    with errors_reported():
        engine = open_database(database, wait, create=True)
        for path in bundled_fixtures():
            with Session(engine) as session:
                say(str(load_fixture(session, path)))
        conflicts: dict[str, None] = {}
        for supplier, recipient in (("PRK", "RUS"), ("RUS", "PRK")):
            with Session(engine) as session:
                result = transfers_by_year_and_category(
                    session, supplier=supplier, recipient=recipient, level="leaf"
                )
            conflicts.update(dict.fromkeys(c.message for c in result.caveats if c.kind == CONFLICT))
            others = [c for c in result.caveats if c.kind != CONFLICT]
            say("")
            say(f"{supplier} → {recipient}: transfers by year and category")
            emit(result.model_copy(update={"caveats": others}))
        with Session(engine) as session:
            caps = cap_checks(session, recipient="PRK")  # what every supplier sent
        say("")
        say(
            "Petroleum to PRK against the annual caps (not_shown is no proof of compliance: "
            "unquantified deliveries may hide any amount)"
        )
        emit(caps)
        say("")
        say(f"Conflicting claims: {len(conflicts)} transfer(s) whose claims cannot all hold")
        for message in conflicts:
            say(f"  {message}")


@app.command()
def review(
    database: Database = None,
    wait: Wait = None,
    supplier: Annotated[str | None, typer.Option(help="Supplier (code or name)")] = None,
    recipient: Annotated[str | None, typer.Option(help="Recipient (code or name)")] = None,
    dataset: Annotated[
        list[str] | None, typer.Option("--dataset", help="Only these datasets (repeatable)")
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(help="Write a judgement file to fill in here (YAML)", dir_okay=False),
    ] = None,
) -> None:
    """List the open overlap caveats, each with its transfers' claims side by side.

    Judge each in a small file (--template writes one), then load it: `same_as` counts
    the transfers once, `distinct_from` silences the caveat.

    Example: sanctrack review --supplier PRK --template judgements.yaml
    """
    from sanctrack.queries.names import check_names
    from sanctrack.queries.review import judgement_template
    from sanctrack.queries.review import review as open_caveats

    with errors_reported():
        engine = open_database(database, wait, create=False)
        with Session(engine) as session:
            check_names(session, "dataset", dataset)
            items = open_caveats(session, supplier=supplier, recipient=recipient, datasets=dataset)
        if not items:
            say("No open overlap caveats.")
        for number, item in enumerate(items, 1):
            say(f"[{number}] {item.caveat.message}")
            for c in item.claims:
                say_row("", c.transfer, c.period, c.materiel, c.source_id, c.reliability, c.claim)
        if template is not None:
            template.write_text(judgement_template(items), encoding="utf-8")
            say(f"Wrote a judgement file for {len(items)} caveat(s) to {template}")


def _mount_reports() -> None:
    from sanctrack.cli_report import report_app

    app.add_typer(report_app, name="report")


_mount_reports()


def _mount_ftm() -> None:
    from sanctrack.cli_ftm import export_ftm, import_ftm

    app.command("export-ftm")(export_ftm)
    app.command("import-ftm")(import_ftm)


_mount_ftm()


def main() -> None:
    app(prog_name="sanctrack")
