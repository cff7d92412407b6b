"""The filters every query helper accepts, validated and normalised once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal, TypedDict, get_args

from pydantic import BaseModel, ConfigDict

from sanctrack.estimates.allocate import SPLITS
from sanctrack.estimates.policy import CLAIM_POLICIES as CLAIM_POLICIES
from sanctrack.estimates.policy import ClaimPolicy as ClaimPolicy
from sanctrack.models.vocab import RELIABILITIES, STATUSES
from sanctrack.queries.errors import QueryError
from sanctrack.statenames import resolve_state

Level = Literal["top", "leaf"]
YearSplit = Literal["start", "end", "prorate"]

YEAR_SPLITS: tuple[str, ...] = get_args(YearSplit)
assert set(YEAR_SPLITS) == set(SPLITS)
#: Statuses counted unless ``status`` says otherwise: announced transfers (pledged,
#: planned) are not deliveries.
DELIVERED: tuple[str, ...] = tuple(s for s in STATUSES if s not in ("pledged", "planned"))

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
    materiel: tuple[str, ...] | None = None
    level: Level = "top"
    years: tuple[int, ...] | None = None
    min_reliability: str | None = None
    datasets: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    statuses: tuple[str, ...] = DELIVERED
    as_of: date | None = None


class FilterArgs(TypedDict, total=False):
    """The filters every helper takes (as keyword arguments):

    ``supplier``/``recipient`` (codes or any name ``resolve_state`` accepts), ``category``
    (a slug; its descendants are included), ``materiel`` (materiel-type slugs: only
    transfers of these), ``level`` ("top" or "leaf"), ``years``,
    ``min_reliability`` (A-F: only claims of sources whose effective reliability, through
    their chain of citations, is at least this good), ``datasets``, ``sources`` (claims of
    these sources), ``status`` (transfer statuses counted; default every status but
    pledged and planned) and ``as_of`` (a date: only claims of sources whose whole
    published span is on or before it, i.e. what was surely known that day; an undated
    source is never known).
    """

    supplier: States
    recipient: States
    category: Names
    materiel: Names
    level: str
    years: int | str | Iterable[int | str] | None
    min_reliability: str | None
    datasets: Names
    sources: Names
    status: Names
    as_of: date | str | None


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
    materiel: Names = None,
    level: str = "top",
    years: int | str | Iterable[int | str] | None = None,
    min_reliability: str | None = None,
    datasets: Names = None,
    sources: Names = None,
    year_split: str = "prorate",
    claim_policy: str = "envelope",
    status: Names = None,
    as_of: date | str | None = None,
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
        materiel=_names(materiel),
        level=level,
        years=year_tuple,
        min_reliability=min_reliability,
        datasets=_names(datasets),
        sources=_names(sources),
        statuses=_statuses(status),
        as_of=_date(as_of),
    )


def _statuses(value: Names) -> tuple[str, ...]:
    if value is None:
        return DELIVERED
    names = _names(value) or ()
    for name in names:
        if name not in STATUSES:
            raise QueryError(f"status must be among {', '.join(STATUSES)}; got {name!r}")
    return tuple(sorted(set(names)))


def _date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise QueryError(f"as_of must be a date such as 2024-06-30; got {value!r}") from None


def check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    """Raise QueryError unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise QueryError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
