"""Merge every file's facts: which classes are actors, which methods handle messages, and
which sites really address an actor.

Runs once per run over plain data (no parsing), so the answer does not depend on how
files were split across worker processes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, Iterable, Optional, Set, Tuple

from actorlint.model.facts import (
    Actor, ClassFact, FileFacts, Handler, HandleFact, ProjectFacts, Site,
)
from actorlint.model.frameworks import FRAMEWORKS

__all__ = ["resolve"]

_MAX_REEXPORT_HOPS = 8


class _Index:
    """Classes and module-level imports of the whole tree, by qualified name."""

    def __init__(self, files: Iterable[FileFacts]) -> None:
        self.classes: Dict[str, Tuple[ClassFact, FileFacts]] = {}
        self.imports: Dict[str, Dict[str, str]] = {}
        self.ray_remote: Set[str] = set()
        self._framework: Dict[str, Optional[str]] = {}
        for facts in files:
            self.imports[facts.module] = facts.imports
            for cls in facts.classes:
                self.classes[cls.qualname] = (cls, facts)
        for facts in files:
            self.ray_remote.update(self.canonical(name) for name in facts.ray_remote_classes)

    def canonical(self, qualname: str) -> str:
        """Follow re-exports (``from .base import Actor`` in ``pkg/__init__.py``)."""
        for _ in range(_MAX_REEXPORT_HOPS):
            module, _, name = qualname.rpartition(".")
            target = self.imports.get(module, {}).get(name)
            if not target or target == qualname:
                return qualname
            qualname = target
        return qualname

    def framework(self, qualname: str) -> Optional[str]:
        """The framework whose actor this class is, or None."""
        qualname = self.canonical(qualname)
        if qualname in self._framework:
            return self._framework[qualname]
        self._framework[qualname] = None  # guards cyclic bases
        result = self._compute_framework(qualname)
        self._framework[qualname] = result
        return result

    def _compute_framework(self, qualname: str) -> Optional[str]:
        entry = self.classes.get(qualname)
        if entry is None:
            return None
        cls, _ = entry
        if qualname in self.ray_remote:
            return "ray"
        for decorator in cls.decorators:
            decorator = self.canonical(decorator)
            for framework in FRAMEWORKS.values():
                if decorator in framework.actor_decorators:
                    return framework.name
        for base in cls.bases:
            base = self.canonical(base)
            for framework in FRAMEWORKS.values():
                if base in framework.actor_bases:
                    return framework.name
            inherited = self.framework(base)
            if inherited is not None:
                return inherited
        return None


def resolve(files: Iterable[FileFacts]) -> ProjectFacts:
    """Resolve actors, handlers and sites across every file's facts."""
    files = tuple(files)
    index = _Index(files)
    actors: Dict[str, Actor] = {}
    handlers: Dict[str, Handler] = {}
    for qualname, (cls, facts) in index.classes.items():
        framework = index.framework(qualname)
        if framework is None:
            continue
        actor = Actor(qualname, framework, facts.path, cls.span)
        actors[qualname] = actor
        spec = FRAMEWORKS[framework]
        for method in cls.methods:
            if method.is_static or method.name.startswith("__"):
                continue
            if spec.is_handler_name(method.name):
                handlers[method.qualname] = Handler(actor, method)

    def holds(requirement: Tuple[str, str]) -> bool:
        framework, qualname = requirement
        return index.framework(qualname) == framework

    sites: Dict[str, Tuple[Site, ...]] = {}
    for facts in files:
        kept = []
        for site in facts.sites:
            if not all(holds(r) for r in site.requires):
                continue
            kept.append(_with_checked_target(site, holds, index))
        sites[facts.path] = tuple(kept)
    payloads = {
        facts.path: tuple(p for p in facts.payloads if all(holds(r) for r in p.requires))
        for facts in files
    }
    return ProjectFacts(files=files, actors=actors, handlers=handlers, sites=sites, payloads=payloads)


def _with_checked_target(site: Site, holds, index: _Index) -> Site:
    """Forget a target's actor when that class turns out not to be one."""
    target = site.target
    if target is None or target.actor is None:
        return site
    framework = target.role.split(".", 1)[0]
    if holds((framework, target.actor)):
        canonical = index.canonical(target.actor)
        if canonical == target.actor:
            return site
        return replace(site, target=replace(target, actor=canonical))
    return replace(site, target=HandleFact(target.role, None, False, target.method))
