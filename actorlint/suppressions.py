"""Suppression comments: ``# actorlint: skip-file``, ``# actorlint: ignore[...]`` and ``# noqa``.

A ``# noqa`` naming only other tools' codes (``# noqa: E501``) leaves our diagnostics
alone; a bare ``# noqa`` or ``# actorlint: ignore`` suppresses every code on its line.
Codes must be spelled exactly: prefixes such as ``ACT1`` do not suppress ``ACT101``.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from actorlint.diagnostics import Diagnostic

__all__ = ["Suppressions", "skip_file"]

# The code that reports unreadable or unparsable files: no comment can hide it.
_PARSE_ERROR_CODE = "ACT000"

_SKIP_FILE = re.compile(r"^[ \t]*#[ \t]*(?i:actorlint)[ \t]*:[ \t]*skip-file(?![\w-])", re.MULTILINE)

# Directives may sit anywhere in a comment, after other text such as "type: ignore".
# An unclosed "ignore[" is malformed and suppresses nothing, rather than everything.
_ACTORLINT_IGNORE = re.compile(r"#\s*(?i:actorlint)\s*:\s*ignore(?:\[([^\]]*)\]|(?![\w\[-]))")
_NOQA = re.compile(
    r"#\s*(?i:noqa)(?:\s*:\s*((?i:[A-Z]+[0-9]+(?:(?:\s*,\s*|\s+)[A-Z]+[0-9]+)*))|(?![\w-]))"
)
_CODE_SEPARATOR = re.compile(r"[\s,]+")

# SyntaxError covers IndentationError; ValueError covers null bytes on newer Pythons.
_TOKENIZE_ERRORS = (tokenize.TokenError, SyntaxError, ValueError)

# What one directive suppresses: None for "every code", else the codes named.
_Directive = Optional[FrozenSet[str]]


def _comment_tokens(source: str) -> Iterator[tokenize.TokenInfo]:
    """Every real comment token in ``source``; raises one of _TOKENIZE_ERRORS."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token


def _comment_lines(source: str) -> Iterator[Tuple[int, str]]:
    """(line number, comment text) for every real comment token in ``source``."""
    for token in _comment_tokens(source):
        yield token.start[0], token.string


def _raw_comment_lines(source: str) -> Iterator[Tuple[int, str]]:
    """A fallback for sources tokenize rejects: any text from a ``#`` on each line."""
    for number, line in enumerate(source.splitlines(), start=1):
        start = line.find("#")
        if start >= 0:
            yield number, line[start:]


def skip_file(source: str) -> bool:
    """Whether ``source`` opts out of linting with a ``# actorlint: skip-file`` comment line.

    A cheap regex runs first; only when it hits is the file tokenized, to make sure
    the line is a real comment and not part of a multi-line string.
    """
    lines = {source.count("\n", 0, m.start()) + 1 for m in _SKIP_FILE.finditer(source)}
    if not lines:
        return False
    try:
        return any(
            token.start[0] in lines
            and not token.line[: token.start[1]].strip()  # the comment is the whole line
            and _SKIP_FILE.match(token.string)
            for token in _comment_tokens(source)
        )
    except _TOKENIZE_ERRORS:
        # Unreadable for tokenize: trust the line-anchored regex.
        return True


def _codes(listed: str) -> FrozenSet[str]:
    return frozenset(code.upper() for code in _CODE_SEPARATOR.split(listed) if code)


def _directives(comment: str) -> List[_Directive]:
    """The suppressions one comment carries."""
    found: List[_Directive] = []
    for pattern in (_ACTORLINT_IGNORE, _NOQA):
        for match in pattern.finditer(comment):
            listed = match.group(1)
            found.append(None if listed is None else _codes(listed))
    return found


@dataclass(frozen=True)
class Suppressions:
    """The suppression comments of one file, by line."""

    # Lines whose comment suppresses every code.
    blanket_lines: FrozenSet[int] = frozenset()
    # Lines whose comment suppresses only the codes listed.
    codes_by_line: Dict[int, FrozenSet[str]] = field(default_factory=dict, hash=False)

    @classmethod
    def from_source(cls, source: str) -> Suppressions:
        """Collect the suppressions in ``source`` from its comment tokens."""
        if _ACTORLINT_IGNORE.search(source) is None and _NOQA.search(source) is None:
            return cls()  # no directive anywhere, in comments or not: nothing to tokenize
        try:
            comments = list(_comment_lines(source))
        except _TOKENIZE_ERRORS:
            comments = list(_raw_comment_lines(source))
        blanket: Set[int] = set()
        codes: Dict[int, Set[str]] = {}
        for line, text in comments:
            for listed in _directives(text):
                if listed is None:
                    blanket.add(line)
                else:
                    codes.setdefault(line, set()).update(listed)
        return cls(frozenset(blanket), {line: frozenset(c) for line, c in codes.items()})

    def is_suppressed_at(self, code: str, line: int) -> bool:
        """Whether a comment on ``line`` suppresses ``code``."""
        if code == _PARSE_ERROR_CODE:
            return False
        return line in self.blanket_lines or code in self.codes_by_line.get(line, ())

    def is_suppressed(self, diagnostic: Diagnostic) -> bool:
        """Whether the diagnostic's line or any of its statement lines suppresses it."""
        lines = (diagnostic.span.line, *diagnostic.statement_lines)
        return any(self.is_suppressed_at(diagnostic.code, line) for line in lines)
