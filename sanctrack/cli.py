"""The `sanctrack` command line: a thin layer over the library."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from sqlalchemy import select
from sqlmodel import Session, col

from sanctrack.db.connect import connect
from sanctrack.errors import SanctrackError
from sanctrack.fixture import export_dataset, load_fixture, validate_fixture, write_fixture
from sanctrack.fixture.paths import shown_name
from sanctrack.models import Dataset

app = typer.Typer(
    help="sanctrack: a database of sanctions-breaking transfers between states.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True)

Url = Annotated[
    str | None,
    typer.Option("--url", help="Database URL (default: $SANCTRACK_DATABASE_URL or ./sanctrack.db)"),
]
#: Files larger than this get a progress bar while loading.
PROGRESS_BYTES = 1 << 20


@contextmanager
def errors_reported() -> Iterator[None]:
    """Print sanctrack's errors, one per line, and exit 1 instead of a traceback."""
    try:
        yield
    except SanctrackError as error:
        print_error(error)
        raise typer.Exit(1) from None


def print_error(error: SanctrackError) -> None:
    """Each line of the error's message on its own line of standard error."""
    for line in str(error).splitlines():
        err.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command()
def init(url: Url = None) -> None:
    """Create or upgrade the database, with its reference data."""
    with errors_reported():
        engine = connect(url)
    out.print(f"Database ready: {engine.url.render_as_string(hide_password=True)}")


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
def load(paths: Paths, url: Url = None) -> None:
    """Load fixture files (YAML, JSON or JSON Lines), each all or nothing."""
    failed = False
    with errors_reported():
        engine = connect(url)
    for path in paths:
        bar, progress = _progress_for(path)
        try:
            with Session(engine) as session:
                if bar is not None:
                    with bar:
                        report = load_fixture(session, path, progress=progress)
                else:
                    report = load_fixture(session, path)
            out.print(str(report), markup=False, highlight=False)
        except SanctrackError as error:
            failed = True
            print_error(error)
    if failed:
        raise typer.Exit(1)


@app.command()
def validate(paths: Paths) -> None:
    """Check fixture files without touching any database."""
    failed = False
    for path in paths:
        try:
            count = validate_fixture(path)
            shown = f"{shown_name(path)}: valid ({count} transfers)"
            out.print(shown, markup=False, highlight=False)
        except SanctrackError as error:
            failed = True
            print_error(error)
    if failed:
        raise typer.Exit(1)


@app.command()
def export(
    dataset: str,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=("File to write (.yaml, .json or .jsonl); default: YAML on standard output"),
        ),
    ] = None,
    url: Url = None,
) -> None:
    """Write a loaded dataset back out as a fixture."""
    with errors_reported():
        engine = connect(url)
        with Session(engine) as session:
            fixture = export_dataset(session, dataset)
        if output is None:
            import yaml

            data: Any = fixture.model_dump(mode="json", exclude_none=True)
            sys.stdout.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        else:
            write_fixture(fixture, output)
            out.print(f"Wrote {dataset} to {output}", markup=False, highlight=False)


@app.command()
def datasets(url: Url = None) -> None:
    """List the loaded datasets."""
    with errors_reported():
        engine = connect(url)
        with Session(engine) as session:
            for d in session.scalars(select(Dataset).order_by(col(Dataset.id))):
                out.print(f"{d.id}\t{d.version}\t{d.title}", markup=False, highlight=False)


@app.command()
def states(names: list[str]) -> None:
    """Resolve state names or codes to ISO 3166-1 alpha-3 codes."""
    from sanctrack.statenames import resolve_state

    with errors_reported():
        for name in names:
            out.print(f"{name}\t{resolve_state(name)}", markup=False, highlight=False)


@app.command()
def demo(url: Url = None) -> None:
    """Create a database, load the bundled datasets and print transfers by year and category."""
    from sanctrack.queries import transfers_by_year_and_category
    from sanctrack.queries.cli import Format, emit
    from sanctrack.resources import data_dir

    with errors_reported():
        engine = connect(url)
        for path in sorted(data_dir("fixtures").glob("*.yaml")):
            with Session(engine) as session:
                out.print(str(load_fixture(session, path)), markup=False, highlight=False)
        for supplier, recipient in (("PRK", "RUS"), ("RUS", "PRK")):
            with Session(engine) as session:
                result = transfers_by_year_and_category(
                    session, supplier=supplier, recipient=recipient, level="leaf"
                )
            out.print(
                f"\n{supplier} → {recipient}: transfers by year and category "
                "(— = unknown or unbounded)",
                markup=False,
                highlight=False,
            )
            emit(result, Format.table)


def _mount_reports() -> None:
    from sanctrack.queries.cli import report_app

    app.add_typer(report_app, name="report")


_mount_reports()


def main() -> None:
    app()
