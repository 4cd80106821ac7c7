"""The fact types: what the collector finds in a file and what rules judge.

Two layers, both plain data (the cache stores them as JSON, see actorlint/serial.py):

* ``FileFacts`` is what one file says on its own (the collector, model/collect/). Whether a class is an actor
  may depend on other files (``class Worker(BaseActor)`` with ``BaseActor`` elsewhere), so
  sites carry the actor-ness they ``require`` instead of a verdict.
* ``ProjectFacts`` (resolve.py) merges every file's facts, decides which classes are
  actors of which framework, and keeps only the sites whose requirements hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, ClassVar, Dict, FrozenSet, List, NamedTuple, Optional, Tuple, Union

from actorlint.diagnostics import Diagnostic, Span
from actorlint.model.flows import Flows
from actorlint.model.frameworks import Framework
from actorlint.suppressions import Suppressions

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.model.state_changes import StateChanges

__all__ = [
    "ActorClass",
    "CacheAccess",
    "Dependency",
    "HandlerLimit",
    "LimitKeyword",
    "LimitSetting",
    "TimeoutAnchor",
    "ClassFact",
    "FileFacts",
    "HandleFact",
    "HoistAnchor",
    "ImportAnchor",
    "KeywordAnchor",
    "MethodFact",
    "ProjectFacts",
    "AnySite",
    "CALL",
    "CAST",
    "BlockingSite",
    "MessageSite",
    "Site",
    "TimeLimitSite",
    "TaskFact",
    "Timeout",
]


class ActorClass(NamedTuple):
    """A class taken as an actor of a framework: what a site or payload requires to hold
    (``Worker.start().ask()`` needs ``Worker`` to be a Pykka actor), or a class a file
    makes an actor by wrapping it (``ray.remote(Cls)``)."""

    framework: str
    qualname: str


class TimeoutAnchor(NamedTuple):
    """Where ACT201's fix puts a time limit: [``start``, ``end``) and ``how``: "append"
    (after the last argument), "first" (the only argument) or "replace"."""

    start: int
    end: int
    how: str


class Dependency(NamedTuple):
    """The reply of site ``check`` decides (``how`` "guard") or goes into ("argument")
    the message of site ``act``, in one function and to the same handle."""

    check: int
    act: int
    how: str


class CacheAccess(NamedTuple):
    """What a method that only reads and writes dict entries of ``self`` touches
    (collect/cache_shape.py): the attributes whose entries it reads and writes, and the
    attributes it reads whole (``self.ttl``)."""

    reads: Tuple[str, ...]
    writes: Tuple[str, ...]
    plain: Tuple[str, ...]


class LimitKeyword(NamedTuple):
    """A time-limit keyword of a task's decorator: its value in the framework's unit
    (None when not a literal) and where it is written."""

    keyword: str
    value: Optional[float]
    span: Span


class LimitSetting(NamedTuple):
    """A framework setting that bounds handlers: of every task (``task`` "*") or of one."""

    framework: str
    task: str


class HandlerLimit(NamedTuple):
    """A time limit a framework puts on a handler: seconds, where, and how it is written."""

    seconds: float
    span: Span
    how: str


class Timeout:
    """How a waiting call is time-limited (the values of ``Site.timeout``)."""

    GIVEN = "given"
    MISSING = "missing"
    NONE = "none"
    INFINITE = "infinite"
    # None given, but the framework's default is a finite limit (Dramatiq: 10 s).
    DEFAULT = "default"
    NOT_APPLICABLE = "n/a"

    UNBOUNDED = frozenset({MISSING, NONE, INFINITE})


@dataclass(frozen=True)
class HandleFact:
    """The actor a message goes to: its class (when known) and whether it is the sender."""

    role: str
    actor: Optional[str] = None
    is_self: bool = False
    # The handler method the message invokes (``proxy.m()``, ``h.m.remote()``), when known.
    method: Optional[str] = None
    # The handle as the code names it (``ref``, ``self.seats``); same origin, same actor.
    origin: Optional[str] = None


@dataclass(frozen=True)
class Site:
    """A place where code messages an actor, blocks, or sets a time limit: one of
    ``MessageSite``, ``BlockingSite`` and ``TimeLimitSite``, told apart by type (their
    ``kind`` says the same in a word: ``call``, ``cast``, ``blocking``, ``time_limit``).
    ``function`` is the qualified name of the innermost enclosing function, None at
    module level."""

    label: str
    span: Span
    function: Optional[str]
    # This site's number in its file, for dependencies between sites.
    id: int = 0
    statement_lines: Tuple[int, ...] = ()

    kind: ClassVar[str] = ""


#: The kinds of a message: the caller waits for the reply, or it does not.
CALL, CAST = "call", "cast"


@dataclass(frozen=True)
class MessageSite(Site):
    """A message to an actor: a ``call`` (the caller waits for the reply) or a ``cast``
    (fire and forget)."""

    kind: str = CALL  # type: ignore[misc]  # a field here, a constant on the other kinds
    framework: Optional[str] = None
    target: Optional[HandleFact] = None
    timeout: str = Timeout.NOT_APPLICABLE
    # A numeric time limit in the framework's unit.
    timeout_value: Optional[float] = None
    # Where a fix would put a time limit: (start offset, end offset, how) with how one of
    # "append" (after the last argument), "first" (the only argument), "replace".
    edit: Optional[TimeoutAnchor] = None
    awaited: bool = False
    implicit: bool = False
    # (framework, class qualname) pairs that must be actors of that framework for this
    # site to exist (``Worker.start().ask()`` needs ``Worker`` to be a Pykka actor).
    requires: Tuple[ActorClass, ...] = ()
    # A message naming no handler (it runs the framework's default handlers), and a
    # lifecycle message (stopping the actor): see Member.
    untargeted: bool = False
    lifecycle: bool = False
    # A site made under an assumption about a symbol (collect/assumptions.py) that, when
    # the assumption holds, stands in for the plain site of this id (same call, its actor
    # now known); -1 for none.
    replaces: int = -1
    # A call waiting on the ref a symbol holds (``ray.get(stash(x))``), as a placeholder
    # (values.assumed_actor): when the symbol turns out to hold a ready ref (a ``ray.put``
    # result), the call waits for nothing and the site is dropped; None for none.
    ready_if: Optional[str] = None


@dataclass(frozen=True)
class BlockingSite(Site):
    """A known blocking call (``time.sleep``), with its qualified name and category from
    the blocking table."""

    blocking: str = ""
    category: Optional[str] = None
    async_only: bool = False

    kind: ClassVar[str] = "blocking"


@dataclass(frozen=True)
class TimeLimitSite(Site):
    """A call of the runtime's ``time_limited(fn, seconds)`` inside a function."""

    # Its seconds, when readable.
    timeout_value: Optional[float] = None

    kind: ClassVar[str] = "time_limit"


AnySite = Union[MessageSite, BlockingSite, TimeLimitSite]


@dataclass(frozen=True)
class ImportAnchor:
    """Where an import of the runtime helper goes, as isort and Ruff would place it: at
    ``offset``, after ``newlines_before`` empty lines and followed by ``newlines_after``
    (a section of its own). The rule writes the import statement."""

    offset: int = 0
    newlines_before: int = 0
    newlines_after: int = 0


@dataclass(frozen=True)
class HoistAnchor:
    """Where a repeated payload can be put into the framework's object store once, before
    its loop (the ACT402 fix): a line at ``offset``, indented ``indent``, binding
    ``ref_name`` to ``store(value_name)``; the argument at [``start``, ``end``) becomes
    ``ref_name``. The rule writes the text."""

    offset: int
    indent: str
    store: str
    value_name: str
    ref_name: str
    start: int
    end: int


@dataclass(frozen=True)
class Payload:
    """A known-large value sent by value in a message to a framework that copies messages."""

    span: Span
    reason: str
    # Item count for literals and comprehensions (compared with ``large-literal``).
    size: Optional[int]
    framework: str
    function: Optional[str]
    statement_lines: Tuple[int, ...] = ()
    requires: Tuple[ActorClass, ...] = ()
    # Sent inside a loop while bound outside it: the same value copied every iteration.
    repeated: bool = False
    # Where the fix for a repeated value goes, when the framework has an object store.
    hoist: Optional[HoistAnchor] = None


@dataclass(frozen=True)
class MethodFact:
    """A function defined directly in a class body."""

    name: str
    qualname: str
    span: Span
    is_async: bool = False
    is_static: bool = False
    decorators: Tuple[str, ...] = ()
    # ``@time_limited(seconds=...)``: whether present, its seconds when readable, where.
    time_limited: bool = False
    time_limit: Optional[float] = None
    time_limit_span: Optional[Span] = None
    # Where a new innermost decorator goes: the offset of the ``def`` line and its indent.
    def_offset: int = 0
    indent: str = ""
    # Whether its body assigns or mutates ``self`` state, and the other methods of
    # ``self`` it calls (whose changes count too): see collect/state_writes.py.
    changes_state: bool = False
    self_calls: Tuple[str, ...] = ()
    # When all it does is read and write entries of dict-like ``self`` attributes (ACT302).
    cache_access: Optional[CacheAccess] = None


@dataclass(frozen=True)
class ClassFact:
    """A class definition with its bases and decorators resolved to qualified names."""

    qualname: str
    name: str
    span: Span
    bases: Tuple[str, ...] = ()
    decorators: Tuple[str, ...] = ()
    methods: Tuple[MethodFact, ...] = ()
    # Class attributes that some framework reads as a handler time limit (``time_limit``).
    limit_attributes: Tuple[str, ...] = ()
    # ``self.<attr>`` assigned a dict-like value (``{}``, ``dict()``, ``OrderedDict()``), and
    # where that value is written.
    dict_attributes: Tuple[Tuple[str, Span], ...] = ()
    # A decorator keyword lets the actor run several messages at once (Ray
    # ``max_concurrency``), or retries its messages after a crash (``max_task_retries``).
    concurrent: bool = False
    retried: bool = False


@dataclass(frozen=True)
class KeywordAnchor:
    """Where a keyword argument can be added to a decorator: insert ``prefix``, the
    ``keyword=value``, then ``suffix`` at ``offset`` (``@app.task`` gets ``(`` and ``)``;
    ``@app.task(bind=True)`` gets ``, ``; a multi-line call with a trailing comma gets a
    line of its own). ``keywords`` are the ones it already passes."""

    offset: int
    prefix: str
    suffix: str
    keywords: Tuple[str, ...] = ()


@dataclass(frozen=True)
class TaskFact:
    """A decorated function that may be an actor of a task framework (``@app.task``).

    ``decorators`` are the decorators' qualified names, or ``"<role>"`` for a decorator
    that is a framework value (``app.task`` with ``app = Celery()``); whether one makes
    the function an actor is decided on merged facts, as the app may live in another file.
    """

    qualname: str
    method: MethodFact
    decorators: Tuple[str, ...] = ()
    # (keyword, number in the framework's unit or None when not a literal, its span) for
    # every keyword of the decorators that some framework reads as a time limit.
    limits: Tuple[LimitKeyword, ...] = ()
    # The name the task is registered under (``name=`` or ``module.function``).
    task_name: str = ""
    # Per decorator (as ``decorators``): where a keyword such as ``soft_time_limit=`` goes.
    keyword_anchors: Tuple[KeywordAnchor, ...] = ()


@dataclass(frozen=True)
class FileFacts:
    """Everything one file contributes: its classes, sites, and module-level imports."""

    path: str
    module: str
    classes: Tuple[ClassFact, ...] = ()
    sites: Tuple[AnySite, ...] = ()
    payloads: Tuple[Payload, ...] = ()
    # Module-level names bound by imports: name -> qualified name (for re-exports).
    imports: Dict[str, str] = field(default_factory=dict)
    # Adding ``time_limited``: the name it is already bound to at module level (or None),
    # and where its import goes, as the offset and text to insert (import_placement).
    time_limited_name: Optional[str] = None
    runtime_import: ImportAnchor = ImportAnchor()
    # (checking site id, acting site id, how): the reply of the first call decides
    # whether the second runs ("guard") or goes into its arguments ("argument"), both in
    # one function and to the same handle.
    dependencies: Tuple[Dependency, ...] = ()
    # Every name bound at module level (an added import must not shadow one of them).
    module_names: FrozenSet[str] = frozenset()
    # Classes made actors by wrapping them in this file (``ray.remote(Cls)``), as
    # (framework, class qualname).
    wrapped_classes: Tuple[ActorClass, ...] = ()
    # Actor classes created here to run several messages at once
    # (``Cls.options(max_concurrency=8)``), run as one shared instance found by name
    # (with where: ``Cls.options(name="registry")``), or served behind a pool.
    concurrent_classes: Tuple[ActorClass, ...] = ()
    shared_actors: Tuple[Tuple[ActorClass, Span], ...] = ()
    pooled_classes: Tuple[ActorClass, ...] = ()
    retried_classes: Tuple[ActorClass, ...] = ()
    # Decorated functions that may be tasks, and the module-level names holding framework
    # values (``app`` -> ``celery.app``), which decorators in other files may go through.
    tasks: Tuple[TaskFact, ...] = ()
    instances: Dict[str, str] = field(default_factory=dict)
    # Framework settings assigned here that bound handlers: (setting, task name or "*").
    limit_settings: Tuple[LimitSetting, ...] = ()
    # ACT000 and other diagnostics produced while reading and parsing.
    errors: Tuple[Diagnostic, ...] = ()
    skipped: bool = False
    # False when the prefilter left the file out and only its syntax was checked.
    parsed: bool = True
    # Whether its text names a framework word (the prefilter's first round picks it).
    names_framework: bool = False
    # For such a file: the digest of the prefilter words it was checked against.
    prefilter_digest: str = ""
    # The file's suppression comments, read only when the file has sites that may become
    # diagnostics.
    suppressions: Optional[Suppressions] = None
    # A collector bug met on this file (a traceback), reported as an internal error.
    internal_error: Optional[str] = None
    # How values flow between this file and others, for inference across the program.
    flows: Flows = Flows()


@dataclass(frozen=True)
class Actor:
    """A class that is an actor of some framework."""

    qualname: str
    framework: str
    path: str
    span: Span
    # A task-queue worker (Celery, Dramatiq): not a serialization point, so no ACT101.
    task_queue: bool = False
    # What its framework's users call it, in messages ("task" for Celery).
    noun: str = "actor"


@dataclass(frozen=True)
class Handler:
    """A method of an actor class (or a task function) that handles messages."""

    actor: Actor
    method: MethodFact
    # Time limits the framework itself puts on the handler, in seconds, where they are
    # written and how (``time_limit=60``); and whether any framework limit applies, even
    # one whose value cannot be read (a global ``task_time_limit`` setting).
    limits: Tuple[HandlerLimit, ...] = ()
    framework_bounded: bool = False
    # For a task function: which of its decorators made it one (an index into
    # ``TaskFact.decorators``); None for a method of an actor class.
    task_decorator: Optional[int] = None
    # The file defining the method when it is not the actor's (a method inherited from a
    # plain base class in another module).
    path: str = ""
    # Other actors that inherit the same method from a plain base class (their handler too).
    shared_with: Tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """The file that defines the handler's method."""
        return self.path or self.actor.path


@dataclass
class ProjectFacts:
    """Every file's facts merged, with actors resolved across the tree."""

    files: Tuple[FileFacts, ...]
    actors: Dict[str, Actor]
    # Function qualname -> handler, for every handler of every actor.
    handlers: Dict[str, Handler]
    # Per file path: the sites whose actor requirements hold.
    sites: Dict[str, Tuple[AnySite, ...]]
    # Per file path: the large payloads whose actor requirements hold.
    payloads: Dict[str, Tuple[Payload, ...]] = field(default_factory=dict)
    # Every framework understood in this run, built-in and declared, by name.
    frameworks: Dict[str, Framework] = field(default_factory=dict)
    # Which handlers change their actor's state (None: nothing known).
    state_changes: Optional["StateChanges"] = None
    # Every class of the tree by qualified name, with the file defining it, and how a
    # name a base is spelled with resolves (re-exports followed).
    classes: Dict[str, Tuple[ClassFact, str]] = field(default_factory=dict)
    canonical: Callable[[str], str] = field(default=str, repr=False, compare=False)
    _grouped: Dict[str, Dict[str, Tuple[Handler, ...]]] = field(default_factory=dict, repr=False, compare=False)
    _lineages: Dict[str, Tuple[Tuple[ClassFact, str], ...]] = field(default_factory=dict, repr=False,
                                                                   compare=False)

    def handlers_defined_in(self, path: str) -> Tuple[Handler, ...]:
        """The handlers whose method is written in the file ``path`` (per-file rules ask
        this for every file: grouped once)."""
        return self._handlers_by("where", lambda handler: handler.where).get(path, ())

    def handlers_of(self, actor: str) -> Tuple[Handler, ...]:
        """The handlers of one actor (grouped once)."""
        return self._handlers_by("actor", lambda handler: handler.actor.qualname).get(actor, ())

    def handlers_reaching(self, actor: str) -> Tuple[Handler, ...]:
        """The handlers a message to ``actor`` can run: its own, then those it inherits
        from actor classes it is based on in the tree (the nearest definition of a name)."""
        found: List[Handler] = []
        for owner in [cls.qualname for cls, _ in self.lineage(actor)] or [actor]:
            nearer = {handler.method.name for handler in found}
            found.extend(h for h in self.handlers_of(owner) if h.method.name not in nearer)
        return tuple(found)

    def _handlers_by(self, kind: str, key: Callable[[Handler], str]) -> Dict[str, Tuple[Handler, ...]]:
        if kind not in self._grouped:
            grouped: Dict[str, List[Handler]] = {}
            for handler in self.handlers.values():
                grouped.setdefault(key(handler), []).append(handler)
            self._grouped[kind] = {name: tuple(found) for name, found in grouped.items()}
        return self._grouped[kind]

    def lineage(self, qualname: str) -> Tuple[Tuple[ClassFact, str], ...]:
        """A class of the tree and its bases in the tree, nearest first (depth first, each
        once), with their files; empty when the class is not in the tree."""
        if qualname not in self._lineages:
            found: List[Tuple[ClassFact, str]] = []
            seen = set()
            stack = [qualname]
            while stack:
                name = self.canonical(stack.pop())
                entry = self.classes.get(name)
                if entry is None or name in seen:
                    continue
                seen.add(name)
                found.append(entry)
                stack.extend(reversed(entry[0].bases))
            self._lineages[qualname] = tuple(found)
        return self._lineages[qualname]
