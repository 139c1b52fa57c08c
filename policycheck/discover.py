"""Find the units to assess under the paths a user (or pre-commit) gives.

A unit is a Terraform root module (a folder with ``.tf`` files) or a CloudFormation
template (a YAML/JSON file with ``AWSTemplateFormatVersion`` or ``Resources``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

_SKIPPED_DIRS = {".terraform", ".git", "node_modules", ".venv", "__pycache__"}
_TEMPLATE_SUFFIXES = {".yaml", ".yml", ".json", ".template"}


class UnitKind(StrEnum):
    TERRAFORM = "terraform"
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
            if path.suffix == ".tf":
                units.add(Unit(UnitKind.TERRAFORM, path.resolve().parent))
            elif path.suffix == ".tfvars" and any(path.resolve().parent.glob("*.tf")):
                # A changed variables file (pre-commit) stands for its root module.
                units.add(Unit(UnitKind.TERRAFORM, path.resolve().parent))
            elif path.name == "manifest.json" and _cdk_stacks(path):
                units.update(Unit(UnitKind.CLOUDFORMATION, t) for t in _cdk_stacks(path))
            elif _is_template(path):
                units.add(Unit(UnitKind.CLOUDFORMATION, path.resolve()))
            continue
        for folder, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames
                                 if d not in _SKIPPED_DIRS and not d.startswith("."))
            here = Path(folder).resolve()
            if any(name.endswith(".tf") for name in filenames):
                units.add(Unit(UnitKind.TERRAFORM, here))
            for name in sorted(filenames):
                candidate = here / name
                if _is_template(candidate) and not _in_cdk_assembly(candidate):
                    units.add(Unit(UnitKind.CLOUDFORMATION, candidate))
    units -= _nested_stack_units(units)
    return sorted(units)
