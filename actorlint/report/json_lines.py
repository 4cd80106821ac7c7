"""The ``json-lines`` format: one compact JSON object per diagnostic and line, the objects of
the ``json`` format (with ``--statistics``, one per rule), for tools that stream."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Sequence, TextIO

from actorlint.diagnostics import Diagnostic
from actorlint.report.json_format import diagnostic_to_dict, statistics

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.report.context import ReportContext

__all__ = ["write"]


def write(diagnostics: Sequence[Diagnostic], ctx: "ReportContext", out: TextIO) -> None:
    """Write one JSON object per line (nothing at all when there is nothing to report)."""
    rows = statistics(diagnostics, ctx) if ctx.statistics else [diagnostic_to_dict(d, ctx) for d in diagnostics]
    for row in rows:
        out.write(json.dumps(row, separators=(",", ":")) + "\n")
