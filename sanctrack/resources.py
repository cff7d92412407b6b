"""Where the data directories (migrations/, seeds/, fixtures/) live.

In a source checkout or an editable install they sit at the top of the repository.
A built wheel carries them inside the package as ``sanctrack/_data/<name>``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory ``name`` ("migrations", "seeds" or "fixtures")."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"sanctrack's {name}/ directory is missing from {_PACKAGE}: reinstall sanctrack."
    )
