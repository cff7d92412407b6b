"""Text bound for a terminal: control characters shown as escapes, never sent as such.

Dataset titles, names and quotes come from fixture files; an ESC sequence in one of them
could recolour, move or clear the terminal, and a bidirectional override could make
"SUR" display as "RUS". Every printer of the command line passes text through
:func:`shown_text` (:func:`say`, :func:`print_error`, the report tables).
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import typer
from rich.console import Console

from sanctrack.errors import SanctrackError, SanctrackWarning

#: Characters escaped besides the control characters (Unicode category Cc): the
#: bidirectional embeddings, overrides, isolates and marks, and the line separators.
INVISIBLE = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
)
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if char in NAMED:
        return NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def needs_escape(char: str) -> bool:
    return char in INVISIBLE or unicodedata.category(char) == "Cc"


def shown_text(text: str) -> str:
    """``text`` with each control or invisible formatting character written as an escape
    (``\\x1b``, ``\\n``, ``\\u202e``); a backslash itself is left as it is."""
    if text.isprintable() and not any(c in INVISIBLE for c in text):
        return text
    return "".join(_escaped(c) if needs_escape(c) else c for c in text)


#: Standard output and standard error of the command line.
out = Console(soft_wrap=True)
err = Console(stderr=True)


def say(text: str, console: Console | None = None) -> None:
    """Print one line of text, escaped, with no markup or highlighting."""
    (console or out).print(shown_text(text), markup=False, highlight=False, soft_wrap=True)


def say_row(*fields: object) -> None:
    """Print fields separated by tabs, each escaped (a tab inside a field shows as \\t).
    Written as it is: rich would turn the tabs into spaces."""
    out.file.write("\t".join(shown_text(str(f)) for f in fields) + "\n")
    out.file.flush()


def print_error(error: BaseException) -> None:
    """Each line of the error's message on its own line of standard error."""
    for line in str(error).splitlines():
        say(line, err)


@contextmanager
def errors_reported() -> Iterator[None]:
    """Print sanctrack's warnings (a wait for another writer) as lines of standard error,
    and its errors one per line, then exit with the error's code (see
    :mod:`sanctrack.exitcodes`) instead of a traceback."""
    from sanctrack.exitcodes import exit_code

    with warnings.catch_warnings():
        warnings.simplefilter("always", SanctrackWarning)
        others = warnings.showwarning

        def show(
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            if issubclass(category, SanctrackWarning):
                say(str(message), err)
            else:
                others(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        try:
            yield
        except SanctrackError as error:
            print_error(error)
            raise typer.Exit(exit_code(error)) from None
