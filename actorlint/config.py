"""``[tool.actorlint]`` discovery and loading (tomllib, or tomli before 3.11). The key
table and its checks are in ``config_keys.py``, the resulting ``Settings`` in
``settings.py`` and rule selectors in ``selectors.py``; their public names are
re-exported here."""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from actorlint.config_keys import (
    CONFIG_KEYS, DEFAULT_EXCLUDE, ConfigError, ConfigKey, _BadValue, _show,
)
from actorlint.safe_read import read_regular_file
from actorlint.selectors import (
    BUILTIN_LETTERS, CODE_PATTERN, PARSE_ERROR_CODE, PLUGIN_CODE_PATTERN, selector_matches,
    selector_specificity,
)
from actorlint.settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on older interpreters only
    import tomli as tomllib

__all__ = [
    "BUILTIN_LETTERS",
    "CODE_PATTERN",
    "CONFIG_KEYS",
    "ConfigError",
    "ConfigKey",
    "DEFAULT_EXCLUDE",
    "PARSE_ERROR_CODE",
    "PLUGIN_CODE_PATTERN",
    "Settings",
    "config_in_folder",
    "find_config_file",
    "load_settings",
    "selector_matches",
    "selector_specificity",
]

# Config file names that hold top-level keys, in order of preference within a folder.
_OWN_CONFIG_NAMES = (".actorlint.toml", "actorlint.toml")
_PYPROJECT = "pyproject.toml"
#: The names a config file can have (a pyproject.toml only with a [tool.actorlint] table).
CONFIG_FILE_NAMES = frozenset((*_OWN_CONFIG_NAMES, _PYPROJECT))

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
        found = config_in_folder(folder)
        if found is not None:
            return found
    return None


def config_in_folder(folder: Path) -> Optional[Path]:
    """The config file folder ``folder`` itself holds, if any (see find_config_file)."""
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
    return Settings(root=path.parent, config_file=path, **_values(path, ()))


def _values(path: Path, extending: Tuple[Path, ...]) -> Dict[str, Any]:
    """The settings ``path`` gives: those of the file it ``extend``s (a path relative to it,
    read the same way), overridden by its own keys."""
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
    base = values.pop("extend", None)
    if base is None:
        return values
    target = Path(os.path.abspath(path.parent / base))
    if target in extending or target == path:
        chain = " -> ".join(str(p) for p in (*extending, path, target))
        raise ConfigError(f"{where} extend: the files extend each other in a circle: {chain}")
    if not target.is_file():
        raise ConfigError(f"{where} extend: {target} is not a file")
    return {**_values(target, (*extending, path)), **values}
