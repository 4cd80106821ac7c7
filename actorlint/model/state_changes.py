"""Which handlers change their actor's state, for the race rules: the second message of
a check-then-act or a read-modify-write is only an "act" when it can change what the
first one read (rules.md, ACT501 and ACT502 precision).

Read from the actor's class when it is in the tree: a method changes state when its body
assigns or mutates ``self`` state, or calls another method of ``self`` that does
(methods looked up on the class, then on its bases in the tree, nearest first). For an
actor outside the tree, a framework contract may say which of its handlers change state
(Mopidy's Core: ``set_volume``, ``add``, ``pause``...). A task (a Celery or Dramatiq
function) changes state when it writes to a module-level value; its other writes (a
database) are not seen. Anything else is unknown (None), and the rules stay silent on a
call they cannot judge.
"""

from __future__ import annotations

import fnmatch
from typing import Callable, Dict, Iterable, Mapping, Optional, Sequence, Tuple

from actorlint.model.facts import ClassFact, MethodFact

__all__ = ["StateChanges"]


class StateChanges:
    """Answers "does handler ``method`` of actor ``actor`` change its state?"."""

    def __init__(self, lineage: Callable[[str], Sequence[Tuple[ClassFact, str]]], tasks: Mapping[str, MethodFact],
                 contracts: Iterable[Tuple[str, Tuple[str, ...]]]) -> None:
        # A class and its bases in the tree, nearest first (``ProjectFacts.lineage``).
        self._lineage = lineage
        self._tasks = tasks
        # Actor class outside the tree -> patterns of its state-changing handlers.
        self._contracts: Dict[str, Tuple[str, ...]] = {}
        for actor, patterns in contracts:
            self._contracts[actor] = self._contracts.get(actor, ()) + tuple(patterns)
        self._by_actor: Dict[str, Dict[str, bool]] = {}

    def of(self, actor: Optional[str], method: Optional[str], default_handlers: Iterable[str] = ()) -> Optional[bool]:
        """True or False when known; None when the class, the method or the message's
        handler is not known. A message naming no handler (``ref.ask(msg)``) runs the
        handlers matching ``default_handlers`` (``on_receive``): it may change state
        when any of them does."""
        if actor is None:
            return None
        if actor in self._tasks:
            # A task keeps its state elsewhere (a database, a module-level value): a write
            # to a module-level value is seen, the rest is not known.
            return True if self._tasks[actor].changes_state else None
        if method is None:
            return self._any_of(actor, tuple(default_handlers))
        if actor in self._contracts:
            return any(fnmatch.fnmatchcase(method, pattern) for pattern in self._contracts[actor])
        return self._solved(actor).get(method) if self._lineage(actor) else None

    def _any_of(self, actor: str, patterns: Tuple[str, ...]) -> Optional[bool]:
        if not patterns or not self._lineage(actor) or actor in self._contracts:
            return None
        matching = [changes for name, changes in self._solved(actor).items()
                    if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)]
        return any(matching) if matching else None

    def _solved(self, actor: str) -> Dict[str, bool]:
        if actor not in self._by_actor:
            self._by_actor[actor] = self._solve(actor)
        return self._by_actor[actor]

    def _solve(self, actor: str) -> Dict[str, bool]:
        """Every method the actor's class has in the tree -> whether it changes state,
        following ``self.<method>()`` calls to a fixed point."""
        methods: Dict[str, MethodFact] = {}
        for cls, _ in self._lineage(actor):
            for method in cls.methods:
                methods.setdefault(method.name, method)
        changes = {name: method.changes_state for name, method in methods.items()}
        grew = True
        while grew:
            grew = False
            for name, method in methods.items():
                if not changes[name] and any(changes.get(called, False) for called in method.self_calls):
                    changes[name] = grew = True
        return changes
