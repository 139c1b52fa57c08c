"""Terraform's collection functions (lists, sets, maps).

Functions are named as in Terraform, so some shadow Python built-ins inside this
module; call those through ``builtins``.
"""

from __future__ import annotations

import builtins

from policycheck.frontends.terraform.values import (
    EvalError,
    Value,
    deep_unknown,
    equal,
    is_number,
    normalise_number,
    to_int,
    to_number,
    to_str,
    type_name,
)


def _list(value: Value, function: str) -> list[Value]:
    if isinstance(value, list):
        return value
    raise EvalError(f"{function}: expected a list, got {type_name(value)}")


def _map(value: Value, function: str) -> dict[str, Value]:
    if isinstance(value, dict):
        return value
    raise EvalError(f"{function}: expected a map or object, got {type_name(value)}")


def concat(*lists: Value) -> Value:
    return [item for value in lists for item in _list(value, "concat")]


def merge(*maps: Value) -> Value:
    result: dict[str, Value] = {}
    for value in maps:
        if value is not None:
            result.update(_map(value, "merge"))
    return result


def lookup(mapping: Value, key: Value, *default: Value) -> Value:
    values = _map(mapping, "lookup")
    name = to_str(key)
    if name in values:
        return values[name]
    if default:
        return default[0]
    raise EvalError(f"lookup: no key {name!r} and no default")


def element(values: Value, position: Value) -> Value:
    items = _list(values, "element")
    number = to_int(position)
    if not items:
        raise EvalError("element: cannot use element on an empty list")
    if number < 0:
        raise EvalError("element: negative index")
    return items[number % len(items)]


def sort_key(value: Value) -> tuple[int, Value]:
    return (0, value) if is_number(value) else (1, to_str(value))


def toset(values: Value) -> Value:
    items = _list(values, "toset")
    if any(isinstance(item, str) for item in items) and all(
        isinstance(item, str | int | float | bool) for item in items
    ):
        # A set mixing strings with other primitives becomes a set of strings.
        items = [to_str(item) for item in items]
    unique: list[Value] = []
    for item in items:
        if not any(equal(item, seen) for seen in unique):
            unique.append(item)
    # Terraform orders sets of primitives lexically (numbers numerically).
    if all(isinstance(item, str) or is_number(item) for item in unique):
        unique.sort(key=sort_key)
    return unique


def tolist(values: Value) -> Value:
    return list(_list(values, "tolist"))


def tomap(values: Value) -> Value:
    return dict(_map(values, "tomap"))


def compact(values: Value) -> Value:
    return [item for item in _list(values, "compact") if item is not None and item != ""]


def distinct(values: Value) -> Value:
    unique: list[Value] = []
    for item in _list(values, "distinct"):
        if not any(equal(item, seen) for seen in unique):
            unique.append(item)
    return unique


def flatten(values: Value) -> Value:
    result: list[Value] = []
    for item in _list(values, "flatten"):
        if isinstance(item, list):
            result.extend(flatten(item))
        else:
            result.append(item)
    return result


def keys(mapping: Value) -> Value:
    return sorted(_map(mapping, "keys"))


def values(mapping: Value) -> Value:
    values = _map(mapping, "values")
    return [values[key] for key in sorted(values)]


def contains(values: Value, item: Value) -> Value:
    unknown = deep_unknown(item)
    if unknown is not None:
        return unknown
    return any(equal(element, item) for element in _list(values, "contains"))


def slice(values: Value, start: Value, end: Value) -> Value:
    items = _list(values, "slice")
    first, last = to_int(start), to_int(end)
    if not 0 <= first <= last <= len(items):
        raise EvalError("slice: index out of range")
    return items[first:last]


def zipmap(keys: Value, values: Value) -> Value:
    names, items = _list(keys, "zipmap"), _list(values, "zipmap")
    if len(names) != len(items):
        raise EvalError("zipmap: lists of different lengths")
    return {to_str(name): item for name, item in zip(names, items, strict=True)}


def index(values: Value, item: Value) -> Value:
    for position, element in enumerate(_list(values, "index")):
        if equal(element, item):
            return position
    raise EvalError("index: item not found")


def one(values: Value) -> Value:
    items = _list(values, "one")
    if len(items) > 1:
        raise EvalError("one: more than one element")
    return items[0] if items else None


def sum(values: Value) -> Value:
    return normalise_number(builtins.sum(to_number(item) for item in _list(values, "sum")))
