"""Large values sent by value (ACT401, ACT402): which arguments of a message are known
to be large, and, once positions are known, the payload facts with the anchors a rule
needs to hoist a repeated one into the framework's object store."""

from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional, Tuple

import libcst as cst

from actorlint.diagnostics import Span
from actorlint.model import blocking as blocking_table
from actorlint.model.collect.control import Candidate
from actorlint.model.collect.evaluator import Evaluator
from actorlint.model.collect.placement import LineOffsets, Wanted
from actorlint.model.collect.scopes import Assigned, Scope, function_of, function_scope
from actorlint.model.facts import ActorClass, HoistAnchor, Payload
from actorlint.model.frameworks import ALL_ARGUMENTS, Catalog, Member
from actorlint.model.libcst_internals.positions import Positions
from actorlint.model.payloads import BOUNDED_BY_ARGUMENT, LARGE_VALUE_CALLS, STATE_CALLS
from actorlint.model.syntax import find_arg
from actorlint.model.values import Const, Qual, SelfRef

__all__ = ["LargeArgument", "PayloadDraft", "PayloadFinder"]

_STATE = "the sender's whole state"
# Statements a line can be inserted before (a decorated def's first line is its decorator).
_HOIST_ANCHORS = (cst.SimpleStatementLine, cst.For, cst.While, cst.If, cst.With, cst.Try)

Largeness = Optional[Tuple[str, Optional[int]]]


class LargeArgument(NamedTuple):
    """A large argument of a message: why it is large, its item count for literals and
    comprehensions, the framework that copies it and what must hold for it to matter."""

    node: cst.BaseExpression
    reason: str
    size: Optional[int]
    framework: str
    requires: Tuple[ActorClass, ...]


class PayloadFinder:
    """Finds the large arguments of messages to frameworks that copy them."""

    def __init__(self, evaluator: Evaluator, catalog: Catalog) -> None:
        self.values = evaluator
        self.catalog = catalog
        self._large: Dict[int, Largeness] = {}
        # id(send call) -> its large arguments
        self.found: Dict[int, List[LargeArgument]] = {}

    def large_value(self, node: cst.BaseExpression, scope: Scope) -> Largeness:
        """Why a value is large (a description and, for literals, its item count), or None."""
        key = id(node)
        if key in self._large:
            return self._large[key]
        self._large[key] = None  # cycles (x = x) add nothing
        self._large[key] = result = self._large_value(node, scope)
        return result

    def _large_value(self, node: cst.BaseExpression, scope: Scope) -> Largeness:
        value_of = self.values.value_of
        if isinstance(node, cst.Name):
            if isinstance(value_of(node, scope), SelfRef):
                return (f"{_STATE} (`self`)", None)
            bindings = self.values.bindings_of(node.value, scope)
            if not bindings or not all(isinstance(b, Assigned) for b in bindings):
                return None
            reasons = [self.large_value(b.expression, b.scope) for b in bindings]  # type: ignore[union-attr]
            return reasons[0] if all(reasons) else None
        if isinstance(node, cst.Attribute) and node.attr.value == "__dict__" \
                and isinstance(value_of(node.value, scope), SelfRef):
            return (f"{_STATE} (`self.__dict__`)", None)
        if isinstance(node, cst.Call):
            callee = value_of(node.func, scope)
            if isinstance(callee, Qual):
                name = blocking_table.canonical_name(callee.name)
                reason = LARGE_VALUE_CALLS.get(name)
                if reason is not None and not (name in BOUNDED_BY_ARGUMENT and node.args):
                    return (reason, None)
                if callee.name in STATE_CALLS and len(node.args) == 1 \
                        and isinstance(value_of(node.args[0].value, scope), SelfRef):
                    return (f"{_STATE} (`vars(self)`)", None)
            return None
        if isinstance(node, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
            elements = node.elements
            if any(isinstance(e, (cst.StarredElement, cst.StarredDictElement)) for e in elements):
                return None
            return (f"a literal of {len(elements)} items", len(elements))
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            size = self._range_size(node.for_in.iter, scope)
            if size is not None:
                return (f"a comprehension over {size} items", size)
        return None

    def _range_size(self, node: cst.BaseExpression, scope: Scope) -> Optional[int]:
        """The length of ``range(...)`` with literal bounds."""
        value_of = self.values.value_of
        if not isinstance(node, cst.Call) or value_of(node.func, scope) != Qual("builtins.range"):
            return None
        bounds = [value_of(arg.value, scope) for arg in node.args]
        if not bounds or len(bounds) > 3 or not all(isinstance(b, Const) and isinstance(b.value, int)
                                                   and not isinstance(b.value, bool) for b in bounds):
            return None
        try:
            return len(range(*(b.value for b in bounds)))  # type: ignore[union-attr]
        except (TypeError, ValueError):
            return None

    def record(self, member: Member, node: cst.Call, scope: Scope, framework: Optional[str],
               requires: Tuple[ActorClass, ...]) -> None:
        """Remember the large arguments of a message to a framework that copies messages."""
        spec = self.catalog.frameworks.get(framework) if framework is not None else None
        if member.payload is None or spec is None or not spec.serializes:
            return
        assert framework is not None
        if member.payload == ALL_ARGUMENTS:
            arguments = [arg.value for arg in node.args if not arg.star]
        else:
            params = member.payload if isinstance(member.payload, tuple) else (member.payload,)
            found_args = (find_arg(node, param) for param in params)
            arguments = [argument for argument in found_args if argument is not None]
        found = []
        for argument in arguments:
            reason = self.large_value(argument, scope)
            if reason is not None and reason[1] is None:
                found.append(LargeArgument(argument, reason[0], reason[1], framework, requires))
                continue
            # A message built as a small literal carries its elements: ``("index", text)``.
            elements = [argument]
            if isinstance(argument, (cst.Tuple, cst.List, cst.Dict)):
                elements.extend(
                    e.value for e in argument.elements
                    if isinstance(e, (cst.Element, cst.DictElement))
                )
            if reason is not None:
                found.append(LargeArgument(argument, reason[0], reason[1], framework, requires))
            for element in elements[1:]:
                inner = self.large_value(element, scope)
                if inner is not None:
                    found.append(LargeArgument(element, inner[0], inner[1], framework, requires))
        if found:
            self.found[id(node)] = found


class PayloadDraft:
    """A large argument found in a message, waiting for its positions."""

    __slots__ = ("argument", "candidate", "elifs")

    def __init__(self, argument: LargeArgument, candidate: Candidate, elifs: Dict[int, cst.If]) -> None:
        self.argument = argument
        self.candidate = candidate
        self.elifs = elifs

    def wants(self, wanted: Wanted) -> None:
        """Declare the nodes whose positions the fact needs."""
        candidate = self.candidate
        wanted.node(self.argument.node, candidate.statement)
        wanted.statement(candidate.statement)
        if isinstance(candidate.loop, (cst.For, cst.While)):
            wanted.statement(candidate.loop)
        anchor = candidate.statement
        while anchor is not None and id(anchor) in self.elifs:
            anchor = self.elifs[id(anchor)]
            wanted.statement(anchor)

    def fact(self, positions: Positions, offsets: LineOffsets, module_names: frozenset,
             store_names: Dict[str, Optional[str]]) -> Payload:
        """The payload fact; ``store_names``: how the module names each framework's object
        store (``ray.put``), for the ACT402 fix."""
        argument, reason, size, framework, requires = self.argument
        candidate = self.candidate
        span = positions.span(argument)
        statement_lines: Tuple[int, ...] = ()
        statement_line = positions.line(candidate.statement) if candidate.statement is not None else None
        if statement_line is not None:
            statement_lines = tuple(sorted({statement_line, span.end_line}))
        loop = candidate.loop
        repeated = False
        hoist = None
        if loop is not None and isinstance(argument, cst.Name):
            function = function_scope(candidate.scope)
            body = id(getattr(loop, "body", loop))  # comprehensions bind in their own scope
            repeated = not any(
                name == argument.value and body in blocks for name, _, _, blocks, _ in function.assignments
            )
            store = store_names.get(framework)
            hoisted = f"{argument.value}_ref"
            if repeated and store and hoisted not in function.bindings and hoisted not in module_names:
                hoist = self._hoist(positions, offsets, span, store, hoisted)
        return Payload(
            span=span, reason=reason, size=size, framework=framework,
            function=function_of(candidate.scope), statement_lines=statement_lines,
            requires=requires, repeated=repeated, hoist=hoist,
        )

    def _hoist(self, positions: Positions, offsets: LineOffsets, span: Span, store: str,
               hoisted: str) -> Optional[HoistAnchor]:
        candidate = self.candidate
        loop = candidate.loop
        name = self.argument.node.value  # type: ignore[attr-defined]
        anchor = loop if isinstance(loop, (cst.For, cst.While)) else candidate.statement
        while anchor is not None and id(anchor) in self.elifs:
            anchor = self.elifs[id(anchor)]  # before the whole if/elif chain
        anchor_line = positions.line(anchor) if anchor is not None else None
        if anchor_line is None or not isinstance(anchor, _HOIST_ANCHORS) or self.argument.reason.startswith(_STATE):
            return None
        start, indent = offsets.line_start_and_indent(anchor_line)
        return HoistAnchor(
            start, indent, store, name, hoisted,
            offsets.offset(span.line, span.column), offsets.offset(span.end_line, span.end_column),
        )
