"""Inference across the program: the handles that symbols hold, solved on the merged flows
of every file (model/flows.py) to a fixed point.

A symbol's value is the join of everything that flows into it: the arguments of every call
of its function (a parameter), what its function returns, what a class's methods assign to
its attribute, and what a framework contract says the framework passes. The join of one
handle with the same handle is that handle; with anything else (another actor, a literal,
something unknown, a caller the inference cannot see) it is unknown. Precision first: a
symbol is solved only when all the evidence agrees.

Calls made from test modules do not count against code outside them: tests pass doubles
(mocks, fakes) where production code passes the real actor.
"""

from __future__ import annotations

from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Set, Tuple, Union

from actorlint.model.facts import FileFacts
from actorlint.model.flows import CallFlow, ClassShape, Signature, Source
from actorlint.model.frameworks import Catalog
from actorlint.model.test_paths import is_test_module
from actorlint.model.values import Symbol

__all__ = ["Injection", "SolvedHandle", "imports_any", "solve"]

_MAX_ROUNDS = 50
_MAX_BASES = 64


class SolvedHandle(NamedTuple):
    """The handle a symbol holds: its role and, when known, its actor class."""

    role: str
    actor: Optional[str]


class Injection(NamedTuple):
    """A framework contract: the framework calls project code itself and passes a handle
    of ``role`` to actor ``actor`` as parameter ``param``, in packages importing ``modules``."""

    param: str
    role: str
    actor: str
    modules: Tuple[str, ...]


class _Top:
    """Unknown: the evidence disagrees, or something unknown flows in."""


_TOP = _Top()
_Lattice = Union[None, SolvedHandle, _Top]  # None: nothing flows in (yet)


def _join(a: _Lattice, b: _Lattice) -> _Lattice:
    if a is None:
        return b
    if b is None or a == b:
        return a
    return _TOP


class _Program:
    """The merged flows of every file."""

    def __init__(self, files: Iterable[FileFacts], canonical: Callable[[str], str],
                 injections: Tuple[Injection, ...]) -> None:
        self.canonical = canonical
        self.injections = injections
        self.signatures: Dict[str, Signature] = {}
        self.defined_in: Dict[str, FileFacts] = {}
        self.classes: Dict[str, ClassShape] = {}
        self.returns: Dict[str, Source] = {}
        self.calls: Dict[str, List[Tuple[CallFlow, bool]]] = {}
        self.escapes: Set[str] = set()
        self.dynamic: Set[str] = set()
        self._mro: Dict[str, List[str]] = {}
        self._escaping_lineage: Optional[Set[str]] = None
        # Per top-level package, every module its files import.
        self.package_imports: Dict[str, Set[str]] = {}
        files = list(files)
        for facts in files:
            flows = facts.flows
            self.package_imports.setdefault(_package(facts.module), set()).update(flows.imported)
            for signature in flows.signatures:
                self.signatures[signature.qualname] = signature
                self.defined_in[signature.qualname] = facts
            for shape in flows.classes:
                self.classes[shape.qualname] = shape
            self.returns.update(flows.returns)
            self.escapes.update(canonical(name) for name in flows.escapes)
            self.dynamic.update(flows.dynamic_methods)
        for facts in files:
            from_test = is_test_module(facts.module)
            for call in facts.flows.calls:
                callee = self._callee(call)
                if callee is not None:
                    self.calls.setdefault(callee, []).append((call, from_test))

    def _callee(self, call: CallFlow) -> Optional[str]:
        """The function a call runs: a function or method, a class's ``__init__``, or for
        ``super().m()`` the ``m`` of the nearest base defining it."""
        if call.how == "super":
            for base in self.mro(call.callee)[1:]:
                if call.method in self.classes[base].methods:
                    return f"{base}.{call.method}"
            return None
        callee = self.canonical(call.callee)
        if callee in self.classes:
            return self.defining("__init__", callee)
        return callee

    def mro(self, cls: str) -> List[str]:
        """``cls`` and its bases in the tree, depth first (an approximation of the MRO);
        computed once per class."""
        known = self._mro.get(cls)
        if known is None:
            known = self._mro[cls] = self._lineage(cls)
        return known

    def _lineage(self, cls: str) -> List[str]:
        order: List[str] = []
        stack = [self.canonical(cls)]
        while stack and len(order) < _MAX_BASES:
            name = stack.pop()
            shape = self.classes.get(name)
            if shape is None or name in order:
                continue
            order.append(name)
            stack.extend(self.canonical(base) for base in reversed(shape.bases))
        return order

    def defining(self, method: str, cls: str) -> Optional[str]:
        """The qualified name of the ``method`` that instances of ``cls`` run."""
        for name in self.mro(cls):
            if method in self.classes[name].methods:
                return f"{name}.{method}"
        return None

    def unseen_callers(self, function: str) -> bool:
        """Whether code the inference cannot see may call ``function``."""
        owner, _, name = function.rpartition(".")
        if function in self.escapes:
            return True
        if owner in self.classes:
            if name == "__init__":
                # A class escaping (or a subclass of it) may be constructed anywhere.
                if self._escaping_lineage is None:
                    self._escaping_lineage = {base for cls in self.escapes if cls in self.classes
                                              for base in self.mro(cls)}
                return owner in self._escaping_lineage
            if name in self.dynamic:
                return True
            # Overriding a base's method: calls of the base's may run this one.
            return any(name in self.classes[base].methods for base in self.mro(owner)[1:])
        return False


class _Solver:
    def __init__(self, program: _Program) -> None:
        self.program = program
        self.values: Dict[Symbol, _Lattice] = {}
        # What flows into each symbol does not change while solving: found once.
        self._found: Dict[Symbol, List[Optional[Source]]] = {}

    def solve(self, wanted: Iterable[Symbol]) -> Dict[Symbol, SolvedHandle]:
        symbols = self._closure(wanted)
        for _ in range(_MAX_ROUNDS):
            changed = False
            for symbol in symbols:
                value = self._evaluate(symbol)
                if value != self.values.get(symbol):
                    self.values[symbol] = value
                    changed = True
            if not changed:
                break
        return {s: v for s, v in self.values.items() if isinstance(v, SolvedHandle)}

    def _closure(self, wanted: Iterable[Symbol]) -> List[Symbol]:
        order: List[Symbol] = []
        seen: Set[Symbol] = set()
        stack = list(wanted)
        while stack:
            symbol = stack.pop()
            if symbol in seen:
                continue
            seen.add(symbol)
            order.append(symbol)
            stack.extend(s.symbol for s in self._sources(symbol) if s is not None and s.symbol is not None)
        return order

    def _evaluate(self, symbol: Symbol) -> _Lattice:
        result: _Lattice = None
        for source in self._sources(symbol):
            if source is None:
                return _TOP
            if source.symbol is not None:
                value = self.values.get(source.symbol)
            else:
                value = SolvedHandle(source.role, source.actor)
            result = _join(result, value)
            if result is _TOP:
                return _TOP
        return result

    def _sources(self, symbol: Symbol) -> List[Optional[Source]]:
        """Everything that flows into ``symbol``; a None among them makes it unknown."""
        found = self._found.get(symbol)
        if found is None:
            found = self._found[symbol] = self._find_sources(symbol)
        return found

    def _find_sources(self, symbol: Symbol) -> List[Optional[Source]]:
        program = self.program
        if symbol.kind == Symbol.RETURNED:
            returned = program.returns.get(program.canonical(symbol.owner))
            return [returned]
        if symbol.kind in (Symbol.ATTRIBUTE, Symbol.MEMBER):
            for cls in program.mro(symbol.owner):
                attributes = dict(program.classes[cls].attributes)
                if symbol.name in attributes:
                    return [attributes[symbol.name]]
            return [None]
        return self._parameter_sources(symbol.owner, symbol.name)

    def _parameter_sources(self, function: str, param: str) -> List[Optional[Source]]:
        program = self.program
        signature = program.signatures.get(function)
        if signature is None:
            return [None]
        defined_in_test = is_test_module(program.defined_in[function].module)
        sources: List[Optional[Source]] = []
        counted = 0
        for call, from_test in program.calls.get(function, ()):
            if from_test and not defined_in_test:
                continue
            counted += 1
            sources.append(self._argument(call, signature, function, param))
        injected = self._injected(function, param)
        if program.unseen_callers(function) or not counted:
            sources.append(injected)
        return sources if counted or injected is not None else [None]

    def _argument(self, call: CallFlow, signature: Signature, function: str, param: str) -> Optional[Source]:
        keywords = dict(call.keywords)
        positional = list(call.positional)
        # ``Cls.m(obj, x)``: an unbound method called through its class takes ``self`` first.
        if signature.method and call.how == "call" and not function.endswith(".__init__"):
            positional = positional[1:]
        if param in signature.positional:
            index = signature.positional.index(param)
            if index < len(positional):
                return positional[index]
        if param in keywords:
            return keywords[param]
        return None  # the default, ``*args``/``**kwargs``, or a call that does not fit: not known

    def _injected(self, function: str, param: str) -> Optional[Source]:
        """What a framework contract passes as ``param`` of ``function``, if one applies:
        in a package (top-level) that imports one of the framework's modules."""
        imported = self.program.package_imports[_package(self.program.defined_in[function].module)]
        for injection in self.program.injections:
            if injection.param == param and imports_any(imported, injection.modules):
                return Source(injection.role, injection.actor)
        return None


def _package(module: str) -> str:
    return module.partition(".")[0]


def imports_any(imported: Iterable[str], modules: Iterable[str]) -> bool:
    """Whether any of the ``imported`` qualified names is one of ``modules`` or in one
    (where a framework contract applies: code using the framework's modules)."""
    modules = tuple(modules)
    return any(name == module or name.startswith(module + ".") for name in imported for module in modules)


def solve(files: Iterable[FileFacts], wanted: Iterable[Symbol], canonical: Callable[[str], str],
          catalog: Catalog) -> Dict[Symbol, SolvedHandle]:
    """The handles the ``wanted`` symbols hold, where the whole program agrees."""
    injections = tuple(
        Injection(param, role, actor, spec.modules)
        for spec in catalog.frameworks.values() for param, role, actor in spec.injects
    )
    return _Solver(_Program(files, canonical, injections)).solve(wanted)
