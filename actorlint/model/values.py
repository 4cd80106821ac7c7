"""The abstract values the collector gives expressions.

An expression is worth knowing about when it names something by qualified name
(``Qual``), is a literal (``Const``), holds a framework value (``Handle``), an instance of
a known type (``Instance``), or is a method's ``self`` (``SelfRef``). Anything else is
``UNKNOWN``, and nothing is reported on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple, Union

__all__ = [
    "Const", "Handle", "Instance", "Qual", "SelfRef", "Symbol", "UNKNOWN", "Value", "assumed_actor", "known",
    "read_assumption",
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
class Symbol:
    """A value the file alone cannot decide, named for inference across the program,
    which solves it once every file is collected: ``parameter`` ``name`` of function
    ``owner``, the value ``returned`` by function ``owner`` (defined in another module),
    or ``attribute`` ``name`` of instances of class ``owner``. Until it is solved, it
    tells nothing: every reading of values treats it as unknown (``known``)."""

    kind: str
    owner: str
    name: str = ""

    PARAMETER = "parameter"
    RETURNED = "returned"
    ATTRIBUTE = "attribute"


# An actor name standing for "the actor of the handle symbol S turns out to be, if it is
# a handle of role R": what the collector's assumption passes give a symbol (collect/
# assumptions.py), written into the facts as a string so that they stay plain data.
_ASSUMED = "?"


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

Value = Union[Qual, Const, Instance, Handle, SelfRef, Symbol, None]


def known(value: Value) -> bool:
    """Whether a value says anything yet (neither unknown nor an unsolved symbol)."""
    return value is not UNKNOWN and not isinstance(value, Symbol)
