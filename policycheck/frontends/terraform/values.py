"""Terraform values as Python values, plus ``Unknown`` and lazy reference objects.

A value is ``str``, ``int``/``float``, ``bool``, ``None``, ``list``, ``dict``,
:class:`~policycheck.model.Unknown` (anywhere, at any depth) or a :class:`Lazy` object
standing for something evaluated on demand (a resource instance, ``var``, ``local``).
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, TypeAlias

from policycheck.model import Unknown

Value: TypeAlias = Any
"""Any Terraform value (see module docstring); ``Any`` because it is recursive."""


class EvalError(Exception):
    """The configuration is invalid here (a type error, a missing key...)."""


@dataclass(frozen=True)
class Loc:
    """Where an expression is, for diagnostics."""

    file: str
    line: int


class Lazy(ABC):
    """A value whose attributes are computed when first asked for."""

    @abstractmethod
    def get_attr(self, name: str, loc: Loc) -> Value:
        """The value of ``self.name``."""

    def index(self, key: Value, loc: Loc) -> Value:
        """The value of ``self[key]``; most lazy objects behave like objects."""
        if isinstance(key, str):
            return self.get_attr(key, loc)
        raise EvalError(f"cannot index {self.describe()} with {key!r}")

    @abstractmethod
    def describe(self) -> str:
        """Short name for messages."""


def find_unknown(*values: Value) -> Unknown | None:
    """The first Unknown among ``values`` (not looking inside collections)."""
    for value in values:
        if isinstance(value, Unknown):
            return value
    return None


def deep_unknown(value: Value) -> Unknown | None:
    """The first Unknown in ``value``, looking inside collections."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, list):
        for item in value:
            found = deep_unknown(item)
            if found is not None:
                return found
    if isinstance(value, dict):
        for item in value.values():
            found = deep_unknown(item)
            if found is not None:
                return found
    return None


def is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def normalise_number(value: float | int) -> int | float:
    """Terraform has one number type: keep integral results as ``int``."""
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return int(value)
    return value


def type_name(value: Value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, Lazy):
        return "object"
    return type(value).__name__


def to_str(value: Value) -> str:
    """Terraform's automatic conversion of a primitive to string."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        number = normalise_number(value)
        return str(number) if isinstance(number, int) else repr(number)
    raise EvalError(f"cannot convert {type_name(value)} to string")


def to_number(value: Value) -> int | float:
    """Terraform's automatic conversion to number (strings holding numbers convert)."""
    if is_number(value):
        return normalise_number(value)
    if isinstance(value, str):
        try:
            return normalise_number(float(value)) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            pass
    raise EvalError(f"cannot convert {type_name(value)} {value!r} to number")


def to_int(value: Value) -> int:
    number = to_number(value)
    if isinstance(number, float):
        raise EvalError(f"expected a whole number, got {number}")
    return number


def to_bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise EvalError(f"cannot convert {type_name(value)} {value!r} to bool")


def equal(left: Value, right: Value) -> bool:
    """Terraform equality: values of different types are never equal."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if is_number(left) and is_number(right):
        return bool(left == right)
    if type(left) is not type(right):
        return False
    if isinstance(left, list):
        return len(left) == len(right) and all(map(equal, left, right))
    if isinstance(left, dict):
        same_keys: bool = left.keys() == right.keys()
        return same_keys and all(equal(left[k], right[k]) for k in left)
    return bool(left == right)  # str, or None


def address_key(key: Value) -> str:
    """The instance key in an address: ``[0]`` or ``["a"]``."""
    if isinstance(key, str):
        return "[" + json.dumps(key) + "]"
    return f"[{key}]"


def to_json(value: Value) -> Value:
    """A plain JSON value (Unknown and lazy objects raise EvalError via callers)."""
    if isinstance(value, Unknown):
        raise EvalError(value.reason)
    if isinstance(value, Lazy):
        raise EvalError(f"{value.describe()} cannot be converted to JSON")
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value
