"""The ``github`` format: GitHub Actions workflow commands that annotate the pull request.

Escaping follows the Actions toolkit (``@actions/core``, ``command.ts``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Sequence, TextIO, Tuple

from actorlint.diagnostics import Diagnostic, Severity
from actorlint.printable import printable
from actorlint.report.ci_paths import relative_to_checkout

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.report.context import ReportContext

__all__ = ["escape_data", "escape_property", "format_command", "write"]


def escape_data(value: str) -> str:
    """Escape a command's message: ``%``, CR and LF as the toolkit does, then any other
    control character (an escape sequence would reach the log viewer) as ``\\xNN``."""
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(value: str) -> str:
    """Escape a command property value: as :func:`escape_data`, plus ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_command(diagnostic: Diagnostic) -> str:
    """The ``::warning``/``::error`` command for one diagnostic.

    ``col`` and ``endColumn`` are given only for a single-line span, as GitHub ignores them
    (or misplaces the annotation) otherwise.
    """
    span = diagnostic.span
    command = "error" if diagnostic.severity == Severity.ERROR else "warning"
    props: List[Tuple[str, str]] = [
        ("file", relative_to_checkout(diagnostic.path, "GITHUB_WORKSPACE")),
        ("line", str(span.line)),
        ("endLine", str(span.end_line)),
    ]
    if span.line == span.end_line:
        props += [("col", str(span.column)), ("endColumn", str(span.end_column))]
    props.append(("title", f"{diagnostic.code} ({diagnostic.name})"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{command} {rendered}::{escape_data(diagnostic.message)}"


def write(diagnostics: Sequence[Diagnostic], ctx: "ReportContext", out: TextIO) -> None:
    """Write one workflow command per diagnostic; no summary."""
    del ctx  # the GitHub format has no options
    for diagnostic in diagnostics:
        out.write(format_command(diagnostic) + "\n")
