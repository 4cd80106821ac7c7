"""The shape of a method body for ACT302 (actor-as-cache): whether it does nothing but read
or write entries of dict-like attributes of ``self`` (subscripts, ``get``, ``setdefault``,
``pop``, ``update``, ``del``, ``in``, ``len``, ``keys``/``values``/``items``), with pure
built-ins and expiry arithmetic (``time.monotonic() - stamp > self.ttl``) around them.

Anything else (another call, a write to a plain attribute, a loop over something else, a
nested function) makes the method not cache-shaped, and so does an entry computed from the
state (``self.points[c] = self.points.get(c, 0) + n``): the actor then gives atomic
updates, which is what it is for. The rule stays silent about such an actor. Conservative
on purpose: a handler that does I/O or real work next to its dict is not a cache.
"""

from __future__ import annotations

from typing import Callable, FrozenSet, Optional, Set

import libcst as cst

from actorlint.model.facts import CacheAccess
from actorlint.model.libcst_internals.walk import child_nodes

__all__ = ["DICT_FACTORIES", "cache_access"]

_READS = frozenset({"get", "keys", "values", "items", "copy", "__getitem__", "__contains__", "__len__"})
_WRITES = frozenset({"pop", "popitem", "update", "clear", "__setitem__", "__delitem__", "move_to_end"})
_READ_WRITES = frozenset({"setdefault"})
# Reads of a value that is not state (a message dict): ``message.get("op")``.
_VALUE_READS = frozenset({"get", "keys", "values", "items", "copy"})
# Built-ins and clocks allowed around the entries (qualified names).
_PURE = frozenset({
    "builtins.len", "builtins.min", "builtins.max", "builtins.abs", "builtins.round", "builtins.sum",
    "builtins.isinstance", "builtins.int", "builtins.float", "builtins.str", "builtins.bool",
    "builtins.tuple", "builtins.list", "builtins.dict", "builtins.sorted", "builtins.any", "builtins.all",
    "builtins.KeyError", "builtins.ValueError", "time.time", "time.monotonic", "time.perf_counter",
})
#: Constructors of dict-like state (``self.entries = {}`` counts too).
DICT_FACTORIES = frozenset({
    "builtins.dict", "collections.OrderedDict", "collections.defaultdict", "collections.Counter",
    "cachetools.LRUCache", "cachetools.TTLCache", "cachetools.LFUCache",
})
class _Shape:
    def __init__(self, self_name: str, qualname: Callable[[cst.BaseExpression], str],
                 replies: FrozenSet[str]) -> None:
        self.self_name = self_name
        self.qualname = qualname
        self.replies = replies
        self.reads: Set[str] = set()
        self.writes: Set[str] = set()
        self.plain: Set[str] = set()
        self.computed = False

    def _self_attr(self, node: cst.CSTNode) -> Optional[str]:
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) \
                and node.value.value == self.self_name:
            return node.attr.value
        return None

    def statement(self, node: cst.CSTNode) -> bool:
        """Whether a statement (and all it holds) keeps to the cache shape."""
        if isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite, cst.SimpleStatementLine,
                             cst.Else, cst.Finally)):
            body = node.body
            return all(self.statement(child) for child in (body.body if isinstance(body, cst.BaseSuite) else body))
        if isinstance(node, cst.Try):
            return self.statement(node.body) and all(
                (handler.type is None or self.expression(handler.type)) and self.statement(handler.body)
                for handler in node.handlers) and all(
                self.statement(part) for part in (node.orelse, node.finalbody) if part is not None)
        if isinstance(node, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            value = node.value
            writes_before, reads_before = set(self.writes), set(self.reads)
            if not all(self.target(target, isinstance(node, cst.AugAssign)) for target in targets):
                return False
            if value is not None and not self.expression(value):
                return False
            # ``self.points[c] = self.points.get(c, 0) + n``: an entry computed from the
            # state, which the actor updates atomically: state of its own, not a cache.
            written = self.writes - writes_before
            if written & (self.reads - reads_before) or (isinstance(node, cst.AugAssign) and written):
                self.computed = True
            return True
        if isinstance(node, cst.Del):
            return self.target(node.target, False)
        if isinstance(node, cst.Expr):
            return isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString)) or self.expression(node.value)
        if isinstance(node, cst.For):
            return node.asynchronous is None and self.target(node.target, False) and self.expression(node.iter) \
                and all(self.statement(child) for child in (node.body, node.orelse) if child is not None)
        if isinstance(node, cst.If):
            return self.expression(node.test) and all(
                self.statement(child) for child in (node.body, node.orelse) if child is not None)
        if isinstance(node, (cst.Return, cst.Raise)):
            value = node.value if isinstance(node, cst.Return) else node.exc
            return value is None or self.expression(value)
        return isinstance(node, (cst.Pass, cst.Continue, cst.Break))

    def target(self, node: cst.BaseExpression, augmented: bool) -> bool:
        """An assignment or ``del`` target: a local name, or an entry of ``self.<attr>``."""
        if isinstance(node, cst.Name):
            return node.value != self.self_name
        if isinstance(node, (cst.Tuple, cst.List)):
            return all(self.target(element.value, augmented) for element in node.elements)
        if isinstance(node, cst.Subscript):
            attr = self._self_attr(node.value)
            if attr is None:
                return False
            self.writes.add(attr)
            if augmented:
                self.reads.add(attr)
            return all(self.expression(element.slice) for element in node.slice)
        return False

    def expression(self, node: cst.CSTNode) -> bool:
        """Whether an expression reads only entries of ``self`` attributes, locals,
        constants and pure built-ins."""
        attr = self._self_attr(node)
        if attr is not None:
            self.plain.add(attr)  # a value read whole (``self.ttl``), or passed to a pure built-in
            return True
        if isinstance(node, cst.Name):
            return node.value != self.self_name
        if isinstance(node, (cst.Lambda, cst.Await, cst.Yield, cst.NamedExpr)):
            return False
        if isinstance(node, cst.Subscript):
            attr = self._self_attr(node.value)
            if attr is not None:
                self.reads.add(attr)
                return all(self.expression(element.slice) for element in node.slice)
        if isinstance(node, cst.Comparison):
            for target in node.comparisons:
                attr = self._self_attr(target.comparator)
                if attr is not None and isinstance(target.operator, (cst.In, cst.NotIn)):
                    self.reads.add(attr)
                    if not self.expression(node.left):
                        return False
                elif not self.expression(target.comparator):
                    return False
            return self.expression(node.left)
        if isinstance(node, cst.Call):
            return self.call(node)
        if isinstance(node, cst.Attribute):
            return self.expression(node.value)  # ``entry.expires``: a part of a value
        return all(self.expression(child) for child in child_nodes(node))

    def call(self, node: cst.Call) -> bool:
        func = node.func
        if any(arg.star for arg in node.args):
            return False
        arguments = all(self.expression(arg.value) for arg in node.args)
        if isinstance(func, cst.Attribute):
            attr = self._self_attr(func.value)
            method = func.attr.value
            if isinstance(func.value, cst.Name) and func.value.value == self.self_name:
                return method in self.replies and arguments  # ``self.send(sender, value)``: an answer
            if attr is None and method in _VALUE_READS and not self.qualname(func.value):
                return arguments and self.expression(func.value)  # ``message.get("key")``, not ``requests.get``
            if attr is not None:
                if method in _READS:
                    self.reads.add(attr)
                elif method in _WRITES:
                    self.writes.add(attr)
                elif method in _READ_WRITES:
                    self.reads.add(attr)
                    self.writes.add(attr)
                else:
                    return False
                return arguments
        if self.qualname(func) in _PURE:
            if len(node.args) == 1:
                attr = self._self_attr(node.args[0].value)
                if attr is not None:  # ``len(self.entries)``, ``list(self.entries)``: a read
                    self.reads.add(attr)
            return arguments
        return False


def cache_access(function: cst.FunctionDef, self_name: Optional[str],
                 qualname: Callable[[cst.BaseExpression], str],
                 replies: FrozenSet[str] = frozenset()) -> Optional[CacheAccess]:
    """The dict-like ``self`` attributes a method reads and writes entries of, when that
    (with pure computation around it, and answers through ``replies`` methods of ``self``)
    is all the method does; None otherwise."""
    if self_name is None or function.asynchronous is not None:
        return None
    shape = _Shape(self_name, qualname, replies)
    if not shape.statement(function.body):
        return None
    if (not shape.reads and not shape.writes) or shape.computed:
        return None
    return CacheAccess(tuple(sorted(shape.reads)), tuple(sorted(shape.writes)),
                       tuple(sorted(shape.plain - shape.reads - shape.writes)))
