"""followthemoney's model, imported when first needed (the ``ftm`` extra)."""

from __future__ import annotations

from typing import Any

from sanctrack.optional import optional


def ftm_model() -> Any:
    """followthemoney's model of schemata; MissingExtraError without the ``ftm`` extra."""
    return optional("followthemoney", "ftm", "FollowTheMoney export and import").model
