"""The columns of a result, typed from its row model: which hold integers (nullable or
not), booleans, dates, text or tuples; frames and tables take their types from here."""

from __future__ import annotations

import types
from datetime import date
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

Kind = Literal["int", "bool", "date", "str", "tuple", "float", "other"]


def column_kind(annotation: Any) -> tuple[Kind, bool]:
    """The kind of values a field holds and whether it may be None."""
    args = get_args(annotation)
    nullable = False
    if get_origin(annotation) in (Union, types.UnionType):
        nullable = type(None) in args
        rest = [a for a in args if a is not type(None)]
        annotation = rest[0] if len(rest) == 1 else Any
    if get_origin(annotation) is tuple:
        return "tuple", nullable
    if get_origin(annotation) is Literal:
        return "str", nullable
    kinds: dict[Any, Kind] = {bool: "bool", int: "int", float: "float", date: "date", str: "str"}
    return kinds.get(annotation, "other"), nullable


def column_kinds(row_type: type[BaseModel] | None) -> dict[str, tuple[Kind, bool]]:
    """Each field of ``row_type``, in order, with its kind and nullability."""
    if row_type is None:
        return {}
    return {name: column_kind(f.annotation) for name, f in row_type.model_fields.items()}


def numeric(kinds: dict[str, tuple[Kind, bool]]) -> set[str]:
    """The integer and float columns (quantities and counts; ``year`` too)."""
    return {name for name, (kind, _) in kinds.items() if kind in ("int", "float")}
