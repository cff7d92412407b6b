"""The filters every query helper accepts, validated and normalised once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from sanctrack.models.vocab import RELIABILITIES
from sanctrack.queries.errors import QueryError
from sanctrack.statenames import resolve_state

Level = Literal["top", "leaf"]
YearSplit = Literal["start", "end", "prorate"]
ClaimPolicy = Literal["most_reliable", "newest", "highest_credibility"]

YEAR_SPLITS: tuple[str, ...] = get_args(YearSplit)
CLAIM_POLICIES: tuple[str, ...] = get_args(ClaimPolicy)

States = str | Iterable[str] | None
Names = str | Iterable[str] | None
#: The years a filter may name: the calendar's, as periods store them.
YEAR_RANGE = (1, 9999)
#: At most this many names in one filter (each becomes a SQL parameter).
MAX_NAMES = 1000


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
    """The names as a tuple. A name with a NUL character can match nothing (fixtures refuse
    NUL, and PostgreSQL can't even compare it), so it is left out: an empty tuple is a
    filter that matches nothing, unlike None."""
    if value is None:
        return None
    names = (value,) if isinstance(value, str) else tuple(value)
    if len(names) > MAX_NAMES:
        raise QueryError(f"a filter takes at most {MAX_NAMES:,} names; got {len(names):,}")
    return tuple(name for name in names if "\x00" not in str(name))


def _year(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) <= 20:
        year = int(value)
    else:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        raise QueryError(f"years must be whole years such as 2024; got {shown}")
    low, high = YEAR_RANGE
    if not low <= year <= high:
        shown = str(year) if len(str(year)) <= 40 else str(year)[:37] + "..."
        raise QueryError(f"years must be between {low} and {high}; got {shown}")
    return year


def _states(value: States) -> tuple[str, ...] | None:
    names = _names(value)
    return None if names is None else tuple(resolve_state(name) for name in names)


def make_filters(
    *,
    supplier: States = None,
    recipient: States = None,
    category: Names = None,
    level: str = "top",
    years: int | str | Iterable[int | str] | None = None,
    min_reliability: str | None = None,
    datasets: Names = None,
    sources: Names = None,
    year_split: str = "prorate",
    claim_policy: str = "most_reliable",
) -> Filters:
    """Validate the filters and options; states may be codes or any name ``resolve_state``
    accepts. Raises QueryError (a SanctrackError) on a bad value."""
    check_choice("year_split", year_split, YEAR_SPLITS)
    check_choice("claim_policy", claim_policy, CLAIM_POLICIES)
    if level not in ("top", "leaf"):
        raise QueryError(f"level must be 'top' or 'leaf', not {level!r}")
    if min_reliability is not None and min_reliability not in RELIABILITIES:
        raise QueryError(f"min_reliability must be one of A-F, not {min_reliability!r}")
    year_tuple = None
    if years is not None:
        given = (years,) if isinstance(years, int | str) else tuple(years)
        year_tuple = tuple(sorted({_year(y) for y in given}))
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
