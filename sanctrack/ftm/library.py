"""followthemoney's model, imported when first needed (the ``ftm`` extra)."""

from __future__ import annotations

from typing import Any

from sanctrack.optional import optional

PURPOSE = "FollowTheMoney export and import"


def ftm_model() -> Any:
    """followthemoney's model of schemata; MissingExtraError without the ``ftm`` extra."""
    return optional("followthemoney", "ftm", PURPOSE).model


def ftm_id(*parts: str) -> str:
    """The entity id followthemoney derives from ``parts`` (a SHA1 of them)."""
    made: str = optional("followthemoney.util", "ftm", PURPOSE).make_entity_id(*parts)
    return made
