"""Data sources: the ones whose result can be computed, and Unknowns with reasons for the rest.

``aws_iam_policy_document`` is evaluated into the JSON the provider would render;
``aws_ami`` evaluates (``.id``) to the id of an ``ImageDescription`` in the model, so
host rules can read the owner and name filters; lookups of account state
(availability zones, caller identity, existing VPCs and subnets) are Unknown.
"""

from __future__ import annotations

import json
from typing import cast

from policycheck.frontends.terraform.context import ModuleContext
from policycheck.frontends.terraform.expand import BlockView, for_each_pairs
from policycheck.frontends.terraform.parse import Block
from policycheck.frontends.terraform.partial_text import encode
from policycheck.frontends.terraform.values import (
    EvalError,
    Lazy,
    Loc,
    Value,
    address_key,
    deep_unknown,
    to_int,
)
from policycheck.model import Unknown

_LOOKUPS = {
    "aws_availability_zones": "availability zones are read from the account at plan time",
    "aws_caller_identity": "the account id is read from the credentials at plan time",
    "aws_partition": "the partition is read from the provider at plan time",
    "aws_vpc": "an existing VPC looked up at plan time",
    "aws_vpcs": "existing VPCs looked up at plan time",
    "aws_subnet": "an existing subnet looked up at plan time",
    "aws_subnets": "existing subnets looked up at plan time",
    "aws_security_group": "an existing security group looked up at plan time",
}


def data_instances(ctx: ModuleContext, block: Block) -> list[tuple[str, Value, dict[str, Value]]]:
    """``(address, key, bindings)`` per instance of a data source, as for resources:
    ``count`` gives ``[0]``..., ``for_each`` ``["key"]`` (sorted); when the count or
    collection is unknown, one instance without an index whose ``count.index`` or
    ``each`` is that Unknown (and a notice)."""
    base = f"{ctx.prefix}data.{block.labels[0]}.{block.labels[1]}"
    cached = ctx.cache.get(f"{base}#instances")
    if cached is None:
        cached = ctx.cache[f"{base}#instances"] = _instances(ctx, block, base)
    return cast(list[tuple[str, Value, dict[str, Value]]], cached)


def _instances(
    ctx: ModuleContext, block: Block, base: str
) -> list[tuple[str, Value, dict[str, Value]]]:
    loc = Loc(block.file, block.line)
    if "count" in block.attributes:
        count = ctx.memo(f"{base}#count", lambda: ctx.eval_attr(block.attributes["count"], {}), loc)
        if isinstance(count, Unknown):
            ctx.notice(loc, f"count of {base} is unknown ({count.reason})")
            return [(base, count, {"count": {"index": count}})]
        try:
            number = max(to_int(count), 0)
        except EvalError as exc:
            ctx.report_error(loc, f"invalid count for {base}: {exc}")
            return []
        return [(f"{base}[{i}]", i, {"count": {"index": i}}) for i in range(number)]
    if "for_each" in block.attributes:
        attr = block.attributes["for_each"]
        collection = ctx.memo(f"{base}#for_each", lambda: ctx.eval_attr(attr, {}), loc)
        pairs = for_each_pairs(collection)
        if isinstance(pairs, Unknown):
            ctx.notice(loc, f"for_each of {base} is unknown ({pairs.reason})")
            return [(base, pairs, {"each": {"key": pairs, "value": pairs}})]
        return [
            (base + address_key(key), key, {"each": {"key": key, "value": value}})
            for key, value in pairs
        ]
    return [(base, None, {})]


def data_value(ctx: ModuleContext, kind: str, name: str, loc: Loc) -> Value:
    """``data.TYPE.NAME``: one value, a list (``count``) or a map (``for_each``)."""
    block = ctx.decls.data[kind][name]
    instances = data_instances(ctx, block)
    values = [DataValue(ctx, block, address, bindings) for address, _, bindings in instances]
    unexpanded = bool(instances) and isinstance(instances[0][1], Unknown)
    if "count" in block.attributes and not unexpanded:
        return list(values)
    if "for_each" in block.attributes and not unexpanded:
        return {str(key): value for (_, key, _), value in zip(instances, values, strict=True)}
    return values[0]


class DataValue(Lazy):
    """``data.TYPE.NAME``: attributes computed for the types policycheck understands."""

    def __init__(
        self, ctx: ModuleContext, block: Block, address: str, bindings: dict[str, Value]
    ) -> None:
        self.ctx = ctx
        self.block = block
        self.kind = block.labels[0]
        self.address = address
        self.view = BlockView(ctx, block, bindings, block.line, self.kind, memo_prefix=address)

    def describe(self) -> str:
        return self.address

    def get_attr(self, name: str, loc: Loc) -> Value:
        if self.kind == "aws_iam_policy_document" and name in ("json", "minified_json"):
            key = f"{self.address}.json"
            return self.ctx.memo(key, self._policy_json, Loc(self.block.file, self.block.line))
        if self.kind == "aws_ami" and name in ("id", "image_id"):
            return self.address
        if self.kind == "aws_region" and name in ("name", "id", "region"):
            from policycheck.frontends.terraform.providers import region

            return region(self.ctx, self.block)
        if self.view.has(name):
            return self.view.get(name)
        reason = _LOOKUPS.get(self.kind, "the data source is read at plan time")
        return Unknown(reason=f"{self.address}.{name}: {reason}")

    def _policy_json(self) -> Value:
        document = policy_document_json(self.view)
        unknown = deep_unknown(document)
        if unknown is not None:
            # Known apart from some values (an after-apply ARN): keep the shape.
            return encode(document, unknown, indent=2, sort_keys=False)
        return json.dumps(document, indent=2)


def _one_or_list(values: Value) -> Value:
    if isinstance(values, list) and len(values) == 1:
        return values[0]
    return values


def _principals(blocks: list[BlockView]) -> Value:
    result: dict[str, Value] = {}
    for block in blocks:
        kind = block.get("type")
        identifiers = block.get("identifiers", [])
        if kind == "*" and identifiers == ["*"]:
            return "*"
        if isinstance(kind, Unknown):
            return kind
        current = result.get(str(kind), [])
        result[str(kind)] = (
            [*current, *identifiers] if isinstance(identifiers, list) else identifiers
        )
    return {key: _one_or_list(value) for key, value in result.items()}


def policy_document_json(view: BlockView) -> dict[str, Value]:
    """The document an ``aws_iam_policy_document`` renders (provider key order)."""
    statements: list[Value] = []
    for source in view.get("source_policy_documents", []) or []:
        if isinstance(source, Unknown):
            return {"Statement": source}
        try:
            statements.extend(json.loads(str(source)).get("Statement", []))
        except (ValueError, AttributeError) as exc:
            raise EvalError(f"source_policy_documents: not a policy document ({exc})") from exc
    for stmt in view.children("statement"):
        item: dict[str, Value] = {}
        if stmt.get("sid") is not None:
            item["Sid"] = stmt.get("sid")
        item["Effect"] = stmt.get("effect", "Allow")
        for arg, key in (
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ):
            value = stmt.get(arg)
            if value:
                item[key] = _one_or_list(value)
        for block_name, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            blocks = stmt.children(block_name)
            if blocks:
                item[key] = _principals(blocks)
        conditions: dict[str, dict[str, Value]] = {}
        for cond in stmt.children("condition"):
            test, variable = cond.get("test"), cond.get("variable")
            if isinstance(test, Unknown) or isinstance(variable, Unknown):
                return {"Statement": test if isinstance(test, Unknown) else variable}
            conditions.setdefault(str(test), {})[str(variable)] = _one_or_list(
                cond.get("values", [])
            )
        if conditions:
            item["Condition"] = conditions
        statements.append(item)
    document: dict[str, Value] = {"Version": view.get("version", "2012-10-17")}
    if view.get("policy_id") is not None:
        document["Id"] = view.get("policy_id")
    document["Statement"] = statements
    return document
