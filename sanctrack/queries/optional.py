"""Optional libraries (pandas, polars, matplotlib), imported when first needed."""

from __future__ import annotations

import importlib
from typing import Any

from sanctrack.queries.errors import QueryError


def optional(module: str, extra: str) -> Any:
    """``module``, or a QueryError naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise QueryError(f"{module} is not installed: pip install 'sanctrack[{extra}]'") from None
