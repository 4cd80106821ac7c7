"""A small ``.gitignore`` matcher, plus the glob translation the config shares with it.

Follows git's documented pattern rules: comments, blank lines, ``!`` negation, a
trailing ``/`` for directories only, a leading or middle ``/`` anchoring the pattern
to the folder of its ``.gitignore``, ``*``, ``?``, ``[...]`` and ``**``. Rules from
``.git/info/exclude`` come first, then every ``.gitignore`` from the repository root
down to the entry's folder; the last matching rule wins. ``.gitignore`` files are only
read inside a git repository (a folder with ``.git`` at or above it), as git does.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Pattern, Tuple

from actorlint.safe_read import read_regular_file

# An ignore file larger than this is not one (a planted device or fifo is refused too).
_MAX_IGNORE_FILE_BYTES = 4 * 1024 * 1024

__all__ = [
    "GitignoreMatcher",
    "GitignoreRule",
    "compile_glob",
    "find_git_root",
    "parse_gitignore",
    "translate_glob",
]


def _read_class_char(pattern: str, i: int) -> Tuple[str, int]:
    """The (possibly backslash-escaped) character at ``i`` and the index after it."""
    if pattern[i] == "\\" and i + 1 < len(pattern):
        return pattern[i + 1], i + 2
    return pattern[i], i + 1


def _translate_class(pattern: str, i: int) -> Optional[Tuple[str, int]]:
    """Translate the bracket expression opening at ``pattern[i] == "["``.

    Returns the regex and the index just past the closing ``]``, or None when the
    bracket is never closed (it is then an ordinary character).
    """
    n = len(pattern)
    j = i + 1
    negate = j < n and pattern[j] in "!^"
    if negate:
        j += 1
    items: List[str] = []
    first = True
    while j < n:
        if pattern[j] == "]" and not first:
            break
        first = False
        low, j = _read_class_char(pattern, j)
        if j + 1 < n and pattern[j] == "-" and pattern[j + 1] != "]":
            high, j = _read_class_char(pattern, j + 1)
            # An inverted range matches nothing in git; an empty item keeps that.
            if low <= high:
                items.append(re.escape(low) + "-" + re.escape(high))
            continue
        items.append(re.escape(low))
    else:
        return None
    body = "".join(items)
    # A bracket expression never matches the path separator.
    if negate:
        regex = "[^/" + body + "]"
    elif body:
        regex = "(?!/)[" + body + "]"
    else:
        regex = "(?!)"
    return regex, j + 1


def translate_glob(pattern: str) -> str:
    """Translate a gitignore-style glob into a regex for ``re.fullmatch``.

    ``*`` and ``?`` never match ``/``; a ``**`` segment matches any number of
    folders (``a/**/b``, ``**/b``) or, at the end, everything below (``a/**``).
    """
    out: List[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            whole_segment = (i == 0 or pattern[i - 1] == "/") and (j == n or pattern[j] == "/")
            if j - i >= 2 and whole_segment:
                if j == n:
                    out.append(".*")
                    i = j
                else:
                    out.append("(?:[^/]*/)*")
                    i = j + 1
            else:
                out.append("[^/]*")
                i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            translated = _translate_class(pattern, i)
            if translated is None:
                out.append(re.escape(c))
                i += 1
            else:
                out.append(translated[0])
                i = translated[1]
        elif c == "\\":
            if i + 1 < n:
                out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> Pattern[str]:
    """The compiled form of :func:`translate_glob`, cached; use with ``fullmatch``."""
    return re.compile(translate_glob(pattern), re.DOTALL)


@dataclass(frozen=True)
class GitignoreRule:
    """One pattern line of an ignore file, bound to the folder it is relative to."""

    pattern: str
    base: str
    regex: Pattern[str]
    negated: bool = False
    dir_only: bool = False
    # Anchored patterns match the path relative to ``base``; the others match the name.
    anchored: bool = False

    def matches(self, path: str, is_dir: bool) -> bool:
        """Whether this rule's pattern matches ``path`` (absolute, below ``base``)."""
        if self.dir_only and not is_dir:
            return False
        prefix = self.base if self.base.endswith(os.sep) else self.base + os.sep
        if not path.startswith(prefix):
            return False
        if self.anchored:
            target = path[len(prefix):]
            if os.sep != "/":
                target = target.replace(os.sep, "/")
        else:
            target = os.path.basename(path)
        return self.regex.fullmatch(target) is not None


def _strip_trailing_spaces(line: str) -> str:
    while line.endswith(" ") and not line.endswith("\\ "):
        line = line[:-1]
    return line


def parse_gitignore(lines: Iterable[str], base: str) -> List[GitignoreRule]:
    """Parse the lines of an ignore file whose patterns are relative to folder ``base``."""
    rules: List[GitignoreRule] = []
    for raw in lines:
        line = _strip_trailing_spaces(raw.rstrip("\r\n"))
        if not line or line.startswith("#"):
            continue
        text = line
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        dir_only = line.endswith("/")
        if dir_only:
            line = line[:-1]
        anchored = "/" in line
        if line.startswith("/"):
            line = line[1:]
        if not line:
            continue
        rules.append(
            GitignoreRule(
                pattern=text,
                base=base,
                regex=compile_glob(line),
                negated=negated,
                dir_only=dir_only,
                anchored=anchored,
            )
        )
    return rules


def _read_rules(path: str, base: str) -> List[GitignoreRule]:
    try:
        text = read_regular_file(path, _MAX_IGNORE_FILE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return []
    return parse_gitignore(text.lstrip("\ufeff").splitlines(), base)


def find_git_root(path: str) -> Optional[str]:
    """The nearest folder at or above ``path`` that contains ``.git``, if any."""
    current = os.path.abspath(path)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


# The rules that apply to a folder's entries, and whether the folder is in a repository.
_DirRules = Tuple[bool, Tuple[GitignoreRule, ...]]


class GitignoreMatcher:
    """Answers "does git ignore this path?", reading and caching ignore files lazily.

    One instance is meant to live for one discovery run; paths are taken as absolute
    (relative ones are made absolute against the current directory).
    """

    def __init__(self) -> None:
        self._rules: Dict[str, _DirRules] = {}
        self._dir_ignored: Dict[str, bool] = {}

    def _rules_for(self, directory: str) -> _DirRules:
        """The rules for entries of ``directory`` (iterative: trees can be deep)."""
        chain: List[str] = []
        current = directory
        inherited: _DirRules = (False, ())
        while True:
            if current in self._rules:
                inherited = self._rules[current]
                break
            chain.append(current)
            if os.path.exists(os.path.join(current, ".git")):
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for folder in reversed(chain):
            dot_git = os.path.join(folder, ".git")
            if os.path.exists(dot_git):
                # A repository root (possibly nested): the outer repository's rules stop here.
                rules: List[GitignoreRule] = []
                if os.path.isdir(dot_git):
                    rules += _read_rules(os.path.join(dot_git, "info", "exclude"), folder)
                rules += _read_rules(os.path.join(folder, ".gitignore"), folder)
                inherited = (True, tuple(rules))
            elif inherited[0]:
                own = _read_rules(os.path.join(folder, ".gitignore"), folder)
                inherited = (True, inherited[1] + tuple(own)) if own else inherited
            else:
                inherited = (False, ())
            self._rules[folder] = inherited
        return inherited

    def _matches(self, path: str, is_dir: bool) -> bool:
        """Whether the rules of ``path``'s folder ignore ``path`` itself (not its parents)."""
        in_repo, rules = self._rules_for(os.path.dirname(path))
        if not in_repo:
            return False
        for rule in reversed(rules):
            if rule.matches(path, is_dir):
                return not rule.negated
        return False

    def _is_dir_ignored(self, directory: str) -> bool:
        """Whether ``directory`` or any folder above it (within its repository) is ignored."""
        chain: List[str] = []
        current = directory
        ignored = False
        while True:
            if current in self._dir_ignored:
                ignored = self._dir_ignored[current]
                break
            parent = os.path.dirname(current)
            if parent == current or os.path.exists(os.path.join(current, ".git")):
                # The root of a repository (or of the file system) is never ignored.
                self._dir_ignored[current] = False
                break
            chain.append(current)
            current = parent
        for folder in reversed(chain):
            ignored = ignored or self._matches(folder, True)
            self._dir_ignored[folder] = ignored
        return ignored

    def is_ignored(self, path: str, is_dir: bool) -> bool:
        """Whether git would ignore ``path`` (a path inside an ignored folder is ignored
        too; a walk that prunes ignored folders asks ``ignores_entry`` instead)."""
        path = os.path.abspath(path)
        parent = os.path.dirname(path)
        if parent != path and self._is_dir_ignored(parent):
            return True
        return self._matches(path, is_dir)

    def ignores_entry(self, absolute: str, is_dir: bool) -> bool:
        """Whether git would ignore a path met in a walk that prunes ignored folders:
        ``absolute`` is absolute and normalised, and its folders are known not ignored."""
        return self._matches(absolute, is_dir)
