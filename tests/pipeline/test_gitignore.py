"""Tests for the gitignore matcher and the shared glob translation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict

import pytest

from actorlint.gitignore import GitignoreMatcher, compile_glob, find_git_root, parse_gitignore


def _glob(pattern: str, path: str) -> bool:
    return compile_glob(pattern).fullmatch(path) is not None


@pytest.mark.parametrize(
    "pattern, path, expected",
    [
        ("*.py", "a.py", True),
        ("*.py", "dir/a.py", False),  # "*" never crosses a slash
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
        ("[ab]x", "bx", True),
        ("[!ab]x", "cx", True),
        ("[!ab]x", "ax", False),
        ("[^ab]x", "ax", False),
        ("[a-c]x", "bx", True),
        ("[a-c]x", "dx", False),
        ("[!a]x", "/x", False),  # a bracket never matches the separator
        ("[]]x", "]x", True),
        ("[x", "[x", True),  # an unclosed bracket is literal
        ("**/foo", "foo", True),
        ("**/foo", "a/b/foo", True),
        ("a/**/b", "a/b", True),
        ("a/**/b", "a/x/y/b", True),
        ("a/**", "a/x/y", True),
        ("a/**", "a", False),
        ("**", "anything/at/all", True),
        ("a**b", "axxb", True),  # not a whole segment: an ordinary star
        ("a**b", "a/b", False),
        (r"\*", "*", True),
        (r"\*", "x", False),
        ("a.b", "axb", False),  # regex metacharacters are literal
    ],
)
def test_compile_glob(pattern: str, path: str, expected: bool) -> None:
    assert _glob(pattern, path) is expected


def test_parse_skips_comments_and_blanks_and_handles_escapes() -> None:
    lines = ["# comment", "", "   ", r"\#hash", r"\!bang", "!keep", "dir/", "/top", "trail\\ "]
    rules = parse_gitignore(lines, "/r")
    assert [r.pattern for r in rules] == [r"\#hash", r"\!bang", "!keep", "dir/", "/top", "trail\\ "]
    hash_rule, bang_rule, keep, directory, top, trail = rules
    assert hash_rule.regex.fullmatch("#hash") and not hash_rule.negated
    assert bang_rule.regex.fullmatch("!bang") and not bang_rule.negated
    assert keep.negated and keep.regex.fullmatch("keep")
    assert directory.dir_only and not directory.anchored
    assert top.anchored and top.regex.fullmatch("top")
    assert trail.regex.fullmatch("trail ")  # an escaped trailing space is kept


def _tree(root: Path, files: Dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    return tmp_path


def _ignored(root: Path, rel: str, is_dir: bool = False) -> bool:
    return GitignoreMatcher().is_ignored(str(root / rel), is_dir)


def test_unanchored_pattern_matches_at_any_depth(repo: Path) -> None:
    _tree(repo, {".gitignore": "*.log\ngen\n"})
    assert _ignored(repo, "x.log")
    assert _ignored(repo, "a/b/x.log")
    assert _ignored(repo, "a/gen", is_dir=True)
    assert _ignored(repo, "a/gen/mod.py")  # inside an ignored folder
    assert not _ignored(repo, "a/x.py")


def test_leading_and_middle_slash_anchor_to_the_gitignore_folder(repo: Path) -> None:
    _tree(repo, {".gitignore": "/top.py\ndoc/frotz\n", "sub/.gitignore": "/local.py\n"})
    assert _ignored(repo, "top.py")
    assert not _ignored(repo, "a/top.py")
    assert _ignored(repo, "doc/frotz", is_dir=True)
    assert not _ignored(repo, "a/doc/frotz", is_dir=True)
    assert _ignored(repo, "sub/local.py")
    assert not _ignored(repo, "local.py")
    assert not _ignored(repo, "sub/deeper/local.py")


def test_trailing_slash_matches_directories_only(repo: Path) -> None:
    _tree(repo, {".gitignore": "out/\n"})
    assert _ignored(repo, "out", is_dir=True)
    assert not _ignored(repo, "out", is_dir=False)
    assert _ignored(repo, "pkg/out/x.py")


def test_negation_and_last_rule_wins(repo: Path) -> None:
    _tree(repo, {".gitignore": "*.py\n!keep.py\nkeep_not*.py\n"})
    assert _ignored(repo, "a.py")
    assert not _ignored(repo, "keep.py")
    assert _ignored(repo, "keep_not_this.py")


def test_deeper_gitignore_overrides_higher_one(repo: Path) -> None:
    _tree(repo, {".gitignore": "*.py\n", "sub/.gitignore": "!wanted.py\n"})
    assert _ignored(repo, "wanted.py")
    assert not _ignored(repo, "sub/wanted.py")
    assert _ignored(repo, "sub/other.py")


def test_file_in_ignored_directory_cannot_be_re_included(repo: Path) -> None:
    _tree(repo, {".gitignore": "build/\n!build/keep.py\n"})
    assert _ignored(repo, "build/keep.py")


def test_double_star_patterns(repo: Path) -> None:
    _tree(repo, {".gitignore": "**/cache\nlogs/**\na/**/z.py\n"})
    assert _ignored(repo, "cache", is_dir=True)
    assert _ignored(repo, "x/y/cache", is_dir=True)
    assert _ignored(repo, "logs/today/x.py")
    assert not _ignored(repo, "logs", is_dir=True)
    assert _ignored(repo, "a/z.py")
    assert _ignored(repo, "a/b/c/z.py")
    assert not _ignored(repo, "b/a/z.py")


def test_info_exclude_is_honoured_and_gitignore_overrides_it(repo: Path) -> None:
    _tree(repo, {".git/info/exclude": "secret.py\nlocal.py\n", ".gitignore": "!local.py\n"})
    assert _ignored(repo, "secret.py")
    assert not _ignored(repo, "local.py")


def test_gitignore_outside_a_repository_is_not_read(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "*.py\n"})
    assert not _ignored(tmp_path, "a.py")


def test_nested_repository_starts_afresh(repo: Path) -> None:
    _tree(repo, {".gitignore": "*.gen.py\n", "inner/.git/HEAD": "", "inner/.gitignore": ""})
    assert _ignored(repo, "x.gen.py")
    assert not _ignored(repo, "inner/x.gen.py")


def test_a_walks_entry_is_judged_alone(repo: Path) -> None:
    _tree(repo, {".gitignore": "build/\n"})
    path = str(repo / "build" / "x.py")
    assert GitignoreMatcher().is_ignored(path, False)
    assert not GitignoreMatcher().ignores_entry(path, False)


def test_find_git_root(repo: Path) -> None:
    (repo / "a" / "b").mkdir(parents=True)
    assert find_git_root(str(repo / "a" / "b")) == str(repo)
    # A ".git" file (worktrees, submodules) marks a root too.
    (repo / "a" / ".git").write_text("gitdir: elsewhere\n")
    assert find_git_root(str(repo / "a" / "b")) == os.path.join(str(repo), "a")
