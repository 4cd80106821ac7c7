"""LibCST's private names (``libcst._*``) and the code generator behind its positions are
used in one place only, ``actorlint/model/libcst_internals/``: a LibCST upgrade that
changes them breaks that package and its tests, nothing else."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import List

PACKAGE = Path(__file__).resolve().parents[2] / "actorlint"
FENCE = PACKAGE / "model" / "libcst_internals"
INTERNAL = ("libcst.metadata.position_provider",)


def _private(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "libcst" and (any(p.startswith("_") for p in parts[1:]) or module in INTERNAL)


def _private_imports(path: Path) -> List[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _private(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if _private(node.module):
                found.append(node.module)
            elif node.module == "libcst":
                found += [f"libcst.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_only_the_fence_imports_libcst_internals() -> None:
    outside = {str(path.relative_to(PACKAGE)): _private_imports(path)
               for path in sorted(PACKAGE.rglob("*.py")) if FENCE not in path.parents}
    assert {name: found for name, found in outside.items() if found} == {}


def test_the_fence_is_where_they_are() -> None:
    inside = {path.name: _private_imports(path) for path in sorted(FENCE.glob("*.py"))}
    assert inside["walk.py"] and inside["positions.py"]  # the check above would catch a move
