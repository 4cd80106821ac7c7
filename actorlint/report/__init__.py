"""Output formats: turn sorted, filtered diagnostics into text for a stream.

Each format is a function ``(diagnostics, context, out) -> None`` registered in
:data:`FORMATS`; :func:`render` looks one up by name.
"""

from __future__ import annotations

from typing import Callable, Dict, Sequence, TextIO

from actorlint.diagnostics import Diagnostic
from actorlint.report import full, github, gitlab, json_format, json_lines, pylint, sarif, text
from actorlint.report.context import DEFAULT_DOCS_BASE_URL, ReportContext, RuleInfo

__all__ = [
    "DEFAULT_DOCS_BASE_URL",
    "FORMATS",
    "Reporter",
    "ReportContext",
    "RuleInfo",
    "render",
]

Reporter = Callable[[Sequence[Diagnostic], ReportContext, TextIO], None]

#: Output format name -> the function that writes it.
FORMATS: Dict[str, Reporter] = {
    "text": text.write,
    "concise": text.write,  # Ruff's name for it
    "full": full.write,
    "json": json_format.write,
    "json-lines": json_lines.write,
    "pylint": pylint.write,
    "github": github.write,
    "sarif": sarif.write,
    "gitlab": gitlab.write,
}


def render(fmt: str, diagnostics: Sequence[Diagnostic], ctx: ReportContext, out: TextIO) -> None:
    """Write ``diagnostics`` to ``out`` in format ``fmt``; ValueError for an unknown format."""
    try:
        reporter = FORMATS[fmt]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise ValueError(f"unknown output format {fmt!r} (expected one of: {known})") from None
    reporter(diagnostics, ctx, out)
