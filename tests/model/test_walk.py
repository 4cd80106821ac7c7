"""The collector's own walk must see what LibCST's visitors see, in the same order.

``child_nodes`` reads children from each node type's fields in the order LibCST's
``_visit_and_replace_children`` visits them, leaving out tokens and whitespace. It is
checked against ``node.children`` (LibCST's own account) on every node of real files:
the fixtures, the examples and the installed frameworks' source.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import libcst as cst
import pytest

from actorlint.model.libcst_internals.walk import _TOKEN_TYPES, Walker, child_nodes
from tests.fixture_harness import package_files

ROOT = Path(__file__).resolve().parents[2]


def _real_files(per_package: Optional[int]) -> List[Path]:
    files = sorted((ROOT / "tests" / "fixtures").rglob("*.py")) + sorted((ROOT / "examples").rglob("*.py"))
    return files + package_files(("pykka", "dramatiq", "thespian"), per_package=per_package)


class _Everything(cst.CSTVisitor):
    """LibCST's own traversal: every node, in LibCST's order."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: List[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.nodes.append(node)
        return True


# CI reads a few files of each framework; the bench (``pytest -m slow``) reads them all.
@pytest.mark.parametrize("per_package", [pytest.param(3, id="ci"),
                                         pytest.param(None, id="full", marks=pytest.mark.slow)])
def test_child_nodes_agree_with_libcst_on_real_files(per_package: Optional[int]) -> None:
    files = _real_files(per_package)
    assert len(files) > 100
    checked = 0
    for path in files:
        try:
            module = cst.parse_module(path.read_text(encoding="utf-8"))
        except cst.ParserSyntaxError:
            continue  # the ACT000 fixtures
        everything = _Everything()
        module.visit(everything)
        for node in everything.nodes:
            expected = [child for child in node.children if type(child) not in _TOKEN_TYPES]
            assert [id(c) for c in child_nodes(node)] == [id(c) for c in expected], (path, type(node))
            checked += 1
    assert checked > 100_000


def test_child_nodes_cover_rare_syntax() -> None:
    source = (
        "async def f(a, /, b=1, *c, d: int = 2, **e) -> 'T':\n"
        "    async with x as (y, z), w:\n"
        "        async for i in aiter():\n"
        "            r = [j async for j in k if j] or {m: n for m, n in p} or {*q}\n"
        "    match v:\n"
        "        case [1, *rest] | {'k': _} if rest: pass\n"
        "        case Point(x=0) as pt: pass\n"
        "    try:\n        pass\n    except* ValueError as err:\n        raise err from None\n"
        "    lambda s=1, *t: (yield from s)\n"
        "    print(f'{a!r:>{b}} {c=}', *d, **e)\n"
        "    del a[1:2:3], b.c\n    global g\n    x @= y ** -z if not w else ~u\n"
    )
    module = cst.parse_module(source)
    everything = _Everything()
    module.visit(everything)
    for node in everything.nodes:
        expected = [child for child in node.children if type(child) not in _TOKEN_TYPES]
        assert [id(c) for c in child_nodes(node)] == [id(c) for c in expected], type(node)


class _Recorder(Walker):
    def __init__(self) -> None:
        super().__init__()
        self.calls: List[str] = []
        self.enclosing: List[int] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(cst.Module([]).code_for_node(node.func))
        self.enclosing.append(len(self.statements))

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False  # its body is not walked

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.calls.append(f"end {original_node.name.value}")


def test_walker_hooks_order_and_skipping() -> None:
    module = cst.parse_module(
        "@deco(a())\n"
        "def f(x=b()):\n"
        "    if c(): d(lambda: e())\n"
        "    return g(h())\n"
        "i()\n"
    )
    recorder = _Recorder()
    recorder.walk(module)
    assert recorder.calls == ["deco", "a", "b", "c", "d", "g", "h", "end f", "i"]
    # statements around each call: the def alone for its decorator and defaults; the def
    # and the `if` (whose one-line body is not a statement line of its own) or the def
    # and the `return` line; the module-level line alone
    assert recorder.enclosing == [1, 1, 1, 2, 2, 2, 2, 1]
    assert recorder.statements == []


@pytest.mark.parametrize("depth", [300, 800])
def test_walker_recursion_is_shallow(depth: int) -> None:
    """One Python frame per tree level: a chain CPython accepts is walked whole."""
    module = cst.parse_module("x = " + " + ".join(["1"] * depth) + "\n")
    recorder = _Recorder()
    recorder.walk(module)
    assert recorder.statements == []
