"""Each supported framework as data: what makes an actor, which methods handle messages,
and what every API member does (returns a handle, sends a call or a cast, takes a timeout).

The collector's interpreter (collect/interpreter.py) reads these tables; it holds no framework names of its own.
Roles name the kind of framework value an expression holds, prefixed by the framework:

pykka.ref            an ActorRef                     ``Worker.start()``, ``self.actor_ref``
pykka.proxy          an ActorProxy                   ``ref.proxy()``
pykka.proxy_member   an attribute of a proxy         ``proxy.method`` / ``proxy.field``
pykka.future         a Future                        ``proxy.method()``, ``ref.ask(m, block=False)``
ray.class            an actor class made by ray.remote(Cls)
ray.class_options    ``Cls.options(...)``
ray.handle           an ActorHandle                  ``Worker.remote()``
ray.method           a method of a handle            ``handle.method``
ray.objectref        an ObjectRef                    ``handle.method.remote()``
ray.taskref          a remote function's ObjectRef   ``task.remote()`` with ``@ray.remote def task``
ray.stored           an ObjectRef of a stored value  ``ray.put(value)``: ready at once
ray.waited           what ``ray.wait`` returns       ``ready, pending = ray.wait(refs)``
ray.ready            an ObjectRef known to be ready  an element of ``ready``
ray.placement_group  a placement group               ``placement_group(bundles)``
ray.pgref            a placement group's ready ref   ``pg.ready()``
ray.runtime_context  ``ray.get_runtime_context()``
ray.actor_pool       a pool of actors                ``ActorPool([Worker.remote() for _ in ...])``
thespian.system      an ActorSystem                  ``ActorSystem()``
thespian.address     an ActorAddress                 ``asys.createActor(Cls)``, ``self.myAddress``
celery.app           a Celery application            ``Celery("shop")``
celery.task          a task function                 ``@app.task def add()`` then ``add``
celery.signature     a signature of a task           ``add.s(1, 2)``
celery.asyncresult   an AsyncResult                  ``add.delay(1, 2)``
celery.group         a group, chain or chord         ``group(add.s(i) for i in ...)``
celery.groupresult   a GroupResult                   ``group(...)()``
dramatiq.actor       an actor function               ``@dramatiq.actor def send_mail()``
dramatiq.message     a Message                       ``send_mail.send(to)``
dramatiq.pipeline    a pipeline                      ``pipeline([...])``
dramatiq.group       a group                         ``group([...])``
<name>.actor         an instance of a config-declared framework's actor class
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, replace
from typing import Mapping, Optional, Tuple

__all__ = [
    "AWAITABLE",
    "AWAITED_CALLS",
    "READY_ROLES",
    "UNPACKED_ROLES",
    "BUILTIN_CATALOG",
    "CLASS_MEMBERS",
    "Catalog",
    "CALLED_ROLES",
    "ELEMENT_ROLES",
    "FRAMEWORKS",
    "FUNCTIONS",
    "HANDLE_ANNOTATIONS",
    "IN_PROCESS_VARIANTS",
    "METHOD_LABELS",
    "NAMED_ROLES",
    "NOT_TASK_DECORATORS",
    "RUNTIME_MODULE",
    "Framework",
    "MEMBERS",
    "Member",
    "Param",
    "PROXY_SETATTR",
    "SELF_MEMBERS",
    "TASK_MEMBERS",
    "TIME_LIMITERS",
]


@dataclass(frozen=True)
class Param:
    """A call parameter, found by keyword ``name`` or 0-based ``position`` (self excluded)."""

    name: str
    position: Optional[int] = None


@dataclass(frozen=True)
class Framework:
    """What makes a class an actor of a framework, and which of its methods are handlers."""

    name: str
    actor_bases: Tuple[str, ...] = ()
    actor_decorators: Tuple[str, ...] = ()
    # Handler method names; shell-style patterns allowed (``receiveMsg_*``).
    handler_names: Tuple[str, ...] = ()
    # Whether every public method (no leading underscore) is a handler too.
    public_methods_are_handlers: bool = False
    # Task-queue workers are not serialization points: ACT101 does not apply.
    task_queue: bool = False
    # Whether messages are copied (serialized) on their way to the actor (ACT401).
    serializes: bool = True
    # Functions made actors (tasks) by a decorator: by the decorator's qualified name
    # (``celery.shared_task``), or by the role of the value used as decorator (``app.task``).
    task_decorators: Tuple[str, ...] = ()
    task_decorator_roles: Tuple[str, ...] = ()
    # A task decorator given ``<bind_keyword>=True`` passes the task itself as the
    # function's first parameter (Celery ``@app.task(bind=True)``: ``self.delay(...)``).
    bind_keyword: str = ""
    # The role of a reference to one of its actors by name (``add`` in ``add.delay()``):
    # its members (``MEMBERS[(task_role, "delay")]``) apply to any function or class name,
    # on condition that the name turns out to be an actor of this framework.
    task_role: Optional[str] = None
    # Keywords of the actor's decorator that bound its handler (``time_limit=``).
    limit_keywords: Tuple[str, ...] = ()
    # The one ACT202's fix adds to a task's decorator, in the framework's ``unit``; None:
    # the fix adds ``@time_limited`` instead.
    limit_fix_keyword: Optional[str] = None
    # Settings that bound every handler of the framework when assigned anywhere in the
    # tree (``app.conf.task_time_limit = 30``), and settings that bound the handlers they
    # name (Celery ``task_annotations = {"shop.tasks.add": {"time_limit": 10}}``).
    limit_settings: Tuple[str, ...] = ()
    annotation_settings: Tuple[str, ...] = ()
    # How many seconds one unit of this framework's timeouts and time limits is.
    unit: float = 1.0
    # The role of an instance made by calling one of its actor classes (declared frameworks).
    instance_role: Optional[str] = None
    # What its users call an actor, in messages ("task" for Celery).
    noun: str = "actor"
    # Its name as its users write it, in messages ("Ray"); empty: the name as declared.
    display_name: str = ""
    # The handlers an untargeted message runs (see Member.untargeted).
    default_handlers: Tuple[str, ...] = ()
    # The role of a class made an actor by wrapping it (``ray.remote(Cls)``), which the
    # collector records so that resolution knows the class is one.
    class_role: Optional[str] = None
    # A function that stores a value once and returns a reference to send instead of
    # the value (``ray.put``): the ACT402 fix hoists a repeated payload into it.
    object_store: Optional[str] = None
    # A contract: handles the framework itself passes to project code it calls (a plugin's
    # constructor, a registered factory), as (parameter name, role, actor class), in
    # files that import one of ``modules`` (see model/inference.py).
    injects: Tuple[Tuple[str, str, str], ...] = ()
    modules: Tuple[str, ...] = ()
    # For the actors a contract injects: (actor class, patterns of the handlers that
    # change its state); the others only read (model/state_changes.py).
    state_changing: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    # Keywords of the actor's decorator that let it run several messages at once (Ray
    # ``max_concurrency``), and handlers that run around the actor's life, not per
    # message (Pykka ``on_start``): ACT302 reads both.
    concurrency_keywords: Tuple[str, ...] = ()
    lifecycle_handlers: Tuple[str, ...] = ()
    # What to use instead of an actor serving as a cache (ACT302's message), and the
    # methods of ``self`` a handler answers with (Thespian ``self.send(sender, value)``).
    cache_remedy: str = ""
    reply_methods: Tuple[str, ...] = ()
    # Keywords that make or find one shared instance by name where an actor is configured
    # or created (Ray ``.options(name=...)``, Thespian ``createActor(globalName=...)``),
    # decorators that pool a class's instances (Thespian ``@troupe``), and what to use
    # instead of one busy shared actor (ACT303).
    shared_keywords: Tuple[str, ...] = ()
    # Roles of the lists a registry gives for a class (Pykka ``ActorRegistry.get_by_class``):
    # code taking their first element (``[0]``) runs the class as one shared instance.
    shared_element_roles: Tuple[str, ...] = ()
    pool_decorators: Tuple[str, ...] = ()
    pool_remedy: str = ""
    # The roles of calls that configure or make instances, where those keywords and
    # ``concurrency_keywords`` are read (``Cls.options(...)``, not ``h.m.options(...)``).
    instance_option_roles: Tuple[str, ...] = ()
    # Keywords that make the framework retry an actor's messages after a crash (Ray
    # ``max_task_retries``), and what to use instead of a cast that must not be lost (ACT304).
    retry_keywords: Tuple[str, ...] = ()
    durable_remedy: str = ""

    def is_handler_name(self, method: str) -> bool:
        """Whether a method of this framework's actor class with this name handles messages."""
        if self.public_methods_are_handlers and not method.startswith("_"):
            return True
        return any(fnmatch.fnmatchcase(method, pattern) for pattern in self.handler_names)


FRAMEWORKS: Mapping[str, Framework] = {
    "pykka": Framework(
        name="pykka",
        actor_bases=(
            "pykka.Actor", "pykka.ThreadingActor",
            "pykka._actor.Actor", "pykka._threading.ThreadingActor",
        ),
        handler_names=("on_receive", "on_start", "on_stop", "on_failure"),
        public_methods_are_handlers=True,
        serializes=False,
        default_handlers=("on_receive",),
        lifecycle_handlers=("on_start", "on_stop", "on_failure"),
        cache_remedy="a dict guarded by a `threading.Lock` (or a concurrent cache) in the callers' process",
        shared_element_roles=("pykka.ref_list",),
        pool_remedy="several instances (each `start()`ed) that callers take in turn, or the blocking work "
                    "moved out of the handler",
    ),
    "ray": Framework(
        name="ray",
        actor_decorators=("ray.remote",),
        public_methods_are_handlers=True,
        display_name="Ray",
        class_role="ray.class",
        object_store="ray.put",
        concurrency_keywords=("max_concurrency",),
        shared_keywords=("name", "get_if_exists"),
        instance_option_roles=("ray.class_options",),
        retry_keywords=("max_task_retries",),
        durable_remedy="`max_task_retries` (with `max_restarts`) on the actor, or a persistence-backed worker "
                       "(Celery or Dramatiq with late acknowledgement)",
        pool_remedy="a `ray.util.ActorPool` of several instances, `max_concurrency`, or an async actor",
        cache_remedy="`max_concurrency` on the actor (with a lock around the dict) or share the values "
                     "through the object store (`ray.put`)",
    ),
    "thespian": Framework(
        name="thespian",
        actor_bases=(
            "thespian.actors.Actor", "thespian.actors.ActorTypeDispatcher",
        ),
        handler_names=("receiveMessage", "receiveMsg_*"),
        display_name="Thespian",
        default_handlers=("receiveMessage", "receiveMsg_*"),
        cache_remedy="a dict guarded by a lock in the callers' process (in-process systems), or entries "
                     "kept by each caller",
        reply_methods=("send",),
        shared_keywords=("globalName",),
        instance_option_roles=("thespian.address",),
        pool_decorators=("thespian.troupe.troupe",),
        pool_remedy="`@troupe` on the actor class, or several actors behind a registry",
    ),
    "celery": Framework(
        name="celery",
        actor_bases=("celery.Task", "celery.app.task.Task"),
        handler_names=("run",),
        task_queue=True,
        task_decorators=("celery.shared_task", "celery.app.shared_task"),
        task_decorator_roles=("celery.task_decorator",),
        bind_keyword="bind",
        task_role="celery.task",
        noun="task",
        limit_keywords=("time_limit", "soft_time_limit"),
        # The soft limit raises SoftTimeLimitExceeded in the task, which can clean up.
        limit_fix_keyword="soft_time_limit",
        limit_settings=(
            "task_time_limit", "task_soft_time_limit",
            "CELERY_TASK_TIME_LIMIT", "CELERY_TASK_SOFT_TIME_LIMIT",
        ),
        annotation_settings=("task_annotations", "CELERY_TASK_ANNOTATIONS"),
    ),
    # Mopidy runs extensions on Pykka: it starts their frontends with the Core actor's
    # proxy (``core``), their backends with the Audio actor's (``audio``), and calls their
    # web app factories with ``core``.
    "mopidy": Framework(
        name="mopidy",
        display_name="Mopidy",
        serializes=False,
        injects=(
            ("core", "pykka.proxy", "mopidy.core.Core"),
            ("audio", "pykka.proxy", "mopidy.audio.Audio"),
        ),
        modules=("mopidy",),
        # Core's controllers are traversable attributes of the one Core actor
        # (``core.playback.pause()``), so their handlers are listed together.
        state_changing=(
            ("mopidy.core.Core", (
                "set_*", "play", "pause", "resume", "stop", "next", "previous", "seek",
                "add", "clear", "move", "remove", "shuffle", "create", "delete", "save", "refresh",
            )),
            ("mopidy.audio.Audio", (
                "set_*", "start_playback", "pause_playback", "stop_playback", "prepare_change",
                "emit_*", "enable_sync_handler",
            )),
        ),
    ),
    "dramatiq": Framework(
        name="dramatiq",
        task_queue=True,
        task_decorators=("dramatiq.actor", "dramatiq.actor.actor"),
        task_role="dramatiq.actor",
        limit_keywords=("time_limit",),
        limit_fix_keyword="time_limit",
        unit=0.001,
    ),
}


@dataclass(frozen=True)
class Member:
    """What using a framework API member does.

    ``result`` is the role of the value it produces (called, or read when ``attribute``).
    ``site`` is the message it sends when called: ``"call"`` (the caller waits) or
    ``"cast"``. ``implicit_cast``: calling it queues a message and returns a future or
    ref; dropping that result makes it a cast (counted for ACT301 only).
    """

    result: Optional[str] = None
    site: Optional[str] = None
    label: str = ""
    timeout: Optional[Param] = None
    # ``block=False`` and the like: passing this literal makes it not wait.
    nowait: Optional[Tuple[Param, object]] = None
    nowait_result: Optional[str] = None
    # Argument holding the handle the message goes to (Thespian ``ask(addr, ...)``,
    # ``ray.get(ref)``), or the class of the actor it creates (``createActor(Cls)``).
    target_arg: Optional[Param] = None
    class_arg: Optional[Param] = None
    # ``class_arg`` may also be an instance made by calling the class (Celery
    # ``app.register_task(MyTask())``).
    class_or_instance: bool = False
    attribute: bool = False
    implicit_cast: bool = False
    # The result points at the actor whose method runs the call (``get_runtime_context()``).
    current_actor: bool = False
    # Called without its class argument: the role of the decorator factory it returns.
    options_result: Optional[str] = None
    # A constructor argument whose literal selects a variant, kept as the handle's member
    # (``ActorSystem("simpleSystemBase")``).
    variant: Optional[Param] = None
    # What the message carries, copied when the framework serializes: one parameter, or
    # ``ALL_ARGUMENTS`` (every argument of ``.remote(...)``), or a tuple of parameters.
    payload: Optional[object] = None
    # Waits only when this literal is passed (Dramatiq ``get_result(block=True)``).
    waits_if: Optional[Tuple[Param, object]] = None
    # The time limit when none (or ``None``) is passed, in the framework's unit; None
    # means the call waits forever.
    default_timeout: Optional[float] = None
    # A message that names no handler: it runs the framework's ``default_handlers``
    # (Pykka ``ref.ask(msg)`` runs ``on_receive``).
    untargeted: bool = False
    # A lifecycle message (stopping the actor): neither a call nor a cast to a handler.
    lifecycle: bool = False
    # The framework a member belongs to where no handle says it (a module function such
    # as ``ray.get``, a member of a decorated task function).
    framework: Optional[str] = None
    # Creates an actor of its class, passing the call's arguments to ``__init__``
    # (``Worker.start(core)``, ``Worker.remote(core)``).
    constructs: bool = False
    # Runs the handler the handle names with the call's arguments (``h.method.remote(x)``
    # calls ``method(x)`` in the actor), for inference across the program.
    forwards: bool = False
    # Argument holding the handles the result serves: it points to their actor
    # (``ActorPool(workers)``).
    actors_arg: Optional[Param] = None


_TIMEOUT_KW = Param("timeout")
ALL_ARGUMENTS = Param("*")
_MESSAGE = Param("msg", 1)
_BLOCK_FALSE = (Param("block"), False)
_BLOCK_TRUE = (Param("block"), True)
# Celery: ``result.get(timeout=None, ...)``; the first parameter, forever by default.
_CELERY_WAIT = Member(site="call", label="get", timeout=Param("timeout", 0))
_CELERY_SEND_ARGS = (Param("args", 0), Param("kwargs", 1))
_CELERY_DELAY = Member(
    result="celery.asyncresult", implicit_cast=True, label="delay", payload=ALL_ARGUMENTS,
)
_CELERY_APPLY_ASYNC = Member(
    result="celery.asyncresult", implicit_cast=True, label="apply_async", payload=_CELERY_SEND_ARGS,
)
# Dramatiq waits are bounded: 10 000 ms when no timeout (or None) is given.
_DRAMATIQ_DEFAULT_MS = 10_000.0
_DRAMATIQ_RESULT = Member(
    site="call", label="get_result", timeout=_TIMEOUT_KW, waits_if=_BLOCK_TRUE,
    default_timeout=_DRAMATIQ_DEFAULT_MS,
)
_DRAMATIQ_SEND = Member(
    result="dramatiq.message", implicit_cast=True, label="send", payload=ALL_ARGUMENTS,
)

# (role, member) -> behaviour; the member ``*`` stands for any other name.
MEMBERS: Mapping[Tuple[str, str], Member] = {
    ("pykka.ref", "ask"): Member(
        site="call", label="ask", timeout=_TIMEOUT_KW,
        nowait=_BLOCK_FALSE, nowait_result="pykka.future", untargeted=True,
    ),
    ("pykka.ref", "tell"): Member(site="cast", label="tell"),
    ("pykka.ref", "proxy"): Member(result="pykka.proxy"),
    ("pykka.ref", "stop"): Member(
        site="call", label="stop", timeout=_TIMEOUT_KW,
        nowait=_BLOCK_FALSE, nowait_result="pykka.future", lifecycle=True,
    ),
    ("pykka.proxy", "actor_ref"): Member(result="pykka.ref", attribute=True),
    ("pykka.proxy", "*"): Member(result="pykka.proxy_member", attribute=True),
    ("pykka.proxy_member", "defer"): Member(site="cast", label="defer", forwards=True),
    ("pykka.proxy_member", "get"): Member(site="call", label="get", timeout=_TIMEOUT_KW),
    ("pykka.proxy_member", "*"): Member(result="pykka.proxy_member", attribute=True),
    ("pykka.future", "get"): Member(site="call", label="get", timeout=_TIMEOUT_KW),
    ("pykka.future", "join"): Member(result="pykka.future"),
    ("ray.class", "remote"): Member(result="ray.handle", payload=ALL_ARGUMENTS, constructs=True),
    ("ray.class", "options"): Member(result="ray.class_options"),
    ("ray.class_options", "remote"): Member(result="ray.handle", payload=ALL_ARGUMENTS, constructs=True),
    ("ray.handle", "*"): Member(result="ray.method", attribute=True),
    ("ray.method", "remote"): Member(
        result="ray.objectref", implicit_cast=True, label="remote", payload=ALL_ARGUMENTS, forwards=True,
    ),
    ("ray.method", "options"): Member(result="ray.method"),
    ("ray.runtime_context", "current_actor"): Member(result="ray.handle", attribute=True),
    # ``ActorPool.get_next(timeout=None)`` waits for a result of one of the pool's actors.
    ("ray.actor_pool", "get_next"): Member(site="call", label="ActorPool.get_next", timeout=Param("timeout", 0)),
    ("ray.actor_pool", "get_next_unordered"): Member(
        site="call", label="ActorPool.get_next_unordered", timeout=Param("timeout", 0),
    ),
    ("ray.actor_pool", "pop_idle"): Member(result="ray.handle"),
    ("ray.placement_group", "ready"): Member(result="ray.pgref"),
    ("thespian.system", "ask"): Member(
        site="call", label="ask", timeout=Param("timeout", 2), target_arg=Param("actorAddr", 0),
        payload=_MESSAGE, untargeted=True,
    ),
    ("thespian.system", "tell"): Member(
        site="cast", label="tell", target_arg=Param("actorAddr", 0), payload=_MESSAGE,
    ),
    ("thespian.system", "createActor"): Member(
        result="thespian.address", class_arg=Param("actorClass", 0),
    ),
    ("celery.app", "task"): Member(result="celery.task_decorator", attribute=True),
    ("celery.app", "AsyncResult"): Member(result="celery.asyncresult"),
    ("celery.app", "register_task"): Member(
        result="celery.task", class_arg=Param("task", 0), class_or_instance=True,
    ),
    ("celery.app", "send_task"): Member(
        site="cast", label="send_task", payload=(Param("args", 1), Param("kwargs", 2)),
    ),
    ("celery.task", "delay"): _CELERY_DELAY,
    ("celery.task", "apply_async"): _CELERY_APPLY_ASYNC,
    ("celery.task", "s"): Member(result="celery.signature", payload=ALL_ARGUMENTS),
    ("celery.task", "si"): Member(result="celery.signature", payload=ALL_ARGUMENTS),
    ("celery.task", "signature"): Member(result="celery.signature", payload=_CELERY_SEND_ARGS),
    # ``add.map(items)`` / ``add.starmap(pairs)``: one message running the task over every
    # item; ``add.chunks(items, 10)``: a group of such messages.
    ("celery.task", "map"): Member(result="celery.signature", payload=Param("it", 0)),
    ("celery.task", "starmap"): Member(result="celery.signature", payload=Param("it", 0)),
    ("celery.task", "chunks"): Member(result="celery.group", payload=Param("it", 0)),
    ("celery.signature", "delay"): _CELERY_DELAY,
    ("celery.signature", "apply_async"): _CELERY_APPLY_ASYNC,
    ("celery.signature", "set"): Member(result="celery.signature"),
    ("celery.asyncresult", "get"): _CELERY_WAIT,
    ("celery.asyncresult", "wait"): replace(_CELERY_WAIT, label="wait"),
    ("celery.group", "delay"): Member(result="celery.groupresult"),
    ("celery.group", "apply_async"): Member(result="celery.groupresult"),
    ("celery.chain", "delay"): Member(result="celery.asyncresult"),
    ("celery.chain", "apply_async"): Member(result="celery.asyncresult"),
    ("celery.groupresult", "get"): _CELERY_WAIT,
    ("celery.groupresult", "join"): replace(_CELERY_WAIT, label="join"),
    ("dramatiq.actor", "send"): _DRAMATIQ_SEND,
    ("dramatiq.actor", "send_with_options"): replace(
        _DRAMATIQ_SEND, label="send_with_options", payload=(Param("args"), Param("kwargs")),
    ),
    ("dramatiq.actor", "message"): Member(result="dramatiq.message"),
    ("dramatiq.actor", "message_with_options"): Member(result="dramatiq.message"),
    ("dramatiq.message", "get_result"): _DRAMATIQ_RESULT,
    ("dramatiq.pipeline", "run"): Member(result="dramatiq.pipeline"),
    ("dramatiq.pipeline", "get_result"): _DRAMATIQ_RESULT,
    ("dramatiq.pipeline", "get_results"): replace(_DRAMATIQ_RESULT, label="get_results"),
    ("dramatiq.group", "run"): Member(result="dramatiq.group"),
    ("dramatiq.group", "get_results"): replace(_DRAMATIQ_RESULT, label="get_results"),
    ("dramatiq.group", "wait"): Member(
        site="call", label="wait", timeout=_TIMEOUT_KW, default_timeout=_DRAMATIQ_DEFAULT_MS,
    ),
}

# What calling a value of a role does, the value being the handle the member applies to.
CALLED_ROLES: Mapping[str, Member] = {
    # Decorators waiting for their class: ``ray.remote(num_cpus=1)(Cls)``.
    "ray.remote_options": Member(result="ray.class", class_arg=Param("__t", 0)),
    # Calling a Celery canvas applies it: ``group(...)()`` returns a GroupResult.
    "celery.group": Member(result="celery.groupresult"),
    "celery.chain": Member(result="celery.asyncresult"),
    # Calling a proxy member returns a future and queues a message: a cast when dropped.
    "pykka.proxy_member": Member(result="pykka.future", implicit_cast=True, label="proxy call", forwards=True),
}

# Roles that name an actor themselves: a handle read through a name takes that name as
# its origin (futures and ObjectRefs keep the origin of the handle they came from).
# Task roles and declared instance roles are added per catalog.
NAMED_ROLES = frozenset({"pykka.ref", "pykka.proxy", "ray.handle", "thespian.address"})

# How a message names the API it uses when the handle knows the method: ``balance().get``
# rather than ``get`` (keyed by the member's label).
METHOD_LABELS: Mapping[str, str] = {
    "get": "{}().get", "proxy call": "{}()", "remote": "{}.remote()", "defer": "{}.defer()",
}

# Module-level functions and classes, by qualified name.
FUNCTIONS: Mapping[str, Member] = {
    "ray.get": Member(site="call", label="ray.get", timeout=_TIMEOUT_KW, target_arg=Param("object_refs", 0),
                      framework="ray"),
    "ray.wait": Member(site="call", label="ray.wait", timeout=_TIMEOUT_KW, target_arg=Param("ray_waitables", 0),
                       framework="ray", result="ray.waited"),
    "ray.put": Member(result="ray.stored"),
    "ray.util.placement_group": Member(result="ray.placement_group"),
    "ray.util.placement_group.placement_group": Member(result="ray.placement_group"),
    "ray.get_runtime_context": Member(result="ray.runtime_context", current_actor=True),
    "ray.remote": Member(result="ray.class", class_arg=Param("__t", 0), options_result="ray.remote_options"),
    "ray.util.ActorPool": Member(result="ray.actor_pool", actors_arg=Param("actors", 0)),
    "ray.util.actor_pool.ActorPool": Member(result="ray.actor_pool", actors_arg=Param("actors", 0)),
    "pykka.get_all": Member(site="call", label="pykka.get_all", timeout=_TIMEOUT_KW, target_arg=Param("futures", 0),
                            framework="pykka"),
    "thespian.actors.ActorSystem": Member(result="thespian.system", variant=Param("systemBase", 0)),
    "pykka.ActorRegistry.get_by_class": Member(result="pykka.ref_list", class_arg=Param("actor_class", 0)),
    "pykka.ActorRegistry.get_by_class_name": Member(result="pykka.ref_list"),
    "pykka.ActorRegistry.get_all": Member(result="pykka.ref_list"),
    "pykka.ActorRegistry.get_by_urn": Member(result="pykka.ref"),
    "celery.Celery": Member(result="celery.app"),
    "celery.app.base.Celery": Member(result="celery.app"),
    "celery.result.AsyncResult": Member(result="celery.asyncresult"),
    "celery.result.GroupResult": Member(result="celery.groupresult"),
    "celery.group": Member(result="celery.group"),
    "celery.canvas.group": Member(result="celery.group"),
    "celery.chord": Member(result="celery.chain"),
    "celery.canvas.chord": Member(result="celery.chain"),
    "celery.chain": Member(result="celery.chain"),
    "celery.canvas.chain": Member(result="celery.chain"),
    "dramatiq.pipeline": Member(result="dramatiq.pipeline"),
    "dramatiq.composition.pipeline": Member(result="dramatiq.pipeline"),
    "dramatiq.group": Member(result="dramatiq.group"),
    "dramatiq.composition.group": Member(result="dramatiq.group"),
}

# System variants that deliver messages in-process, without copying them (ACT401).
IN_PROCESS_VARIANTS = frozenset({"simpleSystemBase"})

# Lists of handles, and what one element is: ``ActorRegistry.get_by_class(Seat)[0]``.
ELEMENT_ROLES: Mapping[str, str] = {"pykka.ref_list": "pykka.ref"}

# Type annotations that say a name holds a handle, by qualified name of the generic;
# its subscript, when a class, names the actor (``pykka.ActorProxy[Seat]``).
HANDLE_ANNOTATIONS: Mapping[str, str] = {
    "pykka.ActorRef": "pykka.ref",
    "pykka._ref.ActorRef": "pykka.ref",
    "pykka.ActorProxy": "pykka.proxy",
    "pykka._proxy.ActorProxy": "pykka.proxy",
    "pykka.Future": "pykka.future",
    "pykka._future.Future": "pykka.future",
    "ray.actor.ActorHandle": "ray.handle",
    "ray.ObjectRef": "ray.objectref",
    "ray._raylet.ObjectRef": "ray.objectref",
    "thespian.actors.ActorAddress": "thespian.address",
    "celery.result.AsyncResult": "celery.asyncresult",
    "celery.result.GroupResult": "celery.groupresult",
    "dramatiq.Message": "dramatiq.message",
    "dramatiq.message.Message": "dramatiq.message",
}

# Members of an actor class itself, by framework: ``Worker.start()``, ``Counter.remote()``.
CLASS_MEMBERS: Mapping[Tuple[str, str], Member] = {
    ("pykka", "start"): Member(result="pykka.ref", constructs=True),
    ("ray", "remote"): Member(result="ray.handle", payload=ALL_ARGUMENTS, constructs=True),
    ("ray", "options"): Member(result="ray.class_options"),
}

# Members of a function turned into a remote task by a decorator, keyed by
# (decorator, member): ``@ray.remote def f`` then ``f.remote()`` returns an ObjectRef.
TASK_MEMBERS: Mapping[Tuple[str, str], Member] = {
    ("ray.remote", "remote"): Member(
        result="ray.taskref", implicit_cast=True, label="remote", payload=ALL_ARGUMENTS, framework="ray",
    ),
}

# Decorators that never make a task, by qualified-name prefix (builtins, functools,
# typing, ...; Ray's remote functions are tasks of their own kind, see TASK_MEMBERS).
NOT_TASK_DECORATORS: Tuple[str, ...] = (
    "builtins.", "functools.", "typing.", "contextlib.", "abc.", "dataclasses.", "asyncio.",
    "actorlint.", "pytest.", "unittest.", "ray.",
)

# Members reached through ``self`` inside an actor class, by framework.
SELF_MEMBERS: Mapping[Tuple[str, str], Member] = {
    ("pykka", "actor_ref"): Member(result="pykka.ref", attribute=True),
    ("thespian", "myAddress"): Member(result="thespian.address", attribute=True),
    ("thespian", "send"): Member(
        site="cast", label="send", target_arg=Param("targetAddr", 0), payload=_MESSAGE,
    ),
    ("thespian", "createActor"): Member(result="thespian.address", class_arg=Param("actorClass", 0)),
}

# Roles whose ``await`` waits for an actor's reply (no time limit can be passed).
AWAITABLE: Mapping[str, str] = {
    "pykka.future": "await future",
    "pykka.proxy_member": "await proxy attribute",
    "ray.objectref": "await",
    "ray.taskref": "await",
    "ray.pgref": "await",
}

# Awaiting a call of a method of this name on an attribute (``x.method.remote()``) waits
# for the framework's reply even when ``x`` is not known, in a module importing the
# framework's package:
# ``await self.rollouter.get_replicas.remote()`` (a handle passed in from outside) waits
# for a Ray ref. Method name -> (package, the role of what is awaited).
AWAITED_CALLS: Mapping[str, Tuple[str, str]] = {"remote": ("ray", "ray.objectref")}

# Roles whose wait returns at once (rules.md, ACT201 precision): a stored value's ref,
# a ref from the ready list of ``ray.wait``. Waiting on one is no site.
READY_ROLES = frozenset({"ray.stored", "ray.ready"})

# What unpacking a result gives, by (role, position): ``ready, pending = ray.wait(refs)``
# makes ``ready`` a list of ready refs.
UNPACKED_ROLES: Mapping[Tuple[str, int], str] = {("ray.waited", 0): "ray.ready"}

# Setting an attribute on a proxy asks the actor and waits for it (pykka ActorProxy.__setattr__).
PROXY_SETATTR = ("pykka.proxy", "setattr")

# actorlint's own runtime helper (the actorlint-runtime distribution, also re-exported
# at its former home): ``@time_limited(seconds=4.0)`` on a handler, or the call form
# ``time_limited(fn, 4.0)`` inside it.
RUNTIME_MODULE = "actorlint_runtime"
TIME_LIMITERS = frozenset({f"{RUNTIME_MODULE}.time_limited", "actorlint.runtime.time_limited"})
TIME_LIMIT_SECONDS_DECORATOR = Param("seconds", 0)
TIME_LIMIT_SECONDS_CALL = Param("seconds", 1)


def framework_of_role(role: str) -> str:
    """The framework a role belongs to (``pykka.ref`` -> ``pykka``)."""
    return role.split(".", 1)[0]


def self_role(framework: str) -> str:
    """The role of an actor's own members reached through ``self`` (``self.send``)."""
    return f"{framework}.self"


@dataclass(frozen=True)
class Catalog:
    """Everything the collector knows about frameworks: the built-in tables above, plus
    the frameworks a project declares in its config, merged into the same tables so that
    a declared framework is understood exactly as a built-in one."""

    frameworks: Mapping[str, Framework]
    members: Mapping[Tuple[str, str], Member]
    functions: Mapping[str, Member]
    class_members: Mapping[Tuple[str, str], Member]
    self_members: Mapping[Tuple[str, str], Member]
    # Roles through which a message names its actor (``ask(address, ...)``).
    target_roles: frozenset = field(default_factory=frozenset)
    # What calling a value of a role does (``CALLED_ROLES``).
    called_roles: Mapping[str, Member] = field(default_factory=dict)

    @property
    def named_roles(self) -> frozenset:
        """Roles that name an actor themselves (``NAMED_ROLES``, every task role and every
        declared instance role)."""
        specs = self.frameworks.values()
        return NAMED_ROLES | {spec.task_role for spec in specs if spec.task_role} \
            | {spec.instance_role for spec in specs if spec.instance_role}

    def extended(self, other: "Catalog") -> "Catalog":
        """This catalog with the frameworks and members of ``other`` added (a declared
        framework's)."""
        return Catalog(
            frameworks={**self.frameworks, **other.frameworks},
            members={**self.members, **other.members},
            functions={**self.functions, **other.functions},
            class_members={**self.class_members, **other.class_members},
            self_members={**self.self_members, **other.self_members},
            target_roles=self.target_roles | other.target_roles,
            called_roles={**self.called_roles, **other.called_roles},
        )


BUILTIN_CATALOG = Catalog(
    frameworks=FRAMEWORKS,
    members=MEMBERS,
    functions=FUNCTIONS,
    class_members=CLASS_MEMBERS,
    self_members=SELF_MEMBERS,
    called_roles=CALLED_ROLES,
    target_roles=frozenset({
        "pykka.ref", "pykka.proxy", "pykka.future", "ray.handle", "ray.objectref", "ray.taskref", "ray.pgref",
        "thespian.address", "celery.asyncresult", "celery.groupresult", "dramatiq.message",
        "dramatiq.pipeline", "dramatiq.group",
    }),
)
