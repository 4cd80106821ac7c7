"""actorlint-clash: a rule pack whose codes are taken, and one entry that is not a rule.

tests/rules/test_plugins.py installs it beside actorlint-acme: ACT101 is a built-in rule's code
and ACM101 is actorlint-acme's, so both rules are skipped with a warning.
"""

from __future__ import annotations

from typing import Iterator

from actorlint.diagnostics import Diagnostic
from actorlint.model.facts import FileFacts, ProjectFacts
from actorlint.rules.base import FileRule


class _Silent(FileRule):
    """## What it does
    Reports nothing.
    """

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        return iter(())


class StolenBuiltinCode(_Silent):
    code = "ACT101"
    name = "stolen-builtin-code"
    summary = "Takes the code of a built-in rule"


class StolenPluginCode(_Silent):
    code = "ACM101"
    name = "stolen-plugin-code"
    summary = "Takes the code of another plugin's rule"


RULES = [StolenBuiltinCode, StolenPluginCode, "not a rule"]
