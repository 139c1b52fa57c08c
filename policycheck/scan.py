"""The pipeline: discover units, build their models, analyse, run the checks.

This is the one library entry point the CLI calls; each stage keeps its typed boundary
(DESIGN §1) and never reaches back into an earlier one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from policycheck.checks.engine import run_checks
from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.discover import Unit, UnitKind, discover, scan_root
from policycheck.findings import Finding, sort_findings
from policycheck.frontends.interface import (
    CloudFormationInputs,
    FrontendResult,
    TerraformInputs,
)
from policycheck.hostconfig.listeners import declared_listeners
from policycheck.model import Model
from policycheck.reachability import ReachabilityOptions, analyse
from policycheck.reachability.result import ReachabilityResult
from policycheck.rules.catalogue import RuleMeta, load_catalogue


@dataclass(frozen=True)
class ScanOptions:
    terraform: TerraformInputs = field(default_factory=TerraformInputs)
    cloudformation: CloudFormationInputs = field(default_factory=CloudFormationInputs)
    packages: tuple[str, ...] = ()
    """Only rules of these packages (all when empty)."""
    rules: tuple[str, ...] = ()
    """Only these rule ids (all when empty)."""
    skip_rules: tuple[str, ...] = ()
    reachability: ReachabilityOptions = field(default_factory=ReachabilityOptions)


class AssessedUnit(BaseModel):
    """One unit's model and analysis, kept for the ``model`` command and reports."""

    model_config = ConfigDict(frozen=True)

    model: Model
    reachability: ReachabilityResult


class ScanResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    root: str
    units: list[AssessedUnit]
    findings: list[Finding]
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is DiagnosticLevel.ERROR]


def selected_rules(options: ScanOptions) -> list[RuleMeta]:
    rules = []
    for rule in load_catalogue().values():
        if options.packages and rule.package not in options.packages:
            continue
        if options.rules and rule.id not in options.rules:
            continue
        if rule.id in options.skip_rules:
            continue
        rules.append(rule)
    return rules


def _load_unit(unit: Unit, root: Path, options: ScanOptions) -> FrontendResult:
    if unit.kind is UnitKind.TERRAFORM:
        from policycheck.frontends.terraform import load_terraform

        return load_terraform(unit.path, root, options.terraform)
    from policycheck.frontends.cloudformation import load_cloudformation

    return load_cloudformation(unit.path, root, options.cloudformation)


def _listener_notices(model: Model) -> Iterator[Diagnostic]:
    for obj in model.objects():
        declared = declared_listeners(obj.tags)
        for problem in declared.problems if declared else ():
            yield Diagnostic(level=DiagnosticLevel.NOTICE, file=obj.source.file,
                             line=obj.source.line, message=f"{obj.id}: {problem}")


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix() or "."
    except ValueError:
        return path.as_posix()


def scan(paths: list[Path], options: ScanOptions | None = None) -> ScanResult:
    """Assess every unit under ``paths``; input problems become diagnostics, never raise."""
    options = options or ScanOptions()
    root = scan_root(paths)
    diagnostics: list[Diagnostic] = []
    existing = []
    for path in paths:
        if path.exists():
            existing.append(path)
        else:
            diagnostics.append(Diagnostic(level=DiagnosticLevel.ERROR, file=path.as_posix(),
                                          message="no such file or folder"))
    rules = selected_rules(options)
    units: list[AssessedUnit] = []
    findings: list[Finding] = []
    for unit in discover(existing):
        try:
            loaded = _load_unit(unit, root, options)
            reachability = analyse(loaded.model, options.reachability)
            findings.extend(run_checks(loaded.model, reachability, rules))
        except Exception as exc:  # a bug must not hide the other units' findings
            diagnostics.append(Diagnostic(
                level=DiagnosticLevel.ERROR, file=_relative(unit.path, root),
                message=f"internal error while assessing this unit: "
                        f"{type(exc).__name__}: {exc}"))
            continue
        diagnostics.extend(loaded.diagnostics)
        diagnostics.extend(_listener_notices(loaded.model))
        units.append(AssessedUnit(model=loaded.model, reachability=reachability))
    if existing and not units and not diagnostics:
        diagnostics.append(Diagnostic(
            level=DiagnosticLevel.NOTICE, file=".",
            message="no Terraform root module or CloudFormation template found"))
    return ScanResult(
        root=root.as_posix(), units=units, findings=sort_findings(findings),
        diagnostics=sorted(set(diagnostics), key=Diagnostic.sort_key),
    )
