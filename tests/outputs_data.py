"""A small database for the output tests: a bounded figure of 9,000,000 rounds, an
unbounded "at least 11,000" troops, unquantified petroleum the other way, and an
unquantified transfer of the same category a year before the bounded one."""

from __future__ import annotations

from datetime import date

from builders import ClaimSpec, TransferSpec, build
from sqlmodel import Session
from strategies import SOURCES

Y24 = (date(2024, 1, 1), date(2024, 12, 31))


def outputs_data(session: Session) -> None:
    build(
        session,
        SOURCES,
        [
            TransferSpec("shells", *Y24, claims=[ClaimSpec("s-a", "exact", 9_000_000)]),
            TransferSpec(
                "troops",
                *Y24,
                materiel="troops",
                claims=[ClaimSpec("s-b1", "at_least", 11_000, None, "personnel")],
            ),
            TransferSpec(
                "oil",
                *Y24,
                supplier="RUS",
                recipient="PRK",
                materiel="refined-petroleum",
                claims=[ClaimSpec("s-b1", "unquantified", None, None, "barrels")],
            ),
            TransferSpec(
                "more-shells",
                date(2023, 1, 1),
                date(2023, 12, 31),
                claims=[ClaimSpec("s-b2", "unquantified", None)],
            ),
        ],
    )
