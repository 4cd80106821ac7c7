"""One project held in memory for the editor: every file's facts, collected once (from the
cache when warm), and the open documents analysed from their unsaved text. Checking a
document judges the whole project with that text standing for the file, so the editor shows
what a tree run would report for it."""

from __future__ import annotations

import os
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
from actorlint.workers import analyse_safely, knowledge_for

__all__ = ["ProjectSession", "inside"]


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

    def display(self, path: Path) -> str:
        """How diagnostics name ``path``: relative to the project root."""
        return display_path(path, self.root)

    def check(self, path: Path, text: str) -> List[Diagnostic]:
        """The findings of the file at ``path`` whose text is ``text`` (unsaved, maybe)."""
        shown = self.display(path)
        module, is_package = module_name_for(path)
        job = FileJob(str(path), shown, module, is_package, source=text.encode("utf-8"))
        self.facts[shown] = analyse_safely(job, self.knowledge)
        others = frozenset(p for p in self.facts if p != shown)
        return run_rules(list(self.facts.values()), self.settings, others).diagnostics

    def close(self, path: Path) -> None:
        """The document was closed: its saved facts stand again."""
        shown = self.display(path)
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
        from actorlint.rules import installed_rules

        rule = next((r for r in installed_rules(self.settings) if r.code == code), None)
        return f"**{rule.code} {rule.name}**\n\n{rule.documentation()}" if rule is not None else None
