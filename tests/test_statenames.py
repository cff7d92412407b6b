"""Tests for sanctrack.statenames: the generated seed file and resolve_state()."""

from __future__ import annotations

import json

import babel
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrack.errors import AmbiguousStateError, UnknownStateError
from sanctrack.resources import data_dir
from sanctrack.statenames import StateRecord, normalise_name, resolve_state, state_records
from sanctrack.statenames.build import (
    LANGUAGES,
    NON_ISO,
    UNKNOWN_CODE,
    build_document,
    installed_versions,
    render,
    states_path,
)

RECORDS = state_records()
BY_CODE = {record.code: record for record in RECORDS}
CURATED = yaml.safe_load((data_dir("seeds") / "state_aliases.yaml").read_text(encoding="utf-8"))
CURATED_AMBIGUOUS = {
    normalise_name(entry["name"]) for group in CURATED["ambiguous"] for entry in group["names"]
}
CODE_KEYS = {code.casefold() for r in RECORDS for code in (r.code, r.alpha2) if code}


def is_ambiguous(name: str) -> bool:
    try:
        resolve_state(name)
    except AmbiguousStateError:
        return True
    return False


# --- the generated seed file ---------------------------------------------------------


def test_states_json_is_what_build_generates() -> None:
    recorded = json.loads(states_path().read_text(encoding="utf-8"))["generated_by"]
    installed = installed_versions()
    stale = {lib: (recorded.get(lib), v) for lib, v in installed.items() if recorded.get(lib) != v}
    assert not stale, (
        f"seeds/states.json was generated with other library versions ({{lib: (recorded, "
        f"installed)}} = {stale}): regenerate it with `python -m sanctrack.statenames.build`."
    )
    assert states_path().read_text(encoding="utf-8") == render(build_document()), (
        "seeds/states.json differs from what the generator produces: regenerate it with "
        "`python -m sanctrack.statenames.build` (do not edit it by hand)."
    )


def test_states_json_is_one_state_per_line() -> None:
    lines = states_path().read_text(encoding="utf-8").splitlines()
    state_lines = [line for line in lines if line.startswith('{"alpha_2"')]
    assert len(state_lines) == len(RECORDS)


def test_records_cover_iso_3166_plus_unknown() -> None:
    import pycountry

    codes = [record.code for record in RECORDS]
    assert codes == sorted(codes)
    iso = {c.alpha_3 for c in pycountry.countries}
    assert set(codes) == iso | {UNKNOWN_CODE} | set(NON_ISO)
    assert not iso & set(NON_ISO)
    assert {r.code for r in RECORDS if not r.is_iso} == {UNKNOWN_CODE} | set(NON_ISO)
    prk = BY_CODE["PRK"]
    assert (prk.alpha2, prk.numeric, prk.name, prk.is_iso) == (
        "KP",
        "408",
        "Korea, Democratic People's Republic of",
        True,
    )


def test_unknown_pseudo_state() -> None:
    unknown = BY_CODE[UNKNOWN_CODE]
    assert isinstance(unknown, StateRecord)
    assert (unknown.alpha2, unknown.numeric, unknown.name, unknown.is_iso) == (
        None,
        None,
        "Unknown",
        False,
    )
    for name in ("Unknown", "unknown", "XXX", "Unknown supplier(s)", "unknown recipient(s)"):
        assert resolve_state(name) == UNKNOWN_CODE


def test_every_state_has_a_name_in_every_required_language() -> None:
    for record in RECORDS:
        if not record.is_iso:
            continue
        languages = {n.lang for n in record.names}
        for lang in LANGUAGES:
            if record.alpha2 in babel.Locale(lang).territories:
                assert lang in languages, f"{record.code} has no {lang} name"


def test_names_are_deduplicated_and_include_aliases() -> None:
    for record in RECORDS:
        keys = [(n.lang, n.name) for n in record.names]
        assert len(keys) == len(set(keys)), record.code
    prk_names = {(n.name, n.lang, n.kind) for n in BY_CODE["PRK"].names}
    assert ("DPRK", "en", "alias") in prk_names
    assert ("Pyongyang", None, "alias") in prk_names
    assert ("North Korea", "en", "iso_common") in prk_names
    assert ("Nordkorea", "de", "cldr") in prk_names


def test_aliases_are_not_codes_nor_names_of_other_states() -> None:
    for code, entries in CURATED["aliases"].items():
        assert code in BY_CODE
        for entry in entries:
            assert normalise_name(entry["name"]) not in CODE_KEYS, entry["name"]
            assert resolve_state(entry["name"]) == code, entry["name"]


def test_every_name_resolves_to_its_state() -> None:
    """Each name resolves to its state, unless it is a curated ambiguous name."""
    for record in RECORDS:
        for state_name in record.names:
            try:
                assert resolve_state(state_name.name) == record.code, state_name
            except AmbiguousStateError as error:
                assert normalise_name(state_name.name) in CURATED_AMBIGUOUS, state_name
                assert record.code in error.candidates


# --- resolve_state ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("PRK", "PRK"),
        ("prk", "PRK"),
        ("Prk", "PRK"),
        ("KP", "PRK"),
        ("kp", "PRK"),
        ("IN", "IND"),
        ("in", "IND"),
        ("IND", "IND"),
        ("US", "USA"),
        ("usa", "USA"),
        ("U.S.", "USA"),
        ("U.S.A.", "USA"),
        (" gb ", "GBR"),
    ],
)
def test_codes(name: str, code: str) -> None:
    assert resolve_state(name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("North Korea", "PRK"),
        ("Korea, Democratic People's Republic of", "PRK"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("South Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Russian Federation", "RUS"),
        ("Russia", "RUS"),
        ("Ukraine", "UKR"),
        ("the Ukraine", "UKR"),
        ("United States of America", "USA"),
        ("Iran, Islamic Republic of", "IRN"),
        ("Islamic Republic of Iran", "IRN"),
        ("Syria", "SYR"),
        ("Virgin Islands, British", "VGB"),
        ("British Virgin Islands", "VGB"),
        ("The Netherlands", "NLD"),
        ("Bosnia & Herzegovina", "BIH"),
    ],
)
def test_english_names(name: str, code: str) -> None:
    assert resolve_state(name) == code


@pytest.mark.parametrize("code", ["PRK", "RUS", "UKR"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_localized_names_from_cldr(code: str, lang: str) -> None:
    alpha2 = BY_CODE[code].alpha2
    assert alpha2 is not None
    name = babel.Locale(lang).territories[alpha2]
    assert resolve_state(name) == code
    assert resolve_state(f" {name.upper()} ") == code


@pytest.mark.parametrize(
    ("name", "code"),
    # CLDR 47 names, checked against babel 2.18.
    [
        ("Corea del Nord", "PRK"),
        ("Corée du Nord", "PRK"),
        ("Nordkorea", "PRK"),
        ("КНДР", "PRK"),
        ("朝鲜", "PRK"),
        ("北朝鮮", "PRK"),
        ("북한", "PRK"),
        ("Russland", "RUS"),
        ("Россия", "RUS"),
        ("Росія", "RUS"),
        ("俄罗斯", "RUS"),
        ("Україна", "UKR"),
        ("Ucrania", "UKR"),
    ],
)
def test_localized_names(name: str, code: str) -> None:
    assert resolve_state(name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Pyongyang", "PRK"),
        ("Pjöngjang", "PRK"),
        ("DPRK", "PRK"),
        ("D.P.R.K.", "PRK"),
        ("ROK", "KOR"),
        ("Seoul", "KOR"),
        ("Mosca", "RUS"),
        ("Moscow", "RUS"),
        ("Москва", "RUS"),
        ("Kiev", "UKR"),
        ("Kyiv", "UKR"),
        ("Kiew", "UKR"),
        ("UK", "GBR"),
        ("U.K.", "GBR"),
        ("PRC", "CHN"),
        ("Peking", "CHN"),
        ("Tehran", "IRN"),
        ("Minsk", "BLR"),
        ("Washington", "USA"),
        ("Turkey", "TUR"),
    ],
)
def test_aliases(name: str, code: str) -> None:
    assert resolve_state(name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("  côte   d'IVOIRE ", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("COTE-D'IVOIRE", "CIV"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("TÜRKIYE", "TUR"),
        ("korea,   democratic peoples republic  of", "PRK"),
        ("KOREA (DEMOCRATIC PEOPLE’S REPUBLIC OF)", "PRK"),
        ("\tnorth\nkorea ", "PRK"),
        ("Guinea Bissau", "GNB"),
    ],
)
def test_case_accent_whitespace_punctuation_insensitive(name: str, code: str) -> None:
    assert resolve_state(name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # rigour's territories data (names, full names and strong names)
        ("Ivory Coast", "CIV"),
        ("Burma", "MMR"),
        ("Soviet Union", "SUN"),
        ("USSR", "SUN"),
        ("Union of Soviet Socialist Republics", "SUN"),
        ("СССР", "SUN"),
        ("Kosovo", "XKX"),
        ("XK", "XKX"),
        ("Yugoslavia", "YUG"),
        ("Czechoslovakia", "CSK"),
        ("East Germany", "DDR"),
        ("Zaire", "ZAR"),
        # curated abbreviations
        ("Korea, Dem. People's Rep.", "PRK"),
        ("Russian Fed.", "RUS"),
        # ISO 3166-1 numeric codes
        ("408", "PRK"),
        ("643", "RUS"),
        ("008", "ALB"),
        ("8", "ALB"),
    ],
)
def test_names_from_rigour_and_numeric_codes(name: str, code: str) -> None:
    assert resolve_state(name) == code


def test_rigour_names_are_marked_as_such() -> None:
    civ = {(n.name, n.lang, n.kind) for n in BY_CODE["CIV"].names}
    assert ("Ivory Coast", None, "rigour") in civ
    sun = BY_CODE["SUN"]
    assert (sun.name, sun.alpha2, sun.numeric, sun.is_iso) == ("Soviet Union", None, None, False)
    assert (BY_CODE["XKX"].name, BY_CODE["XKX"].alpha2) == ("Kosovo", "XK")


@pytest.mark.parametrize("name", ["Korea", "KOREA", " korea ", "Corée", "Corea", "Корея"])
def test_korea_is_ambiguous(name: str) -> None:
    with pytest.raises(AmbiguousStateError) as caught:
        resolve_state(name)
    assert sorted(caught.value.candidates) == ["KOR", "PRK"]
    assert "PRK" in str(caught.value)
    assert "KOR" in str(caught.value)


def test_unknown_name_suggests_close_candidates() -> None:
    with pytest.raises(UnknownStateError) as caught:
        resolve_state("Russsia")
    assert caught.value.candidates[0] == "Russian Federation (RUS)"


def test_unknown_name_message() -> None:
    with pytest.raises(UnknownStateError) as caught:
        resolve_state("Nord Korea")
    assert caught.value.candidates == ["North Korea (PRK)", "South Korea (KOR)"]
    assert str(caught.value) == (
        "Unknown state 'Nord Korea'. Closest candidates: North Korea (PRK), South Korea (KOR)."
        " Use an ISO 3166-1 code (e.g. 'PRK') or a name listed by `sanctrack states`."
    )


@pytest.mark.parametrize("name", ["", "   ", "Narnia!", "XX", "ZZZ"])
def test_unknown_names(name: str) -> None:
    with pytest.raises(UnknownStateError):
        resolve_state(name)


def test_repeated_lookups_are_cached() -> None:
    from sanctrack.statenames.resolve import _lookup

    resolve_state("Pyongyang")
    hits = _lookup.cache_info().hits
    assert resolve_state("Pyongyang") == "PRK"
    assert _lookup.cache_info().hits == hits + 1


def test_codes_resolve_without_building_the_names_index() -> None:
    """A code is resolved from the codes' table alone (a notebook's first query names
    states by code); a name builds the whole index, whose codes are the same table."""
    from sanctrack.statenames.resolve import _codes, _index, _lookup

    _index.cache_clear()
    _lookup.cache_clear()
    try:
        assert [resolve_state(c) for c in ("prk", "KP", "408", "8", "RUS")] == [
            "PRK",
            "PRK",
            "PRK",
            "ALB",
            "RUS",
        ]
        assert _index.cache_info().currsize == 0
        assert resolve_state("North Korea") == "PRK"
        assert _index.cache_info().currsize == 1
        assert _index().codes == _codes()
    finally:
        _lookup.cache_clear()


# --- properties ---------------------------------------------------------------------


@settings(max_examples=300)
@given(st.sampled_from(RECORDS))
def test_every_state_resolves_from_its_codes_and_name(record: StateRecord) -> None:
    assert resolve_state(record.code) == record.code
    assert resolve_state(record.code.lower()) == record.code
    if record.alpha2:
        assert resolve_state(record.alpha2) == record.code
        assert resolve_state(record.alpha2.lower()) == record.code
    if not is_ambiguous(record.name):
        assert resolve_state(record.name) == record.code


@given(
    st.sampled_from([n.name for r in RECORDS for n in r.names if n.lang in ("en", "fr", "de")]),
    st.sampled_from(["", " ", "  \t"]),
    st.sampled_from(["", " ", "\n "]),
    st.booleans(),
)
def test_case_and_padding_do_not_matter(name: str, before: str, after: str, upper: bool) -> None:
    variant = before + (name.upper() if upper else name.lower()) + after
    if is_ambiguous(name):
        assert is_ambiguous(variant)
    else:
        assert resolve_state(variant) == resolve_state(name)


@given(st.text() | st.sampled_from(["the the x", "ℌ", "ᾈ", "İ", "ß", "ガ", "가", "Ⅻ"]))
def test_normalise_name_is_idempotent(text: str) -> None:
    key = normalise_name(text)
    assert normalise_name(key) == key
    assert key == key.strip()
    assert "  " not in key
