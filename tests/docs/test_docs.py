"""The generated docs: rule pages match the docstrings, docstrings follow the style, and
the examples in them do what they say (style rules 3, 4 and 5); the configuration
reference matches ``CONFIG_KEYS``, documents every key, and its examples load."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import List, Optional, Set, Type

import pytest

from actorlint.config import CONFIG_KEYS, ConfigKey, Settings, load_settings
from actorlint.diagnostics import Applicability
from actorlint.docs import (
    CONFIG_EXAMPLES, CONFIG_PAGE, INDEX_NAME, README_TABLE_BEGIN, README_TABLE_END, DocsError, check_docstring, code_blocks,
    config_page_path, docs_dir, example_code, main, own_file_form, render_configuration,
    render_index, render_rule_page, stale_pages, toml_value, write_docs,
)
from actorlint.engine import check_files, jobs_for_paths
from actorlint.rules import ALL_RULES
from actorlint.rules.base import FileRule, Rule

ROOT = Path(__file__).resolve().parents[2]
DOCS = docs_dir(ROOT)
REGENERATE = "out of date: run python -m actorlint.docs"


def _rule_id(rule: Type[Rule]) -> str:
    return rule.code


# ---------------------------------------------------------------------------
# Generated pages never drift (style rule 4).


@pytest.mark.parametrize("rule", ALL_RULES, ids=_rule_id)
def test_rule_page_is_up_to_date(rule: Type[Rule]) -> None:
    page = DOCS / f"{rule.code}.md"
    assert page.is_file(), f"{page} is missing: run python -m actorlint.docs"
    assert page.read_text(encoding="utf-8") == render_rule_page(rule), f"{page} is {REGENERATE}"


def test_index_is_up_to_date() -> None:
    index = DOCS / INDEX_NAME
    assert index.is_file(), f"{index} is missing: run python -m actorlint.docs"
    assert index.read_text(encoding="utf-8") == render_index(ALL_RULES), f"{index} is {REGENERATE}"


def test_no_extra_pages() -> None:
    wanted = {f"{rule.code}.md" for rule in ALL_RULES} | {INDEX_NAME}
    extra = sorted(p.name for p in DOCS.iterdir() if p.name not in wanted)
    assert not extra, f"pages of no registered rule in {DOCS}: {extra}; run python -m actorlint.docs"


def test_write_docs_then_nothing_is_stale(tmp_path: Path) -> None:
    leftover = docs_dir(tmp_path) / "ACT999.md"
    leftover.parent.mkdir(parents=True)
    leftover.write_text("# a removed rule\n", encoding="utf-8")
    assert stale_pages(tmp_path) != []
    written = write_docs(tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(
        [f"docs/rules/{rule.code}.md" for rule in ALL_RULES]
        + [f"docs/rules/{INDEX_NAME}", f"docs/{CONFIG_PAGE}", "docs/cli.md", "docs/actorlint.schema.json"]
    )
    assert not leftover.exists()
    assert stale_pages(tmp_path) == []


def test_rule_page_layout() -> None:
    page = render_rule_page(FakeUnsafe)
    assert page.startswith("# fake-unsafe (ACT998)\n\nFix: unsafe\n\nStatus: stable\n\n## What it does\n")
    assert page.endswith("\n") and not page.endswith("\n\n")


def test_index_links_every_rule() -> None:
    index = render_index(ALL_RULES)
    assert "| Code | Name | Fix | Status | Summary |" in index
    for rule in ALL_RULES:
        assert f"| [{rule.code}]({rule.code}.md) | `{rule.name}` |" in index


# ---------------------------------------------------------------------------
# Docstrings follow the section layout (style rule 3).


@pytest.mark.parametrize("rule", ALL_RULES, ids=_rule_id)
def test_docstring_follows_style(rule: Type[Rule]) -> None:
    assert check_docstring(rule) == []


_WHAT = """## What it does
    Checks for things.
"""
_WHY = """
    ## Why is this bad?
    Because.
"""
_EXAMPLE = """
    ## Example
    ```python
    bad()
    ```

    Use instead:
    ```python
    good()
    ```
"""


def _fake(doc: str, applicability: Optional[Applicability] = None) -> Type[Rule]:
    """A throwaway rule class with docstring ``doc``."""
    return type("Fake", (FileRule,), {
        "__doc__": doc, "code": "ACT999", "name": "fake", "summary": "A fake rule",
        "fix_applicability": applicability,
    })


class FakeUnsafe(FileRule):
    """## What it does
    Checks for things.

    ## Why is this bad?
    Because.

    ## Example
    ```python
    bad()
    ```

    Use instead:
    ```python
    good()
    ```

    ## Fix safety
    The fix is unsafe: it changes when the call gives up.

    ## Options
    - `call-timeout`: the timeout the fix adds.
    """

    code = "ACT998"
    name = "fake-unsafe"
    summary = "A fake rule with a fix"
    fix_applicability = Applicability.UNSAFE


def _problems_mention(problems: List[str], *words: str) -> bool:
    return any(all(w in p for w in words) for p in problems)


def test_fake_rules_without_problems() -> None:
    assert check_docstring(_fake(_WHAT + _WHY + _EXAMPLE)) == []
    assert check_docstring(FakeUnsafe) == []


@pytest.mark.parametrize("section", ["What it does", "Why is this bad?", "Example"])
def test_missing_required_section(section: str) -> None:
    parts = {"What it does": _WHAT, "Why is this bad?": _WHY, "Example": _EXAMPLE}
    del parts[section]
    doc = "".join(parts.values()).lstrip()  # the docstring may then open with another section
    problems = check_docstring(_fake(doc))
    assert _problems_mention(problems, "missing", f"## {section}"), problems


def test_wrong_order() -> None:
    problems = check_docstring(_fake(_WHAT + _EXAMPLE + _WHY))
    assert _problems_mention(problems, "Why is this bad?", "must come before", "Example"), problems


def test_unknown_and_duplicate_sections() -> None:
    doc = _WHAT + _WHY + "\n    ## Examples\n    Typo.\n" + _EXAMPLE + _WHY
    problems = check_docstring(_fake(doc))
    assert _problems_mention(problems, "unknown section", "## Examples"), problems
    assert _problems_mention(problems, "appears twice", "Why is this bad?"), problems


def test_heading_inside_code_is_not_a_section() -> None:
    doc = _WHAT + _WHY + _EXAMPLE.replace("bad()", "## Not a heading\n    bad()")
    assert check_docstring(_fake(doc)) == []


def test_what_it_does_wording() -> None:
    problems = check_docstring(_fake(_WHAT.replace("Checks for", "Finds") + _WHY + _EXAMPLE))
    assert _problems_mention(problems, "What it does", "Checks for"), problems
    reports = _WHAT.replace("Checks for things", "Reports a thing")
    assert check_docstring(_fake(reports + _WHY + _EXAMPLE)) == []


def test_text_before_first_section() -> None:
    problems = check_docstring(_fake("A rule.\n\n    " + _WHAT + _WHY + _EXAMPLE))
    assert _problems_mention(problems, "before the first section"), problems


def test_example_needs_use_instead_with_code() -> None:
    no_use_instead = _EXAMPLE.split("Use instead:")[0]
    problems = check_docstring(_fake(_WHAT + _WHY + no_use_instead))
    assert _problems_mention(problems, "Use instead:"), problems
    prose_only = no_use_instead + "\n    Use instead:\n    Do the right thing.\n"
    problems = check_docstring(_fake(_WHAT + _WHY + prose_only))
    assert _problems_mention(problems, "Use instead:", "code block"), problems
    no_bad_code = "\n    ## Example\n    Bad.\n\n    Use instead:\n    ```python\n    good()\n    ```\n"
    problems = check_docstring(_fake(_WHAT + _WHY + no_bad_code))
    assert _problems_mention(problems, "Example", "before `Use instead:`"), problems


def test_fix_safety_on_rule_without_fix() -> None:
    doc = _WHAT + _WHY + _EXAMPLE + "\n    ## Fix safety\n    The fix is safe.\n"
    problems = check_docstring(_fake(doc))
    assert _problems_mention(problems, "Fix safety", "without a fix"), problems


def test_fix_safety_missing_on_rule_with_fix() -> None:
    problems = check_docstring(_fake(_WHAT + _WHY + _EXAMPLE, Applicability.SAFE))
    assert _problems_mention(problems, "missing", "Fix safety"), problems


def test_fix_safety_disagrees_with_declared_applicability() -> None:
    doc = _WHAT + _WHY + _EXAMPLE + "\n    ## Fix safety\n    The fix keeps the meaning.\n"
    problems = check_docstring(_fake(doc, Applicability.UNSAFE))
    assert _problems_mention(problems, "Fix safety", "unsafe"), problems


def test_options_must_name_real_keys() -> None:
    doc = _WHAT + _WHY + _EXAMPLE + "\n    ## Options\n    - `call-timeout`\n    - `max-wait`\n"
    problems = check_docstring(_fake(doc))
    assert _problems_mention(problems, "`max-wait`", "not a [tool.actorlint] key"), problems
    assert not _problems_mention(problems, "`call-timeout`")


def test_options_without_keys() -> None:
    doc = _WHAT + _WHY + _EXAMPLE + "\n    ## Options\n    - the timeout\n"
    problems = check_docstring(_fake(doc))
    assert _problems_mention(problems, "Options"), problems


def test_options_in_wrong_place() -> None:
    doc = _WHAT + "\n    ## Options\n    - `call-timeout`\n" + _WHY + _EXAMPLE
    problems = check_docstring(_fake(doc))
    assert _problems_mention(problems, "must come before", "## Options"), problems


# ---------------------------------------------------------------------------
# Doc examples are tests (style rule 5).


def _codes_reported(code: str, tmp_path: Path) -> Set[str]:
    path = tmp_path / "example.py"
    path.write_text(code, encoding="utf-8")
    result = check_files(jobs_for_paths([path], tmp_path), Settings(root=tmp_path, preview=True), workers=1)
    assert not result.internal_errors, result.internal_errors
    return {d.code for d in result.diagnostics}


@pytest.mark.parametrize("rule", ALL_RULES, ids=_rule_id)
def test_example_triggers_the_rule(rule: Type[Rule], tmp_path: Path) -> None:
    bad, _ = example_code(rule)
    assert bad is not None, f"{rule.code}: no ```python block under ## Example"
    assert rule.code in _codes_reported(bad, tmp_path), (
        f"{rule.code}: the ## Example code does not trigger the rule:\n{bad}"
    )


@pytest.mark.parametrize("rule", ALL_RULES, ids=_rule_id)
def test_use_instead_does_not_trigger_the_rule(rule: Type[Rule], tmp_path: Path) -> None:
    _, good = example_code(rule)
    assert good is not None, f"{rule.code}: no ```python block after `Use instead:`"
    reported = _codes_reported(good, tmp_path)
    assert rule.code not in reported, (
        f"{rule.code}: the `Use instead:` code triggers the rule:\n{good}"
    )
    # Code that does not parse would trigger no rule but ACT000, and pass the check above.
    assert "ACT000" not in reported, f"{rule.code}: the `Use instead:` code does not parse:\n{good}"


# ---------------------------------------------------------------------------
# The configuration reference, docs/configuration.md.

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - older interpreters only
    import tomli as tomllib


def _key_section(key: str) -> str:
    """The ``### `key``` section of the rendered configuration page."""
    return render_configuration().split(f"\n### `{key}`\n", 1)[1].split("\n### ", 1)[0]


def _section_example(key: str) -> str:
    section = _key_section(key)
    _, lang, code = code_blocks(section.split("\nExample:\n", 1)[1])[0]
    assert lang == "toml"
    return code


def _section_default(key: str) -> str:
    """The documented default as TOML: inline in backticks, or a toml block."""
    text = _key_section(key).split("\nDefault:", 1)[1].split("\n\n", 2)
    if text[0].strip():
        return text[0].strip().strip("`")
    _, lang, code = code_blocks(text[1] + "\n")[0]
    assert lang == "toml"
    return code


def test_configuration_page_is_up_to_date() -> None:
    page = config_page_path(ROOT)
    assert page.is_file(), f"{page} is missing: run python -m actorlint.docs"
    assert page.read_text(encoding="utf-8") == render_configuration(), f"{page} is {REGENERATE}"


def test_every_config_key_has_an_example() -> None:
    missing = [key for key in CONFIG_KEYS if key not in CONFIG_EXAMPLES]
    assert not missing, f"add an example of {missing} to CONFIG_EXAMPLES in actorlint/docs.py"


def test_configuration_page_has_a_section_per_key() -> None:
    page = render_configuration()
    for key, spec in CONFIG_KEYS.items():
        section = _key_section(key)
        assert spec.description in section
        assert f"Type: {spec.type_name}." in section
        assert "Default:" in section and "```toml\n" in section
        assert f"| [`{key}`](#{key}) |" in page


def _with_new_key(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = ConfigKey(lambda value: value, 3, "A key nobody documented.", "integer")
    monkeypatch.setitem(CONFIG_KEYS, "undocumented-key", spec)  # type: ignore[index]


def test_key_without_example_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    write_docs(tmp_path)
    _with_new_key(monkeypatch)
    with pytest.raises(DocsError, match="undocumented-key"):
        render_configuration()
    with pytest.raises(DocsError, match="undocumented-key"):
        stale_pages(tmp_path)
    capsys.readouterr()
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert "undocumented-key" in capsys.readouterr().err
    before = config_page_path(tmp_path).read_text(encoding="utf-8")
    assert main(["--root", str(tmp_path)]) == 1
    assert config_page_path(tmp_path).read_text(encoding="utf-8") == before


def test_the_readme_rule_table_is_generated_between_its_markers(tmp_path: Path) -> None:
    """A new rule needs no hand edit of README.md: its row is rendered with its page."""
    readme = tmp_path / "README.md"
    readme.write_text(f"# demo\n\n{README_TABLE_BEGIN}\n| stale |\n{README_TABLE_END}\n\nMore text.\n",
                      encoding="utf-8")
    write_docs(tmp_path)
    text = readme.read_text(encoding="utf-8")
    assert "| stale |" not in text and text.endswith(f"{README_TABLE_END}\n\nMore text.\n")
    rows = [line for line in text.splitlines() if line.startswith("| [ACT")]
    assert [row.split("]")[0][3:] for row in rows] == [rule.code for rule in ALL_RULES]
    assert "| [ACT201](docs/rules/ACT201.md) | call-without-timeout | unsafe |" in text
    assert stale_pages(tmp_path) == []
    readme.write_text(text.replace(rows[1] + "\n", ""), encoding="utf-8")
    assert stale_pages(tmp_path) == [readme]


def test_changed_configuration_page_is_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    write_docs(tmp_path)
    page = config_page_path(tmp_path)
    page.write_text(page.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    assert stale_pages(tmp_path) == [page]
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert f"stale: {page}" in capsys.readouterr().err
    page.unlink()
    assert stale_pages(tmp_path) == [page]
    assert main(["--root", str(tmp_path)]) == 0
    assert main(["--check", "--root", str(tmp_path)]) == 0


def _load(folder: Path, name: str, text: str) -> Settings:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return replace(load_settings(path, folder), config_file=None)


@pytest.mark.parametrize("key", list(CONFIG_KEYS))
def test_config_example_loads(key: str, tmp_path: Path) -> None:
    example = _section_example(key)
    if key == "extend":  # it names a file: give it one that changes something
        for folder in (tmp_path / "pyproject", tmp_path / "own"):
            folder.mkdir(parents=True)
        (tmp_path / "pyproject.toml").write_text("[tool.actorlint]\ncall-timeout = 7\n", encoding="utf-8")
    settings = _load(tmp_path / "pyproject", "pyproject.toml", example)
    if key == "extend":
        assert settings.call_timeout == 7.0  # merged in; `extend` itself is not a setting
    else:
        value = getattr(settings, key.replace("-", "_"))
        assert value != CONFIG_KEYS[key].default, f"the example of {key} shows its default"
    # The same keys at the top level of actorlint.toml mean the same.
    assert _load(tmp_path / "own", "actorlint.toml", own_file_form(example)) == replace(
        settings, root=tmp_path / "own"
    )


def test_config_intro_examples_load(tmp_path: Path) -> None:
    pyproject, own = [code for _, lang, code in code_blocks(render_configuration())[:2]]
    in_pyproject = _load(tmp_path, "pyproject.toml", pyproject)
    assert in_pyproject != Settings(root=tmp_path)
    assert _load(tmp_path, "actorlint.toml", own) == in_pyproject


@pytest.mark.parametrize("key", list(CONFIG_KEYS))
def test_documented_default_is_the_default(key: str) -> None:
    spec = CONFIG_KEYS[key]
    if spec.default is None:  # a key without a default (`extend`) is documented as not set
        assert _section_default(key) == "not set"
        return
    value = tomllib.loads(_section_default(key))[key]
    assert spec.check(value) == spec.default


def test_toml_value() -> None:
    assert toml_value(True) == "true"
    assert toml_value(5.0) == "5.0"
    assert toml_value(1000) == "1000"
    assert toml_value('say "hi"\n') == '"say \\"hi\\"\\n"'
    assert toml_value(("a", "b")) == '["a", "b"]'
    assert toml_value((), table=True) == "{}"
    assert toml_value((("tests/*", ("ACT1",)),), table=True) == '{ "tests/*" = ["ACT1"] }'
    assert toml_value({"plain-key": 1}) == "{ plain-key = 1 }"
    with pytest.raises(DocsError):
        toml_value(object())
    with pytest.raises(DocsError):
        toml_value(float("inf"))


def test_own_file_form() -> None:
    pyproject = '[tool.actorlint]\nselect = ["ACT1"]\n\n[tool.actorlint.per-file-ignores]\n"a" = []\n'
    assert own_file_form(pyproject) == 'select = ["ACT1"]\n\n[per-file-ignores]\n"a" = []\n'


def test_code_blocks_dedent_list_items() -> None:
    markdown = "1. Step:\n\n   ```python\n   if x:\n       y()\n   ```\n\n```toml\na = 1\n```\n"
    assert code_blocks(markdown) == [(3, "python", "if x:\n    y()\n"), (8, "toml", "a = 1\n")]


def test_code_blocks_longer_fence_shows_a_fence() -> None:
    markdown = "````markdown\n```python\nx = 1\n```\n````\n\n```py\ny = 2\n```\n"
    assert code_blocks(markdown) == [
        (1, "markdown", "```python\nx = 1\n```\n"), (7, "py", "y = 2\n"),
    ]


def test_the_readme_sample_output_is_what_the_command_prints(monkeypatch) -> None:
    """The lines of the README's `actorlint check examples/` sample (the elided `...` aside)
    are lines the command prints, from the repository root as the README runs it."""
    import re

    from click.testing import CliRunner

    from actorlint.cli import cli

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"```text\n\$ actorlint check examples/\n(.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["check", "--no-cache", "examples/"])
    assert result.exit_code == 1
    printed = result.output.splitlines()
    shown = [line for line in sample.splitlines() if line and line != "..."]
    assert shown and all(line in printed for line in shown), set(shown) - set(printed)


def test_the_cli_reference_follows_the_commands(tmp_path: Path) -> None:
    """Every option of every command is on the page, and a changed help text makes it stale."""
    from actorlint.cli import cli
    from actorlint.docs_cli import render_cli_reference

    page = render_cli_reference()
    for name, command in cli.commands.items():
        assert f"## `actorlint {name}`" in page
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("-"):
                    assert f"{option}" in page, (name, option)
    option = next(p for p in cli.commands["check"].params if p.name == "exit_zero")
    original = option.help
    try:
        option.help = "Changed."
        assert render_cli_reference() != page
    finally:
        option.help = original
    assert (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8") == page
