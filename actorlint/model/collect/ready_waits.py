"""Waits that cannot wait, as the code around them shows (rules.md, ACT201 precision,
"a local queue.Queue filled just before get()"): a queue made in the function, filled
on every path before it is read, and handed to nobody else, has the item ready.

Ready Ray refs (``ray.put``, the ready list of ``ray.wait``) are roles of their own
(frameworks.py, READY_ROLES); this module covers what only the function's shape tells."""

from __future__ import annotations

from typing import List

import libcst as cst

from actorlint.model.collect.control import Candidate
from actorlint.model.collect.evaluator import Evaluator
from actorlint.model.collect.scopes import Assigned, function_scope
from actorlint.model.libcst_internals.walk import child_nodes
from actorlint.model.values import Instance

__all__ = ["filled_local_queue"]

_QUEUE_GETS = frozenset({"queue.Queue.get", "queue.SimpleQueue.get"})


def filled_local_queue(candidate: Candidate, fields: dict, candidates: List[Candidate], evaluator: Evaluator) -> bool:
    """Whether a blocking ``q.get()`` reads a local queue that holds an item by then: more
    ``put`` calls before it, in blocks that enclose it, than earlier ``get`` calls, outside
    any loop, and the queue never passed to a call (another thread could take the item)."""
    if fields.get("blocking") not in _QUEUE_GETS or candidate.loop is not None:
        return False
    func = candidate.node.func if isinstance(candidate.node, cst.Call) else None
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
        return False
    name = func.value.value
    function = function_scope(candidate.scope)
    bindings = function.bindings.get(name, [])
    if function.kind != "function" or len(bindings) != 1 or not isinstance(bindings[0], Assigned):
        return False
    made = evaluator.value_of(bindings[0].expression, bindings[0].scope)
    if not (isinstance(made, Instance) and made.type.startswith("queue.")):
        return False
    puts = sum(1 for root, order, blocks in function.mutations
               if root == name and order < candidate.order and candidate.blocks[:len(blocks)] == blocks)
    gets = 0
    for other in candidates:
        node = other.node
        if other is candidate or not isinstance(node, cst.Call) or function_scope(other.scope) is not function:
            continue
        if any(_mentions(arg.value, name) for arg in node.args):
            return False  # handed on: someone else may take the item
        if other.order < candidate.order and isinstance(node.func, cst.Attribute) \
                and node.func.attr.value == "get" and isinstance(node.func.value, cst.Name) \
                and node.func.value.value == name:
            gets += 1
    return puts > gets


def _mentions(expression: cst.CSTNode, name: str) -> bool:
    stack = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name) and node.value == name:
            return True
        stack.extend(child_nodes(node))
    return False
