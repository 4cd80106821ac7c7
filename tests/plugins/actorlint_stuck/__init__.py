"""actorlint-stuck: a rule pack that never finishes where ``ACTORLINT_STUCK`` says.

``ACTORLINT_STUCK=import`` blocks forever while the pack is imported;
``ACTORLINT_STUCK=check`` spins forever in its rule's check of a file. tests/rules/test_plugins.py
installs it to check that ``plugin-timeout`` stops such a run with a message naming it.
"""

from __future__ import annotations

import os
import threading
from typing import Iterator

from actorlint.diagnostics import Diagnostic
from actorlint.model.facts import FileFacts, ProjectFacts
from actorlint.rules.base import FileRule

if os.environ.get("ACTORLINT_STUCK") == "import":
    threading.Event().wait()


class NeverDone(FileRule):
    """## What it does
    Never finishes checking a file when told to, to test how actorlint bounds plugins.
    """

    code = "STK101"
    name = "never-done"
    summary = "Never finishes checking a file"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        while os.environ.get("ACTORLINT_STUCK") == "check":
            pass
        return iter(())
