"""ACT100: suppression comments that suppress nothing.

Judged after every other rule, on what the suppressions of each file actually hid
(``judging.run_rules`` calls :meth:`UnusedSuppression.unused`), as Ruff judges RUF100.
"""

from __future__ import annotations

from typing import Callable, Iterator, List, Set, Tuple

from actorlint.diagnostics import Applicability, Diagnostic, Edit, Fix, Span
from actorlint.rules.base import Rule
from actorlint.suppressions import Directive, Suppressions

__all__ = ["UnusedSuppression"]

# The codes a directive names are actorlint's when they start with these letters.
_OURS = "ACT"


class UnusedSuppression(Rule):
    """## What it does
    Checks for suppression comments that suppress nothing: `# noqa: ACT101` on a line with
    no ACT101 finding, `# actorlint: ignore[ACT201]` where nothing is reported, a bare
    `# actorlint: ignore` on a clean line.

    ## Why is this bad?
    A comment that hides nothing still reads as "this line has a known problem": it misleads
    the next reader, and it will hide a real finding that appears on that line later. They
    pile up as code changes under them, or after `--add-noqa` when the findings are fixed.

    Only codes of rules that ran are judged (a code whose rule is not selected, is in
    preview, or is turned off for the file may hide something in another run), and only
    actorlint's own codes: `# noqa: E501` and a bare `# noqa` belong to other tools too and
    are left alone. A preview rule: it runs with `--preview`.

    ## Example
    ```python
    def total(prices):
        return sum(prices)  # noqa: ACT101
    ```

    Use instead:
    ```python
    def total(prices):
        return sum(prices)
    ```

    ## Fix safety
    The fix is safe: it removes only the codes that suppress nothing (the whole directive
    when none is left, and the comment when nothing else is in it); other tools' codes stay.
    """

    code = "ACT100"
    name = "unused-suppression"
    summary = "A suppression comment suppresses nothing"
    fix_applicability = Applicability.SAFE
    preview = True

    def unused(self, path: str, marks: Suppressions, used: Set[Tuple[int, str]],
               ran: Callable[[str], bool]) -> Iterator[Diagnostic]:
        """The findings of one file: each directive of ``marks`` that hid none of ``used``
        ((line, code) of the findings it suppressed; code ``*`` for a bare directive)."""
        for directive in marks.directives:
            if directive.codes is None:
                if directive.kind == "noqa" or (directive.line, "*") in used:
                    continue  # a bare noqa may be another tool's
                stale: List[str] = []
            else:
                stale = sorted(code for code in directive.codes
                               if code.startswith(_OURS) and ran(code) and (directive.line, code) not in used)
                if not stale:
                    continue
            written = "`# actorlint: ignore`" if directive.kind == "ignore" else "`# noqa`"
            what = f" ({', '.join(f'`{code}`' for code in stale)})" if stale else ""
            span = Span(directive.line, directive.column, directive.line, directive.column + directive.end - directive.start)
            yield self.diagnostic(path, span, f"Unused {written} directive{what}: it suppresses nothing on this line",
                                  fix=_removal(directive, stale))


def _removal(directive: Directive, stale: List[str]) -> Fix:
    """Remove the stale codes, or else the directive (as ``Directive.cut_text`` says)."""
    kept = sorted((directive.codes or frozenset()) - set(stale))
    if kept:
        written = f"# actorlint: ignore[{', '.join(kept)}]" if directive.kind == "ignore" else f"# noqa: {', '.join(kept)}"
        return Fix(f"Remove {', '.join(stale)} from the directive", Applicability.SAFE,
                   (Edit(directive.start, directive.end, written),))
    return Fix("Remove the unused directive", Applicability.SAFE,
               (Edit(directive.cut_start, directive.end, directive.cut_text),))
