"""The CloudFormation front-end: one YAML or JSON template in, one model out.

cfn-lint is imported only when a template is actually loaded, so scans of Terraform
alone do not pay for it.
"""

from __future__ import annotations

import re
from pathlib import Path

from policycheck.frontends.interface import CloudFormationInputs, FrontendResult
from policycheck.model import Model

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


def load_cloudformation(
    template: Path, scan_root: Path, inputs: CloudFormationInputs
) -> FrontendResult:
    """Model one template. Never raises for bad input: problems become diagnostics."""
    from policycheck.frontends.cloudformation.conditions import Conditions
    from policycheck.frontends.cloudformation.declarations import (
        resource_declarations,
        section,
    )
    from policycheck.frontends.cloudformation.decode import decode_template
    from policycheck.frontends.cloudformation.intrinsics import Resolver
    from policycheck.frontends.cloudformation.parameters import resolve_parameters
    from policycheck.frontends.cloudformation.resources import build_model
    from policycheck.frontends.cloudformation.sink import DiagnosticSink

    unit = _relative(template, scan_root)
    sink = DiagnosticSink(unit)
    decoded = decode_template(template, sink)
    if decoded is None:
        return FrontendResult(model=Model(unit=unit), diagnostics=sink.items)
    if "Transform" in decoded:
        sink.notice(
            None,
            "template transforms (such as AWS::Serverless) are not applied; "
            "resources they would generate are not modelled",
        )
    parameters = resolve_parameters(section(decoded, "Parameters", sink), inputs.parameters, sink)
    declarations = resource_declarations(decoded, sink)
    resolver = Resolver(
        sink=sink,
        region=inputs.region,
        parameters=parameters,
        mappings=section(decoded, "Mappings", sink),
        resources={decl.logical_id: decl for decl in declarations},
        conditions=Conditions(section(decoded, "Conditions", sink), sink),
    )
    draft = build_model(declarations, resolver, unit, sink)
    return FrontendResult(model=draft.to_model(unit), diagnostics=sink.items)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
