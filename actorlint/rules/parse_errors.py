"""ACT000: files the linter could not read or parse."""

from __future__ import annotations

from actorlint.diagnostics import Severity
from actorlint.rules.base import Rule

__all__ = ["UnreadableFile"]


class UnreadableFile(Rule):
    """## What it does
    Reports a file that actorlint could not read, decode or parse, or would not parse
    because it is too large or too complex to analyse at a reasonable cost.

    ## Why is this bad?
    A file that cannot be parsed cannot be checked: every other rule is silent on it.
    The run goes on with the other files, and this diagnostic tells you which file was
    skipped and why (the parser's message, or the read or decoding error).

    A file "too large" or "too complex to analyse" is predicted to cost more than
    `max-file-tokens` tokens of ordinary code (500,000 by default, about 3.5 MB of
    typical source); long chains of calls, subscripts and operators count extra, as the
    parser's time grows with the square of their length. Such files are nearly always
    generated: exclude them (`extend-exclude`), or raise `max-file-tokens` if the
    machine can afford it (about 18 µs and 2 KB per token).

    Like Ruff's syntax errors, it is always reported: `select`, `ignore`,
    `per-file-ignores` and suppression comments do not turn it off. A file with a
    `# actorlint: skip-file` comment line is skipped before it is parsed, so it is not
    reported either.

    ## Example
    ```python
    def broken(:
        pass
    ```

    Use instead:
    ```python
    def fixed():
        pass
    ```
    """

    code = "ACT000"
    name = "unreadable-file"
    summary = "A file could not be read or parsed"
    severity = Severity.ERROR
