"""What a result answers, in words: a title built from its query's parameters, and
its caveats and sources in plain, short sentences (chart footnotes, table captions)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sanctrack.queries.filters import DELIVERED

if TYPE_CHECKING:
    from sanctrack.queries.result import Caveat

#: At most this many caveats and sources are named in a footnote or a caption.
NAMED = 4


def _names(values: Sequence[Any] | None, anyone: str) -> str:
    if not values:
        return anyone
    return " or ".join(str(v) for v in values)


def _years(years: Sequence[int]) -> str:
    ys = sorted(years)
    if len(ys) > 1 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def direction(parameters: dict[str, Any]) -> str:
    """ "PRK → RUS", "any supplier → PRK"..."""
    supplier = _names(parameters.get("suppliers"), "any supplier")
    recipient = _names(parameters.get("recipients"), "any recipient")
    return f"{supplier} → {recipient}"


def fixed(parameters: dict[str, Any], name: str) -> bool:
    """Whether the filter on ``name`` ("suppliers", "recipients") names exactly one state."""
    values = parameters.get(name)
    return values is not None and len(values) == 1


def filters(parameters: dict[str, Any]) -> list[str]:
    """The filters and policies that differ from the defaults, each in a few words."""
    p = parameters
    said = []
    if p.get("categories"):
        said.append("categories " + ", ".join(p["categories"]))
    if p.get("level") == "leaf":
        said.append("leaf categories")
    if p.get("years"):
        said.append(_years(p["years"]))
    if p.get("min_reliability"):
        said.append(f"sources rated {p['min_reliability']} or better")
    if p.get("datasets"):
        said.append("datasets " + ", ".join(p["datasets"]))
    if p.get("sources"):
        said.append("sources " + ", ".join(p["sources"]))
    if "statuses" in p and tuple(p["statuses"]) != DELIVERED:
        said.append("status " + ", ".join(p["statuses"]))
    if p.get("as_of"):
        said.append(f"as known on {p['as_of']}")
    if p.get("transfer"):
        t = p["transfer"]
        said.append("transfer " + (t if isinstance(t, str) else ", ".join(t)))
    if p.get("claim_policy", "envelope") != "envelope":
        said.append(f"claims: {p['claim_policy'].replace('_', ' ')}")
    if p.get("year_split", "prorate") != "prorate":
        said.append(f"multi-year claims counted at their {p['year_split']}")
    return said


def title(what: str, parameters: dict[str, Any]) -> str:
    """``what``, the direction and the filters: "Transfers by year and category: PRK →
    RUS; 2024; sources rated B or better"."""
    return "; ".join([f"{what}: {direction(parameters)}", *filters(parameters)])


def caveat_words(caveat: Caveat) -> str:
    """One caveat in a short sentence."""
    where = ", ".join(
        x
        for x in (
            f"{caveat.supplier} → {caveat.recipient}" if caveat.supplier else "",
            caveat.category or "",
        )
        if x
    )
    n = len(caveat.transfers)
    if caveat.kind == "possible_double_count":
        return f"{where}: {n} transfers of {len(caveat.datasets)} datasets may be the same goods"
    if caveat.kind == "conflicting_claims":
        return f"{where}: the claims on {', '.join(caveat.transfers)} cannot all hold"
    return textwrap.shorten(caveat.message, width=140, placeholder=" …")


def caveats_line(caveats: Sequence[Caveat]) -> str:
    """ "Caveats: ...; ...; and 3 more (see result.caveats)", or "" without caveats."""
    if not caveats:
        return ""
    said = [caveat_words(c) for c in caveats[:NAMED]]
    more = len(caveats) - NAMED
    tail = f"; and {more} more (see result.caveats)" if more > 0 else ""
    return "Caveats: " + "; ".join(said) + tail + "."


def sources_line(sources: Sequence[str]) -> str:
    """ "Sources: a, b and 3 more.", or "" when the result names none."""
    if not sources:
        return ""
    named = ", ".join(sources[: NAMED * 2])
    more = len(sources) - NAMED * 2
    return f"Sources: {named}" + (f" and {more} more" if more > 0 else "") + "."


def footnote(sources: Sequence[str], caveats: Sequence[Caveat], extra: str, width: int) -> str:
    """The sources, what the marks mean (``extra``) and the caveats, wrapped at ``width``."""
    parts = [p for p in (sources_line(sources), extra, caveats_line(caveats)) if p]
    return "\n".join(textwrap.fill(p, width=width) for p in parts)
