"""Template parameters: defaults, ``--param`` overrides, and the values left unknown."""

from __future__ import annotations

from typing import Any

from policycheck.frontends.cloudformation.decode import line_of
from policycheck.frontends.cloudformation.sink import DiagnosticSink
from policycheck.frontends.cloudformation.values import Value, as_text
from policycheck.model import Unknown


def resolve_parameters(
    declared: dict[str, Any],
    overrides: tuple[tuple[str, str], ...],
    sink: DiagnosticSink,
) -> dict[str, Value]:
    """The value of every declared parameter, as CloudFormation would pass it.

    Overrides win over defaults (the later of two overrides wins). A parameter with
    no value, and an AWS-specific one (``AWS::EC2::VPC::Id``,
    ``AWS::SSM::Parameter::Value<...>``) without an override — its value names
    something outside the template — is Unknown, with a notice at its line.
    Numbers stay strings; list types are split on commas.
    """
    override_map = dict(overrides)
    values: dict[str, Value] = {}
    for key, body in declared.items():
        name = str(key)
        line = line_of(key)
        spec = body if isinstance(body, dict) else {}
        kind = str(spec.get("Type", "String"))
        if name in override_map:
            values[name] = _typed(kind, override_map[name])
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
    for name, _ in overrides:
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
