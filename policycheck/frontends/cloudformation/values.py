"""Resolved template values and conversions to the model's field types.

Intrinsic functions resolve to plain Python values (``str``, ``int``, lists, dicts) with
three additions: ``Unknown`` (a value only known at deploy), ``NO_VALUE``
(``AWS::NoValue``, removed from the enclosing mapping or list) and ``LogicalId`` (a
string that references a resource of the template, as ``Ref`` or ``Fn::GetAtt`` of
an id attribute yield). Mappings keep the line they were declared on, so inline
sub-objects (rules, routes) can point at their own line.
"""

from __future__ import annotations

from typing import TypeAlias, Union

from policycheck.model import Unknown


class LogicalId(str):
    """A reference to a resource of this template, by logical id (the model id)."""

    __slots__ = ()


class ArnOf(LogicalId):
    """``Fn::GetAtt X.Arn``: a reference to X where a reference is expected, but text
    known only after deploy where text is expected (``Fn::Sub``, policy resources)."""

    __slots__ = ()


class NoValue:
    """``AWS::NoValue``: the enclosing property or list item is removed."""

    _instance: NoValue | None = None

    def __new__(cls) -> NoValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = NoValue()

# A recursive alias: the string forms need Union rather than ``|``.
Value: TypeAlias = Union[str, int, float, bool, Unknown, NoValue, "list[Value]", "Obj", None]


class Obj(dict[str, Value]):
    """A resolved mapping that remembers the 1-based line it was declared on."""

    def __init__(self, items: dict[str, Value] | None = None, line: int | None = None) -> None:
        super().__init__(items or {})
        self.line = line


def first_unknown(values: list[Value]) -> Unknown | None:
    """The first Unknown among ``values`` (searching nested lists and mappings)."""
    for value in values:
        if isinstance(value, Unknown):
            return value
        if isinstance(value, list):
            found = first_unknown(value)
            if found is not None:
                return found
        if isinstance(value, Obj):
            found = first_unknown(list(value.values()))
            if found is not None:
                return found
    return None


def as_text(value: Value) -> str | Unknown | None:
    """A scalar as CloudFormation stringifies it; None when absent or not a scalar."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, ArnOf):
        return Unknown(reason=f"the ARN of {value} is known only after deploy")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int | float):
        return str(value)
    return None


def as_int(value: Value) -> int | Unknown | None:
    """An integer property (numbers arrive as int or as numeric strings)."""
    if value is None or isinstance(value, NoValue):
        return None
    if isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return Unknown(reason=f"not a number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    return Unknown(reason=f"not a number: {value!r}")


def as_bool(value: Value) -> bool | Unknown | None:
    """A boolean property (``true``/``false`` as YAML booleans or strings)."""
    if value is None or isinstance(value, NoValue):
        return None
    if isinstance(value, Unknown | bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return Unknown(reason=f"not a boolean: {value!r}")


def as_ref(value: Value, what: str) -> str | Unknown:
    """A reference to a model object: a logical id, else Unknown saying why not.

    A literal id (``subnet-0abc``) names something outside the template, which the
    model cannot see, so it is Unknown too.
    """
    if isinstance(value, Unknown):
        return value
    if isinstance(value, LogicalId):
        return str(value)
    if isinstance(value, str):
        return Unknown(reason=f"{what} {value!r} is not declared in this template")
    return Unknown(reason=f"{what} is not a reference: {value!r}")


def as_list(value: Value) -> list[Value] | Unknown:
    """A list property; a single Unknown stands for a whole list of unknown length."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, list):
        return value
    if value is None or isinstance(value, NoValue):
        return []
    return [value]


def as_refs(value: Value, what: str) -> list[str | Unknown]:
    """A list of references (security groups, subnets); an unknown list is one Unknown."""
    items = as_list(value)
    if isinstance(items, Unknown):
        return [items]
    return [as_ref(item, what) for item in items]


def tags_of(value: Value) -> dict[str, str]:
    """The ``Tags`` list as a mapping, keeping only tags whose key and value are known."""
    tags: dict[str, str] = {}
    items = as_list(value)
    if isinstance(items, Unknown):
        return tags
    for item in items:
        if not isinstance(item, Obj):
            continue
        key = as_text(item.get("Key"))
        text = as_text(item.get("Value"))
        if isinstance(key, str) and isinstance(text, str):
            tags[key] = text
    return tags
