"""Where ACT202's fix adds ``from actorlint_runtime import time_limited``: in the module's
import block, where isort and Ruff (``I001``, default settings) would have put it, so that
a file they found sorted stays sorted.

Their default order: sections (``__future__``, the standard library, third-party,
first-party, relative) separated by one blank line; in each, ``import x`` lines before
``from x import y`` lines, each by module name, case-insensitively; after the block one
blank line, or two before a ``class`` or ``def``. The added import is third-party. A
module is first-party here when it is the file's own top-level package or relative; the
linter does not know the project's other packages, so a sibling module imported by its
bare name counts as third-party (Ruff may disagree; the file still runs).
"""

from __future__ import annotations

import sys
import sysconfig
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Optional, Sequence, Tuple

import libcst as cst

from actorlint.model.collect.placement import LineOffsets, Wanted
from actorlint.model.facts import ImportAnchor
from actorlint.model.frameworks import RUNTIME_MODULE
from actorlint.model.libcst_internals.positions import Positions
from actorlint.model.syntax import dotted

__all__ = ["ImportBlock", "added_import", "import_block"]

_MODULE = RUNTIME_MODULE
_FUTURE, _STDLIB, _THIRD_PARTY, _FIRST_PARTY, _LOCAL = range(5)


@dataclass(frozen=True)
class _Import:
    statement: cst.SimpleStatementLine
    section: int
    is_from: bool
    key: str  # the module name, lower case


@dataclass(frozen=True)
class ImportBlock:
    """The module's leading statements (docstring, ``__future__`` imports) and the
    import statements that follow them up to the first other statement."""

    docstring: Optional[cst.SimpleStatementLine]
    imports: Tuple[_Import, ...]
    following: Optional[cst.CSTNode]  # the first statement after them

    def wants(self, wanted: Wanted) -> None:
        """Ask for what ``added_import`` places: the statement lines, the first
        statement after them and the decorator its text starts with."""
        for statement in [i.statement for i in self.imports] + [self.docstring]:
            wanted.statement(statement)
        wanted.statement(self.following)
        decorator = self.first_decorator()
        if decorator is not None:
            wanted.node(decorator, self.following)

    def first_decorator(self) -> Optional[cst.Decorator]:
        """The decorator the following statement's text starts with, if any."""
        decorators: Sequence[cst.Decorator] = getattr(self.following, "decorators", ())
        return decorators[0] if decorators else None


@lru_cache(maxsize=1)
def _stdlib() -> FrozenSet[str]:
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return frozenset(names)
    folder = Path(sysconfig.get_paths()["stdlib"])  # Python 3.9
    found = {p.stem if p.suffix == ".py" else p.name for p in folder.iterdir() if p.suffix in (".py", "")}
    return frozenset(found | set(sys.builtin_module_names))


def _section(module: str, relative: bool, own_package: str) -> int:
    top = module.split(".", 1)[0]
    if relative:
        return _LOCAL
    if module == "__future__":
        return _FUTURE
    if top in _stdlib():
        return _STDLIB
    if top == own_package:
        return _FIRST_PARTY
    return _THIRD_PARTY


def import_block(module: cst.Module, own_package: str) -> ImportBlock:
    """The docstring and the leading import statements of ``module``."""
    body = module.body
    index = 0
    docstring = None
    if body and isinstance(body[0], cst.SimpleStatementLine) and body[0].body \
            and isinstance(body[0].body[0], cst.Expr) \
            and isinstance(body[0].body[0].value, (cst.SimpleString, cst.ConcatenatedString)):
        docstring = body[0]
        index = 1
    imports: List[_Import] = []
    while index < len(body):
        statement = body[index]
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            break
        node = statement.body[0]
        if isinstance(node, cst.Import):
            name = dotted(node.names[0].name) or ""
            imports.append(_Import(statement, _section(name, False, own_package), False, name.lower()))
        elif isinstance(node, cst.ImportFrom):
            name = dotted(node.module) or ""
            relative = bool(node.relative)
            imports.append(_Import(statement, _section(name, relative, own_package), True, name.lower()))
        else:
            break
        index += 1
    following = body[index] if index < len(body) else None
    return ImportBlock(docstring, tuple(imports), following)


def added_import(block: ImportBlock, positions: Positions, offsets: LineOffsets) -> ImportAnchor:
    """Where the runtime import joins ``block`` (whose positions were asked for with
    ``wants``)."""
    span, after = positions.span, offsets.after

    def line_start(line: int) -> int:
        return offsets.starts[line - 1]

    imports = block.imports
    third = [i for i in imports if i.section == _THIRD_PARTY]
    if third:
        later = next((i for i in third if i.is_from and i.key > _MODULE), None)
        if later is not None:
            return ImportAnchor(line_start(span(later.statement).line))
        return ImportAnchor(after(span(third[-1].statement)))
    earlier = [i for i in imports if i.section < _THIRD_PARTY]
    if earlier:
        return ImportAnchor(after(span(earlier[-1].statement)), newlines_before=1)
    if imports:  # only first-party or relative imports: ours goes first, its own section
        return ImportAnchor(line_start(span(imports[0].statement).line), newlines_after=1)
    # No import yet: below the docstring, or above the first statement.
    wanted = 2 if isinstance(block.following, (cst.ClassDef, cst.FunctionDef)) else 1
    if block.docstring is not None:
        docstring = span(block.docstring)
        have = offsets.blank_lines_after(docstring) if block.following is not None else wanted
        return ImportAnchor(after(docstring), newlines_after=max(wanted - have, 0))
    if block.following is not None:
        decorator = block.first_decorator()  # the statement's text starts there
        line = span(decorator).line if decorator is not None else positions.line(block.following)
        if line is not None:
            return ImportAnchor(line_start(line), newlines_after=wanted)
    return ImportAnchor(len(offsets.text))
