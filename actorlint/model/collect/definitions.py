"""Definitions the facts describe: methods of possible actor classes (with their
``time_limited``), decorated functions that may be tasks (with their time-limit keywords
and where a keyword can be added), and the module-level settings and app instances that
bound or make tasks."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from actorlint.model.collect.binder import Binder
from actorlint.model.collect.cache_shape import DICT_FACTORIES, cache_access
from actorlint.model.collect.evaluator import Evaluator
from actorlint.model.collect.instance_notes import concurrency_and_retries
from actorlint.model.collect.placement import LineOffsets, Wanted
from actorlint.model.collect.scopes import Assigned, ClassInfo, Scope
from actorlint.model.facts import ClassFact, KeywordAnchor, LimitKeyword, LimitSetting, MethodFact, TaskFact
from actorlint.model.frameworks import (
    NOT_TASK_DECORATORS, TIME_LIMIT_SECONDS_DECORATOR, TIME_LIMITERS, Catalog,
)
from actorlint.model.libcst_internals.positions import Positions
from actorlint.model.syntax import callee, find_arg, is_number, qualname_of
from actorlint.model.values import Const, Handle, Qual

__all__ = ["ClassRecord", "MethodRecord", "TaskRecord", "limit_settings", "module_instances"]

_STATIC_DECORATORS = frozenset({"builtins.staticmethod", "builtins.classmethod"})


class MethodRecord:
    """A method of a possible actor class, with its ``time_limited`` decorator if any."""

    def __init__(self, node: cst.FunctionDef, scope: Scope, evaluator: Evaluator,
                 class_scope: Scope, replies: frozenset = frozenset()) -> None:
        self.node = node
        self.scope = scope
        self.evaluator = evaluator
        self.replies = replies
        self.decorators: List[str] = []
        self.limiter: Optional[cst.BaseExpression] = None
        self.seconds: Optional[float] = None
        for decorator in node.decorators:
            expression = decorator.decorator
            name = qualname_of(evaluator.value_of(callee(expression), class_scope))
            if name:
                self.decorators.append(name)
            if name in TIME_LIMITERS:
                self.limiter = expression
                if isinstance(expression, cst.Call):
                    self.seconds = evaluator.seconds_of(
                        find_arg(expression, TIME_LIMIT_SECONDS_DECORATOR), class_scope
                    )

    def wants(self, wanted: Wanted) -> None:
        """Declare the nodes whose positions the fact needs: the name, ``time_limited``."""
        wanted.node(self.node.name, self.node)
        if self.limiter is not None:
            wanted.node(self.limiter, self.node)

    def fact(self, positions: Positions, offsets: LineOffsets, messages: frozenset = frozenset()) -> MethodFact:
        """The method fact; ``messages``: the ids of nodes that are messages to actors
        (``self.player.add(x)`` sends a message, it does not change this object)."""
        name_span = positions.span(self.node.name)
        def_offset, indent = offsets.line_start_and_indent(name_span.line)
        return MethodFact(
            name=self.node.name.value,
            qualname=self.scope.qualname,
            span=name_span,
            is_async=self.scope.is_async,
            is_static=any(d in _STATIC_DECORATORS for d in self.decorators),
            decorators=tuple(self.decorators),
            time_limited=self.limiter is not None,
            time_limit=self.seconds,
            time_limit_span=positions.get(self.limiter) if self.limiter is not None else None,
            def_offset=def_offset,
            indent=indent,
            changes_state=_changes_state(self.scope, messages),
            self_calls=tuple(sorted(self.scope.self_calls)),
            cache_access=cache_access(
                self.node, self.scope.self_name,
                lambda expression: qualname_of(self.evaluator.value_of(expression, self.scope)), self.replies,
            ),
        )


class TaskRecord:
    """A decorated function outside a class: a task, if a decorator makes it one."""

    def __init__(self, node: cst.FunctionDef, scope: Scope, outer: Scope, evaluator: Evaluator,
                 limit_keywords: frozenset, module_name: str) -> None:
        self.method = MethodRecord(node, scope, evaluator, outer)
        self.decorators: List[str] = []
        # Per decorator kept: the expression, and the value of its last argument if any.
        self.decorator_nodes: List[Tuple[cst.BaseExpression, Optional[cst.BaseExpression]]] = []
        # (keyword, number or None, the argument node) of time-limit keywords.
        self.limits: List[Tuple[str, Optional[float], cst.CSTNode]] = []
        self.task_name = f"{module_name}.{node.name.value}"
        for decorator in node.decorators:
            expression = decorator.decorator
            value = evaluator.value_of(callee(expression), outer)
            if isinstance(value, Handle) and value.role:
                self.decorators.append(f"<{value.role}>")
            elif isinstance(value, Qual) and not value.name.startswith(NOT_TASK_DECORATORS):
                self.decorators.append(value.name)
            else:
                continue
            last = expression.args[-1].value if isinstance(expression, cst.Call) and expression.args else None
            self.decorator_nodes.append((expression, last))
            if not isinstance(expression, cst.Call):
                continue
            for arg in expression.args:
                if arg.keyword is None:
                    continue
                keyword = arg.keyword.value
                if keyword in limit_keywords:
                    number = evaluator.value_of(arg.value, outer)
                    if number == Const(None):
                        continue  # ``time_limit=None``: no limit
                    self.limits.append((keyword, float(number.value) if is_number(number) else None, arg))
                elif keyword == "name":
                    name = evaluator.value_of(arg.value, outer)
                    if isinstance(name, Const) and isinstance(name.value, str):
                        self.task_name = name.value

    def wants(self, wanted: Wanted) -> None:
        """Declare the nodes whose positions the fact needs."""
        self.method.wants(wanted)
        for _, _, node in self.limits:
            wanted.node(node, self.method.node)
        for expression, last in self.decorator_nodes:
            wanted.node(expression, self.method.node)
            if last is not None:
                wanted.node(last, self.method.node)

    def fact(self, positions: Positions, offsets: LineOffsets) -> TaskFact:
        """The task fact."""
        return TaskFact(
            qualname=self.method.scope.qualname,
            method=self.method.fact(positions, offsets),
            decorators=tuple(self.decorators),
            limits=tuple(LimitKeyword(keyword, value, positions.span(node)) for keyword, value, node in self.limits),
            task_name=self.task_name,
            keyword_anchors=tuple(_keyword_anchor(expression, last, positions, offsets)
                                  for expression, last in self.decorator_nodes),
        )


class ClassRecord:
    """A class that may be an actor: its bases and decorators by qualified name, and its
    methods."""

    def __init__(self, info: ClassInfo, evaluator: Evaluator, concurrency_keywords: frozenset = frozenset(),
                 replies: frozenset = frozenset(), retry_keywords: frozenset = frozenset()) -> None:
        outer = info.scope.parent
        assert outer is not None
        self.info = info
        # ``self.<attr> = {}``: the first dict-like value of each attribute, for ACT302.
        self.dict_values: Dict[str, Tuple[cst.BaseExpression, Optional[cst.CSTNode]]] = {}
        method_of = {id(scope): node for node, scope in info.methods}
        for attr, bindings in info.attr_bindings.items():
            for binding in bindings:
                if isinstance(binding, Assigned) and _dict_like(binding.expression, binding.scope, evaluator):
                    self.dict_values.setdefault(attr, (binding.expression, method_of.get(id(binding.scope))))
        self.concurrent, self.retried = concurrency_and_retries(
            ((arg.keyword.value, evaluator.value_of(arg.value, outer))
             for decorator in info.decorators if isinstance(decorator, cst.Call)
             for arg in decorator.args if arg.keyword is not None),
            concurrency_keywords, retry_keywords,
        )
        bases = (qualname_of(evaluator.value_of(b, outer)) for b in info.bases)
        decorators = (qualname_of(evaluator.value_of(callee(d), outer)) for d in info.decorators)
        self.bases = tuple(b for b in bases if b)
        self.decorators = tuple(d for d in decorators if d)
        self.methods = [MethodRecord(node, scope, evaluator, info.scope, replies) for node, scope in info.methods]

    def may_be_actor(self) -> bool:
        """Without bases, decorators or methods it handles nothing (``ray.remote(Cls)``
        elsewhere could still make it an actor, but with no handler to judge)."""
        return bool(self.bases or self.decorators or self.methods)

    def wants(self, wanted: Wanted) -> None:
        """Declare the nodes whose positions the fact needs."""
        wanted.node(self.info.node.name, self.info.node)
        for method in self.methods:
            method.wants(wanted)
        for value, method in self.dict_values.values():
            wanted.node(value, method)

    def fact(self, positions: Positions, offsets: LineOffsets, limit_keywords: frozenset,
             messages: frozenset = frozenset()) -> ClassFact:
        """The class fact; ``messages`` as for ``MethodRecord.fact``."""
        info = self.info
        return ClassFact(
            qualname=info.qualname, name=info.node.name.value, span=positions.span(info.node.name),
            bases=self.bases, decorators=self.decorators,
            methods=tuple(method.fact(positions, offsets, messages) for method in self.methods),
            limit_attributes=tuple(sorted(limit_keywords & info.scope.bindings.keys())),
            dict_attributes=tuple((attr, positions.span(value)) for attr, (value, _) in sorted(self.dict_values.items())),
            concurrent=self.concurrent,
            retried=self.retried,
        )


def _dict_like(value: cst.BaseExpression, scope: Scope, evaluator: Evaluator) -> bool:
    """``{}``, ``{k: v for ...}``, ``dict()``, ``OrderedDict()``, ``defaultdict(list)``..."""
    if isinstance(value, (cst.Dict, cst.DictComp)):
        return True
    return isinstance(value, cst.Call) and qualname_of(evaluator.value_of(value.func, scope)) in DICT_FACTORIES


def _changes_state(function: Scope, messages: frozenset) -> bool:
    """Whether a function writes to ``self`` or to a module-level value (not through a
    message to an actor: those are sites, by node id in ``messages``)."""
    module = function
    while module.parent is not None:
        module = module.parent
    for root, node in function.state_writes:
        if id(node) in messages:
            continue
        if root == function.self_name:
            return True
        local = root in function.bindings and root not in function.globals
        if not local and root in module.bindings:
            return True
    return False


def _keyword_anchor(expression: cst.BaseExpression, last: Optional[cst.BaseExpression],
                    positions: Positions, offsets: LineOffsets) -> KeywordAnchor:
    """Where ``keyword=value`` joins the arguments of a decorator (see KeywordAnchor)."""
    whole = positions.span(expression)
    end = offsets.offset(whole.end_line, whole.end_column)
    if not isinstance(expression, cst.Call):
        return KeywordAnchor(end, "(", ")")
    keywords = tuple(arg.keyword.value for arg in expression.args if arg.keyword is not None)
    if last is None:
        return KeywordAnchor(end - 1, "", "", keywords)  # before the closing parenthesis
    last_span = positions.span(last)
    if isinstance(expression.args[-1].comma, cst.MaybeSentinel):
        return KeywordAnchor(offsets.offset(last_span.end_line, last_span.end_column), ", ", "", keywords)
    if whole.end_line > last_span.end_line:  # a trailing comma, the parenthesis on a line of its own
        _, indent = offsets.line_start_and_indent(last_span.line)
        return KeywordAnchor(offsets.starts[whole.end_line - 1], indent, ",\n", keywords)
    return KeywordAnchor(end - 1, " ", ",", keywords)


def module_instances(visitor: Binder, evaluator: Evaluator, catalog: Catalog) -> Dict[str, str]:
    """Module-level names bound to a framework value that makes tasks (``app = Celery()``),
    which other modules may use as a decorator (``from shop.celery import app``, ``@app.task``)."""
    decorator_roles = {role for spec in catalog.frameworks.values() for role in spec.task_decorator_roles}
    owners = {role for (role, _), member in catalog.members.items()
              if member.attribute and member.result in decorator_roles}
    found: Dict[str, str] = {}
    for name, bindings in visitor.module_scope.bindings.items():
        if not all(isinstance(b, Assigned) for b in bindings):
            continue
        value = evaluator.lookup(name, visitor.module_scope)
        if isinstance(value, Handle) and value.actor is None and value.role in owners:
            found[name] = value.role
    return found


def limit_settings(visitor: Binder, catalog: Catalog) -> Tuple[Tuple[str, str], ...]:
    """Settings that bound handlers: (setting, "*" or the task name it bounds)."""
    bounds: List[Tuple[str, str]] = []
    assignments = list(visitor.settings)
    for candidate in visitor.candidates:
        node = candidate.node
        # ``app.conf.update(task_time_limit=30)``
        if candidate.kind == "call" and isinstance(node.func, cst.Attribute) and node.func.attr.value == "update":
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value in visitor.setting_names:
                    assignments.append((arg.keyword.value, arg.value, candidate.scope))
    for spec in catalog.frameworks.values():
        for name, value, scope in assignments:
            if name in spec.limit_settings:
                bounds.append(LimitSetting(spec.name, "*"))
            elif name in spec.annotation_settings:
                bounds.extend(LimitSetting(spec.name, task) for task in _annotated_tasks(value, spec.limit_keywords))
    return tuple(dict.fromkeys(bounds))


def _annotated_tasks(value: cst.BaseExpression, keywords: Tuple[str, ...]) -> List[str]:
    """The task names a ``task_annotations`` dict gives a time limit; ``["*"]`` when it
    cannot be read (it may well bound every task: do not report what we cannot see)."""
    if not isinstance(value, cst.Dict):
        return ["*"]
    names = []
    for element in value.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            return ["*"]
        options = element.value
        if not isinstance(options, cst.Dict):
            return ["*"]
        keys = [e.key.evaluated_value for e in options.elements
                if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)]
        if any(key in keywords for key in keys):
            names.append(element.key.evaluated_value)
    return names
