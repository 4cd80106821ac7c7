"""The rule base classes, at the path plugins import them from (``actorlint.rules.base``);
they live in ``actorlint/rule_base.py`` so that the plugin loader needs no rule module."""

from actorlint.rule_base import FileRule, ProjectRule, Rule

__all__ = ["FileRule", "ProjectRule", "Rule"]
