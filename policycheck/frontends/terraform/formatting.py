"""Terraform's ``format`` verbs (%s %d %v %q %t %f %x %o %b %e %%) with flags and width."""

from __future__ import annotations

import json
import re

from policycheck.frontends.terraform.values import (
    EvalError,
    Value,
    is_number,
    to_bool,
    to_int,
    to_json,
    to_number,
    to_str,
)

_VERB = re.compile(r"%([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


def _verbatim(value: Value) -> str:
    if isinstance(value, list | dict):
        return json.dumps(to_json(value), separators=(",", ":"), sort_keys=True)
    if value is None:
        return "null"
    return to_str(value)


def _one(verb: str, precision: str | None, value: Value) -> str:
    if verb == "s":
        text = to_str(value)
        return text[: int(precision)] if precision is not None else text
    if verb == "v":
        return _verbatim(value)
    if verb == "q":
        return json.dumps(to_str(value))
    if verb == "d":
        return str(to_int(value))
    if verb == "t":
        return "true" if to_bool(value) else "false"
    if verb in "feEgG":
        number = float(to_number(value))
        digits = int(precision) if precision is not None else 6
        return format(number, f".{digits}{verb}") if verb in "feE" else format(number, verb)
    if verb in "xXob":
        if isinstance(value, str) and verb in "xX" and not is_number(value):
            encoded = value.encode().hex()
            return encoded.upper() if verb == "X" else encoded
        return format(to_int(value), verb)
    raise EvalError(f"format: unsupported verb %{verb}")


def format_string(pattern: Value, args: list[Value]) -> str:
    """Format like Terraform's ``format`` (a subset of Go's fmt, without %[n] indexes)."""
    text = to_str(pattern)
    position = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal position
        flags, width, precision, verb = match.groups()
        if verb == "%":
            return "%"
        if position >= len(args):
            raise EvalError(f"format: not enough arguments for {text!r}")
        rendered = _one(verb, precision, args[position])
        position += 1
        if "+" in flags and verb == "d" and not rendered.startswith("-"):
            rendered = "+" + rendered
        if width is not None and len(rendered) < int(width):
            pad = int(width) - len(rendered)
            if "-" in flags:
                rendered += " " * pad
            elif "0" in flags and verb in "dfeExXob":
                sign = rendered[0] if rendered[:1] in "+-" else ""
                rendered = sign + "0" * pad + rendered[len(sign) :]
            else:
                rendered = " " * pad + rendered
        return rendered

    result = _VERB.sub(replace, text)
    if position < len(args):
        raise EvalError(f"format: too many arguments for {text!r}")
    return result
