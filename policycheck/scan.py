"""The pipeline: discover units, build their models, analyse, run the checks.

This is the one library entry point the CLI calls; each stage keeps its typed boundary
(DESIGN §1) and never reaches back into an earlier one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from policycheck.checks.cve_data import AS_OF_KEY
from policycheck.checks.engine import run_checks
from policycheck.checks.policycheck_meta import AUDIT_KEY
from policycheck.conditional import conditional_findings
from policycheck.config import IntendedExposure
from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.discover import Unit, UnitKind, discover, scan_root
from policycheck.findings import Finding, Severity, sort_findings
from policycheck.frontends.interface import (
    CloudFormationInputs,
    FrontendResult,
    TerraformInputs,
)
from policycheck.hostconfig.listeners import declared_listeners
from policycheck.limits import Limits, UnitTimeout, deadline
from policycheck.model import Model
from policycheck.parallel import UnitBuilder, assess_units, cache_inputs
from policycheck.reachability import ReachabilityOptions, analyse
from policycheck.reachability.result import ReachabilityResult
from policycheck.rules.catalogue import RuleMeta, load_catalogue
from policycheck.rules.custom import CustomPolicies, load_custom_policies, run_custom_rules
from policycheck.suppressions.comments import collect_inline
from policycheck.suppressions.pipeline import META_PACKAGE, FindingsStage, split_baselined
from policycheck.suppressions.records import (
    SuppressedFinding,
    SuppressionRecord,
    from_model,
)


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
    suppressions: tuple[SuppressionRecord, ...] = ()
    """Suppressions of the configuration file (the units' own are read from their files)."""
    as_of: date | None = None
    """The day expiry dates are compared with (today when None)."""
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)
    rule_parameters: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Rule id -> parameter values overriding the rule.yaml defaults."""
    baseline: frozenset[str] | None = None
    """Fingerprints of accepted findings: matching findings go to ``baselined``."""
    root: Path | None = None
    """Report paths relative to this folder (default: the scanned folders' common parent)."""
    intended_exposure: tuple[IntendedExposure, ...] = ()
    """Exposure declared by design: covered reachability findings become suppressed."""
    custom_policies: tuple[Path, ...] = ()
    """Folders of custom JMESPath policies (``--policies``), run like bundled rules."""
    jobs: int = 1
    """Worker processes building the units' models (``--jobs``; the CLI's default is the
    core count)."""
    cache_dir: Path | None = None
    """Parse cache folder (None: no cache; the CLI's default is the user cache folder)."""
    limits: Limits = field(default_factory=Limits)
    """Per-file size and depth, per-unit time (``policycheck.limits``)."""


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
    suppressed: list[SuppressedFinding] = []
    """Findings a suppression hid, each with the suppression (never silently dropped)."""
    baselined: list[Finding] = []
    """Findings whose fingerprint is in the ``--baseline`` file (not failing the run)."""

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is DiagnosticLevel.ERROR]


def selected_rules(options: ScanOptions,
                   custom: Mapping[str, RuleMeta] | None = None) -> list[RuleMeta]:
    rules = []
    for rule in [*load_catalogue().values(), *(custom or {}).values()]:
        # The meta rules judge the run's own suppressions: on whatever packages run.
        if (options.packages and rule.package not in options.packages
                and rule.package != META_PACKAGE):
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
    if unit.kind is UnitKind.TERRAFORM_PLAN:
        from policycheck.frontends.terraform.plan import load_plan

        return load_plan(unit.path, root)
    from policycheck.frontends.cloudformation import load_cloudformation

    return load_cloudformation(unit.path, root, options.cloudformation)


def _unit_files(unit: Unit, model: Model, root: Path) -> list[Path]:
    """The files whose comments may suppress this unit's findings."""
    if unit.kind is UnitKind.CLOUDFORMATION:
        return [unit.path]
    own = [*unit.path.glob("*.tf"), *unit.path.glob("*.tfvars")]
    return own + [root / name for name in {obj.source.file for obj in model.objects()}]


def _unit_suppressions(unit: Unit, model: Model, root: Path
                       ) -> tuple[list[SuppressionRecord], list[Diagnostic]]:
    comments, problems = collect_inline(_unit_files(unit, model, root), root)
    records = [from_model(s) for s in (*comments, *model.suppressions)]
    return list(dict.fromkeys(records)), problems


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


def _run_rules(model: Model, reachability: ReachabilityResult, rules: list[RuleMeta],
               options: ScanOptions, custom: CustomPolicies,
               problems: list[Diagnostic]) -> list[Finding]:
    """Bundled checks through the engine, custom JMESPath policies beside them."""
    # The assessment date decides which end-of-life dates have passed (package cve).
    found = run_checks(model, reachability, [r for r in rules if r.id not in custom.rules],
                       options.rule_parameters,
                       shared={AS_OF_KEY: options.as_of or date.today()})
    extra, errors = run_custom_rules(model, reachability, rules, custom)
    problems.extend(errors)
    return found + extra


@dataclass
class _UnitOutcome:
    """One unit built and assessed (in a worker process): what the scan adds up."""

    loaded: FrontendResult
    reachability: ReachabilityResult = field(default_factory=ReachabilityResult)
    own: list[SuppressionRecord] = field(default_factory=list)
    evaluated: list[RuleMeta] = field(default_factory=list)
    found: list[Finding] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    """Diagnostics of the unit's suppression comments."""
    rule_errors: list[Diagnostic] = field(default_factory=list)
    """Diagnostics of custom policies (reported even when the unit then fails)."""
    error: Diagnostic | None = None
    """Set when the analysis did not complete: the unit is then left out."""


@dataclass(frozen=True)
class _Assess:
    """Reachability analysis and rules of one built unit; picklable for spawned workers."""

    root: Path
    options: ScanOptions
    custom: CustomPolicies
    stage: FindingsStage
    rules: list[RuleMeta]

    def __call__(self, unit: Unit, loaded: FrontendResult) -> _UnitOutcome:
        options, custom, outcome = self.options, self.custom, _UnitOutcome(loaded)
        try:
            with deadline(options.limits.unit_seconds):
                outcome.reachability = analyse(loaded.model, options.reachability)
                outcome.own, outcome.problems = _unit_suppressions(unit, loaded.model,
                                                                   self.root)
                evaluated = outcome.evaluated = self.stage.rules_for_unit(self.rules,
                                                                          outcome.own)
                found = _run_rules(loaded.model, outcome.reachability, evaluated, options,
                                   custom, outcome.rule_errors)
                if loaded.variants:  # conditions on deploy-time values: every branch
                    found = conditional_findings([
                        (variant.conditions,
                         _run_rules(variant.model, analyse(variant.model, options.reachability),
                                    evaluated, options, custom, outcome.rule_errors))
                        for variant in loaded.variants])
                outcome.found = found
        except UnitTimeout as exc:
            outcome.error = Diagnostic(level=DiagnosticLevel.ERROR,
                                       file=_relative(unit.path, self.root),
                                       message=f"analysis not completed: {exc}")
        except Exception as exc:  # a bug must not hide the other units' findings
            outcome.error = Diagnostic(
                level=DiagnosticLevel.ERROR, file=_relative(unit.path, self.root),
                message=f"internal error while assessing this unit: "
                        f"{type(exc).__name__}: {exc}")
        return outcome


def scan(paths: list[Path], options: ScanOptions | None = None) -> ScanResult:
    """Assess every unit under ``paths``; input problems become diagnostics, never raise."""
    options = options or ScanOptions()
    root = (options.root or scan_root(paths)).resolve()
    diagnostics: list[Diagnostic] = []
    existing = []
    for path in paths:
        if path.exists():
            existing.append(path)
        else:
            diagnostics.append(Diagnostic(level=DiagnosticLevel.ERROR, file=path.as_posix(),
                                          message="no such file or folder"))
    custom = load_custom_policies(options.custom_policies, reserved=load_catalogue())
    diagnostics.extend(custom.diagnostics)
    rules = selected_rules(options, custom.catalogue)
    reported = {rule.id for rule in rules}
    catalogue = {**load_catalogue(), **custom.catalogue}
    stage = FindingsStage(catalogue=catalogue, config_suppressions=options.suppressions,
                          as_of=options.as_of or date.today(),
                          skip_rules=set(options.skip_rules),
                          severity_overrides=options.severity_overrides,
                          intents=options.intended_exposure)
    units: list[AssessedUnit] = []
    found_units = discover(existing)
    builder = UnitBuilder(partial(_load_unit, root=root, options=options), root,
                          cache_inputs(options.terraform, options.cloudformation,
                                       options.limits), options.limits, options.cache_dir)
    assess = _Assess(root, options, custom, stage, rules)
    # Building, analysis and rules run per unit in the workers; the findings are added up
    # here in discovery order, so the output never depends on ``--jobs``.
    for unit, outcome in zip(found_units,
                             assess_units(found_units, builder, options.jobs, assess),
                             strict=True):
        loaded = outcome.loaded
        diagnostics.extend(outcome.rule_errors)
        if outcome.error is not None:
            diagnostics.append(outcome.error)
            continue
        try:
            stage.add_unit(loaded.model, outcome.found, outcome.own, outcome.evaluated,
                           reported)
        except Exception as exc:  # a bug must not hide the other units' findings
            diagnostics.append(Diagnostic(
                level=DiagnosticLevel.ERROR, file=_relative(unit.path, root),
                message=f"internal error while assessing this unit: "
                        f"{type(exc).__name__}: {exc}"))
            continue
        diagnostics.extend(outcome.problems)
        diagnostics.extend(loaded.diagnostics)
        diagnostics.extend(_listener_notices(loaded.model))
        units.append(AssessedUnit(model=loaded.model, reachability=outcome.reachability))
    # Files given (pre-commit) that are not infrastructure code are ignored quietly.
    if any(p.is_dir() for p in existing) and not units and not diagnostics:
        diagnostics.append(Diagnostic(
            level=DiagnosticLevel.NOTICE, file=".",
            message="no Terraform root module or CloudFormation template found"))
    meta = [rule for rule in rules if rule.package == META_PACKAGE]
    if meta:
        audit = {AUDIT_KEY: stage.finish(reported), f"{AUDIT_KEY}.as_of": stage.as_of}
        stage.meta_findings(run_checks(Model(unit="."), ReachabilityResult(), meta,
                                       options.rule_parameters, shared=audit))
    findings, baselined = split_baselined(sort_findings(stage.kept), options.baseline)
    return ScanResult(
        root=root.as_posix(), units=units, findings=findings,
        diagnostics=sorted(set(diagnostics), key=Diagnostic.sort_key),
        suppressed=sorted(stage.suppressed, key=lambda s: s.finding.sort_key()),
        baselined=baselined,
    )
