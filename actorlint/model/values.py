"""The abstract values the collector gives expressions.

An expression is worth knowing about when it names something by qualified name
(``Qual``), is a literal (``Const``), holds a framework value (``Handle``), an instance of
a known type (``Instance``), or is a method's ``self`` (``SelfRef``). Anything else is
``UNKNOWN``, and nothing is reported on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

__all__ = ["Const", "Handle", "Instance", "Qual", "SelfRef", "UNKNOWN", "Value"]


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


UNKNOWN = None

Value = Union[Qual, Const, Instance, Handle, SelfRef, None]
