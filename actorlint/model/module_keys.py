"""Tell apart modules that share a dotted name but live in different import roots.

A repository can hold ``a/x.py`` and ``b/x.py`` in folders without ``__init__.py`` (two
scripts' folders): both are module ``x``, and their classes share qualified names such as
``x.Worker``. Python resolves ``import x`` from the importing script's own folder first,
so the resolver must too. Before merging, every qualified name rooted in such a shared
top-level name is rewritten, file by file, to a key naming the file's import root
(``x@1.Worker``): a file's own definitions and its references alike, since both mean the
``x`` of its own root. A file whose root holds no ``x`` cannot know which one it imports;
its references stay as written and match nothing, so it learns nothing (precision first).

Keys are internal: messages show short names (``Worker``), and a run without the
collision keeps every name as written.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Dict, Iterable, List, Optional, Set, Tuple

from actorlint.model.facts import ActorClass, AnySite, ClassFact, FileFacts, MessageSite, MethodFact, Payload, TaskFact
from actorlint.model.flows import Flows, Source
from actorlint.model.values import Symbol, assumed_actor, read_assumption

__all__ = ["KEY_MARK", "as_written", "import_root", "separate_shared_modules"]

# Joins a shared top-level name and its root's number; no identifier holds it.
KEY_MARK = "@"


def import_root(facts: FileFacts) -> str:
    """The folder a file's module name is counted from (``a`` for ``a/x.py`` as ``x``)."""
    depth = facts.module.count(".") + 1
    if os.path.basename(facts.path) == "__init__.py":
        depth += 1
    folder = facts.path
    for _ in range(depth):
        folder = os.path.dirname(folder)
    return os.path.normpath(folder) if folder else "."


def separate_shared_modules(files: Iterable[FileFacts]) -> Tuple[FileFacts, ...]:
    """The files, with top-level module names defined in several roots made unique."""
    files = tuple(files)
    file_roots = [import_root(facts) for facts in files]
    roots: Dict[str, Set[str]] = {}
    for facts, root in zip(files, file_roots):
        if facts.parsed:
            roots.setdefault(_top(facts.module), set()).add(root)
    shared = {top: sorted(found) for top, found in roots.items() if len(found) > 1}
    if not shared:
        return files
    keys = {(top, root): f"{top}{KEY_MARK}{number}" for top, found in shared.items()
            for number, root in enumerate(found, 1)}
    result: List[FileFacts] = []
    for facts, root in zip(files, file_roots):
        renames = {top: keys[top, root] for top in shared if (top, root) in keys}
        result.append(_renamed(facts, renames) if renames else facts)
    return tuple(result)


def as_written(qualname: str) -> str:
    """A qualified name as the code spells it (``x@1.Worker`` -> ``x.Worker``)."""
    top, dot, rest = qualname.partition(".")
    return top.partition(KEY_MARK)[0] + dot + rest


def _top(module: str) -> str:
    return module.partition(".")[0]


class _Renamer:
    """Rewrites qualified names whose first part is one of ``renames``' keys."""

    def __init__(self, renames: Dict[str, str]) -> None:
        self.renames = renames

    def name(self, qualname: Optional[str]) -> Optional[str]:
        if not qualname:
            return qualname
        assumption = read_assumption(qualname)
        if assumption is not None:
            role, symbol = assumption
            return assumed_actor(role, self.symbol(symbol))
        top, dot, rest = qualname.partition(".")
        key = self.renames.get(top)
        return qualname if key is None else key + dot + rest

    def names(self, qualnames: Tuple[str, ...]) -> Tuple[str, ...]:
        return tuple(self.name(q) for q in qualnames)

    def requires(self, pairs: Tuple[ActorClass, ...]) -> Tuple[ActorClass, ...]:
        return tuple(ActorClass(framework, self.name(q)) for framework, q in pairs)

    def method(self, method: MethodFact) -> MethodFact:
        return replace(method, qualname=self.name(method.qualname), decorators=self.names(method.decorators))

    def cls(self, cls: ClassFact) -> ClassFact:
        return replace(cls, qualname=self.name(cls.qualname), bases=self.names(cls.bases),
                       decorators=self.names(cls.decorators),
                       methods=tuple(self.method(m) for m in cls.methods))

    def task(self, task: TaskFact) -> TaskFact:
        return replace(task, qualname=self.name(task.qualname), method=self.method(task.method),
                       decorators=self.names(task.decorators))

    def site(self, site: AnySite) -> AnySite:
        if not isinstance(site, MessageSite):
            return replace(site, function=self.name(site.function))
        target = site.target
        if target is not None and target.actor is not None:
            target = replace(target, actor=self.name(target.actor))
        return replace(site, function=self.name(site.function), target=target,
                       requires=self.requires(site.requires))

    def symbol(self, symbol: Symbol) -> Symbol:
        return Symbol(symbol.kind, self.name(symbol.owner) or "", symbol.name)

    def source(self, source: Optional[Source]) -> Optional[Source]:
        if source is None:
            return None
        return Source(source.role, self.name(source.actor),
                      self.symbol(source.symbol) if source.symbol is not None else None)

    def flows(self, flows: Flows) -> Flows:
        return Flows(
            calls=tuple(call._replace(
                callee=self.name(call.callee),
                positional=tuple(self.source(s) for s in call.positional),
                keywords=tuple((k, self.source(s)) for k, s in call.keywords),
            ) for call in flows.calls),
            signatures=tuple(s._replace(qualname=self.name(s.qualname)) for s in flows.signatures),
            returns=tuple((self.name(q), self.source(s)) for q, s in flows.returns),
            classes=tuple(c._replace(
                qualname=self.name(c.qualname), bases=self.names(c.bases),
                attributes=tuple((a, self.source(s)) for a, s in c.attributes),
            ) for c in flows.classes),
            escapes=frozenset(self.names(tuple(flows.escapes))),
            dynamic_methods=flows.dynamic_methods,
            imported=frozenset(self.names(tuple(flows.imported))),
        )

    def payload(self, payload: Payload) -> Payload:
        return replace(payload, function=self.name(payload.function), requires=self.requires(payload.requires))


def _renamed(facts: FileFacts, renames: Dict[str, str]) -> FileFacts:
    rename = _Renamer(renames)
    return replace(
        facts,
        module=rename.name(facts.module),
        classes=tuple(rename.cls(c) for c in facts.classes),
        sites=tuple(rename.site(s) for s in facts.sites),
        payloads=tuple(rename.payload(p) for p in facts.payloads),
        imports={name: rename.name(target) for name, target in facts.imports.items()},
        wrapped_classes=rename.requires(facts.wrapped_classes),
        tasks=tuple(rename.task(t) for t in facts.tasks),
        flows=rename.flows(facts.flows),
    )

