"""The collector: one LibCST pass over a module turns it into ``FileFacts``.

The pass keeps its own scopes, import table and local bindings (LibCST's scope and
qualified-name providers cost several times the parse). It records bindings and the
nodes that may matter (calls, awaits, attribute assignments) while visiting; once the
whole module is seen, it evaluates those nodes (a name's value depends on every
assignment to it, wherever it stands) and asks for positions of the few nodes that
became facts.

Bindings are flow-insensitive: a name has a value only when every assignment to it in
its scope agrees. That misses some code and never guesses.
"""

from __future__ import annotations

import builtins
import math
from dataclasses import replace
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple

import libcst as cst

from actorlint.diagnostics import Span
from actorlint.model import blocking as blocking_table
from actorlint.model.definitions import (
    MethodRecord, TaskRecord, keyword_anchor, limit_settings, module_instances,
)
from actorlint.model.facts import ClassFact, FileFacts, HandleFact, Payload, Site, TaskFact, Timeout
from actorlint.model.frameworks import (
    ALL_ARGUMENTS, AWAITABLE, BUILTIN_CATALOG, ELEMENT_ROLES, FACTORIES, HANDLE_ANNOTATIONS,
    IN_PROCESS_VARIANTS, PROXY_MEMBER_CALL, PROXY_SETATTR, TASK_MEMBERS,
    TIME_LIMIT_SECONDS_CALL, TIME_LIMITERS, Catalog, Member, Param, framework_of_role,
)
from actorlint.model.import_placement import added_import, import_block
from actorlint.model.libcst_internals.positions import Positions, locate
from actorlint.model.libcst_internals.walk import Walker
from actorlint.model.payloads import BOUNDED_BY_ARGUMENT, LARGE_VALUE_CALLS, STATE_CALLS
from actorlint.model.placement import LineOffsets, Wanted
from actorlint.model.reply_flow import dependencies, function_scope
from actorlint.model.syntax import callee, dotted, find_arg, is_number, qualname_of, simple_name
from actorlint.model.values import UNKNOWN, Const, Handle, Instance, Qual, SelfRef, Value

__all__ = ["collect"]

_BUILTIN_NAMES = frozenset(dir(builtins))
# Line breaks as LibCST counts them for positions.
_CONSTANT_NAMES = {"None": Const(None), "True": Const(True), "False": Const(False)}
_INFINITE_QUALS = frozenset({"math.inf", "numpy.inf", "float.inf"})
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
# The role of an actor's own members reached through `self` (`self.send`), per framework.
_FRAMEWORK_SELF_ROLE = "{}.self"


class _Scope:
    """A module, class, function, lambda or comprehension scope and its bindings."""

    __slots__ = (
        "kind", "qualname", "parent", "bindings", "globals", "nonlocals", "cls",
        "self_name", "is_async", "star_import", "assignments", "returns",
    )

    def __init__(self, kind: str, qualname: str, parent: Optional["_Scope"]) -> None:
        self.kind = kind
        self.qualname = qualname
        self.parent = parent
        # name -> list of bindings: a Value, or (expression, scope it is evaluated in)
        self.bindings: Dict[str, List[object]] = {}
        self.globals: Set[str] = set()
        self.nonlocals: Set[str] = set()
        self.cls: Optional[_ClassInfo] = None
        self.self_name: Optional[str] = None
        self.is_async = False
        self.star_import = False
        # Every assignment to a plain name, in source order: (name, order, the expression
        # the value comes from or None when unknown, the blocks it stands in).
        # ``for x in xs`` counts, from ``xs``.
        self.assignments: List[Tuple[str, int, Optional[cst.BaseExpression], Tuple[int, ...]]] = []
        # What ``return`` statements give back: (expression, scope) or UNKNOWN.
        self.returns: List[object] = []


class _ClassInfo:
    """A class seen in the module, with the ``self.<attr>`` assignments of its methods."""

    __slots__ = ("qualname", "node", "scope", "methods", "attr_bindings", "bases", "decorators")

    def __init__(self, qualname: str, node: cst.ClassDef, scope: _Scope) -> None:
        self.qualname = qualname
        self.node = node
        self.scope = scope  # the class body scope
        self.methods: List[Tuple[cst.FunctionDef, _Scope]] = []
        self.attr_bindings: Dict[str, List[object]] = {}
        self.bases: List[cst.BaseExpression] = []
        self.decorators: List[cst.BaseExpression] = []


class _Annotated:
    """A binding known only from its type annotation (a parameter, a declaration)."""

    __slots__ = ("annotation", "scope")

    def __init__(self, annotation: cst.BaseExpression, scope: "_Scope") -> None:
        self.annotation = annotation
        self.scope = scope


class _Candidate:
    """A node that may become a site, with the scope and statement it stands in."""

    __slots__ = ("kind", "node", "scope", "statement", "dropped", "guards", "loop", "order", "blocks")

    def __init__(self, kind: str, node: cst.CSTNode, scope: _Scope,
                 statement: Optional[cst.CSTNode], dropped: bool,
                 guards: Tuple[cst.BaseExpression, ...], loop: Optional[cst.CSTNode],
                 order: int, blocks: Tuple[int, ...]) -> None:
        self.kind = kind
        self.node = node
        self.scope = scope
        self.statement = statement
        self.dropped = dropped
        # Expressions whose value decides whether this node runs: enclosing if/while/
        # ternary tests, left operands of and/or, asserts and early-exit tests before it.
        self.guards = guards
        # The innermost loop of the same function around the node, if any.
        self.loop = loop
        # Position in source order among candidates and assignments, and the blocks
        # (indented suites, innermost last) the node stands in.
        self.order = order
        self.blocks = blocks


class _Visitor(Walker):
    """Records scopes, bindings, classes and candidate nodes in one pass."""

    def __init__(self, module_name: str, is_package: bool, setting_names: frozenset = frozenset()) -> None:
        super().__init__()
        self.module_name = module_name
        # Framework settings that bound handlers, and where they are assigned:
        # (setting name, assigned value, scope).
        self.setting_names = setting_names
        self.settings: List[Tuple[str, cst.BaseExpression, "_Scope"]] = []
        self.is_package = is_package
        self.module_scope = _Scope("module", module_name, None)
        self.scope = self.module_scope
        self.classes: List[_ClassInfo] = []
        self.candidates: List[_Candidate] = []
        # Every function by qualified name, for the values they return.
        self.functions: Dict[str, _Scope] = {}
        # Decorated functions: qualname -> (decorator expressions, scope they run in).
        self.decorated: Dict[str, Tuple[List[cst.BaseExpression], _Scope]] = {}
        # Decorated functions outside classes (possible tasks): (def, its scope, outer scope).
        self.decorated_functions: List[Tuple[cst.FunctionDef, "_Scope", "_Scope"]] = []
        # Guard tests around the current node, and per enclosing block the tests that
        # earlier statements of the block made binding (asserts, ``if not x: return``).
        self.guards: List[cst.BaseExpression] = []
        self.block_guards: List[List[cst.BaseExpression]] = [[]]
        self.loops: List[cst.CSTNode] = []
        self.order = 0
        self.blocks: List[int] = []
        # ``elif`` branches -> the If they continue (nothing can be inserted before one).
        self.elifs: Dict[int, cst.If] = {}
        self.dropped: Set[int] = set()

    # -- scopes ------------------------------------------------------------------------
    def _push(self, kind: str, name: str) -> _Scope:
        parent = self.scope
        if parent.kind == "module":
            qualname = f"{parent.qualname}.{name}"
        elif parent.kind == "class":
            qualname = f"{parent.qualname}.{name}"
        else:
            qualname = f"{parent.qualname}.<locals>.{name}"
        self.scope = _Scope(kind, qualname, parent)
        return self.scope

    def _pop(self) -> None:
        assert self.scope.parent is not None
        self.scope = self.scope.parent

    def _bind(self, name: str, binding: object) -> None:
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

    def _bind_target(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression]) -> None:
        """Bind an assignment target to ``value`` (None: an unknown value)."""
        if isinstance(target, cst.Name):
            self._bind(target.value, (value, self.scope) if value is not None else UNKNOWN)
            self._record_assignment(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = [e.value for e in target.elements]
            values: Sequence[Optional[cst.BaseExpression]] = [None] * len(elements)
            if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(elements) \
                    and not any(isinstance(e, cst.StarredElement) for e in value.elements):
                values = [e.value for e in value.elements]
            for element, element_value in zip(elements, values):
                self._bind_target(element, element_value)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, None)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            cls = self._method_class()
            if cls is not None and target.value.value == self.scope.self_name:
                cls.attr_bindings.setdefault(target.attr.value, []).append(
                    (value, self.scope) if value is not None else UNKNOWN
                )

    def _method_class(self) -> Optional[_ClassInfo]:
        return self.scope.cls if self.scope.kind == "function" else None

    # -- statements --------------------------------------------------------------------
    def _candidate(self, kind: str, node: cst.CSTNode) -> None:
        statement = self.statements[-1] if self.statements else None
        guards = tuple(self.guards) + tuple(g for block in self.block_guards for g in block)
        self.order += 1
        self.candidates.append(_Candidate(
            kind, node, self.scope, statement, id(node) in self.dropped, guards,
            self.loops[-1] if self.loops else None, self.order, tuple(self.blocks),
        ))

    def _record_assignment(self, name: str, value: Optional[cst.BaseExpression],
                           inside: Optional[int] = None) -> None:
        """Note an assignment; ``inside``: the block it belongs to (a loop target's body)."""
        self.order += 1
        blocks = tuple(self.blocks) + ((inside,) if inside is not None else ())
        function_scope(self.scope).assignments.append((name, self.order, value, blocks))

    # -- guards ------------------------------------------------------------------------
    def _guarded(self, test: cst.BaseExpression, *parts: Optional[cst.CSTNode]) -> None:
        self.guards.append(test)
        for part in parts:
            if part is not None:
                self.walk(part)
        self.guards.pop()

    def visit_If(self, node: cst.If) -> bool:
        if isinstance(node.orelse, cst.If):
            self.elifs[id(node.orelse)] = node
        self.walk(node.test)
        self._guarded(node.test, node.body, node.orelse)
        if node.orelse is None and _ends_with_exit(node.body):
            self.block_guards[-1].append(node.test)  # ``if not ok: return`` guards the rest
        return False

    def visit_While(self, node: cst.While) -> bool:
        self.loops.append(node)  # the test runs on every iteration too
        self.walk(node.test)
        self._guarded(node.test, node.body)
        self.loops.pop()
        if node.orelse is not None:
            self.walk(node.orelse)
        return False

    def visit_IfExp(self, node: cst.IfExp) -> bool:
        self.walk(node.test)
        self._guarded(node.test, node.body, node.orelse)
        return False

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> bool:
        self.walk(node.left)
        self._guarded(node.left, node.right)
        return False

    def leave_Assert(self, original_node: cst.Assert) -> None:
        self.block_guards[-1].append(original_node.test)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.block_guards.append([])
        self.blocks.append(id(node))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        self.block_guards.pop()
        self.blocks.pop()

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self.blocks.append(id(node))

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite) -> None:
        self.blocks.pop()

    # -- imports -----------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            name = dotted(alias.name)
            if name is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._bind(alias.asname.name.value, Qual(name))
            else:
                top = name.split(".", 1)[0]
                self._bind(top, Qual(top))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        base = self._import_base(node)
        if isinstance(node.names, cst.ImportStar):
            self.scope.star_import = True
            return False
        for alias in node.names:
            name = dotted(alias.name)
            if name is None:
                continue
            bound = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bound = alias.asname.name.value
            self._bind(bound, Qual(f"{base}.{name}") if base else UNKNOWN)
        return False

    def _import_base(self, node: cst.ImportFrom) -> Optional[str]:
        module = dotted(node.module) if node.module is not None else None
        level = len(node.relative)
        if level == 0:
            return module
        parts = self.module_name.split(".")
        if not self.is_package:
            parts = parts[:-1]
        if level - 1 > len(parts) or (level - 1 == len(parts) and not module):
            return None
        parts = parts[: len(parts) - (level - 1)]
        if module:
            parts.append(module)
        return ".".join(parts) or None

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
        info = _ClassInfo(scope.qualname, node, scope)
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
        self._visit_body_afresh(node.body)
        self._pop()
        return False

    def _visit_body_afresh(self, body: cst.CSTNode) -> None:
        """Visit a function body: guards and loops around the ``def`` do not run with it."""
        saved = (self.guards, self.block_guards, self.loops)
        self.guards, self.block_guards, self.loops = [], [[]], []
        self.walk(body)
        self.guards, self.block_guards, self.loops = saved

    def _bind_params(self, params: cst.Parameters, scope: _Scope) -> None:
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        if isinstance(params.star_arg, cst.Param):
            every.append(params.star_arg)
        if params.star_kwarg is not None:
            every.append(params.star_kwarg)
        for param in every:
            name = param.name.value
            if name == scope.self_name and scope.cls is not None:
                scope.bindings.setdefault(name, []).append(SelfRef(scope.cls.qualname))
            elif param.annotation is not None and scope.parent is not None:
                # Annotations are evaluated where the function is defined.
                scope.bindings.setdefault(name, []).append(
                    _Annotated(param.annotation.annotation, scope.parent)
                )
            else:
                scope.bindings.setdefault(name, []).append(UNKNOWN)

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        scope = self._push("lambda", "<lambda>")
        self._bind_params(node.params, scope)
        self._visit_body_afresh(node.body)
        self._pop()
        return False

    def _visit_comprehension(self, node: cst.CSTNode) -> bool:
        first = node.for_in  # type: ignore[attr-defined]
        self.walk(first.iter)  # evaluated once, in the enclosing scope
        self._push("comprehension", "<comprehension>")
        self.scope.qualname = self.scope.parent.qualname  # type: ignore[union-attr]
        self.loops.append(node)  # the rest repeats for every item, like a loop body
        self._visit_comp_for(first, skip_iter=True)
        for part in ("elt", "key", "value"):
            child = getattr(node, part, None)
            if child is not None:
                self.walk(child)
        self.loops.pop()
        self._pop()
        return False

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comprehension

    def _visit_comp_for(self, node: cst.CompFor, skip_iter: bool = False) -> None:
        self._bind_target(node.target, None)
        if not skip_iter:
            self.walk(node.iter)
        for condition in node.ifs:
            self.walk(condition)
        if node.inner_for_in is not None:
            self._visit_comp_for(node.inner_for_in)

    def visit_Return(self, node: cst.Return) -> None:
        function = function_scope(self.scope)
        function.returns.append((node.value, self.scope) if node.value is not None else Const(None))

    def visit_Global(self, node: cst.Global) -> None:
        self.scope.globals.update(n.name.value for n in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.scope.nonlocals.update(n.name.value for n in node.names)

    # -- bindings ----------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target, node.value)
            if isinstance(target.target, cst.Attribute):
                self._candidate("setattr", target.target)
            self._note_setting(target.target, node.value)

    def _note_setting(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        """``app.conf.task_time_limit = 30`` or a settings module's ``task_time_limit = 30``."""
        if isinstance(target, cst.Attribute):
            name = target.attr.value
        elif isinstance(target, cst.Name) and self.scope is self.module_scope:
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
        declared = _Annotated(node.annotation.annotation, self.scope)
        target = node.target
        if isinstance(target, cst.Name):
            self.scope.bindings.setdefault(target.value, []).append(declared)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            cls = self._method_class()
            if cls is not None and target.value.value == self.scope.self_name:
                cls.attr_bindings.setdefault(target.attr.value, []).append(declared)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target, None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, node.value)

    def visit_For(self, node: cst.For) -> bool:
        self.walk(node.iter)
        self._bind_target(node.target, None)
        for name in _target_names(node.target):
            self._record_assignment(name, node.iter, inside=id(node.body))
        self.walk(node.target)
        self.loops.append(node)
        self.walk(node.body)
        self.loops.pop()
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

    # -- candidates --------------------------------------------------------------------
    def visit_Expr(self, node: cst.Expr) -> None:
        value = node.value
        if isinstance(value, cst.Call):
            self.dropped.add(id(value))

    def visit_Call(self, node: cst.Call) -> None:
        self._candidate("call", node)

    def visit_Await(self, node: cst.Await) -> None:
        self._candidate("await", node)


def _ends_with_exit(body: cst.BaseSuite) -> bool:
    """Whether a block always leaves its enclosing block (return, raise, continue, break)."""
    statements = body.body if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)) else ()
    if not statements:
        return False
    last = statements[-1]
    small = last.body if isinstance(last, cst.SimpleStatementLine) else (
        [last] if isinstance(body, cst.SimpleStatementSuite) else [])
    return bool(small) and isinstance(small[-1], (cst.Return, cst.Raise, cst.Continue, cst.Break))


class _PendingSite:
    """A site found during evaluation, waiting for its positions."""

    __slots__ = ("fields", "node", "statement", "candidate")

    def __init__(self, fields: dict, node: cst.CSTNode, statement: Optional[cst.CSTNode],
                 candidate: "_Candidate") -> None:
        self.fields = fields
        self.node = node
        self.statement = statement
        self.candidate = candidate


class _Evaluator:
    """Gives expressions abstract values and turns candidates into sites."""

    def __init__(self, visitor: _Visitor, blocking: Mapping[str, blocking_table.BlockingCall],
                 catalog: Catalog = BUILTIN_CATALOG) -> None:
        self.visitor = visitor
        self.blocking = blocking
        self.catalog = catalog
        specs = catalog.frameworks.values()
        self.task_roles = [(spec.name, spec.task_role) for spec in specs if spec.task_role]
        self.instance_roles = [spec.instance_role for spec in specs if spec.instance_role]
        self.named_roles = _NAMED_ROLES | {role for _, role in self.task_roles} | set(self.instance_roles)
        self.module_scope = visitor.module_scope
        self._values: Dict[int, Value] = {}
        self._in_progress: Set[int] = set()
        self._calls: Dict[int, Tuple[Value, Optional[dict]]] = {}
        self._class_by_name = {info.qualname: info for info in visitor.classes}
        self._large: Dict[int, Optional[Tuple[str, Optional[int]]]] = {}
        self._parsed: List[cst.BaseExpression] = []
        # id(send call) -> its large arguments: (node, why, item count, framework, requires)
        self.payloads: Dict[int, list] = {}

    # -- values ------------------------------------------------------------------------
    def value_of(self, node: cst.BaseExpression, scope: _Scope) -> Value:
        key = id(node)
        if key in self._values:
            return self._values[key]
        if key in self._in_progress or len(self._in_progress) > _MAX_EVALUATION_DEPTH:
            return UNKNOWN
        self._in_progress.add(key)
        try:
            value = self._compute(node, scope)
        finally:
            self._in_progress.discard(key)
        self._values[key] = value
        return value

    def _compute(self, node: cst.BaseExpression, scope: _Scope) -> Value:
        if isinstance(node, cst.Name):
            constant = _CONSTANT_NAMES.get(node.value)
            if constant is not None:
                return constant
            return self._named(self.lookup(node.value, scope), node.value)
        if isinstance(node, cst.Attribute):
            return self.attribute(self.value_of(node.value, scope), node.attr.value)
        if isinstance(node, cst.Call):
            return self.interpret_call(node, scope)[0]
        if isinstance(node, (cst.Integer, cst.Float)):
            return Const(node.evaluated_value)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) \
                and isinstance(node.expression, (cst.Integer, cst.Float)):
            return Const(-node.expression.evaluated_value)
        if isinstance(node, cst.SimpleString):
            return Const(node.evaluated_value)
        if isinstance(node, cst.Subscript):
            base = self.value_of(node.value, scope)
            if isinstance(base, Handle) and base.role in ELEMENT_ROLES:
                return Handle(ELEMENT_ROLES[base.role], base.actor)
        return UNKNOWN

    def annotated(self, annotation: cst.BaseExpression, scope: _Scope) -> Value:
        """The framework handle a type annotation names, e.g. ``pykka.ActorProxy[Seat]``."""
        if isinstance(annotation, cst.SimpleString):
            text = annotation.evaluated_value
            if not isinstance(text, str) or len(text) > _MAX_ANNOTATION_TEXT \
                    or sum(map(text.count, "([{")) > _MAX_ANNOTATION_BRACKETS:
                return UNKNOWN  # no handle type is spelled so; LibCST would crash on deep ones
            try:
                annotation = cst.parse_expression(text)
            except Exception:  # not an expression: not a handle type
                return UNKNOWN
            self._parsed.append(annotation)  # keep it alive: values are memoised by id
        element: Value = UNKNOWN
        if isinstance(annotation, cst.Subscript) and len(annotation.slice) == 1:
            index = annotation.slice[0].slice
            if isinstance(index, cst.Index):
                element = self.value_of(index.value, scope)
            annotation = annotation.value
        generic = self.value_of(annotation, scope)
        role = HANDLE_ANNOTATIONS.get(generic.name) if isinstance(generic, Qual) else None
        if role is None:
            return UNKNOWN
        return Handle(role, element.name if isinstance(element, Qual) else None)

    def lookup(self, name: str, scope: _Scope) -> Value:
        bindings = self.bindings_of(name, scope)
        if bindings is not None:
            return self._agree(bindings)
        if self.module_scope.star_import:
            return UNKNOWN
        return Qual(f"builtins.{name}") if name in _BUILTIN_NAMES else UNKNOWN

    def bindings_of(self, name: str, scope: _Scope) -> Optional[List[object]]:
        """Every binding of ``name`` as seen from ``scope`` (LEGB, class bodies skipped)."""
        current: Optional[_Scope] = scope
        if name in scope.globals:
            current = self.module_scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent
                continue
            first = False
            bindings = current.bindings.get(name)
            if bindings is not None:
                return bindings
            current = current.parent
        return None

    # -- large values (ACT401/ACT402) --------------------------------------------------
    def large_value(self, node: cst.BaseExpression, scope: _Scope) -> Optional[Tuple[str, Optional[int]]]:
        """Why a value is large (a description and, for literals, its item count), or None."""
        key = id(node)
        if key in self._large:
            return self._large[key]
        self._large[key] = None  # cycles (x = x) add nothing
        self._large[key] = result = self._large_value(node, scope)
        return result

    def _large_value(self, node: cst.BaseExpression, scope: _Scope) -> Optional[Tuple[str, Optional[int]]]:
        if isinstance(node, cst.Name):
            if isinstance(self.value_of(node, scope), SelfRef):
                return (f"{_STATE} (`self`)", None)
            bindings = self.bindings_of(node.value, scope)
            if not bindings or not all(isinstance(b, tuple) for b in bindings):
                return None
            reasons = [self.large_value(expression, where) for expression, where in bindings]  # type: ignore[misc]
            return reasons[0] if all(reasons) else None
        if isinstance(node, cst.Attribute) and node.attr.value == "__dict__" \
                and isinstance(self.value_of(node.value, scope), SelfRef):
            return (f"{_STATE} (`self.__dict__`)", None)
        if isinstance(node, cst.Call):
            callee = self.value_of(node.func, scope)
            if isinstance(callee, Qual):
                name = blocking_table.canonical_name(callee.name)
                reason = LARGE_VALUE_CALLS.get(name)
                if reason is not None and not (name in BOUNDED_BY_ARGUMENT and node.args):
                    return (reason, None)
                if callee.name in STATE_CALLS and len(node.args) == 1 \
                        and isinstance(self.value_of(node.args[0].value, scope), SelfRef):
                    return (f"{_STATE} (`vars(self)`)", None)
            return None
        if isinstance(node, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
            elements = node.elements
            if any(isinstance(e, (cst.StarredElement, cst.StarredDictElement)) for e in elements):
                return None
            return (f"a literal of {len(elements)} items", len(elements))
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            size = self._range_size(node.for_in.iter, scope)
            if size is not None:
                return (f"a comprehension over {size} items", size)
        return None

    def _range_size(self, node: cst.BaseExpression, scope: _Scope) -> Optional[int]:
        """The length of ``range(...)`` with literal bounds."""
        if not isinstance(node, cst.Call) or self.value_of(node.func, scope) != Qual("builtins.range"):
            return None
        bounds = [self.value_of(arg.value, scope) for arg in node.args]
        if not bounds or len(bounds) > 3 or not all(isinstance(b, Const) and isinstance(b.value, int)
                                                   and not isinstance(b.value, bool) for b in bounds):
            return None
        try:
            return len(range(*(b.value for b in bounds)))  # type: ignore[union-attr]
        except (TypeError, ValueError):
            return None

    def record_payload(self, member: Member, node: cst.Call, scope: _Scope, framework: Optional[str],
                       requires: Tuple[Tuple[str, str], ...]) -> None:
        """Remember the large arguments of a message to a framework that copies messages."""
        spec = self.catalog.frameworks.get(framework) if framework is not None else None
        if member.payload is None or spec is None or not spec.serializes:
            return
        if member.payload == ALL_ARGUMENTS:
            arguments = [arg.value for arg in node.args if not arg.star]
        else:
            params = member.payload if isinstance(member.payload, tuple) else (member.payload,)
            found_args = (find_arg(node, param) for param in params)
            arguments = [argument for argument in found_args if argument is not None]
        found = []
        for argument in arguments:
            reason = self.large_value(argument, scope)
            if reason is not None and reason[1] is None:
                found.append((argument, reason[0], reason[1], framework, requires))
                continue
            # A message built as a small literal carries its elements: ``("index", text)``.
            elements = [argument]
            if isinstance(argument, (cst.Tuple, cst.List, cst.Dict)):
                elements.extend(
                    e.value for e in argument.elements
                    if isinstance(e, (cst.Element, cst.DictElement))
                )
            if reason is not None:
                found.append((argument, reason[0], reason[1], framework, requires))
            for element in elements[1:]:
                inner = self.large_value(element, scope)
                if inner is not None:
                    found.append((element, inner[0], inner[1], framework, requires))
        if found:
            self.payloads[id(node)] = found

    def _agree(self, bindings: List[object]) -> Value:
        """The value all bindings agree on, else UNKNOWN."""
        result: Value = UNKNOWN
        for index, binding in enumerate(bindings):
            if isinstance(binding, tuple):
                expression, scope = binding
                value = self.value_of(expression, scope)
            elif isinstance(binding, _Annotated):
                value = self.annotated(binding.annotation, binding.scope)
            else:
                value = binding  # type: ignore[assignment]
            if value is UNKNOWN or (index and value != result):
                return UNKNOWN
            result = value
        return result

    def attribute(self, base: Value, attr: str) -> Value:
        if isinstance(base, Qual):
            return Qual(f"{base.name}.{attr}")
        if isinstance(base, Instance):
            return Qual(f"{base.type}.{attr}")
        if isinstance(base, Handle):
            member, base = self._handle_member(base, attr)
            if member is not None and member.attribute and member.result:
                return Handle(member.result, base.actor, base.is_self, attr, base.origin)
            return UNKNOWN
        if isinstance(base, SelfRef):
            info = self._class_by_name.get(base.cls)
            if info is not None:
                bindings = info.attr_bindings.get(attr) or info.scope.bindings.get(attr)
                if bindings is not None:
                    return self._named(self._agree(bindings), f"self.{attr}")
            for (_, name), member in self.catalog.self_members.items():
                if name == attr and member.attribute and member.result:
                    return Handle(member.result, base.cls, True, origin="self")
        return UNKNOWN

    # -- calls -------------------------------------------------------------------------
    def interpret_call(self, node: cst.Call, scope: _Scope) -> Tuple[Value, Optional[dict]]:
        """The value a call returns and the site it makes (as fields), memoised."""
        key = id(node)
        cached = self._calls.get(key)
        if cached is None:
            cached = self._interpret_call(node, scope)
            self._calls[key] = cached
        return cached

    def _interpret_call(self, node: cst.Call, scope: _Scope) -> Tuple[Value, Optional[dict]]:
        func = node.func
        if isinstance(func, cst.Attribute):
            base = self.value_of(func.value, scope)
            attr = func.attr.value
            if isinstance(base, Handle):
                member, base = self._handle_member(base, attr)
                if member is None:
                    return UNKNOWN, None
                if member.attribute:
                    return self._call_handle(self.attribute(base, attr), node, scope)
                return self._apply(member, node, scope, base)
            if isinstance(base, SelfRef):
                info = self._class_by_name.get(base.cls)
                own = info is not None and (attr in info.attr_bindings or attr in info.scope.bindings)
                if not own:
                    for (framework, name), member in self.catalog.self_members.items():
                        if name == attr and not member.attribute:
                            handle = Handle(_FRAMEWORK_SELF_ROLE.format(framework), base.cls, True)
                            return self._apply(member, node, scope, handle)
                return self._call_handle(self.attribute(base, attr), node, scope)
            if isinstance(base, Qual):
                task_member = self._task_member(base.name, attr)
                if task_member is not None:
                    return self._apply(task_member, node, scope, None)
                value, site = self._call_qual(f"{base.name}.{attr}", node, scope)
                if value is UNKNOWN and site is None:
                    for (framework, name), member in self.catalog.class_members.items():
                        if name == attr and member.result:
                            self.record_payload(member, node, scope, framework,
                                                ((framework, base.name),))
                            return Handle(member.result, base.name), None
                    # ``add.delay(...)``: a member of a task, if ``add`` turns out to be one.
                    for framework, role in self.task_roles:
                        member = self.catalog.members.get((role, attr))
                        if member is not None:
                            return self._apply(member, node, scope, Handle(role, base.name, origin=base.name))
                return value, site
            if isinstance(base, Instance):
                return self._call_qual(f"{base.type}.{attr}", node, scope)
            return UNKNOWN, None
        return self._call_handle(self.value_of(func, scope), node, scope)

    def _task_member(self, function: str, attr: str) -> Optional[Member]:
        """The member ``attr`` of a function of this module that a decorator made a task."""
        decorated = self.visitor.decorated.get(function)
        if decorated is None:
            return None
        decorators, scope = decorated
        for decorator in decorators:
            callee = decorator.func if isinstance(decorator, cst.Call) else decorator
            value = self.value_of(callee, scope)
            if isinstance(value, Qual):
                member = TASK_MEMBERS.get((value.name, attr))
                if member is not None:
                    return member
        return None

    def _member(self, role: str, attr: str) -> Optional[Member]:
        members = self.catalog.members
        return members.get((role, attr)) or members.get((role, "*"))

    def _handle_member(self, base: Handle, attr: str) -> Tuple[Optional[Member], Handle]:
        """The member ``attr`` of a handle, and the handle it applies to. An instance of
        a class a declared framework may own (``Printer()``) is first taken for the first
        declared framework's; when that framework has no such member, another declared
        framework that has one claims it (its site then requires the class to be that
        framework's actor, as resolution checks)."""
        member = self._member(base.role, attr)
        if member is None and base.role in self.instance_roles:
            for role in self.instance_roles:
                member = self._member(role, attr) if role != base.role else None
                if member is not None:
                    return member, replace(base, role=role)
        return member, base

    def _named(self, value: Value, name: str) -> Value:
        """A handle read through a name gets that name as its origin, unless it has one."""
        if isinstance(value, Handle) and value.origin is None and value.role in self.named_roles:
            return replace(value, origin=name)
        return value

    def _call_handle(self, callee: Value, node: cst.Call, scope: _Scope) -> Tuple[Value, Optional[dict]]:
        if isinstance(callee, Qual):
            return self._call_qual(callee.name, node, scope)
        if isinstance(callee, Handle) and callee.role == "pykka.proxy_member":
            return self._apply(PROXY_MEMBER_CALL, node, scope, callee)
        if isinstance(callee, Handle) and callee.role in FACTORIES:
            return self._apply(FACTORIES[callee.role], node, scope, None)
        return UNKNOWN, None

    def _call_qual(self, qualname: str, node: cst.Call, scope: _Scope) -> Tuple[Value, Optional[dict]]:
        if qualname == "builtins.float" and len(node.args) == 1:
            argument = self.value_of(node.args[0].value, scope)
            if isinstance(argument, Const) and isinstance(argument.value, str):
                try:
                    return Const(float(argument.value)), None
                except ValueError:
                    return UNKNOWN, None
        member = self.catalog.functions.get(qualname)
        if member is not None:
            return self._apply(member, node, scope, None)
        if qualname in TIME_LIMITERS and len(node.args) >= 2:
            seconds = self.seconds_of(find_arg(node, TIME_LIMIT_SECONDS_CALL), scope)
            return UNKNOWN, {"kind": "time_limit", "label": qualname, "timeout_value": seconds}
        site = self._blocking_site(qualname, node, scope)
        type_name = blocking_table.instance_type(qualname)
        if type_name:
            return Instance(type_name), site
        value = self._returned(qualname)
        if value is UNKNOWN and site is None and self.instance_roles and qualname.rpartition(".")[2][:1].isupper():
            # ``Printer()``: an actor of a declared framework, if that class is one.
            return Handle(self.instance_roles[0], qualname), None
        return value, site

    def _returned(self, qualname: str) -> Value:
        """What a plain function of this module returns, when every ``return`` agrees on a
        handle (``def box_office(): return Seat.start()``)."""
        function = self.visitor.functions.get(qualname)
        if function is None or function.is_async or not function.returns:
            return UNKNOWN
        value = self._agree(function.returns)
        return value if isinstance(value, Handle) else UNKNOWN

    def _apply(self, member: Member, node: cst.Call, scope: _Scope,
               handle: Optional[Handle]) -> Tuple[Value, Optional[dict]]:
        """Apply a framework member to a call: its result and its site."""
        waits = True
        if member.waits_if is not None:
            param, literal = member.waits_if
            argument = find_arg(node, param)
            value = self.value_of(argument, scope) if argument is not None else UNKNOWN
            waits = isinstance(value, Const) and value.value == literal
        if member.nowait is not None:
            param, literal = member.nowait
            argument = find_arg(node, param)
            if argument is not None:
                value = self.value_of(argument, scope)
                if not isinstance(value, Const):
                    return UNKNOWN, None
                if value.value == literal:
                    result = Handle(member.nowait_result, _actor(handle), _is_self(handle),
                                    origin=_origin(handle)) if member.nowait_result else UNKNOWN
                    return result, None
        result: Value = UNKNOWN
        if member.class_arg is not None:
            argument = find_arg(node, member.class_arg)
            cls = self.value_of(argument, scope) if argument is not None else UNKNOWN
            if isinstance(cls, Qual) and member.result:
                result = Handle(member.result, cls.name)
            elif isinstance(cls, Handle) and cls.role == "ray.class" and member.result == "ray.class":
                result = cls
            elif argument is None and member.options_result:
                # ``ray.remote(num_cpus=1)``: options now, the class in a second call.
                result = Handle(member.options_result)
        elif member.current_actor and member.result:
            cls = _enclosing_class(scope)
            result = Handle(member.result, cls, cls is not None, origin="self" if cls else None)
        elif member.variant is not None and member.result:
            argument = find_arg(node, member.variant)
            variant = self.value_of(argument, scope) if argument is not None else UNKNOWN
            kind = variant.value if isinstance(variant, Const) and isinstance(variant.value, str) else None
            result = Handle(member.result, member=kind)
        elif member.result:
            method = handle.member if handle is not None and member.implicit_cast else None
            result = Handle(member.result, _actor(handle), _is_self(handle), method, _origin(handle))
        if member.payload is not None and not (handle is not None and handle.member in IN_PROCESS_VARIANTS):
            # Only Ray tasks (``f.remote``) send without a handle.
            framework = framework_of_role(handle.role) if handle is not None else "ray"
            self.record_payload(member, node, scope, framework, _requirement(handle))
        site: Optional[dict] = None
        target = handle
        if member.target_arg is not None:
            argument = find_arg(node, member.target_arg)
            value = self.value_of(argument, scope) if argument is not None else UNKNOWN
            target = value if isinstance(value, Handle) and value.role in self.catalog.target_roles else None
        kind = member.site if waits else None
        if kind is None and member.implicit_cast and id(node) in self.visitor.dropped:
            kind = "cast"
        if kind is not None:
            framework = framework_of_role(handle.role) if handle is not None else \
                (member.label.split(".", 1)[0] if "." in member.label else None)
            site = {
                "kind": kind,
                "label": _label(member.label, handle),
                "framework": framework or (framework_of_role(target.role) if target else None),
                "target": target,
                "implicit": member.site is None,
                "gate": handle if member.target_arg is None else None,
                "untargeted": member.untargeted,
                "lifecycle": member.lifecycle,
            }
            if kind == "call":
                site.update(self._timeout_fields(node, member.timeout, scope, member.default_timeout))
        return result, site

    def _timeout_fields(self, node: cst.Call, param: Optional[Param], scope: _Scope,
                        default: Optional[float] = None) -> dict:
        """A call's time limit: its state, its value in the framework's unit, and where a fix
        would put one. ``default``: the limit the framework applies when none is given."""
        state = self._timeout(node, param, scope)
        if default is not None and state in (Timeout.MISSING, Timeout.NONE):
            return {"timeout": Timeout.DEFAULT}
        fields: dict = {"timeout": state}
        argument = find_arg(node, param) if param is not None else None
        if state == Timeout.GIVEN and argument is not None:
            seconds = self.seconds_of(argument, scope)
            if seconds is not None:
                fields["timeout_value"] = seconds
        elif state in (Timeout.NONE, Timeout.INFINITE) and argument is not None:
            fields["edit"] = ("replace", argument)
        elif state == Timeout.MISSING and param is not None and not any(a.star for a in node.args):
            if node.args:
                fields["edit"] = ("append", node.args[-1])  # the Arg spans parentheses too
            else:
                fields["edit"] = ("first", node)
        return fields

    def seconds_of(self, argument: Optional[cst.BaseExpression], scope: _Scope) -> Optional[float]:
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

    def _timedelta_seconds(self, node: cst.Call, scope: _Scope) -> Optional[float]:
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

    def _timeout(self, node: cst.Call, param: Optional[Param], scope: _Scope) -> str:
        if param is None:
            return Timeout.MISSING
        if any(arg.star for arg in node.args):
            return Timeout.GIVEN  # *args/**kwargs may carry it: do not guess
        argument = find_arg(node, param)
        if argument is None:
            return Timeout.MISSING
        value = self.value_of(argument, scope)
        if isinstance(value, Const):
            if value.value is None:
                return Timeout.NONE
            if isinstance(value.value, float) and math.isinf(value.value):
                return Timeout.INFINITE
        if isinstance(value, Qual) and value.name in _INFINITE_QUALS:
            return Timeout.INFINITE
        return Timeout.GIVEN

    def _blocking_site(self, qualname: str, node: cst.Call, scope: _Scope) -> Optional[dict]:
        entry = blocking_table.lookup(qualname, self.blocking)
        if entry is None:
            return None
        if entry.requires is not None and find_arg(node, entry.requires) is None:
            return None
        for param, literal in entry.nonblocking:
            argument = find_arg(node, param)
            if argument is None:
                continue
            value = self.value_of(argument, scope)
            if isinstance(literal, blocking_table.Symbol):
                if value == Qual(literal.qualname):
                    return None
            elif isinstance(value, Const) and value.value == literal \
                    and type(value.value) is type(literal):
                return None
            elif isinstance(literal, bool) and not isinstance(value, Const):
                return None  # a flag we cannot read may well turn blocking off
        if entry.timeout is not None:
            argument = find_arg(node, entry.timeout)
            if any(arg.star for arg in node.args):
                return None  # the time limit may be in *args or **kwargs
            if argument is not None:
                value = self.value_of(argument, scope)
                forever = blocking_table.forever_timeout_literals(entry.qualname)
                if not (isinstance(value, Const) and value.value in forever):
                    return None
        return {
            "kind": "blocking",
            "label": entry.qualname,
            "blocking": entry.qualname,
            "category": entry.category,
            "async_only": entry.async_only,
        }

    def await_site(self, node: cst.Await, scope: _Scope) -> Optional[dict]:
        value = self.value_of(node.expression, scope)
        if isinstance(value, Handle) and value.role in AWAITABLE:
            return {
                "kind": "call",
                "label": AWAITABLE[value.role],
                "framework": framework_of_role(value.role),
                "target": value,
                "timeout": Timeout.MISSING,
                "awaited": True,
                "gate": value,
            }
        return None

    def setattr_site(self, node: cst.Attribute, scope: _Scope) -> Optional[dict]:
        value = self.value_of(node.value, scope)
        if isinstance(value, Handle) and value.role == PROXY_SETATTR[0]:
            return {
                "kind": "call",
                "label": f"proxy.{node.attr.value} = ...",
                "framework": framework_of_role(value.role),
                "target": value,
                "timeout": Timeout.MISSING,
                "gate": value,
            }
        return None


_MEMBER_LABELS = {"get": "{}().get", "proxy call": "{}()", "remote": "{}.remote()", "defer": "{}.defer()"}


def _label(label: str, handle: Optional[Handle]) -> str:
    """How a message names the API it uses: ``balance().get`` rather than ``get``."""
    template = _MEMBER_LABELS.get(label)
    if template is not None and handle is not None and handle.member:
        return template.format(handle.member)
    return label


# Roles that name an actor themselves; futures and ObjectRefs keep the origin of the
# handle they came from. Task roles and declared instance roles are added per catalog.
_NAMED_ROLES = frozenset({"pykka.ref", "pykka.proxy", "ray.handle", "thespian.address"})


def _origin(handle: Optional[Handle]) -> Optional[str]:
    return handle.origin if handle is not None else None


def _actor(handle: Optional[Handle]) -> Optional[str]:
    return handle.actor if handle is not None else None


def _is_self(handle: Optional[Handle]) -> bool:
    return handle.is_self if handle is not None else False


def _requirement(handle: Optional[Handle]) -> Tuple[Tuple[str, str], ...]:
    if handle is None or handle.actor is None:
        return ()
    return ((framework_of_role(handle.role), handle.actor),)


def _handle_fact(handle: Optional[Handle]) -> Optional[HandleFact]:
    if handle is None:
        return None
    return HandleFact(handle.role, handle.actor, handle.is_self, handle.member, handle.origin)


def _enclosing_class(scope: _Scope) -> Optional[str]:
    """The class whose method (directly) contains this scope."""
    current: Optional[_Scope] = scope
    while current is not None and current.kind == "comprehension":
        current = current.parent
    if current is not None and current.kind == "function" and current.cls is not None:
        return current.cls.qualname
    return None


def _function_of(scope: _Scope) -> Optional[str]:
    current: Optional[_Scope] = scope
    while current is not None and current.kind not in ("function", "lambda"):
        current = current.parent
    return current.qualname if current is not None else None


def collect(
    module: cst.Module,
    path: str,
    module_name: str,
    *,
    is_package: bool = False,
    blocking: Optional[Mapping[str, blocking_table.BlockingCall]] = None,
    source: Optional[str] = None,
    catalog: Catalog = BUILTIN_CATALOG,
) -> FileFacts:
    """Turn a parsed module into its facts; ``source`` is the module's text, when at hand."""
    specs = catalog.frameworks.values()
    setting_names = frozenset(
        name for spec in specs for name in spec.limit_settings + spec.annotation_settings
    )
    visitor = _Visitor(module_name, is_package, setting_names)
    visitor.walk(module)
    evaluator = _Evaluator(visitor, blocking if blocking is not None else blocking_table.BLOCKING_CALLS,
                           catalog)
    limit_keywords = frozenset(k for spec in specs for k in spec.limit_keywords)

    pending: List[_PendingSite] = []
    pending_payloads: List[Tuple[tuple, _Candidate]] = []
    ray_remote_classes: List[str] = []
    for candidate in visitor.candidates:
        node, scope = candidate.node, candidate.scope
        if candidate.kind == "call":
            assert isinstance(node, cst.Call)
            value, fields = evaluator.interpret_call(node, scope)
            for payload in evaluator.payloads.get(id(node), ()):
                pending_payloads.append((payload, candidate))
            if isinstance(value, Handle) and value.role == "ray.class" and value.actor:
                ray_remote_classes.append(value.actor)
        elif candidate.kind == "await":
            assert isinstance(node, cst.Await)
            fields = evaluator.await_site(node, scope)
        else:
            assert isinstance(node, cst.Attribute)
            fields = evaluator.setattr_site(node, scope)
        if fields is not None:
            fields["function"] = _function_of(scope)
            pending.append(_PendingSite(fields, node, candidate.statement, candidate))

    wanted = Wanted(visitor.elifs)
    for site in pending:
        wanted.node(site.node, site.statement)
        wanted.statement(site.statement)
        edit = site.fields.get("edit")
        if edit is not None:
            wanted.node(edit[1], site.statement)
    class_records = []
    for info in visitor.classes:
        outer = info.scope.parent
        assert outer is not None
        bases = tuple(qualname_of(evaluator.value_of(b, outer)) for b in info.bases)
        decorators = tuple(qualname_of(evaluator.value_of(callee(d), outer)) for d in info.decorators)
        bases = tuple(b for b in bases if b)
        decorators = tuple(d for d in decorators if d)
        if not bases and not decorators and not info.methods:
            continue  # no methods, nothing to handle messages (``ray.remote(Cls)`` may be elsewhere)
        methods = [MethodRecord(node, scope, evaluator, info.scope) for node, scope in info.methods]
        class_records.append((info, bases, decorators, methods))
        wanted.node(info.node.name, info.node)
        for method in methods:
            wanted.definition(method)
    task_records = [
        record for record in (
            TaskRecord(node, scope, outer, evaluator, limit_keywords, module_name)
            for node, scope, outer in visitor.decorated_functions
        ) if record.decorators
    ]
    for record in task_records:
        wanted.definition(record.method)
        for _, _, node in record.limits:
            wanted.node(node, record.method.node)
        for expression, last in record.decorator_nodes:
            wanted.node(expression, record.method.node)
            if last is not None:
                wanted.node(last, record.method.node)
    for (argument, *_), candidate in pending_payloads:
        wanted.node(argument, candidate.statement)
        wanted.statement(candidate.statement)
        if isinstance(candidate.loop, (cst.For, cst.While)):
            wanted.statement(candidate.loop)
        anchor = candidate.statement
        while anchor is not None and id(anchor) in visitor.elifs:
            anchor = visitor.elifs[id(anchor)]
            wanted.statement(anchor)
    block = import_block(module, module_name.split(".", 1)[0])
    block.ask_positions(wanted)

    text = source if source is not None else module.code
    offsets = LineOffsets(text)
    positions = locate(module, text, wanted.nodes, wanted.statements, visitor.statement_numbers,
                       visitor.statement_count, offsets.starts)
    sites = tuple(_finish_site(index, site, positions, offsets) for index, site in enumerate(pending))
    imports = _module_imports(visitor)
    ray_put = _name_for(imports, frozenset({"ray.put"})) if pending_payloads else None
    payloads = tuple(
        _payload_fact(payload, candidate, positions, offsets, visitor, ray_put)
        for payload, candidate in pending_payloads
    )
    classes = tuple(
        ClassFact(
            qualname=info.qualname, name=info.node.name.value, span=positions.span(info.node.name),
            bases=bases, decorators=decorators,
            methods=tuple(method.fact(positions, offsets) for method in methods),
            limit_attributes=tuple(sorted(limit_keywords & info.scope.bindings.keys())),
        )
        for info, bases, decorators, methods in class_records
    )
    tasks = tuple(
        TaskFact(
            qualname=record.method.scope.qualname,
            method=record.method.fact(positions, offsets),
            decorators=tuple(record.decorators),
            limits=tuple((keyword, value, positions.span(node)) for keyword, value, node in record.limits),
            task_name=record.task_name,
            keyword_anchors=tuple(keyword_anchor(expression, last, positions, offsets)
                                  for expression, last in record.decorator_nodes),
        )
        for record in task_records
    )
    return FileFacts(
        path=path, module=module_name, classes=classes, sites=sites, payloads=payloads, imports=imports,
        tasks=tasks, instances=module_instances(visitor, evaluator, catalog),
        limit_settings=limit_settings(visitor, catalog),
        ray_remote_classes=tuple(dict.fromkeys(ray_remote_classes)),
        dependencies=tuple(dependencies(pending)),
        time_limited_name=_name_for(imports, TIME_LIMITERS),
        module_names=frozenset(visitor.module_scope.bindings),
        runtime_import=added_import(block, positions, offsets),
    )


def _target_names(target: cst.BaseExpression) -> List[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _target_names(element.value)]
    return []


def _payload_fact(payload: tuple, candidate: _Candidate, positions: Positions,
                  offsets: "LineOffsets", visitor: _Visitor, ray_put: Optional[str]) -> Payload:
    """A payload fact; ``ray_put``: how the module names ``ray.put``, for the ACT402 fix."""
    argument, reason, size, framework, requires = payload
    span = positions.span(argument)
    statement_lines: Tuple[int, ...] = ()
    statement_line = positions.line(candidate.statement) if candidate.statement is not None else None
    if statement_line is not None:
        statement_lines = tuple(sorted({statement_line, span.end_line}))
    loop = candidate.loop
    function = function_scope(candidate.scope)
    repeated = False
    hoist = None
    if loop is not None and isinstance(argument, cst.Name):
        body = id(getattr(loop, "body", loop))  # comprehensions bind in their own scope
        repeated = not any(
            name == argument.value and body in blocks for name, _, _, blocks in function.assignments
        )
        hoisted = f"{argument.value}_ref"
        if repeated and framework == "ray" and ray_put and hoisted not in function.bindings \
                and hoisted not in visitor.module_scope.bindings:
            anchor = loop if isinstance(loop, (cst.For, cst.While)) else candidate.statement
            while anchor is not None and id(anchor) in visitor.elifs:
                anchor = visitor.elifs[id(anchor)]  # before the whole if/elif chain
            anchor_line = positions.line(anchor) if anchor is not None else None
            if anchor_line is None or not isinstance(anchor, _HOIST_ANCHORS) or reason.startswith(_STATE):
                return _payload(payload, candidate, span, statement_lines, True, None)
            start, indent = offsets.line_start_and_indent(anchor_line)
            hoist = (
                start, f"{indent}{hoisted} = {ray_put}({argument.value})\n",
                offsets.offset(span.line, span.column), offsets.offset(span.end_line, span.end_column),
                hoisted,
            )
    return _payload(payload, candidate, span, statement_lines, repeated, hoist)


# Statements a line can be inserted before (a decorated def's first line is its decorator).
_HOIST_ANCHORS = (cst.SimpleStatementLine, cst.For, cst.While, cst.If, cst.With, cst.Try)
_STATE = "the sender's whole state"


def _payload(payload: tuple, candidate: _Candidate, span: Span, statement_lines: Tuple[int, ...],
             repeated: bool, hoist: Optional[tuple]) -> Payload:
    _, reason, size, framework, requires = payload
    return Payload(
        span=span, reason=reason, size=size, framework=framework,
        function=_function_of(candidate.scope), statement_lines=statement_lines,
        requires=requires, repeated=repeated, hoist=hoist,
    )


def _module_imports(visitor: _Visitor) -> Dict[str, str]:
    return {
        name: bindings[0].name
        for name, bindings in visitor.module_scope.bindings.items()
        if len(bindings) == 1 and isinstance(bindings[0], Qual)
    }


def _name_for(imports: Dict[str, str], qualnames: frozenset) -> Optional[str]:
    """The expression that names one of ``qualnames`` through the module's own imports."""
    for name, target in sorted(imports.items()):
        if target in qualnames:
            return name
    for name, target in sorted(imports.items()):
        for qualname in sorted(qualnames):
            if qualname.startswith(target + "."):
                return name + qualname[len(target):]
    return None


def _finish_site(index: int, pending: _PendingSite, positions: Positions,
                 offsets: LineOffsets) -> Site:
    fields = dict(pending.fields)
    span = positions.span(pending.node)
    statement_lines: Tuple[int, ...] = ()
    statement_line = positions.line(pending.statement) if pending.statement is not None else None
    if statement_line is not None:
        last = positions.span(pending.statement).end_line \
            if isinstance(pending.statement, cst.SimpleStatementLine) else span.end_line
        statement_lines = tuple(sorted({statement_line, last}))
    target = fields.pop("target", None)
    gate = fields.pop("gate", None)
    edit = fields.pop("edit", None)
    if edit is not None:
        how, node = edit
        where = positions.span(node)
        if how == "first":  # ``f()``: insert just before the closing parenthesis
            end = offsets.offset(where.end_line, where.end_column) - 1
            fields["edit"] = (end, end, how)
        else:
            start = offsets.offset(where.line, where.column)
            end = offsets.offset(where.end_line, where.end_column)
            fields["edit"] = (end, end, how) if how == "append" else (start, end, how)
    return Site(
        id=index,
        span=span,
        statement_lines=statement_lines,
        target=_handle_fact(target),
        requires=_requirement(gate),
        **fields,
    )
