"""Tests for config discovery, parsing, validation and the Settings methods."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from actorlint.config import (
    CONFIG_KEYS,
    DEFAULT_EXCLUDE,
    ConfigError,
    Settings,
    find_config_file,
    load_settings,
)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def _load_pyproject(tmp_path: Path, body: str) -> Settings:
    path = _write(tmp_path / "pyproject.toml", "[tool.actorlint]\n" + textwrap.dedent(body))
    return load_settings(path, tmp_path)


def _error(tmp_path: Path, body: str) -> str:
    with pytest.raises(ConfigError) as info:
        _load_pyproject(tmp_path, body)
    return str(info.value)


# --- finding the file -------------------------------------------------------


def test_find_walks_up_to_the_first_pyproject_with_our_table(tmp_path: Path) -> None:
    ours = _write(tmp_path / "pyproject.toml", "[tool.actorlint]\nselect = ['ACT']\n")
    _write(tmp_path / "pkg" / "pyproject.toml", "[project]\nname = 'pkg'\n")  # no table: skipped
    start = tmp_path / "pkg" / "src" / "deep"
    start.mkdir(parents=True)
    assert find_config_file(start) == ours


def test_find_returns_none_without_any_config(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.black]\nline-length = 100\n")
    found = find_config_file(tmp_path)
    # Something above the temporary folder could hold a config; nothing inside it does.
    assert found is None or tmp_path not in found.parents


def test_find_prefers_own_config_files_in_the_same_folder(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.actorlint]\n")
    plain = _write(tmp_path / "actorlint.toml", "")
    assert find_config_file(tmp_path) == plain
    dotted = _write(tmp_path / ".actorlint.toml", "")
    assert find_config_file(tmp_path) == dotted


def test_find_nearer_pyproject_beats_farther_actorlint_toml(tmp_path: Path) -> None:
    _write(tmp_path / "actorlint.toml", "")
    near = _write(tmp_path / "sub" / "pyproject.toml", "[tool.actorlint]\n")
    assert find_config_file(tmp_path / "sub") == near


def test_find_ignores_broken_pyproject_that_is_not_ours(tmp_path: Path) -> None:
    ours = _write(tmp_path / "pyproject.toml", "[tool.actorlint]\n")
    _write(tmp_path / "sub" / "pyproject.toml", "this is [ not toml")
    assert find_config_file(tmp_path / "sub") == ours


def test_find_reports_broken_pyproject_that_mentions_us(tmp_path: Path) -> None:
    bad = _write(tmp_path / "pyproject.toml", "[tool.actorlint]\nselect = [\n")
    with pytest.raises(ConfigError, match="invalid TOML") as info:
        find_config_file(tmp_path)
    assert str(bad) in str(info.value)


# --- loading ----------------------------------------------------------------


def test_no_config_gives_defaults_rooted_at_cwd(tmp_path: Path) -> None:
    settings = load_settings(None, tmp_path)
    assert settings == Settings(root=tmp_path, config_file=None)
    assert settings.call_timeout == 5.0 and settings.exclude == DEFAULT_EXCLUDE


def test_load_every_key(tmp_path: Path) -> None:
    settings = _load_pyproject(
        tmp_path,
        """
        select = ["ACT1", "ACT201"]
        ignore = ["ACT102"]
        extend-select = ["ACT3"]
        exclude = ["gen"]
        extend-exclude = ["vendor/*"]
        call-timeout = 2
        handler-time-limit = 1.5
        headroom = 1
        large-literal = 50
        extend-blocking-calls = ["mylib.slow_call", "pkg.mod.Client.fetch"]

        [tool.actorlint.per-file-ignores]
        "tests/**" = ["ACT1"]
        "conftest.py" = ["ALL"]
        """,
    )
    assert settings.select == ("ACT1", "ACT201")
    assert settings.ignore == ("ACT102",)
    assert settings.extend_select == ("ACT3",)
    assert settings.exclude == ("gen",)
    assert settings.extend_exclude == ("vendor/*",)
    assert settings.per_file_ignores == (("tests/**", ("ACT1",)), ("conftest.py", ("ALL",)))
    assert settings.call_timeout == 2.0 and isinstance(settings.call_timeout, float)
    assert settings.handler_time_limit == 1.5
    assert settings.headroom == 1.0
    assert settings.large_literal == 50
    assert settings.extend_blocking_calls == ("mylib.slow_call", "pkg.mod.Client.fetch")
    assert settings.root == tmp_path
    assert settings.config_file == tmp_path / "pyproject.toml"


def test_pyproject_without_our_table_gives_defaults(tmp_path: Path) -> None:
    path = _write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    settings = load_settings(path, tmp_path / "elsewhere")
    assert settings.select == ("ALL",) and settings.root == tmp_path


def test_actorlint_toml_uses_top_level_keys(tmp_path: Path) -> None:
    path = _write(tmp_path / "actorlint.toml", "call-timeout = 3.5\n")
    assert load_settings(path, tmp_path).call_timeout == 3.5


def test_actorlint_toml_with_tool_table_gets_a_hint(tmp_path: Path) -> None:
    path = _write(tmp_path / "actorlint.toml", "[tool.actorlint]\ncall-timeout = 3\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path, tmp_path)
    assert str(info.value) == (
        f"{path}: tool: unknown key; in this file keys are top-level, without [tool.actorlint]"
    )


def test_error_message_names_file_and_key(tmp_path: Path) -> None:
    message = _error(tmp_path, "call-timeout = -1\n")
    assert message == (
        f"{tmp_path / 'pyproject.toml'}: [tool.actorlint] call-timeout: "
        "expected a positive number of seconds, got -1"
    )


@pytest.mark.parametrize(
    "key, suggestion",
    [("cal-timeout", "call-timeout"), ("call_timeout", "call-timeout"), ("extend-selct", "extend-select")],
)
def test_unknown_key_suggests_the_closest(tmp_path: Path, key: str, suggestion: str) -> None:
    message = _error(tmp_path, f"{key} = 1\n")
    assert message == (
        f'{tmp_path / "pyproject.toml"}: [tool.actorlint] {key}: unknown key; did you mean "{suggestion}"?'
    )


def test_unknown_key_without_close_match_lists_known_keys(tmp_path: Path) -> None:
    message = _error(tmp_path, "zzz = 1\n")
    assert "zzz: unknown key; known keys: select, ignore" in message


CODES_WANTED = 'expected rule codes or prefixes such as "ACT101", "ACT1" or "ALL"'


@pytest.mark.parametrize(
    "body, expected",
    [
        ('select = "ACT"', 'select: expected a list of rule codes, got "ACT"'),
        ("select = [1]", "select: expected a list of rule codes, got [1]"),
        ('select = ["E-501"]', f'select: {CODES_WANTED}, got "E-501"'),
        ('ignore = ["act101"]', f'ignore: {CODES_WANTED}, got "act101"'),
        ('extend-select = ["ACT1011"]', 'got "ACT1011"'),
        ('extend-select = ["ALL1"]', 'got "ALL1"'),
        ("exclude = 3", "exclude: expected a list of glob patterns, got 3"),
        ('extend-exclude = [""]', 'extend-exclude: expected non-empty glob patterns, got ""'),
        ("per-file-ignores = []", "per-file-ignores: expected a table of glob patterns"),
        ("per-file-ignores = { 'a.py' = 'ACT1' }", 'per-file-ignores."a.py": expected a list of rule codes'),
        ("per-file-ignores = { 'a.py' = ['X_1'] }", 'per-file-ignores."a.py": expected rule codes'),
        ('call-timeout = "5"', 'call-timeout: expected a positive number of seconds, got "5"'),
        ("call-timeout = 0", "call-timeout: expected a positive number of seconds, got 0"),
        ("call-timeout = inf", "call-timeout: expected a positive number of seconds, got inf"),
        ("call-timeout = nan", "call-timeout: expected a positive number of seconds, got nan"),
        ("call-timeout = true", "call-timeout: expected a positive number of seconds, got true"),
        ("handler-time-limit = -0.5", "handler-time-limit: expected a positive number of seconds, got -0.5"),
        ("headroom = 0", "headroom: expected a number greater than 0 and at most 1, got 0"),
        ("headroom = 1.5", "headroom: expected a number greater than 0 and at most 1, got 1.5"),
        ("headroom = nan", "headroom: expected a number greater than 0 and at most 1, got nan"),
        ("large-literal = 1.5", "large-literal: expected a positive integer, got 1.5"),
        ("large-literal = 0", "large-literal: expected a positive integer, got 0"),
        ("large-literal = false", "large-literal: expected a positive integer, got false"),
        ('extend-blocking-calls = "a.b"', 'extend-blocking-calls: expected a list of qualified names'),
        ('extend-blocking-calls = ["slow"]', 'expected dotted qualified names such as "mylib.slow_call"'),
        ('extend-blocking-calls = ["a..b"]', 'got "a..b"'),
        ('extend-blocking-calls = ["1a.b"]', 'got "1a.b"'),
        ('extend-blocking-calls = ["a.class"]', 'got "a.class"'),
    ],
)
def test_bad_values(tmp_path: Path, body: str, expected: str) -> None:
    message = _error(tmp_path, body + "\n")
    assert message.startswith(f"{tmp_path / 'pyproject.toml'}: [tool.actorlint] ")
    assert expected in message


def test_tool_actorlint_must_be_a_table(tmp_path: Path) -> None:
    path = _write(tmp_path / "pyproject.toml", "[tool]\nactorlint = 3\n")
    with pytest.raises(ConfigError, match=r"\[tool.actorlint\]: expected a table, got 3"):
        load_settings(path, tmp_path)


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "actorlint.toml", "select = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings(path, tmp_path)


def test_non_utf8_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "actorlint.toml"
    path.write_bytes(b"select = ['\xff']\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings(path, tmp_path)


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read") as info:
        load_settings(tmp_path / "missing.toml", tmp_path)
    assert str(tmp_path / "missing.toml") in str(info.value)
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path, tmp_path)  # a folder


def test_config_keys_cover_every_settings_field() -> None:
    # cache_dir comes from --cache-dir / ACTORLINT_CACHE_DIR only: a config file (which a
    # cloned repository supplies) must not choose where actorlint writes or what `clean` removes.
    # ignore_noqa comes from --ignore-noqa only, as in Ruff.
    fields = set(Settings.__dataclass_fields__) - {"root", "config_file", "cache_dir", "ignore_noqa"}
    # `extend` names another file whose settings are merged in: it is not a setting itself.
    assert {key.replace("-", "_") for key in CONFIG_KEYS if key != "extend"} == fields
    defaults = Settings(root=Path("/"))
    for key, spec in CONFIG_KEYS.items():
        assert spec.description and spec.type_name
        if key != "extend":
            assert getattr(defaults, key.replace("-", "_")) == spec.default, key


def test_import_needs_neither_libcst_nor_click() -> None:
    code = (
        "import sys; import actorlint.config, actorlint.discovery, actorlint.suppressions; "
        "print('libcst' in sys.modules, 'click' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(root)},
    )
    assert out.stdout.split() == ["False", "False"]


# --- overrides and is_enabled -----------------------------------------------


def test_with_overrides() -> None:
    base = Settings(select=("ACT1",), ignore=("ACT101",), extend_select=("ACT2",), root=Path("/"))
    changed = base.with_overrides(select=["ACT3"], ignore=["ACT301"], extend_select=["ACT4"])
    assert changed.select == ("ACT3",)
    assert changed.ignore == ("ACT101", "ACT301")
    assert changed.extend_select == ("ACT2", "ACT4")
    assert base.with_overrides() is base


def test_with_overrides_rejects_bad_codes() -> None:
    with pytest.raises(ConfigError, match='--ignore: expected rule codes .* got "E-501"'):
        Settings(root=Path("/")).with_overrides(ignore=["E-501"])


@pytest.mark.parametrize(
    "select, ignore, extend_select, code, enabled",
    [
        (("ACT",), (), (), "ACT101", True),
        (("ACT1",), (), (), "ACT201", False),
        (("ACT",), ("ACT1",), (), "ACT101", False),
        (("ACT",), ("ACT1",), (), "ACT201", True),
        (("ACT101",), ("ACT1",), (), "ACT101", True),  # more specific select wins
        (("ACT1",), ("ACT1",), (), "ACT101", False),  # equally specific: ignore wins
        (("ACT1",), ("ACT101",), (), "ACT101", False),
        (("ALL",), ("ACT",), (), "ACT101", False),
        (("ALL",), (), (), "ACT999", True),
        (("ACT",), ("ALL",), (), "ACT101", True),  # ACT is more specific than ALL
        (("ALL",), ("ALL",), (), "ACT101", False),
        (("ACT2",), ("ACT1",), ("ACT10",), "ACT101", True),  # extend-select at depth 3 beats ACT1
        (("ACT2",), ("ACT10",), ("ACT1",), "ACT101", False),
        ((), (), (), "ACT101", False),
        ((), ("ALL",), (), "ACT000", True),  # ACT000 can never be turned off
    ],
)
def test_is_enabled(select, ignore, extend_select, code: str, enabled: bool) -> None:
    settings = Settings(select=select, ignore=ignore, extend_select=extend_select, root=Path("/"))
    assert settings.is_enabled(code) is enabled


# --- per-file-ignores -------------------------------------------------------


@pytest.fixture
def pfi(tmp_path: Path) -> Settings:
    return Settings(
        root=tmp_path,
        per_file_ignores=(
            ("tests/**/*.py", ("ACT1",)),
            ("conftest.py", ("ACT201",)),
            ("scripts/", ("ACT3",)),
            ("generated", ("ALL",)),
            ("src/legacy/*.py", ("ACT101",)),
            ("src/old", ("ACT4",)),
        ),
    )


@pytest.mark.parametrize(
    "rel, expected",
    [
        ("tests/test_a.py", {"ACT1"}),
        ("tests/unit/deep/test_b.py", {"ACT1"}),
        ("tests/conftest.py", {"ACT1", "ACT201"}),
        ("pkg/conftest.py", {"ACT201"}),  # a bare name matches at any depth
        ("scripts/run.py", {"ACT3"}),
        ("scripts/sub/run.py", {"ACT3"}),
        ("scripts.py", set()),  # "scripts/" only matches a folder
        ("pkg/generated/models.py", {"ALL"}),
        ("generated", {"ALL"}),
        ("src/legacy/a.py", {"ACT101"}),
        ("src/legacy/sub/a.py", set()),  # "*" stays within one folder
        ("src/legacy/sub.py/a.py", {"ACT101"}),  # inside a folder the glob matches
        ("src/legacy.py", set()),
        ("src/old/x.py", {"ACT4"}),
        ("src/new/x.py", set()),
        ("other/tests/test_a.py", set()),  # patterns with a slash are anchored at the root
    ],
)
def test_ignored_codes_for(pfi: Settings, tmp_path: Path, rel: str, expected: set) -> None:
    assert pfi.ignored_codes_for(tmp_path / rel) == frozenset(expected)


def test_ignored_codes_for_relative_path_resolves_against_cwd(
    pfi: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path / "..")
    rel = Path(tmp_path.name) / "tests" / "test_a.py"
    assert pfi.ignored_codes_for(rel) == frozenset({"ACT1"})


def test_ignored_codes_outside_root_match_only_bare_names(pfi: Settings, tmp_path: Path) -> None:
    outside = tmp_path.parent / "elsewhere"
    assert pfi.ignored_codes_for(outside / "conftest.py") == frozenset({"ACT201"})
    assert pfi.ignored_codes_for(outside / "tests" / "test_a.py") == frozenset()


def test_is_ignored_for(pfi: Settings, tmp_path: Path) -> None:
    assert pfi.is_ignored_for("ACT101", tmp_path / "tests" / "test_a.py")
    assert not pfi.is_ignored_for("ACT201", tmp_path / "tests" / "test_a.py")
    assert pfi.is_ignored_for("ACT999", tmp_path / "generated" / "x.py")
    assert not pfi.is_ignored_for("ACT000", tmp_path / "generated" / "x.py")


# --- fingerprint ------------------------------------------------------------


def test_fingerprint_is_stable_and_ignores_location() -> None:
    a = Settings(root=Path("/a"), config_file=Path("/a/pyproject.toml"))
    b = Settings(root=Path("/b"))
    assert a.fingerprint() == b.fingerprint()
    assert len(a.fingerprint()) == 64 and int(a.fingerprint(), 16) >= 0


@pytest.mark.parametrize(
    "change",
    [
        {"select": ("ACT1",)},
        {"ignore": ("ACT1",)},
        {"extend_select": ("ACT1",)},
        {"exclude": ()},
        {"extend_exclude": ("x",)},
        {"per_file_ignores": (("a.py", ("ACT1",)),)},
        {"call_timeout": 6.0},
        {"handler_time_limit": 3.0},
        {"headroom": 0.5},
        {"large_literal": 10},
        {"max_file_tokens": 1000},
        {"extend_blocking_calls": ("a.b",)},
    ],
)
def test_fingerprint_changes_with_each_result_field(change: dict) -> None:
    base = Settings(root=Path("/"))
    assert Settings(root=Path("/"), **change).fingerprint() != base.fingerprint()


def test_fingerprint_is_a_known_value_for_defaults() -> None:
    # Computed independently: guards against accidental changes of the cache key format.
    import hashlib
    import json

    payload = {
        "call_timeout": 5.0,
        "exclude": list(DEFAULT_EXCLUDE),
        "extend_blocking_calls": [],
        "extend_exclude": [],
        "extend_safe_fixes": [],
        "extend_select": [],
        "extend_unsafe_fixes": [],
        "frameworks": [],
        "handler_time_limit": 4.0,
        "headroom": 0.8,
        "ignore": [],
        "ignore_noqa": False,
        "large_literal": 1000,
        "max_file_tokens": 500_000,
        "per_file_ignores": [],
        "preview": False,
        "require_time_limits": "unbounded",
        "select": ["ALL"],
        "test_paths": ["test_*.py", "*_test.py", "conftest.py", "tests/", "test/"],
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    expected = hashlib.sha256(("actorlint-settings-1:" + text).encode()).hexdigest()
    assert Settings(root=Path("/")).fingerprint() == expected


def test_fix_safety_overrides(tmp_path: Path) -> None:
    settings = Settings(extend_safe_fixes=("ACT2",), extend_unsafe_fixes=("ACT201",))
    assert settings.fix_is_safe("ACT202", declared_safe=False)  # promoted by ACT2
    assert not settings.fix_is_safe("ACT201", declared_safe=False)  # ACT201 is more specific
    assert not settings.fix_is_safe("ACT201", declared_safe=True)  # demoted
    assert settings.fix_is_safe("ACT101", declared_safe=True)  # untouched
    assert not Settings().fix_is_safe("ACT202", declared_safe=False)


def test_require_time_limits_choice(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.actorlint]\nrequire-time-limits = "all"\n')
    assert load_settings(config, tmp_path).require_time_limits == "all"
    config.write_text('[tool.actorlint]\nrequire-time-limits = "some"\n')
    with pytest.raises(ConfigError, match="require-time-limits: expected one of 'unbounded', 'all'"):
        load_settings(config, tmp_path)


def test_many_per_file_ignores_compile_each_pattern_once(tmp_path: Path, monkeypatch) -> None:
    """Past the glob cache's 1,024 entries, every pattern was compiled again for every
    diagnostic (2,000 patterns: 46 s). Now each is compiled once per run."""
    import actorlint.settings as config_module

    translated = []
    real = config_module.translate_glob

    def counting(pattern: str) -> str:
        translated.append(pattern)
        return real(pattern)

    monkeypatch.setattr(config_module, "translate_glob", counting)
    patterns = tuple((f"generated/part{i}/*.py", ("ACT101",)) for i in range(2000)) + (("legacy/*.py", ("ACT2",)),)
    settings = Settings(root=tmp_path, per_file_ignores=patterns)
    for number in range(30):
        for name in ("legacy", "src", "generated/part7"):
            path = tmp_path / name / f"m{number}.py"
            expected = {"legacy": ("ACT201",), "generated/part7": ("ACT101",)}.get(name, ())
            for code in ("ACT101", "ACT201"):
                assert settings.is_ignored_for(code, path) == (code in expected), (name, code)
    assert len(translated) == 2001
