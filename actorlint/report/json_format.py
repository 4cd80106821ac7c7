"""The ``json`` format: an indented JSON array with one object per diagnostic."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, Sequence, TextIO

from actorlint.diagnostics import Diagnostic, Location
from actorlint.printable import valid_unicode

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.report.context import ReportContext

__all__ = ["diagnostic_to_dict", "write"]


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


def diagnostic_to_dict(diagnostic: Diagnostic) -> Dict[str, Any]:
    """The JSON object for one diagnostic, keys in their documented order.

    ``fix`` is ``None`` or the fix's applicability (``"safe"``/``"unsafe"``); ``related``
    appears only when the diagnostic has related locations.
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
    if diagnostic.related:
        data["related"] = [_location_to_dict(location) for location in diagnostic.related]
    return data


def write(diagnostics: Sequence[Diagnostic], ctx: "ReportContext", out: TextIO) -> None:
    """Write the diagnostics as a JSON array (indent 2) followed by a newline."""
    del ctx  # the JSON format has no options
    json.dump([diagnostic_to_dict(d) for d in diagnostics], out, indent=2)
    out.write("\n")
