"""Which files need a full parse: a cheap text check in rounds (architecture.md).

Round one picks the files that name a framework (``pykka``, ``celery``, a declared
framework's modules ...) as a whole word. Every later round picks the files that name
something an earlier round found together with the module it lives in: an actor class or
task, a framework value other files may import (``app = Celery()`` in ``shop/celery.py``),
or a re-exported framework base. The rounds stop when nothing new is picked.

A file that is never picked cannot hold anything the rules judge: no actor, handler or
message can be written without naming a framework or an actor. Such a file is only
checked for syntax, with CPython's own parser, and parsed in full when that fails, so
that its ACT000 reads the same as without the prefilter. ``tests/test_prefilter.py``
checks that the diagnostics are the same with the prefilter on and off.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, Set, Tuple

from actorlint.model.facts import FileFacts, ProjectFacts
from actorlint.model.frameworks import Catalog

__all__ = ["PairMatcher", "framework_words", "names_found", "word_pattern"]


def framework_words(catalog: Catalog) -> Set[str]:
    """Words a file that uses a framework must contain: the top-level modules of the
    built-in frameworks (their names resolve only through an import of that module), and
    every part of a declared framework's actor bases and decorators (an in-house package
    often re-exports its base class: ``from myapp import Actor``)."""
    words: Set[str] = set(catalog.frameworks)
    for qualname in _entry_points(catalog) | set(catalog.functions):
        words.add(qualname.split(".", 1)[0])
    for name, spec in catalog.frameworks.items():
        if spec.instance_role is not None:  # declared in config
            for qualname in spec.actor_bases + spec.actor_decorators:
                words.update(qualname.split("."))
    return {word for word in words if word.isidentifier()}


def names_found(files: Iterable[FileFacts], project: ProjectFacts, catalog: Catalog) -> Set[Tuple[str, str]]:
    """What the files analysed so far define for other files to use, as (name, module)
    word pairs: a file that uses ``start`` from ``shop.tasks`` spells both ``start`` and
    ``tasks`` (``from shop.tasks import start``, ``from shop import tasks; tasks.start``),
    so it is picked only when it contains both words. Names are actors and tasks, framework
    values other modules import (a Celery app), and names bound to a framework's actor base
    or decorator (a re-export); modules are their module's last component."""
    pairs: Set[Tuple[str, str]] = set()
    entry_points = _entry_points(catalog)
    relevant: Set[str] = set()
    for qualname in project.actors:
        module, _, name = qualname.rpartition(".")
        pairs.add((name, module.rpartition(".")[2]))
        relevant.add(qualname)
    for facts in files:
        for name in facts.instances:
            pairs.add((name, facts.module.rpartition(".")[2]))
            relevant.add(f"{facts.module}.{name}")
    for facts in files:
        module = facts.module.rpartition(".")[2]
        for name, target in facts.imports.items():
            if target in entry_points or target in relevant:
                pairs.add((name, module))  # ``from shop import app`` after a re-export
    return {(name, module) for name, module in pairs if name.isidentifier() and module.isidentifier()}


class PairMatcher:
    """Whether a file's bytes contain both words of any (name, module) pair."""

    def __init__(self, pairs: Iterable[Tuple[str, str]]) -> None:
        self._names_by_module: Dict[bytes, Set[str]] = {}
        for name, module in pairs:
            self._names_by_module.setdefault(module.encode("utf-8"), set()).add(name)
        self._modules = word_pattern(m.decode("utf-8") for m in self._names_by_module) \
            if self._names_by_module else None
        self._names: Dict[frozenset, "re.Pattern[bytes]"] = {}

    def search(self, data: bytes) -> bool:
        if self._modules is None:
            return False
        modules = set(self._modules.findall(data))
        if not modules:
            return False
        names = frozenset(n for m in modules for n in self._names_by_module[m])
        pattern = self._names.get(names)
        if pattern is None:
            pattern = self._names[names] = word_pattern(names)
        return pattern.search(data) is not None


def _entry_points(catalog: Catalog) -> Set[str]:
    """The qualified names through which code makes actors: bases and decorators."""
    found: Set[str] = set()
    for spec in catalog.frameworks.values():
        found.update(spec.actor_bases + spec.actor_decorators + spec.task_decorators)
    return found


def word_pattern(words: Iterable[str]) -> "re.Pattern[bytes]":
    """A pattern matching any of ``words`` as a whole word, in a file's raw bytes."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    alternatives = b"|".join(re.escape(word.encode("utf-8")) for word in ordered)
    return re.compile(rb"(?<![\w])(?:" + alternatives + rb")(?![\w])")
