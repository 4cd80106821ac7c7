"""``Settings``: the effective configuration of one run, and what it decides per rule
and per file (selection, per-file ignores, fix safety)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, List, NamedTuple, Optional, Pattern, Set, Tuple, Type

from actorlint.complexity import DEFAULT_MAX_FILE_TOKENS
from actorlint.config_keys import DEFAULT_EXCLUDE, DEFAULT_TEST_PATHS, validate_flag_codes
from actorlint.deadline import DEFAULT_PLUGIN_TIMEOUT
from actorlint.gitignore import translate_glob
from actorlint.model.declared import FrameworkDeclaration
from actorlint.selectors import (
    BUILTIN_LETTERS, PARSE_ERROR_CODE, best_specificity, selector_matches, selector_parts,
)

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.rule_base import Rule

__all__ = ["Settings"]


def _split_parts(path: str) -> List[str]:
    return [part for part in path.replace(os.sep, "/").split("/") if part]


class _IgnoreGlob(NamedTuple):
    """A per-file-ignores pattern, compiled once per run."""

    pattern: str
    regex: Optional[Pattern[str]]  # None: the pattern matches nothing
    dir_only: bool


def _compile_ignore_glob(pattern: str) -> _IgnoreGlob:
    dir_only = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    # Not compile_glob: its cache is sized for .gitignore files, and a run with more
    # patterns than that would compile every pattern again for every file.
    regex = re.compile(translate_glob(pattern), re.DOTALL) if pattern else None
    return _IgnoreGlob(pattern, regex, dir_only)


def _glob_matches(glob: _IgnoreGlob, rel: Optional[str], absolute: str) -> bool:
    """Whether a per-file-ignores glob matches a file.

    ``rel`` is the file's path relative to the settings root (None when outside it).
    The pattern may match the whole path, or a folder the file is inside; a pattern
    without a slash may also match the file's name or any folder name on the way.
    """
    pattern, regex, dir_only = glob
    if regex is None:
        return False
    if os.path.isabs(pattern):
        target = absolute.replace(os.sep, "/")
        parts = _split_parts(target)
        prefix = "/" if target.startswith("/") else ""
        candidates = [prefix + "/".join(parts[:k]) for k in range(1, len(parts))]
        if not dir_only:
            candidates.append(target)
        return any(regex.fullmatch(c) for c in candidates)
    if rel is None:
        # Outside the root only the file name can be matched meaningfully.
        name = os.path.basename(absolute)
        return "/" not in pattern and not dir_only and regex.fullmatch(name) is not None
    parts = _split_parts(rel)
    if "/" not in pattern:
        if not dir_only and regex.fullmatch(parts[-1]):
            return True
        return any(regex.fullmatch(part) for part in parts[:-1])
    if not dir_only and regex.fullmatch("/".join(parts)):
        return True
    return any(regex.fullmatch("/".join(parts[:k])) for k in range(1, len(parts)))


@dataclass(frozen=True)
class Settings:
    """The effective configuration of one run."""

    # ALL: every built-in rule and every installed plugin's rules, as flake8 runs its
    # plugins; ``select = ["ACT"]`` (or ``--select ACT``) keeps to the built-ins.
    select: Tuple[str, ...] = ("ALL",)
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    # (glob pattern, codes) pairs; patterns are relative to ``root``.
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    preview: bool = False
    test_paths: Tuple[str, ...] = DEFAULT_TEST_PATHS
    call_timeout: float = 5.0
    handler_time_limit: float = 4.0
    headroom: float = 0.8
    large_literal: int = 1000
    max_file_tokens: int = DEFAULT_MAX_FILE_TOKENS
    extend_blocking_calls: Tuple[str, ...] = ()
    extend_safe_fixes: Tuple[str, ...] = ()
    extend_unsafe_fixes: Tuple[str, ...] = ()
    require_time_limits: str = "unbounded"
    frameworks: Tuple[FrameworkDeclaration, ...] = ()
    plugin_timeout: float = DEFAULT_PLUGIN_TIMEOUT
    # ``--ignore-noqa`` (the command line only, as in Ruff): suppression comments are not read.
    ignore_noqa: bool = False
    # The folder of the config file (or the current directory when there is none).
    root: Path = field(default_factory=Path.cwd)
    config_file: Optional[Path] = None
    # Where the cache lives when not in ``root`` (``--cache-dir``; see cache.cache_location).
    cache_dir: Optional[Path] = None

    def with_overrides(
        self,
        select: Optional[Iterable[str]] = None,
        ignore: Optional[Iterable[str]] = None,
        extend_select: Optional[Iterable[str]] = None,
    ) -> Settings:
        """Apply command-line flags: ``--select`` replaces, ``--ignore``/``--extend-select`` extend.

        Raises ConfigError naming the flag when a code is not a valid selector.
        """
        changes: Dict[str, Tuple[str, ...]] = {}
        if select is not None:
            changes["select"] = validate_flag_codes("--select", select)
        if ignore is not None:
            changes["ignore"] = self.ignore + validate_flag_codes("--ignore", ignore)
        if extend_select is not None:
            changes["extend_select"] = self.extend_select + validate_flag_codes(
                "--extend-select", extend_select
            )
        return replace(self, **changes) if changes else self

    def is_enabled(self, code: str) -> bool:
        """Whether rule ``code`` runs, by Ruff's rule: the most specific selector wins.

        An ignore selector at least as specific as the best select selector turns the
        code off; a more specific select turns it back on. ACT000 is always on.
        """
        if code == PARSE_ERROR_CODE:
            return True
        selected = best_specificity(self.select + self.extend_select, code)
        return selected >= 0 and selected > best_specificity(self.ignore, code)

    def runs(self, rule: Type["Rule"]) -> bool:
        """Whether a rule runs: it is enabled, and it is not a preview rule or preview is on."""
        return self.is_enabled(rule.code) and (self.preview or not rule.preview)

    def preview_only(self, rules: Iterable[Type["Rule"]]) -> List[str]:
        """The preview rules a selector names exactly (``ACT302``) while preview is off:
        selected on purpose, they still do not run."""
        if self.preview:
            return []
        named = set(self.select + self.extend_select)
        return [rule.code for rule in rules if rule.preview and rule.code in named]

    def _selector_keys(self) -> List[Tuple[str, Tuple[str, ...]]]:
        """Every setting holding rule selectors, as (config key, its selectors)."""
        fields = [("select", self.select), ("extend-select", self.extend_select), ("ignore", self.ignore),
                  ("extend-safe-fixes", self.extend_safe_fixes), ("extend-unsafe-fixes", self.extend_unsafe_fixes)]
        return fields + [(f"per-file-ignores ({pattern})", codes) for pattern, codes in self.per_file_ignores]

    def unknown_selectors(self, codes: Iterable[str]) -> List[Tuple[str, str]]:
        """(config key, selector) for every selector that names no rule among ``codes``
        (the installed rules'): ``ACT999``, a plugin's code when the plugin is not installed."""
        known = set(codes) | {PARSE_ERROR_CODE}
        return [(key, selector) for key, selectors in self._selector_keys() for selector in selectors
                if selector != "ALL" and not any(selector_matches(selector, code) for code in known)]

    def names_plugin_codes(self) -> bool:
        """Whether any selector (``ignore`` and the others too) has other letters than the
        built-in rules' ``ACT``: telling whether it names a rule then needs the plugins."""
        return any(selector == "ALL" or selector_parts(selector)[0] != BUILTIN_LETTERS
                   for _, selectors in self._selector_keys() for selector in selectors)

    def may_enable_plugins(self) -> bool:
        """Whether a selector could enable a plugin's code (``ALL``, or other letters
        than the built-in rules' ``ACT``): only then are plugins loaded."""
        return any(selector == "ALL" or selector_parts(selector)[0] != BUILTIN_LETTERS
                   for selector in self.select + self.extend_select)

    def fix_is_safe(self, code: str, declared_safe: bool) -> bool:
        """Whether a fix of rule ``code`` counts as safe after ``extend-safe-fixes`` and
        ``extend-unsafe-fixes`` (the more specific selector wins; a tie keeps the rule's own)."""
        promote = best_specificity(self.extend_safe_fixes, code)
        demote = best_specificity(self.extend_unsafe_fixes, code)
        if promote > demote:
            return True
        if demote > promote:
            return False
        return declared_safe

    def _relative(self, path: Path) -> Tuple[Optional[str], str]:
        """``path`` relative to the root, in posix form (None outside it, or for the root
        itself), and absolute. String work: a run asks this of every file."""
        absolute = os.path.abspath(os.fspath(path))
        root = self._absolute_root
        if os.path.normcase(absolute).startswith(root):
            return absolute[len(root):].replace(os.sep, "/"), absolute
        return None, absolute

    @cached_property
    def _absolute_root(self) -> str:
        """The root, absolute and normcased, with a trailing separator."""
        return os.path.normcase(os.path.join(os.path.abspath(os.fspath(self.root)), ""))

    def ignored_codes_for(self, path: Path) -> frozenset[str]:
        """The selectors that per-file-ignores turns off for ``path`` (prefixes included)."""
        if not self.per_file_ignores:
            return frozenset()
        known = self._ignored_by_path.get(path)
        if known is not None:
            return known
        rel, absolute = self._relative(path)
        codes: Set[str] = set()
        for glob, selectors in self._ignore_globs:
            if _glob_matches(glob, rel, absolute):
                codes.update(selectors)
        found = self._ignored_by_path[path] = frozenset(codes)
        return found

    @cached_property
    def _ignore_globs(self) -> Tuple[Tuple[_IgnoreGlob, Tuple[str, ...]], ...]:
        return tuple((_compile_ignore_glob(pattern), codes) for pattern, codes in self.per_file_ignores)

    @cached_property
    def _ignored_by_path(self) -> Dict[Path, frozenset]:
        return {}

    def is_test_path(self, path: Path) -> bool:
        """Whether ``path`` is test code (``test-paths``, matched like per-file-ignores)."""
        known = self._test_by_path.get(path)
        if known is None:
            rel, absolute = self._relative(path)
            known = self._test_by_path[path] = any(_glob_matches(glob, rel, absolute) for glob in self._test_globs)
        return known

    @cached_property
    def _test_globs(self) -> Tuple[_IgnoreGlob, ...]:
        return tuple(_compile_ignore_glob(pattern) for pattern in self.test_paths)

    @cached_property
    def _test_by_path(self) -> Dict[Path, bool]:
        return {}

    def is_ignored_for(self, code: str, path: Path) -> bool:
        """Whether per-file-ignores turns ``code`` off for ``path`` (never ACT000)."""
        if code == PARSE_ERROR_CODE:
            return False
        return any(selector_matches(s, code) for s in self.ignored_codes_for(path))

    def fingerprint(self) -> str:
        """A stable sha256 hex digest of every setting that can change results.

        ``root``, ``config_file`` and ``cache_dir`` are left out so that moving a checkout
        keeps the cache; ``plugin_timeout`` changes no result.
        """
        payload = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("root", "config_file", "cache_dir", "plugin_timeout")
        }
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(("actorlint-settings-1:" + text).encode("utf-8")).hexdigest()
