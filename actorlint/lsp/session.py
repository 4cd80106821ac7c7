"""One project held in memory for the editor: every file's facts, collected once (from the
cache when warm), and the open documents analysed from their unsaved text. Checking a
document judges the whole project with that text standing for the file, so the editor shows
what a tree run would report for it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from actorlint.analyse import FileJob, module_name_for
from actorlint.cache import Cache
from actorlint.config import Settings, load_settings
from actorlint.diagnostics import Diagnostic
from actorlint.discovery import discover
from actorlint.engine import display_path, jobs_for_paths
from actorlint.facts_collection import collect_facts
from actorlint.judging import run_rules
from actorlint.model.facts import FileFacts
from actorlint.position_shift import moves_apply, shift_between, shift_findings
from actorlint.rules import installed_rules
from actorlint.workers import analyse_safely, knowledge_for

__all__ = ["ProjectSession", "inside"]


@dataclass
class _Checked:
    """A document's last check: its facts, its findings, and how many changes the
    project's facts had seen then (its own included)."""

    facts: FileFacts
    diagnostics: List[Diagnostic]
    changes: int


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` lies in ``folder`` (``/a/bc`` is not in ``/a/b``)."""
    return os.path.abspath(path).startswith(os.path.join(os.path.abspath(folder), ""))


class ProjectSession:
    """The facts of one project: the folder of its config file (``config``), else the
    workspace ``folder``, without the folders below that hold a config of their own."""

    def __init__(self, config: Optional[Path], folder: Path, workers: int = 1) -> None:
        self.config = config
        self.root = config.parent if config is not None else Path(os.path.abspath(folder))
        self.settings: Settings = load_settings(config, self.root)
        self.knowledge = knowledge_for(self.settings)
        jobs = jobs_for_paths(discover([str(self.root)], self.settings, nested=[]), self.root)
        facts = collect_facts(jobs, self.settings, workers=workers, cache=Cache.open(self.settings))
        self.facts: Dict[str, FileFacts] = {f.path: f for f in facts}
        self.saved_facts: Dict[str, FileFacts] = dict(self.facts)
        # How many times the project's facts have changed, and each document's last check.
        self.changes = 0
        self.last: Dict[str, _Checked] = {}
        self.moves_apply = moves_apply(self.settings)

    def display(self, path: Path) -> str:
        """How diagnostics name ``path``: relative to the project root."""
        return display_path(path, self.root)

    def check(self, path: Path, text: str) -> List[Diagnostic]:
        """The findings of the file at ``path`` whose text is ``text`` (unsaved, maybe).

        When nothing else changed since this file's last check and its facts only moved
        (a line typed or deleted above its code: see position_shift), the last findings
        are moved instead of the project being judged again."""
        shown = self.display(path)
        module, is_package = module_name_for(path)
        job = FileJob(str(path), shown, module, is_package, source=text.encode("utf-8"))
        facts = analyse_safely(job, self.knowledge)
        last = self.last.get(shown)
        moved = shift_between(last.facts, facts) if last is not None and last.changes == self.changes \
            and self.moves_apply else None
        found = shift_findings(last.diagnostics, {shown: moved}) if last is not None and moved is not None \
            else None
        if facts != self.facts.get(shown):
            self.facts[shown] = facts
            self.changes += 1
        if found is None:
            others = frozenset(p for p in self.facts if p != shown)
            found = run_rules(list(self.facts.values()), self.settings, others).diagnostics
        self.last[shown] = _Checked(facts, found, self.changes)
        return found

    def close(self, path: Path) -> None:
        """The document was closed: its saved facts stand again."""
        shown = self.display(path)
        self.changes += 1
        self.last.pop(shown, None)
        if shown in self.saved_facts:
            self.facts[shown] = self.saved_facts[shown]
        else:
            self.facts.pop(shown, None)

    def saved(self, path: Path) -> None:
        """The document was saved: its facts are the file's now."""
        shown = self.display(path)
        if shown in self.facts:
            self.saved_facts[shown] = self.facts[shown]

    def rule_documentation(self, code: str) -> Optional[str]:
        rule = next((r for r in installed_rules(self.settings) if r.code == code), None)
        return f"**{rule.code} {rule.name}**\n\n{rule.documentation()}" if rule is not None else None
