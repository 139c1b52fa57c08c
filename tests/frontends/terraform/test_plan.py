"""Plan JSON (``terraform show -json``) as an input unit.

The plans are Terraform's own (``oracle/*/plan.json``, see ``oracle/regenerate.sh``);
the suite never runs Terraform. HCL and plan must give equal models modulo source
lines, and with the ``.tf`` files gone the plan alone must still name the same objects.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.frontends.interface import TerraformInputs
from policycheck.frontends.terraform import load_terraform
from policycheck.frontends.terraform.plan import is_plan_document, load_plan
from policycheck.model import Model, Unknown
from tests.frontends.terraform.test_oracle import FIXTURES, config_folder

# Values the plan states although the configuration leaves them to the provider.
PROVIDER_DEFAULTS = {"http_endpoint": "enabled"}


def _comparable(model: Model, drop: frozenset[str] = frozenset({"line"})) -> Any:
    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: clean(v)
                for k, v in node.items()
                if k not in drop
                and not (k in PROVIDER_DEFAULTS and v in (None, PROVIDER_DEFAULTS[k]))
            }
        if isinstance(node, list):
            return [clean(item) for item in node]
        return node

    return clean(model.model_dump(mode="json", exclude={"unit"}))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_plan_and_hcl_give_equal_models_modulo_source_lines(fixture: Path) -> None:
    folder = config_folder(fixture)
    from_hcl = load_terraform(folder, folder, TerraformInputs())
    from_plan = load_plan(fixture / "plan.json", folder, config_folder=folder)
    assert not from_plan.diagnostics
    assert from_plan.model.objects()
    assert _comparable(from_plan.model) == _comparable(from_hcl.model)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_a_plan_alone_names_the_same_objects(fixture: Path, tmp_path: Path) -> None:
    """Without the .tf files references come from the plan's configuration section;
    sources are line 1 of the plan file; user_data is only a hash in a plan."""
    shutil.copy(fixture / "plan.json", tmp_path / "plan.json")
    from_plan = load_plan(tmp_path / "plan.json", tmp_path)
    folder = config_folder(fixture)
    from_hcl = load_terraform(folder, folder, TerraformInputs())
    drop = frozenset({"line", "file", "user_data"})
    ours, theirs = _comparable(from_plan.model, drop), _comparable(from_hcl.model, drop)
    for kind in theirs:
        by_id = {obj["id"]: obj for obj in ours[kind]}
        for obj in theirs[kind]:
            assert _same_or_unknown(by_id.get(obj["id"]), obj), obj["id"]
    for obj in from_plan.model.objects():
        assert (obj.source.file, obj.source.line) == ("plan.json", 1)


def _same_or_unknown(plan: Any, hcl: Any) -> bool:
    """Equal, except that a reference made through ``each``, ``count`` or a local may
    stay Unknown in a plan alone (the configuration records it per resource only)."""
    if isinstance(plan, dict) and plan.get("unknown") is True:
        return isinstance(hcl, str) or hcl == plan
    if isinstance(plan, dict) and isinstance(hcl, dict):
        if plan.get("target_kind") == "unknown" and _same_or_unknown(plan["target"], hcl["target"]):
            plan = {**plan, "target_kind": hcl["target_kind"]}  # `gateway_id` of any kind
        return plan.keys() == hcl.keys() and all(_same_or_unknown(plan[k], hcl[k]) for k in hcl)
    if isinstance(plan, list) and isinstance(hcl, list):
        # Sets (security-group rules...) come back in Terraform's order.
        left = list(hcl)
        for item in plan:
            match = next((i for i, other in enumerate(left) if _same_or_unknown(item, other)), None)
            if match is None:
                return False
            left.pop(match)
        return not left
    return bool(plan == hcl)


def test_user_data_from_a_plan_alone_is_unknown_with_a_reason(tmp_path: Path) -> None:
    fixture = next(f for f in FIXTURES if f.name == "expressions")
    shutil.copy(fixture / "plan.json", tmp_path / "plan.json")
    model = load_plan(tmp_path / "plan.json", tmp_path).model
    instance = next(i for i in model.instances if i.id == "aws_instance.web[0]")
    assert isinstance(instance.user_data, Unknown)
    assert "hash" in instance.user_data.reason
    assert instance.subnet == 'aws_subnet.tier["a"]'


def _plan(
    resources: list[dict[str, Any]], changes: dict[str, Any], config: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": [
            {"address": a, "change": {"after_unknown": u}} for a, u in changes.items()
        ],
        "configuration": {"root_module": {"resources": config}},
    }


def _resource(address: str, values: dict[str, Any]) -> dict[str, Any]:
    kind, name = address.split("[")[0].split(".")
    return {
        "address": address,
        "mode": "managed",
        "type": kind,
        "name": name,
        "values": values,
        "sensitive_values": {},
    }


def test_after_apply_values_through_count_index_stay_unknown(tmp_path: Path) -> None:
    plan = _plan(
        [
            _resource("aws_vpc.main", {"cidr_block": "10.0.0.0/16"}),
            _resource("aws_subnet.a[0]", {"cidr_block": "10.0.0.0/24"}),
        ],
        {"aws_vpc.main": {"id": True}, "aws_subnet.a[0]": {"id": True, "vpc_id": True}},
        [
            {
                "address": "aws_subnet.a",
                "mode": "managed",
                "expressions": {"vpc_id": {"references": ["local.vpcs", "count.index"]}},
            }
        ],
    )
    (tmp_path / "p.json").write_text(json.dumps(plan), encoding="utf-8")
    subnet = load_plan(tmp_path / "p.json", tmp_path).model.subnets[0]
    assert isinstance(subnet.vpc, Unknown)
    assert subnet.vpc.reason == "aws_subnet.a[0].vpc_id is known after apply"
    assert subnet.source.address == "aws_subnet.a[0]"


def test_references_follow_module_inputs(tmp_path: Path) -> None:
    plan = _plan(
        [_resource("aws_vpc.main", {"cidr_block": "10.0.0.0/16"})],
        {"aws_vpc.main": {"id": True}, "module.net.aws_subnet.s": {"vpc_id": True}},
        [],
    )
    plan["planned_values"]["root_module"]["child_modules"] = [
        {
            "address": "module.net",
            "resources": [
                {
                    **_resource("aws_subnet.s", {"cidr_block": "10.0.1.0/24"}),
                    "address": "module.net.aws_subnet.s",
                }
            ],
        }
    ]
    plan["configuration"]["root_module"]["module_calls"] = {
        "net": {
            "source": "./net",
            "expressions": {"vpc": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}},
            "module": {
                "resources": [
                    {
                        "address": "aws_subnet.s",
                        "mode": "managed",
                        "expressions": {"vpc_id": {"references": ["var.vpc"]}},
                    }
                ]
            },
        }
    }
    (tmp_path / "p.json").write_text(json.dumps(plan), encoding="utf-8")
    subnet = load_plan(tmp_path / "p.json", tmp_path).model.subnets[0]
    assert subnet.id == "module.net.aws_subnet.s"
    assert subnet.vpc == "aws_vpc.main"


def test_a_broken_plan_is_an_error_not_an_exception(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text("{not json", encoding="utf-8")
    result = load_plan(tmp_path / "p.json", tmp_path)
    assert [d.message.split(":")[0] for d in result.diagnostics] == ["cannot read plan"]
    assert is_plan_document({"format_version": "1.2", "planned_values": {}})
    assert not is_plan_document({"format_version": "1.2", "Resources": {}})


def test_policycheck_model_of_the_example_prints_terraforms_values() -> None:
    """The done-when check: `policycheck model examples/modules-web` against the plan
    Terraform made of it (known values equal; after-apply values Unknown or a reference)."""
    fixture = next(f for f in FIXTURES if f.name == "modules-web")
    planned = {
        c["address"]: c["change"]["after"]
        for c in json.loads((fixture / "plan.json").read_text())["resource_changes"]
    }
    result = CliRunner().invoke(app, ["model", str(config_folder(fixture))])
    assert result.exit_code == 0, result.output
    model = json.loads(result.output)["units"][0]["model"]
    subnets = {s["id"]: s for s in model["subnets"]}
    for address, subnet in subnets.items():
        assert subnet["cidr_block"] == planned[address]["cidr_block"]
        assert subnet["map_public_ip_on_launch"] == planned[address]["map_public_ip_on_launch"]
        assert subnet["availability_zone"] == planned[address]["availability_zone"]
        assert subnet["tags"] == planned[address]["tags_all"]
    for instance in model["instances"]:
        after = planned[instance["id"]]
        assert instance["instance_type"] == after["instance_type"]
        assert instance["ami"] == after["ami"]
        # subnet_id is known only after apply: the model holds the subnet it names.
        assert instance["subnet"] in subnets
    web = 'module.service["web"].module.host.aws_instance.this'
    worker = 'module.service["worker"].module.host.aws_instance.this'
    by_id = {i["id"]: i for i in model["instances"]}
    assert by_id[web]["associate_public_ip_address"] is True
    assert by_id[worker]["associate_public_ip_address"] is False  # try() fell back
    groups = {g["id"]: g for g in model["security_groups"]}
    for address, group in groups.items():
        ports = sorted(r["from_port"] for r in group["rules"] if r["direction"] == "ingress")
        assert ports == sorted(row["from_port"] for row in planned[address]["ingress"])
        cidrs = {r["cidr"] for r in group["rules"] if r["direction"] == "ingress"}
        planned_cidrs = {c for row in planned[address]["ingress"] for c in row["cidr_blocks"]}
        assert cidrs == planned_cidrs
    roles = [r for r in model["iam_roles"]]
    assert {r["name"] for r in roles} == {"web-role", "worker-role"}
