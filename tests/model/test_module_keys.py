"""Modules that share a dotted name in different import roots (issue 13, bug 3)."""

from __future__ import annotations

from actorlint.config import Settings
from actorlint.model.facts import FileFacts
from actorlint.model.module_keys import as_written, import_root, separate_shared_modules
from tests.fixture_harness import FIXTURES, lint

PROJECT = FIXTURES / "ACT202_same_module_name_project"


def test_import_root_counts_the_module_name_back_from_the_path() -> None:
    assert import_root(FileFacts("a/x.py", "x")) == "a"
    assert import_root(FileFacts("src/shop/tasks.py", "shop.tasks")) == "src"
    assert import_root(FileFacts("src/shop/__init__.py", "shop")) == "src"
    assert import_root(FileFacts("x.py", "x")) == "."


def test_only_shared_names_get_keys_and_keys_read_back_as_written() -> None:
    files = (FileFacts("a/x.py", "x", imports={"time": "time"}), FileFacts("b/x.py", "x"),
             FileFacts("b/y.py", "y", imports={"W": "x.Worker"}), FileFacts("c/z.py", "z",
                                                                          imports={"W": "x.Worker"}))
    a, b, y, z = separate_shared_modules(files)
    assert (a.module, b.module) == ("x@1", "x@2")
    assert a.imports == {"time": "time"}
    assert y.module == "y" and y.imports == {"W": "x@2.Worker"}
    assert z.imports == {"W": "x.Worker"}  # no `x` in c/: which one it imports is unknown
    assert as_written("x@2.Worker") == "x.Worker"
    unshared = (FileFacts("a/x.py", "x"), FileFacts("b/y.py", "y"))
    assert separate_shared_modules(unshared) == unshared


def test_a_folder_checked_alone_reports_what_the_tree_run_reports_for_it() -> None:
    settings = Settings(root=PROJECT, select=("ACT101", "ACT201", "ACT202"))
    tree = lint(sorted(PROJECT.rglob("*.py")), PROJECT, settings)
    alone = lint(sorted((PROJECT / "b").glob("*.py")), PROJECT, settings)
    assert {f for f in tree if f[0].startswith("b/")} == alone
    assert ("b/caller.py", 8, "ACT201") in alone
