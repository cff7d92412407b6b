"""Query results on the command line: the output formats of ``sanctrack report``.

Each format is one function registered in :data:`FORMATS` with :func:`output_format`; it
writes a result to a text stream (or a binary one, for ``binary=True``). ``--format``
offers every registered name, and ``-o FILE`` writes to a file instead of standard output.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rich.console import Console

from sanctrack.errors import SanctrackError
from sanctrack.queries.result import QueryResult
from sanctrack.queries.textable import caveat_texts, rich_tables
from sanctrack.terminal import say

Writer = Callable[[QueryResult[Any], IO[Any]], None]


@dataclass(frozen=True)
class OutputFormat:
    name: str
    write: Writer
    #: Binary formats (xlsx, parquet) get a binary stream.
    binary: bool = False


#: The formats of ``--format``, by name, in the order registered.
FORMATS: dict[str, OutputFormat] = {}


def output_format(name: str, *, binary: bool = False) -> Callable[[Writer], Writer]:
    """Register the decorated function as the writer of the format ``name``."""

    def register(write: Writer) -> Writer:
        FORMATS[name] = OutputFormat(name, write, binary)
        return write

    return register


class OutputError(SanctrackError, OSError):
    """The output file cannot be written."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"Cannot write {path}: {reason}. Give -o a file in a folder that exists and is "
            "writable."
        )


class BinaryToTerminalError(SanctrackError, ValueError):
    """A binary format (xlsx, parquet) was asked for standard output."""

    def __init__(self, fmt: str) -> None:
        super().__init__(
            f"--format {fmt} writes a binary file, not text for standard output: "
            f"give -o FILE (e.g. -o report.{fmt})."
        )


def check_destination(fmt: str, path: Path | None) -> None:
    """Refuse a binary format without an output file (before any work is done)."""
    if FORMATS[fmt].binary and path is None:
        raise BinaryToTerminalError(fmt)


def emit(result: QueryResult[Any], fmt: str = "table", path: Path | None = None) -> None:
    """Write ``result`` in the format ``fmt`` to standard output, or to the file ``path``
    (binary formats only to a file)."""
    check_destination(fmt, path)
    chosen = FORMATS[fmt]
    if path is None:
        chosen.write(result, sys.stdout)
        sys.stdout.flush()
        return
    try:
        opened = path.open("wb") if chosen.binary else path.open("w", encoding="utf-8", newline="")
        with opened as f:
            chosen.write(result, f)
    except OSError as error:
        raise OutputError(path, error.strerror or str(error)) from None
    say(f"Wrote {len(result)} rows to {path}")


@output_format("table")
def write_table(result: QueryResult[Any], stream: IO[Any]) -> None:
    """Rich tables (split to fit the width, numbers never cut), caveats below them."""
    records = result.records()
    # Piped output has no width: don't let rich squeeze the table.
    terminal = stream is sys.stdout and sys.stdout.isatty()
    console = Console() if terminal else Console(file=stream, width=200, color_system=None)
    for table in rich_tables(result.kinds(), records, result.parameters, console.width):
        console.print(table)
    for line in caveat_texts(result.caveats):
        console.print(line, highlight=False)


@output_format("csv")
def write_csv(result: QueryResult[Any], stream: IO[Any]) -> None:
    from sanctrack.queries.workbook import cell_value  # lists as one cell, as in a workbook

    writer = csv.DictWriter(stream, fieldnames=result.columns(), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: cell_value(v) for k, v in r.items()} for r in result.records())


@output_format("json")
def write_json(result: QueryResult[Any], stream: IO[Any]) -> None:
    stream.write(result.model_dump_json(indent=2) + "\n")


@output_format("xlsx", binary=True)
def write_xlsx(result: QueryResult[Any], stream: IO[Any]) -> None:
    """A workbook: the rows, then the sheets "caveats" and "parameters"."""
    from sanctrack.queries.workbook import write_workbook

    write_workbook(result, stream)


@output_format("parquet", binary=True)
def write_parquet(result: QueryResult[Any], stream: IO[Any]) -> None:
    """Typed columns; the caveats and parameters in the file's metadata."""
    from sanctrack.queries.arrow import write_parquet as write

    write(result, stream)
