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
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Tuple

from actorlint.diagnostics import Diagnostic

__all__ = ["Directive", "Suppressions", "noqa_with_codes", "skip_file"]

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

# Comments and string literals, each matched whole from its first character, so that a
# "#" inside a string is never read as a comment and a quote inside a comment never
# starts a string. Prefixes (r, b, f, u) do not change where a literal ends, and an
# escaped character (a line break too) never ends one. This is the tokenizer's reading
# of any file that parses, at regex speed.
_COMMENT_OR_STRING = re.compile(
    r"#[^\r\n]*"
    r'|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    r"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    r'|"[^"\\\r\n]*(?:\\(?:\r\n|.)[^"\\\r\n]*)*"'
    r"|'[^'\\\r\n]*(?:\\(?:\r\n|.)[^'\\\r\n]*)*'",
    re.DOTALL,
)
# Line breaks as LibCST counts them (diagnostics carry LibCST's line numbers).
_LINE_BREAK = re.compile(r"\r\n?|\n")

# What one directive suppresses: None for "every code", else the codes named.
_Directive = Optional[FrozenSet[str]]


def _comments(source: str) -> Iterator[Tuple[int, int, str]]:
    """(line number, offset, text) of every real comment in ``source``.

    Only files whose text holds a directive get here, so the tokenizer can afford to
    decide: on Python 3.12+ an f-string may nest its own quotes (``f"{m + "# x"}"``),
    which no regex tells apart. The regex reading stands when the tokenizer fails.
    """
    try:
        return iter(list(_tokenized_comments(source)))
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        return _scanned_comments(source)


def _tokenized_comments(source: str) -> Iterator[Tuple[int, int, str]]:
    # newline=None splits on "\r" too, so lines count as LibCST counts them; offsets
    # are into the source, found from the start of each line.
    starts = [0] + [match.end() for match in _LINE_BREAK.finditer(source)]
    for token in tokenize.generate_tokens(io.StringIO(source, newline=None).readline):
        if token.type == tokenize.COMMENT:
            line, column = token.start
            yield line, starts[line - 1] + column, token.string


def _scanned_comments(source: str) -> Iterator[Tuple[int, int, str]]:
    line, counted = 1, 0
    for match in _COMMENT_OR_STRING.finditer(source):
        if source[match.start()] != "#":
            continue
        line += len(_LINE_BREAK.findall(source, counted, match.start()))
        counted = match.start()
        yield line, counted, match.group()


def skip_file(source: str) -> bool:
    """Whether ``source`` opts out of linting with a ``# actorlint: skip-file`` comment line.

    A cheap regex runs first; only when it hits are comments told from strings.
    """
    if _SKIP_FILE.search(source) is None:
        return False
    for _, offset, text in _comments(source):
        line_start = max(source.rfind("\n", 0, offset), source.rfind("\r", 0, offset)) + 1
        if not source[line_start:offset].strip() and _SKIP_FILE.match(text):
            return True  # the comment is the whole line
    return False


def _codes(listed: str) -> FrozenSet[str]:
    return frozenset(code.upper() for code in _CODE_SEPARATOR.split(listed) if code)


def noqa_with_codes(line: str, codes: Iterable[str]) -> Optional[str]:
    """``line`` with ``codes`` joined to the first ``# noqa: ...`` naming codes in it (the
    list sorted, its codes as written), or None when it has no such directive."""
    for match in _NOQA.finditer(line):
        listed = match.group(1)
        if listed is not None:
            merged = ", ".join(sorted({code for code in _CODE_SEPARATOR.split(listed) if code} | set(codes)))
            return line[:match.start(1)] + merged + line[match.end(1):]
    return None


def _directives(comment: str) -> List[Tuple[str, int, int, _Directive]]:
    """The suppressions one comment carries: (kind, start, end in the comment, codes)."""
    found: List[Tuple[str, int, int, _Directive]] = []
    for kind, pattern in (("ignore", _ACTORLINT_IGNORE), ("noqa", _NOQA)):
        for match in pattern.finditer(comment):
            listed = match.group(1)
            found.append((kind, match.start(), match.end(), None if listed is None else _codes(listed)))
    return found


@dataclass(frozen=True)
class Directive:
    """One suppression directive as written: its line and column, its offsets in the
    file's text, how to remove it (from ``cut_start`` to its end, written over with
    ``cut_text``: the spaces before it go too, and a comment it starts keeps its ``#``),
    its kind (``noqa`` or ``ignore``) and the
    codes it names (None: every code)."""

    line: int
    column: int
    start: int
    end: int
    cut_start: int
    cut_text: str
    kind: str
    codes: Optional[FrozenSet[str]]


@dataclass(frozen=True)
class Suppressions:
    """The suppression comments of one file, by line, and each directive as written."""

    # Lines whose comment suppresses every code.
    blanket_lines: FrozenSet[int] = frozenset()
    # Lines whose comment suppresses only the codes listed.
    codes_by_line: Dict[int, FrozenSet[str]] = field(default_factory=dict, hash=False)
    directives: Tuple[Directive, ...] = ()

    @classmethod
    def from_source(cls, source: str) -> Suppressions:
        """Collect the suppressions in ``source`` from its comments."""
        if _ACTORLINT_IGNORE.search(source) is None and _NOQA.search(source) is None:
            return cls()  # no directive anywhere, in comments or not
        blanket: Set[int] = set()
        codes: Dict[int, Set[str]] = {}
        written: List[Directive] = []
        for line, offset, text in _comments(source):
            line_start = max(source.rfind("\n", 0, offset), source.rfind("\r", 0, offset)) + 1
            for kind, start, end, listed in _directives(text):
                if listed is None:
                    blanket.add(line)
                else:
                    codes.setdefault(line, set()).update(listed)
                rest = text[end:].strip()
                if start == 0 and rest:  # "# noqa: ACT101 - why": "# - why" stays a comment
                    cut, cut_text = offset, "#"
                else:  # the spaces before it go too (before the comment when it is the whole)
                    before = source[line_start:offset] if start == 0 else text[:start]
                    cut = offset + start - (len(before) - len(before.rstrip(" \t")))
                    cut_text = ""
                written.append(Directive(line, offset + start - line_start + 1, offset + start, offset + end,
                                         cut, cut_text, kind, listed))
        return cls(frozenset(blanket), {line: frozenset(c) for line, c in codes.items()}, tuple(written))

    def is_suppressed_at(self, code: str, line: int) -> bool:
        """Whether a comment on ``line`` suppresses ``code``."""
        if code == _PARSE_ERROR_CODE:
            return False
        return line in self.blanket_lines or code in self.codes_by_line.get(line, ())

    def is_suppressed(self, diagnostic: Diagnostic) -> bool:
        """Whether the diagnostic's line or any of its statement lines suppresses it."""
        lines = (diagnostic.span.line, *diagnostic.statement_lines)
        return any(self.is_suppressed_at(diagnostic.code, line) for line in lines)
