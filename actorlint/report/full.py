"""The ``full`` format: each diagnostic's line, then the source around it with a caret line
under the flagged range and a ``help:`` line (the fix, or what the rule is about), as Ruff's
``full`` output shows them; then the summary of the ``text`` format. Colour (``ctx.color``)
marks the code, the carets and the gutter."""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Sequence, TextIO

from actorlint.diagnostics import Diagnostic
from actorlint.printable import printable
from actorlint.report.fingerprint import SourceCache
from actorlint.report.text import format_line, summary_lines

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.report.context import ReportContext

__all__ = ["snippet", "write"]

_TAB = 4
_BOLD, _RED, _BLUE, _CYAN, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[34m", "\x1b[36m", "\x1b[0m"


def _paint(text: str, *styles: str, color: bool) -> str:
    return "".join(styles) + text + _RESET if color and text else text


def snippet(diagnostic: Diagnostic, sources: SourceCache, ctx: "ReportContext") -> List[str]:
    """The source lines around the flagged range (one before, one after), a caret line
    under the range on its first line, and the ``help:`` line; no source lines when the
    file cannot be read."""
    color = ctx.color
    span = diagnostic.span
    first, last = max(span.line - 1, 1), span.end_line + 1
    numbered = [(number, sources.line(diagnostic.path, number, ctx.texts)) for number in range(first, last + 1)]
    numbered = [(number, line) for number, line in numbered if line is not None]
    lines: List[str] = []
    if any(number == span.line for number, _ in numbered):
        width = len(str(numbered[-1][0]))
        bar = _paint(" " * width + " |", _BLUE, _BOLD, color=color)
        lines.append(bar)
        for number, line in numbered:
            gutter = _paint(f"{number:>{width}} |", _BLUE, _BOLD, color=color)
            lines.append(f"{gutter} {printable(line.expandtabs(_TAB))}".rstrip())
            if number == span.line:
                text = line.expandtabs(_TAB)
                start = len(line[:span.column - 1].expandtabs(_TAB))
                end = len(line[:span.end_column - 1].expandtabs(_TAB)) if span.end_line == span.line else len(text)
                carets = "^" * max(end - start, 1)
                lines.append(f"{bar} {' ' * start}{_paint(carets + ' ' + diagnostic.code, _RED, _BOLD, color=color)}")
        lines.append(bar)
    lines.append(f"{' ' * (len(str(last)) + 1)}= {_paint('help', _CYAN, _BOLD, color=color)}: {_help(diagnostic, ctx)}")
    return lines


def _help(diagnostic: Diagnostic, ctx: "ReportContext") -> str:
    fix = diagnostic.fix
    if fix is not None and fix.edits:
        return printable(f"{fix.title} ({fix.applicability.value} fix)")
    info = ctx.rules.get(diagnostic.code)
    about = info.summary if info is not None else diagnostic.name
    url = ctx.rule_url(diagnostic.code)
    return printable(f"{about}" + (f"; see {url}" if url else ""))


def write(diagnostics: Sequence[Diagnostic], ctx: "ReportContext", out: TextIO) -> None:
    """Write each diagnostic with its source, then the summary (unless ``ctx.quiet``)."""
    sources = SourceCache()
    for diagnostic in diagnostics:
        head = format_line(diagnostic, ctx.unsafe_fixes)
        if ctx.color:
            location, _, rest = head.partition(f" {diagnostic.code}")
            head = f"{_paint(location, _BOLD, color=True)} {_paint(diagnostic.code, _RED, _BOLD, color=True)}{rest}"
        out.write(head + "\n")
        for line in snippet(diagnostic, sources, ctx):
            out.write(line + "\n")
        out.write("\n")
    if not ctx.quiet:
        for line in summary_lines(diagnostics, ctx.unsafe_fixes):
            out.write(line + "\n")
