"""The registry is complete and everything that lists rules agrees with it (style rule 11).

Every Rule subclass in ``actorlint.rules`` is registered, in code order, with a well-formed
name; and the registry, the docs pages, the fixtures, the README rule table and the
CHANGELOG all name the same codes.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import List, Set, Type

import pytest

import actorlint.rules
from actorlint.rules import ALL_RULES, rules_by_code
from actorlint.rules.base import Rule

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CODE = re.compile(r"^ACT\d{3}$")
NAME = re.compile(r"^[a-z]+(-[a-z]+)*$")
LEADING_CODE = re.compile(r"^(ACT\d{3})")
README_ROW = re.compile(r"^\|\s*\[?(ACT\d{3})\b")
MENTIONED_CODE = re.compile(r"\bACT\d{3}\b")

REGISTERED = {rule.code for rule in ALL_RULES}


def _defined_rules() -> List[Type[Rule]]:
    """Every class with a ``code`` defined in a module of the ``actorlint.rules`` package."""
    found: List[Type[Rule]] = []
    package = actorlint.rules
    modules = [package] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    ]
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            # Imported names are counted where they are defined, not where they are used.
            if cls.__module__ == module.__name__ and hasattr(cls, "code"):
                found.append(cls)
    return found


def _pascal_case(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def test_every_rule_class_is_registered() -> None:
    defined = _defined_rules()
    assert defined, "found no rule classes: the package walk is broken"
    missing = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in defined if cls not in ALL_RULES)
    assert not missing, f"rule classes missing from ALL_RULES in actorlint/rules/__init__.py: {missing}"
    for cls in defined:
        assert issubclass(cls, Rule), f"{cls.__qualname__} has a code but is not a Rule"


def test_registry_is_in_code_order_with_unique_codes() -> None:
    codes = [rule.code for rule in ALL_RULES]
    assert all(CODE.match(code) for code in codes), codes
    assert len(set(codes)) == len(codes), f"duplicate codes: {codes}"
    assert codes == sorted(codes), f"ALL_RULES is not in code order: {codes}"
    assert set(rules_by_code()) == set(codes)


def test_names_are_unique_kebab_case() -> None:
    names = [rule.name for rule in ALL_RULES]
    assert len(set(names)) == len(names), f"duplicate names: {names}"
    for rule in ALL_RULES:
        assert NAME.match(rule.name), f"{rule.code}: name {rule.name!r} is not kebab-case"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_class_name_is_pascal_case_of_name(rule: Type[Rule]) -> None:
    assert rule.__name__ == _pascal_case(rule.name), (
        f"{rule.code}: class {rule.__name__} should be {_pascal_case(rule.name)} "
        f"for name {rule.name!r}"
    )


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_rule_has_summary(rule: Type[Rule]) -> None:
    assert isinstance(rule.summary, str) and rule.summary.strip()


def _docs_codes() -> Set[str]:
    return {p.stem for p in (ROOT / "docs" / "rules").glob("ACT*.md")}


def _fixture_codes() -> Set[str]:
    codes: Set[str] = set()
    for path in FIXTURES.iterdir():
        match = LEADING_CODE.match(path.name)
        if match and (path.is_dir() or path.suffix == ".py"):
            codes.add(match.group(1))
    return codes


def _readme_codes() -> Set[str]:
    readme = ROOT / "README.md"
    assert readme.is_file(), "README.md is missing: it must carry the rule table"
    return {
        match.group(1)
        for line in readme.read_text(encoding="utf-8").splitlines()
        for match in [README_ROW.match(line.strip())]
        if match
    }


def _changelog_codes() -> Set[str]:
    changelog = ROOT / "CHANGELOG.md"
    assert changelog.is_file(), "CHANGELOG.md is missing"
    return set(MENTIONED_CODE.findall(changelog.read_text(encoding="utf-8")))


def _compare(where: str, codes: Set[str]) -> None:
    missing = sorted(REGISTERED - codes)
    unknown = sorted(codes - REGISTERED)
    assert not missing and not unknown, (
        f"{where} disagrees with ALL_RULES: missing {missing}, not registered {unknown}"
    )


def test_docs_pages_match_registry() -> None:
    _compare("docs/rules/ACT*.md (run python -m actorlint.docs)", _docs_codes())


def test_fixtures_match_registry() -> None:
    _compare("tests/fixtures (ACTnnn*.py files or ACTnnn* folders)", _fixture_codes())


def test_readme_rule_table_matches_registry() -> None:
    _compare("README.md rule table", _readme_codes())


def test_changelog_matches_registry() -> None:
    _compare("CHANGELOG.md", _changelog_codes())
