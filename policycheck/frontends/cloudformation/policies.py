"""IAM policy documents (a mapping, or a JSON string) parsed into statements."""

from __future__ import annotations

import json

from policycheck.frontends.cloudformation.draft import BuildContext
from policycheck.frontends.cloudformation.values import Obj, Value, as_list, as_text
from policycheck.model import PolicyCondition, PolicyDocument, Statement, Unknown


def policy_document(ctx: BuildContext, value: Value) -> PolicyDocument | None:
    """The document, None when absent; an unreadable one carries ``unknown``."""
    if value is None:
        return None
    if isinstance(value, Unknown):
        return PolicyDocument(unknown=value)
    if isinstance(value, str):
        try:
            value = _from_json(json.loads(value), getattr(value, "line", None))
        except ValueError:
            return PolicyDocument(unknown=Unknown(reason="policy document is not JSON"))
    if not isinstance(value, Obj):
        return PolicyDocument(unknown=Unknown(reason="policy document is not a mapping"))
    statements = as_list(value.get("Statement"))
    if isinstance(statements, Unknown):
        return PolicyDocument(version=_text(value.get("Version")), unknown=statements)
    return PolicyDocument(
        version=_text(value.get("Version")),
        statements=[_statement(ctx, item) for item in statements if isinstance(item, Obj)])


def _statement(ctx: BuildContext, item: Obj) -> Statement:
    effect = as_text(item.get("Effect"))
    return Statement(
        sid=_text(item.get("Sid")),
        effect=effect if effect in ("Allow", "Deny") or isinstance(effect, Unknown)
        else Unknown(reason=f"effect {effect!r}"),
        actions=_strings(item.get("Action")),
        not_actions=_strings(item.get("NotAction")),
        resources=_strings(item.get("Resource")),
        not_resources=_strings(item.get("NotResource")),
        principals=_principals(item.get("Principal")),
        not_principals=_principals(item.get("NotPrincipal")),
        conditions=_conditions(item.get("Condition")),
        source=ctx.source_at(item.line),
    )


def _strings(value: Value) -> list[str | Unknown]:
    items = as_list(value)
    if isinstance(items, Unknown):
        return [items]
    texts: list[str | Unknown] = []
    for item in items:
        text = as_text(item)
        texts.append(text if text is not None else Unknown(reason=f"not a string: {item!r}"))
    return texts


def _principals(value: Value) -> dict[str, list[str | Unknown]]:
    if value is None:
        return {}
    if isinstance(value, str) and value == "*":
        return {"*": ["*"]}
    if isinstance(value, Obj):
        return {key: _strings(item) for key, item in value.items()}
    return {"*": [Unknown(reason=f"principal {value!r}")]}


def _conditions(value: Value) -> list[PolicyCondition]:
    found: list[PolicyCondition] = []
    if not isinstance(value, Obj):
        return found
    for operator, tests in value.items():
        if isinstance(tests, Obj):
            found += [PolicyCondition(operator=operator, key=key, values=_strings(item))
                      for key, item in tests.items()]
    return found


def _text(value: Value) -> str | None:
    text = as_text(value)
    return text if isinstance(text, str) else None


def _from_json(data: object, line: int | None) -> Value:
    if isinstance(data, dict):
        return Obj({str(k): _from_json(v, line) for k, v in data.items()}, line=line)
    if isinstance(data, list):
        return [_from_json(item, line) for item in data]
    if isinstance(data, str | int | float | bool) or data is None:
        return data
    return str(data)
