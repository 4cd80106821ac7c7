"""Turn the paths given on the command line into the list of Python files to lint.

Folders are walked without following symlinked folders; excluded names, virtual
environments and what git ignores are skipped. Files named explicitly are always
linted unless ``force_exclude`` is set (as pre-commit runs us on staged files).
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Pattern, Sequence, Set, Tuple

from actorlint.config import Settings
from actorlint.gitignore import GitignoreMatcher, compile_glob

__all__ = ["DiscoveryError", "PYTHON_SUFFIXES", "discover"]

#: File name endings that a folder walk picks up.
PYTHON_SUFFIXES: Tuple[str, ...] = (".py", ".pyi")


class DiscoveryError(Exception):
    """A path given on the command line does not exist (a broken symbolic link included)."""

    def __init__(self, path: str, reason: str = "") -> None:
        if reason == _DENIED:
            super().__init__(f"cannot access path: {path} ({reason}: a folder on the way cannot be entered)")
        else:
            super().__init__(f"path does not exist: {path}" + (f" ({reason})" if reason else ""))
        self.path = path


_DENIED = "permission denied"


def _why_missing(path: str) -> str:
    """What is wrong with a path that ``os.path.exists`` denies, when it is a symbolic link."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symbolic link loop"
        if error.errno in (errno.EACCES, errno.EPERM):
            return _DENIED
        if os.path.islink(path):
            return "a broken symbolic link"
    return ""


def _any_of(patterns: Iterable[str]) -> Optional[Pattern[str]]:
    """One regex matching a whole name when any of the fnmatch ``patterns`` does."""
    translated = [fnmatch.translate(pattern) for pattern in patterns]
    return re.compile("|".join(f"(?:{regex})" for regex in translated)) if translated else None


def _to_posix(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


class _Filter:
    """Decides which paths a run skips; holds the caches of one discovery run."""

    def __init__(self, settings: Settings) -> None:
        self.root = os.path.abspath(os.fspath(settings.root))
        self.gitignore = GitignoreMatcher()
        # (pattern, dir_only) matched with fnmatch against a single path component.
        self.name_patterns: List[Tuple[str, bool]] = []
        # (regex, dir_only, absolute) matched against the path relative to the root,
        # or against the absolute path for absolute patterns.
        self.path_patterns: List[Tuple[Pattern[str], bool, bool]] = []
        for raw in settings.exclude + settings.extend_exclude:
            dir_only = raw.endswith("/")
            pattern = raw.rstrip("/")
            while pattern.startswith("./"):
                pattern = pattern[2:]
            if not pattern:
                continue
            if "/" in pattern:
                absolute = os.path.isabs(pattern)
                self.path_patterns.append((compile_glob(pattern), dir_only, absolute))
            else:
                self.name_patterns.append((pattern, dir_only))
        # The name patterns as one regex each for folders and for files (fnmatch's
        # reading of them): one match per path instead of one per pattern.
        self._dir_names = _any_of(pattern for pattern, _ in self.name_patterns)
        self._file_names = _any_of(pattern for pattern, dir_only in self.name_patterns if not dir_only)

    def _relative(self, absolute: str) -> Optional[str]:
        rel = os.path.relpath(absolute, self.root)
        if rel == os.curdir or rel == os.pardir or rel.startswith(os.pardir + os.sep):
            return None
        return _to_posix(rel)

    def excluded(self, absolute: str, is_dir: bool) -> bool:
        """Whether the exclude settings name this path itself (its folders are not checked)."""
        names = self._dir_names if is_dir else self._file_names
        if names is not None and names.match(os.path.basename(absolute)):
            return True
        if self.path_patterns:
            rel = self._relative(absolute)
            for regex, dir_only, is_absolute in self.path_patterns:
                if dir_only and not is_dir:
                    continue
                target = _to_posix(absolute) if is_absolute else rel
                if target is not None and regex.fullmatch(target):
                    return True
        return False

    def skips_dir(self, absolute: str) -> bool:
        """Whether a folder met during a walk is left out, with everything below it."""
        return (
            os.path.basename(absolute) == ".git"
            or self.excluded(absolute, True)
            or os.path.isfile(os.path.join(absolute, "pyvenv.cfg"))
            or self.gitignore.is_ignored(absolute, True, check_parents=False)
        )

    def skips_file(self, absolute: str) -> bool:
        """Whether a Python file met during a walk is left out."""
        return self.excluded(absolute, False) or self.gitignore.is_ignored(
            absolute, False, check_parents=False
        )

    def force_excluded(self, absolute: str, is_dir: bool) -> bool:
        """Whether an explicit path is left out under ``--force-exclude``.

        The path and every folder between the root and it are checked, so a file
        inside an excluded folder or a virtual environment is left out too.
        """
        if self.gitignore.is_ignored(absolute, is_dir):
            return True
        rel = self._relative(absolute)
        if rel is None:
            # Outside the root: only the path's own name can be judged.
            return self.excluded(absolute, is_dir)
        parts = rel.split("/")
        for depth in range(1, len(parts) + 1):
            current = os.path.join(self.root, *parts[:depth])
            current_is_dir = depth < len(parts) or is_dir
            if current_is_dir and self.skips_dir(current):
                return True
            if not current_is_dir and self.excluded(current, False):
                return True
        return False


def _walk(top: str, filt: _Filter) -> List[Tuple[str, str]]:
    """The (display path, absolute path) of every Python file under folder ``top``."""
    found: List[Tuple[str, str]] = []
    seen: Set[Tuple[int, int]] = set()
    stack: List[Tuple[str, str]] = [(top, os.path.abspath(top))]
    while stack:
        display, absolute = stack.pop()
        try:
            info = os.stat(absolute)
        except OSError:
            continue
        # Symlinked folders are never followed, but bind mounts and the like can still
        # make a folder its own descendant: never enter the same folder twice.
        key = (info.st_dev, info.st_ino)
        if key in seen:
            continue
        seen.add(key)
        try:
            with os.scandir(absolute) as iterator:
                entries = list(iterator)
        except OSError:
            continue
        for entry in entries:
            child_display = os.path.join(display, entry.name)
            child_absolute = os.path.join(absolute, entry.name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not filt.skips_dir(child_absolute):
                        stack.append((child_display, child_absolute))
                    continue
                if not entry.name.endswith(PYTHON_SUFFIXES) or not entry.is_file():
                    continue
            except OSError:
                continue
            if not filt.skips_file(child_absolute):
                found.append((child_display, child_absolute))
    return found


def discover(paths: Sequence[str], settings: Settings, *, force_exclude: bool = False) -> List[Path]:
    """Expand command-line paths into a sorted, de-duplicated list of files to lint.

    Folders contribute their ``.py``/``.pyi`` files; an explicit file is always kept
    (whatever its name) unless ``force_exclude`` applies the skip rules to it too.
    Raises DiscoveryError for a path that does not exist.
    """
    for raw in paths:
        if not os.path.exists(raw):
            raise DiscoveryError(raw, _why_missing(raw))
    filt = _Filter(settings)
    files: Dict[str, Path] = {}
    for raw in paths:
        absolute = os.path.abspath(raw)
        is_dir = os.path.isdir(absolute)
        if force_exclude and filt.force_excluded(absolute, is_dir):
            continue
        candidates = _walk(raw, filt) if is_dir else [(raw, absolute)]
        for display, file_absolute in candidates:
            key = os.path.normcase(os.path.normpath(file_absolute))
            files.setdefault(key, Path(display))
    return sorted(files.values())
