"""Positions placed statement by statement must be exactly LibCST's own.

``locate`` places each requested node by generating code for its statement only,
starting at the line CPython's parser gives; ``_generate`` over the whole module is
LibCST's full position-tracking pass. Both run on tricky layouts and on real files,
asking for every call, name of a definition, argument and statement line.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Tuple

import libcst as cst
import pytest

from actorlint.model.libcst_internals import positions
from actorlint.model.collect.placement import LineOffsets, Wanted
from actorlint.model.libcst_internals.walk import Walker
from tests.fixture_harness import package_files

ROOT = Path(__file__).resolve().parents[2]

TRICKY = {
    "decorated": (
        "import x\n\n# a comment\n@deco(a=1)\n\n# between\n@other  # trailing\n"
        "async def f(a, b=g()):\n    '''doc'''\n    return await h(a)\n"
    ),
    "elif": (
        "if a():\n    b()\nelif c(d()):\n    e()\n# comment\nelif f(): g()\nelse:\n    h()\n"
    ),
    "semicolons-and-suites": "a(); b(c())\nif x: y(); z()\nwhile w(): v()\n",
    "classes": (
        "class A(B, metaclass=M):\n    x = f()\n\n    @property\n    def p(self):\n"
        "        return self.q()\n\n    class Inner:\n        def m(self): return n()\n"
    ),
    "crlf": "import os\r\n\r\ndef f():\r\n    os.system('x')\r\n    return g(\r\n        1,\r\n    )\r\n",
    "cr": "def f():\r    g()\r    h(1)\r",
    "tabs": "class A:\n\tdef f(self):\n\t\tif x:\n\t\t\treturn g(1)\n",
    "unicode": "def f():\n    s = 'ünïcödé ✓'; t = g(s, 'é')\n    return h('日本語', k())\n",
    "continuations": "x = f(1,\n      2) + \\\n    g(3)\nif (a and\n        b()):\n    pass\n",
    "match-try-with": (
        "match cmd():\n    case [x, *rest]:\n        run(x)\n    case _:\n        pass\n"
        "try:\n    a()\nexcept (E, F()) as e:\n    b(e)\nelse:\n    c()\nfinally:\n    d()\n"
        "with open(p()) as fh, lock():\n    fh.read()\n"
        "async def co():\n    async with s() as t:\n        async for u in t.v():\n            await w(u)\n"
    ),
    "no-trailing-newline": "def f():\n    return g()",
    "comments-everywhere": (
        "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n"
        "def f():\n    # lead\n\n    # more\n    x = g()  # trail\n    # end\n"
    ),
    "form-feed": "def f():\n    pass\n\x0c\ndef g():\n    return h()\n",
    "lambda-and-comprehensions": "f = lambda a=b(): c(a)\nr = [d(i) for i in e() if k(i)]\n",
}


class _Everything(Walker):
    """Asks for what the collector asks for, and more: every call, await, attribute
    assigned, argument and definition name, and every statement."""

    def __init__(self, elifs: dict) -> None:
        super().__init__()
        self.wanted = Wanted(elifs)

    def _here(self) -> cst.CSTNode:
        return self.statements[-1]

    def visit_Call(self, node: cst.Call) -> None:
        self.wanted.node(node, self._here())
        for arg in node.args:
            self.wanted.node(arg, self._here())
        self.wanted.statement(self._here())

    def visit_Await(self, node: cst.Await) -> None:
        self.wanted.node(node, self._here())

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.wanted.node(node.name, node)
        for decorator in node.decorators:
            self.wanted.node(decorator.decorator, node)
        self.wanted.statement(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.wanted.node(node.name, node)
        self.wanted.statement(node)

    def visit_If(self, node: cst.If) -> None:
        if isinstance(node.orelse, cst.If):
            self.wanted.elifs[id(node.orelse)] = node
        self.wanted.statement(node)


def _requests(module: cst.Module) -> Tuple[_Everything, List[Tuple[cst.CSTNode, cst.CSTNode]]]:
    walker = _Everything({})
    walker.walk(module)
    return walker, walker.wanted.nodes


def _compare(source: str) -> int:
    """Place everything both ways; return how many nodes and statement lines agree."""
    module = cst.parse_module(source)
    walker, nodes = _requests(module)
    statements = walker.wanted.statements
    fast = positions._by_statement(
        module, source, nodes, statements, walker.statement_numbers,
        positions._cpython_statements(source), LineOffsets(source).starts,
    )
    assert fast is not None, "fell back to the whole module"
    everything = [node for node, _ in nodes] + list(statements)
    whole, _ = positions._generate(module, everything, module)
    for node, _ in nodes:
        assert fast.span(node) == whole[id(node)], (type(node).__name__, cst.Module([]).code_for_node(node))
    for statement in statements:
        assert fast.line(statement) == whole[id(statement)].line, type(statement).__name__
    return len(nodes) + len(statements)


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_layouts_place_like_libcst(name: str) -> None:
    assert _compare(TRICKY[name]) > 3


# CI reads a few files of each framework; the bench (``pytest -m slow``) reads them all.
@pytest.mark.parametrize("per_package", [pytest.param(3, id="ci"),
                                         pytest.param(None, id="full", marks=pytest.mark.slow)])
def test_real_files_place_like_libcst(per_package: Optional[int]) -> None:
    files = sorted((ROOT / "tests" / "fixtures").rglob("*.py"))
    files += package_files(("pykka", "dramatiq", "celery"), per_package=per_package)
    placed = 0
    for path in files:
        source = path.read_text(encoding="utf-8")
        try:
            cst.parse_module(source)
            compile(source, str(path), "exec")
        except (cst.ParserSyntaxError, SyntaxError):
            continue  # the ACT000 fixtures
        placed += _compare(source)
    assert placed > 5_000


@pytest.mark.parametrize("source, extra", [
    # PEP 695 generics: LibCST parses them; CPython before 3.12 does not, so there is
    # no statement list and the whole module is placed.
    ("def first[T](items: list[T]) -> T:\n    return pick(items)\n", 0),
    # Statement counts that disagree (as if the trees differed): never trusted.
    ("def f():\n    return g()\n", 1),
])
def test_without_cpython_statements_the_whole_module_is_placed(source: str, extra: int) -> None:
    module = cst.parse_module(source)
    walker, nodes = _requests(module)
    placed = positions.locate(module, source, nodes, walker.wanted.statements,
                              walker.statement_numbers, walker.statement_count + extra,
                              LineOffsets(source).starts)
    whole, _ = positions._generate(module, [node for node, _ in nodes], module)
    assert nodes and all(placed.span(node) == whole[id(node)] for node, _ in nodes)


def test_text_that_differs_from_the_source_is_not_trusted() -> None:
    """The generated text is checked against the source: a statement placed on the
    wrong line (here: a source whose lines do not match the tree) is refused."""
    source = "x = 1\ny = f()\n"
    module = cst.parse_module(source)
    walker, nodes = _requests(module)
    shifted = "# one more line\n" + source
    result = positions._by_statement(
        module, shifted, nodes, walker.wanted.statements, walker.statement_numbers,
        positions._cpython_statements(source), LineOffsets(shifted).starts,
    )
    assert result is None
