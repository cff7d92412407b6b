"""What FollowTheMoney keeps of a dataset's ownership links: each end as it is described
(not its id), the role, the days the period spans, the quote and the source's URL."""

from __future__ import annotations

from typing import Any

from sanctrack.fixture.schema import Fixture
from sanctrack.periods import parse_period


def owned_links(fixture: Fixture) -> list[Any]:
    ends: dict[tuple[str, str], Any] = {}
    for v in fixture.vessels:
        ends[("vessel", v.id)] = ("vessel", v.imo, list(dict.fromkeys(n.name for n in v.names)))
    for a in fixture.aircraft:
        ends[("aircraft", a.id)] = ("aircraft", a.registration)
    for o in fixture.organisations:
        ends[("organisation", o.id)] = ("organisation", o.name)
    for p in fixture.persons:
        ends[("person", p.id)] = ("person", p.name)
    urls = {s.id: s.url for s in fixture.sources}
    found = []
    for o in fixture.ownerships:
        period = parse_period(o.period) if o.period else None
        days = (period.start_date, period.end_date) if period else None
        found.append(
            (ends[o.owner.ref()], ends[o.asset.ref()], o.role, days, o.quote, urls[o.source])
        )
    return sorted(found, key=repr)
