"""Find the units to assess under the paths a user (or pre-commit) gives.

A unit is a Terraform root module (a folder with ``.tf`` files that no other scanned
root module calls as a local module), a Terraform plan JSON file (``terraform show
-json``), or a CloudFormation template (a YAML/JSON file with
``AWSTemplateFormatVersion`` or ``Resources``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

_SKIPPED_DIRS = {".terraform", ".git", "node_modules", ".venv", "__pycache__"}
_TEMPLATE_SUFFIXES = {".yaml", ".yml", ".json", ".template"}


class UnitKind(StrEnum):
    TERRAFORM = "terraform"
    TERRAFORM_PLAN = "terraform-plan"
    CLOUDFORMATION = "cloudformation"


@dataclass(frozen=True, order=True)
class Unit:
    kind: UnitKind
    path: Path
    """The root-module folder or the template file."""


def scan_root(paths: list[Path]) -> Path:
    """The folder reported paths are relative to: the scanned folder, or the common
    parent of several paths (a file counts as its folder)."""
    folders = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
    return Path(os.path.commonpath([str(f) for f in folders])) if folders else Path.cwd()


def _is_template(path: Path) -> bool:
    if path.suffix.lower() not in _TEMPLATE_SUFFIXES:
        return False
    from policycheck.frontends.cloudformation import is_cloudformation_template

    return is_cloudformation_template(path)


def _is_plan(path: Path) -> bool:
    """A ``terraform show -json`` plan (``format_version`` and planned values)."""
    if path.suffix.lower() != ".json":
        return False
    from policycheck.frontends.terraform.plan import is_plan_document
    from policycheck.limits import active

    try:
        if path.stat().st_size > active().max_file_bytes:
            return False  # reported when read as a template
        with path.open(encoding="utf-8") as handle:
            if handle.read(1).lstrip() not in ("{", ""):
                return False
            handle.seek(0)
            return is_plan_document(json.load(handle))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False


def _module_folders(roots: set[Path]) -> set[Path]:
    """Folders the given root modules call as local modules (not roots themselves)."""
    from policycheck.frontends.terraform.module_sources import local_module_folders

    return {folder for root in roots for folder in local_module_folders(root)}


def _is_terraform_file(name: str) -> bool:
    """A configuration file in native (``.tf``) or JSON (``.tf.json``) syntax."""
    return name.endswith((".tf", ".tf.json"))


def _terraform_folders(top: Path) -> set[Path]:
    found: set[Path] = set()
    for folder, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames[:] = [d for d in dirnames if d not in _SKIPPED_DIRS and not d.startswith(".")]
        if any(_is_terraform_file(name) for name in filenames):
            found.add(Path(folder).resolve())
    return found


def _roots_using(folder: Path) -> set[Path]:
    """The root modules a changed file of ``folder`` belongs to: ``folder`` itself, or,
    when it is a local module, every root module of the repository that uses it."""
    from policycheck.frontends.terraform.files import repository_root

    candidates = _terraform_folders(repository_root(folder))
    modules = _module_folders(candidates)
    if folder not in modules:
        return {folder}
    from policycheck.frontends.terraform.module_sources import local_module_folders

    users = {root for root in candidates - modules if folder in local_module_folders(root)}
    return users or {folder}


def _cdk_stacks(manifest: Path) -> frozenset[Path]:
    from policycheck.frontends.cloudformation.cdk import stack_templates

    return stack_templates(manifest)


def _in_cdk_assembly(template: Path) -> bool:
    """A nested-stack or asset template of a CDK ``cdk.out`` (its manifest's stacks only)."""
    from policycheck.frontends.cloudformation.cdk import is_assembly_template

    return is_assembly_template(template)


def _nested_stack_units(units: set[Unit]) -> set[Unit]:
    """Templates another found template opens as a nested stack: assessed through it."""
    from policycheck.frontends.cloudformation.cdk import nested_templates

    templates = {u.path for u in units if u.kind is UnitKind.CLOUDFORMATION}
    nested = nested_templates(templates)
    return {u for u in units if u.kind is UnitKind.CLOUDFORMATION and u.path in nested}


def discover(paths: list[Path]) -> list[Unit]:
    """Every unit under ``paths``, sorted and without duplicates."""
    units: set[Unit] = set()
    for path in paths:
        if path.is_file():
            if _is_terraform_file(path.name):
                for root in _roots_using(path.resolve().parent):
                    units.add(Unit(UnitKind.TERRAFORM, root))
            elif path.suffix == ".tfvars" and any(path.resolve().parent.glob("*.tf")):
                # A changed variables file (pre-commit) stands for its root module.
                units.add(Unit(UnitKind.TERRAFORM, path.resolve().parent))
            elif _is_plan(path):
                units.add(Unit(UnitKind.TERRAFORM_PLAN, path.resolve()))
            elif path.name == "manifest.json" and _cdk_stacks(path):
                units.update(Unit(UnitKind.CLOUDFORMATION, t) for t in _cdk_stacks(path))
            elif _is_template(path):
                units.add(Unit(UnitKind.CLOUDFORMATION, path.resolve()))
            continue
        for folder, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames
                                 if d not in _SKIPPED_DIRS and not d.startswith("."))
            here = Path(folder).resolve()
            has_tf = any(_is_terraform_file(name) for name in filenames)
            if has_tf:
                units.add(Unit(UnitKind.TERRAFORM, here))
            for name in sorted(filenames):
                candidate = here / name
                # A plan beside its configuration is assessed only when named.
                if not has_tf and _is_plan(candidate):
                    units.add(Unit(UnitKind.TERRAFORM_PLAN, candidate))
                elif _is_template(candidate) and not _in_cdk_assembly(candidate):
                    units.add(Unit(UnitKind.CLOUDFORMATION, candidate))
    # A local module is assessed through the root modules that call it.
    modules = _module_folders({u.path for u in units if u.kind is UnitKind.TERRAFORM})
    units -= _nested_stack_units(units)
    return sorted(u for u in units if not (u.kind is UnitKind.TERRAFORM and u.path in modules))
