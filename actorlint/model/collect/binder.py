"""The binder: one walk over a module records its scopes, imports, bindings, classes,
functions and the nodes that may become sites (with their control context); its import
statements are import_binder.py's.

Bindings are flow-insensitive: a name has a value only when every assignment to it in
its scope agrees (the evaluator decides that later). That misses some code and never
guesses.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst

from actorlint.model.collect.import_binder import ImportBinder
from actorlint.model.collect.narrowing import Narrowing, narrowing_of
from actorlint.model.collect.scopes import (
    Annotated, Assigned, Assignment, Binding, ClassInfo, ElementWrite, Iterated, Scope, TaskSelf, Unpacked,
    function_scope,
)
from actorlint.model.collect.state_writes import StateWrites
from actorlint.model.syntax import simple_name, string_key
from actorlint.model.values import UNKNOWN, Const, Qual, SelfRef, Symbol

__all__ = ["Binder"]


class Binder(StateWrites, ImportBinder):
    """Records scopes, bindings, classes and candidate nodes in one pass."""

    def __init__(self, module_name: str, is_package: bool, setting_names: frozenset = frozenset()) -> None:
        super().__init__()
        self.module_name = module_name
        self.is_package = is_package
        # Framework settings that bound handlers, and where they are assigned:
        # (setting name, assigned value, scope).
        self.setting_names = setting_names
        self.settings: List[Tuple[str, cst.BaseExpression, Scope]] = []
        self.module_scope = Scope("module", module_name, None)
        self.scope = self.module_scope
        self.classes: List[ClassInfo] = []
        # Every function by qualified name, for the values they return.
        self.functions: Dict[str, Scope] = {}
        # Decorated functions: qualname -> (decorator expressions, scope they run in).
        self.decorated: Dict[str, Tuple[List[cst.BaseExpression], Scope]] = {}
        # Decorated functions outside classes (possible tasks): (def, its scope, outer scope).
        self.decorated_functions: List[Tuple[cst.FunctionDef, Scope, Scope]] = []
        # Inside ``except ImportError:`` (a fallback for an optional import).
        self.import_fallback = False
        # The top-level packages the module imports from, anywhere in it.
        self.imported_packages: Set[str] = set()
        # Each comprehension's own scope, by node id: where its element is evaluated.
        self.comprehension_scopes: Dict[int, Scope] = {}
        # ``if isinstance(name, Type):`` blocks, read by the evaluator (narrowing.py).
        self.narrowings: List[Narrowing] = []

    # -- scopes ------------------------------------------------------------------------
    def _push(self, kind: str, name: str) -> Scope:
        parent = self.scope
        if parent.kind in ("module", "class"):
            qualname = f"{parent.qualname}.{name}"
        else:
            qualname = f"{parent.qualname}.<locals>.{name}"
        self.scope = Scope(kind, qualname, parent)
        return self.scope

    def _pop(self) -> None:
        assert self.scope.parent is not None
        self.scope = self.scope.parent

    def _bind(self, name: str, binding: Binding) -> None:
        scope = self.scope
        if name in scope.globals:
            scope = self.module_scope
        elif name in scope.nonlocals:
            outer = scope.parent
            while outer is not None and not (outer.kind == "function" and name in outer.bindings):
                outer = outer.parent
            scope = outer or scope
        elif scope.kind == "comprehension":  # walrus binds in the enclosing function
            while scope.kind == "comprehension" and scope.parent is not None:
                scope = scope.parent
        scope.bindings.setdefault(name, []).append(binding)

    def _assigned(self, value: Optional[cst.BaseExpression]) -> Binding:
        return Assigned(value, self.scope) if value is not None else UNKNOWN

    def _bind_target(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression],
                     iterated: Optional[Union[Iterated, Unpacked]] = None) -> None:
        """Bind an assignment target to ``value`` (None: an unknown value), or, for a loop
        target, to ``iterated``: an element of what the loop iterates (or an item of a
        value taken apart)."""
        if isinstance(target, cst.Name):
            if not self._is_import_placeholder(target.value):
                self._bind(target.value, iterated if iterated is not None else self._assigned(value))
            self._record_assignment(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = [e.value for e in target.elements]
            values: Sequence[Optional[cst.BaseExpression]] = [None] * len(elements)
            if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(elements) \
                    and not any(isinstance(e, cst.StarredElement) for e in value.elements):
                values = [e.value for e in value.elements]
            # ``ready, pending = ray.wait(refs)``: items of a value that is not a display.
            unpacks = iterated is None and value is not None and values[0] is None \
                and not any(isinstance(e, cst.StarredElement) for e in target.elements)
            for index, (element, element_value) in enumerate(zip(elements, values)):
                # ``for key, worker in pairs``: the parts of each pair, one level deep.
                part: Optional[Union[Iterated, Unpacked]] = iterated._replace(part=index) \
                    if isinstance(iterated, Iterated) and iterated.part is None and len(elements) == 2 else None
                if unpacks:
                    assert value is not None
                    part = Unpacked(value, self.scope, index)
                self._bind_target(element, element_value, part)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, None)
        elif isinstance(target, (cst.Attribute, cst.Subscript)):
            self.note_target_write(target)
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            cls = self._method_class()
            if cls is not None and target.value.value == self.scope.self_name:
                cls.attr_bindings.setdefault(target.attr.value, []).append(self._assigned(value))
        elif isinstance(target, cst.Subscript) and value is not None:
            self._note_element_write(target.value, value, spread=False, key=string_key(target))  # ``d[k] = v``

    def _note_element_write(self, container: cst.BaseExpression, value: cst.BaseExpression, spread: bool,
                            key: Optional[str] = None) -> None:
        """Something added to the container ``container`` names (a name or ``self.attr``)."""
        write = ElementWrite(value, self.scope, spread, key)
        if isinstance(container, cst.Name):
            owner = self._scope_binding(container.value)
            owner.element_writes.setdefault(container.value, []).append(write)
        elif isinstance(container, cst.Attribute) and isinstance(container.value, cst.Name):
            cls = self._method_class()
            if cls is not None and container.value.value == self.scope.self_name:
                cls.attr_element_writes.setdefault(container.attr.value, []).append(write)

    def _scope_binding(self, name: str) -> Scope:
        """The scope whose binding of ``name`` the current code sees so far (class bodies
        skipped, as for name lookup); the current scope when none binds it yet."""
        current: Optional[Scope] = self.scope
        if name in self.scope.globals:
            return self.module_scope
        while current is not None:
            if name in current.bindings and (current.kind != "class" or current is self.scope):
                return current
            current = current.parent
        return self.scope

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        self.note_call_write(node)
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _ELEMENT_ADDERS and node.args \
                and not any(arg.star or arg.keyword for arg in node.args):
            spread, position = _ELEMENT_ADDERS[func.attr.value]
            if len(node.args) > position:
                self._note_element_write(func.value, node.args[position].value, spread)

    def visit_If(self, node: cst.If) -> bool:
        narrowing = narrowing_of(node, self.scope)
        if narrowing is not None:
            self.narrowings.append(narrowing)
        return super().visit_If(node)

    def _method_class(self) -> Optional[ClassInfo]:
        return self.scope.cls if self.scope.kind == "function" else None

    def _record_assignment(self, name: str, value: Optional[cst.CSTNode],
                           inside: Optional[int] = None, element: bool = False) -> None:
        """Note an assignment; ``inside``: the block it belongs to (a loop target's body);
        ``element``: the name takes one element of ``value`` (a loop target)."""
        self.order += 1
        blocks = tuple(self.blocks) + ((inside,) if inside is not None else ())
        function_scope(self.scope).assignments.append(Assignment(name, self.order, value, blocks, element))

    # -- definitions -------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        for decorator in node.decorators:
            self.walk(decorator)
        for arg in node.bases:
            self.walk(arg)
        for arg in node.keywords:
            self.walk(arg)
        outer = self.scope
        scope = self._push("class", node.name.value)
        info = ClassInfo(scope.qualname, node, scope)
        info.bases = [arg.value for arg in node.bases]
        info.decorators = [d.decorator for d in node.decorators]
        self.classes.append(info)
        scope.cls = info
        # The class name is bound in the outer scope; bases are evaluated there too.
        outer.bindings.setdefault(node.name.value, []).append(Qual(scope.qualname))
        self.walk(node.body)
        self._pop()
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for decorator in node.decorators:
            self.walk(decorator)
        self.walk(node.params)  # defaults and annotations run in the outer scope
        outer = self.scope
        self._bind(node.name.value, Qual(f"{outer.qualname}.{node.name.value}"))
        if node.decorators:
            self.decorated[f"{outer.qualname}.{node.name.value}"] = (
                [d.decorator for d in node.decorators], outer,
            )
        scope = self._push("function", node.name.value)
        scope.is_async = node.asynchronous is not None
        scope.params = node.params
        self.functions[scope.qualname] = scope
        if node.decorators and outer.kind != "class":
            self.decorated_functions.append((node, scope, outer))
        if outer.kind == "class" and outer.cls is not None:
            outer.cls.methods.append((node, scope))
            scope.cls = outer.cls
            is_static = any(simple_name(d.decorator) in ("staticmethod", "classmethod")
                            for d in node.decorators)
            positional = list(node.params.posonly_params) + list(node.params.params)
            if positional and not is_static:
                scope.self_name = positional[0].name.value
        self._bind_params(node.params, scope)
        with self.fresh_context():
            self.walk(node.body)
        self._pop()
        return False

    def _bind_params(self, params: cst.Parameters, scope: Scope) -> None:
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        if isinstance(params.star_arg, cst.Param):
            every.append(params.star_arg)
        if params.star_kwarg is not None:
            every.append(params.star_kwarg)
        plain = {id(p) for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        positional = [*params.posonly_params, *params.params]
        # A decorated function's first parameter may be the task itself (``bind=True``).
        task_self = positional[0] if positional and scope.qualname in self.decorated \
            and scope.parent is not None and scope.parent.kind != "class" else None
        for param in every:
            name = param.name.value
            # A plain parameter is whatever its callers pass: a symbol for inference
            # across the program (``*args`` and ``**kwargs`` hold containers).
            binding: Binding = Symbol(Symbol.PARAMETER, scope.qualname, name) if id(param) in plain else UNKNOWN
            if name == scope.self_name and scope.cls is not None:
                binding = SelfRef(scope.cls.qualname)
            elif param.annotation is not None and scope.parent is not None:
                # Annotations are evaluated where the function is defined.
                binding = Annotated(param.annotation.annotation, scope.parent, binding)
            if param is task_self:
                binding = TaskSelf(scope.qualname, binding)
            scope.bindings.setdefault(name, []).append(binding)

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        scope = self._push("lambda", "<lambda>")
        self._bind_params(node.params, scope)
        with self.fresh_context():
            self.walk(node.body)
        self._pop()
        return False

    def _visit_comprehension(self, node: cst.CSTNode) -> bool:
        first = node.for_in  # type: ignore[attr-defined]
        self.walk(first.iter)  # evaluated once, in the enclosing scope
        outer = self.scope
        self._push("comprehension", "<comprehension>")
        self.scope.qualname = outer.qualname
        self.comprehension_scopes[id(node)] = self.scope
        with self.inside_loop(node):  # the rest repeats for every item, like a loop body
            self._visit_comp_for(first, outer, skip_iter=True)
            for part in ("elt", "key", "value"):
                child = getattr(node, part, None)
                if child is not None:
                    self.walk(child)
        self._pop()
        return False

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comprehension

    def _visit_comp_for(self, node: cst.CompFor, iter_scope: Scope, skip_iter: bool = False) -> None:
        self._bind_target(node.target, None, Iterated(node.iter, iter_scope))
        if not skip_iter:
            self.walk(node.iter)
        for condition in node.ifs:
            self.walk(condition)
        if node.inner_for_in is not None:
            self._visit_comp_for(node.inner_for_in, self.scope)

    def visit_Return(self, node: cst.Return) -> None:
        function = function_scope(self.scope)
        function.returns.append(Assigned(node.value, self.scope) if node.value is not None else Const(None))

    def visit_Global(self, node: cst.Global) -> None:
        self.scope.globals.update(n.name.value for n in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.scope.nonlocals.update(n.name.value for n in node.names)

    # -- bindings ----------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target, node.value)
            if isinstance(target.target, cst.Attribute):
                self.candidate("setattr", target.target)
            self._note_setting(target.target, node.value)

    def _note_setting(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        """``app.conf.task_time_limit = 30``, or ``task_time_limit = 30`` in a settings module
        or a settings class's body (both loaded with ``app.config_from_object(...)``)."""
        if isinstance(target, cst.Attribute):
            name = target.attr.value
        elif isinstance(target, cst.Name) and (self.scope is self.module_scope or self.scope.kind == "class"):
            name = target.value
        else:
            return
        if name in self.setting_names:
            self.settings.append((name, value, self.scope))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind_target(node.target, node.value)
            self._note_setting(node.target, node.value)
            return
        # ``seats: ActorProxy[Seat]`` in a class body or ``self.seats: ...`` in a method
        # declares what the name will hold.
        declared = Annotated(node.annotation.annotation, self.scope)
        target = node.target
        if isinstance(target, cst.Name):
            self.scope.bindings.setdefault(target.value, []).append(declared)
        elif isinstance(target, (cst.Attribute, cst.Subscript)):
            self.note_target_write(target)
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            cls = self._method_class()
            if cls is not None and target.value.value == self.scope.self_name:
                cls.attr_bindings.setdefault(target.attr.value, []).append(declared)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            # The new value derives from the old one: the reply flow follows ``n += 1``.
            self._bind(node.target.value, UNKNOWN)
            self._record_assignment(node.target.value, node)
        else:
            self._bind_target(node.target, None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, node.value)

    def visit_For(self, node: cst.For) -> bool:
        self.walk(node.iter)
        self._bind_target(node.target, None, Iterated(node.iter, self.scope, loop=node.body))
        for name in _target_names(node.target):
            self._record_assignment(name, node.iter, inside=id(node.body), element=True)
        self.walk(node.target)
        with self.inside_loop(node):
            self.walk(node.body)
        if node.orelse is not None:
            self.walk(node.orelse)
        return False

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name, node.item)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_target(node.name.name, None)

    def visit_Del(self, node: cst.Del) -> None:
        self._bind_target(node.target, None)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self._bind_target(node.name, None)


# Methods that add to a container: name -> (adds a whole container, argument position).
_ELEMENT_ADDERS = {
    "append": (False, 0), "add": (False, 0), "appendleft": (False, 0), "insert": (False, 1),
    "extend": (True, 0), "update": (True, 0),
    "setdefault": (False, 1),
}


def _target_names(target: cst.BaseExpression) -> List[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _target_names(element.value)]
    return []
