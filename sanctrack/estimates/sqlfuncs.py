"""Portable SQL functions the queries need: a date's year and day number, a year's first day.

Day numbers count days since 0001-01-01 (proleptic Gregorian), on every backend, so that
the single-claim estimates in SQL compute exactly the same integers on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

#: julianday('0001-01-01') in SQLite.
_JULIAN_DAY_ONE = "1721425.5"


class year_of(FunctionElement[int]):
    """The calendar year of a DATE, as an integer."""

    type = Integer()
    inherit_cache = True
    name = "year_of"


class day_number(FunctionElement[int]):
    """Days from 0001-01-01 to a DATE."""

    type = Integer()
    inherit_cache = True
    name = "day_number"


@compiles(year_of, "sqlite")
def _year_sqlite(element: year_of, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(substr({compiler.process(element.clauses, **kw)}, 1, 4) AS INTEGER)"


@compiles(year_of)
def _year_default(element: year_of, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(EXTRACT(YEAR FROM {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(day_number, "sqlite")
def _day_sqlite(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"CAST(julianday({arg}) - {_JULIAN_DAY_ONE} AS INTEGER)"


@compiles(day_number)
def _day_default(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} - DATE '0001-01-01')"


def first_day(year: ColumnElement[Any]) -> ColumnElement[Any]:
    """The day number of 1 January of ``year`` (an integer expression, year >= 1)."""
    y = year - 1
    return 365 * y + y // 4 - y // 100 + y // 400


class least(FunctionElement[int]):
    """The smallest of its (non-NULL) integer arguments."""

    type = Integer()
    inherit_cache = True
    name = "least"


class greatest(FunctionElement[int]):
    """The largest of its (non-NULL) integer arguments."""

    type = Integer()
    inherit_cache = True
    name = "greatest"


@compiles(least, "sqlite")
def _least_sqlite(element: least, compiler: SQLCompiler, **kw: Any) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(least)
def _least_default(element: least, compiler: SQLCompiler, **kw: Any) -> str:
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(greatest)
def _greatest_default(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


class distinct_sources(FunctionElement[str]):
    """The distinct non-NULL values of a column of slugs, joined by ',' (slugs hold no
    comma): SQLite's group_concat(DISTINCT x), PostgreSQL's string_agg(DISTINCT x, ',')."""

    type = String()
    inherit_cache = True
    name = "distinct_sources"


@compiles(distinct_sources, "sqlite")
def _distinct_sources_sqlite(element: distinct_sources, compiler: SQLCompiler, **kw: Any) -> str:
    return f"group_concat(DISTINCT {compiler.process(element.clauses, **kw)})"


@compiles(distinct_sources, "postgresql")
def _distinct_sources_pg(element: distinct_sources, compiler: SQLCompiler, **kw: Any) -> str:
    return f"string_agg(DISTINCT {compiler.process(element.clauses, **kw)}, ',')"
