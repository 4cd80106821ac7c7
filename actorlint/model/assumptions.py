"""Settling the collector's conditional facts (collect/assumptions.py) once the symbols
they assume are solved (inference.py): a site or payload made under the assumption that
symbol S is a handle of role R is kept when S turns out to hold such a handle, with the
solved actor in place of the placeholder, and dropped otherwise."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Dict, Iterable, Optional, Set, Tuple

from actorlint.model.facts import ActorClass, FileFacts, MessageSite, Payload
from actorlint.model.frameworks import READY_ROLES, Catalog
from actorlint.model.inference import SolvedHandle, solve
from actorlint.model.values import Symbol, read_assumption

__all__ = ["Assumptions"]

_Settled = Tuple[bool, Optional[str]]  # (holds, the actor in place of the placeholder)


class Assumptions:
    """The symbols every file's conditional facts assume, solved together once."""

    def __init__(self, files: Iterable[FileFacts], canonical: Callable[[str], str], catalog: Catalog) -> None:
        files = tuple(files)
        wanted: Set[Symbol] = set()
        for facts in files:
            for site in facts.sites:
                if isinstance(site, MessageSite):
                    wanted.update(_assumed(site.requires, site.target.actor if site.target else None))
                    wanted.update(_assumed((), site.ready_if))
            for payload in facts.payloads:
                wanted.update(_assumed(payload.requires, None))
        self.solved: Dict[Symbol, SolvedHandle] = solve(files, wanted, canonical, catalog) if wanted else {}

    def _settle(self, actor: Optional[str]) -> _Settled:
        assumption = read_assumption(actor)
        if assumption is None:
            return True, actor
        role, symbol = assumption
        solved = self.solved.get(symbol)
        if solved is None or solved.role != role:
            return False, None
        return True, solved.actor

    def _ready(self, placeholder: str) -> bool:
        assumption = read_assumption(placeholder)
        solved = self.solved.get(assumption[1]) if assumption is not None else None
        return solved is not None and solved.role in READY_ROLES

    def _requires(self, requires: Tuple[ActorClass, ...]) -> Optional[Tuple[ActorClass, ...]]:
        kept = []
        for requirement in requires:
            holds, actor = self._settle(requirement.qualname)
            if not holds:
                return None
            if actor is not None:
                kept.append(ActorClass(requirement.framework, actor))
        return tuple(kept)

    def settle_site(self, site: MessageSite) -> Optional[MessageSite]:
        """The site with its assumptions settled, or None when one does not hold or
        when what it waits on turns out to be ready."""
        if site.ready_if is not None and self._ready(site.ready_if):
            return None
        target = site.target
        if target is None or read_assumption(target.actor) is None:
            if not any(read_assumption(r.qualname) for r in site.requires):
                return site
        requires = self._requires(site.requires)
        if requires is None:
            return None
        if target is not None:
            holds, actor = self._settle(target.actor)
            if not holds:
                return None
            target = replace(target, actor=actor)
        return replace(site, target=target, requires=requires)

    def settle_payload(self, payload: Payload) -> Optional[Payload]:
        """The payload with its assumptions settled, or None when one does not hold."""
        if not any(read_assumption(r.qualname) for r in payload.requires):
            return payload
        requires = self._requires(payload.requires)
        return replace(payload, requires=requires) if requires is not None else None


def _assumed(requires: Tuple[ActorClass, ...], actor: Optional[str]) -> Iterable[Symbol]:
    for name in (actor, *(r.qualname for r in requires)):
        assumption = read_assumption(name)
        if assumption is not None:
            yield assumption[1]
