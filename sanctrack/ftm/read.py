"""FollowTheMoney entities (JSON lines) as the carrier sections of a fixture document,
each item validated with the fixture's own models and located at its line."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sanctrack.errors import FixtureIssue, SanctrackError
from sanctrack.fixture.issues import issues_from
from sanctrack.fixture.paths import open_regular
from sanctrack.fixture.schema_carriers import AircraftIn, PartyIn, VesselIn
from sanctrack.ftm.library import ftm_model
from sanctrack.ftm.ownership_read import read_ownerships
from sanctrack.statenames.resolve import resolve_state

Props = dict[str, list[Any]]
#: The fixture section each imported schema goes to, and the model that validates it.
SECTIONS: dict[str, tuple[str, type[BaseModel]]] = {
    "Vessel": ("vessels", VesselIn),
    "Airplane": ("aircraft", AircraftIn),
    "Organization": ("organisations", PartyIn),
    "Person": ("persons", PartyIn),
}


#: The FtM property each fixture field is read from, to say where a problem is.
FTM_FIELDS = {
    "imo": "imoNumber",
    "deadweight": "deadweightTonnage",
    "names": "name",
    "flags": "flag",
    "registration": "registrationNumber",
    "aliases": "alias",
}


def _located(issue: FixtureIssue) -> FixtureIssue:
    """``issue`` at the FtM property its field was read from."""
    head = re.split(r"[.\[]", issue.field or "")[0]
    if head in FTM_FIELDS:
        issue.field = FTM_FIELDS[head]
    return issue


def slug(ident: str, taken: set[str]) -> str:
    """A fixture id for the FtM id ``ident``, not in ``taken`` (then added to it)."""
    base = re.sub(r"[^a-z0-9._-]+", "-", ident.lower()).strip("-._")[:90] or "entity"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    taken.add(key)
    return key


def _first(props: Props, *names: str) -> Any:
    return next((v for name in names for v in props.get(name, [])), None)


def _all(props: Props, *names: str) -> list[Any]:
    return list(dict.fromkeys(v for name in names for v in props.get(name, [])))


def _tonnes(value: Any) -> Any:
    try:
        return round(float(value))
    except (TypeError, ValueError):
        return value  # the fixture model says what it expected


def _imo(value: Any) -> Any:
    return (
        value[3:].strip() if isinstance(value, str) and value.upper().startswith("IMO") else value
    )


ENTITY_SHAPE = (
    "expected an FtM entity: a JSON object with an id and a schema (strings), and its "
    "properties as an object"
)


def _entity_problem(data: Any) -> bool:
    return (
        not isinstance(data, dict)
        or not all(isinstance(data.get(k), str) for k in ("id", "schema"))
        or not isinstance(data.get("properties") or {}, dict)
    )


class Reader:
    """Reads one file; ``problems`` and ``skipped`` (by schema) say what it could not take."""

    def __init__(self, path: Path, shown: str, dataset: str = "ftm") -> None:
        self.path, self.file, self.dataset = path, shown, dataset
        self.model = ftm_model()
        self.found: list[tuple[int, FixtureIssue]] = []  # (line, problem)
        self.skipped: Counter[str] = Counter()
        self.unlinked = 0  # Ownerships whose owner or asset is not read
        self.read: Counter[str] = Counter()
        self.keys: dict[str, dict[str, str]] = {}  # section -> FtM id -> key
        self.taken: dict[str, set[str]] = {}
        self.number = 0  # the line being read
        self.places: dict[str, list[str]] = {}  # section -> the record of each item

    @property
    def problems(self) -> list[FixtureIssue]:
        """The problems found, in the order of their lines."""
        return [issue for _, issue in sorted(self.found, key=lambda found: found[0])]

    def _problem(self, number: int, record: str, field: str | None, message: str) -> None:
        self.found.append((number, FixtureIssue(self.file, record, field, message)))

    def _kind(self, schema: str) -> str | None:
        found = self.model.get(schema)
        if found is None:
            return None
        return next((s for s in SECTIONS if found.is_a(s)), None)

    def _entities(self) -> Iterator[tuple[int, dict[str, Any]]]:
        with open_regular(self.path) as lines:
            for number, raw in enumerate(lines, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    self._problem(number, f"line {number}", None, "expected UTF-8 text")
                    continue
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as error:
                    self._problem(number, f"line {number}", None, f"invalid JSON: {error.msg}")
                    continue
                if _entity_problem(data):
                    self._problem(number, f"line {number}", None, ENTITY_SHAPE)
                    continue
                data["properties"] = {
                    k: v if isinstance(v, list) else [v]
                    for k, v in (data.get("properties") or {}).items()
                }
                yield number, data

    def document(self) -> dict[str, list[Any]]:
        """The carrier sections, each item checked; problems are kept in ``problems``."""
        entities = list(self._entities())
        for _, data in entities:  # every key first: an airplane may name a later operator
            kind = self._kind(str(data.get("schema")))
            if kind is not None:
                section = SECTIONS[kind][0]
                taken = self.taken.setdefault(section, set())
                self.keys.setdefault(section, {})[data["id"]] = slug(data["id"], taken)
        out: dict[str, list[Any]] = {section: [] for section, _ in SECTIONS.values()}
        owning = []
        for number, data in entities:
            schema = str(data.get("schema"))
            kind = self._kind(schema)
            found = self.model.get(schema)
            if found is not None and found.is_a("Ownership"):
                owning.append((number, data))
                continue
            if kind is None:
                self.skipped[schema] += 1
                continue
            self.read[schema] += 1
            section, checker = SECTIONS[kind]
            record = f"line {number} ({data['id']})"
            props = data["properties"]
            self.number = number
            item = self._item(kind, self.keys[section][data["id"]], props, record)
            try:
                given = {k: v for k, v in item.items() if v is not None}
                out[section].append(checker.model_validate(given).model_dump(by_alias=True))
                self.places.setdefault(section, []).append(record)
            except ValidationError as error:
                for issue in issues_from(error, self.file, record):
                    self.found.append((number, _located(issue)))
        out["ownerships"], out["sources"] = read_ownerships(self, owning, self.dataset)
        return out

    def relocated(self, issue: FixtureIssue) -> FixtureIssue:
        """A problem the loader found in the document, at the entity it was read from."""
        found = re.match(r"^([a-z_]+)\[([0-9]+)\]", issue.record or "")
        if found is not None:
            records = self.places.get(found.group(1), [])
            index = int(found.group(2))
            if index < len(records):
                issue.record = records[index]
                _located(issue)
        issue.file, issue.line, issue.column = self.file, None, None
        return issue

    def _country(self, code: Any, record: str, field: str) -> Any:
        if code is None:
            return None
        try:
            return resolve_state(str(code))
        except SanctrackError as error:
            self._problem(self.number, record, field, str(error))
            return None

    def _item(self, kind: str, key: str, props: Props, record: str) -> dict[str, Any]:
        if kind == "Vessel":
            flags = [self._country(c, record, "flag") for c in _all(props, "flag", "pastFlags")]
            return {
                "id": key,
                "imo": _imo(_first(props, "imoNumber")),
                "mmsi": _first(props, "mmsi"),
                "type": _first(props, "type"),
                "deadweight": _tonnes(_first(props, "deadweightTonnage")),
                "names": [{"name": n} for n in _all(props, "name", "previousName")],
                "flags": [{"flag": f} for f in flags if f is not None],
            }
        if kind == "Airplane":
            operator = _first(props, "operator")
            key_of = self.keys.get("organisations", {})
            if operator is not None and operator not in key_of:
                message = (
                    f"its operator {operator!r} is not an Organization or Company "
                    "entity of this file: add the operator's entity, or remove the property"
                )
                self._problem(self.number, record, "operator", message)
            return {
                "id": key,
                "registration": _first(props, "registrationNumber"),
                "type": _first(props, "type", "model"),
                "operator": key_of.get(operator) if operator is not None else None,
            }
        names = _all(props, "name")
        aliases = _all(props, "name", "alias", "previousName", "weakAlias")
        country = _first(props, "country", "nationality", "jurisdiction", "mainCountry")
        return {
            "id": key,
            "name": names[0] if names else None,
            "aliases": [a for a in aliases if names and a != names[0]],
            "country": self._country(country, record, "country"),
        }
