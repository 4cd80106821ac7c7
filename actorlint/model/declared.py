"""Actor frameworks a project declares in its config (``[tool.actorlint.frameworks.<name>]``),
validated and compiled into the same tables as the built-in frameworks (frameworks.py).

A declared framework is read like this::

    [tool.actorlint.frameworks.bus]
    actor-bases = ["myapp.bus.Actor"]            # subclasses are actors
    handlers = ["handle_*", "on_message"]        # methods that handle messages
    calls = ["myapp.bus.Actor.request"]          # the caller waits for the reply
    casts = ["myapp.bus.Actor.publish"]          # fire and forget
    timeout-param = { name = "timeout", position = 1 }
    serializes = true

A call or cast named ``<actor base>.<method>`` is that method called on an actor instance
(``printer.request(...)`` with ``printer = Printer()``), or on ``self`` inside the actor
(a self-call); any other name is a module-level function (``myapp.bus.request(...)``).
"""

from __future__ import annotations

import difflib
import keyword
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Tuple

from actorlint.model.frameworks import (
    ALL_ARGUMENTS, BUILTIN_CATALOG, Catalog, Framework, Member, Param,
)

__all__ = [
    "DECLARATION_KEYS",
    "TIMEOUT_UNITS",
    "DeclarationError",
    "FrameworkDeclaration",
    "TimeoutParam",
    "catalog_for",
    "check_frameworks",
    "compile_declaration",
]

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
#: The units a declared framework's timeouts may be in, and their size in seconds.
TIMEOUT_UNITS = {"seconds": 1.0, "milliseconds": 0.001}


class TimeoutParam(NamedTuple):
    """Where the calls of a declared framework take their timeout."""

    name: str
    position: Optional[int] = None


class FrameworkDeclaration(NamedTuple):
    """One ``[tool.actorlint.frameworks.<name>]`` table, validated (plain, hashable data)."""

    name: str
    actor_bases: Tuple[str, ...] = ()
    actor_decorators: Tuple[str, ...] = ()
    handlers: Tuple[str, ...] = ()
    public_methods_are_handlers: bool = False
    calls: Tuple[str, ...] = ()
    casts: Tuple[str, ...] = ()
    timeout_param: Optional[TimeoutParam] = None
    timeout_unit: str = "seconds"
    serializes: bool = False
    task_queue: bool = False
    modules: Tuple[str, ...] = ()
    # (parameter, handle role, actor class) the framework passes to project code.
    injects: Tuple[Tuple[str, str, str], ...] = ()
    # (actor class, patterns of its state-changing handlers).
    state_changing: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()


class DeclarationError(Exception):
    """A problem in a framework declaration; ``subkey`` locates it (``.bus.calls``)."""

    def __init__(self, message: str, subkey: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.subkey = subkey


#: Every key of a framework table: (what it holds, its default, what it does).
DECLARATION_KEYS: Mapping[str, Tuple[str, Any, str]] = {
    "actor-bases": ("list of names", [], "Classes whose subclasses are actors (qualified names)."),
    "actor-decorators": (
        "list of names", [], "Decorators that make a class, or a function, an actor (qualified names).",
    ),
    "handlers": (
        "list of patterns", [], "Names of the methods that handle messages; shell-style patterns such as `handle_*`.",
    ),
    "public-methods-are-handlers": (
        "boolean", False, "Every method whose name does not start with `_` handles messages too.",
    ),
    "calls": (
        "list of names", [],
        "Sends that wait for the reply: `<actor base>.<method>` (called on an actor or on `self`) "
        "or a module-level function.",
    ),
    "casts": ("list of names", [], "Sends that do not wait (same forms as `calls`)."),
    "timeout-param": (
        "table", None,
        "Where `calls` take their timeout: `{ name = \"timeout\", position = 1 }`; the position "
        "counts the caller's arguments from 0, without `self`. Without it, calls cannot be given a "
        "timeout and every call is reported by ACT201.",
    ),
    "timeout-unit": ("string", "seconds", "The unit of those timeouts: `\"seconds\"` or `\"milliseconds\"`."),
    "serializes": (
        "boolean", False, "Messages are copied (pickled, sent over a wire) on their way: ACT401 and ACT402 apply.",
    ),
    "task-queue": (
        "boolean", False, "Actors are task-queue workers, not serialization points: ACT101 does not apply.",
    ),
    "modules": (
        "list of names", [], "The framework's own modules (qualified names): `injects` applies in packages importing one.",
    ),
    "injects": (
        "table", {},
        "Handles the framework passes to project code it calls itself (a plugin's constructor, a registered "
        "factory), by parameter name: `{ core = { actor = \"myapp.core.Core\", handle = \"pykka.proxy\" } }`. "
        "`handle` is the kind of handle (`pykka.ref`, `pykka.proxy`, `ray.handle`, `thespian.address`, or "
        "`<framework>.actor` for a declared one; by default this framework's own). Such a parameter, in a "
        "package (top-level) importing one of `modules`, holds that handle unless a call in the project passes "
        "something else.",
    ),
    "state-changing": (
        "table", {},
        "For actors whose class is not in the checked tree (those `injects` passes): which of their handlers "
        "change the actor's state, by actor class: `{ \"myapp.core.Core\" = [\"set_*\", \"add\"] }` "
        "(shell-style patterns). ACT501 and ACT502 count a later message as acting on a reply only when its "
        "handler changes state; the handlers of such an actor that no pattern matches only read.",
    ),
}

# Handle kinds a contract can inject, besides a declared framework's ``<name>.actor``.
_INJECTABLE = ("pykka.ref", "pykka.proxy", "ray.handle", "thespian.address")


def _dotted(value: str) -> bool:
    parts = value.split(".")
    return len(parts) >= 2 and all(p.isidentifier() and not keyword.iskeyword(p) for p in parts)


def _names(raw: Any, key: str) -> Tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise DeclarationError(f"expected a list of qualified names, got {raw!r}", f".{key}")
    for value in raw:
        if not _dotted(value):
            raise DeclarationError(
                f'expected dotted qualified names such as "myapp.bus.Actor", got "{value}"', f".{key}"
            )
    return tuple(raw)


def _patterns(raw: Any, key: str) -> Tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
        raise DeclarationError(f"expected a list of method names or patterns, got {raw!r}", f".{key}")
    for value in raw:
        if not re.fullmatch(r"[A-Za-z_*?\[\]!0-9]+", value):
            raise DeclarationError(
                f'expected a method name or a pattern such as "handle_*", got "{value}"', f".{key}"
            )
    return tuple(raw)


def _flag(raw: Any, key: str) -> bool:
    if not isinstance(raw, bool):
        raise DeclarationError(f"expected true or false, got {raw!r}", f".{key}")
    return raw


def _timeout_param(raw: Any) -> TimeoutParam:
    key = ".timeout-param"
    if not isinstance(raw, dict):
        raise DeclarationError(f'expected a table such as {{ name = "timeout", position = 1 }}, got {raw!r}', key)
    unknown = sorted(set(raw) - {"name", "position"})
    if unknown:
        raise DeclarationError(f'unknown key "{unknown[0]}"; expected "name" and "position"', key)
    name = raw.get("name")
    if not isinstance(name, str) or not name.isidentifier():
        raise DeclarationError(f"name: expected a parameter name, got {name!r}", key)
    position = raw.get("position")
    if position is not None and (isinstance(position, bool) or not isinstance(position, int) or position < 0):
        raise DeclarationError(f"position: expected a non-negative integer, got {position!r}", key)
    return TimeoutParam(name, position)


def _injects(raw: Any, framework: str) -> Tuple[Tuple[str, str, str], ...]:
    key = ".injects"
    example = '{ core = { actor = "myapp.core.Core", handle = "pykka.proxy" } }'
    if not isinstance(raw, dict):
        raise DeclarationError(f"expected a table such as {example}, got {raw!r}", key)
    found = []
    for param, spec in raw.items():
        where = f"{key}.{param}"
        if not param.isidentifier() or keyword.iskeyword(param):
            raise DeclarationError("expected a parameter name", where)
        if not isinstance(spec, dict) or not isinstance(spec.get("actor"), str) or not _dotted(spec["actor"]):
            raise DeclarationError(f"expected a table such as {example}, got {spec!r}", where)
        unknown = sorted(set(spec) - {"actor", "handle"})
        if unknown:
            raise DeclarationError(f'unknown key "{unknown[0]}"; expected "actor" and "handle"', where)
        handle = spec.get("handle", f"{framework}.actor")
        if not isinstance(handle, str) or not (handle in _INJECTABLE or (
                handle.endswith(".actor") and _NAME.match(handle[:-len(".actor")]))):
            choices = ", ".join(_INJECTABLE)
            raise DeclarationError(f"handle: expected one of {choices} or <framework>.actor, got {handle!r}", where)
        found.append((param, handle, spec["actor"]))
    return tuple(found)


def _state_changing(raw: Any) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    key = ".state-changing"
    example = '{ "myapp.core.Core" = ["set_*", "add"] }'
    if not isinstance(raw, dict):
        raise DeclarationError(f"expected a table such as {example}, got {raw!r}", key)
    found = []
    for actor, patterns in raw.items():
        if not _dotted(actor):
            raise DeclarationError(f"expected a qualified class name such as myapp.core.Core, got {actor!r}", key)
        found.append((actor, _patterns(patterns, f"state-changing.{actor}")))
    return tuple(found)


def _declaration(name: str, table: Any, builtin: Tuple[str, ...]) -> FrameworkDeclaration:
    if not _NAME.match(name):
        raise DeclarationError(
            "expected a framework name of lower-case letters, digits and underscores, starting with a letter"
        )
    if name in builtin:
        raise DeclarationError(f'"{name}" is a built-in framework; choose another name')
    if not isinstance(table, dict):
        raise DeclarationError(f"expected a table, got {table!r}")
    values: Dict[str, Any] = {}
    for key, raw in table.items():
        if key not in DECLARATION_KEYS:
            close = difflib.get_close_matches(key.replace("_", "-"), list(DECLARATION_KEYS), n=1, cutoff=0.6)
            hint = f'; did you mean "{close[0]}"?' if close else f"; known keys: {', '.join(DECLARATION_KEYS)}"
            raise DeclarationError(f"unknown key{hint}", f".{key}")
        field = key.replace("-", "_")
        if key in ("actor-bases", "actor-decorators", "calls", "casts"):
            values[field] = _names(raw, key)
        elif key == "modules":
            if not isinstance(raw, list) or not all(isinstance(v, str) and all(
                    p.isidentifier() for p in v.split(".")) for v in raw):
                raise DeclarationError(f"expected a list of module names, got {raw!r}", f".{key}")
            values[field] = tuple(raw)
        elif key == "injects":
            values[field] = _injects(raw, name)
        elif key == "state-changing":
            values[field] = _state_changing(raw)
        elif key == "handlers":
            values[field] = _patterns(raw, key)
        elif key == "timeout-param":
            values[field] = _timeout_param(raw)
        elif key == "timeout-unit":
            if raw not in TIMEOUT_UNITS:
                raise DeclarationError(f'expected "seconds" or "milliseconds", got {raw!r}', f".{key}")
            values[field] = raw
        else:
            values[field] = _flag(raw, key)
    declaration = FrameworkDeclaration(name, **values)
    if declaration.injects and not declaration.modules:
        raise DeclarationError("injects needs modules: the framework's modules whose importers it applies to")
    if declaration.injects and not declaration.actor_bases and not declaration.actor_decorators:
        return declaration  # a contract only, over actors of other frameworks
    if not declaration.actor_bases and not declaration.actor_decorators:
        raise DeclarationError("declares no actors: give actor-bases or actor-decorators (or both), or injects")
    if not declaration.handlers and not declaration.public_methods_are_handlers \
            and not declaration.actor_decorators:
        raise DeclarationError("declares no handlers: give handlers or public-methods-are-handlers = true")
    return declaration


def check_frameworks(raw: Any) -> Tuple[FrameworkDeclaration, ...]:
    """Validate the ``frameworks`` table; raises DeclarationError with the failing sub-key."""
    if not isinstance(raw, dict):
        raise DeclarationError(f"expected a table of framework tables, got {raw!r}")
    declarations = []
    builtin = tuple(BUILTIN_CATALOG.frameworks)
    for name, table in raw.items():
        try:
            declarations.append(_declaration(name, table, builtin))
        except DeclarationError as error:
            raise DeclarationError(error.message, f".{name}{error.subkey}") from None
    return tuple(declarations)


def compile_declaration(declaration: FrameworkDeclaration) -> Catalog:
    """The tables a declaration adds: its Framework and the members of its calls and casts."""
    name = declaration.name
    instance_role = f"{name}.actor"
    framework = Framework(
        name=name,
        actor_bases=declaration.actor_bases,
        actor_decorators=declaration.actor_decorators,
        handler_names=declaration.handlers,
        public_methods_are_handlers=declaration.public_methods_are_handlers,
        task_queue=declaration.task_queue,
        serializes=declaration.serializes,
        task_decorators=declaration.actor_decorators,
        unit=TIMEOUT_UNITS[declaration.timeout_unit],
        instance_role=instance_role,
        injects=declaration.injects,
        modules=declaration.modules,
        state_changing=declaration.state_changing,
    )
    timeout = Param(*declaration.timeout_param) if declaration.timeout_param else None
    payload = ALL_ARGUMENTS if declaration.serializes else None
    members: Dict[Tuple[str, str], Member] = {}
    self_members: Dict[Tuple[str, str], Member] = {}
    functions: Dict[str, Member] = {}
    sends: List[Tuple[str, Member]] = [
        (qualname, Member(site="call", label=qualname.rpartition(".")[2], timeout=timeout, payload=payload))
        for qualname in declaration.calls
    ] + [
        (qualname, Member(site="cast", label=qualname.rpartition(".")[2], payload=payload))
        for qualname in declaration.casts
    ]
    for qualname, member in sends:
        owner, _, method = qualname.rpartition(".")
        if owner in declaration.actor_bases:
            members[(instance_role, method)] = member
            self_members[(name, method)] = member
        else:
            functions[qualname] = replace(member, framework=name)
    return Catalog(
        frameworks={name: framework}, members=members, functions=functions, class_members={},
        self_members=self_members, target_roles=frozenset({instance_role}),
    )


@lru_cache(maxsize=8)
def catalog_for(declarations: Tuple[FrameworkDeclaration, ...]) -> Catalog:
    """The built-in catalog extended with every declared framework."""
    catalog = BUILTIN_CATALOG
    for declaration in declarations:
        catalog = catalog.extended(compile_declaration(declaration))
    return catalog
