"""Facts that differ only in where things are, and findings moved to match.

The commonest edit of a module moves its code without changing what the code does: a
line inserted or deleted above a function shifts every position below it, so the file's
facts change although nothing any rule reads apart from positions has. ``shift_between``
finds such a pair of facts and, from the positions they hold, the old-to-new map of lines
and offsets; ``shift_findings`` moves the last run's findings with it, so that a run
after such an edit answers without judging the project again.

It is exact or it gives up (None), and the caller then runs the whole pipeline: every
position of the old facts must pair with one of the new facts, the pairs must keep their
order, columns must not change, and every position a finding names (its lines, its
fix's offsets, its related locations, the lines its message cites) must be one of the
paired ones. Rules see only facts, so a finding's position is a fact's position; a
plugin's findings are not moved (a plugin may compute positions of its own).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field, replace
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from actorlint.diagnostics import Diagnostic, Edit, Location, Span
from actorlint.model.facts import (
    BlockingSite, HoistAnchor, ImportAnchor, KeywordAnchor, MessageSite, MethodFact, Payload, TimeLimitSite,
    TimeoutAnchor,
)
from actorlint.rules import installed_rules
from actorlint.selectors import BUILTIN_LETTERS
from actorlint.settings import Settings
from actorlint.suppressions import Directive, Suppressions

__all__ = ["POSITION_FIELDS", "Shift", "moves_apply", "shift_between", "shift_findings"]

LINE, COLUMN, OFFSET, LINES, LINE_KEYS = "line", "column", "offset", "lines", "line keys"

#: The fields of fact types that hold positions, and of which kind: a line, a column, a
#: character offset, a collection of lines, a dict keyed by lines. Every other field must
#: be equal for two facts to differ only in positions (a test checks that each int-bearing
#: field of the facts is either here or known to be a plain value).
POSITION_FIELDS: Mapping[Tuple[type, str], str] = {
    (Span, "line"): LINE, (Span, "end_line"): LINE, (Span, "column"): COLUMN, (Span, "end_column"): COLUMN,
    (Edit, "start"): OFFSET, (Edit, "end"): OFFSET,
    (Directive, "line"): LINE, (Directive, "column"): COLUMN,
    (Directive, "start"): OFFSET, (Directive, "end"): OFFSET, (Directive, "cut_start"): OFFSET,
    (Suppressions, "blanket_lines"): LINES, (Suppressions, "codes_by_line"): LINE_KEYS,
    (MethodFact, "def_offset"): OFFSET,
    (TimeoutAnchor, "start"): OFFSET, (TimeoutAnchor, "end"): OFFSET,
    (HoistAnchor, "offset"): OFFSET, (HoistAnchor, "start"): OFFSET, (HoistAnchor, "end"): OFFSET,
    (ImportAnchor, "offset"): OFFSET, (KeywordAnchor, "offset"): OFFSET,
    (MessageSite, "statement_lines"): LINES, (BlockingSite, "statement_lines"): LINES,
    (TimeLimitSite, "statement_lines"): LINES, (Payload, "statement_lines"): LINES,
    (Diagnostic, "statement_lines"): LINES,
}


def moves_apply(settings: Settings) -> bool:
    """Whether findings may be moved for these settings: only built-in rules run (a
    plugin's rule may compute positions its own way)."""
    return all(rule.code.startswith(BUILTIN_LETTERS) for rule in installed_rules(settings))


@dataclass
class Shift:
    """Where the positions of one file's old facts are now: line to line, offset to offset."""

    lines: Dict[int, int] = field(default_factory=dict)
    offsets: Dict[int, int] = field(default_factory=dict)


def shift_between(old: object, new: object) -> Optional[Shift]:
    """The shift taking ``old`` facts to ``new`` ones when they differ in positions only
    (and keep their order); None otherwise."""
    shift = Shift()
    if not _same(old, new, shift):
        return None
    for table in (shift.lines, shift.offsets):
        moved = [new_at for _, new_at in sorted(table.items())]
        if any(later <= earlier for earlier, later in zip(moved, moved[1:])):
            return None  # not an order-keeping move: something was moved across something else
    return shift


def _same(old: object, new: object, shift: Shift) -> bool:
    if type(old) is not type(new):
        return False
    kind = type(old)
    if dataclasses.is_dataclass(kind):
        names: Sequence[str] = [f.name for f in dataclasses.fields(kind)]
    elif isinstance(old, tuple) and hasattr(kind, "_fields"):
        names = kind._fields  # type: ignore[attr-defined]
    elif isinstance(old, (tuple, list)):
        return len(old) == len(new) and all(_same(a, b, shift) for a, b in zip(old, new))  # type: ignore[arg-type]
    elif isinstance(old, dict):
        return old.keys() == new.keys() and all(_same(value, new[key], shift) for key, value in old.items())  # type: ignore[index]
    else:
        return old == new
    for name in names:
        position = POSITION_FIELDS.get((kind, name))
        a, b = getattr(old, name), getattr(new, name)
        if not (_same(a, b, shift) if position is None else _paired(position, a, b, shift)):
            return False
    return True


def _paired(kind: str, old: object, new: object, shift: Shift) -> bool:
    """Pair the positions of one field (``kind``: see POSITION_FIELDS)."""
    if kind == COLUMN:
        return old == new  # a column that moved: the line itself was edited
    if kind in (LINE, OFFSET):
        table = shift.lines if kind == LINE else shift.offsets
        return type(old) is int and type(new) is int and table.setdefault(old, new) == new
    if kind == LINES:
        olds, news = sorted(old), sorted(new)  # type: ignore[call-overload]
        return len(olds) == len(news) and all(shift.lines.setdefault(a, b) == b for a, b in zip(olds, news))
    assert kind == LINE_KEYS
    assert isinstance(old, dict) and isinstance(new, dict)
    olds, news = sorted(old), sorted(new)
    return len(olds) == len(news) and all(
        shift.lines.setdefault(a, b) == b and _same(old[a], new[b], shift) for a, b in zip(olds, news))


#: "on line 25" in a message (as the built-in rules write it): a line of the file the
#: finding or its related locations name.
_LINE_CITED = re.compile(r"\bon line (\d+)\b")


def shift_findings(diagnostics: Sequence[Diagnostic], moved: Mapping[str, Shift]) -> Optional[List[Diagnostic]]:
    """``diagnostics`` with the positions they hold in the files of ``moved`` (display path
    to shift) moved; None when one of those positions is not known to the shift."""
    shifted = []
    for diagnostic in diagnostics:
        one = _shift_one(diagnostic, moved)
        if one is None:
            return None
        shifted.append(one)
    return shifted


def _shift_one(diagnostic: Diagnostic, moved: Mapping[str, Shift]) -> Optional[Diagnostic]:
    cited = [path for path in moved if f"{path}:" in diagnostic.message]
    touched = diagnostic.path in moved or cited or any(location.path in moved for location in diagnostic.related)
    if not touched:
        return diagnostic
    if not diagnostic.code.startswith(BUILTIN_LETTERS):
        return None
    message = _shift_message(diagnostic, moved, cited)
    if message is None:
        return None
    own = moved.get(diagnostic.path)
    span, fix, statement_lines = diagnostic.span, diagnostic.fix, diagnostic.statement_lines
    if own is not None:
        span = _shift_span(span, own)
        lines = [own.lines.get(line) for line in statement_lines]
        if span is None or None in lines:
            return None
        statement_lines = tuple(line for line in lines if line is not None)
        if fix is not None:
            edits = [(own.offsets.get(edit.start), own.offsets.get(edit.end), edit.content) for edit in fix.edits]
            if any(start is None or end is None for start, end, _ in edits):
                return None
            fix = replace(fix, edits=tuple(Edit(start, end, content) for start, end, content in edits))  # type: ignore[arg-type]
    related = []
    for location in diagnostic.related:
        where = moved.get(location.path)
        location_span = location.span if where is None else _shift_span(location.span, where)
        if location_span is None:
            return None
        related.append(Location(location.path, location_span, location.message))
    return replace(diagnostic, message=message, span=span, fix=fix, related=tuple(related),
                   statement_lines=statement_lines)


def _shift_span(span: Span, shift: Shift) -> Optional[Span]:
    line, end_line = shift.lines.get(span.line), shift.lines.get(span.end_line)
    if line is None or end_line is None:
        return None
    return Span(line, span.column, end_line, span.end_column)


def _shift_message(diagnostic: Diagnostic, moved: Mapping[str, Shift], cited: Sequence[str]) -> Optional[str]:
    """The message with the lines it cites moved: ``path:N`` for a moved path, and
    ``on line N`` when the file it means is certain (the finding's own, all its related
    locations being there too)."""
    message = diagnostic.message
    for path in cited:
        lines = moved[path].lines
        unknown = False

        def cite(match: "re.Match[str]") -> str:
            nonlocal unknown
            line = lines.get(int(match.group(1)))
            unknown = unknown or line is None
            return f"{path}:{line}"
        message = re.sub(r"(?<![\w./-])" + re.escape(path) + r":(\d+)", cite, message)
        if unknown:
            return None
    if not _LINE_CITED.search(message):
        return message
    if any(location.path != diagnostic.path for location in diagnostic.related):
        return None  # which file's line: the finding's or a related location's?
    own = moved.get(diagnostic.path)
    if own is None:
        return message
    found = [own.lines.get(int(match.group(1))) for match in _LINE_CITED.finditer(message)]
    if None in found:
        return None
    lines_in_order = iter(found)
    return _LINE_CITED.sub(lambda match: f"on line {next(lines_in_order)}", message)
