"""Reply flow for the race rules (ACT501, ACT502): within one function, which call's reply
decides (a guard) or, changed, goes into (an argument) a later message to the same handle.
Recorded as dependencies between a file's sites; the rules judge them.

A guard does not count when the message it guards hands the reply back as it came
(``if token: lock.release(token)``): the actor checks what it issued itself. A guard is
read where it stands: a name given a new value after it does not carry that value back.

A reply handed back as it came, or a part of it (``lock.release(token)``,
``playlists.delete(playlist.uri)``), is a protocol, not a lost update: an argument only
counts when the reply was changed on the way (arithmetic, ``not``, a comparison, an
f-string, a spread into a new collection, a comprehension, a slice, a method or built-in
that derives a new value) or changed in place before it is sent back (rules.md, ACT502
precision). Nor is a reply from one part of an actor built into a message to another
(``core.library.search()`` into ``core.tracklist.add()``): nothing read is written back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, FrozenSet, List, Optional, Tuple

import libcst as cst

from actorlint.model.collect.scopes import Scope, function_scope
from actorlint.model.facts import Dependency
from actorlint.model.libcst_internals.walk import child_nodes
from actorlint.model.syntax import dotted
from actorlint.model.values import Handle

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.model.collect.drafts import SiteDraft

__all__ = ["dependencies"]

# Methods of a reply that give a part of it back rather than a new value.
_PROJECTIONS = frozenset({"get", "keys", "values", "items", "copy", "__getitem__"})
# Built-ins that derive a new value from what they are given.
_DERIVING = frozenset({
    "sorted", "reversed", "max", "min", "sum", "len", "abs", "round", "any", "all", "filter", "map",
})
_OPERATIONS = (cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.AugAssign, cst.FormattedString)


def dependencies(pending: List["SiteDraft"], asserted: FrozenSet[int] = frozenset(),
                 guard_points: Optional[Dict[int, Tuple[int, Tuple[int, ...]]]] = None) -> List[Dependency]:
    """Within each function: which call's reply decides, or goes changed into, a later
    message to the same handle (style.md rule 13: judged once the whole function is seen).
    A guard that is only an ``assert`` (ids in ``asserted``) is told apart ("assert"):
    in test code it is no guard. A guard is read where it stands (``guard_points``: its
    source order and blocks), so a name assigned after it does not reach it."""
    points = guard_points or {}
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
            # The reply of another message to the same handle is a read of its own, not
            # this reply changed, whatever it was asked with (``get_items(ref.uri)``).
            others = frozenset(id(pending[other].node) for other in indices
                               if other != first and pending[other].fields["target"].origin == origin)
            flow = _ReplyFlow(function, check.node, others)
            for second in indices:
                act = pending[second]
                # An act before the check in visit order can still take the reply, nested
                # in its arguments: ``ref.tell(ref.ask("get") + 1)``.
                if second == first or act.fields["target"].origin != origin:
                    continue
                at, blocks = act.candidate.order, act.candidate.blocks
                arguments = [flow.scan(argument, at, blocks)
                             for argument in _message_arguments(act.node, act.fields["target"].member)]
                guards = [guard for guard in act.candidate.guards
                          if flow.scan(guard, *points.get(id(guard), (at, blocks)))[0]]
                # ``if token: lock.release(token)``: the actor is handed back what it issued
                # and checks it itself (a protocol, not a decision taken for it).
                handed_back = any(reached and not changed for reached, changed in arguments)
                if guards and not handed_back:
                    how = "assert" if all(id(guard) in asserted for guard in guards) else "guard"
                    found.append(Dependency(first, second, how))
                if any(reached and changed for reached, changed in arguments) and _same_receiver(check, act):
                    found.append(Dependency(first, second, "argument"))
    return found


def _same_receiver(read: "SiteDraft", write: "SiteDraft") -> bool:
    """Whether two messages to one handle go to the same object, as far as the code shows:
    a reply from ``core.library`` built into a message to ``core.tracklist`` (two
    traversable parts of one actor) writes back nothing it read, so it loses no update."""
    first, second = _receiver(read), _receiver(write)
    return first is None or second is None or first == second


def _receiver(site: "SiteDraft") -> Optional[str]:
    """The dotted name a message's method is taken from (``self.core.playlists`` in
    ``self.core.playlists.save(p)``), or None when the code does not spell one."""
    member = site.fields["target"].member
    node: cst.CSTNode = site.node
    if isinstance(node, cst.Await):
        node = node.expression
    while isinstance(node, (cst.Call, cst.Attribute)):
        if isinstance(node, cst.Attribute):
            if node.attr.value == member:
                return dotted(node.value)
            node = node.value
        else:
            node = node.func
    return None


def _message_arguments(node: cst.CSTNode, member: Optional[str] = None) -> List[cst.BaseExpression]:
    """The argument expressions a message site sends: its own and those of the calls it
    is chained on (``proxy.m(x).get()`` sends ``x``), and, for a wait given the message
    itself (the call chained on the target's ``member``), that message's
    (``ray.get(h.m.remote(x))`` sends ``x``, not the call)."""
    if isinstance(node, cst.Await):
        node = node.expression
    arguments: List[cst.BaseExpression] = []
    while isinstance(node, (cst.Call, cst.Attribute)):
        if isinstance(node, cst.Call):
            for arg in node.args:
                if member is not None and _chained_on(arg.value, member):
                    arguments.extend(_message_arguments(arg.value))
                else:
                    arguments.append(arg.value)
            node = node.func
        else:
            node = node.value
    return arguments


def _chained_on(node: cst.BaseExpression, member: str) -> bool:
    """Whether ``node`` is a call chained on an attribute ``member`` (``h.m.remote(x)``)."""
    if not isinstance(node, cst.Call):
        return False
    inner: cst.BaseExpression = node.func
    while isinstance(inner, (cst.Attribute, cst.Call)):
        if isinstance(inner, cst.Attribute):
            if inner.attr.value == member:
                return True
            inner = inner.value
        else:
            inner = inner.func
    return False


def _changes(node: cst.CSTNode) -> bool:
    """Whether ``node`` makes a new value out of what it contains. A comprehension that
    only picks parts of the elements (``[t.uri for t in tracks]``) hands back
    identifiers; one that filters or computes builds a new collection."""
    if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
        parts = (node.key, node.value) if isinstance(node, cst.DictComp) else (node.elt,)
        comp: Optional[cst.CompFor] = node.for_in
        while comp is not None:
            if comp.ifs:
                return True
            comp = comp.inner_for_in
        return not all(_picks(part) for part in parts)
    if isinstance(node, _OPERATIONS):
        return True
    if isinstance(node, cst.Subscript):
        return any(isinstance(element.slice, cst.Slice) for element in node.slice)
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return any(isinstance(element, cst.StarredElement) for element in node.elements)
    if isinstance(node, cst.Dict):
        return any(isinstance(element, cst.StarredDictElement) for element in node.elements)
    if isinstance(node, cst.Call):
        func = node.func
        if isinstance(func, cst.Attribute):
            return func.attr.value not in _PROJECTIONS
        return isinstance(func, cst.Name) and func.value in _DERIVING
    return False


def _read_parts(node: cst.CSTNode) -> List[cst.CSTNode]:
    """The children of ``node`` that are read: not an attribute's name (``core.playlists``
    reads ``core``) nor a keyword's (``add(uris=x)`` reads ``x``)."""
    if isinstance(node, cst.Attribute):
        return [node.value]
    if isinstance(node, cst.Arg):
        return [node.value]
    return list(child_nodes(node))


def _picks(node: cst.BaseExpression) -> bool:
    """A name, a part of one (``t.uri``, ``t["id"]``), or a tuple of those."""
    if isinstance(node, cst.Tuple):
        return all(_picks(element.value) for element in node.elements)
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        if isinstance(node, cst.Subscript) and any(isinstance(e.slice, cst.Slice) for e in node.slice):
            return False
        node = node.value
    return isinstance(node, cst.Name)


class _ReplyFlow:
    """Where a call's reply flows in one function: the reply itself and the local names
    whose value, where it is read, may come from an assignment derived from it.

    Without a control-flow graph, an assignment may reach a read unless a later one
    before the read stands in a block that encloses the read (it runs on every path
    there): ``ok = ask(); ok = other()`` ends the flow, ``if a: ok = ask() else: ok =
    True`` does not.
    """

    def __init__(self, function: Scope, reply: cst.CSTNode, other_replies: FrozenSet[int] = frozenset()) -> None:
        self.reply = reply
        self.other_replies = other_replies
        self.assignments: Dict[str, List[Tuple[int, Optional[cst.CSTNode], Tuple[int, ...], bool]]] = {}
        for name, order, value, blocks, element in function.assignments:
            self.assignments.setdefault(name, []).append((order, value, blocks, element))
        self.mutations: Dict[str, List[int]] = {}
        for name, order, _ in function.mutations:
            self.mutations.setdefault(name, []).append(order)
        # Per assignment (by order): whether it may hold the reply, and changed.
        self._derived: Dict[int, Tuple[bool, bool]] = {}

    def scan(self, root: cst.CSTNode, order: int, blocks: Tuple[int, ...]) -> Tuple[bool, bool]:
        """For an expression read at ``order`` (inside ``blocks``): whether it contains the
        reply or a name whose value may derive from it, and whether the reply reaches it
        changed on the way (or in place). Iterative, as expressions can nest deeper than
        Python's recursion limit."""
        results: Dict[int, Tuple[bool, bool]] = {}
        stack: List[Tuple[cst.CSTNode, Optional[List[cst.CSTNode]]]] = [(root, None)]
        while stack:
            node, children = stack.pop()
            if children is None:
                if node is self.reply:
                    results[id(node)] = (True, False)
                elif isinstance(node, cst.Name):
                    results[id(node)] = self._held(node.value, order, blocks)
                elif isinstance(node, (cst.Lambda, cst.FunctionDef)) or id(node) in self.other_replies:
                    results[id(node)] = (False, False)
                else:
                    children = _read_parts(node)
                    stack.append((node, children))
                    stack.extend((child, None) for child in children)
                continue
            parts = [results[id(child)] for child in children]
            reached = any(part[0] for part in parts)
            changed = any(part[1] for part in parts) or (reached and _changes(node))
            results[id(node)] = (reached, changed)
        return results[id(root)]

    def _held(self, name: str, order: int, blocks: Tuple[int, ...]) -> Tuple[bool, bool]:
        reached = changed = False
        for assigned, value, where, element in reversed(self.assignments.get(name, ())):
            if assigned >= order:
                continue
            if value is not None:
                value_reached, value_changed = self._derives(assigned, value, where)
                if value_reached:
                    reached = True
                    # One element of a changed collection is still what the actor gave.
                    changed = changed or (value_changed and not element) or any(
                        assigned < mutated < order for mutated in self.mutations.get(name, ()))
            if blocks[:len(where)] == where:
                break  # runs on every path to the read: earlier ones cannot reach
        return reached, changed

    def _derives(self, order: int, value: cst.CSTNode, blocks: Tuple[int, ...]) -> Tuple[bool, bool]:
        if order not in self._derived:
            self._derived[order] = (False, False)  # a cycle (x = x + 1) adds nothing
            self._derived[order] = self.scan(value, order, blocks)
        return self._derived[order]
