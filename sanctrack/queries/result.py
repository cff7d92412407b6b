"""Query results: typed rows, caveats and the parameters used, ready for notebooks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from sanctrack.queries.columns import Kind, column_kinds
from sanctrack.queries.describe import title

if TYPE_CHECKING:
    from sanctrack.queries.charts.figure import Chart

RowT = TypeVar("RowT", bound=BaseModel)

#: What each kind of row answers, for titles and captions.
WHAT = {
    "YearCategoryRow": "Transfers by year and category",
    "FlowRow": "Flows by category",
    "SourceEstimateRow": "Claims by source",
    "SeriesRow": "Running total",
    "TimelineRow": "Timeline",
    "ViolationRow": "Violations",
    "CapCheckRow": "Annual cap checks",
}


class Caveat(BaseModel):
    """A warning about a result, as data: ``kind`` says what, ``message`` explains it."""

    model_config = ConfigDict(frozen=True)

    kind: str
    message: str
    category: str | None = None
    supplier: str | None = None
    recipient: str | None = None
    transfers: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    #: How many transfers of each of ``datasets`` the caveat is about.
    counts: tuple[int, ...] = ()


class QueryResult(BaseModel, Generic[RowT]):
    """Rows of one query, the caveats that apply to them, the parameters used, and the
    ids of the sources whose claims the rows rest on (where the query knows them)."""

    rows: list[RowT]
    caveats: list[Caveat] = []
    parameters: dict[str, Any] = {}
    sources: list[str] = []

    def __iter__(self) -> Iterator[RowT]:  # type: ignore[override]
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> RowT:
        return self.rows[index]

    def records(self) -> list[dict[str, Any]]:
        """The rows as plain dicts."""
        return [row.model_dump() for row in self.rows]

    def columns(self) -> list[str]:
        """The column names, in order (also for an empty result)."""
        row_type = self._row_type()
        return list(row_type.model_fields) if row_type is not None else []

    def kinds(self) -> dict[str, tuple[Kind, bool]]:
        """Each column's kind of value ("int", "str", "date"...) and whether it may be None."""
        return column_kinds(self._row_type())

    def _row_type(self) -> type[BaseModel] | None:
        if self.rows:
            return type(self.rows[0])
        for cls in type(self).__mro__:
            args = getattr(cls, "__pydantic_generic_metadata__", {}).get("args", ())
            if args and isinstance(args[0], type):
                return args[0]
        return None

    def title(self) -> str:
        """What was asked: the kind of result, the direction and the filters used."""
        row_type = self._row_type()
        name = row_type.__name__ if row_type is not None else "Result"
        return title(WHAT.get(name, name), self.parameters)

    def to_pandas(self) -> Any:
        """A pandas DataFrame (needs the ``pandas`` extra), typed from the row model
        (integers as ``Int64``, None kept as <NA>); caveats and parameters in ``.attrs``."""
        from sanctrack.queries.frames import to_pandas

        return to_pandas(self.records(), self.kinds(), self.caveats, self.parameters)

    def to_polars(self) -> Any:
        """A polars DataFrame (needs the ``polars`` extra), typed from the row model."""
        from sanctrack.queries.frames import to_polars

        return to_polars(self.records(), self.kinds())

    def _repr_html_(self) -> str:
        from sanctrack.queries.html import html_table

        return html_table(
            self.title(), self.kinds(), self.records(), self.parameters, self.caveats, self.sources
        )

    def plot(self, *, value: str = "best") -> Chart:
        """A chart of the result (needs the ``plot`` extra), for year x category results,
        flows and source comparisons: best as a bar with low-high whiskers, an unbounded
        high as an open arrow, unquantified transfers as markers with their count, a
        title from the query and a footnote with sources and caveats. ``value`` is
        "best" (the default), or "low" or "high" for bars of that bound. Returns a
        :class:`~sanctrack.queries.charts.figure.Chart` (``.figure``, ``.save(path)``),
        shown once in Jupyter."""
        from sanctrack.queries.charts.choose import chart

        return chart(self, value)
