"""Every ``[tool.actorlint]`` key: its check (raw TOML value -> Settings value, or an
error whose message reads well after "<file>: <key>: "), its default and its help; the
documentation and the JSON schema are generated from this table."""

from __future__ import annotations

import json
import keyword
import math
import re
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Tuple

from actorlint.complexity import DEFAULT_MAX_FILE_TOKENS
from actorlint.deadline import DEFAULT_PLUGIN_TIMEOUT
from actorlint.model.declared import DeclarationError, FrameworkDeclaration, check_frameworks
from actorlint.selectors import CODE_PATTERN

__all__ = [
    "CONFIG_KEYS", "ConfigError", "ConfigKey", "DEFAULT_EXCLUDE", "DEFAULT_TEST_PATHS", "validate_flag_codes",
]


class ConfigError(Exception):
    """A configuration problem the user must fix; the message names the file and key."""


# Folders never worth linting; matched against every path component.
DEFAULT_EXCLUDE: Tuple[str, ...] = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".mypy_cache", ".nox",
    ".pants.d", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", "__pypackages__",
    "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
    ".actorlint_cache",
)

# Test code, as pytest and unittest lay it out (see test-paths).
DEFAULT_TEST_PATHS: Tuple[str, ...] = ("test_*.py", "*_test.py", "conftest.py", "tests/", "test/")

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


def _check_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _BadValue(f"expected true or false, got {_show(value)}")
    return value


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


#: The values of ``require-time-limits``.
REQUIRE_TIME_LIMITS: Tuple[str, ...] = ("unbounded", "all")

def _check_path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _BadValue(f"expected the path of a configuration file, got {_show(value)}")
    return value


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
    "preview": ConfigKey(
        _check_bool, False,
        "Run preview rules too: new rules still proving themselves on real code (`actorlint rules` shows "
        "which). Selecting one without preview runs nothing and says so.",
        "boolean",
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
    "test-paths": ConfigKey(
        _check_globs, DEFAULT_TEST_PATHS,
        "Glob patterns of test code, matched like per-file-ignores (replaces the defaults). A test drives "
        "the actors it tests alone: its call and cast sites do not count for ACT301, in it an `assert` "
        "guards nothing for ACT501, and ACT502 does not check it (no other client's update can be lost).",
        "list of globs",
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
        _check_choice(*REQUIRE_TIME_LIMITS), "unbounded",
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
    "extend": ConfigKey(
        _check_path, None,
        "Another configuration file (a path relative to this one) whose settings this file starts from; "
        "its own keys then replace them, as in Ruff. The project root stays this file's folder.",
        "string",
    ),
}


def validate_flag_codes(flag: str, codes: Iterable[str]) -> Tuple[str, ...]:
    try:
        return _check_codes(list(codes))
    except _BadValue as error:
        raise ConfigError(f"{flag}: {error.message}") from None
