"""Facts -> diagnostics: resolution across files, every enabled rule (plugins' contained
and bounded in time), then selection, suppression comments and configured fix safety."""

from __future__ import annotations

import os
import sys
import traceback
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, ContextManager, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from actorlint.config import BUILTIN_LETTERS, Settings
from actorlint.deadline import bounded
from actorlint.diagnostics import Applicability, Diagnostic, Edit, Fix
from actorlint.model.declared import catalog_for
from actorlint.model.facts import FileFacts, ProjectFacts
from actorlint.model.resolve import resolve
from actorlint.printable import printable
from actorlint.rules import FileRule, ProjectRule, installed_rules
from actorlint.rules.unused_suppressions import UnusedSuppression

__all__ = ["RunResult", "run_rules"]


@dataclass
class RunResult:
    """What a run found: the diagnostics to report and any internal errors."""

    diagnostics: List[Diagnostic]
    files_checked: int
    internal_errors: List[str] = field(default_factory=list)


def run_rules(files: Sequence[FileFacts], settings: Settings,
              unreported: FrozenSet[str] = frozenset()) -> RunResult:
    """Resolve facts across files, run every enabled rule, apply suppressions and selection.

    Files whose paths are in ``unreported`` take part in resolution (what they define is
    known) but none of their diagnostics is kept, and they do not count as checked."""
    internal: List[str] = []
    for facts in files:
        if facts.internal_error:
            internal.append(f"internal error while analysing {printable(facts.path)}:\n{facts.internal_error}")
    project: ProjectFacts = resolve(files, catalog_for(settings.frameworks))
    rules = []
    for rule_class in installed_rules(settings):
        if settings.runs(rule_class):
            try:
                with _bounded_if_plugin(rule_class.code, settings, "starting"):
                    rules.append(rule_class(settings))
            except KeyboardInterrupt:
                raise
            except BaseException:  # a plugin's rule: SystemExit included, contained
                internal.append(f"internal error in rule {rule_class.code}{_origin(rule_class.code)} "
                                f"while starting:\n{traceback.format_exc()}")
    found: List[Diagnostic] = []
    for facts in files:
        if facts.path in unreported:
            continue
        found.extend(facts.errors)
        for rule in rules:
            if isinstance(rule, FileRule):
                found.extend(_contained(rule, lambda: rule.check(facts, project), facts.path, internal, settings))
    for rule in rules:
        if isinstance(rule, ProjectRule):
            found.extend(_contained(rule, lambda: rule.check(project), None, internal, settings))

    by_path = {facts.path: facts for facts in files}
    used: Dict[str, Set[Tuple[int, str]]] = {}
    kept = _selected(found, by_path, settings, unreported, used)
    unused_rule = next((rule for rule in rules if isinstance(rule, UnusedSuppression)), None)
    if unused_rule is not None and not internal and not settings.ignore_noqa:
        ran = {rule.code for rule in rules}
        for facts in files:
            marks = facts.suppressions
            if facts.path in unreported or marks is None or not marks.directives:
                continue
            where = Path(os.path.abspath(facts.path))
            for finding in unused_rule.unused(
                    facts.path, marks, used.get(facts.path, set()),
                    lambda code: code in ran and settings.is_enabled(code) and not settings.is_ignored_for(code, where)):
                # A bare directive would hide its own report: only `# noqa: ACT100` keeps one.
                if finding.code not in marks.codes_by_line.get(finding.span.line, ()) \
                        and not settings.is_ignored_for(finding.code, where):
                    kept.append(_with_configured_safety(finding, settings))
    kept = sorted(set(kept), key=lambda d: d.sort_key)
    checked = sum(1 for facts in files if not facts.skipped and facts.path not in unreported)
    return RunResult(kept, checked, internal)


def _selected(found: Sequence[Diagnostic], by_path: Dict[str, FileFacts], settings: Settings,
              unreported: FrozenSet[str], used: Dict[str, Set[Tuple[int, str]]]) -> List[Diagnostic]:
    """The diagnostics that selection, per-file-ignores and suppression comments keep,
    with their configured fix safety; ``used`` gathers, per file, the (line, code) of what
    each comment suppressed (code ``*`` for a bare directive), for ACT100."""
    kept = []
    for diagnostic in found:
        if diagnostic.path in unreported or not settings.is_enabled(diagnostic.code):
            continue
        if settings.is_ignored_for(diagnostic.code, Path(os.path.abspath(diagnostic.path))):
            continue
        facts = by_path.get(diagnostic.path)
        marks = facts.suppressions if facts is not None and not settings.ignore_noqa else None
        if marks is not None and marks.is_suppressed(diagnostic):
            hits = used.setdefault(diagnostic.path, set())
            for line in (diagnostic.span.line, *diagnostic.statement_lines):
                if line in marks.blanket_lines:
                    hits.add((line, "*"))
                if diagnostic.code in marks.codes_by_line.get(line, ()):
                    hits.add((line, diagnostic.code))
            continue
        kept.append(_with_configured_safety(diagnostic, settings))
    return kept


def _contained(rule: object, check: Callable[[], object], path: Optional[str],
               internal: List[str], settings: Settings) -> List[Diagnostic]:
    """What ``check`` (a rule's ``check``) yields, checked: any exception it raises
    (SystemExit included; not KeyboardInterrupt) or anything it yields that is not a
    diagnostic of its own code with a well-formed fix becomes an internal error naming the
    rule, its plugin and the file, and the run goes on. A plugin's check that overruns
    ``plugin-timeout`` stops the run (actorlint/deadline.py)."""
    code = getattr(rule, "code", "?")

    def where() -> str:  # only on failure: this runs for every rule on every file
        return f"{code}{_origin(code)}" + (f" on {printable(path)}" if path else "")

    try:
        with _bounded_if_plugin(code, settings, "checking" + (f" {path}" if path else " the project")):
            produced = list(check())  # type: ignore[call-overload]
    except KeyboardInterrupt:
        raise
    except BaseException:
        internal.append(f"internal error in rule {where()}:\n{traceback.format_exc()}")
        return []
    kept = []
    for item in produced:
        problem = _diagnostic_problem(item, code)
        if problem is None:
            kept.append(item)
        else:
            internal.append(f"internal error in rule {where()}: {problem}; dropped")
    return kept


def _bounded_if_plugin(code: str, settings: Settings, doing: str) -> ContextManager[None]:
    """A plugin rule's work, bounded by ``plugin-timeout``; a built-in's, unbounded."""
    if code.startswith(BUILTIN_LETTERS):
        return nullcontext()
    return bounded(settings.plugin_timeout, f"rule {code}{_origin(code)} {doing}")


def _diagnostic_problem(item: object, code: str) -> Optional[str]:
    if not isinstance(item, Diagnostic):
        return f"it yielded a {type(item).__name__}, not a Diagnostic"
    if item.code != code:
        return f"it yielded a diagnostic with another rule's code ({printable(str(item.code))})"
    fix = item.fix
    if fix is None:
        return None
    if not isinstance(fix, Fix) or not all(isinstance(edit, Edit) for edit in fix.edits):
        return "its fix is not a Fix of Edits"
    edits = sorted((edit.start, edit.end) for edit in fix.edits)
    if any(not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e) for s, e in edits):
        return "its fix has an edit with a negative or reversed range"
    if any(later[0] < earlier[1] for earlier, later in zip(edits, edits[1:])):
        return "its fix has overlapping edits"
    return None


def _origin(code: str) -> str:
    """`` (plugin dist version)`` for a plugin's code, "" for a built-in one."""
    if code.startswith(BUILTIN_LETTERS) or "actorlint.plugins" not in sys.modules:
        return ""
    from actorlint.rules import loaded_plugins

    origin = loaded_plugins().origins.get(code)
    return f" (plugin {origin.distribution} {origin.version})" if origin is not None else ""


def _with_configured_safety(diagnostic: Diagnostic, settings: Settings) -> Diagnostic:
    """Apply ``extend-safe-fixes`` / ``extend-unsafe-fixes`` to a diagnostic's fix."""
    fix = diagnostic.fix
    if fix is None:
        return diagnostic
    declared_safe = fix.applicability is Applicability.SAFE
    safe = settings.fix_is_safe(diagnostic.code, declared_safe)
    if safe == declared_safe:
        return diagnostic
    applicability = Applicability.SAFE if safe else Applicability.UNSAFE
    return replace(diagnostic, fix=replace(fix, applicability=applicability))
