"""Containers of handles: what reading, iterating and copying a ``Many`` gives.

``workers = [Worker.remote() for _ in range(n)]`` holds handles to one actor class;
``workers[0]``, ``for w in workers``, ``workers.values()`` (for a dict) and
``sorted(workers)`` keep that knowledge, so that ``ray.get([w.step.remote() for w in
workers])`` is known to wait for ``Worker``. A list of ``(key, handle)`` tuples is pairs,
as ``dict.items()`` is (``PAIRS``): one taken off with ``pop()`` is read as pairs are. The
evaluator asks this module; nothing here reads syntax beyond the shape of a subscript.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from actorlint.model.values import UNKNOWN, Many, Value, many

__all__ = ["builtin_result", "iterated", "method_result", "subscripted"]

# Builtins (and library functions) that copy a container or pick one element of it.
_COPIES = frozenset({
    "builtins.list", "builtins.tuple", "builtins.set", "builtins.frozenset", "builtins.sorted",
    "builtins.reversed", "builtins.iter", "copy.copy",
})
_PICKS = frozenset({"random.choice", "builtins.next"})


def iterated(container: Value, part: Optional[int]) -> Value:
    """One item of iterating ``container``, or its ``part``-th half when the loop unpacks
    pairs (``for name, worker in workers.items()``)."""
    if not isinstance(container, Many) or container.empty:
        return UNKNOWN
    if container.kind == Many.PAIRS:
        return container.element if part == 1 else UNKNOWN
    if container.kind == Many.SEQUENCE and part is None:
        return container.element
    return UNKNOWN  # a dict's keys, or a pair taken apart from elements that are not pairs


def subscripted(container: Many, node: cst.Subscript) -> Value:
    """``container[i]`` (an element) or ``container[a:b]`` (a sequence of the same)."""
    if container.empty or len(node.slice) != 1:
        return UNKNOWN
    index = node.slice[0].slice
    if isinstance(index, cst.Slice):
        return container if container.kind == Many.SEQUENCE else UNKNOWN
    return container.element if container.kind in (Many.SEQUENCE, Many.MAPPING) else UNKNOWN


def method_result(container: Many, method: str) -> Value:
    """What ``container.method(...)`` returns."""
    if container.empty:
        return UNKNOWN
    if container.kind == Many.MAPPING:
        if method == "values":
            return many(container.element)
        if method == "items":
            return many(container.element, Many.PAIRS)
        if method in ("get", "pop", "setdefault"):
            return container.element
    elif container.kind == Many.SEQUENCE and method == "pop":
        return container.element
    elif container.kind == Many.PAIRS and method == "pop":
        return container  # a list of pairs gives a pair, which is read as pairs are
    if method == "copy":
        return container
    return UNKNOWN


def builtin_result(qualname: str, argument: Value) -> Value:
    """What a builtin given one container returns: a copy (``list(xs)``, ``sorted(xs)``),
    pairs (``enumerate(xs)``, ``dict(pairs)``), or one element (``random.choice(xs)``)."""
    if not isinstance(argument, Many) or argument.empty:
        return UNKNOWN
    if qualname in _COPIES and argument.kind != Many.MAPPING:
        return argument  # a dict's copy as a list would be its keys
    if qualname == "builtins.enumerate" and argument.kind == Many.SEQUENCE:
        return many(argument.element, Many.PAIRS)
    if qualname == "builtins.dict" and argument.kind in (Many.PAIRS, Many.MAPPING):
        return many(argument.element, Many.MAPPING)
    if qualname in _PICKS and argument.kind == Many.SEQUENCE:
        return argument.element
    return UNKNOWN
