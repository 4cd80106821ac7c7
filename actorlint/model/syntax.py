"""Small readings of LibCST nodes and collector values that several collector modules
share: dotted names, arguments by parameter, decorator callees, numbers."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from actorlint.model.frameworks import Param
from actorlint.model.values import Const, Qual, Value

__all__ = ["callee", "dotted", "find_arg", "is_number", "qualname_of", "simple_name", "string_key"]


def dotted(node: Optional[cst.BaseExpression]) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def simple_name(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def string_key(node: cst.Subscript) -> Optional[str]:
    """The key of ``container["key"]`` when it is one plain string literal, else None."""
    if len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
        value = index.value.evaluated_value
        return value if isinstance(value, str) else None
    return None


def is_number(value: Value) -> bool:
    return isinstance(value, Const) and isinstance(value.value, (int, float)) \
        and not isinstance(value.value, bool)


def find_arg(node: cst.Call, param: Param) -> Optional[cst.BaseExpression]:
    """The expression passed for ``param``, by keyword or by position."""
    position = 0
    for arg in node.args:
        if arg.keyword is not None:
            if arg.keyword.value == param.name:
                return arg.value
            continue
        if arg.star:
            return None
        if param.position is not None and position == param.position:
            return arg.value
        position += 1
    return None


def callee(expression: cst.BaseExpression) -> cst.BaseExpression:
    """The function a decorator names: ``f`` for ``@f`` and for ``@f(...)``."""
    return expression.func if isinstance(expression, cst.Call) else expression


def qualname_of(value: Value) -> str:
    return value.name if isinstance(value, Qual) else ""
