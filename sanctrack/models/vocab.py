"""Controlled vocabularies shared by the tables, the fixture format and the queries."""

from __future__ import annotations

from typing import Literal, get_args

SourceKind = Literal[
    "report", "official_statement", "news_article", "intelligence_assessment", "dataset", "other"
]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Status = Literal["reported", "confirmed", "denied", "pledged", "planned"]
Precision = Literal["year", "month", "day"]
Measure = Literal["flow", "cumulative"]
Qualifier = Literal["exact", "about", "at_least", "more_than", "up_to", "between", "unquantified"]
ProvisionKind = Literal["embargo", "cap", "ban"]
Direction = Literal["to_target", "from_target", "both"]
CapPeriod = Literal["year"]

SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
RELIABILITIES: tuple[str, ...] = get_args(Reliability)
STATUSES: tuple[str, ...] = get_args(Status)
PRECISIONS: tuple[str, ...] = get_args(Precision)
QUALIFIERS: tuple[str, ...] = get_args(Qualifier)
MEASURES: tuple[str, ...] = get_args(Measure)
PROVISION_KINDS: tuple[str, ...] = get_args(ProvisionKind)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
CAP_PERIODS: tuple[str, ...] = get_args(CapPeriod)

#: The largest quantity a claim can hold (a signed 64-bit integer column).
MAX_QUANTITY = 2**63 - 1
