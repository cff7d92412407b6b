"""A result as an HTML table (Jupyter): a caption that says what was asked and what the
caveats are in plain words, numbers right-aligned and whole, words for what has no figure;
the full caveats under the table."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sanctrack.queries.columns import Kind
from sanctrack.queries.describe import caveats_line, sources_line
from sanctrack.queries.layout import shown

if TYPE_CHECKING:
    from sanctrack.queries.result import Caveat

NOTE = (
    '"unbounded": no claim sets an upper bound; "unquantified": transfers known to have '
    "happened with no figure (counted, never taken as 0)."
)


def html_table(
    title: str,
    kinds: dict[str, tuple[Kind, bool]],
    records: list[dict[str, Any]],
    parameters: dict[str, Any],
    caveats: Sequence[Caveat],
    sources: Sequence[str],
) -> str:
    names, rows, numbers = shown(kinds, records, parameters)
    e = html.escape
    said = [p for p in (caveats_line(caveats), sources_line(sources)) if p]
    caption = "".join(f"<br><small>{e(p)}</small>" for p in said)
    head = "".join(f"<th>{e(c)}</th>" for c in names)
    body = "".join("<tr>" + "".join(_td(r[c], c in numbers) for c in names) + "</tr>" for r in rows)
    parts = [
        f'<table class="sanctrack"><caption style="text-align:left"><b>{e(title)}</b>'
        f"{caption}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
        f"<p>{len(records)} rows. {e(NOTE)}</p>",
    ]
    if caveats:
        items = "".join(f"<li><b>{e(c.kind)}</b>: {e(c.message)}</li>" for c in caveats)
        parts.append(f'<div class="sanctrack-caveats"><p>Caveats:</p><ul>{items}</ul></div>')
    return "".join(parts)


def _td(text: str, number: bool) -> str:
    if number:
        return f'<td style="text-align:right;white-space:nowrap">{html.escape(text)}</td>'
    return f"<td>{html.escape(text)}</td>"
