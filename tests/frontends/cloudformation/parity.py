"""Comparing a Terraform and a CloudFormation model modulo ids and source references.

Ids differ between the formats (``aws_instance.web[0]`` and ``Web0``), so objects are
renamed structurally: an object's canonical name is a digest of its kind and its
fields, where every reference is replaced by the referenced object's name of the
previous round (as in Weisfeiler-Lehman graph hashing). After a few rounds equal
architectures give equal names; then every id is replaced by its name, sources,
descriptions and free-text fields are dropped, and the collections are compared as
sorted lists.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from policycheck.model import Model

DROPPED_KEYS = frozenset({"source", "id", "unit", "description", "suppressions", "reason"})
"""Fields that name where or how something was written, not what is deployed (an
Unknown's reason names the format's own addresses)."""

ALLOW_ALL_EGRESS = {"direction": "egress", "protocol": "all", "from_port": None,
                    "to_port": None, "cidr": "0.0.0.0/0", "prefix_list": None,
                    "security_group": None}
"""Documented difference: EC2 gives a group created without egress rules this rule;
CloudFormation keeps it, Terraform removes it. Security groups are stateful, so it
never changes reachability; the comparison leaves it out on both sides."""

ROUNDS = 4


def canonical(model: Model, ignore: frozenset[str] = frozenset()) -> dict[str, list[Any]]:
    """The model as JSON with structural names for ids; ``ignore`` drops more fields
    (documented differences between the formats, as ``collection.field``)."""
    dumped = model.model_dump(mode="json")
    for group in dumped.get("security_groups", []):
        group["rules"] = [rule for rule in group.get("rules", [])
                          if {k: v for k, v in rule.items() if k not in DROPPED_KEYS}
                          != ALLOW_ALL_EGRESS]
    objects: dict[str, tuple[str, dict[str, Any]]] = {}
    for collection, items in dumped.items():
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict) and "id" in item:
                    objects[item["id"]] = (collection, item)
    names = {obj_id: collection for obj_id, (collection, _) in objects.items()}
    for _ in range(ROUNDS):
        names = {
            obj_id: collection + ":" + _digest(_renamed(item, names, collection, ignore))
            for obj_id, (collection, item) in objects.items()
        }
    result: dict[str, list[Any]] = {}
    for collection, items in dumped.items():
        if not isinstance(items, list) or collection in DROPPED_KEYS or collection in ignore:
            continue
        renamed = [_renamed(item, names, collection, ignore) for item in items]
        result[collection] = sorted(renamed, key=lambda item: json.dumps(item, sort_keys=True))
    return result


def _renamed(value: Any, names: dict[str, str], collection: str, ignore: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {key: _renamed(item, names, collection, ignore) for key, item in value.items()
                if key not in DROPPED_KEYS and f"{collection}.{key}" not in ignore}
    if isinstance(value, list):
        items = [_renamed(item, names, collection, ignore) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, str) and value in names:
        return names[value]
    return value


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:12]


def differences(left: dict[str, list[Any]], right: dict[str, list[Any]]) -> list[str]:
    """Readable differences between two canonical models (empty when equal)."""
    found = []
    for collection in sorted(set(left) | set(right)):
        a, b = left.get(collection, []), right.get(collection, [])
        if a != b:
            only_a = [item for item in a if item not in b]
            only_b = [item for item in b if item not in a]
            found.append(f"{collection}:\n  terraform only: {only_a}\n"
                         f"  cloudformation only: {only_b}")
    return found
