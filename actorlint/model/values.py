"""The abstract values the collector gives expressions.

An expression is worth knowing about when it names something by qualified name
(``Qual``), is a literal (``Const``), holds a framework value (``Handle``), an instance of
a known type (``Instance``), is a method's ``self`` (``SelfRef``), or is a container whose
elements all hold one value (``Many``). Anything else is ``UNKNOWN``, and nothing is
reported on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple, Union

__all__ = [
    "Const", "Handle", "Instance", "Many", "Qual", "READY_ASSUMPTION", "SelfRef", "Symbol", "UNKNOWN", "Value",
    "assumed_actor",
    "join", "known", "many", "read_assumption",
]


@dataclass(frozen=True)
class Qual:
    """A module, class, function or attribute path, by qualified name."""

    name: str


@dataclass(frozen=True)
class Const:
    """A literal: None, a bool, a number or a string."""

    value: object


@dataclass(frozen=True)
class Instance:
    """An instance of a known type, e.g. ``requests.Session`` or ``threading.Event``."""

    type: str


@dataclass(frozen=True)
class Handle:
    """A framework value (see the roles in frameworks.py), pointing to ``actor`` when known."""

    role: str
    actor: Optional[str] = None
    is_self: bool = False
    member: Optional[str] = None
    # Which handle this is, as the code names it (``ref``, ``self.seats``), carried on to
    # the proxies, futures and refs made from it; None for an unnamed one (a new actor).
    origin: Optional[str] = None


@dataclass(frozen=True)
class SelfRef:
    """The ``self`` parameter of a method of class ``cls``."""

    cls: str


@dataclass(frozen=True)
class Many:
    """A container whose every element holds ``element``, of one ``kind``: a SEQUENCE
    (list, tuple, set, generator: iterating or indexing gives an element), a MAPPING (a
    dict: indexing, ``.get()`` and ``.values()`` give an element; iterating gives keys) or
    PAIRS (``.items()``, ``enumerate()``: iterating gives (key, element) pairs). ``empty``:
    nothing is in it yet (``refs = []``), so what is added later decides the element."""

    element: "Value"
    kind: str = "sequence"
    empty: bool = False

    SEQUENCE = "sequence"
    MAPPING = "mapping"
    PAIRS = "pairs"


@dataclass(frozen=True)
class Symbol:
    """A value the file alone cannot decide, named for inference across the program,
    which solves it once every file is collected: ``parameter`` ``name`` of function
    ``owner``, the value ``returned`` by function ``owner`` (defined in another module),
    or ``attribute`` ``name`` of instances of class ``owner`` (read as ``self.name`` in
    its methods), or ``member`` ``name`` of an instance of class ``owner`` read from
    outside (``Context(core).core``; solved as the attribute is). Until it is solved, it
    tells nothing: every reading of values treats it as unknown (``known``)."""

    kind: str
    owner: str
    name: str = ""

    PARAMETER = "parameter"
    RETURNED = "returned"
    ATTRIBUTE = "attribute"
    MEMBER = "member"


# An actor name standing for "the actor of the handle symbol S turns out to be, if it is
# a handle of role R": what the collector's assumption passes give a symbol (collect/
# assumptions.py), written into the facts as a string so that they stay plain data.
_ASSUMED = "?"


# The role written in a site's ``ready_if`` placeholder: the site waits on a symbol's
# ref, and waits for nothing when the symbol turns out to hold a ready one (``ray.put``).
READY_ASSUMPTION = "ready"


def assumed_actor(role: str, symbol: Symbol) -> str:
    """The placeholder actor of a handle of ``role`` assumed for ``symbol``."""
    return _ASSUMED.join(("", role, symbol.kind, symbol.owner, symbol.name))


def read_assumption(actor: Optional[str]) -> Optional[Tuple[str, Symbol]]:
    """The role and symbol an ``assumed_actor`` placeholder stands for; None for a real actor."""
    if not actor or not actor.startswith(_ASSUMED):
        return None
    parts = actor.split(_ASSUMED)
    if len(parts) != 5:
        return None
    return parts[1], Symbol(parts[2], parts[3], parts[4])


UNKNOWN = None

Value = Union[Qual, Const, Instance, Handle, SelfRef, Symbol, Many, None]
_NONE = Const(None)


def many(element: Value, kind: str = Many.SEQUENCE) -> Value:
    """A container of ``element``s; unknown when the element is not known."""
    return Many(element, kind) if known(element) else UNKNOWN


def join(first: Value, second: Value) -> Value:
    """What two bindings of one name agree on: the value when they are equal; for two
    containers of one kind, the container of what their elements agree on (an empty one
    agrees with any, a ``None`` placeholder slot with a handle); else unknown."""
    if first == second:
        return first
    if isinstance(first, Many) and isinstance(second, Many) and first.kind == second.kind:
        if first.empty or second.empty:
            return second if first.empty else first
        return many(_join_elements(first.element, second.element), first.kind)
    return UNKNOWN


def _join_elements(first: Value, second: Value) -> Value:
    if first == second:
        return first
    if first == _NONE or second == _NONE:
        # ``workers = [None] * n`` then ``workers[i] = Worker.remote()``: a slot not filled yet.
        other = second if first == _NONE else first
        return other if isinstance(other, Handle) else UNKNOWN
    if isinstance(first, Handle) and isinstance(second, Handle) and first.role == second.role:
        # Handles of one kind: to one actor class when they agree on it, else to an actor.
        same = (first.actor, first.is_self) == (second.actor, second.is_self)
        return Handle(first.role, first.actor if same else None, first.is_self and same,
                      first.member if first.member == second.member else None,
                      first.origin if first.origin == second.origin and same else None)
    return join(first, second) if isinstance(first, Many) else UNKNOWN


def known(value: Value) -> bool:
    """Whether a value says anything yet (neither unknown nor an unsolved symbol)."""
    return value is not UNKNOWN and not isinstance(value, Symbol)
