"""The ``json`` format: an indented JSON array with one object per diagnostic."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, TextIO

from actorlint.diagnostics import Applicability, Diagnostic, Location
from actorlint.printable import valid_unicode

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.report.context import ReportContext

__all__ = ["diagnostic_to_dict", "statistics", "write"]


def _location_to_dict(location: Location) -> Dict[str, Any]:
    span = location.span
    return {
        "path": valid_unicode(location.path),
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "message": location.message,
    }


def diagnostic_to_dict(diagnostic: Diagnostic, ctx: Optional["ReportContext"] = None) -> Dict[str, Any]:
    """The JSON object for one diagnostic, keys in their documented order.

    ``fix`` is ``None`` or the fix's applicability (``"safe"``/``"unsafe"``); with a
    ``ctx``, ``url`` is the rule's documentation (None for a plugin's rule), and a fix's
    title and edits follow (``fix_title``, ``edits``); ``related`` appears only when the
    diagnostic has related locations.
    """
    span = diagnostic.span
    data: Dict[str, Any] = {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "message": diagnostic.message,
        "path": valid_unicode(diagnostic.path),
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "severity": diagnostic.severity.value,
        "fix": diagnostic.fix.applicability.value if diagnostic.fix is not None else None,
    }
    if ctx is not None:
        data["url"] = ctx.rule_url(diagnostic.code)
        if diagnostic.fix is not None:
            data["fix_title"] = diagnostic.fix.title
            data["edits"] = [{"start": edit.start, "end": edit.end, "content": edit.content}
                             for edit in diagnostic.fix.edits]
    if diagnostic.related:
        data["related"] = [_location_to_dict(location) for location in diagnostic.related]
    return data


def statistics(diagnostics: Sequence[Diagnostic], ctx: "ReportContext") -> List[Dict[str, Any]]:
    """``--statistics`` as JSON, as Ruff writes it: per rule, most frequent first, its
    count, whether its findings can be fixed and how many can be with this run's options
    (unsafe fixes count only with ``--unsafe-fixes``)."""
    rows: Dict[str, Dict[str, Any]] = {}
    for diagnostic in diagnostics:
        row = rows.setdefault(diagnostic.code, {
            "code": diagnostic.code, "name": ctx.rule_name(diagnostic.code, diagnostic.name),
            "count": 0, "fixable": False, "fixable_count": 0})
        row["count"] += 1
        fix = diagnostic.fix
        if fix is not None and fix.edits:
            row["fixable"] = True
            if ctx.unsafe_fixes or fix.applicability is Applicability.SAFE:
                row["fixable_count"] += 1
    return sorted(rows.values(), key=lambda row: (-row["count"], row["code"]))


def write(diagnostics: Sequence[Diagnostic], ctx: "ReportContext", out: TextIO) -> None:
    """Write the diagnostics as a JSON array (indent 2) followed by a newline; with
    ``--statistics``, the counts per rule instead."""
    if ctx.statistics:
        json.dump(statistics(diagnostics, ctx), out, indent=2)
        out.write("\n")
        return
    json.dump([diagnostic_to_dict(d, ctx) for d in diagnostics], out, indent=2)
    out.write("\n")
