"""The rule registry: every rule in code order, plus rule packs from entry points."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List, Optional, Type

from actorlint.rule_base import FileRule, ProjectRule, Rule
from actorlint.rules.blocking import BlockingCallInHandler, SelfCallDeadlock, SyncCallInHandler
from actorlint.rules.bottlenecks import SingleActorBottleneck
from actorlint.rules.caches import ActorAsCache
from actorlint.rules.lost_work import FireAndForgetSideEffect
from actorlint.rules.call_cast import MixedCallAndCast
from actorlint.rules.parse_errors import UnreadableFile
from actorlint.rules.payloads import LargePayloadInMessage, RepeatedLargeArgument
from actorlint.rules.races import CheckThenAct, ReadModifyWrite
from actorlint.rules.unused_suppressions import UnusedSuppression
from actorlint.rules.time_limits import (
    CallWithoutTimeout, HandlerWithoutTimeLimit, TimeLimitWithoutHeadroom,
)

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.config import Settings
    from actorlint.plugins import Plugins

__all__ = ["ALL_RULES", "FileRule", "ProjectRule", "Rule", "installed_rules", "loaded_plugins", "rules_by_code"]

# The built-in rules. Rules of installed plugins are not listed here (the registry tests,
# docs and fixtures cover only these): ``installed_rules()`` adds them.

ALL_RULES: List[Type[Rule]] = [
    UnreadableFile,
    UnusedSuppression,
    BlockingCallInHandler,
    SyncCallInHandler,
    SelfCallDeadlock,
    CallWithoutTimeout,
    HandlerWithoutTimeLimit,
    TimeLimitWithoutHeadroom,
    MixedCallAndCast,
    ActorAsCache,
    SingleActorBottleneck,
    FireAndForgetSideEffect,
    LargePayloadInMessage,
    RepeatedLargeArgument,
    CheckThenAct,
    ReadModifyWrite,
]


def rules_by_code() -> Dict[str, Type[Rule]]:
    """Every built-in rule, keyed by code."""
    return {rule.code: rule for rule in ALL_RULES}


def installed_rules(settings: Optional["Settings"] = None) -> List[Type[Rule]]:
    """Every rule a run can use: the built-ins, then the installed plugins' rules in code order.

    With ``settings`` whose selectors can only enable built-in codes (``--select ACT``),
    no plugin is loaded: a broken or hanging plugin cannot touch such a run. Otherwise
    the first call loads the plugins (``actorlint.plugins``) and warns on stderr about any
    it skips; later calls reuse them. Imported here, not at the top, so that importing the
    registry never reads entry points.
    """
    if settings is not None and not settings.may_enable_plugins():
        return list(ALL_RULES)
    return ALL_RULES + list(loaded_plugins(settings.plugin_timeout if settings is not None else None).rules)


def loaded_plugins(timeout: Optional[float] = None) -> "Plugins":
    """The installed plugins (loaded on the first call, then kept), checked against the
    built-in rules; ``timeout``: how long loading one may take (``plugin-timeout``)."""
    from actorlint.deadline import DEFAULT_PLUGIN_TIMEOUT
    from actorlint.plugins import load_plugins

    return load_plugins(ALL_RULES, DEFAULT_PLUGIN_TIMEOUT if timeout is None else timeout)
