"""Tests for turning command-line paths into the files to lint."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, List

import pytest

from actorlint.config import Settings
from actorlint.discovery import DiscoveryError, discover, discover_with_context


def _touch(root: Path, *rels: str) -> None:
    for rel in rels:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def _rel(found: Iterable["Path | str"], root: Path) -> List[str]:
    return [Path(os.path.abspath(p)).relative_to(root).as_posix() for p in found]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    _touch(
        tmp_path,
        "a.py",
        "b.pyi",
        "notes.txt",
        "script",
        "pkg/__init__.py",
        "pkg/mod.py",
        "pkg/sub/deep.py",
        "build/gen.py",
        ".tox/x.py",
        "node_modules/y.py",
    )
    return tmp_path


def test_walk_finds_py_and_pyi_sorted_and_skips_default_excludes(project: Path) -> None:
    found = discover([str(project)], Settings(root=project))
    assert _rel(found, project) == ["a.py", "b.pyi", "pkg/__init__.py", "pkg/mod.py", "pkg/sub/deep.py"]
    assert found == sorted(found)


def test_relative_arguments_keep_their_spelling(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    found = discover(["pkg", "."], Settings(root=project))
    assert [p.as_posix() for p in found] == [
        "a.py", "b.pyi", "pkg/__init__.py", "pkg/mod.py", "pkg/sub/deep.py",
    ]


def test_duplicates_are_removed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    found = discover(["a.py", "./a.py", str(project / "a.py"), "."], Settings(root=project))
    assert _rel(found, project).count("a.py") == 1


def test_missing_path_raises(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.py")
    with pytest.raises(DiscoveryError) as info:
        discover([missing], Settings(root=tmp_path))
    assert str(info.value) == f"path does not exist: {missing}"
    assert info.value.path == missing


def test_broken_symlink_argument_does_not_exist(tmp_path: Path) -> None:
    (tmp_path / "dangling.py").symlink_to(tmp_path / "gone.py")
    with pytest.raises(DiscoveryError):
        discover([str(tmp_path / "dangling.py")], Settings(root=tmp_path))


def test_directory_named_like_a_python_file_is_walked(tmp_path: Path) -> None:
    _touch(tmp_path, "odd.py/inner.py", "odd.py/data.txt")
    found = discover([str(tmp_path / "odd.py")], Settings(root=tmp_path))
    assert _rel(found, tmp_path) == ["odd.py/inner.py"]


def test_exclude_and_extend_exclude(project: Path) -> None:
    _touch(project, "pkg/gen_pb2.py", "vendor/lib/v.py", "pkg/vendor/keep.py")
    settings = Settings(root=project, exclude=("sub",), extend_exclude=("*_pb2.py", "vendor/lib"))
    found = _rel(discover([str(project)], settings), project)
    # "exclude" replaced the defaults, so build/, .tox/ and node_modules/ come back.
    assert found == [
        ".tox/x.py", "a.py", "b.pyi", "build/gen.py", "node_modules/y.py",
        "pkg/__init__.py", "pkg/mod.py", "pkg/vendor/keep.py",
    ]


def test_extend_exclude_leaves_files_known_but_unreported(project: Path) -> None:
    """Issue 13, bug 4: what ``extend-exclude`` names is still read for what it teaches;
    what ``exclude`` (the defaults included), git and virtual environments leave out is not
    the project's code and stays unknown."""
    _touch(project, "pkg/gen_pb2.py", "vendor/lib/v.py", "vendor/lib/.venv/pyvenv.cfg", "vendor/lib/.venv/w.py",
           "vendor/lib/build/b.py")
    settings = Settings(root=project, extend_exclude=("*_pb2.py", "vendor/lib"))
    found_reported, found_context = discover_with_context([str(project)], settings)
    reported, context = [f.path for f in found_reported], [f.path for f in found_context]
    assert _rel(context, project) == ["pkg/gen_pb2.py", "vendor/lib/v.py"]
    assert "pkg/mod.py" in _rel(reported, project) and "build/gen.py" not in _rel(reported, project)
    assert not set(reported) & set(context)
    # Named explicitly under --force-exclude, an extend-excluded file is known, not reported.
    explicit = discover_with_context([str(project / "pkg/gen_pb2.py"), str(project / "build/gen.py")], settings,
                                     force_exclude=True)
    assert explicit[0] == [] and [f.path for f in explicit[1]] == [str(project / "pkg/gen_pb2.py")]


def test_exclude_patterns_with_a_slash_are_relative_to_the_root(tmp_path: Path) -> None:
    _touch(tmp_path, "src/gen/a.py", "other/src/gen/b.py", "src/keep.py", "tests/fixtures/f.py")
    settings = Settings(root=tmp_path, extend_exclude=("src/gen", "tests/fixtures/*.py"))
    found = _rel(discover([str(tmp_path)], settings), tmp_path)
    assert found == ["other/src/gen/b.py", "src/keep.py"]


def test_virtual_environments_are_skipped(tmp_path: Path) -> None:
    _touch(tmp_path, "myenv/pyvenv.cfg", "myenv/lib/site.py", "app.py")
    assert _rel(discover([str(tmp_path)], Settings(root=tmp_path)), tmp_path) == ["app.py"]


def test_gitignore_is_honoured_while_walking(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("local_*.py\n")
    (tmp_path / ".gitignore").write_text("generated/\n*_tmp.py\n!keep_tmp.py\n/top_only.py\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / ".gitignore").write_text("private.py\n")
    _touch(
        tmp_path,
        "app.py", "x_tmp.py", "keep_tmp.py", "top_only.py", "pkg/top_only.py",
        "pkg/private.py", "private.py", "generated/g.py", "pkg/generated/h.py", "local_notes.py",
        ".git/hooks/hook.py",
    )
    found = _rel(discover([str(tmp_path)], Settings(root=tmp_path)), tmp_path)
    assert found == ["app.py", "keep_tmp.py", "pkg/top_only.py", "private.py"]


def test_gitignore_of_ancestor_folders_applies_to_a_subfolder_argument(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*_tmp.py\n")
    _touch(tmp_path, "pkg/a.py", "pkg/b_tmp.py")
    found = _rel(discover([str(tmp_path / "pkg")], Settings(root=tmp_path)), tmp_path)
    assert found == ["pkg/a.py"]


def test_symlinked_folders_are_not_followed_and_loops_end(tmp_path: Path) -> None:
    _touch(tmp_path, "real/a.py", "outside/o.py")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "real" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "real" / "link.py").symlink_to(tmp_path / "outside" / "o.py")
    found = _rel(discover([str(tmp_path / "real")], Settings(root=tmp_path)), tmp_path)
    assert found == ["real/a.py", "real/link.py"]


def test_explicit_symlinked_folder_argument_is_walked(tmp_path: Path) -> None:
    _touch(tmp_path, "real/a.py")
    (tmp_path / "real" / "self").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    found = discover([str(tmp_path / "alias")], Settings(root=tmp_path))
    assert found == [tmp_path / "alias" / "a.py"]


def test_explicit_files_are_always_included(project: Path) -> None:
    (project / ".gitignore").write_text("*.py\n")
    (project / ".git").mkdir()
    found = discover(
        [str(project / "build" / "gen.py"), str(project / "script"), str(project / "a.py")],
        Settings(root=project),
    )
    assert _rel(found, project) == ["a.py", "build/gen.py", "script"]


def test_explicit_excluded_folder_is_walked(project: Path) -> None:
    found = discover([str(project / "build")], Settings(root=project))
    assert _rel(found, project) == ["build/gen.py"]


def test_force_exclude_applies_exclusions_to_explicit_paths(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("ignored_*.py\nlogs/\n")
    _touch(
        tmp_path,
        "a.py", "build/gen.py", "pkg/build/deep/x.py", "ignored_one.py", "logs/l.py",
        "env/pyvenv.cfg", "env/lib/e.py", "gen_pb2.py", "tools/script",
    )
    settings = Settings(root=tmp_path, extend_exclude=("*_pb2.py",))
    args = [
        "a.py", "build/gen.py", "pkg/build/deep/x.py", "ignored_one.py", "logs/l.py",
        "env/lib/e.py", "gen_pb2.py", "tools/script", "build",
    ]
    args = [str(tmp_path / a) for a in args]
    assert _rel(discover(args, settings, force_exclude=True), tmp_path) == ["a.py", "tools/script"]
    assert len(discover(args[:-1], settings)) == len(args) - 1


def test_force_exclude_only_judges_components_below_the_root(tmp_path: Path) -> None:
    # The project itself lives inside a folder called "build": that must not exclude it.
    root = tmp_path / "build" / "proj"
    _touch(root, "a.py")
    found = discover([str(root / "a.py")], Settings(root=root), force_exclude=True)
    assert found == [root / "a.py"]


def test_unreadable_folder_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _touch(tmp_path, "ok.py", "locked/x.py")
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    # chmod does not stop root, so simulate the permission error directly.
    def scandir(path: str):  # type: ignore[no-untyped-def]
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert _rel(discover([str(tmp_path)], Settings(root=tmp_path)), tmp_path) == ["ok.py"]
