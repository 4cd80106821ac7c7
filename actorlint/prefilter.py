"""Which files need a full parse: a cheap text check in rounds (architecture.md).

Round one picks the files that name a framework (``pykka``, ``celery``, a declared
framework's modules ...) as a whole word. Every later round picks the files that name
something an earlier round found: an actor class or task by its name, or the module of a
framework value other files may import (``app = Celery()`` in ``shop/celery.py``). The
rounds stop when nothing new is picked.

A file that is never picked cannot hold anything the rules judge: no actor, handler or
message can be written without naming a framework or an actor. Such a file is only
checked for syntax, with CPython's own parser, and parsed in full when that fails, so
that its ACT000 reads the same as without the prefilter. ``tests/test_prefilter.py``
checks that the diagnostics are the same with the prefilter on and off.
"""

from __future__ import annotations

import re
from typing import Iterable, Set

from actorlint.model.facts import FileFacts, ProjectFacts
from actorlint.model.frameworks import Catalog

__all__ = ["framework_words", "names_found", "word_pattern"]


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


def names_found(files: Iterable[FileFacts], project: ProjectFacts, catalog: Catalog) -> Set[str]:
    """Words that name what the files analysed so far define for other files to use:
    actors and tasks, the modules of framework values (``app = Celery()``), and names a
    module binds to a framework's actor base or decorator (a re-export)."""
    words: Set[str] = set()
    entry_points = _entry_points(catalog)
    relevant: Set[str] = set(project.actors)
    for qualname in project.actors:
        words.add(qualname.rpartition(".")[2])
    for facts in files:
        if facts.instances:
            # ``from shop.celery import app`` names the module, whatever the instance is called.
            words.add(facts.module.rpartition(".")[2])
            relevant.update(f"{facts.module}.{name}" for name in facts.instances)
    for facts in files:
        for name, target in facts.imports.items():
            if target in entry_points:
                words.add(name)
            elif target in relevant:
                words.add(facts.module.rpartition(".")[2])  # ``from shop import app``
    return {word for word in words if word.isidentifier()}


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
