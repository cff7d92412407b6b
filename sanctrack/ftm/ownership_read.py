"""FollowTheMoney Ownership entities as the fixture section ``ownerships``, with a source
for each of their ``sourceUrl``s (and one for the file, for those without).

An Ownership whose owner or asset is not an entity the import reads (absent from the
file, or of a schema sanctrack does not import) is skipped and counted, not an error:
a slice of OpenSanctions names many owners and assets outside it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from sanctrack.fixture.issues import issues_from
from sanctrack.fixture.schema_ownership import OwnershipIn
from sanctrack.ftm import read as ftm_read  # which imports this module: used at call time
from sanctrack.ftm.ownerships import ROLE_TEXT
from sanctrack.models.ownership import OWNERSHIP_ROLES

if TYPE_CHECKING:
    from sanctrack.ftm.read import Reader

#: The fixture section of each kind an owner or an asset may be, as the import reads them.
OWNER_SECTIONS = {"organisations": "organisation", "persons": "person"}
ASSET_SECTIONS = {"vessels": "vessel", "aircraft": "aircraft", "organisations": "organisation"}
ROLES = {re.sub(r"[^a-z]+", "_", text.lower()): role for role, text in ROLE_TEXT.items()}


def role(values: list[Any]) -> str:
    """The sanctrack role of an Ownership's ``role`` texts (Registered owner, ISM manager,
    operator...); one it does not know, or none, is an owner."""
    for value in values:
        found = re.sub(r"[^a-z]+", "_", str(value).lower()).strip("_")
        if found in OWNERSHIP_ROLES:
            return found
        if found in ROLES:
            return ROLES[found]
    return "owner"


def period(starts: list[Any], ends: list[Any]) -> str | None:
    """An EDTF period of an Ownership's startDate and endDate (None: neither)."""
    start = min((str(s)[:10] for s in starts), default=None)
    end = max((str(e)[:10] for e in ends), default=None)
    if start is None and end is None:
        return None
    if start == end:
        return start
    return f"{start or '..'}/{end or '..'}"


def _end(reader: Reader, ident: Any, sections: dict[str, str]) -> dict[str, str] | None:
    for section, kind in sections.items():
        key = reader.keys.get(section, {}).get(str(ident))
        if key is not None:
            return {kind: key}
    return None


def read_ownerships(
    reader: Reader, entities: list[tuple[int, dict[str, Any]]], dataset: str
) -> tuple[list[Any], list[dict[str, Any]]]:
    """The ``ownerships`` and ``sources`` sections of the Ownership ``entities`` (line,
    entity); problems go to ``reader``, the skipped are counted in its ``unlinked``."""
    prefix = dataset[:80]
    sources: dict[str | None, dict[str, Any]] = {}
    taken: set[str] = set()
    out = []
    for number, data in entities:
        props = data["properties"]
        owner = _end(reader, ftm_read._first(props, "owner"), OWNER_SECTIONS)
        asset = _end(reader, ftm_read._first(props, "asset"), ASSET_SECTIONS)
        if owner is None or asset is None:
            reader.unlinked += 1
            continue
        reader.read[str(data["schema"])] += 1
        url = ftm_read._first(props, "sourceUrl")
        if url not in sources:
            sources[url] = _source(
                prefix, len(sources), url, ftm_read._first(props, "publisher"), reader
            )
        record = f"line {number} ({data['id']})"
        item = {
            "id": ftm_read.slug(data["id"], taken),
            "owner": owner,
            "asset": asset,
            "role": role(props.get("role", [])),
            "period": period(props.get("startDate", []), props.get("endDate", [])),
            "source": sources[url]["id"],
            "quote": ftm_read._first(props, "description", "summary"),
        }
        try:
            given = {k: v for k, v in item.items() if v is not None}
            out.append(OwnershipIn.model_validate(given).model_dump(by_alias=True))
            reader.places.setdefault("ownerships", []).append(record)
        except ValidationError as error:
            reader.found.extend(
                (number, issue) for issue in issues_from(error, reader.file, record)
            )
    return out, list(sources.values())


def _source(prefix: str, n: int, url: Any, publisher: Any, reader: Reader) -> dict[str, Any]:
    """A source of kind dataset for ``url`` (None: the file itself)."""
    source: dict[str, Any] = {"id": f"{prefix}-ftm-source-{n + 1}", "kind": "dataset"}
    if url is None:
        source["title"] = f"FollowTheMoney entities from {reader.path.name}"
    else:
        source["url"] = str(url)
    if publisher is not None:
        source["publisher"] = str(publisher)[:300]
    return source
