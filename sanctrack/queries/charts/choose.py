"""``QueryResult.plot``: the chart for the kind of result, or an error that says which
results have one and which values a chart can show."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sanctrack.queries.charts.bars import VALUES
from sanctrack.queries.errors import QueryError

if TYPE_CHECKING:
    from sanctrack.queries.charts.figure import Chart
    from sanctrack.queries.result import QueryResult

CHARTED = "year x category results, flows, source comparisons and series"


def _check(value: str, valid: tuple[str, ...]) -> None:
    if value not in valid:
        names = ", ".join(repr(v) for v in valid)
        raise QueryError(f"plot(value={value!r}): value must be one of {names}")


def chart(result: QueryResult[Any], value: str) -> Chart:
    row_type = result._row_type()
    name = row_type.__name__ if row_type is not None else "these"
    if name == "YearCategoryRow":
        from sanctrack.queries.charts.year_category import year_category_chart

        _check(value, VALUES)
        return year_category_chart(result, value)
    if name == "FlowRow":
        from sanctrack.queries.charts.flows import flows_chart

        _check(value, VALUES)
        return flows_chart(result, value)
    if name == "SourceEstimateRow":
        from sanctrack.queries.charts.sources import source_chart

        _check(value, ("best",))
        return source_chart(result)
    raise QueryError(f"{name} results have no chart: plot() draws {CHARTED}")
