"""Read seeds/ into rows for the reference tables, checking that they fit together."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from sanctrack.errors import SanctrackError
from sanctrack.resources import data_dir
from sanctrack.seeding.schema import (
    CategoriesFile,
    CategorySeed,
    MaterielTypesFile,
    PortsFile,
    ProvisionSeed,
    ProvisionsFile,
    RegimeSeed,
    RegimesFile,
    UnitsFile,
)
from sanctrack.statenames import state_records

Row = dict[str, Any]
FileModel = TypeVar("FileModel", bound=BaseModel)

SEED_FILES = (
    "states.json",
    "state_aliases.yaml",
    "units.yaml",
    "categories.yaml",
    "materiel_types.yaml",
    "regimes.yaml",
    "provisions.yaml",
    "ports.yaml",
)


class SeedError(SanctrackError):
    """A seed file in seeds/ is inconsistent; fix the file (it ships with sanctrack)."""


@cache
def seeds_checksum() -> str:
    """SHA-256 over every seed file: equal checksums mean equal reference data."""
    digest = hashlib.sha256()
    for name in SEED_FILES:
        digest.update(name.encode())
        digest.update((data_dir("seeds") / name).read_bytes())
    return digest.hexdigest()


def _read(name: str, model: type[FileModel]) -> FileModel:
    path: Path = data_dir("seeds") / name
    import yaml  # here: connecting to a seeded database reads no seed file

    return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def category_units(categories: list[CategorySeed]) -> dict[str, list[str]]:
    """Each category's units; a category without its own list inherits its parent's."""
    by_slug = {c.slug: c for c in categories}
    resolved: dict[str, list[str]] = {}

    def units_of(slug: str, seen: tuple[str, ...] = ()) -> list[str]:
        if slug in seen:
            raise SeedError(f"categories.yaml: category cycle through {slug!r}")
        category = by_slug[slug]
        if category.units is not None:
            return category.units
        if category.parent is None:
            raise SeedError(f"categories.yaml: top-level category {slug!r} lists no units")
        return units_of(category.parent, (*seen, slug))

    for slug in by_slug:
        resolved[slug] = units_of(slug)
    return resolved


def provision_problems(
    provisions: list[ProvisionSeed], regimes: list[RegimeSeed], materiel: set[str]
) -> list[str]:
    """What is wrong with the provisions' regimes, materiel types and successors."""
    regime_ids = {r.id for r in regimes}
    by_id = {p.id: p for p in provisions}
    problems = [
        f"provisions.yaml: {p.id}: {what}"
        for p in provisions
        for what in (
            *(() if p.regime in regime_ids else (f"unknown regime {p.regime!r}",)),
            *(f"unknown materiel type {m!r}" for m in p.materiel if m not in materiel),
            *(() if p.categories or p.materiel else ("covers no category or materiel type",)),
        )
    ]
    for p in provisions:
        successor = by_id.get(p.superseded_by or "")
        if p.superseded_by is not None and successor is None:
            problems.append(f"provisions.yaml: {p.id}: unknown successor {p.superseded_by!r}")
        elif successor is not None and successor.in_force is None:
            problems.append(
                f"provisions.yaml: {p.id}: its successor {successor.id!r} has no in_force date"
            )
        elif successor is not None and successor.superseded_by is not None:
            problems.append(f"provisions.yaml: {p.id}: its successor is itself superseded")
    problems += [f"regimes.yaml: {r.id}: is also a provision id" for r in regimes if r.id in by_id]
    return problems


@dataclass(frozen=True)
class ReferenceData:
    """Rows for each reference table, keyed by table name, in dependency order."""

    tables: dict[str, list[Row]]


@cache
def reference_data() -> ReferenceData:
    """Every row the reference tables must hold, read and cross-checked from seeds/."""
    units = _read("units.yaml", UnitsFile).units
    categories = _read("categories.yaml", CategoriesFile).categories
    materiel = _read("materiel_types.yaml", MaterielTypesFile).materiel_types
    regimes = _read("regimes.yaml", RegimesFile).regimes
    provisions = _read("provisions.yaml", ProvisionsFile).provisions
    ports = _read("ports.yaml", PortsFile).ports
    states = state_records()

    unit_slugs = {u.slug for u in units}
    category_slugs = {c.slug for c in categories}
    state_codes = {s.code for s in states}
    fits = category_units(categories)
    problems = [
        *provision_problems(provisions, regimes, {m.slug for m in materiel}),
        *(
            f"categories.yaml: {c.slug}: unknown parent {c.parent!r}"
            for c in categories
            if c.parent is not None and c.parent not in category_slugs
        ),
        *(
            f"categories.yaml: {slug}: unknown unit {u!r}"
            for slug, us in fits.items()
            for u in us
            if u not in unit_slugs
        ),
        *(
            f"materiel_types.yaml: {m.slug}: unknown category {m.category!r}"
            for m in materiel
            if m.category not in category_slugs
        ),
        *(
            f"materiel_types.yaml: {m.slug}: unit {m.unit!r} does not fit {m.category!r}"
            for m in materiel
            if m.category in fits and m.unit not in fits[m.category]
        ),
        *(
            f"provisions.yaml: {p.id}: unknown category {c!r}"
            for p in provisions
            for c in p.categories
            if c not in category_slugs
        ),
        *(
            f"provisions.yaml: {p.id}: unknown target {p.target!r}"
            for p in provisions
            if p.target is not None and p.target not in state_codes
        ),
        *(
            f"provisions.yaml: {p.id}: unknown cap unit {p.cap.unit!r}"
            for p in provisions
            if p.cap is not None and p.cap.unit not in unit_slugs
        ),
    ]
    problems += [
        f"ports.yaml: {p.locode}: unknown country {p.country!r}"
        for p in ports
        if p.country not in state_codes
    ]
    if problems:
        raise SeedError("Inconsistent seed files:\n" + "\n".join(problems))

    return ReferenceData(
        {
            "state": [
                {
                    "code": s.code,
                    "alpha2": s.alpha2,
                    "numeric": s.numeric,
                    "name": s.name,
                    "is_iso": s.is_iso,
                }
                for s in states
            ],
            "state_name": [
                {"state_code": s.code, "lang": lang or "und", "name": name, "kind": kind}
                for s in states
                for (name, lang, kind) in s.names
            ],
            "unit": [u.model_dump() for u in units],
            "category": [
                {
                    "slug": c.slug,
                    "name": c.name,
                    "parent_slug": c.parent,
                    "unroca": c.unroca,
                    "sipri": c.sipri,
                    "note": c.note,
                }
                for c in categories
            ],
            "category_unit": [
                {"category_slug": slug, "unit_slug": u} for slug, us in fits.items() for u in us
            ],
            "materiel_type": [
                {
                    "slug": m.slug,
                    "name": m.name,
                    "category_slug": m.category,
                    "designation": m.designation,
                    "default_unit_slug": m.unit,
                    "dataset_id": None,
                }
                for m in materiel
            ],
            "regime": [r.model_dump() for r in regimes],
            "provision": [
                {
                    "id": p.id,
                    "regime": p.regime,
                    "resolution": p.resolution,
                    "paragraph": p.paragraph,
                    "kind": p.kind,
                    "direction": p.direction,
                    "target_code": p.target,
                    "prohibits": p.prohibits,
                    "cap_amount": p.cap.amount if p.cap else None,
                    "cap_unit_slug": p.cap.unit if p.cap else None,
                    "cap_period": p.cap.period if p.cap else None,
                    "verified_from": p.verified_from,
                    "note": p.note,
                    "in_force": p.in_force,
                    "in_force_verified_from": p.in_force_verified_from,
                    "superseded_by": p.superseded_by,
                    "applies_if": p.applies_if,
                }
                for p in sorted(provisions, key=lambda p: p.superseded_by is not None)
            ],
            "provision_category": [
                {"provision_id": p.id, "category_slug": c} for p in provisions for c in p.categories
            ],
            "provision_materiel": [
                {"provision_id": p.id, "materiel_slug": m} for p in provisions for m in p.materiel
            ],
            "port": [
                {
                    "locode": p.locode,
                    "name": p.name,
                    "country_code": p.country,
                    "latitude": p.coordinates[0] if p.coordinates else None,
                    "longitude": p.coordinates[1] if p.coordinates else None,
                    "verified_from": p.verified_from,
                    "dataset_id": None,
                }
                for p in ports
            ],
        }
    )
