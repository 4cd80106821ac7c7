"""Source positions for a chosen set of nodes, computed only when a file needs them.

LibCST's ``PositionProvider`` goes through ``MetadataWrapper``, which deep-copies the
tree and resolves metadata for every node. We need positions for a handful of nodes
(the ones that become diagnostics), so we run the same position-tracking code
generation once, straight over the module, keep what we asked for, and stop as soon as
the last node asked for is complete.
"""

from __future__ import annotations

from typing import Dict, Iterable

import libcst as cst
from libcst._position import CodeRange
from libcst.metadata.position_provider import PositionProvidingCodegenState

from actorlint.diagnostics import Span

__all__ = ["node_spans"]


class _Done(Exception):
    """Every requested node has its position: the rest of the module need not be generated."""


class _Ranges(dict):
    """The ranges the codegen state records, which stops the generation once the last
    requested node is recorded (a node is recorded when its code is complete)."""

    def __init__(self, wanted: Iterable[cst.CSTNode]) -> None:
        super().__init__()
        self.missing = {id(node) for node in wanted}

    def __setitem__(self, node: cst.CSTNode, code_range: CodeRange) -> None:
        super().__setitem__(node, code_range)
        missing = self.missing
        if id(node) in missing:
            missing.discard(id(node))
            if not missing:
                raise _Done


class _Sink:
    """Stands in for the metadata provider: the codegen state stores ranges in ``_computed``."""

    def __init__(self, wanted: Iterable[cst.CSTNode]) -> None:
        self._computed = _Ranges(wanted)


def node_spans(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> Dict[int, Span]:
    """Map ``id(node)`` to its 1-based span for each requested node of ``module``."""
    wanted = list(nodes)
    if not wanted:
        return {}
    sink = _Sink(wanted)
    state = PositionProvidingCodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        provider=sink,  # type: ignore[arg-type]
    )
    try:
        module._codegen(state)
    except Exception:
        # _Done, or what LibCST's context managers raise while it unwinds through them
        # (they look up ranges of nodes never completed); anything else is a real error.
        if sink._computed.missing:
            raise
    spans: Dict[int, Span] = {}
    for node in wanted:
        code_range = sink._computed.get(node)
        if code_range is not None:
            spans[id(node)] = Span(
                code_range.start.line, code_range.start.column + 1,
                code_range.end.line, code_range.end.column + 1,
            )
    return spans
