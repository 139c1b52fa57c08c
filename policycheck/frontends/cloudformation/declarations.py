"""The sections of a decoded template that the front-end reads, with their lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policycheck.frontends.cloudformation.decode import line_of
from policycheck.frontends.cloudformation.sink import DiagnosticSink


@dataclass(frozen=True)
class ResourceDecl:
    """One entry of ``Resources`` as written (properties not yet resolved)."""

    logical_id: str
    type: str
    line: int
    """1-based line of the logical-id key."""
    properties: object
    condition: str | None
    metadata: object = None
    """The resource's ``Metadata`` as written (suppressions, CDK asset paths)."""


def section(template: dict[str, Any], name: str, sink: DiagnosticSink) -> dict[str, Any]:
    """A top-level mapping section; anything else is reported and treated as empty."""
    value = template.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        sink.error(_key_line(template, name), f"{name} must be a mapping")
        return {}
    return value


def resource_declarations(template: dict[str, Any], sink: DiagnosticSink) -> list[ResourceDecl]:
    """Every well-formed resource in template order; malformed ones become errors."""
    declarations: list[ResourceDecl] = []
    for key, body in section(template, "Resources", sink).items():
        line = line_of(key) or 1
        if not isinstance(body, dict) or not isinstance(body.get("Type"), str):
            sink.error(line, f"resource {key} has no Type")
            continue
        condition = body.get("Condition")
        if condition is not None and not isinstance(condition, str):
            sink.error(line, f"resource {key}: Condition must be a condition name")
            condition = None
        declarations.append(
            ResourceDecl(
                logical_id=str(key),
                type=str(body["Type"]),
                line=line,
                properties=body.get("Properties"),
                condition=None if condition is None else str(condition),
                metadata=body.get("Metadata"),
            )
        )
    return declarations


def _key_line(mapping: dict[str, Any], name: str) -> int | None:
    for key in mapping:
        if key == name:
            return line_of(key)
    return None
