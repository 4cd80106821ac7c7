"""Reply flow for the race rules (ACT501, ACT502): within one function, which call's reply
decides (a guard) or goes into (an argument) a later message to the same handle. Recorded
as dependencies between a file's sites; the rules judge them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

import libcst as cst

from actorlint.model.collect.scopes import Scope, function_scope
from actorlint.model.facts import Dependency
from actorlint.model.libcst_internals.walk import child_nodes
from actorlint.model.values import Handle

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.model.collect.drafts import SiteDraft

__all__ = ["dependencies"]


def dependencies(pending: List["SiteDraft"]) -> List[Dependency]:
    """Within each function: which call's reply decides, or goes into, a later message to
    the same handle (style.md rule 13: judged once the whole function is seen)."""
    by_function: Dict[int, List[int]] = {}
    for index, site in enumerate(pending):
        target = site.fields.get("target")
        if isinstance(target, Handle) and target.origin is not None and site.fields["kind"] in ("call", "cast"):
            by_function.setdefault(id(function_scope(site.candidate.scope)), []).append(index)
    found: List[Dependency] = []
    for indices in by_function.values():
        if len(indices) < 2:
            continue
        function = function_scope(pending[indices[0]].candidate.scope)
        for first in indices:
            check = pending[first]
            if check.fields["kind"] != "call":
                continue
            origin = check.fields["target"].origin
            derived = _ReplyFlow(function, check.node)
            for second in indices:
                act = pending[second]
                # An act before the check in visit order can still take the reply, nested
                # in its arguments: ``ref.tell(ref.ask("get") + 1)``.
                if second == first or act.fields["target"].origin != origin:
                    continue
                at, blocks = act.candidate.order, act.candidate.blocks
                if any(derived.mentions(guard, at, blocks) for guard in act.candidate.guards):
                    found.append(Dependency(first, second, "guard"))
                if any(derived.mentions(argument, at, blocks) for argument in _message_arguments(act.node)):
                    found.append(Dependency(first, second, "argument"))
    return found


def _message_arguments(node: cst.CSTNode) -> List[cst.BaseExpression]:
    """The argument expressions a message site sends: its own and those of the calls it
    is chained on (``proxy.m(x).get()`` sends ``x``; ``ray.get(h.m.remote(x))`` too)."""
    if isinstance(node, cst.Await):
        node = node.expression
    arguments: List[cst.BaseExpression] = []
    while isinstance(node, (cst.Call, cst.Attribute)):
        if isinstance(node, cst.Call):
            arguments.extend(arg.value for arg in node.args)
            node = node.func
        else:
            node = node.value
    return arguments


class _ReplyFlow:
    """Where a call's reply flows in one function: the reply itself and the local names
    whose value, where it is read, may come from an assignment derived from it.

    Without a control-flow graph, an assignment may reach a read unless a later one
    before the read stands in a block that encloses the read (it runs on every path
    there): ``ok = ask(); ok = other()`` ends the flow, ``if a: ok = ask() else: ok =
    True`` does not.
    """

    def __init__(self, function: Scope, reply: cst.CSTNode) -> None:
        self.reply = reply
        self.assignments: Dict[str, List[Tuple[int, Optional[cst.BaseExpression], Tuple[int, ...]]]] = {}
        for name, order, value, blocks in function.assignments:
            self.assignments.setdefault(name, []).append((order, value, blocks))
        self._derived: Dict[int, bool] = {}

    def mentions(self, expression: cst.CSTNode, order: int, blocks: Tuple[int, ...]) -> bool:
        """Whether an expression read at ``order`` (inside ``blocks``) contains the reply
        or a name whose value may derive from it."""
        stack = [expression]
        while stack:
            node = stack.pop()
            if node is self.reply or (
                isinstance(node, cst.Name) and self._may_hold(node.value, order, blocks)
            ):
                return True
            if isinstance(node, (cst.Lambda, cst.FunctionDef)):
                continue
            stack.extend(child_nodes(node))
        return False

    def _may_hold(self, name: str, order: int, blocks: Tuple[int, ...]) -> bool:
        for assigned, value, where in reversed(self.assignments.get(name, ())):
            if assigned >= order:
                continue
            if value is not None and self._derives(assigned, value, where):
                return True
            if blocks[:len(where)] == where:
                return False  # runs on every path to the read: earlier ones cannot reach
        return False

    def _derives(self, order: int, value: cst.BaseExpression, blocks: Tuple[int, ...]) -> bool:
        if order not in self._derived:
            self._derived[order] = False  # a cycle (x = x + 1) adds nothing
            self._derived[order] = self.mentions(value, order, blocks)
        return self._derived[order]
