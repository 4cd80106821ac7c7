"""Rule packs from other distributions, found through the ``actorlint.rules`` entry points.

A distribution declares its rules in its ``pyproject.toml``::

    [project.entry-points."actorlint.rules"]
    acme = "actorlint_acme:RULES"

The entry point loads one rule class (a subclass of ``FileRule`` or ``ProjectRule`` from
``actorlint.rules.base``) or an iterable of them. Plugins are loaded once per process, the
first time the rules are needed (``actorlint.rules.installed_rules``), never at
``import actorlint``. A plugin that cannot be loaded, or a rule that is malformed or whose
code is taken, is reported on stderr as a warning naming the distribution and the entry
point, and skipped: the run goes on with everything else. See docs/plugins.md.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Type

from actorlint.config import PLUGIN_CODE_PATTERN, Settings
from actorlint.deadline import DEFAULT_PLUGIN_TIMEOUT, bounded
from actorlint.diagnostics import Applicability, Severity
from actorlint.printable import printable
from actorlint.rule_base import FileRule, ProjectRule, Rule

__all__ = ["ENTRY_POINT_GROUP", "PluginOrigin", "Plugins", "collect_plugins", "forget_plugins", "load_plugins"]

#: The entry-point group rule packs register under.
ENTRY_POINT_GROUP = "actorlint.rules"

# Rule names read as "allow <name>" in kebab case, as the built-ins' do.
_RULE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class PluginOrigin:
    """Where a plugin rule comes from: its distribution and entry point."""

    distribution: str
    version: str
    entry_point: str
    # The entry point's target, ``module:attribute``.
    value: str = ""

    def __str__(self) -> str:
        return f'plugin "{self.distribution}" (entry point "{self.entry_point}")'


@dataclass(frozen=True)
class Plugins:
    """What the installed plugins provide: valid rules, and why anything was skipped."""

    # In code order.
    rules: Tuple[Type[Rule], ...] = ()
    # Rule code -> where the rule comes from.
    origins: Mapping[str, PluginOrigin] = field(default_factory=dict)
    # One message per skipped plugin or rule, without the "actorlint: warning: " prefix.
    warnings: Tuple[str, ...] = ()


# One entry point of the group, with the distribution that declares it.
_Entry = Tuple[PluginOrigin, Any]


_LOADED: List[Plugins] = []  # the plugins of this process, once loaded


def load_plugins(builtin: Sequence[Type[Rule]], timeout: float = DEFAULT_PLUGIN_TIMEOUT) -> Plugins:
    """The installed plugins' rules, loaded on the first call and kept for the process;
    ``builtin``: the built-in rules, whose codes plugins cannot take (the registry,
    ``actorlint.rules``, passes them: it is the one owner of the rule list).

    The first call prints a warning on stderr for every plugin or rule it skips. A plugin
    that takes more than ``timeout`` seconds to load stops the run (see actorlint/deadline.py).
    """
    if not _LOADED:
        _LOADED.append(_load(builtin, timeout))
    return _LOADED[0]


def forget_plugins() -> None:
    """Make the next ``load_plugins`` load them again (tests; a long-lived process)."""
    _LOADED.clear()


def _load(builtin: Sequence[Type[Rule]], timeout: float) -> Plugins:
    entries, problems = _installed_entry_points(ENTRY_POINT_GROUP)
    plugins = collect_plugins(entries, timeout, builtin)
    for message in problems + list(plugins.warnings):
        print(f"actorlint: warning: {printable(message)}", file=sys.stderr)
    return plugins


def _normalized(name: str) -> str:
    """A distribution name as PEP 503 compares them (``Acme_Rules`` is ``acme-rules``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed_entry_points(group: str) -> Tuple[List[_Entry], List[str]]:
    """The entry points of ``group`` with their distributions, sorted by distribution and
    entry point name, plus a message for each distribution whose entry points are unreadable.

    ``importlib.metadata.entry_points(group=...)`` and ``EntryPoint.dist`` exist only from
    Python 3.10; walking the distributions works the same on 3.9 and later. As the standard
    library does, only the first distribution of a name on ``sys.path`` counts: a copy
    further down is shadowed and would not be the one imported.
    """
    entries: List[_Entry] = []
    problems: List[str] = []
    seen = set()
    for dist in metadata.distributions():
        try:
            wanted = [ep for ep in dist.entry_points if ep.group == group]
        except Exception as error:  # a broken entry_points.txt of some unrelated package
            problems.append(f"a distribution in {dist.locate_file('')} has unreadable entry "
                            f"points ({type(error).__name__}: {error}); skipped")
            continue
        if not wanted:
            continue
        name = dist.metadata["Name"] or "?"
        if _normalized(name) in seen:
            continue
        seen.add(_normalized(name))
        for entry_point in wanted:
            origin = PluginOrigin(name, dist.version or "?", entry_point.name, entry_point.value)
            entries.append((origin, entry_point))
    entries.sort(key=lambda entry: (_normalized(entry[0].distribution), entry[0].entry_point))
    return entries, problems


def collect_plugins(entries: Iterable[_Entry], timeout: float = DEFAULT_PLUGIN_TIMEOUT,
                    builtin: Sequence[Type[Rule]] = ()) -> Plugins:
    """Load and check the rules of ``entries`` ((origin, entry point) pairs, in order);
    none may take a code of the ``builtin`` rules.

    Never raises for a plugin's fault: whatever cannot be used becomes a warning. When two
    plugins claim one code, the first in order (distribution name, then entry point name)
    keeps it.
    """
    taken: Dict[str, Tuple[Type[Rule], PluginOrigin]] = {}
    warnings: List[str] = []
    for origin, entry_point in entries:
        try:
            with bounded(timeout, f"loading {origin}"):
                loaded = entry_point.load()
                candidates, problem = _candidates(loaded)  # may iterate the plugin's own iterable
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # SystemExit too: a plugin must not end the run
            warnings.append(f'{origin}: cannot load "{entry_point.value}": '
                            f"{type(error).__name__}: {error}; plugin skipped")
            continue
        if problem is not None:
            warnings.append(f'{origin}: "{entry_point.value}" {problem}; plugin skipped')
            continue
        for candidate in candidates:
            problem = _rule_problem(candidate, builtin)
            if problem is None:
                code = candidate.code  # type: ignore[attr-defined]
                if code in taken and taken[code][0] is candidate:
                    continue  # the same class named twice: once is enough
                if code in taken:
                    other, where = taken[code]
                    problem = f"code {code} is taken by {_describe(other)} of {where}"
            if problem is not None:
                warnings.append(f"{origin}: {_describe(candidate)}: {problem}; rule skipped")
                continue
            taken[candidate.code] = (candidate, origin)  # type: ignore[attr-defined]
    codes = sorted(taken)
    return Plugins(
        rules=tuple(taken[code][0] for code in codes),
        origins={code: taken[code][1] for code in codes},
        warnings=tuple(warnings),
    )


def _candidates(loaded: Any) -> Tuple[List[Any], Optional[str]]:
    """The rule classes an entry point loaded, or why it loaded nothing usable."""
    if isinstance(loaded, type):
        return [loaded], None
    if isinstance(loaded, (str, bytes, Mapping)) or not hasattr(loaded, "__iter__"):
        return [], (f"loaded {_describe(loaded)}, which is neither a rule class nor an "
                    "iterable of rule classes")
    try:
        candidates = list(loaded)
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # SystemExit too: a plugin must not end the run
        return [], f"cannot be iterated: {type(error).__name__}: {error}"
    if not candidates:
        return [], "provides no rules"
    return candidates, None


def _rule_problem(candidate: Any, builtin: Sequence[Type[Rule]]) -> Optional[str]:
    """What makes ``candidate`` unusable as a rule, or None when it is fine."""
    if not isinstance(candidate, type) or not issubclass(candidate, Rule):
        return "is not a rule class (a subclass of actorlint.rules.base.FileRule or ProjectRule)"
    kind = next((k for k in (FileRule, ProjectRule) if issubclass(candidate, k)), None)
    if kind is None:
        return "subclasses Rule directly; subclass FileRule or ProjectRule"
    if candidate.check is kind.check:
        return "does not implement check()"
    code = getattr(candidate, "code", None)
    if not isinstance(code, str):
        return "has no code"
    owner = next((rule for rule in builtin if rule.code == code), None)
    if owner is not None:
        return f"code {code} is taken by built-in rule {code} ({owner.name})"
    if code.startswith("ACT"):
        return f'code "{code}" starts with ACT, which is reserved for actorlint\'s built-in rules'
    if not PLUGIN_CODE_PATTERN.fullmatch(code):
        return (f'code "{code}" is malformed: expected 1-5 upper-case letters other than ACT '
                'and ALL, then 3 or 4 digits, such as "ACM101"')
    name = getattr(candidate, "name", None)
    if not isinstance(name, str) or not _RULE_NAME.fullmatch(name):
        return f"name {name!r} is not a kebab-case name such as \"long-call-timeout\""
    summary = getattr(candidate, "summary", None)
    if not isinstance(summary, str) or not summary.strip():
        return "has no summary"
    if candidate.fix_applicability is not None and not isinstance(candidate.fix_applicability, Applicability):
        return "fix_applicability is neither None nor an actorlint.diagnostics.Applicability"
    if not isinstance(candidate.severity, Severity):
        return "severity is not an actorlint.diagnostics.Severity"
    try:
        candidate(Settings())  # the engine makes one per run: fail here, not there
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # SystemExit too: a plugin must not end the run
        return f"cannot be created: {type(error).__name__}: {error}"
    return None


def _describe(value: Any) -> str:
    """A short, readable name for a loaded object."""
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} of type {type(value).__name__}"
