"""Source positions for a chosen set of nodes, computed only when a file needs them.

LibCST's ``PositionProvider`` goes through ``MetadataWrapper``, which deep-copies the
tree and resolves metadata for every node. We need positions for a handful of nodes
(the ones that become diagnostics), so we run the same position-tracking code
generation once, straight over the module, and keep what we asked for.
"""

from __future__ import annotations

from typing import Dict, Iterable

import libcst as cst
from libcst._position import CodeRange
from libcst.metadata.position_provider import PositionProvidingCodegenState

from actorlint.diagnostics import Span

__all__ = ["node_spans"]


class _Sink:
    """Stands in for the metadata provider: the codegen state stores ranges in ``_computed``."""

    def __init__(self) -> None:
        self._computed: Dict[cst.CSTNode, CodeRange] = {}


def node_spans(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> Dict[int, Span]:
    """Map ``id(node)`` to its 1-based span for each requested node of ``module``."""
    wanted = list(nodes)
    if not wanted:
        return {}
    sink = _Sink()
    state = PositionProvidingCodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        provider=sink,  # type: ignore[arg-type]
    )
    module._codegen(state)
    spans: Dict[int, Span] = {}
    for node in wanted:
        code_range = sink._computed.get(node)
        if code_range is not None:
            spans[id(node)] = Span(
                code_range.start.line, code_range.start.column + 1,
                code_range.end.line, code_range.end.column + 1,
            )
    return spans
