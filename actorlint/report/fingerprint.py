"""Stable identities of findings, shared by the formats that services track over time
(``sarif`` code scanning, ``gitlab`` Code Quality).

An identity is computed from the rule, the path and the flagged source text, never the
line number, so that a finding keeps it when unrelated lines are added above it. Two
findings with the same rule, path and text are told apart by their order in the run.
"""

from __future__ import annotations

import hashlib
import re
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from actorlint.diagnostics import Diagnostic, Span

__all__ = ["SourceCache", "fingerprint", "fingerprints"]

# Python's own line breaks: unlike str.splitlines, form feeds and the like do not end a line.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def fingerprint(diagnostic: Diagnostic, line_text: str, occurrence: int) -> str:
    """A stable identity for ``diagnostic``: SHA-256 hex of its code, path, flagged text
    (whitespace runs collapsed) and ``occurrence``, the index of this finding among the
    run's findings with the same code, path and normalised text."""
    normalized = " ".join(line_text.split())
    payload = "\0".join((diagnostic.code, diagnostic.path, normalized, str(occurrence)))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


class SourceCache:
    """Reads the flagged lines of files, each file at most once."""

    def __init__(self) -> None:
        self._lines: Dict[str, List[str]] = {}
        self._given: Dict[str, List[str]] = {}  # lines of texts not read from disk (stdin)

    def _file_lines(self, path: str) -> List[str]:
        lines = self._lines.get(path)
        if lines is None:
            try:
                with open(path, encoding="utf-8", errors="replace", newline="") as handle:
                    lines = _LINE_BREAK.split(handle.read())
            except (OSError, ValueError):
                lines = []
            self._lines[path] = lines
        return lines

    def line(self, path: str, number: int, texts: Optional[Mapping[str, str]] = None) -> Optional[str]:
        """Line ``number`` (from 1) of the file, or None past its end or when unreadable;
        ``texts``: the text of files read from elsewhere (standard input) by path."""
        if texts and path in texts:
            lines = self._given.get(path)
            if lines is None:
                lines = self._given[path] = _LINE_BREAK.split(texts[path])
        else:
            lines = self._file_lines(path)
        return lines[number - 1] if 1 <= number <= len(lines) else None

    def text(self, path: str, span: Span) -> str:
        """The source lines ``span.line`` to ``span.end_line`` joined by newlines, or ``""``."""
        lines = self._file_lines(path)
        first = max(span.line, 1) - 1
        last = max(span.end_line, span.line)
        return "\n".join(lines[first:last])


def fingerprints(diagnostics: Sequence[Diagnostic], sources: SourceCache) -> List[str]:
    """The :func:`fingerprint` of each diagnostic, in order, with occurrences counted over
    the whole sequence: no two entries share an identity, even for identical findings."""
    seen: Dict[Tuple[str, str, str], int] = {}
    result: List[str] = []
    for diagnostic in diagnostics:
        line_text = sources.text(diagnostic.path, diagnostic.span)
        identity = (diagnostic.code, diagnostic.path, " ".join(line_text.split()))
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        result.append(fingerprint(diagnostic, line_text, occurrence))
    return result
