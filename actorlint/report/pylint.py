"""The ``pylint`` format: ``path:line: [CODE] message``, as Pylint's parseable output (and
Ruff's ``pylint`` format) reads, for tools and editors that understand it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence, TextIO

from actorlint.diagnostics import Diagnostic
from actorlint.printable import printable

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.report.context import ReportContext

__all__ = ["write"]


def write(diagnostics: Sequence[Diagnostic], ctx: "ReportContext", out: TextIO) -> None:
    """Write one line per diagnostic, nothing else."""
    for diagnostic in diagnostics:
        out.write(f"{printable(diagnostic.path)}:{diagnostic.span.line}: [{diagnostic.code}] "
                  f"{printable(diagnostic.message)}\n")
