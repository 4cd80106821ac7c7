"""The binder's imports: what ``import`` and ``from ... import`` bind, and the fallbacks of
optional imports (``try: import ray / except ImportError: ray = None``)."""

from __future__ import annotations

from typing import Optional, Set

import libcst as cst

from actorlint.model.collect.control import ControlContext
from actorlint.model.collect.scopes import Binding, Scope
from actorlint.model.syntax import dotted
from actorlint.model.values import UNKNOWN, Qual

__all__ = ["ImportBinder"]


class ImportBinder(ControlContext):
    """The import statements of the binder's walk (binder.py holds the rest)."""

    module_name: str
    is_package: bool
    scope: Scope
    # Inside ``except ImportError:`` (a fallback for an optional import).
    import_fallback: bool
    imported_packages: Set[str]

    def _bind(self, name: str, binding: Binding) -> None:
        raise NotImplementedError  # the binder's

    def _is_import_placeholder(self, name: str) -> bool:
        """``ray = None`` in ``except ImportError:`` after ``import ray``: a placeholder for
        a missing optional module, which does not make the name unknown where the module
        is there (the only place where the code uses it as one)."""
        if not self.import_fallback:
            return False
        bindings = self.scope.bindings.get(name)
        return bool(bindings) and all(isinstance(b, Qual) for b in bindings)

    def visit_Try(self, node: cst.Try) -> bool:
        self.walk(node.body)
        for handler in node.handlers:
            fallback = _catches_import_error(handler)
            saved, self.import_fallback = self.import_fallback, self.import_fallback or fallback
            self.walk(handler)
            self.import_fallback = saved
        for part in (node.orelse, node.finalbody):
            if part is not None:
                self.walk(part)
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            name = dotted(alias.name)
            if name is None:
                continue
            self.imported_packages.add(name.split(".", 1)[0])
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._bind(alias.asname.name.value, Qual(name))
            else:
                top = name.split(".", 1)[0]
                self._bind(top, Qual(top))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        base = self._import_base(node)
        if base:
            self.imported_packages.add(base.split(".", 1)[0])
        if isinstance(node.names, cst.ImportStar):
            self.scope.star_import = True
            self.scope.star_modules.append(base)
            return False
        for alias in node.names:
            name = dotted(alias.name)
            if name is None:
                continue
            bound = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bound = alias.asname.name.value
            self._bind(bound, Qual(f"{base}.{name}") if base else UNKNOWN)
        return False

    def _import_base(self, node: cst.ImportFrom) -> Optional[str]:
        module = dotted(node.module) if node.module is not None else None
        level = len(node.relative)
        if level == 0:
            return module
        parts = self.module_name.split(".")
        if not self.is_package:
            parts = parts[:-1]
        if level - 1 > len(parts) or (level - 1 == len(parts) and not module):
            return None
        parts = parts[: len(parts) - (level - 1)]
        if module:
            parts.append(module)
        return ".".join(parts) or None


_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})


def _catches_import_error(handler: cst.ExceptHandler) -> bool:
    """Whether an ``except`` clause catches only import errors."""
    caught = handler.type
    if isinstance(caught, cst.Tuple):
        names = [element.value for element in caught.elements]
    else:
        names = [caught] if caught is not None else []
    return bool(names) and all(isinstance(n, cst.Name) and n.value in _IMPORT_ERRORS for n in names)
