"""Scopes and the bindings they hold: what the binder records and the evaluator reads.

A binding is one of six things, told apart by type: a value known outright (an
import, a class, ``self``), an ``Assigned`` expression evaluated lazily in the scope it
stands in, an ``Annotated`` declaration (a parameter or a name known only from its
type annotation), an ``Iterated`` loop target (an element of what the loop iterates), an
``Unpacked`` item of a value taken apart by an assignment, or a decorated function's
``TaskSelf`` first parameter (the task itself, if bound).
Scopes and classes also note what code adds to the containers their names hold
(``refs.append(ref)``, ``self.workers[i] = w``): ``ElementWrite``.
"""

from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional, Set, Tuple, Union

import libcst as cst

from actorlint.model.values import Value

__all__ = [
    "Annotated", "Assigned", "Assignment", "Binding", "ClassInfo", "ElementWrite", "Iterated", "Scope",
    "TaskSelf", "Unpacked", "enclosing_class",
    "function_of", "function_scope",
]


class Assigned(NamedTuple):
    """A binding to an expression, evaluated (lazily) in the scope where it stands."""

    expression: cst.BaseExpression
    scope: "Scope"


class Annotated(NamedTuple):
    """A binding known only from its type annotation (a parameter, a declaration);
    ``otherwise``: what it holds when the annotation names no handle type (a
    parameter is then whatever its callers pass)."""

    annotation: cst.BaseExpression
    scope: "Scope"
    otherwise: Value = None


class Iterated(NamedTuple):
    """A loop or comprehension target: an element of ``iterable`` (evaluated in ``scope``),
    or its ``part``-th item when the target unpacks pairs (``for name, w in d.items()``)."""

    iterable: cst.BaseExpression
    scope: "Scope"
    part: Optional[int] = None
    # The body of the ``for`` statement (None for a comprehension): inside it, before
    # anything there binds the name again, the name holds this binding's value only.
    loop: Optional[cst.CSTNode] = None


class Unpacked(NamedTuple):
    """One name of an unpacking assignment from a value that is not a display
    (``ready, pending = ray.wait(refs)``): the ``index``-th item of ``expression``."""

    expression: cst.BaseExpression
    scope: "Scope"
    index: int


class ElementWrite(NamedTuple):
    """Something put into a container: ``expression`` (in ``scope``) is one element
    (``xs.append(e)``, ``d[k] = e``) or, when ``spread``, a container whose elements are
    added (``xs.extend(more)``, ``d.update(more)``)."""

    expression: cst.BaseExpression
    scope: "Scope"
    spread: bool = False
    # The key written, when the code names it as a string (``d["queue"] = e``).
    key: Optional[str] = None


class TaskSelf(NamedTuple):
    """The first parameter of a decorated function: the task itself when a task decorator
    binds it (``@app.task(bind=True)``), else ``otherwise`` (its symbol, or its annotation)."""

    function: str
    otherwise: Union[Value, "Annotated"]


Binding = Union[Value, Assigned, Annotated, Iterated, Unpacked, TaskSelf]


class Assignment(NamedTuple):
    """An assignment to a plain name, in source order (``for x in xs`` counts, from ``xs``)."""

    name: str
    order: int
    # The expression the value comes from (an ``AugAssign`` for ``n += 1``), or None
    # when unknown.
    value: Optional[cst.CSTNode]
    # The blocks (indented suites, innermost last) it stands in.
    blocks: Tuple[int, ...]
    # A loop target: the name takes one element of ``value`` at a time.
    element: bool = False


class Scope:
    """A module, class, function, lambda or comprehension scope and its bindings."""

    __slots__ = (
        "kind", "qualname", "parent", "bindings", "globals", "nonlocals", "cls",
        "self_name", "is_async", "star_import", "star_modules", "assignments", "returns", "params",
        "element_writes", "state_writes", "self_calls", "mutations",
    )

    def __init__(self, kind: str, qualname: str, parent: Optional["Scope"]) -> None:
        self.kind = kind
        self.qualname = qualname
        self.parent = parent
        self.bindings: Dict[str, List[Binding]] = {}
        self.globals: Set[str] = set()
        self.nonlocals: Set[str] = set()
        self.cls: Optional[ClassInfo] = None
        self.self_name: Optional[str] = None
        self.is_async = False
        self.star_import = False
        # The modules of ``from M import *`` in this scope, in source order (None: a
        # relative import that cannot be placed).
        self.star_modules: List[Optional[str]] = []
        self.assignments: List[Assignment] = []
        # What ``return`` statements give back.
        self.returns: List[Binding] = []
        # A function's parameters.
        self.params: Optional[cst.Parameters] = None
        # What code adds to the containers this scope's names hold.
        self.element_writes: Dict[str, List[ElementWrite]] = {}
        # Writes through names, as (the name, the writing node); the ``self.<name>()``
        # a method calls; names changed in place, with their order and blocks
        # (state_writes.py).
        self.state_writes: List[Tuple[str, cst.CSTNode]] = []
        self.self_calls: Set[str] = set()
        self.mutations: List[Tuple[str, int, Tuple[int, ...]]] = []


class ClassInfo:
    """A class seen in the module, with the ``self.<attr>`` assignments of its methods."""

    __slots__ = ("qualname", "node", "scope", "methods", "attr_bindings", "attr_element_writes", "bases",
                 "decorators")

    def __init__(self, qualname: str, node: cst.ClassDef, scope: Scope) -> None:
        self.qualname = qualname
        self.node = node
        self.scope = scope  # the class body scope
        self.methods: List[Tuple[cst.FunctionDef, Scope]] = []
        self.attr_bindings: Dict[str, List[Binding]] = {}
        # What the methods add to containers held in ``self.<attr>``.
        self.attr_element_writes: Dict[str, List[ElementWrite]] = {}
        self.bases: List[cst.BaseExpression] = []
        self.decorators: List[cst.BaseExpression] = []


def function_scope(scope: Scope) -> Scope:
    """The function (or lambda, or module) a scope belongs to."""
    while scope.kind not in ("function", "lambda", "module") and scope.parent is not None:
        scope = scope.parent
    return scope


def enclosing_class(scope: Scope) -> Optional[str]:
    """The class whose method (directly) contains this scope."""
    current: Optional[Scope] = scope
    while current is not None and current.kind == "comprehension":
        current = current.parent
    if current is not None and current.kind == "function" and current.cls is not None:
        return current.cls.qualname
    return None


def function_of(scope: Scope) -> Optional[str]:
    """The qualified name of the innermost function or lambda around a scope."""
    current: Optional[Scope] = scope
    while current is not None and current.kind not in ("function", "lambda"):
        current = current.parent
    return current.qualname if current is not None else None
