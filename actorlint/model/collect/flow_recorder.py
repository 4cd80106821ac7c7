"""Records a module's flows (model/flows.py) during its plain interpretation: the calls
of project functions and classes with what they pass, the methods called on objects that
cannot be placed, and, once the module is interpreted, its signatures, returns, class
shapes and the callables it lets escape."""

from __future__ import annotations

from typing import FrozenSet, Iterator, List, Optional, Set, Tuple

import libcst as cst

from actorlint.model.collect.binder import Binder
from actorlint.model.collect.evaluator import Evaluator
from actorlint.model.collect.scopes import Assigned, Scope, enclosing_class
from actorlint.model.flows import CallFlow, ClassShape, Flows, Signature, Source
from actorlint.model.values import Handle, Qual, Symbol, Value

__all__ = ["FlowRecorder"]

_BUILTINS = "builtins."
# Calls whose class or function arguments are only inspected, never called.
_INSPECTING = frozenset({
    "builtins.isinstance", "builtins.issubclass", "builtins.type", "builtins.id", "builtins.repr",
    "builtins.str", "builtins.print", "builtins.hasattr", "builtins.getattr", "builtins.callable",
    "typing.cast", "typing_extensions.cast",
})
_NOT_ESCAPING_DECORATORS = frozenset({"builtins.staticmethod", "builtins.classmethod", "builtins.property"})
_VALUE_NODES = (cst.Name, cst.Attribute)


class FlowRecorder:
    """Collects one module's flows; the interpreter reports calls to it as it goes."""

    def __init__(self, evaluator: Evaluator) -> None:
        self.values = evaluator
        self.binder: Binder = evaluator.binder
        self.calls: List[CallFlow] = []
        self.dynamic: Set[str] = set()
        # Calls a framework member interpreted: their arguments are the framework's.
        self.framework_calls: Set[int] = set()

    # -- during interpretation ------------------------------------------------------------
    def call(self, callee: str, node: cst.Call, scope: Scope, how: str = "call", method: str = "") -> None:
        """A call of a project function or class (or ``super().method``)."""
        if callee.startswith(_BUILTINS):
            return
        positional: List[Optional[Source]] = []
        keywords: List[Tuple[str, Optional[Source]]] = []
        spread = False
        for arg in node.args:
            if arg.star:
                spread = spread or arg.star == "*"
                continue
            source = self.source(self.values.value_of(arg.value, scope))
            if arg.keyword is not None:
                keywords.append((arg.keyword.value, source))
            elif not spread:  # after ``*args``, a positional's place is not known
                positional.append(source)
        self.calls.append(CallFlow(callee, how, tuple(positional), tuple(keywords), method))

    def framework_call(self, node: cst.Call, scope: Scope, constructed: Optional[str]) -> None:
        """A call a framework member interprets (its arguments are the framework's, not
        escapes); ``constructed``: the actor class whose ``__init__`` gets them, if any."""
        self.framework_calls.add(id(node))
        if constructed:
            self.call(constructed, node, scope)

    def super_call(self, node: cst.Call, scope: Scope) -> bool:
        """``super().m(...)`` in a method: record it; False when ``node`` is not one."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call)
                and isinstance(func.value.func, cst.Name) and func.value.func.value == "super"):
            return False
        cls = enclosing_class(scope)
        if cls is None:
            return False
        self.call(cls, node, scope, "super", func.attr.value)
        return True

    def dynamic_method(self, name: str) -> None:
        """A method called on an object the collector cannot place."""
        self.dynamic.add(name)

    @staticmethod
    def source(value: Value) -> Optional[Source]:
        """What flows, as plain data: a handle, a symbol, or None for anything else."""
        if isinstance(value, Handle):
            return Source(value.role, value.actor)
        if isinstance(value, Symbol):
            return Source(symbol=value)
        return None

    # -- once the module is interpreted ---------------------------------------------------
    def flows(self) -> Flows:
        """The module's flows."""
        return Flows(
            calls=tuple(self.calls),
            signatures=tuple(self._signatures()),
            returns=tuple(self._returns()),
            classes=tuple(self._classes()),
            escapes=self._escapes(),
            dynamic_methods=frozenset(self.dynamic),
            imported=frozenset(b.name for bindings in self.binder.module_scope.bindings.values()
                               for b in bindings if isinstance(b, Qual)),
        )

    def _signatures(self) -> List[Signature]:
        found = []
        for qualname, scope in self.binder.functions.items():
            params = scope.params
            if params is None:
                continue
            positional = [p.name.value for p in (*params.posonly_params, *params.params)]
            method = scope.self_name is not None and bool(positional) and positional[0] == scope.self_name
            if method:
                positional = positional[1:]
            defaults = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)
                        if p.default is not None}
            found.append(Signature(qualname, tuple(positional), tuple(p.name.value for p in params.kwonly_params),
                                   frozenset(defaults), method))
        return found

    def _returns(self) -> List[Tuple[str, Source]]:
        found = []
        for qualname, scope in self.binder.functions.items():
            if scope.is_async or not scope.returns:
                continue
            source = self.source(self.values.agree(scope.returns))
            if source is not None:
                found.append((qualname, source))
        return found

    def _classes(self) -> List[ClassShape]:
        found = []
        for info in self.binder.classes:
            outer = info.scope.parent or self.binder.module_scope
            bases = tuple(value.name for value in (self.values.value_of(b, outer) for b in info.bases)
                          if isinstance(value, Qual))
            attributes = []
            for attr, bindings in info.attr_bindings.items():
                attributes.append((attr, self.source(self.values.agree(bindings, none_placeholder=True))))
            methods = frozenset(node.name.value for node, _ in info.methods)
            found.append(ClassShape(info.qualname, bases, methods, tuple(attributes)))
        return found

    def _escapes(self) -> FrozenSet[str]:
        """Functions and classes used as values: passed to calls the inference does not
        follow, put in containers, stored, returned, or decorated."""
        escaped: Set[str] = set()

        def note(node: cst.BaseExpression, scope: Scope) -> None:
            elements: List[cst.BaseExpression] = [node]
            if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
                elements = [e.value for e in node.elements]
            elif isinstance(node, cst.Dict):
                elements = [e.value for e in node.elements if isinstance(e, cst.DictElement)]
            for element in elements:
                if isinstance(element, _VALUE_NODES):
                    value = self.values.value_of(element, scope)
                    if isinstance(value, Qual) and not value.name.startswith(_BUILTINS):
                        escaped.add(value.name)

        for candidate in self.binder.candidates:
            node = candidate.node
            if candidate.kind != "call" or id(node) in self.framework_calls:
                continue
            assert isinstance(node, cst.Call)
            callee = self.values.value_of(node.func, candidate.scope)
            if isinstance(callee, Qual) and callee.name in _INSPECTING:
                continue
            for arg in node.args:
                note(arg.value, candidate.scope)
        for binding in self._stored_values():
            note(binding.expression, binding.scope)
        for qualname, (decorators, scope) in self.binder.decorated.items():
            names = [self.values.value_of(d.func if isinstance(d, cst.Call) else d, scope) for d in decorators]
            if not all(isinstance(n, Qual) and n.name in _NOT_ESCAPING_DECORATORS for n in names):
                escaped.add(qualname)
        return frozenset(escaped)

    def _stored_values(self) -> Iterator[Assigned]:
        """Every expression the module assigns to a name or a ``self`` attribute, or returns."""
        scopes = [self.binder.module_scope, *self.binder.functions.values()]
        groups = [bindings for scope in scopes for bindings in scope.bindings.values()]
        groups += [scope.returns for scope in scopes]
        groups += [bindings for info in self.binder.classes for bindings in info.attr_bindings.values()]
        for bindings in groups:
            yield from (binding for binding in bindings if isinstance(binding, Assigned))
