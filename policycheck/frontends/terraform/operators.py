"""HCL's arithmetic, comparison and logical operators over Terraform values."""

from __future__ import annotations

import math

from policycheck.frontends.terraform.partial_text import plain
from policycheck.frontends.terraform.values import (
    EvalError,
    Value,
    equal,
    find_unknown,
    normalise_number,
    to_bool,
    to_number,
)


def _arithmetic(operator: str, left: Value, right: Value) -> Value:
    a, b = to_number(left), to_number(right)
    if operator == "+":
        return normalise_number(a + b)
    if operator == "-":
        return normalise_number(a - b)
    if operator == "*":
        return normalise_number(a * b)
    if b == 0:
        raise EvalError("division by zero")
    if operator == "/":
        return normalise_number(a / b)
    # Terraform's % keeps the sign of the dividend (like math.fmod), not Python's.
    return normalise_number(math.fmod(a, b))


def binary(operator: str, left: Value, right: Value) -> Value:
    """Apply a binary operator; an Unknown operand gives that Unknown."""
    unknown = plain(find_unknown(left, right))
    if operator in ("&&", "||"):
        if unknown is not None:
            return unknown
        a, b = to_bool(left), to_bool(right)
        return (a and b) if operator == "&&" else (a or b)
    if unknown is not None:
        return unknown
    if operator == "==":
        return equal(left, right)
    if operator == "!=":
        return not equal(left, right)
    if operator in ("<", ">", "<=", ">="):
        x, y = to_number(left), to_number(right)
        return {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[operator]
    if operator in ("+", "-", "*", "/", "%"):
        return _arithmetic(operator, left, right)
    raise EvalError(f"unsupported operator {operator}")


def unary(operator: str, operand: Value) -> Value:
    """``-x`` or ``!x``."""
    unknown = plain(find_unknown(operand))
    if unknown is not None:
        return unknown
    if operator == "!":
        return not to_bool(operand)
    return normalise_number(-to_number(operand))
