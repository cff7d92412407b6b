"""Optional libraries, imported when first needed: their absence is a SanctrackError that
names the extra to install."""

from __future__ import annotations

import importlib
from typing import Any

from sanctrack.errors import SanctrackError


class MissingExtraError(SanctrackError, ImportError):
    """An optional library sanctrack needs for this is not installed."""

    def __init__(self, module: str, extra: str, purpose: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(
            f"{purpose} needs {module}, which is not installed: pip install 'sanctrack[{extra}]'"
        )


def optional(module: str, extra: str, purpose: str) -> Any:
    """The module ``module`` of the extra ``extra``, imported now."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(module.split(".")[0], extra, purpose) from None
