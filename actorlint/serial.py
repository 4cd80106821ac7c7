"""Typed values to JSON and back, checked against their declared types on the way in.

The cache stores facts and results with this instead of pickle, so that whatever a cache
file holds (damaged, written by another version, planted by a hostile repository) is only
ever data: loading runs no code of the file's choosing, and a value whose shape differs
from the declared types in any way is rejected with ``ShapeError`` rather than trusted.

A dataclass is written as the list of its field values in declaration order, so a
missing, extra or renamed field changes the list's length and is caught; a dict as a list
of ``[key, value]`` pairs (keys need not be strings); tuples, lists and frozensets as
lists; enums as their value. Decoders are compiled once per type from its type hints.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import typing
from functools import lru_cache
from typing import Any, Callable, Dict, Tuple

__all__ = ["ShapeError", "dumps", "loads", "shape_of"]

_Decoder = Callable[[Any], Any]


class ShapeError(ValueError):
    """Data that is not JSON of the expected shape."""


def dumps(value: object) -> bytes:
    """``value`` (dataclasses, enums, containers, plain values) as compact JSON bytes."""
    # ensure_ascii keeps lone surrogates (undecodable file names) as \\udcXX escapes.
    return json.dumps(_plain(value), separators=(",", ":"), ensure_ascii=True,
                      check_circular=False).encode("ascii")


def loads(data: bytes, kind: type) -> Any:
    """The value of type ``kind`` that ``data`` holds; ``ShapeError`` if it holds anything else."""
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise ShapeError(f"not JSON: {error}") from None
    try:
        return _decoder(kind)(raw)
    except RecursionError:
        raise ShapeError("nested too deeply") from None


def shape_of(kind: type) -> str:
    """A description of ``kind``'s shape: changes whenever a stored field or type does."""
    seen: Dict[type, str] = {}
    return _describe(kind, seen)


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):  # before str: Severity is a str enum
        return value.value
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if dataclasses.is_dataclass(value):
        return [_plain(getattr(value, name)) for name in _field_names(type(value))]
    if isinstance(value, dict):
        return [[_plain(k), _plain(v)] for k, v in value.items()]
    if isinstance(value, (frozenset, set)):
        return sorted((_plain(item) for item in value), key=repr)
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    raise TypeError(f"cannot store a {type(value).__name__}")


@lru_cache(maxsize=None)
def _field_names(cls: type) -> Tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls))


def _fail(expected: str, value: object) -> ShapeError:
    return ShapeError(f"expected {expected}, found {type(value).__name__}")


@lru_cache(maxsize=None)
def _decoder(kind: Any) -> _Decoder:  # noqa: C901 - one branch per kind of type
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if kind is type(None) or kind is None:
        def none(value: Any) -> None:
            if value is not None:
                raise _fail("null", value)
        return none
    if kind in (str, int):
        def exact(value: Any) -> Any:
            if type(value) is not kind:
                raise _fail(kind.__name__, value)
            return value
        return exact
    if kind is bool:
        def boolean(value: Any) -> bool:
            if type(value) is not bool:
                raise _fail("bool", value)
            return value
        return boolean
    if kind is float:
        def number(value: Any) -> float:
            if type(value) is not float and type(value) is not int:
                raise _fail("float", value)
            return float(value)
        return number
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        members = {member.value: member for member in kind}

        def member(value: Any) -> Any:
            try:
                return members[value]
            except (KeyError, TypeError):
                raise _fail(kind.__name__, value) from None
        return member
    if _is_named_tuple(kind):
        hints = typing.get_type_hints(kind)
        fields = _fixed_tuple_decoder(tuple(hints[name] for name in kind._fields))

        def named(value: Any) -> Any:
            return kind(*fields(value))
        return named
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass_decoder(kind)
    if origin is typing.Union and len(args) == 2 and type(None) in args:
        inner = _decoder(next(arg for arg in args if arg is not type(None)))

        def optional(value: Any) -> Any:
            return None if value is None else inner(value)
        return optional
    if origin is typing.Union:
        options = [_decoder(arg) for arg in args]

        def union(value: Any) -> Any:
            for option in options:
                try:
                    return option(value)
                except ShapeError:
                    continue
            raise _fail(str(kind), value)
        return union
    if origin in (tuple, list, frozenset, set):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return _fixed_tuple_decoder(args)
        item = _decoder(args[0])
        build = origin

        def sequence(value: Any) -> Any:
            if type(value) is not list:
                raise _fail("list", value)
            if not value:
                return build()
            return build([item(element) for element in value])
        return sequence
    if origin is dict:
        key, val = _decoder(args[0]), _decoder(args[1])

        def mapping(value: Any) -> Any:
            if type(value) is not list:
                raise _fail("list of pairs", value)
            out = {}
            for pair in value:
                if type(pair) is not list or len(pair) != 2:
                    raise _fail("pair", pair)
                out[key(pair[0])] = val(pair[1])
            return out
        return mapping
    raise TypeError(f"no decoder for {kind!r}")


def _fixed_tuple_decoder(args: Tuple[Any, ...]) -> _Decoder:
    items = [_decoder(arg) for arg in args]
    size = len(items)

    def fixed(value: Any) -> tuple:
        if type(value) is not list or len(value) != size:
            raise _fail(f"list of {size}", value)
        return tuple(decode(element) for decode, element in zip(items, value))
    return fixed


def _dataclass_decoder(cls: type) -> _Decoder:
    # Compiled on first use, so that a dataclass may contain itself. Instances are made
    # without calling __init__ (a frozen dataclass's __init__ costs a call per field):
    # the values were all checked against the field types, which is what it would do.
    plan: list = []
    names = _field_names(cls)
    size = len(names)
    new = object.__new__
    set_dict = object.__setattr__

    def build(value: Any) -> Any:
        if not plan:
            hints = typing.get_type_hints(cls)
            plan.extend(hints[name] if hints[name] in (str, int) else _decoder(hints[name]) for name in names)
        if type(value) is not list or len(value) != size:
            raise _fail(f"{cls.__name__} ({size} fields)", value)
        values = {}
        for name, decode, element in zip(names, plan, value):
            if decode is str or decode is int:
                if type(element) is not decode:
                    raise _fail(decode.__name__, element)
                values[name] = element
            else:
                values[name] = decode(element)
        instance = new(cls)
        set_dict(instance, "__dict__", values)
        return instance
    return build


def _is_named_tuple(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields")


def _describe(kind: Any, seen: Dict[type, str]) -> str:
    if _is_named_tuple(kind):
        hints = typing.get_type_hints(kind)
        inner = ",".join(f"{f}:{_describe(hints[f], seen)}" for f in kind._fields)
        return f"{kind.__module__}.{kind.__qualname__}({inner})"
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        name = f"{kind.__module__}.{kind.__qualname__}"
        if kind in seen:
            return name
        seen[kind] = name
        hints = typing.get_type_hints(kind)
        inner = ",".join(f"{f}:{_describe(hints[f], seen)}" for f in _field_names(kind))
        return f"{name}({inner})"
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return f"{kind.__qualname__}{sorted(str(m.value) for m in kind)}"
    args = typing.get_args(kind)
    if args:
        origin = typing.get_origin(kind)
        return f"{getattr(origin, '__name__', origin)}[{','.join(_describe(a, seen) for a in args)}]"
    return getattr(kind, "__name__", repr(kind))
