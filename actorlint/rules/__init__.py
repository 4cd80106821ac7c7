"""The rule registry: every rule in code order, plus rule packs from entry points."""

from __future__ import annotations

from typing import Dict, List, Type

from actorlint.rules.base import FileRule, ProjectRule, Rule
from actorlint.rules.blocking import BlockingCallInHandler, SelfCallDeadlock, SyncCallInHandler
from actorlint.rules.call_cast import MixedCallAndCast
from actorlint.rules.parse_errors import UnreadableFile
from actorlint.rules.payloads import LargePayloadInMessage, RepeatedLargeArgument
from actorlint.rules.races import CheckThenAct, ReadModifyWrite
from actorlint.rules.time_limits import (
    CallWithoutTimeout, HandlerWithoutTimeLimit, TimeLimitWithoutHeadroom,
)

__all__ = ["ALL_RULES", "FileRule", "ProjectRule", "Rule", "installed_rules", "rules_by_code"]

# The built-in rules. Rules of installed plugins are not listed here (the registry tests,
# docs and fixtures cover only these): ``installed_rules()`` adds them.

ALL_RULES: List[Type[Rule]] = [
    UnreadableFile,
    BlockingCallInHandler,
    SyncCallInHandler,
    SelfCallDeadlock,
    CallWithoutTimeout,
    HandlerWithoutTimeLimit,
    TimeLimitWithoutHeadroom,
    MixedCallAndCast,
    LargePayloadInMessage,
    RepeatedLargeArgument,
    CheckThenAct,
    ReadModifyWrite,
]


def rules_by_code() -> Dict[str, Type[Rule]]:
    """Every built-in rule, keyed by code."""
    return {rule.code: rule for rule in ALL_RULES}


def installed_rules() -> List[Type[Rule]]:
    """Every rule a run can use: the built-ins, then the installed plugins' rules in code order.

    The first call loads the plugins (``actorlint.plugins``) and warns on stderr about any
    it skips; later calls reuse them. Imported here, not at the top, so that importing the
    registry never reads entry points.
    """
    from actorlint.plugins import load_plugins

    return ALL_RULES + list(load_plugins().rules)
