"""Site drafts: a site found while interpreting, with the nodes it needs placed. Each
draft declares those nodes (``wants``) and becomes a ``Site`` once positions are known
(``fact``), so a node used in a fact cannot be left without a position."""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from actorlint.model.collect.control import Candidate
from actorlint.model.collect.placement import LineOffsets, Wanted
from actorlint.model.facts import (
    ActorClass, AnySite, BlockingSite, HandleFact, MessageSite, TimeLimitSite, TimeoutAnchor,
)
from actorlint.model.frameworks import framework_of_role
from actorlint.model.libcst_internals.positions import Positions
from actorlint.model.values import Handle

__all__ = ["SiteDraft", "requirement"]


class SiteDraft:
    """A site found during interpretation: its fields (as ``Site``'s, with the handles
    as values and the fix anchor as a node), the node and statement it stands in."""

    __slots__ = ("fields", "node", "statement", "candidate")

    def __init__(self, fields: dict, candidate: Candidate) -> None:
        self.fields = fields
        self.node = candidate.node
        self.statement = candidate.statement
        self.candidate = candidate

    def wants(self, wanted: Wanted) -> None:
        """Declare the nodes whose positions the fact needs."""
        wanted.node(self.node, self.statement)
        wanted.statement(self.statement)
        edit = self.fields.get("edit")
        if edit is not None:
            wanted.node(edit[1], self.statement)

    def fact(self, index: int, positions: Positions, offsets: LineOffsets) -> AnySite:
        """The site, numbered ``index`` in its file."""
        fields = dict(self.fields)
        span = positions.span(self.node)
        statement_lines: Tuple[int, ...] = ()
        statement_line = positions.line(self.statement) if self.statement is not None else None
        if statement_line is not None:
            last = positions.span(self.statement).end_line \
                if isinstance(self.statement, cst.SimpleStatementLine) else span.end_line
            statement_lines = tuple(sorted({statement_line, last}))
        target = fields.pop("target", None)
        gate = fields.pop("gate", None)
        edit = fields.pop("edit", None)
        if edit is not None:
            how, node = edit
            where = positions.span(node)
            if how == "first":  # ``f()``: insert just before the closing parenthesis
                end = offsets.offset(where.end_line, where.end_column) - 1
                fields["edit"] = TimeoutAnchor(end, end, how)
            else:
                start = offsets.offset(where.line, where.column)
                end = offsets.offset(where.end_line, where.end_column)
                fields["edit"] = TimeoutAnchor(end if how == "append" else start, end, how)
        kind = fields["kind"]
        if kind in _OTHER_KINDS:
            del fields["kind"]
            return _OTHER_KINDS[kind](id=index, span=span, statement_lines=statement_lines, **fields)
        return MessageSite(
            id=index,
            span=span,
            statement_lines=statement_lines,
            target=_handle_fact(target),
            requires=requirement(gate),
            **fields,
        )


_OTHER_KINDS = {BlockingSite.kind: BlockingSite, TimeLimitSite.kind: TimeLimitSite}


def _handle_fact(handle: Optional[Handle]) -> Optional[HandleFact]:
    if handle is None:
        return None
    return HandleFact(handle.role, handle.actor, handle.is_self, handle.member, handle.origin)


def requirement(handle: Optional[Handle]) -> Tuple[ActorClass, ...]:
    """What a handle's site needs to hold: its class is an actor of the handle's framework."""
    if handle is None or handle.actor is None:
        return ()
    return (ActorClass(framework_of_role(handle.role), handle.actor),)
