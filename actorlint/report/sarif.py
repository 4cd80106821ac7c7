"""The ``sarif`` format: a SARIF 2.1.0 log with one run, for code-scanning services.

Each result carries a ``partialFingerprints`` entry computed from the rule, the path and
the flagged source text (not the line number), so that a finding keeps its identity when
unrelated lines are added above it (:mod:`actorlint.report.fingerprint`, shared with the
``gitlab`` format).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, TextIO, Tuple
from urllib.parse import quote

from actorlint.diagnostics import Diagnostic, Location, Severity, Span
from actorlint.report.ci_paths import base_folder, relative_to_checkout
from actorlint.report.fingerprint import SourceCache, fingerprint, fingerprints

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.report.context import ReportContext, RuleInfo

__all__ = [
    "FINGERPRINT_KEY",
    "SARIF_SCHEMA",
    "SARIF_VERSION",
    "SourceCache",
    "build_log",
    "fingerprint",  # re-exported from actorlint.report.fingerprint, with SourceCache
    "path_to_uri",
    "write",
]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/actorlint/actorlint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "actorlintFingerprint/v1"


# Code scanning resolves the log's relative URIs against the repository's checkout.
_CHECKOUT = "GITHUB_WORKSPACE"


def path_to_uri(path: str) -> Tuple[str, Optional[str]]:
    """``(uri, uriBaseId)`` for a printed path: a percent-encoded relative URI with forward
    slashes based at ``%SRCROOT%``, or an absolute ``file:`` URI and no base."""
    if os.path.isabs(path):
        return Path(path).as_uri(), None
    # Percent-encoding the bytes keeps a name that is not valid UTF-8 exact.
    return quote(os.fsencode(PurePath(path).as_posix()), safe="/"), SRCROOT


def _srcroot_uri() -> str:
    """The checkout (``GITHUB_WORKSPACE`` when set, else the current folder) as a URI."""
    uri = Path(base_folder(_CHECKOUT) or Path.cwd()).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _physical_location(path: str, span: Span) -> Dict[str, Any]:
    uri, base = path_to_uri(relative_to_checkout(path, _CHECKOUT))
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
    url = ctx.rule_url(info.code)  # plugin rules have no page in actorlint's docs
    if url is not None:
        descriptor["helpUri"] = url
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


def _fix(diagnostic: Diagnostic, artifact: Dict[str, Any]) -> Dict[str, Any]:
    """A SARIF fix of the file at ``artifact``: the edits as replacements of character
    ranges (offsets in code points from the start of the file, as ``columnKind`` says)."""
    assert diagnostic.fix is not None
    replacements = [{"deletedRegion": {"charOffset": edit.start, "charLength": edit.end - edit.start},
                     "insertedContent": {"text": edit.content}} for edit in diagnostic.fix.edits]
    return {"description": {"text": f"{diagnostic.fix.title} ({diagnostic.fix.applicability.value})"},
            "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}]}


def _invocation(ctx: "ReportContext") -> Dict[str, Any]:
    """The run's invocation: unsuccessful, with each internal error, when a rule crashed."""
    invocation: Dict[str, Any] = {"executionSuccessful": not ctx.internal_errors}
    if ctx.internal_errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": message}} for message in ctx.internal_errors]
    return invocation


def build_log(
    diagnostics: Sequence[Diagnostic], ctx: "ReportContext", sources: Optional[SourceCache] = None
) -> Dict[str, Any]:
    """The SARIF log as plain data; ``sources`` supplies the text used for fingerprints."""
    sources = sources if sources is not None else SourceCache()
    infos = sorted(ctx.rules.values(), key=lambda info: info.code)
    rule_index = {info.code: index for index, info in enumerate(infos)}
    results: List[Dict[str, Any]] = []
    for diagnostic, identity in zip(diagnostics, fingerprints(diagnostics, sources)):
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
        if diagnostic.fix is not None and diagnostic.fix.edits:
            result["fixes"] = [_fix(diagnostic, result["locations"][0]["physicalLocation"]["artifactLocation"])]
        result["partialFingerprints"] = {FINGERPRINT_KEY: identity}
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
        "invocations": [_invocation(ctx)],
        "originalUriBaseIds": {SRCROOT: {"uri": _srcroot_uri()}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def write(diagnostics: Sequence[Diagnostic], ctx: "ReportContext", out: TextIO) -> None:
    """Write the SARIF log as indented JSON followed by a newline."""
    json.dump(build_log(diagnostics, ctx), out, indent=2)
    out.write("\n")
