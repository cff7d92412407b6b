"""A source that another dataset's records cite cannot be dropped or removed with its
dataset: every kind of record that cites a source counts (sanctrack.fixture.sync), so
the load or removal is refused with a message that says who relies on it, and not a
raw foreign-key error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixture_cases import base, records, write
from sqlalchemy import Engine
from sqlmodel import Session

from sanctrack import load_fixture, remove_dataset
from sanctrack.errors import FixtureError
from sanctrack.fixture.sync import SOURCE_CITERS_WITH_DATASET, SOURCE_REFERRERS
from sanctrack.models import metadata

#: The tables whose rows belong to a source itself (its authors, citations, roots).
OWN = {"source", "source_author", "source_root"}

SHIP = {"id": "ship", "names": [{"name": "SHIP"}]}
VOYAGE = {"id": "voyage", "kind": "voyage", "period": "2024-03", "vessel": "ship"}
#: Each kind of record, citing test-ds's source s1 from another dataset (no source of its
#: own but where a transfer's claim needs one).
CITING: dict[str, dict[str, Any]] = {
    "movement_claim": {"vessels": [SHIP], "movements": [{**VOYAGE, "claims": [{"source": "s1"}]}]},
    "designation": {
        "vessels": [SHIP],
        "designations": [
            {"vessel": "ship", "regime": "unsc-dprk", "listed": "2024-03-01", "source": "s1"}
        ],
    },
    "ownership": {
        "vessels": [SHIP],
        "organisations": [{"id": "owner", "name": "Owner Ltd"}],
        "ownerships": [
            {
                "id": "owns",
                "owner": {"organisation": "owner"},
                "asset": {"vessel": "ship"},
                "source": "s1",
            }
        ],
    },
    "carried_by": {
        "sources": [{"id": "own", "kind": "report"}],
        "vessels": [SHIP],
        "transfers": [
            {
                "id": "carried",
                "supplier": "PRK",
                "recipient": "RUS",
                "materiel": "artillery-ammunition",
                "period": "2024",
                "claims": [{"source": "own", "quantity": {"at_least": 1}, "unit": "rounds"}],
                "carried_by": [{"vessel": "ship", "source": "s1"}],
            }
        ],
    },
    "claim": {
        "transfers": [
            {
                "id": "claimed",
                "supplier": "PRK",
                "recipient": "RUS",
                "materiel": "artillery-ammunition",
                "period": "2024",
                "claims": [{"source": "s1", "quantity": {"at_least": 1}, "unit": "rounds"}],
            }
        ]
    },
}


def test_every_table_that_cites_a_source_is_a_referrer() -> None:
    citing = {
        (fk.parent.table.name, fk.parent.name)
        for table in metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "source" and table.name not in OWN
    }
    covered = {(name, "source_id") for name, _, _ in SOURCE_REFERRERS}
    covered |= {(name, "source_id") for name in SOURCE_CITERS_WITH_DATASET} | {
        ("source_cite", "cited_id")
    }
    assert citing - {("source_cite", "source_id")} == covered


@pytest.mark.parametrize("kind", sorted(CITING))
def test_a_source_another_dataset_cites_is_kept(engine: Engine, tmp_path: Path, kind: str) -> None:
    owner = write(tmp_path / "owner.yaml", base())
    other = {
        "dataset": {"id": "other-ds", "title": "Other", "version": "1"},
        "sources": [],
        "transfers": [],
        **CITING[kind],
    }
    with Session(engine) as session:
        load_fixture(session, owner)
        load_fixture(session, write(tmp_path / "other.yaml", other))
    before = records(engine)
    with Session(engine) as session, pytest.raises(FixtureError) as removed:
        remove_dataset(session, "test-ds")
    used = (
        "source 's1' was dropped from the file but is still used by dataset 'other-ds': "
        "keep it in the file"
    )
    assert used in [e.message for e in removed.value.errors]
    assert records(engine) == before
    dropped = base()
    dropped["sources"] = [s for s in dropped["sources"] if s["id"] != "s1"]
    for t in dropped["transfers"]:
        t["claims"] = [{**c, "source": "s2"} for c in t["claims"]]
    dropped["sources"][0].pop("cites")
    with Session(engine) as session, pytest.raises(FixtureError) as reloaded:
        load_fixture(session, write(tmp_path / "owner.yaml", dropped))
    assert used in [e.message for e in reloaded.value.errors]
    assert records(engine) == before
