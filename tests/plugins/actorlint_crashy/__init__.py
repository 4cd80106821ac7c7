"""actorlint-crashy: a rule pack whose rule fails on every file it checks.

tests/rules/test_plugins.py installs it to check that the failure is reported as an internal
error naming the rule and the file, and that the other rules still report.
"""

from __future__ import annotations

from typing import Iterator

from actorlint.diagnostics import Diagnostic
from actorlint.model.facts import FileFacts, ProjectFacts
from actorlint.rules.base import FileRule


class AlwaysFails(FileRule):
    """## What it does
    Fails with an exception, to test how actorlint reports a broken rule.
    """

    code = "CRS101"
    name = "always-fails"
    summary = "Fails on every file"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        raise RuntimeError(f"crashy cannot judge {facts.path}")
