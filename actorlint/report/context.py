"""What a reporter knows besides the diagnostics: the rule catalogue and the run's options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Tuple

from actorlint import __version__
from actorlint.selectors import BUILTIN_LETTERS

__all__ = ["DEFAULT_DOCS_BASE_URL", "ReportContext", "RuleInfo"]

DEFAULT_DOCS_BASE_URL = "https://github.com/actorlint/actorlint/blob/main/docs/rules/"


@dataclass(frozen=True)
class RuleInfo:
    """The reporter's view of one registered rule."""

    code: str
    name: str
    summary: str
    fixable: bool
    documentation: str = ""

    @classmethod
    def from_rule(cls, rule: Any) -> "RuleInfo":
        """Describe a :class:`~actorlint.rules.base.Rule` subclass or instance."""
        return cls(
            code=rule.code,
            name=rule.name,
            summary=rule.summary,
            fixable=getattr(rule, "fix_applicability", None) is not None,
            documentation=rule.documentation(),
        )


@dataclass(frozen=True)
class ReportContext:
    """Everything a format needs besides the diagnostics themselves.

    ``rules`` maps each registered rule's code (ACT000 included) to its :class:`RuleInfo`.
    ``show_fixes``, ``statistics`` and ``quiet`` only affect the ``text`` format.
    """

    rules: Mapping[str, RuleInfo]
    files_checked: int
    show_fixes: bool = False
    statistics: bool = False
    quiet: bool = False
    # The run has --unsafe-fixes: unsafe fixes count as fixable.
    unsafe_fixes: bool = False
    tool_version: str = __version__
    docs_base_url: str = DEFAULT_DOCS_BASE_URL
    # Internal errors of the run (a rule or the collector crashed): SARIF then says the
    # run did not succeed.
    internal_errors: Tuple[str, ...] = ()
    # ``full`` format: colour (a terminal that wants it), and the text of files read
    # from elsewhere than their path (standard input), by path.
    color: bool = False
    texts: Mapping[str, str] = field(default_factory=dict)

    def rule_url(self, code: str) -> Optional[str]:
        """Where the documentation of a built-in rule lives (None for a plugin's rule)."""
        return f"{self.docs_base_url}{code}.md" if code.startswith(BUILTIN_LETTERS) else None

    def rule_name(self, code: str, fallback: str = "") -> str:
        """The registered name of rule ``code``, or ``fallback`` when it is unknown."""
        info = self.rules.get(code)
        return info.name if info is not None else fallback
