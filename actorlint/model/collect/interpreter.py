"""The framework interpreter: what calls, awaits and attribute writes do, read from the
framework catalog. A call gets a value (a handle, an instance) and perhaps a site: a
message (call or cast), a blocking call, or a time limit. Sites are drafted as field
dicts; ``drafts.py`` turns them into facts once positions are known."""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, FrozenSet, Mapping, Optional, Tuple

import libcst as cst

from actorlint.model import blocking as blocking_table
from actorlint.model.collect import containers
from actorlint.model.collect.call_limits import CallLimits
from actorlint.model.collect.drafts import requirement
from actorlint.model.collect.evaluator import USE_AWAIT, USE_CALL, USE_SETATTR, USE_TARGET, Evaluator
from actorlint.model.collect.flow_recorder import FlowRecorder
from actorlint.model.collect.instance_notes import InstanceNotes
from actorlint.model.collect.large_values import PayloadFinder
from actorlint.model.collect.scopes import Scope, enclosing_class
from actorlint.model.facts import ActorClass, Timeout
from actorlint.model.frameworks import (
    AWAITABLE, AWAITED_CALLS, ELEMENT_ROLES, HANDLE_ANNOTATIONS, IN_PROCESS_VARIANTS, METHOD_LABELS, PROXY_SETATTR, READY_ROLES,
    TASK_MEMBERS, TIME_LIMIT_SECONDS_CALL, TIME_LIMITERS, Catalog, Member, Param, framework_of_role,
    self_role,
)
from actorlint.model.syntax import find_arg
from actorlint.model.values import (
    READY_ASSUMPTION, UNKNOWN, Const, Handle, Instance, Many, Qual, SelfRef, Symbol, Value, assumed_actor, known,
)

__all__ = ["Interpreter"]

_BUILTINS = "builtins."
# Functions that return one of their arguments unchanged, for the type checker only.
_CASTS = {"typing.cast": Param("val", 1), "typing_extensions.cast": Param("val", 1)}

Interpreted = Tuple[Value, Optional[dict]]


class Interpreter:
    """Interprets framework APIs for the evaluator (see ``Semantics``) and drafts sites."""

    def __init__(self, evaluator: Evaluator, catalog: Catalog,
                 blocking: Mapping[str, blocking_table.BlockingCall]) -> None:
        self.values = evaluator
        self.catalog = catalog
        self.blocking = blocking
        self.limits = CallLimits(evaluator, blocking)
        self.binder = evaluator.binder
        specs = catalog.frameworks.values()
        self.task_roles = [(spec.name, spec.task_role) for spec in specs if spec.task_role]
        self.instance_roles = [spec.instance_role for spec in specs if spec.instance_role]
        self.named_roles = catalog.named_roles
        self.payloads = PayloadFinder(evaluator, catalog)
        self.instances = InstanceNotes(catalog, evaluator)
        self._calls: Dict[int, Interpreted] = {}
        self._exports: Optional[Dict[str, FrozenSet[str]]] = None
        # Where the plain pass records flows for inference across the program (the
        # assumption passes record none).
        self.flows: Optional[FlowRecorder] = None
        evaluator.semantics = self

    # -- what the evaluator asks -------------------------------------------------------
    def call_value(self, node: cst.Call, scope: Scope) -> Value:
        return self.interpret_call(node, scope)[0]

    def handle_attribute(self, base: Handle, attr: str) -> Value:
        member, base = self._handle_member(base, attr)
        if member is not None and member.attribute and member.result:
            return Handle(member.result, base.actor, base.is_self, attr, base.origin)
        return UNKNOWN

    def self_attribute(self, cls: str, attr: str) -> Value:
        for (_, name), member in self.catalog.self_members.items():
            if name == attr and member.attribute and member.result:
                return Handle(member.result, cls, True, origin="self")
        return UNKNOWN

    def named(self, value: Value, name: str) -> Value:
        """A handle read through a name gets that name as its origin, unless it has one."""
        if isinstance(value, Handle) and value.origin is None and value.role in self.named_roles:
            return replace(value, origin=name)
        return value

    def element(self, handle: Handle, subscript: Optional[cst.Subscript] = None) -> Value:
        role = ELEMENT_ROLES.get(handle.role)
        if role is None:
            return UNKNOWN
        if subscript is not None and handle.actor:
            self.instances.taken_first(subscript, handle.role, handle.actor)
        return Handle(role, handle.actor)

    def task_self(self, function: str) -> Optional[Handle]:
        decorated = self.binder.decorated.get(function)
        if decorated is None:
            return None
        decorators, scope = decorated
        for decorator in decorators:
            if not isinstance(decorator, cst.Call):
                continue
            callee = self.values.value_of(decorator.func, scope)
            for spec in self.catalog.frameworks.values():
                if not spec.bind_keyword or not spec.task_role:
                    continue
                makes_task = callee.role in spec.task_decorator_roles if isinstance(callee, Handle) \
                    else isinstance(callee, Qual) and callee.name in spec.task_decorators
                bind = find_arg(decorator, Param(spec.bind_keyword))
                if makes_task and bind is not None and self.values.value_of(bind, scope) == Const(True):
                    return Handle(spec.task_role, function, origin="self")
        return None

    def exports(self, module: str) -> Optional[FrozenSet[str]]:
        if self._exports is None:
            self._exports = _known_exports(self.catalog, self.blocking)
        return self._exports.get(module)

    def annotation(self, generic: Value, element: Value) -> Value:
        if not isinstance(generic, Qual):
            return UNKNOWN
        role = HANDLE_ANNOTATIONS.get(generic.name)
        if role is None:
            return self._typed_proxy(generic.name)
        return Handle(role, element.name if isinstance(element, Qual) else None)

    def _typed_proxy(self, cls: str) -> Value:
        """A class of this module declared as a handle type by a base such as
        ``pykka.ActorProxy[Foo]`` (Pykka's typed proxies: ``class FooProxy(ActorMemberMixin,
        ActorProxy[Foo])``): an annotation naming it declares that handle."""
        info = self.values.class_info(cls)
        if info is None or info.scope.parent is None:
            return UNKNOWN
        for base in info.bases:
            if isinstance(base, cst.Subscript):
                declared = self.values.annotated(base, info.scope.parent)
                if isinstance(declared, Handle):
                    return declared
        return UNKNOWN

    # -- calls -------------------------------------------------------------------------
    def interpret_call(self, node: cst.Call, scope: Scope) -> Interpreted:
        """The value a call returns and the site it makes (as fields), memoised."""
        key = id(node)
        cached = self._calls.get(key)
        if cached is None:
            cached = self.values.tracked(key, lambda: self._interpret_call(node, scope))
            self._calls[key] = cached
        else:
            self.values.touch_if_tainted(key)
        return cached

    def _interpret_call(self, node: cst.Call, scope: Scope) -> Interpreted:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return self._call_value(self.values.value_of(func, scope), node, scope)
        if self.flows is not None and self.flows.super_call(node, scope):
            return UNKNOWN, None
        base = self.values.value_of(func.value, scope)
        attr = func.attr.value
        if isinstance(base, Handle):
            member, base = self._handle_member(base, attr)
            if member is None:
                return UNKNOWN, None
            if member.attribute:
                return self._call_value(self.values.attribute(base, attr), node, scope)
            return self._apply(member, node, scope, base)
        if isinstance(base, SelfRef):
            if self.values.own_attribute(base.cls, attr) is None:
                for (framework, name), member in self.catalog.self_members.items():
                    if name == attr and not member.attribute:
                        handle = Handle(self_role(framework), base.cls, True)
                        return self._apply(member, node, scope, handle)
            method = self.values.attribute(base, attr)
            if self.flows is not None:
                if isinstance(method, Qual):
                    self.flows.call(method.name, node, scope, "bound")
                elif not isinstance(method, Handle):
                    self.flows.dynamic_method(attr)
            return self._call_value(method, node, scope)
        if isinstance(base, Qual):
            return self._call_member_of_name(base.name, attr, node, scope)
        if isinstance(base, Instance):
            return self._call_qual(f"{base.type}.{attr}", node, scope)
        if isinstance(base, Many):
            return containers.method_result(base, attr), None
        self.values.consult(base, attr)
        if self.flows is not None:
            self.flows.dynamic_method(attr)
        return UNKNOWN, None

    def _call_member_of_name(self, name: str, attr: str, node: cst.Call, scope: Scope) -> Interpreted:
        """``Name.attr(...)``: a task's member, a function, or an actor class's member."""
        task_member = self._task_member(name, attr)
        if task_member is not None:
            return self._apply(task_member, node, scope, None)
        value, site = self._call_qual(f"{name}.{attr}", node, scope)
        if not known(value) and site is None:
            for (framework, member_name), member in self.catalog.class_members.items():
                if member_name == attr and member.result:
                    self.instances.created(node, scope, member.result, name)  # ``Cls.options(...)``
                    self.payloads.record(member, node, scope, framework, (ActorClass(framework, name),))
                    if self.flows is not None:
                        self.flows.framework_call(node, scope, name if member.constructs else None)
                    return Handle(member.result, name), None
            # ``add.delay(...)``: a member of a task, if ``add`` turns out to be one.
            for _, role in self.task_roles:
                member = self.catalog.members.get((role, attr))
                if member is not None:
                    return self._apply(member, node, scope, Handle(role, name, origin=name))
        return value, site

    def _task_member(self, function: str, attr: str) -> Optional[Member]:
        """The member ``attr`` of a function of this module that a decorator made a task."""
        decorated = self.binder.decorated.get(function)
        if decorated is None:
            return None
        decorators, scope = decorated
        for decorator in decorators:
            callee = decorator.func if isinstance(decorator, cst.Call) else decorator
            value = self.values.value_of(callee, scope)
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

    def _call_value(self, callee: Value, node: cst.Call, scope: Scope) -> Interpreted:
        """Calling a value: a function or class by name, or a framework value."""
        if isinstance(callee, Qual):
            return self._call_qual(callee.name, node, scope)
        if isinstance(callee, Handle):
            member = self.catalog.called_roles.get(callee.role)
            if member is not None:
                return self._apply(member, node, scope, callee)
        self.values.consult(callee, USE_CALL)
        return UNKNOWN, None

    def _call_qual(self, qualname: str, node: cst.Call, scope: Scope) -> Interpreted:
        if qualname in _CASTS:
            value = self._literal(node, _CASTS[qualname], scope)  # ``cast("FooProxy", proxy)``
            return value, None
        positional = [arg for arg in node.args if arg.keyword is None]
        if len(positional) == 1 and not positional[0].star:  # ``sorted(workers, key=...)``
            copied = containers.builtin_result(qualname, self.values.value_of(positional[0].value, scope))
            if copied is not UNKNOWN:
                return copied, None
        if qualname == "builtins.float" and len(node.args) == 1:
            argument = self.values.value_of(node.args[0].value, scope)
            if isinstance(argument, Const) and isinstance(argument.value, str):
                try:
                    return Const(float(argument.value)), None
                except ValueError:
                    return UNKNOWN, None
        member = self.catalog.functions.get(qualname)
        if member is not None:
            return self._apply(member, node, scope, None)
        if qualname in TIME_LIMITERS and len(node.args) >= 2:
            seconds = self.values.seconds_of(find_arg(node, TIME_LIMIT_SECONDS_CALL), scope)
            return UNKNOWN, {"kind": "time_limit", "label": qualname, "timeout_value": seconds}
        site = self.limits.blocking_site(qualname, node, scope)
        type_name = blocking_table.instance_type(qualname)
        if type_name:
            return Instance(type_name), site
        if self.flows is not None and site is None:
            self.flows.call(qualname, node, scope)
        value = self.values.returned(qualname)
        if known(value) or site is not None:
            return value, site
        if self.instance_roles and qualname.rpartition(".")[2][:1].isupper():
            # ``Printer()``: an actor of a declared framework, if that class is one.
            return Handle(self.instance_roles[0], qualname), None
        if qualname.startswith(_BUILTINS) or qualname in self.binder.functions:
            return UNKNOWN, None
        # A function of another module (or a class): for inference across the program.
        return self.values.solved(Symbol(Symbol.RETURNED, qualname)), None

    def _literal(self, node: cst.Call, param: Param, scope: Scope) -> Value:
        argument = find_arg(node, param)
        return self.values.value_of(argument, scope) if argument is not None else UNKNOWN

    def _apply(self, member: Member, node: cst.Call, scope: Scope, handle: Optional[Handle]) -> Interpreted:
        """Apply a framework member to a call: its result and its site."""
        if self.flows is not None:
            constructed = handle.actor if member.constructs and handle is not None else None
            self.flows.framework_call(node, scope, constructed)
            if member.forwards and handle is not None and handle.actor and handle.member:
                self.flows.call(f"{handle.actor}.{handle.member}", node, scope, "bound")
        waits = True
        if member.waits_if is not None:
            param, literal = member.waits_if
            value = self._literal(node, param, scope)
            waits = isinstance(value, Const) and value.value == literal
        if member.nowait is not None and find_arg(node, member.nowait[0]) is not None:
            param, literal = member.nowait
            value = self._literal(node, param, scope)
            if not isinstance(value, Const):
                return UNKNOWN, None
            if value.value == literal:
                if not member.nowait_result:
                    return UNKNOWN, None
                return _derived(member.nowait_result, handle), None
        result = self._result(member, node, scope, handle)
        if isinstance(result, Handle) and result.actor and node.args:
            # ``Cls.options(max_concurrency=8)``, ``createActor(Cls, globalName="g")``
            self.instances.created(node, scope, result.role, result.actor)
        if member.payload is not None and not (handle is not None and handle.member in IN_PROCESS_VARIANTS):
            framework = framework_of_role(handle.role) if handle is not None else member.framework
            self.payloads.record(member, node, scope, framework, requirement(handle))
        kind = member.site if waits else None
        if kind is None and member.implicit_cast and id(node) in self.binder.dropped:
            kind = "cast"
        if kind is None:
            return result, None
        target = handle
        ready_if = None
        if member.target_arg is not None:
            value = self._literal(node, member.target_arg, scope)
            if isinstance(value, Many) and value.kind == Many.SEQUENCE:
                value = value.element  # ``ray.get(refs)``: what every element waits for
            if isinstance(value, Handle) and value.role in READY_ROLES:
                return result, None  # ``ray.get(ray.put(x))``: nothing to wait for
            self.values.consult(value, USE_TARGET)
            if isinstance(value, Symbol) and value in self.values.consulted:
                # ``ray.get(stash(x))``, ``stash`` returning ``ray.put(x)`` in another module
                ready_if = assumed_actor(READY_ASSUMPTION, value)
            target = value if isinstance(value, Handle) and value.role in self.catalog.target_roles else None
        framework = framework_of_role(handle.role) if handle is not None else member.framework
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
        if ready_if is not None:
            site["ready_if"] = ready_if
        if kind == "call":
            site.update(self.limits.fields(node, member.timeout, scope, member.default_timeout))
        return result, site

    def _result(self, member: Member, node: cst.Call, scope: Scope, handle: Optional[Handle]) -> Value:
        """The value a member's call returns."""
        if member.class_arg is not None:
            argument = find_arg(node, member.class_arg)
            if member.class_or_instance and isinstance(argument, cst.Call) and not argument.args:
                argument = argument.func  # ``register_task(MyTask())``: the class it makes
            cls = self.values.value_of(argument, scope) if argument is not None else UNKNOWN
            if isinstance(cls, Qual) and member.result:
                return Handle(member.result, cls.name)
            if isinstance(cls, Handle) and member.result and cls.role == member.result:
                return cls  # already what the member makes: ``ray.remote(ray.remote(C))``
            if argument is None and member.options_result:
                # ``ray.remote(num_cpus=1)``: options now, the class in a second call.
                return Handle(member.options_result)
            return UNKNOWN
        if member.actors_arg is not None and member.result:
            served = self._literal(node, member.actors_arg, scope)
            if isinstance(served, Many):
                served = served.element
            if isinstance(served, Handle) and served.actor:
                self.instances.pool(framework_of_role(served.role), served.actor)
            return Handle(member.result, served.actor if isinstance(served, Handle) else None)
        if member.current_actor and member.result:
            cls_name = enclosing_class(scope)
            return Handle(member.result, cls_name, cls_name is not None, origin="self" if cls_name else None)
        if member.variant is not None and member.result:
            variant = self._literal(node, member.variant, scope)
            kind = variant.value if isinstance(variant, Const) and isinstance(variant.value, str) else None
            return Handle(member.result, member=kind)
        if member.result:
            method = handle.member if handle is not None and member.implicit_cast else None
            return replace(_derived(member.result, handle), member=method)
        return UNKNOWN

    # -- other candidates --------------------------------------------------------------
    def await_site(self, node: cst.Await, scope: Scope) -> Optional[dict]:
        value = self.values.value_of(node.expression, scope)
        if value is UNKNOWN or isinstance(value, Symbol):
            role = self._awaited_call_role(node.expression)
            if role is not None:
                self.values.consult(value, USE_AWAIT)
                # Whose reply is not known (an assumption pass may tell: it stands in).
                return {"kind": "call", "label": AWAITABLE[role], "framework": framework_of_role(role),
                        "target": None, "timeout": Timeout.MISSING, "awaited": True}
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
        self.values.consult(value, USE_AWAIT)
        return None

    def _awaited_call_role(self, expression: cst.BaseExpression) -> Optional[str]:
        """The role of what an awaited call of a method named in AWAITED_CALLS gives when
        its receiver is not known (the reply of an actor not known), in a module importing
        its package.
        Only a method of a method (``x.method.remote()``): a bare ``fn.remote()`` on a name
        not known may be anything's."""
        if not (isinstance(expression, cst.Call) and isinstance(expression.func, cst.Attribute)
                and isinstance(expression.func.value, cst.Attribute)):
            return None
        known = AWAITED_CALLS.get(expression.func.attr.value)
        if known is None or known[0] not in self.binder.imported_packages:
            return None
        return known[1]

    def setattr_site(self, node: cst.Attribute, scope: Scope) -> Optional[dict]:
        value = self.values.value_of(node.value, scope)
        if isinstance(value, Handle) and value.role == PROXY_SETATTR[0]:
            return {
                "kind": "call",
                "label": f"proxy.{node.attr.value} = ...",
                "framework": framework_of_role(value.role),
                "target": value,
                "timeout": Timeout.MISSING,
                "gate": value,
            }
        self.values.consult(value, USE_SETATTR)
        return None


def _known_exports(catalog: Catalog, blocking: Mapping[str, blocking_table.BlockingCall]) -> Dict[str, FrozenSet[str]]:
    """Per module, the names of it that the catalog and the blocking table know: what
    ``from module import *`` is known to bind (``from thespian.actors import *`` binds
    ``Actor`` and ``ActorSystem``)."""
    qualnames = set(catalog.functions) | set(HANDLE_ANNOTATIONS) | set(TIME_LIMITERS) | set(blocking)
    qualnames.update(decorator for decorator, _ in TASK_MEMBERS)
    for spec in catalog.frameworks.values():
        qualnames.update(spec.actor_bases + spec.actor_decorators + spec.task_decorators)
    found: Dict[str, set] = {}
    for qualname in qualnames:
        parts = qualname.split(".")
        for depth in range(1, len(parts)):  # ``pykka.ActorRegistry.get_by_class``: pykka binds ActorRegistry
            if not parts[depth].startswith("_"):
                found.setdefault(".".join(parts[:depth]), set()).add(parts[depth])
    return {module: frozenset(names) for module, names in found.items()}


def _derived(role: str, handle: Optional[Handle]) -> Handle:
    """A value of ``role`` made from ``handle``: same actor, same sender, same origin."""
    if handle is None:
        return Handle(role)
    return Handle(role, handle.actor, handle.is_self, origin=handle.origin)


def _label(label: str, handle: Optional[Handle]) -> str:
    """How a message names the API it uses: ``balance().get`` rather than ``get``."""
    template = METHOD_LABELS.get(label)
    if template is not None and handle is not None and handle.member:
        return template.format(handle.member)
    return label
