"""What a wait's time limit is, and whether a call of a known blocking function blocks: the
parts of a site the interpreter reads from a call's arguments."""

from __future__ import annotations

import math
from typing import Mapping, Optional

import libcst as cst

from actorlint.model import blocking as blocking_table
from actorlint.model.collect.evaluator import Evaluator
from actorlint.model.collect.scopes import Scope
from actorlint.model.facts import Timeout
from actorlint.model.frameworks import Param
from actorlint.model.syntax import find_arg
from actorlint.model.values import Const, Qual

__all__ = ["CallLimits"]

_INFINITE_QUALS = frozenset({"math.inf", "numpy.inf", "float.inf"})


class CallLimits:
    """Reads time limits and blocking flags off calls, with the evaluator's values."""

    def __init__(self, evaluator: Evaluator, blocking: Mapping[str, blocking_table.BlockingCall]) -> None:
        self.values = evaluator
        self.blocking = blocking

    def fields(self, node: cst.Call, param: Optional[Param], scope: Scope,
               default: Optional[float] = None) -> dict:
        """A call's time limit: its state, its value in the framework's unit, and where a fix
        would put one. ``default``: the limit the framework applies when none is given."""
        state = self._state(node, param, scope)
        if default is not None and state in (Timeout.MISSING, Timeout.NONE):
            return {"timeout": Timeout.DEFAULT}
        fields: dict = {"timeout": state}
        argument = find_arg(node, param) if param is not None else None
        if state == Timeout.GIVEN and argument is not None:
            seconds = self.values.seconds_of(argument, scope)
            if seconds is not None:
                fields["timeout_value"] = seconds
        elif state in (Timeout.NONE, Timeout.INFINITE) and argument is not None:
            fields["edit"] = ("replace", argument)
        elif state == Timeout.MISSING and param is not None and not any(a.star for a in node.args):
            if node.args:
                fields["edit"] = ("append", node.args[-1])  # the Arg spans parentheses too
            else:
                fields["edit"] = ("first", node)
        return fields

    def _state(self, node: cst.Call, param: Optional[Param], scope: Scope) -> str:
        if param is None:
            return Timeout.MISSING
        if any(arg.star for arg in node.args):
            return Timeout.GIVEN  # *args/**kwargs may carry it: do not guess
        argument = find_arg(node, param)
        if argument is None:
            return Timeout.MISSING
        value = self.values.value_of(argument, scope)
        if isinstance(value, Const):
            if value.value is None:
                return Timeout.NONE
            if isinstance(value.value, float) and math.isinf(value.value):
                return Timeout.INFINITE
        if isinstance(value, Qual) and value.name in _INFINITE_QUALS:
            return Timeout.INFINITE
        return Timeout.GIVEN

    def blocking_site(self, qualname: str, node: cst.Call, scope: Scope) -> Optional[dict]:
        entry = blocking_table.lookup(qualname, self.blocking)
        if entry is None:
            return None
        if entry.requires is not None and find_arg(node, entry.requires) is None:
            return None
        for param, literal in entry.nonblocking:
            argument = find_arg(node, param)
            if argument is None:
                continue
            value = self.values.value_of(argument, scope)
            if isinstance(literal, blocking_table.Symbol):
                if value == Qual(literal.qualname):
                    return None
            elif isinstance(value, Const) and value.value == literal \
                    and type(value.value) is type(literal):
                return None
            elif isinstance(literal, bool) and not isinstance(value, Const):
                return None  # a flag we cannot read may well turn blocking off
        if entry.timeout is not None:
            argument = find_arg(node, entry.timeout)
            if any(arg.star for arg in node.args):
                return None  # the time limit may be in *args or **kwargs
            if argument is not None:
                value = self.values.value_of(argument, scope)
                forever = blocking_table.forever_timeout_literals(entry.qualname)
                if not (isinstance(value, Const) and value.value in forever):
                    return None
        return {
            "kind": "blocking",
            "label": entry.qualname,
            "blocking": entry.qualname,
            "category": entry.category,
            "async_only": entry.async_only,
        }
