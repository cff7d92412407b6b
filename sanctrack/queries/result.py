"""Query results: typed rows, caveats and the parameters used, ready for notebooks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from sanctrack.queries import render

RowT = TypeVar("RowT", bound=BaseModel)


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
    """Rows of one query, the caveats that apply to them, and the parameters used."""

    rows: list[RowT]
    caveats: list[Caveat] = []
    parameters: dict[str, Any] = {}

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

    def _row_type(self) -> type[BaseModel] | None:
        if self.rows:
            return type(self.rows[0])
        args = type(self).__pydantic_generic_metadata__["args"]
        return args[0] if args and isinstance(args[0], type) else None

    def to_pandas(self) -> Any:
        """A pandas DataFrame (needs the ``pandas`` extra); caveats in ``.attrs``."""
        return render.to_pandas(self.records(), self.columns(), self.caveats)

    def to_polars(self) -> Any:
        """A polars DataFrame (needs the ``polars`` extra)."""
        return render.to_polars(self.records(), self.columns())

    def _repr_html_(self) -> str:
        return render.html_table(self.records(), self.columns(), self.caveats)

    def plot(self, *, value: str = "best") -> Any:
        """A stacked bar chart of a year x category result (needs the ``plot`` extra):
        one panel per unit, one bar per year, one segment per category. Returns the
        matplotlib Figure. ``value`` is "low", "best" or "high" (unbounded drawn as 0)."""
        return render.stacked_bars(self.records(), value=value)
