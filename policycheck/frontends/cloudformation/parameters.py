"""Template parameters: defaults, ``--param`` overrides, and the values left unknown."""

from __future__ import annotations

from typing import Any

from policycheck.frontends.cloudformation.decode import line_of
from policycheck.frontends.cloudformation.sink import DiagnosticSink
from policycheck.frontends.cloudformation.values import LogicalId, Value, as_text
from policycheck.model import Unknown


def resolve_parameters(
    declared: dict[str, Any],
    overrides: tuple[tuple[str, str], ...],
    sink: DiagnosticSink,
    passed: dict[str, Value] | None = None,
    report_unmatched: bool = True,
) -> dict[str, Value]:
    """The value of every declared parameter, as CloudFormation would pass it.

    Overrides win over defaults (the later of two overrides wins). A parameter with
    no value, and an AWS-specific one (``AWS::EC2::VPC::Id``,
    ``AWS::SSM::Parameter::Value<...>``) without an override — its value names
    something outside the template — is Unknown, with a notice at its line.
    Numbers stay strings; list types are split on commas. ``passed`` holds the values
    a parent stack gives a nested one (references stay references). A value outside
    ``AllowedValues`` is reported (CloudFormation would refuse to deploy it).
    """
    passed = passed or {}
    override_map = dict(overrides)
    values: dict[str, Value] = {}
    for key, body in declared.items():
        name = str(key)
        line = line_of(key)
        spec = body if isinstance(body, dict) else {}
        kind = str(spec.get("Type", "String"))
        if name in passed:
            values[name] = _passed(kind, passed[name])
            _check_allowed(name, spec, values[name], line, sink)
            continue
        if name in override_map:
            values[name] = _typed(kind, override_map[name])
            _check_allowed(name, spec, values[name], line, sink)
            continue
        if _is_aws_specific(kind):
            reason = (
                f"parameter {name} is read from SSM Parameter Store at deploy"
                if kind.startswith("AWS::SSM::Parameter::Value<")
                else f"parameter {name} ({kind}) names an existing AWS resource"
            )
            sink.notice(line, f"{reason}; pass --param {name}=VALUE to assess it")
            values[name] = Unknown(reason=reason)
            continue
        default = spec.get("Default")
        text = _default_text(default)
        if text is None:
            sink.notice(line, f"parameter {name} has no value; pass --param {name}=VALUE")
            values[name] = Unknown(reason=f"parameter {name} has no value")
            continue
        values[name] = _typed(kind, text)
        _check_allowed(name, spec, values[name], line, sink)
    for name, _ in overrides if report_unmatched else ():
        if name not in declared:
            sink.notice(None, f"--param {name} does not match a parameter of this template")
    return values


def _default_text(default: object) -> str | None:
    if isinstance(default, list):
        parts = [as_text(item) for item in default]
        return ",".join(part for part in parts if isinstance(part, str))
    if isinstance(default, str | int | float | bool):
        text = as_text(default)
        return text if isinstance(text, str) else None
    return None


def _typed(kind: str, text: str) -> Value:
    if kind == "CommaDelimitedList" or kind.startswith("List<"):
        items: list[Value] = [item.strip() for item in text.split(",")] if text else []
        return items
    return text


def _is_aws_specific(kind: str) -> bool:
    inner = kind[len("List<") : -1] if kind.startswith("List<") else kind
    return inner.startswith("AWS::")


def _passed(kind: str, value: Value) -> Value:
    """A value passed by a parent stack: a list type splits a plain string, while a single
    reference stays a reference (a one-item list)."""
    if isinstance(value, str) and (kind == "CommaDelimitedList" or kind.startswith("List<")):
        return [value] if isinstance(value, LogicalId) else _typed(kind, value)
    return value


def _check_allowed(
    name: str, spec: dict[str, Any], value: Value, line: int | None, sink: DiagnosticSink
) -> None:
    allowed = spec.get("AllowedValues")
    if not isinstance(allowed, list) or isinstance(value, Unknown):
        return
    permitted = {as_text(item) for item in allowed}
    items = value if isinstance(value, list) else [value]
    for item in items:
        text = as_text(item)
        if isinstance(text, str) and text not in permitted:
            sink.notice(line, f"parameter {name}: {text!r} is not one of its AllowedValues; "
                              "CloudFormation would refuse this value")
