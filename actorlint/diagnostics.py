"""The values every stage passes on: spans, edits, fixes and diagnostics.

Plain frozen dataclasses so that they pickle across worker processes and cache cleanly.
Lines and columns are 1-based; ``end_column`` is the column just past the last character,
as in Ruff's JSON output. Columns count Unicode code points.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional, Tuple

__all__ = [
    "Applicability",
    "Diagnostic",
    "Edit",
    "Fix",
    "Location",
    "Severity",
    "Span",
]


class Severity(str, enum.Enum):
    """How serious a diagnostic is; ACT000 is an error, rule findings are warnings."""

    ERROR = "error"
    WARNING = "warning"


class Applicability(str, enum.Enum):
    """Whether a fix keeps the code's meaning (``safe``) or changes behaviour (``unsafe``)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Span:
    """A source range: 1-based lines and columns, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Edit:
    """Replace the text between two character offsets of a file with ``content``."""

    start: int
    end: int
    content: str


@dataclass(frozen=True)
class Fix:
    """A set of edits applied together, with a title that names the action."""

    title: str
    applicability: Applicability
    edits: Tuple[Edit, ...] = ()


@dataclass(frozen=True)
class Location:
    """A place in some file, used for a diagnostic's related locations."""

    path: str
    span: Span
    message: str = ""


@dataclass(frozen=True)
class Diagnostic:
    """One finding: what rule, where, and what the user should read."""

    code: str
    name: str
    message: str
    path: str
    span: Span
    severity: Severity = Severity.WARNING
    fix: Optional[Fix] = None
    related: Tuple[Location, ...] = field(default=())
    # Lines whose suppression comments also cover this diagnostic (the statement's
    # first and last line); the diagnostic's own line always counts.
    statement_lines: Tuple[int, ...] = field(default=(), compare=False)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code, self.message)
