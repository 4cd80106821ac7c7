"""``isinstance`` narrowing: inside ``if isinstance(x, pykka.Future):`` the name ``x`` holds
what the type declares, until the block binds ``x`` again.

Bindings are flow-insensitive (binder.py), so narrowing is read from syntax alone: the
binder notes each ``if isinstance(name, Type):``; the evaluator asks, once per file and
only for the types that declare a handle, which uses of ``name`` in the block the test
covers (``narrowed_uses``). Those are the uses in the statements before the first one
that binds the name again, and the right-hand side of that one (``x = x.get()``: the
value is read before ``x`` is bound).
"""

from __future__ import annotations

from typing import Iterator, List, NamedTuple, Optional

import libcst as cst

from actorlint.model.collect.scopes import Scope
from actorlint.model.libcst_internals.walk import child_nodes

__all__ = ["Narrowing", "narrowed_uses", "narrowing_of"]

_MAX_NODES = 20_000  # a block larger than this is not worth reading twice


class Narrowing(NamedTuple):
    """``if isinstance(name, type_expression):`` around ``body``, in ``scope``."""

    name: str
    type_expression: cst.BaseExpression
    body: cst.BaseSuite
    scope: Scope


def narrowing_of(node: cst.If, scope: Scope) -> Optional[Narrowing]:
    """The narrowing an ``if`` test makes: ``isinstance(name, T)`` with one type."""
    test = node.test
    if not (isinstance(test, cst.Call) and isinstance(test.func, cst.Name) and test.func.value == "isinstance"):
        return None
    if len(test.args) != 2 or any(arg.star or arg.keyword for arg in test.args):
        return None
    subject, declared = test.args[0].value, test.args[1].value
    if not isinstance(subject, cst.Name) or isinstance(declared, cst.Tuple):
        return None
    return Narrowing(subject.value, declared, node.body, scope)


def narrowed_uses(narrowing: Narrowing) -> List[cst.Name]:
    """The ``Name`` nodes in the block that read the narrowed name under the test."""
    name = narrowing.name
    statements = narrowing.body.body if isinstance(narrowing.body, (cst.IndentedBlock, cst.SimpleStatementSuite)) \
        else ()
    uses: List[cst.Name] = []
    for statement in statements:
        binding = _binding_statement(statement, name)
        if binding is None:
            if _binds(statement, name):
                break  # bound somewhere inside (a loop, a with): stop, precision first
            uses.extend(_names(statement, name))
            continue
        for value in binding:
            uses.extend(_names(value, name))
        break
    return uses


def _binding_statement(statement: cst.CSTNode, name: str) -> Optional[List[cst.BaseExpression]]:
    """The right-hand sides of a statement line that assigns ``name`` (``x = x.get()``);
    None when the line does not assign it."""
    if not isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return None
    values: List[cst.BaseExpression] = []
    for small in statement.body:
        targets: List[cst.BaseExpression] = []
        if isinstance(small, cst.Assign):
            targets = [target.target for target in small.targets]
        elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
            targets = [small.target]
        if any(_target_binds(target, name) for target in targets):
            value = getattr(small, "value", None)
            return values + ([value] if value is not None else [])
        values.extend(node for node in child_nodes(small) if isinstance(node, cst.BaseExpression))
    return None


def _target_binds(target: cst.BaseExpression, name: str) -> bool:
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_target_binds(element.value, name) for element in target.elements)
    if isinstance(target, cst.StarredElement):
        return _target_binds(target.value, name)
    return False


def _binds(node: cst.CSTNode, name: str) -> bool:
    """Whether anything under ``node`` may bind ``name`` again (a block too large to read
    may)."""
    for count, child in enumerate(_nodes(node), 1):
        if count >= _MAX_NODES:
            return True
        if isinstance(child, cst.Assign) and any(_target_binds(t.target, name) for t in child.targets):
            return True
        if isinstance(child, (cst.AnnAssign, cst.AugAssign, cst.NamedExpr, cst.For, cst.CompFor)) \
                and _target_binds(child.target, name):
            return True
        if isinstance(child, cst.AsName) and _target_binds(child.name, name):  # type: ignore[arg-type]
            return True
        if isinstance(child, (cst.FunctionDef, cst.ClassDef)) and child.name.value == name:
            return True
        if isinstance(child, (cst.Global, cst.Nonlocal, cst.Del)):
            return True
    return False


def _names(node: cst.CSTNode, name: str) -> Iterator[cst.Name]:
    return (child for child in _nodes(node) if isinstance(child, cst.Name) and child.value == name)


def _nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """``node`` and everything under it, at most ``_MAX_NODES`` of them."""
    stack = [node]
    seen = 0
    while stack and seen < _MAX_NODES:
        current = stack.pop()
        seen += 1
        yield current
        stack.extend(child_nodes(current))
