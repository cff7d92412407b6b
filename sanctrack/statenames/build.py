"""Generate ``seeds/states.json`` from pycountry (ISO 3166-1), babel (Unicode CLDR) and
rigour (OpenSanctions' territories data).

Run ``python -m sanctrack.statenames.build`` after upgrading pycountry, babel or rigour,
and commit the result; ``--check`` only reports whether the file is up to date. rigour is
needed only here (it is a test dependency): sanctrack reads the generated file.

The file holds every ISO 3166-1 country known to pycountry, with:

* ``iso``: pycountry's ``name`` (English ISO short name);
* ``iso_official`` / ``iso_common``: pycountry's ``official_name`` / ``common_name``;
* ``cldr``: the CLDR display name (``babel.Locale(lang).territories[alpha_2]``) in each of
  :data:`LANGUAGES`;
* ``rigour``: rigour's name, full name and "strong" names of the territory with the same
  alpha-3 code ("Ivory Coast", "USSR"), in no particular language (``lang`` null). A name
  that another state already has, or that two states share, is left out, and so is a code;
  rigour's "weak" names (translations of uneven quality) are not used.

Besides ISO 3166-1, the file holds the states rigour knows by an alpha-3 code that ISO
3166-1 does not assign (:data:`NON_ISO`): former states (the Soviet Union ``SUN``,
Yugoslavia ``YUG``...) and Kosovo (``XKX``, a user-assigned code, as the EU uses it). They
are not ISO (``iso`` false); their ISO 3166-3 alpha-2 and numeric codes are not kept, as
some were given to two states in turn.

Babel drops CLDR's alternate forms (``KP-alt-short``, ``HK-alt-short``, ``MM-alt-short``...)
when it compiles its locale data, so the kind ``cldr_variant`` is reserved but never
produced; ``seeds/state_aliases.yaml`` supplies the few alternate forms that matter.

One pseudo-state is added by hand: ``XXX`` ("Unknown"), for the unknown suppliers and
recipients that SIPRI's arms-transfer data records. ``XXX`` lies in ISO 3166-1's
user-assigned range (``XAA``-``XZZ``), so it can never clash with a real country. Its
``cldr`` names are CLDR's names for the "unknown region" ``ZZ``.

Within a state, a name is listed once per language: when pycountry and CLDR agree, the
first kind in :data:`KINDS` wins.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import babel
import pycountry
from babel.core import get_cldr_version

from sanctrack.resources import data_dir

__all__ = [
    "KINDS",
    "LANGUAGES",
    "NON_ISO",
    "UNKNOWN_CODE",
    "build_document",
    "installed_versions",
    "main",
    "render",
    "states_path",
]

# The six official UN languages, then the other languages sanctrack reads sources in.
LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es", "de", "it", "ja", "ko", "uk")

# Name kinds, in order of precedence when two sources give the same name.
KINDS: tuple[str, ...] = ("iso", "iso_official", "iso_common", "cldr", "cldr_variant", "rigour")
#: The states outside ISO 3166-1 that the file holds: rigour's countries with an alpha-3
#: code (its own territory code in parentheses).
NON_ISO: dict[str, str] = {
    "CSK": "cshh",  # Czechoslovakia
    "DDR": "dd",  # East Germany
    "SCG": "csxx",  # Serbia and Montenegro
    "SUN": "suhh",  # Soviet Union
    "XKX": "xk",  # Kosovo
    "YUG": "yucs",  # Yugoslavia
    "ZAR": "zr",  # Zaire
}
#: Kosovo's alpha-2 code (user-assigned, like XKX); the other NON_ISO states have none.
NON_ISO_ALPHA_2 = {"XKX": "XK"}

UNKNOWN_CODE = "XXX"
_UNKNOWN_CLDR = "ZZ"  # CLDR's "Unknown Region"

_GENERATOR = "python -m sanctrack.statenames.build"


def states_path() -> Path:
    """Path of the generated file, ``seeds/states.json``."""
    return data_dir("seeds") / "states.json"


def installed_versions() -> dict[str, str]:
    """Versions of the libraries the file is generated from, as recorded in it."""
    return {
        "pycountry": version("pycountry"),
        "babel": babel.__version__,
        "cldr": str(get_cldr_version()),
        "rigour": version("rigour"),
    }


def _names(entries: list[tuple[str, str, str]]) -> list[dict[str, str | None]]:
    """Deduplicate ``(name, lang, kind)`` on (lang, name), best kind first; sort."""
    best: dict[tuple[str, str], str] = {}
    for name, lang, kind in entries:
        key = (lang, name)
        if key not in best or KINDS.index(kind) < KINDS.index(best[key]):
            best[key] = kind
    rank = {lang: i for i, lang in enumerate(LANGUAGES)}
    ordered = sorted(best.items(), key=lambda item: (rank.get(item[0][0], 99), item[0][1]))
    return [{"name": name, "lang": lang or None, "kind": kind} for (lang, name), kind in ordered]


def _cldr(alpha_2: str) -> list[tuple[str, str, str]]:
    entries = []
    for lang in LANGUAGES:
        name = babel.Locale(lang).territories.get(alpha_2)
        if name:
            entries.append((name, lang, "cldr"))
    return entries


def rigour_names() -> dict[str, list[str]]:
    """rigour's names of each state, by alpha-3 code: name, full name, strong names."""
    import json as jsonlib

    from rigour._core import territories_jsonl  # the data rigour.territories reads

    found: dict[str, list[str]] = {}
    for line in territories_jsonl().splitlines():
        if not line.strip():
            continue
        data = jsonlib.loads(line)
        alpha3 = str(data.get("alpha3") or "").upper()
        if not alpha3 or not data.get("is_country"):
            continue
        names = [data["name"], data.get("full_name", data["name"]), *data.get("names_strong", [])]
        found.setdefault(alpha3, []).extend(str(n) for n in names)
    return found


def _add_rigour_names(states: list[dict[str, Any]]) -> None:
    """Give each state rigour's names that are no other state's name nor any code."""
    from sanctrack.statenames.resolve import normalise_name

    taken: dict[str, set[str]] = {}
    for state in states:
        for code in (state["code"], state["alpha_2"]):
            if code:
                taken.setdefault(normalise_name(code), set()).update(("", "code"))
        for entry in state["names"]:
            taken.setdefault(normalise_name(entry["name"]), set()).add(state["code"])
    offered = rigour_names()
    wanted: dict[str, set[str]] = {}
    for state in states:
        for name in offered.get(state["code"], []):
            wanted.setdefault(normalise_name(name), set()).add(state["code"])
    for state in states:
        entries = [(n["name"], n["lang"] or "", n["kind"]) for n in state["names"]]
        for name in offered.get(state["code"], []):
            key = normalise_name(name)
            owners = taken.get(key, set()) | wanted[key]
            if key and owners == {state["code"]}:
                entries.append((name, "", "rigour"))
        state["names"] = _names(entries)


def build_document() -> dict[str, Any]:
    """The content of ``states.json``, computed from the installed pycountry, babel and
    rigour."""
    states: list[dict[str, Any]] = []
    for country in pycountry.countries:
        entries = [(country.name, "en", "iso")]
        for attr, kind in (("official_name", "iso_official"), ("common_name", "iso_common")):
            extra = getattr(country, attr, None)
            if extra:
                entries.append((extra, "en", kind))
        entries += _cldr(country.alpha_2)
        states.append(
            {
                "code": country.alpha_3,
                "alpha_2": country.alpha_2,
                "numeric": country.numeric,
                "name": country.name,
                "iso": True,
                "names": _names(entries),
            }
        )
    states.append(
        {
            "code": UNKNOWN_CODE,
            "alpha_2": None,
            "numeric": None,
            "name": "Unknown",
            "iso": False,
            "names": _names(_cldr(_UNKNOWN_CLDR)),
        }
    )
    for code in NON_ISO:
        states.append(
            {
                "code": code,
                "alpha_2": NON_ISO_ALPHA_2.get(code),
                "numeric": None,
                "name": rigour_names()[code][0],
                "iso": False,
                "names": [],
            }
        )
    _add_rigour_names(states)
    states.sort(key=lambda state: state["code"])
    return {
        "generated_by": {"command": _GENERATOR, **installed_versions()},
        "languages": list(LANGUAGES),
        "states": states,
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def render(document: dict[str, Any]) -> str:
    """Serialise deterministically: sorted keys, UTF-8, one state per line."""
    states = ",\n".join(_dumps(state) for state in document["states"])
    head = ",\n".join(
        f"{_dumps(key)}:{_dumps(value)}"
        for key, value in sorted(document.items())
        if key != "states"
    )
    return f'{{{head},\n"states":[\n{states}\n]}}\n'


def main(argv: list[str] | None = None) -> int:
    """Write ``seeds/states.json`` (or, with ``--check``, say whether it is current)."""
    parser = argparse.ArgumentParser(prog=_GENERATOR, description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the file is current")
    args = parser.parse_args(argv)
    path = states_path()
    text = render(build_document())
    if args.check:
        current = path.is_file() and path.read_text(encoding="utf-8") == text
        print(f"{path}: {'up to date' if current else 'STALE, regenerate it'}")
        return 0 if current else 1
    path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {path} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
