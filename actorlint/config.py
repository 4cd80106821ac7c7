"""``[tool.actorlint]`` discovery, parsing and validation (tomllib, or tomli before 3.11)."""

from __future__ import annotations

import difflib
import hashlib
import json
import keyword
import math
import os
import re
import sys
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional, Pattern, Set, Tuple

from actorlint.complexity import DEFAULT_MAX_FILE_TOKENS
from actorlint.deadline import DEFAULT_PLUGIN_TIMEOUT
from actorlint.gitignore import translate_glob
from actorlint.model.declared import DeclarationError, FrameworkDeclaration, check_frameworks
from actorlint.safe_read import read_regular_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on older interpreters only
    import tomli as tomllib

__all__ = [
    "CODE_PATTERN",
    "CONFIG_KEYS",
    "ConfigError",
    "ConfigKey",
    "DEFAULT_EXCLUDE",
    "PARSE_ERROR_CODE",
    "PLUGIN_CODE_PATTERN",
    "Settings",
    "find_config_file",
    "load_settings",
    "selector_matches",
    "selector_specificity",
]

# Folders never worth linting; matched against every path component.
DEFAULT_EXCLUDE: Tuple[str, ...] = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".mypy_cache", ".nox",
    ".pants.d", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", "__pypackages__",
    "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
    ".actorlint_cache",
)

#: A rule code or a prefix of one, as accepted by ``select``, ``ignore`` and friends:
#: ``ALL``; a built-in ``ACT`` code or prefix (``ACT``, ``ACT1``, ``ACT101``); or a
#: plugin's code or prefix (``ACM``, ``ACM1``, ``ACM101``). A code is an upper-case
#: prefix of letters and a number; a selector names a prefix exactly and may add the
#: number's first digits, so ``AC`` never selects ``ACM101`` (as in Ruff).
#: ACT and every prefix starting with it are reserved for the built-in rules, so that a
#: typo such as ``ACTT`` is an error rather than a plugin prefix selecting nothing.
CODE_PATTERN = re.compile(r"ALL|ACT[0-9]{0,3}|(?!ACT|ALL(?![A-Z]))[A-Z]{1,5}[0-9]{0,4}")

#: The code of a rule from a plugin (entry point group ``actorlint.rules``): 1-5
#: upper-case letters other than the reserved ones, then 3 or 4 digits (``ACM101``).
PLUGIN_CODE_PATTERN = re.compile(r"(?!ACT|ALL(?![A-Z]))[A-Z]{1,5}[0-9]{3,4}")

# A valid selector split into its letters and its digits.
_SELECTOR_PARTS = re.compile(r"([A-Z]+)([0-9]*)")

#: The code of "this file could not be read or parsed"; it can never be turned off.
PARSE_ERROR_CODE = "ACT000"

# Config file names that hold top-level keys, in order of preference within a folder.
_OWN_CONFIG_NAMES = (".actorlint.toml", "actorlint.toml")
_PYPROJECT = "pyproject.toml"


# The letters of every built-in rule code.
BUILTIN_LETTERS = "ACT"


class ConfigError(Exception):
    """A configuration problem the user must fix; the message names the file and key."""


def _selector_parts(text: str) -> Tuple[str, str]:
    """The letters and digits of a code or selector (``("ACM", "1")`` for ``ACM1``)."""
    match = _SELECTOR_PARTS.fullmatch(text)
    return (match.group(1), match.group(2)) if match else (text, "")


def selector_matches(selector: str, code: str) -> bool:
    """Whether a selector (``"ALL"``, a code, or a code prefix) covers ``code``.

    The letters must be equal and the selector's digits must start the code's number:
    ``ACM1`` covers ``ACM101``; ``AC`` covers neither ``ACM101`` nor ``ACT101``.
    """
    if selector == "ALL":
        return True
    letters, digits = _selector_parts(selector)
    code_letters, code_digits = _selector_parts(code)
    return letters == code_letters and code_digits.startswith(digits)


def selector_specificity(selector: str) -> int:
    """How specific a selector is: ``ALL`` 0, ``ACT`` 1, ``ACT1`` 2 ... ``ACT101`` 4
    (likewise ``ACM`` 1 ... ``ACM101`` 4 for a plugin's codes)."""
    return 0 if selector == "ALL" else 1 + len(_selector_parts(selector)[1])


def _best_specificity(selectors: Iterable[str], code: str) -> int:
    """The specificity of the most specific selector covering ``code``, or -1."""
    return max((selector_specificity(s) for s in selectors if selector_matches(s, code)), default=-1)


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
            changes["select"] = _validate_flag_codes("--select", select)
        if ignore is not None:
            changes["ignore"] = self.ignore + _validate_flag_codes("--ignore", ignore)
        if extend_select is not None:
            changes["extend_select"] = self.extend_select + _validate_flag_codes(
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
        selected = _best_specificity(self.select + self.extend_select, code)
        return selected >= 0 and selected > _best_specificity(self.ignore, code)

    def may_enable_plugins(self) -> bool:
        """Whether a selector could enable a plugin's code (``ALL``, or other letters
        than the built-in rules' ``ACT``): only then are plugins loaded."""
        return any(selector == "ALL" or _selector_parts(selector)[0] != BUILTIN_LETTERS
                   for selector in self.select + self.extend_select)

    def fix_is_safe(self, code: str, declared_safe: bool) -> bool:
        """Whether a fix of rule ``code`` counts as safe after ``extend-safe-fixes`` and
        ``extend-unsafe-fixes`` (the more specific selector wins; a tie keeps the rule's own)."""
        promote = _best_specificity(self.extend_safe_fixes, code)
        demote = _best_specificity(self.extend_unsafe_fixes, code)
        if promote > demote:
            return True
        if demote > promote:
            return False
        return declared_safe

    def _relative(self, path: Path) -> Tuple[Optional[str], str]:
        absolute = os.path.abspath(os.fspath(path))
        root = os.path.abspath(os.fspath(self.root))
        try:
            rel: Optional[str] = Path(absolute).relative_to(root).as_posix()
        except ValueError:
            rel = None
        return (None if rel in (None, ".") else rel), absolute

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


# ---------------------------------------------------------------------------
# Value checks. Each takes the raw TOML value and returns the Settings value, or
# raises _BadValue whose message reads well after "<file>: <key>: ".


class _BadValue(Exception):
    def __init__(self, message: str, subkey: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.subkey = subkey


def _show(value: Any) -> str:
    """A value spelled roughly as TOML would, for error messages."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, list):
        text = "[" + ", ".join(_show(v) for v in value) + "]"
    elif isinstance(value, dict):
        text = "a table"
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _string_list(value: Any, what: str) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _BadValue(f"expected a list of {what}, got {_show(value)}")
    return tuple(value)


def _check_codes(value: Any) -> Tuple[str, ...]:
    codes = _string_list(value, "rule codes")
    for code in codes:
        if not CODE_PATTERN.fullmatch(code):
            raise _BadValue(
                'expected rule codes or prefixes such as "ACT101", "ACT1" or "ALL", '
                f"got {_show(code)}{_code_hint(code)}"
            )
    return codes


def _code_hint(code: str) -> str:
    """Why a string is not a rule selector, when something more useful than the
    examples can be said; appended to the error message."""
    text = code.strip()
    if text != code and CODE_PATTERN.fullmatch(text):
        return f'; codes have no spaces: did you mean "{text}"?'
    if text != text.upper() and CODE_PATTERN.fullmatch(text.upper()):
        return f'; codes are upper case: did you mean "{text.upper()}"?'
    if text.startswith("ACT"):
        return "; ACT codes have 3 digits, and prefixes starting with ACT are reserved for built-in rules"
    if re.fullmatch(r"ALL[0-9]+", text):
        return '; "ALL" selects every rule and takes no digits'
    if re.fullmatch(r"[A-Za-z]+[0-9]*", text):
        return "; a plugin's codes have 1-5 upper-case letters and up to 4 digits, such as \"ACM101\""
    return ""


def _check_globs(value: Any) -> Tuple[str, ...]:
    globs = _string_list(value, "glob patterns")
    for glob in globs:
        if not glob.strip():
            raise _BadValue(f"expected non-empty glob patterns, got {_show(glob)}")
    return globs


def _check_per_file_ignores(value: Any) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise _BadValue(f"expected a table of glob patterns to lists of rule codes, got {_show(value)}")
    pairs = []
    for pattern, codes in value.items():
        subkey = "." + json.dumps(pattern, ensure_ascii=False)
        if not pattern.strip():
            raise _BadValue("expected a non-empty glob pattern", subkey)
        try:
            pairs.append((pattern, _check_codes(codes)))
        except _BadValue as error:
            raise _BadValue(error.message, subkey) from None
    return tuple(pairs)


def _check_positive_number(unit: str) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            math.isfinite(value) and value > 0
        ):
            raise _BadValue(f"expected a positive number{unit}, got {_show(value)}")
        return float(value)

    return check


def _check_fraction(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (0 < value <= 1):
        raise _BadValue(f"expected a number greater than 0 and at most 1, got {_show(value)}")
    return float(value)


def _check_positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _BadValue(f"expected a positive integer, got {_show(value)}")
    return value


def _is_dotted_name(name: str) -> bool:
    parts = name.split(".")
    return len(parts) >= 2 and all(p.isidentifier() and not keyword.iskeyword(p) for p in parts)


def _check_dotted_names(value: Any) -> Tuple[str, ...]:
    names = _string_list(value, "qualified names")
    for name in names:
        if not _is_dotted_name(name):
            raise _BadValue(
                f'expected dotted qualified names such as "mylib.slow_call", got {_show(name)}'
            )
    return names


def _check_choice(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise _BadValue(f"expected one of {', '.join(map(repr, choices))}, got {_show(value)}")
        return value

    return check


def _check_frameworks(value: Any) -> Tuple[FrameworkDeclaration, ...]:
    try:
        return check_frameworks(value)
    except DeclarationError as error:
        raise _BadValue(error.message, error.subkey) from None


class ConfigKey(NamedTuple):
    """One configuration key: how to check a value, its default, and what it does."""

    check: Callable[[Any], Any]
    default: Any
    description: str
    # How the value is spelled in TOML, for generated docs.
    type_name: str


#: Every key of ``[tool.actorlint]``, in the order the docs list them.
CONFIG_KEYS: Mapping[str, ConfigKey] = {
    "select": ConfigKey(
        _check_codes, ("ALL",),
        "Rule codes or prefixes to enable; the default ALL is every built-in rule and every installed plugin's.",
        "list of codes",
    ),
    "ignore": ConfigKey(
        _check_codes, (), "Rule codes or prefixes to disable; a more specific select wins.", "list of codes"
    ),
    "extend-select": ConfigKey(
        _check_codes, (), "Rule codes or prefixes to enable on top of select.", "list of codes"
    ),
    "exclude": ConfigKey(
        _check_globs, DEFAULT_EXCLUDE,
        "Glob patterns of files and folders that are not the project's code (replaces the defaults): "
        "neither reported nor read, so nothing they define is known.",
        "list of globs",
    ),
    "extend-exclude": ConfigKey(
        _check_globs, (),
        "Glob patterns of files and folders not to report, in addition to exclude. They are still "
        "read for what they teach the other files (the module defining a Celery app, a base class); "
        "to make a file unknown as well, add it to exclude.",
        "list of globs"
    ),
    "per-file-ignores": ConfigKey(
        _check_per_file_ignores, (), "Rule codes or prefixes to disable in files matching each glob.",
        "table of glob to list of codes",
    ),
    "call-timeout": ConfigKey(
        _check_positive_number(" of seconds"), 5.0,
        "Seconds of the `timeout=` that the ACT201 fix adds to an untimed call.", "number",
    ),
    "handler-time-limit": ConfigKey(
        _check_positive_number(" of seconds"), 4.0,
        "Seconds of the `@time_limited(seconds=...)` that the ACT202 fix adds to a handler.", "number",
    ),
    "headroom": ConfigKey(
        _check_fraction, 0.8,
        "ACT203: the largest fraction of its callers' smallest timeout a handler's time limit may be, in (0, 1].",
        "number",
    ),
    "large-literal": ConfigKey(
        _check_positive_int, 1000, "A literal collection sent in a message counts as large above this many items.",
        "integer",
    ),
    "max-file-tokens": ConfigKey(
        _check_positive_int, DEFAULT_MAX_FILE_TOKENS,
        "Files predicted to cost more than this many tokens of ordinary code to analyse are reported as too "
        "large or too complex to analyse (ACT000); long chains of calls, subscripts and operators count extra.",
        "integer",
    ),
    "extend-blocking-calls": ConfigKey(
        _check_dotted_names, (), 'Extra qualified names of blocking calls, such as "mylib.slow_call".',
        "list of names",
    ),
    "extend-safe-fixes": ConfigKey(
        _check_codes, (), "Rule codes or prefixes whose unsafe fixes are applied by --fix as if safe.",
        "list of codes",
    ),
    "extend-unsafe-fixes": ConfigKey(
        _check_codes, (), "Rule codes or prefixes whose safe fixes need --unsafe-fixes.", "list of codes"
    ),
    "require-time-limits": ConfigKey(
        _check_choice("unbounded", "all"), "unbounded",
        'ACT202: "unbounded" reports handlers that block or wait; "all" reports every handler.',
        "string",
    ),
    "plugin-timeout": ConfigKey(
        _check_positive_number(" of seconds"), DEFAULT_PLUGIN_TIMEOUT,
        "Seconds a plugin may take to load, or one of its rules to check one file; past it the run stops "
        "with exit code 2, naming the plugin, the rule and the file.",
        "number",
    ),
    "frameworks": ConfigKey(
        _check_frameworks, (),
        "In-house actor frameworks, one table each (`[tool.actorlint.frameworks.<name>]`), "
        "understood like the built-in ones.",
        "table of tables",
    ),
}


def _validate_flag_codes(flag: str, codes: Iterable[str]) -> Tuple[str, ...]:
    try:
        return _check_codes(list(codes))
    except _BadValue as error:
        raise ConfigError(f"{flag}: {error.message}") from None


# ---------------------------------------------------------------------------
# Files.


# A config file larger than this is not one (``--config /dev/zero``).
_MAX_CONFIG_BYTES = 4 * 1024 * 1024


def _read_toml(path: Path) -> Dict[str, Any]:
    try:
        data = read_regular_file(path, _MAX_CONFIG_BYTES)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the file: {error.strerror or error}") from None
    return _parse_toml(path, data)


def _parse_toml(path: Path, data: bytes) -> Dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: invalid TOML: the file is not UTF-8") from None
    except RecursionError:  # tomllib recurses per nested array or inline table
        raise ConfigError(f"{path}: invalid TOML: values are nested too deeply") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def _has_actorlint_table(pyproject: Path) -> bool:
    try:
        data = read_regular_file(pyproject, _MAX_CONFIG_BYTES)
    except OSError:
        return False
    # Cheap pre-check: a pyproject that never says "actorlint" cannot configure us,
    # and a broken one of somebody else's should not stop the run.
    if b"actorlint" not in data:
        return False
    tool = _parse_toml(pyproject, data).get("tool")
    return isinstance(tool, dict) and "actorlint" in tool


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a regular file; False when it cannot be told (a folder the
    user cannot enter raises PermissionError from ``Path.is_file``)."""
    try:
        return path.is_file()
    except OSError:
        return False


def find_config_file(start: Path) -> Optional[Path]:
    """The config file that governs folder ``start``, searching it and its ancestors.

    In each folder ``.actorlint.toml`` and then ``actorlint.toml`` win over a
    ``pyproject.toml``; a ``pyproject.toml`` without ``[tool.actorlint]`` is skipped.
    """
    directory = Path(os.path.abspath(os.fspath(start)))
    if _is_file(directory):
        directory = directory.parent
    for folder in (directory, *directory.parents):
        for name in _OWN_CONFIG_NAMES:
            candidate = folder / name
            if _is_file(candidate):
                return candidate
        pyproject = folder / _PYPROJECT
        if _is_file(pyproject) and _has_actorlint_table(pyproject):
            return pyproject
    return None


def _unknown_key_message(key: str, is_pyproject: bool) -> str:
    message = "unknown key"
    normalized = key.replace("_", "-").lower()
    if normalized in CONFIG_KEYS:
        return f'{message}; did you mean "{normalized}"?'
    close = difflib.get_close_matches(normalized, list(CONFIG_KEYS), n=1, cutoff=0.6)
    if close:
        return f'{message}; did you mean "{close[0]}"?'
    if key == "tool" and not is_pyproject:
        return f"{message}; in this file keys are top-level, without [tool.actorlint]"
    return f"{message}; known keys: {', '.join(CONFIG_KEYS)}"


def load_settings(config_file: Optional[Path], cwd: Path) -> Settings:
    """Read and validate ``config_file``; without one, the defaults rooted at ``cwd``.

    Raises ConfigError with a message naming the file and key for any problem.
    """
    if config_file is None:
        return Settings(root=Path(os.path.abspath(os.fspath(cwd))))
    path = Path(os.path.abspath(os.fspath(config_file)))
    document = _read_toml(path)
    is_pyproject = path.name == _PYPROJECT
    if is_pyproject:
        where = f"{path}: [tool.actorlint]"
        tool = document.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}: tool: expected a table, got {_show(tool)}")
        table = tool.get("actorlint", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: expected a table, got {_show(table)}")
    else:
        where = f"{path}:"
        table = document
    values: Dict[str, Any] = {}
    for key, raw in table.items():
        spec = CONFIG_KEYS.get(key)
        if spec is None:
            raise ConfigError(f"{where} {key}: {_unknown_key_message(key, is_pyproject)}")
        try:
            values[key.replace("-", "_")] = spec.check(raw)
        except _BadValue as error:
            raise ConfigError(f"{where} {key}{error.subkey}: {error.message}") from None
    return Settings(root=path.parent, config_file=path, **values)
