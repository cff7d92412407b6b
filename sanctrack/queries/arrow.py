"""A query result as a Parquet file, typed from the row model (nullable integers stay
integers with nulls, dates are dates, tuples are lists of text); the caveats and the
parameters of the query are JSON in the file's metadata."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

from sanctrack.optional import optional
from sanctrack.queries.columns import Kind

if TYPE_CHECKING:
    from sanctrack.queries.result import QueryResult

#: The keys of the file's metadata.
CAVEATS_KEY = b"sanctrack.caveats"
PARAMETERS_KEY = b"sanctrack.parameters"


def arrow_table(result: QueryResult[Any]) -> Any:
    """The rows of ``result`` as a pyarrow Table, with the caveats and parameters."""
    pa = optional("pyarrow", "parquet", "Writing .parquet reports")
    types: dict[Kind, Any] = {
        "int": pa.int64(),
        "bool": pa.bool_(),
        "float": pa.float64(),
        "date": pa.date32(),
        "str": pa.string(),
        "tuple": pa.list_(pa.string()),
    }
    kinds = result.kinds()
    schema = pa.schema(
        [
            pa.field(name, types.get(kind, pa.string()), nullable)
            for name, (kind, nullable) in kinds.items()
        ]
    )
    records = result.records()
    data = {name: [_plain(kind, r[name]) for r in records] for name, (kind, _) in kinds.items()}
    metadata = {
        CAVEATS_KEY: json.dumps([c.model_dump(mode="json") for c in result.caveats]),
        PARAMETERS_KEY: json.dumps(result.parameters, default=str),
    }
    return pa.table(data, schema=schema.with_metadata(metadata))


def _plain(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind == "tuple":
        return [str(v) for v in value]
    return value if kind in ("int", "bool", "float", "date", "str") else str(value)


def write_parquet(result: QueryResult[Any], stream: IO[bytes]) -> None:
    parquet = optional("pyarrow.parquet", "parquet", "Writing .parquet reports")
    parquet.write_table(arrow_table(result), stream)
