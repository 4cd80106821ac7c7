"""Text made safe to show on a terminal or in a CI log.

File names, config values and messages can hold anything: an escape sequence that
recolours or clears the terminal, a newline that forges a diagnostic line of its own, a
bidirectional override that shows code other than what is there, or (in a file name that
is not valid UTF-8) a lone surrogate that cannot be written at all. Every human-readable
output passes such text through :func:`printable`, which spells those characters out as
Python escapes (``\\x1b``, ``\\n``, ``\\u202e``; an undecodable byte as ``\\xff``).
"""

from __future__ import annotations

import re

__all__ = ["printable", "printable_lines", "valid_unicode"]

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: "re.Match[str]") -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    point = ord(char)
    if 0xDC80 <= point <= 0xDCFF:  # a byte that surrogateescape kept from an undecodable name
        return f"\\x{point - 0xDC00:02x}"
    if point <= 0xFF:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}"


def printable(text: str) -> str:
    """``text`` with control characters, bidirectional controls, line separators and
    lone surrogates escaped; unchanged (the same object) when it has none."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def printable_lines(text: str) -> str:
    """Like :func:`printable`, but keeps ``\\n`` line breaks (for multi-line messages
    such as tracebacks, whose lines are each made safe)."""
    return "\n".join(printable(line) for line in text.split("\n"))


def valid_unicode(text: str) -> str:
    """``text`` with the lone surrogates of an undecodable file name replaced by U+FFFD, so
    that JSON output is valid Unicode for strict parsers (as Ruff's lossy paths are)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text
