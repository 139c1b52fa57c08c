"""Terraform plan JSON (``terraform show -json PLAN``) into the model.

Planned values (root module and child modules) are fed to the same resource builders
as the HCL path, so objects get the same addresses and the same shape. Values known
only after apply are Unknown, except where they name another object (see
``plan_view``). Source lines come from the configuration's ``.tf`` files when they
sit beside the plan (or ``config_folder`` names them); otherwise every object points
at line 1 of the plan file with its address.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from policycheck.diagnostics import DiagnosticLevel
from policycheck.frontends.interface import FrontendResult, TerraformInputs
from policycheck.frontends.terraform.assemble import model_from_instances
from policycheck.frontends.terraform.context import Declarations, ModuleContext, Reporter
from policycheck.frontends.terraform.expand import Instance, expand
from policycheck.frontends.terraform.load import relative_path
from policycheck.frontends.terraform.modules import all_contexts, new_context
from policycheck.frontends.terraform.parse import Block
from policycheck.frontends.terraform.plan_refs import (
    ConfigModule,
    Resolver,
    after_apply_value,
    child,
    config_module,
)
from policycheck.frontends.terraform.plan_view import PlanView
from policycheck.frontends.terraform.values import Value
from policycheck.model import Model

__all__ = ["is_plan_document", "load_plan"]


def is_plan_document(data: object) -> bool:
    """True for the JSON ``terraform show -json`` prints for a plan."""
    return (
        isinstance(data, dict)
        and "format_version" in data
        and ("planned_values" in data or "terraform_version" in data)
    )


def load_plan(
    path: Path, scan_root: Path, config_folder: Path | None = None
) -> FrontendResult:
    """Model the plan in ``path``; never raises for bad input."""
    reporter = Reporter()
    unit = relative_path(path, scan_root)
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reporter.report(DiagnosticLevel.ERROR, unit, None, f"cannot read plan: {exc}")
        return FrontendResult(model=Model(unit=unit), diagnostics=reporter.diagnostics)
    if not is_plan_document(plan):
        reporter.report(DiagnosticLevel.ERROR, unit, None, "not a Terraform plan JSON document")
        return FrontendResult(model=Model(unit=unit), diagnostics=reporter.diagnostics)
    if config_folder is None and any(path.parent.glob("*.tf")):
        config_folder = path.parent
    hcl = _configuration(config_folder, scan_root, plan) if config_folder else None
    # Notices of the plan's model; re-reading the .tf files reports nothing.
    ctx = new_context(Declarations(), {}, reporter)
    try:
        instances = _PlanReader(plan, unit, ctx, hcl).instances()
        images = all_contexts(hcl) if hcl is not None else []
        model = model_from_instances(ctx, instances, unit, images)
    except RecursionError:
        reporter.report(DiagnosticLevel.ERROR, unit, None, "plan nested too deeply")
        model = Model(unit=unit)
    diagnostics = sorted(reporter.diagnostics, key=lambda d: d.sort_key())
    return FrontendResult(model=model, diagnostics=diagnostics)


def _configuration(folder: Path, scan_root: Path, plan: dict[str, Any]) -> ModuleContext:
    """The HCL evaluation of the plan's configuration, with the plan's variable values."""
    from policycheck.frontends.terraform import root_context

    pairs = []
    for name, entry in (plan.get("variables") or {}).items():
        value = entry.get("value") if isinstance(entry, dict) else None
        # Scalars only: a collection's value cannot be passed without its declared
        # type; the configuration's own defaults and .tfvars give those.
        if isinstance(value, str):
            pairs.append((name, value))
        elif isinstance(value, bool | int | float):
            pairs.append((name, json.dumps(value)))
    return root_context(folder, scan_root, TerraformInputs(vars=tuple(pairs)), Reporter())


class _PlanReader:
    def __init__(self, plan: dict[str, Any], unit: str, ctx: ModuleContext,
                 hcl: ModuleContext | None) -> None:
        self.unit = unit
        self.ctx = ctx
        self.changes = {
            c["address"]: (c.get("change") or {}).get("after_unknown") or {}
            for c in plan.get("resource_changes", []) if isinstance(c, dict) and "address" in c
        }
        planned = plan.get("planned_values") or {}
        self.root_values = planned.get("root_module") or {}
        configuration = plan.get("configuration") or {}
        raw = configuration.get("root_module")
        self.config = config_module(raw) if isinstance(raw, dict) else None
        self.hcl_instances: dict[str, Instance] = {}
        if hcl is not None:
            for module in all_contexts(hcl):
                for block in module.decls.resource_order:
                    for inst in expand(module, block).instances:
                        self.hcl_instances[inst.address] = inst
        self.resolver = Resolver(set())

    def instances(self) -> list[Instance]:
        rows: list[tuple[dict[str, Any], str, ConfigModule | None]] = []
        self._walk(self.root_values, "", self.config, rows)
        self.resolver.addresses = {row["address"] for row, _, _ in rows}
        found = [self._instance(row, prefix, module) for row, prefix, module in rows]
        if self.hcl_instances:
            # Declaration order, as on the HCL path; planned-only instances last.
            order = {address: i for i, address in enumerate(self.hcl_instances)}
            found.sort(key=lambda inst: order.get(inst.address, len(order)))
        return found

    def _walk(self, values: dict[str, Any], prefix: str, module: ConfigModule | None,
              rows: list[tuple[dict[str, Any], str, ConfigModule | None]]) -> None:
        for row in values.get("resources", []):
            if isinstance(row, dict) and row.get("mode") == "managed" and "address" in row:
                rows.append((row, prefix, module))
        for sub in values.get("child_modules", []):
            address = str(sub.get("address", ""))
            last = address[len(prefix):].removeprefix("module.")
            name = last.split("[", 1)[0]
            sub_config = child(module, name) if module is not None else None
            self._walk(sub, address + ".", sub_config, rows)

    def _instance(self, row: dict[str, Any], prefix: str,
                  module: ConfigModule | None) -> Instance:
        address, kind, name = str(row["address"]), str(row["type"]), str(row["name"])
        ours = self.hcl_instances.get(address)
        file, line = (ours.file, ours.line) if ours is not None else (self.unit, 1)
        block = Block("resource", (kind, name), {}, (), file, line)
        sensitive = row.get("sensitive_values") or {}
        resource = f"{kind}.{name}"

        def after_apply(attr: str) -> Value:
            is_list = isinstance(sensitive.get(attr), list)
            return after_apply_value(
                self.resolver, module, prefix, resource, address, attr, is_list
            )

        view = PlanView(self.ctx, block, kind, row.get("values") or {},
                        self.changes.get(address, {}), after_apply,
                        ours.view if ours is not None else None,
                        configured=module.resources.get(resource) if module else None)
        return Instance(address, kind, name, view)
