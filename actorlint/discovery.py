"""Turn the paths given on the command line into the list of Python files to lint.

Folders are walked without following symlinked folders; excluded names, virtual
environments and what git ignores are skipped. Files named explicitly are always
linted unless ``force_exclude`` is set (as pre-commit runs us on staged files).
Files that ``extend-exclude`` names are not linted but still read, for what they teach
the linted ones (the module defining a Celery app, a base class).
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
from pathlib import Path
from typing import Dict, Iterable, List, NamedTuple, Optional, Pattern, Sequence, Set, Tuple

from actorlint.config import CONFIG_FILE_NAMES, Settings, config_in_folder
from actorlint.gitignore import GitignoreMatcher, compile_glob

__all__ = [
    "DiscoveryError", "FoundFile", "PYTHON_SUFFIXES", "common_folder", "discover", "discover_with_context",
    "project_context", "project_root", "sorted_found",
]

#: File name endings that a folder walk picks up.
PYTHON_SUFFIXES: Tuple[str, ...] = (".py", ".pyi")


class FoundFile(NamedTuple):
    """A Python file a discovery found. Plain strings: a run meets thousands, and both
    names are worked out once, during the walk."""

    path: str       # as the user's path spells it (normalised as pathlib would): to read it by
    absolute: str   # absolute and normalised
    level: int      # KEPT or UNREPORTED (``extend-exclude``)


def sorted_found(found: Iterable[FoundFile]) -> List[FoundFile]:
    """Found files in the order of their paths as pathlib sorts them (part by part)."""
    return sorted(found, key=lambda f: f.path.split(os.sep))


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


class _Patterns:
    """Glob patterns from one setting, matched against paths under the root."""

    def __init__(self, root: str, raw_patterns: Iterable[str]) -> None:
        self.root = root
        # (pattern, dir_only) matched with fnmatch against a single path component.
        self.name_patterns: List[Tuple[str, bool]] = []
        # (regex, dir_only, absolute) matched against the path relative to the root,
        # or against the absolute path for absolute patterns.
        self.path_patterns: List[Tuple[Pattern[str], bool, bool]] = []
        for raw in raw_patterns:
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

    def relative(self, absolute: str) -> Optional[str]:
        """The path relative to the root, or None outside it."""
        rel = os.path.relpath(absolute, self.root)
        if rel == os.curdir or rel == os.pardir or rel.startswith(os.pardir + os.sep):
            return None
        return _to_posix(rel)

    def match(self, absolute: str, is_dir: bool) -> bool:
        """Whether a pattern names this path itself (its folders are not checked)."""
        names = self._dir_names if is_dir else self._file_names
        if names is not None and names.match(os.path.basename(absolute)):
            return True
        if self.path_patterns:
            rel = self.relative(absolute)
            for regex, dir_only, is_absolute in self.path_patterns:
                if dir_only and not is_dir:
                    continue
                target = _to_posix(absolute) if is_absolute else rel
                if target is not None and regex.fullmatch(target):
                    return True
        return False


#: How far a path is left out: not at all, from the report only (``extend-exclude``:
#: the file is still read for what it teaches other files), or entirely (``exclude``,
#: virtual environments, what git ignores: not the project's code).
KEPT, UNREPORTED, UNKNOWN = 0, 1, 2

#: The file that makes a folder a virtual environment.
_VENV_MARKER = "pyvenv.cfg"


class _Filter:
    """Decides which paths a run skips; holds the caches of one discovery run."""

    def __init__(self, settings: Settings, nested: Optional[List[str]] = None) -> None:
        self.root = os.path.abspath(os.fspath(settings.root))
        self.gitignore = GitignoreMatcher()
        self.unknown = _Patterns(self.root, settings.exclude)
        self.unreported = _Patterns(self.root, settings.extend_exclude)
        # When a list: walks do not enter a folder holding its own config file (its files
        # follow that config, as in Ruff) but add its path here.
        self.nested = nested

    def governed_elsewhere(self, display: str, absolute: str, names: Set[str]) -> bool:
        """Whether a folder entered during a walk, holding files ``names``, has its own
        config (and is noted as such)."""
        if self.nested is None or not names & CONFIG_FILE_NAMES or config_in_folder(Path(absolute)) is None:
            return False
        self.nested.append(display)
        return True

    def dir_level(self, absolute: str) -> int:
        """How far a folder is left out, with everything below it."""
        if os.path.isfile(os.path.join(absolute, _VENV_MARKER)):
            return UNKNOWN
        return self.named_dir_level(absolute)

    def named_dir_level(self, absolute: str) -> int:
        """dir_level, but for what the folder holds (the walk looks at that once inside)."""
        if (
            os.path.basename(absolute) == ".git"
            or self.unknown.match(absolute, True)
            or self.gitignore.ignores_entry(absolute, True)
        ):
            return UNKNOWN
        return UNREPORTED if self.unreported.match(absolute, True) else KEPT

    def file_level(self, absolute: str) -> int:
        """How far a Python file met during a walk is left out."""
        if self.unknown.match(absolute, False) or self.gitignore.ignores_entry(absolute, False):
            return UNKNOWN
        return UNREPORTED if self.unreported.match(absolute, False) else KEPT

    def forced_level(self, absolute: str, is_dir: bool) -> int:
        """How far an explicit path is left out under ``--force-exclude``.

        The path and every folder between the root and it are checked, so a file
        inside an excluded folder or a virtual environment is left out too.
        """
        if self.gitignore.is_ignored(absolute, is_dir):
            return UNKNOWN
        rel = self.unknown.relative(absolute)
        if rel is None:
            # Outside the root: only the path's own name can be judged.
            return self.dir_level(absolute) if is_dir else self.file_level(absolute)
        level = KEPT
        parts = rel.split("/")
        for depth in range(1, len(parts) + 1):
            current = os.path.join(self.root, *parts[:depth])
            current_is_dir = depth < len(parts) or is_dir
            level = max(level, self.dir_level(current) if current_is_dir else self.file_level(current))
            if level == UNKNOWN:
                break
        return level


def _walk(top: str, filt: _Filter, top_level: int = KEPT) -> List[FoundFile]:
    """Every Python file under folder ``top`` that is not left out entirely."""
    found: List[FoundFile] = []
    seen: Set[Tuple[int, int]] = set()
    # Names joined below a normalised top are normalised too ("./" dropped, as pathlib does).
    top_display = str(Path(top))
    stack: List[Tuple[str, str, int, bool]] = [(top_display, os.path.abspath(top), top_level, True)]
    while stack:
        display, absolute, level, is_top = stack.pop()
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
        if not is_top:
            # What a folder holds is judged from its listing: no extra look per folder.
            names = {entry.name for entry in entries}
            if _VENV_MARKER in names and os.path.isfile(os.path.join(absolute, _VENV_MARKER)):
                continue
            if filt.governed_elsewhere(display, absolute, names):
                continue
        for entry in entries:
            child_display = entry.name if display == os.curdir else os.path.join(display, entry.name)
            child_absolute = os.path.join(absolute, entry.name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    child_level = max(level, filt.named_dir_level(child_absolute))
                    if child_level != UNKNOWN:
                        stack.append((child_display, child_absolute, child_level, False))
                    continue
                if not entry.name.endswith(PYTHON_SUFFIXES) or not entry.is_file():
                    continue
            except OSError:
                continue
            child_level = max(level, filt.file_level(child_absolute))
            if child_level != UNKNOWN:
                found.append(FoundFile(child_display, child_absolute, child_level))
    return found


def discover(paths: Sequence[str], settings: Settings, *, force_exclude: bool = False,
             nested: Optional[List[str]] = None) -> List[Path]:
    """Expand command-line paths into a sorted, de-duplicated list of files to lint.

    Folders contribute their ``.py``/``.pyi`` files; an explicit file is always kept
    (whatever its name) unless ``force_exclude`` applies the skip rules to it too.
    ``nested``: see discover_with_context. Raises DiscoveryError for a path that does not
    exist.
    """
    reported = discover_with_context(paths, settings, force_exclude=force_exclude, nested=nested)[0]
    return [Path(found.path) for found in reported]


def discover_with_context(paths: Sequence[str], settings: Settings, *, force_exclude: bool = False,
                          nested: Optional[List[str]] = None) -> Tuple[List[FoundFile], List[FoundFile]]:
    """The files to lint (as ``discover``) and the files read only for what they teach
    the others: those that ``extend-exclude`` leaves out of the report. With a ``nested``
    list, folders met on the way that hold their own config file are not entered but
    listed there (their files are another config's to check)."""
    for raw in paths:
        if not os.path.exists(raw):
            raise DiscoveryError(raw, _why_missing(raw))
    filt = _Filter(settings, nested)
    files: Dict[str, FoundFile] = {}
    for raw in paths:
        absolute = os.path.abspath(raw)
        is_dir = os.path.isdir(absolute)
        level = filt.forced_level(absolute, is_dir) if force_exclude else KEPT
        if level == UNKNOWN:
            continue
        candidates = _walk(raw, filt, level) if is_dir else [FoundFile(str(Path(raw)), absolute, level)]
        for found in candidates:
            key = os.path.normcase(found.absolute)  # abspath has normalised it
            known = files.get(key)
            if known is None:
                files[key] = found
            elif found.level < known.level:
                files[key] = known._replace(level=found.level)
    reported = sorted_found(found for found in files.values() if found.level == KEPT)
    context = sorted_found(found for found in files.values() if found.level == UNREPORTED)
    return reported, context


def common_folder(paths: Sequence[str], cwd: Path) -> Path:
    """The folder holding every path given (the current folder for standard input)."""
    absolute = [os.path.abspath(p) for p in paths if p != "-"]
    if not absolute:
        return cwd
    common = Path(os.path.commonpath(absolute))
    return common if common.is_dir() else common.parent


_VCS_MARKERS = (".git", ".hg", ".svn")


def project_root(config_file: Optional[Path], start: Path) -> Optional[Path]:
    """The folder of the project the checked files belong to: the config file's folder,
    else the nearest version-control root above ``start``; None when neither exists (then
    only the files asked for are read)."""
    if config_file is not None:
        return Path(os.path.abspath(config_file)).parent
    folder = Path(os.path.abspath(start))
    for candidate in (folder, *folder.parents):
        if any(os.path.exists(os.path.join(candidate, marker)) for marker in _VCS_MARKERS):
            return candidate
    return None


def project_context(root: Path, asked: Sequence[str], known: Set[str], settings: Settings, cwd: Path, *,
                    nested_configs: bool = False) -> Tuple[List[FoundFile], List[FoundFile]]:
    """The project's other Python files under ``root``, read so that checking a few files
    gives, for them, what checking the whole project gives (what a handle passed in from
    another module is, which class is an actor): those a tree run would report, and those
    it reads only as context (``extend-exclude``). Excluded files stay out; files in
    ``known`` (normcased absolute paths: already asked for, or context) are not repeated.
    Nothing is added when the paths ``asked`` for already cover the root. With
    ``nested_configs``, folders holding their own config file are left out: each is a
    project of its own."""
    absolute_root = os.path.normcase(os.path.abspath(root))
    asked_keys = {os.path.normcase(os.path.abspath(raw)) for raw in asked}
    for key in asked_keys:
        if absolute_root == key or absolute_root.startswith(key.rstrip(os.sep) + os.sep):
            return [], []
    shown = os.path.relpath(root, cwd) if os.path.splitdrive(str(root))[0] == os.path.splitdrive(str(cwd))[0] \
        else str(root)
    listed = known | asked_keys
    # The walk's absolute paths are normalised already (an absolute folder joined with names).
    found = [f for f in _walk(shown, _Filter(settings, [] if nested_configs else None), KEPT)
             if os.path.normcase(f.absolute) not in listed]
    return (sorted_found(f for f in found if f.level == KEPT),
            sorted_found(f for f in found if f.level == UNREPORTED))
