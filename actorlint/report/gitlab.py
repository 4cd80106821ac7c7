"""The ``gitlab`` format: a GitLab Code Quality report (the subset of the Code Climate issue
format that GitLab reads), for ``artifacts: reports: codequality:`` in ``.gitlab-ci.yml``.

GitLab matches the issues of a merge request's report against the target branch's by
``fingerprint`` to show what is new and what was fixed, and it shows only one issue per
fingerprint. The fingerprints are therefore the ones the ``sarif`` format uses
(:mod:`actorlint.report.fingerprint`): no line numbers, so an edit elsewhere in the file
keeps them, and an occurrence index, so identical findings stay distinct.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, TextIO

from actorlint.diagnostics import Diagnostic, Severity
from actorlint.printable import valid_unicode
from actorlint.report.ci_paths import relative_to_checkout
from actorlint.report.fingerprint import SourceCache, fingerprints

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.report.context import ReportContext

__all__ = ["SEVERITIES", "build_report", "report_path", "write"]

#: The ``severity`` values GitLab accepts, least severe first.
SEVERITIES = ("info", "minor", "major", "critical", "blocker")

# ACT000 (a file that could not be read or parsed: an error) hides every other finding in
# that file, so it ranks above a rule's finding.
_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major"}


def report_path(path: str) -> str:
    """The path as GitLab wants it: relative to the project (the checked paths are shown
    relative to the current folder, where CI runs), forward slashes, no leading ``./``."""
    posix = PurePath(path).as_posix()
    while posix.startswith("./"):
        posix = posix[2:]
    return posix


def _issue(diagnostic: Diagnostic, identity: str) -> Dict[str, Any]:
    span = diagnostic.span
    return {
        "description": f"{diagnostic.code} {diagnostic.message}",
        "check_name": diagnostic.code,
        "fingerprint": identity,
        "severity": _SEVERITY[diagnostic.severity],
        "location": {
            "path": valid_unicode(report_path(relative_to_checkout(diagnostic.path, "CI_PROJECT_DIR"))),
            "positions": {
                "begin": {"line": span.line, "column": span.column},
                "end": {"line": max(span.end_line, span.line), "column": span.end_column},
            },
        },
    }


def build_report(
    diagnostics: Sequence[Diagnostic], sources: Optional[SourceCache] = None
) -> List[Dict[str, Any]]:
    """The report as plain data; ``sources`` supplies the text used for fingerprints."""
    sources = sources if sources is not None else SourceCache()
    return [
        _issue(diagnostic, identity)
        for diagnostic, identity in zip(diagnostics, fingerprints(diagnostics, sources))
    ]


def write(diagnostics: Sequence[Diagnostic], ctx: "ReportContext", out: TextIO) -> None:
    """Write the report as an indented JSON array followed by a newline (``[]`` when clean:
    GitLab then shows the findings of the target branch as resolved)."""
    del ctx  # the GitLab format has no options
    json.dump(build_report(diagnostics), out, indent=2)
    out.write("\n")
