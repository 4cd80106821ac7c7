"""The ``sarif`` format: a SARIF 2.1.0 log with one run, for code-scanning services.

Each result carries a ``partialFingerprints`` entry computed from the rule, the path and
the flagged source text (not the line number), so that a finding keeps its identity when
unrelated lines are added above it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, TextIO, Tuple
from urllib.parse import quote

from actorlint.diagnostics import Diagnostic, Location, Severity, Span

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.report.context import ReportContext, RuleInfo

__all__ = [
    "FINGERPRINT_KEY",
    "SARIF_SCHEMA",
    "SARIF_VERSION",
    "SourceCache",
    "build_log",
    "fingerprint",
    "path_to_uri",
    "write",
]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/actorlint/actorlint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "actorlintFingerprint/v1"

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

    def text(self, path: str, span: Span) -> str:
        """The source lines ``span.line`` to ``span.end_line`` joined by newlines, or ``""``."""
        lines = self._file_lines(path)
        first = max(span.line, 1) - 1
        last = max(span.end_line, span.line)
        return "\n".join(lines[first:last])


def path_to_uri(path: str) -> Tuple[str, Optional[str]]:
    """``(uri, uriBaseId)`` for a printed path: a percent-encoded relative URI with forward
    slashes based at ``%SRCROOT%``, or an absolute ``file:`` URI and no base."""
    if os.path.isabs(path):
        return Path(path).as_uri(), None
    return quote(PurePath(path).as_posix(), safe="/"), SRCROOT


def _srcroot_uri() -> str:
    uri = Path.cwd().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _physical_location(path: str, span: Span) -> Dict[str, Any]:
    uri, base = path_to_uri(path)
    artifact: Dict[str, Any] = {"uri": uri}
    if base is not None:
        artifact["uriBaseId"] = base
    return {
        "artifactLocation": artifact,
        "region": {
            "startLine": span.line,
            "startColumn": span.column,
            "endLine": span.end_line,
            "endColumn": span.end_column,
        },
    }


def _first_paragraph(markdown: str) -> str:
    """The first paragraph of prose in ``markdown``, skipping headings; lines joined."""
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = [line.strip() for line in block.splitlines() if not line.lstrip().startswith("#")]
        text = " ".join(line for line in lines if line)
        if text:
            return text
    return ""


def _level(severity: Severity) -> str:
    return "error" if severity == Severity.ERROR else "warning"


def _rule_descriptor(info: "RuleInfo", ctx: "ReportContext") -> Dict[str, Any]:
    descriptor: Dict[str, Any] = {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
    }
    full = _first_paragraph(info.documentation)
    if full:
        descriptor["fullDescription"] = {"text": full}
    descriptor["helpUri"] = f"{ctx.docs_base_url}{info.code}.md"
    if info.documentation:
        descriptor["help"] = {"text": info.documentation, "markdown": info.documentation}
    descriptor["defaultConfiguration"] = {"level": "error" if info.code == "ACT000" else "warning"}
    descriptor["properties"] = {"fixable": info.fixable}
    return descriptor


def _related_location(index: int, location: Location) -> Dict[str, Any]:
    related: Dict[str, Any] = {
        "id": index,
        "physicalLocation": _physical_location(location.path, location.span),
    }
    if location.message:
        related["message"] = {"text": location.message}
    return related


def build_log(
    diagnostics: Sequence[Diagnostic], ctx: "ReportContext", sources: Optional[SourceCache] = None
) -> Dict[str, Any]:
    """The SARIF log as plain data; ``sources`` supplies the text used for fingerprints."""
    sources = sources if sources is not None else SourceCache()
    infos = sorted(ctx.rules.values(), key=lambda info: info.code)
    rule_index = {info.code: index for index, info in enumerate(infos)}
    seen: Dict[Tuple[str, str, str], int] = {}
    results: List[Dict[str, Any]] = []
    for diagnostic in diagnostics:
        line_text = sources.text(diagnostic.path, diagnostic.span)
        identity = (diagnostic.code, diagnostic.path, " ".join(line_text.split()))
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        result: Dict[str, Any] = {"ruleId": diagnostic.code}
        if diagnostic.code in rule_index:
            result["ruleIndex"] = rule_index[diagnostic.code]
        result["level"] = _level(diagnostic.severity)
        result["message"] = {"text": diagnostic.message}
        result["locations"] = [
            {"physicalLocation": _physical_location(diagnostic.path, diagnostic.span)}
        ]
        if diagnostic.related:
            result["relatedLocations"] = [
                _related_location(index, location)
                for index, location in enumerate(diagnostic.related, 1)
            ]
        result["partialFingerprints"] = {
            FINGERPRINT_KEY: fingerprint(diagnostic, line_text, occurrence)
        }
        results.append(result)
    run: Dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "actorlint",
                "version": ctx.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(info, ctx) for info in infos],
            }
        },
        "invocations": [{"executionSuccessful": True}],
        "originalUriBaseIds": {SRCROOT: {"uri": _srcroot_uri()}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def write(diagnostics: Sequence[Diagnostic], ctx: "ReportContext", out: TextIO) -> None:
    """Write the SARIF log as indented JSON followed by a newline."""
    json.dump(build_log(diagnostics, ctx), out, indent=2)
    out.write("\n")
