"""Resolve a state's name or code, in any of sanctrack's languages, to its alpha-3 code.

Names come from ``seeds/states.json`` (generated from pycountry, CLDR and rigour, see
:mod:`sanctrack.statenames.build`) and ``seeds/state_aliases.yaml`` (hand-curated
metonyms, short forms and ambiguous names). Both are read once, on first use.

Matching ignores case, accents, whitespace and punctuation (see :func:`normalise_name`),
and a leading English "the". ISO 3166-1 alpha-2, alpha-3 and numeric codes ("408", or "8"
for "008") are looked up before names, so no name can shadow a code. A name that denotes
several states ("Korea") raises :class:`~sanctrack.errors.AmbiguousStateError`; a name
that matches nothing raises :class:`~sanctrack.errors.UnknownStateError` with the closest
candidates.
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from sanctrack.errors import AmbiguousStateError, UnknownStateError
from sanctrack.resources import data_dir

__all__ = [
    "NameKind",
    "StateName",
    "StateRecord",
    "normalise_name",
    "resolve_state",
    "state_records",
]

NameKind = Literal["iso", "iso_official", "iso_common", "cldr", "cldr_variant", "rigour", "alias"]

# Removed outright, so that "U.S." == "US" and "People's" == "Peoples".
_DROPPED = frozenset(".'`’‘ʼ")
# Japanese voicing marks: combining, but they change the kana, so they are kept.
_KEPT_MARKS = frozenset("\u3099\u309a")
_MAX_CANDIDATES = 5


class StateName(NamedTuple):
    """One name of a state. ``lang`` is None for an alias shared by several languages."""

    name: str
    lang: str | None
    kind: NameKind


@dataclass(frozen=True, slots=True)
class StateRecord:
    """A state, as seeded into the database.

    ``code`` is the ISO 3166-1 alpha-3 code (``XXX`` for the unknown party), ``name``
    the ISO English short name, ``is_iso`` False only for ``XXX``. ``names`` holds every
    name sanctrack knows, aliases included, once per (lang, name).
    """

    code: str
    alpha2: str | None
    numeric: str | None
    name: str
    is_iso: bool
    names: tuple[StateName, ...]


@dataclass(frozen=True, slots=True)
class _Index:
    codes: dict[str, str]
    names: dict[str, str]
    ambiguous: dict[str, tuple[str, ...]]
    display: dict[str, str]
    records: tuple[StateRecord, ...]


def normalise_name(name: str) -> str:
    """Fold ``name`` to its lookup key.

    Case-folds, decomposes (NFKD) and strips combining accents; drops periods and
    apostrophes; turns other punctuation and symbols into spaces; collapses whitespace;
    drops leading "the"s. ``"  Côte d’IVOIRE "`` and ``"cote divoire"`` give the same key.
    """
    chars = []
    # NFKD before case-folding too, as compatibility forms may decompose to capitals.
    folded = unicodedata.normalize("NFKD", name).casefold()
    for char in unicodedata.normalize("NFKD", folded):
        category = unicodedata.category(char)
        if (category == "Mn" and char not in _KEPT_MARKS) or char in _DROPPED:
            continue
        chars.append(" " if category[0] in "PSZC" else char)
    words = "".join(chars).split()
    while len(words) > 1 and words[0] == "the":
        del words[0]
    return unicodedata.normalize("NFC", " ".join(words))


def _keys(state_name: StateName) -> Iterable[str]:
    yield normalise_name(state_name.name)
    # "Korea, Republic of" is also written "Republic of Korea".
    head, sep, tail = state_name.name.partition(", ")
    if sep and state_name.lang == "en" and ", " not in tail:
        yield normalise_name(f"{tail} {head}")


def _alias_entries(raw: Any) -> Iterable[tuple[str, StateName]]:
    for code, entries in (raw or {}).items():
        for entry in entries:
            yield str(code), StateName(str(entry["name"]), entry["lang"], "alias")


def _load_records(states_file: Path, aliases: Iterable[tuple[str, StateName]]) -> list[StateRecord]:
    with states_file.open(encoding="utf-8") as handle:
        document = json.load(handle)
    extra: dict[str, list[StateName]] = {}
    for code, alias in aliases:
        extra.setdefault(code, []).append(alias)
    records = []
    for state in document["states"]:
        names: dict[tuple[str | None, str], StateName] = {}
        generated = [StateName(n["name"], n["lang"], n["kind"]) for n in state["names"]]
        for state_name in generated + extra.pop(state["code"], []):
            names.setdefault((state_name.lang, state_name.name), state_name)
        records.append(
            StateRecord(
                code=state["code"],
                alpha2=state["alpha_2"],
                numeric=state["numeric"],
                name=state["name"],
                is_iso=state["iso"],
                names=tuple(names.values()),
            )
        )
    if extra:
        raise ValueError(f"state_aliases.yaml names unknown state codes: {sorted(extra)}")
    return records


def _code_table(states: Iterable[tuple[str, str | None, str | None]]) -> dict[str, str]:
    """Lookup key -> alpha-3 code, for the (alpha-3, alpha-2, numeric) codes of ``states``."""
    codes: dict[str, str] = {}
    for alpha3, alpha2, numeric in states:
        for code in (alpha3, alpha2):
            if code:
                codes[code.casefold()] = alpha3
        if numeric:  # ISO 3166-1 numeric: "008", also written "8"
            codes[numeric] = alpha3
            codes[str(int(numeric))] = alpha3
    return codes


def _build_index(seeds: Path) -> _Index:
    import yaml  # here: resolving a code reads no alias

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (seeds / "state_aliases.yaml").open(encoding="utf-8") as handle:
        curated: Mapping[str, Any] = yaml.load(handle, Loader=loader)
    records = _load_records(seeds / "states.json", _alias_entries(curated.get("aliases")))
    known = {record.code for record in records}

    codes = _code_table((record.code, record.alpha2, record.numeric) for record in records)
    matches: dict[str, set[str]] = {}
    display: dict[str, str] = {}
    for record in records:
        common = [n.name for n in record.names if n.kind == "iso_common"]
        display[record.code] = f"{common[0] if common else record.name} ({record.code})"
        for state_name in (StateName(record.name, "en", "iso"), *record.names):
            for key in _keys(state_name):
                matches.setdefault(key, set()).add(record.code)

    forced: dict[str, set[str]] = {}
    for group in curated.get("ambiguous") or ():
        group_codes = {str(code) for code in group["codes"]}
        if len(group_codes) < 2 or not group_codes <= known:
            raise ValueError(f"state_aliases.yaml: bad ambiguous codes {sorted(group_codes)}")
        for entry in group["names"]:
            forced.setdefault(normalise_name(str(entry["name"])), set()).update(group_codes)
    for key, group_codes in forced.items():
        matches.setdefault(key, set()).update(group_codes)

    names: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    for key, found in matches.items():
        if len(found) == 1 and key not in forced:
            names[key] = next(iter(found))
        else:
            ambiguous[key] = tuple(sorted(found))
    return _Index(codes, names, ambiguous, display, tuple(records))


@cache
def _index() -> _Index:
    return _build_index(data_dir("seeds"))


@cache
def _codes() -> dict[str, str]:
    """The codes' lookup table alone, read from ``states.json`` without the names, whose
    index costs far more to build (a notebook's first query names states by code)."""
    with (data_dir("seeds") / "states.json").open(encoding="utf-8") as handle:
        states = json.load(handle)["states"]
    return _code_table((s["code"], s["alpha_2"], s["numeric"]) for s in states)


@lru_cache(maxsize=1 << 16)
def _lookup(name: str) -> str | tuple[str, ...]:
    """The code ``name`` denotes, or every code it may denote (none when unknown).
    Codes come before names (no name shadows a code), so the names' index is built only
    for what is not a code."""
    key = normalise_name(name)
    code = _codes().get(key)
    if code is not None:
        return code
    index = _index()
    return index.names.get(key) or index.ambiguous.get(key, ())


@lru_cache(maxsize=1024)
def _candidates(name: str) -> tuple[str, ...]:
    index = _index()
    keys = [*index.names, *index.ambiguous]
    found: dict[str, None] = {}
    for key in difflib.get_close_matches(normalise_name(name), keys, n=10, cutoff=0.6):
        for code in index.ambiguous.get(key) or (index.names[key],):
            found.setdefault(code)
    return tuple(index.display[code] for code in list(found)[:_MAX_CANDIDATES])


def resolve_state(name: str) -> str:
    """Return the ISO 3166-1 alpha-3 code of the state ``name`` denotes.

    ``name`` may be an alpha-2 or alpha-3 code in any case, a name in any language of
    ``seeds/states.json``, or an alias from ``seeds/state_aliases.yaml``.

    Raises:
        AmbiguousStateError: ``name`` denotes several states; ``candidates`` are their codes.
        UnknownStateError: ``name`` matches nothing; ``candidates`` are the closest
            states, as ``"Name (CODE)"``.
    """
    found = _lookup(name)
    if isinstance(found, str):
        return found
    if found:
        raise AmbiguousStateError(name, found)
    raise UnknownStateError(name, _candidates(name))


def state_records() -> list[StateRecord]:
    """Every state, sorted by code, with all its names: the rows to seed the database."""
    return list(_index().records)
