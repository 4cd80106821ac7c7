"""``check --add-noqa``: a ``# noqa: CODE`` comment for every current finding, so that a
codebase adopts actorlint with today's findings recorded and only new ones reported.

Each finding gets its code on the first line that can hold a comment among its own line and
the lines of its statement (a line inside a multi-line string, or continued with a
backslash, cannot). An existing ``# noqa: A`` there gains the code; a blanket ``# noqa``
already covers it. Running it again adds nothing. A file is written only if it still holds
the bytes that were checked, still parses, and every finding is then suppressed.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Set, Tuple

from actorlint.analyse import FileJob
from actorlint.diagnostics import Diagnostic
from actorlint.fixing import FileChanged, encode_source, parses, source_from_bytes, write_if_unchanged
from actorlint.selectors import PARSE_ERROR_CODE
from actorlint.suppressions import Suppressions, noqa_with_codes

__all__ = ["NoqaResult", "add_noqa", "with_noqa"]

_LINE_BREAK = re.compile(r"(\r\n?|\n)")


@dataclass
class NoqaResult:
    """What ``--add-noqa`` did: directives added, and the files it could not change."""

    added: int
    refused: List[str]


def _commentable_lines(text: str) -> Set[int]:
    """The lines a comment can end: those the tokenizer closes with a line break token
    (not a line inside a string, nor one continued with a backslash)."""
    lines: Set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
        if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT):
            lines.add(token.start[0])
    return lines


def with_noqa(text: str, findings: Sequence[Diagnostic]) -> Optional[Tuple[str, int]]:
    """``text`` with the directives the findings need, and how many lines changed; None
    when a finding has no line that can hold a comment."""
    commentable = _commentable_lines(text)
    wanted: Dict[int, Set[str]] = {}
    for finding in findings:
        line = next((n for n in (finding.span.line, *finding.statement_lines) if n in commentable), None)
        if line is None:
            return None
        wanted.setdefault(line, set()).add(finding.code)
    parts = _LINE_BREAK.split(text)  # content, break, content, break, ..., content
    changed = 0
    for line, codes in wanted.items():
        index = 2 * (line - 1)
        if index >= len(parts):
            return None
        updated = _add_codes(parts[index], codes)
        if updated != parts[index]:
            parts[index] = updated
            changed += 1
    return "".join(parts), changed


def _add_codes(line: str, codes: Set[str]) -> str:
    """The line with ``codes`` joined to its ``# noqa: ...``, or in a new one at its end."""
    joined = noqa_with_codes(line, codes)
    if joined is not None:
        return joined
    return f"{line.rstrip(' ' + chr(9))}  # noqa: {', '.join(sorted(codes))}"


def add_noqa(jobs: Sequence[FileJob], diagnostics: Sequence[Diagnostic]) -> NoqaResult:
    """Write the directives the ``diagnostics`` (of files asked for) need into their files."""
    by_path: Dict[str, List[Diagnostic]] = {}
    for diagnostic in diagnostics:
        if diagnostic.code != PARSE_ERROR_CODE:
            by_path.setdefault(diagnostic.path, []).append(diagnostic)
    added, refused = 0, []
    for job in jobs:
        findings = by_path.get(job.display_path)
        if not findings or job.is_stdin or not (job.reported and job.asked):
            continue
        try:
            original = job.source if job.source is not None else Path(job.path).read_bytes()
            source = source_from_bytes(original)
        except (OSError, SyntaxError, UnicodeDecodeError) as error:
            refused.append(f"{job.display_path}: cannot read: {error}")
            continue
        outcome = with_noqa(source.text, findings)
        if outcome is None:
            refused.append(f"{job.display_path}: a finding has no line that can hold a comment")
            continue
        text, changed = outcome
        marks = Suppressions.from_source(text)
        if not changed:
            continue
        if not parses(text) or not all(marks.is_suppressed(finding) for finding in findings):
            refused.append(f"{job.display_path}: the comments would not suppress the findings; left alone")
            continue
        try:
            write_if_unchanged(Path(job.path), original, encode_source(source, text))
        except (FileChanged, OSError, UnicodeEncodeError) as error:
            refused.append(f"{job.display_path}: not written: {error}")
            continue
        added += changed
    return NoqaResult(added, refused)
