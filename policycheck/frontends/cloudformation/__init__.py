"""The CloudFormation front-end: one YAML or JSON template in, one model out.

cfn-lint is imported only when a template is actually loaded, so scans of Terraform
alone do not pay for it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from policycheck.diagnostics import Diagnostic
from policycheck.frontends.interface import CloudFormationInputs, FrontendResult

TEMPLATE_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".template"})
SNIFF_BYTES = 64 * 1024

_TOP_LEVEL_KEY = re.compile(
    rb"""^(?:(?:\xef\xbb\xbf)?["']?(?:AWSTemplateFormatVersion|Resources)["']?[ \t]*:"""
    rb"""|[{\s]*"(?:AWSTemplateFormatVersion|Resources)"\s*:)""",
    re.MULTILINE,
)

__all__ = ["is_cloudformation_template", "load_cloudformation"]


def is_cloudformation_template(path: Path) -> bool:
    """Cheap sniff: a YAML/JSON file with a top-level ``AWSTemplateFormatVersion`` or
    ``Resources`` key within its first 64 KiB (nothing is parsed)."""
    if path.suffix.lower() not in TEMPLATE_SUFFIXES:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return _TOP_LEVEL_KEY.search(head) is not None


MAX_OPEN_ATOMS = 3
"""Open comparisons assessed both ways: at most 2**3 = 8 builds of one template."""


def load_cloudformation(
    template: Path, scan_root: Path, inputs: CloudFormationInputs
) -> FrontendResult:
    """Model one template (with its nested stacks). Never raises for bad input.

    When conditions depend on values known only at deploy, the template is built once
    per assignment of the first ``MAX_OPEN_ATOMS`` open comparisons: ``variants``
    holds every model, ``model`` the one where they are all true.
    """
    from itertools import product

    from policycheck.frontends.cloudformation.conditions import Atoms
    from policycheck.frontends.cloudformation.paramfiles import read_parameter_files
    from policycheck.frontends.cloudformation.stack import TemplateCache, build_stack
    from policycheck.frontends.interface import ModelVariant

    file_pairs, problems = read_parameter_files(inputs.parameter_files)
    overrides = (*file_pairs, *inputs.parameters)
    cache = TemplateCache()
    first = build_stack(template, scan_root, inputs.region, overrides, Atoms(), cache)
    atoms = list(first.atoms.met)[:MAX_OPEN_ATOMS]
    if not atoms:
        return FrontendResult(model=first.model, diagnostics=_diagnostics(first.sinks, problems))
    builds = [
        build_stack(template, scan_root, inputs.region, overrides,
                    Atoms(forced=dict(zip(atoms, values, strict=True))), cache)
        for values in product((True, False), repeat=len(atoms))
    ]
    variants = [ModelVariant(conditions=dict(b.atoms.open_conditions), model=b.model)
                for b in builds]
    return FrontendResult(model=builds[0].model,
                          diagnostics=_diagnostics(builds[0].sinks, problems),
                          variants=variants)


def _diagnostics(sinks: list[Any], extra: list[Diagnostic]) -> list[Diagnostic]:
    items = {item for sink in sinks for item in sink.items} | set(extra)
    return sorted(items, key=Diagnostic.sort_key)
