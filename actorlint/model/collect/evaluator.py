"""The evaluator: the abstract value of an expression, from the bindings the binder
recorded. It knows values only; what a call or a framework value's attribute gives is
asked of the interpreter (``Semantics``), which knows the frameworks."""

from __future__ import annotations

import builtins
import functools
from typing import Callable, Dict, FrozenSet, List, Optional, Protocol, Sequence, Set, Tuple, TypeVar

import libcst as cst

from actorlint.model.collect import containers
from actorlint.model.collect.binder import Binder
from actorlint.model.collect.narrowing import narrowed_uses
from actorlint.model.collect.scopes import (
    Annotated, Assigned, Binding, ClassInfo, ElementWrite, Iterated, Scope, TaskSelf, Unpacked,
)
from actorlint.model.frameworks import UNPACKED_ROLES, Param
from actorlint.model.libcst_internals.walk import child_nodes
from actorlint.model.syntax import dotted, find_arg, is_number, string_key
from actorlint.model.values import (
    UNKNOWN, Const, Handle, Instance, Many, Qual, SelfRef, Symbol, Value, join, known, many,
)

__all__ = ["Evaluator", "Semantics", "USE_AWAIT", "USE_CALL", "USE_ELEMENT", "USE_SETATTR", "USE_TARGET"]

# How a symbol is used, besides reading an attribute of it.
USE_CALL, USE_ELEMENT, USE_TARGET, USE_AWAIT, USE_SETATTR = "()", "[]", "<target>", "<await>", "<setattr>"

_T = TypeVar("_T")
_BUILTIN_NAMES = frozenset(dir(builtins))
_BUILTINS_PREFIX = "builtins."
_CONSTANT_NAMES = {"None": Const(None), "True": Const(True), "False": Const(False)}
_TIMEDELTA = "datetime.timedelta"
# timedelta's parameters in positional order, with their length in seconds.
_TIMEDELTA_FIELDS = (
    ("days", 86400.0), ("seconds", 1.0), ("microseconds", 1e-6), ("milliseconds", 1e-3),
    ("minutes", 60.0), ("hours", 3600.0), ("weeks", 604800.0),
)
# How deep one value may depend on others (``f()()()``, a chain of aliases) before it
# counts as unknown: real code stays far below, and it keeps recursion bounded.
_MAX_EVALUATION_DEPTH = 50
# A string annotation is parsed only when it could name a handle type; LibCST's parser
# crashes the interpreter on very deeply nested text.
_MAX_ANNOTATION_TEXT = 500
_MAX_ANNOTATION_BRACKETS = 20


# ``None`` as a value.
_NONE = Const(None)

# A container's bindings and what code puts into it.
_Sources = Tuple[List[Binding], List[ElementWrite]]


def _binding_node(binding: Binding) -> Optional[cst.CSTNode]:
    """The node a binding is made from (where it stands in the code), None when unknown."""
    if isinstance(binding, (Assigned, Unpacked)):
        return binding.expression
    if isinstance(binding, Iterated):
        return binding.iterable
    if isinstance(binding, Annotated):
        return binding.annotation
    return None



def _is_pair(node: cst.Tuple) -> bool:
    """Whether a tuple display is two plain elements (no ``*spread``)."""
    return len(node.elements) == 2 and not any(isinstance(e, cst.StarredElement) for e in node.elements)

class Semantics(Protocol):
    """What the evaluator asks of the framework interpreter."""

    def call_value(self, node: cst.Call, scope: Scope) -> Value:
        """The value a call returns."""

    def handle_attribute(self, base: Handle, attr: str) -> Value:
        """``handle.attr`` for a framework value."""

    def self_attribute(self, cls: str, attr: str) -> Value:
        """``self.attr`` that the class does not bind itself (a framework's own member)."""

    def named(self, value: Value, name: str) -> Value:
        """A value read through a name (a handle takes the name as its origin)."""

    def element(self, handle: Handle, subscript: Optional[cst.Subscript] = None) -> Value:
        """``handle[i]`` (the ``subscript``, when written) for a framework value."""

    def annotation(self, generic: Value, element: Value) -> Value:
        """The handle that an annotation ``generic[element]`` declares."""

    def task_self(self, function: str) -> Optional[Handle]:
        """The task a decorator binds to the first parameter of ``function``, if any."""

    def exports(self, module: str) -> Optional[FrozenSet[str]]:
        """The names ``from module import *`` binds that the catalog or the blocking
        table knows; None for a module nothing is known about."""


class Evaluator:
    """Gives expressions abstract values, memoised per node."""

    def __init__(self, binder: Binder) -> None:
        self.binder = binder
        self.module_scope = binder.module_scope
        self.semantics: Optional[Semantics] = None  # set by the interpreter
        self._values: Dict[int, Value] = {}
        self._in_progress: Set[int] = set()
        self._class_by_name = {info.qualname: info for info in binder.classes}
        self._parsed_annotations: Dict[str, cst.BaseExpression] = {}
        # Parameters annotated with a class of the project (their symbol: the class).
        self._annotated_classes: Dict[Symbol, str] = {}
        # Per loop body (by id), the ids of its nodes (see _loop_bound).
        self._loop_nodes: Dict[int, FrozenSet[int]] = {}
        # The symbols some evaluation needed the value of (a member, a call, a message
        # target) and could not use, each with how it was used: an attribute name or a
        # ``USE_*`` above (the assumption passes try only the roles that allow one).
        # ``touched``: whether the evaluation under way met one, directly or through a
        # memoised value (``_tainted`` node ids).
        self.consulted: Dict[Symbol, Set[str]] = {}
        self.touched = False
        self._tainted: Set[int] = set()
        # An assumption pass (collect/assumptions.py): the value each consulted symbol is
        # assumed to have.
        self.assumed: Dict[Symbol, Value] = {}
        self._narrowed_uses: Optional[Dict[int, Value]] = None

    def consult(self, value: Value, use: str) -> None:
        """Note that an evaluation needed ``value`` for ``use`` (an attribute name or a
        ``USE_*``): a symbol there is worth solving."""
        if isinstance(value, Symbol) and self._solvable(value):
            self.consulted.setdefault(value, set()).add(use)
            self.touched = True

    def _solvable(self, symbol: Symbol) -> bool:
        """Whether inference may solve ``symbol``: a function's return value only when the
        function is of this file's own top-level package (``logging.getLogger()`` and other
        libraries' results are never handles the project's flows can tell)."""
        if symbol.kind != Symbol.RETURNED:
            return True
        return symbol.owner.partition(".")[0] == self.binder.module_name.partition(".")[0]

    def solved(self, value: Value) -> Value:
        """``value``, or what the assumption pass assumes for it when it is a symbol."""
        if isinstance(value, Symbol) and self.assumed:
            return self.assumed.get(value, value)
        return value

    def tracked(self, key: int, compute: Callable[[], _T]) -> _T:
        """Run ``compute`` for node ``key``, noting whether it (or anything it evaluated)
        met a consulted symbol; a later use of the node's memoised value is touched too."""
        outer, self.touched = self.touched, False
        try:
            value = compute()
        finally:
            touched = self.touched
            if touched:
                self._tainted.add(key)
            self.touched = outer or touched
        return value

    def touch_if_tainted(self, key: int) -> None:
        """A memoised value is used again: carry its taint to the evaluation under way."""
        if key in self._tainted:
            self.touched = True

    def value_of(self, node: cst.BaseExpression, scope: Scope) -> Value:
        """The value of an expression standing in ``scope``."""
        key = id(node)
        if key in self._values:
            self.touch_if_tainted(key)
            return self._values[key]
        if key in self._in_progress or len(self._in_progress) > _MAX_EVALUATION_DEPTH:
            return UNKNOWN
        self._in_progress.add(key)
        try:
            value = self.tracked(key, lambda: self._compute(node, scope))
        finally:
            self._in_progress.discard(key)
        self._values[key] = value
        return value

    def _compute(self, node: cst.BaseExpression, scope: Scope) -> Value:
        assert self.semantics is not None
        if isinstance(node, cst.Name):
            constant = _CONSTANT_NAMES.get(node.value)
            if constant is not None:
                return constant
            value = self.lookup(node.value, scope)
            if value is UNKNOWN:
                value = self._loop_bound(node, scope)
            if not isinstance(value, Handle) and self.binder.narrowings:
                value = self._narrowed().get(id(node), value)
            return self.semantics.named(value, node.value)
        if isinstance(node, cst.Attribute):
            value = self.attribute(self.value_of(node.value, scope), node.attr.value)
            if isinstance(value, Handle) and value.origin is None:
                # A member of an instance (``context.core``): the same handle wherever
                # the function reads it so.
                path = dotted(node)
                if path is not None:
                    value = self.semantics.named(value, path)
            return value
        if isinstance(node, cst.Call):
            return self.semantics.call_value(node, scope)
        if isinstance(node, (cst.Integer, cst.Float)):
            return Const(node.evaluated_value)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) \
                and isinstance(node.expression, (cst.Integer, cst.Float)):
            return Const(-node.expression.evaluated_value)
        if isinstance(node, cst.SimpleString):
            return Const(node.evaluated_value)
        if isinstance(node, cst.Subscript):
            base = self.value_of(node.value, scope)
            if isinstance(base, Handle):
                return self.semantics.element(base, node)
            if isinstance(base, Many):
                value = containers.subscripted(base, node)
                return value if value is not UNKNOWN else self._keyed_entry(node, scope)
            self.consult(base, USE_ELEMENT)
            return self._keyed_entry(node, scope) if base is UNKNOWN else UNKNOWN
        return self._container(node, scope)

    def _container(self, node: cst.BaseExpression, scope: Scope) -> Value:
        """A container display or comprehension: what all its elements agree on."""
        if isinstance(node, cst.Tuple) and _is_pair(node):
            agreed = self._elements(node.elements, scope, Many.SEQUENCE)
            return agreed if known(agreed) else self._pair(node, scope)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return self._elements(node.elements, scope, Many.SEQUENCE)
        if isinstance(node, cst.Dict):
            return self._elements(node.elements, scope, Many.MAPPING)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            inner = self.binder.comprehension_scopes.get(id(node))
            if inner is None:
                return UNKNOWN
            if isinstance(node, cst.DictComp):
                return many(self.value_of(node.value, inner), Many.MAPPING)
            return self._as_element(node.elt, self.value_of(node.elt, inner), Many.SEQUENCE)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply) \
                and isinstance(node.left, cst.List):
            return self.value_of(node.left, scope)  # ``[None] * n``: slots to fill
        return UNKNOWN

    def _elements(self, elements: Sequence[cst.CSTNode], scope: Scope, kind: str) -> Value:
        result: Value = Many(UNKNOWN, kind, empty=True)
        for element in elements:
            if isinstance(element, (cst.StarredElement, cst.StarredDictElement)):
                spread = self.value_of(element.value, scope)
                value = spread if isinstance(spread, Many) and spread.kind == kind else UNKNOWN
            else:
                value = self._as_element(element.value, self.value_of(element.value, scope), kind)
            # The first element decides the kind: a list of pairs is pairs.
            result = value if isinstance(result, Many) and result.empty and isinstance(value, Many) \
                else join(result, value)
            if result is UNKNOWN:
                return UNKNOWN
        return result

    def _pair(self, node: cst.Tuple, scope: Scope) -> Value:
        """``(key, handle)``: a pair whose second half holds a handle (or a container of
        them), as the pairs ``dict.items()`` gives; unknown otherwise."""
        second = self.value_of(node.elements[1].value, scope)
        return many(second, Many.PAIRS) if isinstance(second, (Handle, Many)) else UNKNOWN

    @staticmethod
    def _as_element(node: cst.BaseExpression, value: Value, kind: str) -> Value:
        """A container of ``kind`` holding ``value``, the value of element ``node``. A
        sequence of pairs written out (``[(path, future)]``, ``[(n, w.run.remote()) for
        ...]``) is pairs, as ``dict.items()`` is: unpacking an item gives its second half."""
        if kind in (Many.SEQUENCE, Many.PAIRS) and isinstance(node, cst.Tuple) and _is_pair(node) \
                and isinstance(value, Many) and value.kind == Many.PAIRS:
            return value
        return many(value, kind)

    def _narrowed(self) -> Dict[int, Value]:
        """The handle each use of a name narrowed by ``isinstance(name, HandleType)``
        holds, by node id (built once, for the tests whose type declares a handle)."""
        if self._narrowed_uses is None:
            self._narrowed_uses = {}
            for narrowing in self.binder.narrowings:
                declared = self.annotated(narrowing.type_expression, narrowing.scope)
                if isinstance(declared, Handle):
                    for use in narrowed_uses(narrowing):
                        self._narrowed_uses[id(use)] = declared
        return self._narrowed_uses

    def annotated(self, annotation: cst.BaseExpression, scope: Scope) -> Value:
        """The framework handle a type annotation names, e.g. ``pykka.ActorProxy[Seat]``."""
        assert self.semantics is not None
        written = self._annotation_expression(annotation)
        if written is None:
            return UNKNOWN
        annotation = written
        element: Value = UNKNOWN
        if isinstance(annotation, cst.Subscript) and len(annotation.slice) == 1:
            index = annotation.slice[0].slice
            if isinstance(index, cst.Index):
                element = self.value_of(index.value, scope)
            annotation = annotation.value
        return self.semantics.annotation(self.value_of(annotation, scope), element)

    def _annotation_expression(self, annotation: cst.BaseExpression) -> Optional[cst.BaseExpression]:
        """The expression an annotation is, parsed when written as a string (None when
        the string is no expression, or too long or nested to be a type worth reading)."""
        if not isinstance(annotation, cst.SimpleString):
            return annotation
        text = annotation.evaluated_value
        if not isinstance(text, str) or len(text) > _MAX_ANNOTATION_TEXT \
                or sum(map(text.count, "([{")) > _MAX_ANNOTATION_BRACKETS:
            return None  # no handle type is spelled so; LibCST would crash on deep ones
        parsed = self._parsed_annotations.get(text)
        if parsed is None:
            try:
                parsed = cst.parse_expression(text)
            except Exception:  # not an expression: not a type
                return None
            # Kept alive (values are memoised by node id), and parsed once per text.
            self._parsed_annotations[text] = parsed
        return parsed

    def _annotated_class(self, annotation: cst.BaseExpression, scope: Scope) -> Optional[str]:
        """The class of the project a parameter's annotation names (``context: Context``,
        ``"Context"``), if it names one."""
        written = self._annotation_expression(annotation)
        if not isinstance(written, (cst.Name, cst.Attribute)):
            return None
        named = self.value_of(written, scope)
        if not isinstance(named, Qual) or named.name.startswith(_BUILTINS_PREFIX):
            return None
        owner = named.name
        if owner.partition(".")[0] != self.binder.module_name.partition(".")[0]:
            return None  # another package's class: not one the project's flows can tell
        return owner if self._names_class(owner) else None

    def lookup(self, name: str, scope: Scope) -> Value:
        """The value a name has in ``scope``, when all its bindings agree."""
        sources = self._name_sources(name, scope)
        if sources is not None:
            bindings, writes = sources
            return self.with_writes(self.agree(bindings), writes)
        if self.module_scope.star_import:
            return self._star_imported(name)
        return Qual(f"builtins.{name}") if name in _BUILTIN_NAMES else UNKNOWN

    def _loop_bound(self, node: cst.Name, scope: Scope) -> Value:
        """The value of a name inside the body of a ``for`` loop that binds it, when its
        bindings elsewhere disagree (``for ref in ready: ray.get(ref)``, the name reused by
        a later loop over pending refs): the loop's binding, unless something in the body
        binds the name again (or a binding's place is not known)."""
        bindings = self.bindings_of(node.value, scope)
        if not bindings or len(bindings) < 2:
            return UNKNOWN
        best: Optional[Iterated] = None
        best_ids: FrozenSet[int] = frozenset()
        for binding in bindings:
            if isinstance(binding, Iterated) and binding.loop is not None:
                ids = self._node_ids(binding.loop)
                if id(node) in ids and (best is None or len(ids) < len(best_ids)):
                    best, best_ids = binding, ids
        if best is None:
            return UNKNOWN
        for binding in bindings:
            if binding is best:
                continue
            anchor = _binding_node(binding)
            if anchor is None or id(anchor) in best_ids:
                return UNKNOWN
        return self.agree([best])

    def _keyed_entry(self, node: cst.Subscript, scope: Scope) -> Value:
        """``d["queue"]`` of a dict whose every entry the code writes under a key spelled as
        a string (``{"queue": q}``, ``d["queue"] = q``): what is put under that key, when
        those values agree; unknown when any write's key is not such a string, the dict is
        updated wholesale, or nothing is put under the key (``self.components`` of verl's
        task runner, holding handles and plain objects under their names)."""
        key = string_key(node)
        sources = self._container_sources(node.value, scope) if key is not None else None
        if sources is None:
            return UNKNOWN
        bindings, writes = sources
        found: List[Value] = []
        for binding in bindings:
            if not (isinstance(binding, Assigned) and isinstance(binding.expression, cst.Dict)):
                return UNKNOWN
            for element in binding.expression.elements:
                if not (isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)):
                    return UNKNOWN  # ``**more``, or a key not spelled as a string
                if element.key.evaluated_value == key:
                    found.append(self.value_of(element.value, binding.scope))
        for write in writes:
            if write.spread or write.key is None:
                return UNKNOWN
            if write.key == key:
                found.append(self.value_of(write.expression, write.scope))
        return functools.reduce(join, found) if found else UNKNOWN

    def _container_sources(self, container: cst.BaseExpression, scope: Scope) -> Optional[_Sources]:
        """The bindings of the name or ``self`` attribute ``container`` is, and what code
        puts into it; None for any other expression."""
        if isinstance(container, cst.Name):
            return self._name_sources(container.value, scope)
        if isinstance(container, cst.Attribute) and isinstance(container.value, cst.Name):
            base = self.value_of(container.value, scope)
            if isinstance(base, SelfRef):
                return self._own_attribute_sources(base.cls, container.attr.value)
        return None

    def _name_sources(self, name: str, scope: Scope) -> Optional[_Sources]:
        """Every binding of ``name`` as seen from ``scope``, and what code puts into it."""
        owner = self._owner(name, scope)
        return (owner.bindings[name], owner.element_writes.get(name, [])) if owner is not None else None

    def _own_attribute_sources(self, cls: str, attr: str) -> Optional[_Sources]:
        """The bindings of ``self.attr`` that class ``cls`` of this module makes, and what
        code puts into it; None when the class makes none."""
        bindings = self.own_attribute(cls, attr)
        if bindings is None:
            return None
        return bindings, self._class_by_name[cls].attr_element_writes.get(attr, [])

    def _node_ids(self, body: cst.CSTNode) -> FrozenSet[int]:
        """The ids of every node in a loop body (computed once per body)."""
        known = self._loop_nodes.get(id(body))
        if known is None:
            found: Set[int] = set()
            stack: List[cst.CSTNode] = [body]
            while stack:
                current = stack.pop()
                found.add(id(current))
                stack.extend(child_nodes(current))  # code nodes: what a binding or a use is
            known = self._loop_nodes[id(body)] = frozenset(found)
        return known

    def _star_imported(self, name: str) -> Value:
        """A name no statement binds, in a module with star imports: the last star import
        known to export it, unless a later one from a module nothing is known about may
        bind it too (then it is unknown)."""
        assert self.semantics is not None
        for module in reversed(self.module_scope.star_modules):
            exported = self.semantics.exports(module) if module else None
            if exported is None:
                return UNKNOWN
            if name in exported:
                return Qual(f"{module}.{name}")
        return UNKNOWN

    def bindings_of(self, name: str, scope: Scope) -> Optional[List[Binding]]:
        """Every binding of ``name`` as seen from ``scope`` (LEGB, class bodies skipped)."""
        owner = self._owner(name, scope)
        return owner.bindings[name] if owner is not None else None

    def _owner(self, name: str, scope: Scope) -> Optional[Scope]:
        """The scope whose bindings of ``name`` code in ``scope`` sees."""
        current: Optional[Scope] = scope
        if name in scope.globals:
            current = self.module_scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent
                continue
            first = False
            if name in current.bindings:
                return current
            current = current.parent
        return None

    def agree(self, bindings: List[Binding], none_placeholder: bool = False) -> Value:
        """The value all bindings agree on, else UNKNOWN. ``none_placeholder`` (an
        attribute's bindings): a ``None`` stands for a value set later (``self.core = None``
        in ``__init__``) and agrees with a handle (or what may be one) or an instance."""
        result: Optional[Value] = None
        placeholder = False
        for binding in bindings:
            value = self._bound_value(binding)
            if none_placeholder and value == _NONE:
                placeholder = True
                continue
            result = value if result is None else join(result, value)
            if result is UNKNOWN:
                return UNKNOWN
        if result is None:
            return _NONE if placeholder else UNKNOWN
        if placeholder and not isinstance(result, (Handle, Symbol, Instance)):
            return UNKNOWN
        return result

    def _bound_value(self, binding: Binding) -> Value:
        if isinstance(binding, Assigned):
            return self.value_of(binding.expression, binding.scope)
        if isinstance(binding, Annotated):
            value = self.annotated(binding.annotation, binding.scope)
            if value is not UNKNOWN:
                return value
            otherwise = self.solved(binding.otherwise)
            cls = self._annotated_class(binding.annotation, binding.scope)
            if cls is not None and isinstance(otherwise, Symbol):
                self._annotated_classes[otherwise] = cls
            return otherwise
        if isinstance(binding, Iterated):
            return self._iterated(binding)
        if isinstance(binding, Unpacked):
            return self._unpacked(binding)
        if isinstance(binding, TaskSelf):
            # Not a bound task: what the parameter is otherwise (its annotation, its callers).
            task = self.semantics.task_self(binding.function)
            return task if task is not None else self._bound_value(binding.otherwise)
        return self.solved(binding)

    def _iterated(self, binding: Iterated) -> Value:
        container = self.value_of(binding.iterable, binding.scope)
        if isinstance(container, Handle) and binding.part is None:
            assert self.semantics is not None
            return self.semantics.element(container)  # ``for ref in ActorRegistry.get_all()``
        return containers.iterated(container, binding.part)

    def _unpacked(self, binding: Unpacked) -> Value:
        whole = self.value_of(binding.expression, binding.scope)
        if isinstance(whole, Many) and whole.kind == Many.PAIRS and not whole.empty:
            # ``path, future = pending.pop()``: a pair's second half.
            return whole.element if binding.index == 1 else UNKNOWN
        if isinstance(whole, Handle):
            role = UNPACKED_ROLES.get((whole.role, binding.index))
            return many(Handle(role)) if role is not None else UNKNOWN
        return UNKNOWN

    def with_writes(self, value: Value, writes: Optional[List[ElementWrite]]) -> Value:
        """A container's value once what code adds to it (``refs.append(ref)``) is in."""
        if not writes or not isinstance(value, Many):
            return value
        for write in writes:
            added = self.value_of(write.expression, write.scope)
            if write.spread:
                added = added if isinstance(added, Many) and added.kind == value.kind else UNKNOWN
            else:
                added = self._as_element(write.expression, added, value.kind)
                if value.empty and isinstance(added, Many) and added.kind == Many.PAIRS:
                    value = Many(UNKNOWN, Many.PAIRS, empty=True)  # ``pending = []``, pairs appended
            value = join(value, added)
            if not isinstance(value, Many):
                return UNKNOWN
        return value

    def attribute(self, base: Value, attr: str) -> Value:
        """The value of ``base.attr``."""
        assert self.semantics is not None
        if isinstance(base, Qual):
            return Qual(f"{base.name}.{attr}")
        if isinstance(base, Instance):
            return Qual(f"{base.type}.{attr}")
        if isinstance(base, Handle):
            return self.semantics.handle_attribute(base, attr)
        if isinstance(base, SelfRef):
            sources = self._own_attribute_sources(base.cls, attr)
            if sources is not None:
                bindings, writes = sources
                value = self.with_writes(self.agree(bindings, none_placeholder=True), writes)
                return self.semantics.named(value, f"self.{attr}")
            value = self.semantics.self_attribute(base.cls, attr)
            if not known(value):
                # Set by a base class or from outside: for inference across the program.
                value = self.solved(Symbol(Symbol.ATTRIBUTE, base.cls, attr))
            return self.semantics.named(value, f"self.{attr}")
        self.consult(base, attr)
        cls = self._instance_class(base)
        if cls is not None:
            # ``Context(core).core``, ``self.context.core``, ``context.core`` of a parameter
            # annotated ``Context``: an instance of a class of the project has the attribute
            # its methods set (solved as ``self.core`` inside it is). The value itself is
            # still assumed to be a handle too, in passes of its own (collect/
            # assumptions.py): a function may be named like a class, a handle annotated so.
            return self.solved(Symbol(Symbol.MEMBER, cls, attr))
        return UNKNOWN

    def _instance_class(self, value: Value) -> Optional[str]:
        """The class of the project ``value`` may be an instance of: what calling a class
        returns, or a parameter annotated with one."""
        if not isinstance(value, Symbol):
            return None
        if value.kind == Symbol.RETURNED:
            return value.owner if self._solvable(value) and self._names_class(value.owner) else None
        return self._annotated_classes.get(value)

    def _names_class(self, qualname: str) -> bool:
        """Whether ``qualname`` is a class: one this module defines, or, defined elsewhere,
        a name spelled as classes are (``Context``, not ``make_context``)."""
        if qualname in self._class_by_name:
            return True
        module, _, name = qualname.rpartition(".")
        return module != self.binder.module_name and name[:1].isupper() and not name.isupper()

    def class_info(self, cls: str) -> Optional[ClassInfo]:
        """Class ``cls`` when this module defines it."""
        return self._class_by_name.get(cls)

    def own_attribute(self, cls: str, attr: str) -> Optional[List[Binding]]:
        """The bindings of ``attr`` that class ``cls`` of this module makes (in its body
        or as ``self.attr`` in its methods), or None."""
        info = self._class_by_name.get(cls)
        if info is None:
            return None
        return info.attr_bindings.get(attr) or info.scope.bindings.get(attr)

    def returned(self, qualname: str) -> Value:
        """What a plain function of this module returns, when every ``return`` agrees on a
        handle (``def box_office(): return Seat.start()``)."""
        function = self.binder.functions.get(qualname)
        if function is None or function.is_async or not function.returns:
            return UNKNOWN
        value = self.agree(function.returns)
        return value if isinstance(value, Handle) else UNKNOWN

    def seconds_of(self, argument: Optional[cst.BaseExpression], scope: Scope) -> Optional[float]:
        """A number of seconds written as a literal or a module-level constant."""
        if argument is None:
            return None
        value = self.value_of(argument, scope)
        if is_number(value):
            return float(value.value)  # type: ignore[union-attr]
        if isinstance(argument, cst.Call) and not any(arg.star for arg in argument.args) \
                and self.value_of(argument.func, scope) == Qual(_TIMEDELTA):
            return self._timedelta_seconds(argument, scope)
        return None

    def _timedelta_seconds(self, node: cst.Call, scope: Scope) -> Optional[float]:
        """``timedelta(seconds=5)`` and friends, in seconds (Thespian takes timedeltas)."""
        total = 0.0
        for index, (name, scale) in enumerate(_TIMEDELTA_FIELDS):
            argument = find_arg(node, Param(name, index))
            if argument is None:
                continue
            value = self.value_of(argument, scope)
            if not is_number(value):
                return None
            total += float(value.value) * scale  # type: ignore[union-attr]
        return total
