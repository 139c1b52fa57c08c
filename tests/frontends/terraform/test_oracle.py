"""Terraform as the oracle: values computed from HCL equal Terraform's planned values.

The plans in ``oracle/*/plan.json`` were produced by Terraform itself
(``oracle/regenerate.sh``); this test never runs Terraform. For every planned
resource instance, every argument written in the configuration is evaluated by
policycheck and compared with the planned value: known values must be equal, and
values Terraform only knows after apply (``after_unknown``) must be Unknown here.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from policycheck.frontends.interface import TerraformInputs
from policycheck.frontends.terraform import root_context
from policycheck.frontends.terraform.context import Reporter
from policycheck.frontends.terraform.expand import BlockView, Instance, expand
from policycheck.frontends.terraform.modules import all_contexts
from policycheck.frontends.terraform.values import Lazy, is_number, to_str
from policycheck.model import Unknown

ORACLE = Path(__file__).parent / "oracle"
FIXTURES = sorted(p for p in ORACLE.iterdir() if (p / "plan.json").is_file())
# Known differences found by the oracle, not yet fixed: (address, argument) → why.
_META = {"count", "for_each", "provider", "depends_on", "lifecycle"}


def _normalise(ours: Any, planned: Any) -> Any:
    """Our value in the planned value's schema type (Terraform converts to the schema)."""
    if isinstance(ours, Unknown | Lazy):
        return ours
    if isinstance(planned, str) and isinstance(ours, str) and _same_json(ours, planned):
        return planned  # the provider normalises policy JSON (layout, key order)
    if isinstance(planned, str) and (is_number(ours) or isinstance(ours, bool)):
        return to_str(ours)
    if isinstance(planned, list) and isinstance(ours, list) and len(planned) == len(ours):
        return [_normalise(o, p) for o, p in zip(ours, planned, strict=True)]
    if isinstance(planned, dict) and isinstance(ours, dict):
        return {k: _normalise(v, planned.get(k)) for k, v in ours.items()}
    return ours


def _same_json(ours: str, planned: str) -> bool:
    if not planned.startswith("{"):
        return False
    try:
        return bool(json.loads(ours) == json.loads(planned))
    except ValueError:
        return False


def _user_data_hash(text: str) -> str:
    """The provider plans SHA-1 of user_data (of the decoded bytes when it is base64)."""
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError:
        data = text.encode()
    return hashlib.sha1(data).hexdigest()


def _after_apply(ours: Any, unknown: Any, addresses: set[str]) -> bool:
    """Unknown until apply: policycheck must say Unknown, or hold a reference to the
    object whose id it is (``aws_vpc.main.id`` is the model id ``aws_vpc.main``)."""
    if unknown is True and isinstance(ours, list):
        return all(_after_apply(item, True, addresses) for item in ours)
    if unknown is True:
        return isinstance(ours, Unknown) or (isinstance(ours, str) and ours in addresses)
    if isinstance(unknown, list) and isinstance(ours, list) and len(unknown) == len(ours):
        return all(
            _after_apply(o, u, addresses) if u else True for o, u in zip(ours, unknown, strict=True)
        )
    return False


def _agrees(ours: Any, planned: Any, unknown: Any, addresses: set[str]) -> bool:
    if unknown:
        return _after_apply(ours, unknown, addresses)
    if ours is None and planned in ("", []):
        return True  # the provider's legacy type system plans unset strings and lists so
    return bool(_normalise(ours, planned) == planned)


def _compare(
    view: BlockView,
    planned: dict[str, Any],
    unknown: dict[str, Any],
    where: str,
    addresses: set[str],
) -> int:
    checked = 0
    for name in view.block.attributes:
        if name in _META:
            continue
        ours = view.get(name)
        if unknown.get(name):
            assert _after_apply(ours, unknown[name], addresses), (
                f"{where}.{name}: Terraform knows it only after apply, policycheck says {ours!r}"
            )
        elif name == "user_data" and isinstance(planned.get(name), str) and isinstance(ours, str):
            assert _user_data_hash(ours) == planned[name], f"{where}.{name}"
        else:
            assert _normalise(ours, planned.get(name)) == planned.get(name), f"{where}.{name}"
        checked += 1
    for child_type in {b.type if b.type != "dynamic" else b.labels[0] for b in view.block.blocks}:
        if child_type in _META or not isinstance(planned.get(child_type), list):
            continue
        children = view.children(child_type)
        rows = planned[child_type]
        assert len(children) == len(rows), f"{where}.{child_type}: number of blocks"
        marks = unknown.get(child_type)
        row_marks = marks if isinstance(marks, list) else [{}] * len(rows)
        for child in children:
            values = {k: child.get(k) for k in child.block.attributes}
            match = [
                row
                for row, mark in zip(rows, row_marks, strict=True)
                if all(_agrees(v, row.get(k), mark.get(k), addresses) for k, v in values.items())
            ]
            assert match, f"{where}.{child_type}: no planned block matches {values}"
            checked += len(values)
    return checked


def config_folder(fixture: Path) -> Path:
    """The configuration a fixture's plan was made from (``CONFIG`` names an example)."""
    pointer = fixture / "CONFIG"
    if pointer.is_file():
        return (fixture / pointer.read_text(encoding="utf-8").strip()).resolve()
    return fixture


def _instances(folder: Path) -> dict[str, Instance]:
    ctx = root_context(folder, folder, TerraformInputs(), Reporter())
    found: dict[str, Instance] = {}
    for module in all_contexts(ctx):
        for block in module.decls.resource_order:
            for instance in expand(module, block).instances:
                found[instance.address] = instance
    return found


def _planned(plan: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    changes = {c["address"]: c["change"] for c in plan.get("resource_changes", [])}
    result = {}
    for change_address, change in changes.items():
        result[change_address] = (change.get("after") or {}, change.get("after_unknown") or {})
    return result


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_hcl_values_equal_terraform_plan(fixture: Path) -> None:
    plan = json.loads((fixture / "plan.json").read_text(encoding="utf-8"))
    instances = _instances(config_folder(fixture))
    planned = _planned(plan)
    assert sorted(instances) == sorted(planned)
    checked = 0
    for address, (after, unknown) in planned.items():
        checked += _compare(instances[address].view, after, unknown, address, set(instances))
    assert checked >= 30
