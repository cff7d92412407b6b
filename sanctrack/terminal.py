"""Text bound for a terminal: control characters shown as escapes, never sent as such.

Dataset titles, names and quotes come from fixture files; an ESC sequence in one of them
could recolour, move or clear the terminal, and a bidirectional override could make
"SUR" display as "RUS". Every printer of the command line passes text through
:func:`shown_text`.
"""

from __future__ import annotations

import unicodedata

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
