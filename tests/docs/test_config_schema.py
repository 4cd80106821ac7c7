"""The JSON Schema of ``[tool.actorlint]`` (``docs/actorlint.schema.json``): generated from the
key tables, it accepts every documented example and rejects what the loader rejects."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from actorlint.config_keys import CONFIG_KEYS
from actorlint.config_schema import render_schema

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "actorlint.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


def _documented_tables():
    pages = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
    for page in pages:
        for block in re.findall(r"```toml\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
            table = tomllib.loads(block).get("tool", {}).get("actorlint")
            if table is not None:
                yield page.name, table
    for config in (ROOT / "pyproject.toml", ROOT / "examples" / "pyproject.toml"):
        yield config.relative_to(ROOT).as_posix(), tomllib.loads(config.read_text(encoding="utf-8"))["tool"]["actorlint"]


DOCUMENTED = list(_documented_tables())


def test_the_schema_file_is_the_generated_one() -> None:
    assert (ROOT / "docs" / "actorlint.schema.json").read_text(encoding="utf-8") == render_schema()
    assert set(SCHEMA["properties"]) == set(CONFIG_KEYS)
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def test_every_documented_example_is_valid() -> None:
    assert len(DOCUMENTED) >= 20  # the configuration reference's examples, the README's, ours
    for where, table in DOCUMENTED:
        errors = [error.message for error in VALIDATOR.iter_errors(table)]
        assert errors == [], where


@pytest.mark.parametrize("table", [
    {"call-timeout": "5"},  # a string where a number goes
    {"call-timeout": 0},
    {"headroom": 1.5},
    {"select": ["act101"]},  # codes are upper case
    {"select": "ACT101"},  # a list, not a string
    {"preview": "yes"},
    {"require-time-limits": "some"},
    {"per-file-ignores": {"tests/*": ["ACT1O1"]}},
    {"call_timeout": 5},  # an unknown key
    {"frameworks": {"inhouse": {"actor-base": ["myapp.Actor"]}}},  # an unknown key of a framework
    {"frameworks": {"inhouse": {"timeout-unit": "minutes"}}},
])
def test_wrong_values_are_rejected(table, tmp_path: Path) -> None:
    assert list(VALIDATOR.iter_errors(table)), table
    # ... as the loader rejects them.
    from actorlint.config import ConfigError, load_settings

    lines = ["[tool.actorlint]"] + [f"{key} = {json.dumps(value)}" for key, value in table.items()
                                    if not isinstance(value, dict)]
    for key, value in table.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                lines.append(f'[tool.actorlint.{key}."{inner}"]' if isinstance(inner_value, dict)
                             else f"[tool.actorlint.{key}]")
                items = inner_value.items() if isinstance(inner_value, dict) else [(f'"{inner}"', inner_value)]
                lines += [f"{k} = {json.dumps(v)}" for k, v in items]
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_settings(tmp_path / "pyproject.toml", tmp_path)
