"""The filters every query helper accepts, validated and normalised once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from sanctrack.models.vocab import RELIABILITIES
from sanctrack.queries.errors import QueryError
from sanctrack.statenames import resolve_state

Level = Literal["top", "leaf"]
YearSplit = Literal["start", "end", "prorate"]
ClaimPolicy = Literal["most_reliable", "newest", "highest_credibility"]

States = str | Iterable[str] | None
Names = str | Iterable[str] | None


class Filters(BaseModel):
    """Normalised filters: state codes, slugs, years; None means "no restriction"."""

    model_config = ConfigDict(frozen=True)

    suppliers: tuple[str, ...] | None = None
    recipients: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    level: Level = "top"
    years: tuple[int, ...] | None = None
    min_reliability: str | None = None
    datasets: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None


def _names(value: Names) -> tuple[str, ...] | None:
    if value is None:
        return None
    return (value,) if isinstance(value, str) else tuple(value)


def _states(value: States) -> tuple[str, ...] | None:
    names = _names(value)
    return None if names is None else tuple(resolve_state(name) for name in names)


def make_filters(
    *,
    supplier: States = None,
    recipient: States = None,
    category: Names = None,
    level: str = "top",
    years: int | Iterable[int] | None = None,
    min_reliability: str | None = None,
    datasets: Names = None,
    sources: Names = None,
) -> Filters:
    """Validate the filters; states may be codes or any name ``resolve_state`` accepts."""
    if level not in ("top", "leaf"):
        raise QueryError(f"level must be 'top' or 'leaf', not {level!r}")
    if min_reliability is not None and min_reliability not in RELIABILITIES:
        raise QueryError(f"min_reliability must be one of A-F, not {min_reliability!r}")
    year_tuple = None
    if years is not None:
        year_tuple = (years,) if isinstance(years, int) else tuple(sorted(set(years)))
    return Filters(
        suppliers=_states(supplier),
        recipients=_states(recipient),
        categories=_names(category),
        level=level,
        years=year_tuple,
        min_reliability=min_reliability,
        datasets=_names(datasets),
        sources=_names(sources),
    )


def check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    """Raise QueryError unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise QueryError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
