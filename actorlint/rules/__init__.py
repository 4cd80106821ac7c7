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

__all__ = ["ALL_RULES", "FileRule", "ProjectRule", "Rule", "rules_by_code"]

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
    """Every registered rule, keyed by code."""
    return {rule.code: rule for rule in ALL_RULES}
