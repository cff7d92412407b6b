"""Query results as pandas or polars DataFrames, typed from the row model: integer
columns stay integers, nullable ones too (pandas ``Int64``, polars ``Int64`` with
nulls), so that an unbounded high (None) is never a float NaN next to integer bounds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sanctrack.queries.columns import Kind
from sanctrack.queries.optional import optional

if TYPE_CHECKING:
    from sanctrack.queries.result import Caveat

PANDAS: dict[Kind, str] = {"int": "Int64", "bool": "boolean", "float": "Float64"}


def to_pandas(
    records: list[dict[str, Any]],
    kinds: dict[str, tuple[Kind, bool]],
    caveats: Sequence[Caveat],
    parameters: dict[str, Any],
) -> Any:
    pd = optional("pandas", "pandas")
    columns = list(kinds)
    frame = pd.DataFrame.from_records(records, columns=columns)
    for name, (kind, _) in kinds.items():
        if kind in PANDAS:
            frame[name] = pd.array([r[name] for r in records], dtype=PANDAS[kind])
    frame.attrs["caveats"] = [c.model_dump() for c in caveats]
    frame.attrs["parameters"] = dict(parameters)
    return frame


def to_polars(records: list[dict[str, Any]], kinds: dict[str, tuple[Kind, bool]]) -> Any:
    pl = optional("polars", "polars")
    types = {
        "int": pl.Int64,
        "bool": pl.Boolean,
        "float": pl.Float64,
        "date": pl.Date,
        "str": pl.String,
        "tuple": pl.List(pl.String),
    }
    schema = {name: types.get(kind, pl.Object) for name, (kind, _) in kinds.items()}
    data = {name: [_plain(r[name]) for r in records] for name in kinds}
    return pl.DataFrame(data, schema=schema, strict=False)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
