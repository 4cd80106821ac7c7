"""ACT000: files the linter could not read or parse."""

from __future__ import annotations

from actorlint.diagnostics import Severity
from actorlint.rules.base import Rule

__all__ = ["UnreadableFile"]


class UnreadableFile(Rule):
    """## What it does
    Reports a file that actorlint could not read, decode or parse.

    ## Why is this bad?
    A file that cannot be parsed cannot be checked: every other rule is silent on it.
    The run goes on with the other files, and this diagnostic tells you which file was
    skipped and why (the parser's message, or the read or decoding error).

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
