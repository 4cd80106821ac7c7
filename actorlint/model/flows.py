"""Facts about how values flow between files, for inference across the program.

What one file says about its symbols (values.Symbol), collected with its other facts and
cached with them: the calls it makes to functions and classes of the project and what they
pass, the functions it defines (their parameters, what they return), its classes (bases,
methods, the values their attributes hold), and the callables it lets escape (passes on
as values, decorates). model/inference.py solves the symbols on the merged flows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import FrozenSet, NamedTuple, Optional, Tuple

from actorlint.model.values import Symbol

__all__ = ["CallFlow", "ClassShape", "Flows", "Signature", "Source"]


class Source(NamedTuple):
    """A value flowing into a symbol: a handle of ``role`` (pointing to ``actor`` when
    known), or another ``symbol``. Where something else flows (a literal, an object the
    collector knows nothing about), the flow holds None instead of a Source."""

    role: str = ""
    actor: Optional[str] = None
    symbol: Optional[Symbol] = None


class CallFlow(NamedTuple):
    """A call of a project function, method or class (construction) and what it passes.

    ``how`` is "call" (``f(x)``, ``Cls(x)``, ``Cls.start(x)``: the arguments as written),
    "bound" (``self.m(x)``: ``self`` is not among them) or "super" (``super().m(x)`` in
    class ``callee``, which runs the method of the nearest base defining it)."""

    callee: str
    how: str
    # The positional arguments before any ``*args`` (those after it have no known place).
    positional: Tuple[Optional[Source], ...] = ()
    # (A parameter given neither here nor there takes its default, or what ``*args`` or
    # ``**kwargs`` hold: either way nothing inference can tell.)
    keywords: Tuple[Tuple[str, Optional[Source]], ...] = ()
    method: str = ""


class Signature(NamedTuple):
    """A function's parameters: ``positional`` in order (``self`` left out of methods),
    keyword-only ones, and the ones with a default."""

    qualname: str
    positional: Tuple[str, ...] = ()
    keyword_only: Tuple[str, ...] = ()
    defaults: FrozenSet[str] = frozenset()
    method: bool = False


class ClassShape(NamedTuple):
    """A class: its bases (qualified names), the methods it defines, and the attributes
    its methods assign on ``self``, with the handle or symbol every assignment agrees on
    (None when they hold anything else)."""

    qualname: str
    bases: Tuple[str, ...] = ()
    methods: FrozenSet[str] = frozenset()
    attributes: Tuple[Tuple[str, Optional[Source]], ...] = ()


@dataclass(frozen=True)
class Flows:
    """Everything one file says about how values flow (see the module docstring)."""

    calls: Tuple[CallFlow, ...] = ()
    signatures: Tuple[Signature, ...] = ()
    # What functions return, when every ``return`` agrees on a handle or a symbol.
    returns: Tuple[Tuple[str, Source], ...] = ()
    classes: Tuple[ClassShape, ...] = ()
    # Functions and classes used as values (passed on, stored, decorated): called from
    # places the inference cannot see.
    escapes: FrozenSet[str] = frozenset()
    # Method names called on objects the collector cannot place (``x.m(...)``): a method
    # of that name may be called from anywhere.
    dynamic_methods: FrozenSet[str] = frozenset()
    # The modules this file imports (qualified names), for framework contracts that
    # hold in code using a framework's modules.
    imported: FrozenSet[str] = frozenset()
