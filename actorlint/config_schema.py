"""A JSON Schema of ``[tool.actorlint]``, made from the same key tables as the configuration
reference (``config_keys.CONFIG_KEYS``, ``declared.DECLARATION_KEYS``), so that editors
validating TOML (taplo, Even Better TOML) flag a wrong key or type as actorlint would.
``python -m actorlint.docs`` writes it to ``docs/actorlint.schema.json``."""

from __future__ import annotations

import json
from typing import Any, Dict

from actorlint.config_keys import CONFIG_KEYS, REQUIRE_TIME_LIMITS
from actorlint.model.declared import DECLARATION_KEYS, TIMEOUT_UNITS
from actorlint.selectors import CODE_PATTERN

__all__ = ["SCHEMA_PAGE", "config_schema", "render_schema"]

SCHEMA_PAGE = "actorlint.schema.json"

_CODES = {"type": "array", "items": {"type": "string", "pattern": f"^(?:{CODE_PATTERN.pattern})$"}}
_NAMES = {"type": "array", "items": {"type": "string", "pattern": r"^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*$"}}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_POSITIVE = {"type": "number", "exclusiveMinimum": 0}

# By the ``type_name`` the reference prints.
_BY_TYPE: Dict[str, Dict[str, Any]] = {
    "list of codes": _CODES,
    "list of names": _NAMES,
    "list of globs": _STRINGS,
    "list of patterns": _STRINGS,
    "boolean": {"type": "boolean"},
    "number": _POSITIVE,
    "integer": {"type": "integer", "minimum": 1},
    "string": {"type": "string"},
    "table": {"type": "object"},
    "table of glob to list of codes": {"type": "object", "additionalProperties": _CODES},
}

# What a key's checks say beyond its type.
_REFINED: Dict[str, Dict[str, Any]] = {
    "headroom": {"maximum": 1},
    "require-time-limits": {"enum": list(REQUIRE_TIME_LIMITS)},
}
_DECLARATION_REFINED: Dict[str, Dict[str, Any]] = {
    "timeout-unit": {"enum": list(TIMEOUT_UNITS)},
    "timeout-param": {"type": "object", "required": ["name"], "additionalProperties": False,
                      "properties": {"name": {"type": "string"}, "position": {"type": "integer", "minimum": 0}}},
    "state-changing": {"type": "object", "additionalProperties": _STRINGS},
}


def _framework() -> Dict[str, Any]:
    properties = {key: {**_BY_TYPE[type_name], **_DECLARATION_REFINED.get(key, {}), "description": description}
                  for key, (type_name, _, description) in DECLARATION_KEYS.items()}
    return {"type": "object", "additionalProperties": False, "properties": properties}


def config_schema() -> Dict[str, Any]:
    """The schema of the ``[tool.actorlint]`` table (or of ``actorlint.toml``)."""
    properties: Dict[str, Any] = {}
    for key, spec in CONFIG_KEYS.items():
        if key == "frameworks":
            shape: Dict[str, Any] = {"type": "object", "additionalProperties": _framework()}
        else:
            shape = {**_BY_TYPE[spec.type_name], **_REFINED.get(key, {})}
            default = spec.default
            if default is not None:
                shape["default"] = list(default) if isinstance(default, tuple) else default
        properties[key] = {**shape, "description": spec.description}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "actorlint configuration ([tool.actorlint] in pyproject.toml, or actorlint.toml)",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


def render_schema() -> str:
    """The schema as the file ``docs/actorlint.schema.json`` holds it."""
    return json.dumps(config_schema(), indent=2, sort_keys=False) + "\n"
