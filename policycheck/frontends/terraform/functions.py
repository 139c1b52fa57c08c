"""Terraform's built-in functions (the ones network templates use), per the Terraform docs.

Every function takes evaluated arguments. An Unknown argument makes the result
Unknown, except for functions that only look at a collection's shape (``length``,
``concat``...), which accept Unknown elements.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Callable

from policycheck.frontends.terraform import cidr_functions, text_functions
from policycheck.frontends.terraform import collection_functions as collections
from policycheck.frontends.terraform.files import path_functions
from policycheck.frontends.terraform.formatting import format_string
from policycheck.frontends.terraform.partial_text import encode, plain
from policycheck.frontends.terraform.values import (
    EvalError,
    Value,
    deep_unknown,
    find_unknown,
    normalise_number,
    to_int,
    to_json,
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


def _length(value: Value) -> Value:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | dict):
        return len(value)
    raise EvalError(f"length: cannot take the length of {type_name(value)}")


def _join(separator: Value, *lists: Value) -> Value:
    items = [item for value in lists for item in _list(value, "join")]
    return to_str(separator).join(to_str(item) for item in items)


def _split(separator: Value, text: Value) -> Value:
    return to_str(text).split(to_str(separator))


def _replace(text: Value, search: Value, replacement: Value) -> Value:
    pattern, subject, new = to_str(search), to_str(text), to_str(replacement)
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        # Regex form; Go's $1 and ${name} become Python's \g<1>.
        python_repl = re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", new)
        try:
            return re.sub(pattern[1:-1], python_repl, subject)
        except re.error as exc:
            raise EvalError(f"replace: invalid regex {pattern}") from exc
    return subject.replace(pattern, new)


def _coalesce(*values: Value) -> Value:
    for value in values:
        if value is not None and value != "":
            return value
    raise EvalError("coalesce: no non-null, non-empty argument")


def _range(*args: Value) -> Value:
    numbers = [to_number(arg) for arg in args]
    start: int | float
    limit: int | float
    step: int | float
    if len(numbers) == 1:
        start, limit, step = 0, numbers[0], 1
    elif len(numbers) == 2:
        start, limit, step = numbers[0], numbers[1], (1 if numbers[1] >= numbers[0] else -1)
    elif len(numbers) == 3:
        start, limit, step = numbers
    else:
        raise EvalError("range: expected 1 to 3 arguments")
    if step == 0:
        raise EvalError("range: step must not be zero")
    result: list[Value] = []
    current = start
    while (current < limit) if step > 0 else (current > limit):
        result.append(normalise_number(current))
        current += step
        if len(result) > 1024:
            raise EvalError("range: more than 1024 elements")
    return result


def _min(*values: Value) -> Value:
    if not values:
        raise EvalError("min: at least one argument")
    return min(to_number(value) for value in values)


def _max(*values: Value) -> Value:
    if not values:
        raise EvalError("max: at least one argument")
    return max(to_number(value) for value in values)


def _tostring(value: Value) -> Value:
    return None if value is None else to_str(value)


def _tonumber(value: Value) -> Value:
    return None if value is None else to_number(value)


def _tobool(value: Value) -> Value:
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"tobool: cannot convert {value!r}")


def _jsonencode(value: Value) -> Value:
    return json.dumps(to_json(value), sort_keys=True, separators=(",", ":"))


def _jsondecode(text: Value) -> Value:
    try:
        return json.loads(to_str(text))
    except json.JSONDecodeError as exc:
        raise EvalError(f"jsondecode: {exc}") from exc


def _base64encode(text: Value) -> Value:
    return base64.b64encode(to_str(text).encode()).decode()


def _base64decode(text: Value) -> Value:
    try:
        return base64.b64decode(to_str(text), validate=True).decode()
    except ValueError as exc:
        raise EvalError("base64decode: invalid input") from exc


def _substr(text: Value, offset: Value, length: Value) -> Value:
    subject, start, count = to_str(text), to_int(offset), to_int(length)
    if start < 0:
        start += len(subject)
    return subject[start:] if count == -1 else subject[start : start + count]


def _formatlist(pattern: Value, *args: Value) -> Value:
    lengths = {len(arg) for arg in args if isinstance(arg, list)}
    if len(lengths) > 1:
        raise EvalError("formatlist: lists of different lengths")
    count = lengths.pop() if lengths else 1
    return [
        format_string(pattern, [arg[i] if isinstance(arg, list) else arg for arg in args])
        for i in range(count)
    ]


FUNCTIONS: dict[str, Callable[..., Value]] = {
    "abs": lambda x: normalise_number(abs(to_number(x))),
    "alltrue": lambda xs: all(x is True or x == "true" for x in _list(xs, "alltrue")),
    "anytrue": lambda xs: any(x is True or x == "true" for x in _list(xs, "anytrue")),
    "base64decode": _base64decode,
    "base64encode": _base64encode,
    "ceil": lambda x: math.ceil(to_number(x)),
    "chomp": lambda s: to_str(s).rstrip("\r\n"),
    "cidrhost": cidr_functions.cidrhost,
    "cidrnetmask": cidr_functions.cidrnetmask,
    "cidrsubnet": cidr_functions.cidrsubnet,
    "cidrsubnets": cidr_functions.cidrsubnets,
    "coalesce": _coalesce,
    "coalescelist": lambda *xs: next((x for x in xs if _list(x, "coalescelist")), []),
    "compact": collections.compact,
    "concat": collections.concat,
    "contains": collections.contains,
    "distinct": collections.distinct,
    "element": collections.element,
    "endswith": lambda s, x: to_str(s).endswith(to_str(x)),
    "flatten": collections.flatten,
    "floor": lambda x: math.floor(to_number(x)),
    "format": lambda pattern, *args: format_string(pattern, list(args)),
    "formatlist": _formatlist,
    "index": collections.index,
    "join": _join,
    "jsondecode": _jsondecode,
    "jsonencode": _jsonencode,
    "keys": collections.keys,
    "length": _length,
    "lookup": collections.lookup,
    "lower": lambda s: to_str(s).lower(),
    "max": _max,
    "merge": collections.merge,
    "min": _min,
    "one": collections.one,
    "range": _range,
    "replace": _replace,
    "reverse": lambda xs: list(reversed(_list(xs, "reverse"))),
    "slice": collections.slice,
    "sort": lambda xs: sorted(to_str(x) for x in _list(xs, "sort")),
    "split": _split,
    "startswith": lambda s, x: to_str(s).startswith(to_str(x)),
    "substr": _substr,
    "sum": collections.sum,
    "title": lambda s: re.sub(r"\b\w", lambda m: m.group(0).upper(), to_str(s)),
    "tobool": _tobool,
    "tolist": collections.tolist,
    "tomap": collections.tomap,
    "tonumber": _tonumber,
    "toset": collections.toset,
    "tostring": _tostring,
    "trimprefix": lambda s, p: to_str(s).removeprefix(to_str(p)),
    "trimspace": lambda s: to_str(s).strip(),
    "trimsuffix": lambda s, p: to_str(s).removesuffix(to_str(p)),
    "upper": lambda s: to_str(s).upper(),
    "values": collections.values,
    "zipmap": collections.zipmap,
    **text_functions.FUNCTIONS,
    **path_functions(),
}

# Functions that only look at the shape of a collection accept Unknown elements.
_ACCEPT_UNKNOWN_ELEMENTS = frozenset(
    {
        "length",
        "concat",
        "merge",
        "lookup",
        "element",
        "flatten",
        "tolist",
        "tomap",
        "keys",
        "values",
        "slice",
        "reverse",
        "one",
        "contains",
        "coalescelist",
        "zipmap",
        "compact",
    }
)


def call(name: str, args: list[Value]) -> Value:
    """Call built-in ``name``; raises EvalError on bad arguments."""
    unknown = find_unknown(*args)
    if unknown is not None:
        return plain(unknown)  # the result is not the argument's text
    if name not in _ACCEPT_UNKNOWN_ELEMENTS:
        for arg in args:
            unknown = deep_unknown(arg)
            if unknown is not None:
                # jsonencode keeps the known shape (a policy with an after-apply ARN).
                return encode(arg, unknown) if name == "jsonencode" else plain(unknown)
    try:
        return FUNCTIONS[name](*args)
    except TypeError as exc:
        raise EvalError(f"{name}: wrong number or type of arguments") from exc
