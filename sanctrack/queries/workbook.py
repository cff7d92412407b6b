"""A query result as an .xlsx workbook: the rows (typed cells: integers stay integers, an
unbounded high is an empty cell, never 0), then a sheet "caveats" and a sheet
"parameters" (the query that gave the rows)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from sanctrack.fixture.flat_write import EXACT_IN_A_DOUBLE
from sanctrack.optional import optional

if TYPE_CHECKING:
    from sanctrack.queries.result import QueryResult

ROWS_SHEET = "rows"
CAVEATS_SHEET = "caveats"
PARAMETERS_SHEET = "parameters"


def cell_value(value: Any) -> Any:
    """What a cell holds for ``value``: tuples joined with ", " (an empty one is an empty
    cell), integers a double cannot hold exactly as text, None as an empty cell."""
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) or None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > EXACT_IN_A_DOUBLE:
        return str(value)
    return value


def write_workbook(result: QueryResult[Any], stream: IO[bytes]) -> None:
    openpyxl = optional("openpyxl", "xlsx", "Writing .xlsx reports")
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)

    def append(sheet: Any, values: list[Any]) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=cell_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, never a formula
            cells.append(cell)
        sheet.append(cells)

    rows = book.create_sheet(ROWS_SHEET)
    columns = result.columns()
    append(rows, columns)
    for record in result.records():
        append(rows, [record[c] for c in columns])
    caveats = book.create_sheet(CAVEATS_SHEET)
    from sanctrack.queries.result import Caveat

    fields = list(Caveat.model_fields)
    append(caveats, fields)
    for caveat in result.caveats:
        append(caveats, [getattr(caveat, f) for f in fields])
    parameters = book.create_sheet(PARAMETERS_SHEET)
    append(parameters, ["parameter", "value"])
    for name, value in result.parameters.items():
        append(parameters, [name, value])
    book.save(stream)
