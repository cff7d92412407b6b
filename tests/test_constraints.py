"""The database itself enforces keys, foreign keys, NOT NULL and CHECK constraints."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError

from sanctrack.models import Claim, Dataset, Provision, Source, Transfer, Violation


def base_rows(engine: Engine) -> int:
    with engine.begin() as c:
        c.execute(insert(Dataset), {"id": "d", "title": "D", "version": "1"})
        c.execute(
            insert(Source),
            {
                "id": "s",
                "kind": "report",
                "reliability": "B",
                "effective_reliability": "B",
                "root_id": "s",
                "dataset_id": "d",
            },
        )
        return int(c.execute(insert(Transfer).returning(Transfer.id), transfer()).scalar_one())


def transfer(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "dataset_id": "d",
        "key": "t",
        "supplier_code": "PRK",
        "recipient_code": "RUS",
        "materiel_slug": "artillery-ammunition",
        "period": "2024",
        "period_start": date(2024, 1, 1),
        "start_precision": "year",
        "period_end": date(2024, 12, 31),
        "end_precision": "year",
        "status": "reported",
    }
    return row | changes


def claim(transfer_id: int, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "transfer_id": transfer_id,
        "source_id": "s",
        "qualifier": "up_to",
        "low": None,
        "best": 100,
        "high": 100,
        "unit_slug": "rounds",
        "credibility": 3,
        "position": 0,
        "window_start": date(2024, 1, 1),
        "window_end": date(2024, 12, 31),
    }
    return row | changes


def rejected(engine: Engine, table: Any, row: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError), engine.begin() as c:
        c.execute(insert(table), row)


def test_a_valid_claim_is_accepted(engine: Engine) -> None:
    transfer_id = base_rows(engine)
    with engine.begin() as c:
        c.execute(insert(Claim), claim(transfer_id))


@pytest.mark.parametrize(
    "changes",
    [
        {"qualifier": "between", "low": 10, "best": 20, "high": 5},  # low > high
        {"qualifier": "between", "low": 10, "best": 5, "high": 20},  # low > best
        {"qualifier": "exact", "low": -1, "best": -1, "high": -1},  # negative
        {"qualifier": "exact", "low": 1, "best": 2, "high": 2},  # exact must be one number
        {"qualifier": "up_to", "low": None, "best": 50, "high": 100},  # up_to: best is high
        {"qualifier": "unquantified", "low": None, "best": 5, "high": None},
        {"qualifier": "about", "best": 5, "high": None, "unit_slug": None},  # no unit
        {"qualifier": "roughly"},
        {"credibility": 7},
        {"unit_slug": "no-such-unit"},
        {"source_id": "no-such-source"},
        {"position": None},
        {"position": -1},
        {"measure": "stock"},
        {"since": "2024"},  # a flow has no since
        {"as_of": date(2024, 6, 1)},  # nor an as_of
        {"measure": "cumulative", "period": "2024"},  # a running total has no period
        {"measure": "cumulative", "window_end": None},  # and always an end
        {"window_start": date(2025, 1, 1)},  # start after end
    ],
)
def test_invalid_claims_are_rejected_by_the_database(
    engine: Engine, changes: dict[str, Any]
) -> None:
    rejected(engine, Claim, claim(base_rows(engine), **changes))


@pytest.mark.parametrize(
    "changes",
    [
        {"period_start": date(2025, 1, 1)},  # start after end
        {"start_precision": "week"},
        {"start_precision": None},
        {"status": "rumoured"},
        {"supplier_code": "ZZZ"},
        {"materiel_slug": "no-such-materiel"},
        {"key": "t"},  # the same key twice in one dataset
        {"period": None},
    ],
)
def test_invalid_transfers_are_rejected_by_the_database(
    engine: Engine, changes: dict[str, Any]
) -> None:
    base_rows(engine)
    rejected(engine, Transfer, transfer(**changes))


def test_a_position_holds_one_claim_and_a_source_may_claim_again(engine: Engine) -> None:
    transfer_id = base_rows(engine)
    with engine.begin() as c:
        c.execute(insert(Claim), claim(transfer_id))
        c.execute(
            insert(Claim),
            claim(
                transfer_id,
                position=1,
                measure="cumulative",
                since="2024-03",
                as_of=date(2024, 6, 1),
                window_start=date(2024, 3, 1),
                window_end=date(2024, 6, 1),
            ),
        )
    rejected(engine, Claim, claim(transfer_id, position=1, best=200, high=200))


@pytest.mark.parametrize("status", ["pledged", "planned"])
def test_announced_transfers_are_accepted(engine: Engine, status: str) -> None:
    base_rows(engine)
    with engine.begin() as c:
        c.execute(insert(Transfer), transfer(key="announced", status=status))


def test_violation_is_asserted_by_a_source_or_inferred_by_a_rule(engine: Engine) -> None:
    transfer_id = base_rows(engine)
    provision = "unsc-1718-op8b"
    with engine.begin() as c:
        c.execute(
            insert(Violation),
            {"transfer_id": transfer_id, "provision_id": provision, "source_id": "s", "rule": None},
        )
        c.execute(
            insert(Violation),
            {
                "transfer_id": transfer_id,
                "provision_id": provision,
                "source_id": None,
                "rule": "arms-embargo",
            },
        )
    both = {
        "transfer_id": transfer_id,
        "provision_id": "unsc-1718-op8b",
        "source_id": "s",
        "rule": "arms-embargo",
    }
    rejected(engine, Violation, both)
    rejected(engine, Violation, both | {"rule": None})  # the same assertion twice
    rejected(engine, Violation, both | {"source_id": None})  # the same inference twice


def test_cap_provisions_need_amount_unit_and_period(engine: Engine) -> None:
    row = {
        "id": "x",
        "regime": "r",
        "resolution": "1",
        "paragraph": None,
        "kind": "cap",
        "prohibits": "p",
        "cap_amount": 5,
        "cap_unit_slug": "barrels",
        "cap_period": None,
    }
    rejected(engine, Provision, row)
    rejected(engine, Provision, row | {"kind": "ban", "cap_period": "year"})
