"""Merge every file's facts: which classes are actors, which methods handle messages, and
which sites really address an actor.

Runs once per run over plain data (no parsing), so the answer does not depend on how
files were split across worker processes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, Iterable, Iterator, List, Optional, Set, Tuple

from actorlint.model.facts import (
    Actor, AnySite, ClassFact, FileFacts, Handler, HandleFact, HandlerLimit, MessageSite, ProjectFacts, TaskFact,
)
from actorlint.model.assumptions import Assumptions
from actorlint.model.frameworks import BUILTIN_CATALOG, Catalog, Framework, framework_of_role
from actorlint.model.module_keys import separate_shared_modules
from actorlint.model.state_changes import StateChanges

__all__ = ["resolve"]

_MAX_REEXPORT_HOPS = 8


class _Index:
    """Classes and module-level imports of the whole tree, by qualified name."""

    def __init__(self, files: Iterable[FileFacts], catalog: Catalog) -> None:
        self.catalog = catalog
        self.classes: Dict[str, Tuple[ClassFact, FileFacts]] = {}
        self.tasks: Dict[str, Tuple[TaskFact, FileFacts]] = {}
        self.imports: Dict[str, Dict[str, str]] = {}
        # Module-level names holding framework values, by qualified name -> role.
        self.instances: Dict[str, str] = {}
        # Classes made actors by wrapping (``ray.remote(Cls)``): qualname -> framework.
        self.wrapped: Dict[str, str] = {}
        self._framework: Dict[str, Optional[str]] = {}
        self._canonical: Dict[str, str] = {}
        for facts in files:
            self.imports[facts.module] = facts.imports
            for cls in facts.classes:
                self.classes[cls.qualname] = (cls, facts)
            for task in facts.tasks:
                self.tasks[task.qualname] = (task, facts)
            for name, role in facts.instances.items():
                self.instances[f"{facts.module}.{name}"] = role
        for facts in files:
            for framework, name in facts.wrapped_classes:
                self.wrapped.setdefault(self.canonical(name), framework)
        # Actors outside the tree that a framework contract passes handles of.
        self.external: Dict[str, str] = {
            actor: framework_of_role(role)
            for spec in catalog.frameworks.values() for _, role, actor in spec.injects
        }

    def plain_bases(self, cls: ClassFact) -> Iterator[Tuple[ClassFact, FileFacts]]:
        """The classes of the tree ``cls`` inherits from that are not actors themselves,
        nearest first (depth first, each once)."""
        seen: Set[str] = set()
        stack = [self.canonical(base) for base in reversed(cls.bases)]
        while stack:
            qualname = stack.pop()
            entry = self.classes.get(qualname)
            if qualname in seen or entry is None or self.framework(qualname) is not None:
                continue
            seen.add(qualname)
            yield entry
            stack.extend(self.canonical(base) for base in reversed(entry[0].bases))

    def canonical(self, qualname: str) -> str:
        """Follow re-exports (``from .base import Actor`` in ``pkg/__init__.py``)."""
        known = self._canonical.get(qualname)
        if known is None:
            known = self._canonical[qualname] = self.spellings(qualname)[-1]
        return known

    def spellings(self, qualname: str) -> List[str]:
        """``qualname`` and every name its re-exports lead to, in order. Checking a
        framework's own tree (``ray/__init__.py``: ``from ray._private.worker import
        remote``), ``ray.remote`` is the framework's decorator under its first name."""
        found = [qualname]
        for _ in range(_MAX_REEXPORT_HOPS):
            module, _, name = qualname.rpartition(".")
            target = self.imports.get(module, {}).get(name)
            if not target or target in found:
                break
            qualname = target
            found.append(qualname)
        return found

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
        task = self.tasks.get(qualname)
        if task is not None:
            return self._task_framework(task[0])
        entry = self.classes.get(qualname)
        if entry is None:
            return self.external.get(qualname)
        cls, _ = entry
        frameworks = self.catalog.frameworks.values()
        if qualname in self.wrapped:
            return self.wrapped[qualname]
        for decorator in cls.decorators:
            for spelling in self.spellings(decorator):
                for framework in frameworks:
                    if spelling in framework.actor_decorators:
                        return framework.name
        for base in cls.bases:
            for spelling in self.spellings(base):
                for framework in frameworks:
                    if spelling in framework.actor_bases:
                        return framework.name
            inherited = self.framework(self.canonical(base))
            if inherited is not None:
                return inherited
        return None


    def _task_framework(self, task: TaskFact) -> Optional[str]:
        """The framework whose decorator makes this function an actor, or None."""
        found = self.task_decorator(task)
        return found[0] if found is not None else None

    def task_decorator(self, task: TaskFact) -> Optional[Tuple[str, int]]:
        """The framework whose decorator makes this function an actor, and which of its
        decorators that is; None when none does."""
        for index, decorator in enumerate(task.decorators):
            if decorator.startswith("<"):
                role = decorator[1:-1]
            else:
                for spelling in self.spellings(decorator):
                    for framework in self.catalog.frameworks.values():
                        if spelling in framework.task_decorators:
                            return framework.name, index
                role = self._instance_member_role(self.canonical(decorator))
            for framework in self.catalog.frameworks.values():
                if role is not None and role in framework.task_decorator_roles:
                    return framework.name, index
        return None

    def _instance_member_role(self, qualname: str) -> Optional[str]:
        """``shop.celery.app.task`` with ``app = Celery()`` in ``shop.celery``: the role of
        that attribute (``celery.task_decorator``)."""
        owner, _, attr = qualname.rpartition(".")
        role = self.instances.get(self.canonical(owner))
        if role is None:
            return None
        member = self.catalog.members.get((role, attr))
        return member.result if member is not None and member.attribute else None


def resolve(files: Iterable[FileFacts], catalog: Catalog = BUILTIN_CATALOG, *, settle: bool = True) -> ProjectFacts:
    """Resolve actors, handlers and sites across every file's facts. Without ``settle``,
    only actors and handlers: no inference across the program, no sites (what the
    prefilter's rounds need, several times per run)."""
    files = separate_shared_modules(files)
    index = _Index(files, catalog)
    actors: Dict[str, Actor] = {}
    handlers: Dict[str, Handler] = {}
    for qualname, (cls, facts) in index.classes.items():
        framework = index.framework(qualname)
        if framework is None:
            continue
        spec = catalog.frameworks[framework]
        actor = Actor(qualname, framework, facts.path, cls.span, spec.task_queue, spec.noun)
        actors[qualname] = actor
        for method in cls.methods:
            if method.is_static or method.name.startswith("__"):
                continue
            if spec.is_handler_name(method.name):
                # ``class Report(Task): time_limit = 60`` bounds ``run``.
                bounded = any(attr in spec.limit_keywords for attr in cls.limit_attributes)
                handlers[method.qualname] = Handler(actor, method, framework_bounded=bounded)
    _add_inherited_handlers(index, actors, handlers)
    bounded = _bounded_tasks(files)
    for qualname, (task, facts) in index.tasks.items():
        decorator = index.task_decorator(task)
        if decorator is None:
            continue
        framework = decorator[0]
        spec = catalog.frameworks[framework]
        actor = Actor(qualname, framework, facts.path, task.method.span, spec.task_queue, spec.noun)
        actors[qualname] = actor
        handlers[qualname] = _task_handler(actor, task, spec, bounded.get(framework, set()), decorator[1])

    classes = {qualname: (cls, facts.path) for qualname, (cls, facts) in index.classes.items()}
    if not settle:
        return ProjectFacts(files=files, actors=actors, handlers=handlers, sites={},
                            frameworks=dict(catalog.frameworks), classes=classes, canonical=index.canonical)

    def holds(requirement: Tuple[str, str]) -> bool:
        framework, qualname = requirement
        return index.framework(qualname) == framework

    assumptions = Assumptions(files, index.canonical, catalog)
    sites: Dict[str, Tuple[AnySite, ...]] = {}
    for facts in files:
        kept = []
        for site in facts.sites:
            if not isinstance(site, MessageSite):
                kept.append(site)
                continue
            settled = assumptions.settle_site(site)
            if settled is not None and all(holds(r) for r in settled.requires):
                kept.append(_with_checked_target(settled, holds, index))
        replaced = {site.replaces for site in kept if isinstance(site, MessageSite) and site.replaces >= 0}
        sites[facts.path] = tuple(site for site in kept if site.id not in replaced)
    _add_messaged_handlers(index, actors, handlers, sites)
    payloads = {}
    for facts in files:
        settled_payloads = (assumptions.settle_payload(p) for p in facts.payloads)
        payloads[facts.path] = tuple(p for p in settled_payloads
                                     if p is not None and all(holds(r) for r in p.requires))
    project = ProjectFacts(files=files, actors=actors, handlers=handlers, sites=sites, payloads=payloads,
                           frameworks=dict(catalog.frameworks), classes=classes, canonical=index.canonical)
    project.state_changes = StateChanges(
        project.lineage, {qualname: task.method for qualname, (task, _) in index.tasks.items()},
        (entry for spec in catalog.frameworks.values() for entry in spec.state_changing),
    )
    return project


def _add_messaged_handlers(index: _Index, actors: Dict[str, Actor], handlers: Dict[str, Handler],
                           sites: Dict[str, Tuple[AnySite, ...]]) -> None:
    """Methods the code sends messages to by name are handlers, whatever their names say:
    a Ray actor's ``_stop_profiling`` runs as a message when called as
    ``h._stop_profiling.remote()``, although private names are not handlers by default."""
    for found in sites.values():
        for site in found:
            target = site.target if isinstance(site, MessageSite) else None
            if target is None or target.actor not in actors or not target.method or target.method.startswith("__"):
                continue
            qualname = f"{target.actor}.{target.method}"
            if qualname in handlers:
                continue
            cls, _ = index.classes.get(target.actor, (None, None))
            method = next((m for m in cls.methods if m.name == target.method), None) if cls is not None else None
            if method is not None and not method.is_static:
                handlers[qualname] = Handler(actors[target.actor], method)


def _add_inherited_handlers(index: _Index, actors: Dict[str, Actor], handlers: Dict[str, Handler]) -> None:
    """Handlers an actor class inherits from plain base classes in the tree (``@ray.remote
    class Sub(Base)``, mixins): the base's methods its framework takes as handlers, unless
    the class overrides them. A base method several actors inherit is a handler of each:
    it is reported once, for the first of them by name, naming the others."""
    claims: Dict[str, List[Handler]] = {}
    for qualname, actor in actors.items():
        cls, _ = index.classes[qualname]
        spec = index.catalog.frameworks[actor.framework]
        seen = {method.name for method in cls.methods}
        for base, base_facts in index.plain_bases(cls):
            bounded = any(attr in spec.limit_keywords for attr in cls.limit_attributes + base.limit_attributes)
            for method in base.methods:
                if method.name in seen or method.is_static or method.name.startswith("__") \
                        or not spec.is_handler_name(method.name):
                    continue
                seen.add(method.name)
                path = base_facts.path if base_facts.path != actor.path else ""
                handler = Handler(actor, method, framework_bounded=bounded, path=path)
                claims.setdefault(method.qualname, []).append(handler)
    for method_qualname, claimed in claims.items():
        if method_qualname not in handlers:
            claimed.sort(key=lambda handler: handler.actor.qualname)
            others = tuple(handler.actor.qualname for handler in claimed[1:])
            handlers[method_qualname] = replace(claimed[0], shared_with=others) if others else claimed[0]


def _bounded_tasks(files: Tuple[FileFacts, ...]) -> Dict[str, Set[str]]:
    """Per framework, the task names a setting bounds (``"*"``: every task)."""
    bounded: Dict[str, Set[str]] = {}
    for facts in files:
        for framework, task_name in facts.limit_settings:
            bounded.setdefault(framework, set()).add(task_name)
    return bounded


def _task_handler(actor: Actor, task: TaskFact, spec: Framework, bounded: Set[str], decorator: int) -> Handler:
    """A task function as the handler of its own actor, with the limits its framework sets."""
    limits = tuple(
        HandlerLimit(value * spec.unit, span, f"{keyword}={value:g}")
        for keyword, value, span in task.limits
        if keyword in spec.limit_keywords and value is not None
    )
    keyworded = any(keyword in spec.limit_keywords for keyword, _, _ in task.limits)
    framework_bounded = keyworded or "*" in bounded or task.task_name in bounded
    return Handler(actor, task.method, limits, framework_bounded, decorator)


def _with_checked_target(site: MessageSite, holds, index: _Index) -> MessageSite:
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
