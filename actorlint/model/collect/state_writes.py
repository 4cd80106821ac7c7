"""Writes to state the race rules care about, noted during the binder's walk:

* what a function does to state that outlives it: the nodes that assign or mutate
  ``self`` state (``self.seats = ...``, ``self.reserved.add(seat)``, ``del
  self.cache[key]``) or a module-level value (a task's ``RESERVED.add(seat)``), and the
  other methods of ``self`` it calls. A message is an "act" when its handler changes the
  actor's state; a read is not (rules.md, ACT501 precision). Which roots are local is
  only known once the whole function is seen (``MethodRecord.fact`` decides).
* local values changed in place (``state["x"] = 1``, ``items.append(t)``), in source
  order: a reply changed that way and sent back is a read-modify-write (ACT502).

A mutation is spelled on the object itself: a method call through another object
(``self.store.save(x)``) is not counted unless it is one of the built-in containers'
mutating methods, and a message to another actor held in ``self`` is left out once the
sites are known (see ``MethodRecord.fact``)."""

from __future__ import annotations

from typing import List, Optional

import libcst as cst

from actorlint.model.collect.scopes import Scope, function_scope

__all__ = ["MUTATING_METHODS", "StateWrites"]

# Methods of the built-in containers (list, dict, set, deque, bytearray) and queues
# that change the object they are called on.
MUTATING_METHODS = frozenset({
    "append", "appendleft", "extend", "extendleft", "insert", "remove", "pop", "popleft",
    "popitem", "clear", "update", "setdefault", "add", "discard", "sort", "reverse", "rotate",
    "difference_update", "intersection_update", "symmetric_difference_update",
    "put", "put_nowait", "__setitem__", "__delitem__",
})
_ATTRIBUTE_SETTERS = frozenset({"setattr", "delattr"})


class StateWrites:
    """Notes writes through names (``x.a = v``, ``x[k] = v``, ``x.append(v)``), ``self.m()``
    calls, and in-place changes of names in source order (a base of the binder)."""

    scope: Scope
    order: int
    blocks: List[int]

    def _root_name(self, node: cst.BaseExpression) -> Optional[str]:
        """``a`` for ``a.b``, ``a.b[k]``: attributes and subscripts down to a name."""
        if not isinstance(node, (cst.Attribute, cst.Subscript)):
            return None
        while isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        return node.value if isinstance(node, cst.Name) else None

    def _written(self, root: str, node: cst.CSTNode) -> None:
        function = function_scope(self.scope)
        function.state_writes.append((root, node))
        if root != function.self_name:
            self.order += 1
            function.mutations.append((root, self.order, tuple(self.blocks)))

    def note_target_write(self, target: cst.BaseExpression) -> None:
        """An assignment, augmented assignment or ``del`` target on an attribute or item."""
        root = self._root_name(target)
        if root is not None:
            self._written(root, target)

    def note_call_write(self, node: cst.Call) -> None:
        """``self.m()`` (a call of another method), ``items.append(x)`` and
        ``setattr(self, ...)``."""
        func = node.func
        function = function_scope(self.scope)
        if isinstance(func, cst.Attribute):
            if isinstance(func.value, cst.Name) and function.kind == "function" \
                    and func.value.value == function.self_name:
                function.self_calls.add(func.attr.value)
            elif func.attr.value in MUTATING_METHODS:
                root = func.value.value if isinstance(func.value, cst.Name) else self._root_name(func.value)
                if root is not None:
                    self._written(root, node)
        elif isinstance(func, cst.Name) and func.value in _ATTRIBUTE_SETTERS and node.args \
                and isinstance(node.args[0].value, cst.Name):
            self._written(node.args[0].value.value, node)
