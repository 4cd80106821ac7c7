"""Which modules are test code: ``test_*``, ``*_test``, ``conftest``, and modules of a
``tests`` or ``test`` package (pytest's and unittest's conventions).

Judged on the module's qualified name, which is relative to its import root, so that a
project checked out under a folder named ``test`` is not all test code."""

from __future__ import annotations

__all__ = ["is_test_module"]

_TEST_PACKAGES = frozenset({"tests", "test"})


def is_test_module(module: str) -> bool:
    """Whether the module named ``module`` (``pkg.tests.test_api``) is test code."""
    parts = [part.partition("@")[0] for part in module.split(".")]  # ``tests@1``: see module_keys
    name = parts[-1]
    if name.startswith("test_") or name.endswith("_test") or name == "conftest":
        return True
    return any(part in _TEST_PACKAGES for part in parts[:-1])
