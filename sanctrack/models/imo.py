"""The IMO ship identification number: seven digits, the last a check digit.

The check digit is the last digit of the sum of the first six digits weighted 7, 6, 5,
4, 3 and 2, the rule rigour's ``IMO.is_valid_vessel`` applies.
:data:`IMO_CHECK` is the same rule as SQL, so that the database refuses a wrong number too.
"""

from __future__ import annotations

import re

IMO_PATTERN = r"^[0-9]{7}$"
_WEIGHTS = (7, 6, 5, 4, 3, 2)

#: SQL text for a CHECK that column ``imo`` is NULL or seven digits with a right check digit.
IMO_CHECK = (
    "imo IS NULL OR (length(imo) = 7 AND "
    + " AND ".join(f"substr(imo, {i}, 1) BETWEEN '0' AND '9'" for i in range(1, 8))
    + " AND ("
    + " + ".join(f"CAST(substr(imo, {i + 1}, 1) AS INTEGER) * {w}" for i, w in enumerate(_WEIGHTS))
    + ") % 10 = CAST(substr(imo, 7, 1) AS INTEGER))"
)


def imo_problem(text: str) -> str | None:
    """Why ``text`` is not a ship's IMO number (seven digits, right check digit), or None."""
    from rigour.ids import IMO

    if re.match(IMO_PATTERN, text) is None:
        return f"expected an IMO number of seven digits, such as 9074729, got {text!r}"
    if not IMO.is_valid_vessel(text) or text == "0000000":
        digits = [int(d) for d in text]
        expected = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=False)) % 10
        return (
            f"IMO number {text} fails its check digit: the last digit should be {expected}, "
            "by the weighted sum of the first six; check the number in the source"
        )
    return None
