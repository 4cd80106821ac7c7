"""Interpreting a module's candidates, and again under assumptions about its symbols.

A symbol (a parameter, an attribute set elsewhere, the value of another module's function)
is solved only once every file is collected (model/inference.py). So that a file stays one
parse and its facts stay cacheable on their own, the collector interprets, after the plain
pass, the candidates that met a symbol once more per handle role, assuming every symbol they
consulted is a handle of that role whose actor is a placeholder (``values.assumed_actor``).
The sites and payloads that only exist under such an assumption are kept as conditional
facts; resolution keeps those whose symbol turns out to be a handle of the assumed role and
puts the solved actor in place of the placeholder (resolve.py).
"""

from __future__ import annotations

from typing import Dict, FrozenSet, List, Mapping, NamedTuple, Set, Tuple

import libcst as cst

from actorlint.model import blocking as blocking_table
from actorlint.model.collect.binder import Binder
from actorlint.model.collect.control import Candidate
from actorlint.model.collect.drafts import SiteDraft
from actorlint.model.collect.evaluator import USE_AWAIT, USE_CALL, USE_ELEMENT, USE_SETATTR, USE_TARGET, Evaluator
from actorlint.model.collect.interpreter import Interpreter
from actorlint.model.collect.large_values import PayloadDraft
from actorlint.model.collect.ready_waits import filled_local_queue
from actorlint.model.collect.scopes import function_of
from actorlint.model.facts import ActorClass
from actorlint.model.frameworks import AWAITABLE, ELEMENT_ROLES, PROXY_SETATTR, Catalog, framework_of_role
from actorlint.model.values import Handle, Symbol, assumed_actor, read_assumption

__all__ = ["Interpretation", "assumed_roles", "interpret", "interpret_assuming"]


class Interpretation(NamedTuple):
    """What interpreting candidates gave: site and payload drafts, the classes wrapped into
    actors, and which candidates met a symbol (by node id)."""

    sites: List[SiteDraft]
    payloads: List[PayloadDraft]
    wrapped: List[ActorClass]
    touched: List[Candidate]


def interpret(interpreter: Interpreter, binder: Binder, candidates: List[Candidate],
              class_roles: FrozenSet[str]) -> Interpretation:
    """Interpret every candidate: its site, its large payloads, a class it wraps."""
    evaluator = interpreter.values
    result = Interpretation([], [], [], [])
    for candidate in candidates:
        node, scope = candidate.node, candidate.scope
        evaluator.touched = False
        if candidate.kind == "call":
            assert isinstance(node, cst.Call)
            value, fields = interpreter.interpret_call(node, scope)
            for argument in interpreter.payloads.found.get(id(node), ()):
                result.payloads.append(PayloadDraft(argument, candidate, binder.elifs))
            if isinstance(value, Handle) and value.role in class_roles and value.actor:
                result.wrapped.append(ActorClass(framework_of_role(value.role), value.actor))
        elif candidate.kind == "await":
            assert isinstance(node, cst.Await)
            fields = interpreter.await_site(node, scope)
        else:
            assert isinstance(node, cst.Attribute)
            fields = interpreter.setattr_site(node, scope)
        if evaluator.touched:
            result.touched.append(candidate)
        if fields is not None and fields["kind"] == "blocking" and filled_local_queue(
                candidate, fields, candidates, evaluator):
            fields = None
        if fields is not None:
            fields["function"] = function_of(scope)
            result.sites.append(SiteDraft(fields, candidate))
    return result


def assumed_roles(catalog: Catalog) -> FrozenSet[str]:
    """The roles a symbol is assumed to hold in turn: handles code passes around (to an
    actor, an actor class, an object reference), not the futures and results of one call."""
    roles = set(catalog.named_roles) | {"ray.objectref"}
    roles.update(spec.class_role for spec in catalog.frameworks.values() if spec.class_role)
    return frozenset(roles)


def _allows(role: str, uses: Set[str], catalog: Catalog) -> bool:
    """Whether a handle of ``role`` could be used in one of these ways (so that assuming
    it can make a site): an attribute it has, or a use its roles table allows."""
    roles_allowing = {
        USE_CALL: catalog.called_roles, USE_ELEMENT: ELEMENT_ROLES, USE_TARGET: catalog.target_roles,
        USE_AWAIT: AWAITABLE, USE_SETATTR: (PROXY_SETATTR[0],),
    }
    for use in uses:
        allowing = roles_allowing.get(use)
        if allowing is not None:
            if role in allowing:
                return True
        elif (role, use) in catalog.members or (role, "*") in catalog.members:
            return True
    return False


def interpret_assuming(binder: Binder, plain: Interpretation, consulted: Dict[Symbol, Set[str]], catalog: Catalog,
                       blocking: Mapping[str, blocking_table.BlockingCall],
                       class_roles: FrozenSet[str]) -> Interpretation:
    """The sites and payloads the touched candidates give when their consulted symbols are
    handles of each assumed role in turn, leaving out nodes the plain pass already made a
    site of."""
    found = Interpretation([], [], [], [])
    if not plain.touched or not consulted:
        return found
    # Plain sites by node, with whether they know their target: a message whose target
    # only an assumption tells (``ray.get(self.ref)``) may be stood in for.
    plain_sites = {id(draft.node): (index, draft.fields.get("target") is not None)
                   for index, draft in enumerate(plain.sites)}
    for role in sorted(assumed_roles(catalog)):
        symbols = [symbol for symbol, uses in consulted.items() if _allows(role, uses, catalog)]
        for group in _apart(symbols):
            _interpret_group(binder, plain, group, role, catalog, blocking, class_roles, plain_sites, found)
    return found


def _apart(symbols: List[Symbol]) -> List[List[Symbol]]:
    """The symbols assumed together in one pass, split in two when some are members of an
    instance (``Context(core).core``, ``context.core`` of a parameter annotated
    ``Context``): assuming the instance itself a handle hides its members, so the members
    get a pass of their own."""
    members = [symbol for symbol in symbols if symbol.kind == Symbol.MEMBER]
    rest = [symbol for symbol in symbols if symbol.kind != Symbol.MEMBER]
    return [group for group in (rest, members) if group]


def _interpret_group(binder: Binder, plain: Interpretation, symbols: List[Symbol], role: str, catalog: Catalog,
                     blocking: Mapping[str, blocking_table.BlockingCall], class_roles: FrozenSet[str],
                     plain_sites: Dict[int, Tuple[int, bool]], found: Interpretation) -> None:
    """One assumption pass: ``symbols`` are handles of ``role``; what it adds goes to ``found``."""
    evaluator = Evaluator(binder)
    evaluator.assumed = {symbol: Handle(role, assumed_actor(role, symbol)) for symbol in symbols}
    interpreter = Interpreter(evaluator, catalog, blocking)
    assumed = interpret(interpreter, binder, plain.touched, class_roles)
    for draft in assumed.sites:
        plain_site = plain_sites.get(id(draft.node))
        if not _assumes(draft.fields) or (plain_site is not None and plain_site[1]):
            continue
        if plain_site is not None:
            draft.fields["replaces"] = plain_site[0]
        found.sites.append(draft)
    found.payloads.extend(p for p in assumed.payloads
                          if any(read_assumption(r.qualname) for r in p.argument.requires))


def _assumes(fields: dict) -> bool:
    """Whether a drafted site exists only because of an assumed symbol."""
    return any(isinstance(handle, Handle) and read_assumption(handle.actor) is not None
               for handle in (fields.get("target"), fields.get("gate")))
