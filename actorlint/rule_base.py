"""The Rule base class: a code, a name, a summary, a docstring that is its documentation."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, ClassVar, Iterable, Optional

from actorlint.diagnostics import Applicability, Diagnostic, Fix, Severity, Span

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.config import Settings
    from actorlint.model.facts import FileFacts, ProjectFacts

__all__ = ["Rule", "FileRule", "ProjectRule"]


class Rule:
    """A check over facts. Subclasses set the class attributes and implement ``check``.

    The class docstring is the rule's user documentation, in Markdown, with the sections
    ``## What it does``, ``## Why is this bad?``, ``## Example`` (+ ``Use instead:``),
    ``## Fix safety`` (only when the rule has a fix), ``## Options``, ``## References``.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    # The applicability of the fix this rule offers, or None when it offers none.
    fix_applicability: ClassVar[Optional[Applicability]] = None
    # A preview rule runs only with ``--preview`` (or ``preview = true``), until real
    # code shows it precise enough to run by default (Ruff's convention).
    preview: ClassVar[bool] = False

    def __init__(self, settings: "Settings") -> None:
        self.settings = settings

    @classmethod
    def documentation(cls) -> str:
        """The rule's docstring, dedented: its user documentation in Markdown."""
        return inspect.cleandoc(cls.__doc__ or "")

    @property
    def fixable(self) -> bool:
        return self.fix_applicability is not None

    def diagnostic(
        self, path: str, span: Span, message: str, *, fix: Optional[Fix] = None,
        statement_lines: tuple = (), related: tuple = (),
    ) -> Diagnostic:
        """A diagnostic of this rule."""
        return Diagnostic(
            code=self.code, name=self.name, message=message, path=path, span=span,
            severity=self.severity, fix=fix, related=related, statement_lines=statement_lines,
        )


class FileRule(Rule):
    """A rule that judges one file's resolved facts at a time."""

    def check(self, facts: "FileFacts", project: "ProjectFacts") -> Iterable[Diagnostic]:
        raise NotImplementedError


class ProjectRule(Rule):
    """A rule that judges the merged facts of every checked file (runs once per run)."""

    def check(self, project: "ProjectFacts") -> Iterable[Diagnostic]:
        raise NotImplementedError
