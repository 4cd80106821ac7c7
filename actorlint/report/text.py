"""The ``text`` format: one ``path:line:col: CODE message`` line per diagnostic, then a summary.

Modelled on Ruff's concise output: a diagnostic whose fix is safe shows ``[*]`` after its
code; unsafe fixes are not marked, only counted as hidden in the summary.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Dict, List, Sequence, TextIO

from actorlint.diagnostics import Applicability, Diagnostic
from actorlint.printable import printable

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.report.context import ReportContext

__all__ = ["format_line", "statistics_lines", "summary_lines", "write"]

SAFE_FIX_MARK = "[*]"


def _has_safe_fix(diagnostic: Diagnostic) -> bool:
    fix = diagnostic.fix
    return fix is not None and fix.applicability == Applicability.SAFE


def _has_unsafe_fix(diagnostic: Diagnostic) -> bool:
    fix = diagnostic.fix
    return fix is not None and fix.applicability == Applicability.UNSAFE


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def format_line(diagnostic: Diagnostic, unsafe_fixes: bool = False) -> str:
    """The one-line form ``path:line:col: CODE [*] message``: ``[*]`` marks a fix that
    ``--fix`` applies (a safe one, or any with ``--unsafe-fixes``)."""
    span = diagnostic.span
    fixable = _has_safe_fix(diagnostic) or (unsafe_fixes and _has_unsafe_fix(diagnostic))
    mark = f" {SAFE_FIX_MARK}" if fixable else ""
    return (
        f"{printable(diagnostic.path)}:{span.line}:{span.column}: {diagnostic.code}{mark} "
        f"{printable(diagnostic.message)}"
    )


def _fix_line(diagnostic: Diagnostic) -> str:
    """The ``--show-fixes`` line under a diagnostic that has a fix."""
    fix = diagnostic.fix
    assert fix is not None
    return f"  help: {printable(fix.title)} ({fix.applicability.value} fix)"


def statistics_lines(diagnostics: Sequence[Diagnostic], ctx: "ReportContext") -> List[str]:
    """``count<TAB>code<TAB>name`` rows, most frequent first, like ``ruff --statistics``."""
    counts: Counter = Counter(d.code for d in diagnostics)
    names: Dict[str, str] = {}
    for diagnostic in diagnostics:
        names.setdefault(diagnostic.code, diagnostic.name)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [f"{count:>5}\t{printable(code)}\t{printable(ctx.rule_name(code, names[code]))}"
            for code, count in rows]


def summary_lines(diagnostics: Sequence[Diagnostic], unsafe_fixes: bool = False) -> List[str]:
    """``Found N errors.`` plus the fix counts, or ``All checks passed!`` when there are none.

    With ``unsafe_fixes`` (the run has ``--unsafe-fixes``) unsafe fixes count as fixable.
    """
    if not diagnostics:
        return ["All checks passed!"]
    lines = [f"Found {_plural(len(diagnostics), 'error')}."]
    safe = sum(1 for d in diagnostics if _has_safe_fix(d))
    hidden = sum(1 for d in diagnostics if _has_unsafe_fix(d))
    if unsafe_fixes:
        safe, hidden = safe + hidden, 0
    hidden_fixes = _plural(hidden, "hidden fix", "hidden fixes")
    hint = f"{hidden_fixes} can be enabled with the --unsafe-fixes option"
    if safe and hidden:
        lines.append(f"{SAFE_FIX_MARK} {safe} fixable with the --fix option ({hint}).")
    elif safe:
        lines.append(f"{SAFE_FIX_MARK} {safe} fixable with the --fix option.")
    elif hidden:
        lines.append(f"No fixes available ({hint}).")
    return lines


def write(diagnostics: Sequence[Diagnostic], ctx: "ReportContext", out: TextIO) -> None:
    """Write the text report: diagnostic lines (or the statistics table), then the summary.

    ``ctx.quiet`` drops the summary; ``ctx.show_fixes`` adds a ``help:`` line naming each fix.
    """
    lines: List[str] = []
    if ctx.statistics:
        lines.extend(statistics_lines(diagnostics, ctx))
    else:
        for diagnostic in diagnostics:
            lines.append(format_line(diagnostic, ctx.unsafe_fixes))
            if ctx.show_fixes and diagnostic.fix is not None:
                lines.append(_fix_line(diagnostic))
    if not ctx.quiet:
        lines.extend(summary_lines(diagnostics, ctx.unsafe_fixes))
    for line in lines:
        out.write(line + "\n")
