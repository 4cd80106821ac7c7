"""The rule docs: generated pages match the docstrings, docstrings follow the style, and
the examples in them do what they say (style rules 3, 4 and 5)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Set, Type

import pytest

from actorlint.config import Settings
from actorlint.diagnostics import Applicability
from actorlint.docs import (
    INDEX_NAME, check_docstring, docs_dir, example_code, render_index, render_rule_page,
    stale_pages, write_docs,
)
from actorlint.engine import check_files, jobs_for_paths
from actorlint.rules import ALL_RULES
from actorlint.rules.base import FileRule, Rule

ROOT = Path(__file__).resolve().parent.parent
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
    assert sorted(p.name for p in written) == sorted(
        [f"{rule.code}.md" for rule in ALL_RULES] + [INDEX_NAME]
    )
    assert not leftover.exists()
    assert stale_pages(tmp_path) == []


def test_rule_page_layout() -> None:
    page = render_rule_page(FakeUnsafe)
    assert page.startswith("# fake-unsafe (ACT998)\n\nFix: unsafe\n\n## What it does\n")
    assert page.endswith("\n") and not page.endswith("\n\n")


def test_index_links_every_rule() -> None:
    index = render_index(ALL_RULES)
    assert "| Code | Name | Fix | Summary |" in index
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
    result = check_files(jobs_for_paths([path], tmp_path), Settings(root=tmp_path), workers=1)
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
    assert rule.code not in _codes_reported(good, tmp_path), (
        f"{rule.code}: the `Use instead:` code triggers the rule:\n{good}"
    )
