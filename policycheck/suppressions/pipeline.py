"""The findings stage of one scan, unit after unit: severity overrides, suppressions,
baseline, and the audit the policycheck-meta rules report.

``scan`` feeds it each unit's findings; configuration suppressions span units, so their
"unused" verdict is only known at the end (``finish``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date

from policycheck.checks.stale_intent import tag_intents
from policycheck.config import IntendedExposure
from policycheck.findings import Finding, Severity
from policycheck.model import Model
from policycheck.rules.catalogue import RuleMeta
from policycheck.suppressions import stage
from policycheck.suppressions.intent import apply_intents
from policycheck.suppressions.records import (
    Problem,
    SuppressedFinding,
    SuppressionProblem,
    SuppressionRecord,
)

META_PACKAGE = "policycheck-meta"


@dataclass
class FindingsStage:
    """Accumulates what the reports show, across the units of one scan."""

    catalogue: Mapping[str, RuleMeta]
    config_suppressions: tuple[SuppressionRecord, ...]
    as_of: date
    skip_rules: Set[str]
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)
    intents: Sequence[IntendedExposure] = ()
    kept: list[Finding] = field(default_factory=list)
    suppressed: list[SuppressedFinding] = field(default_factory=list)
    problems: list[SuppressionProblem] = field(default_factory=list)
    _config_used: set[SuppressionRecord] = field(default_factory=set)
    _evaluated: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.problems += stage.static_problems(self.config_suppressions, self.catalogue.keys(),
                                               self.as_of)

    def rules_for_unit(self, selected: list[RuleMeta],
                       unit_suppressions: Iterable[SuppressionRecord]) -> list[RuleMeta]:
        """The selected rules, plus — when unused suppressions are reported — the rules
        suppressions name, so that "matches nothing" is judged on real findings."""
        rules = [r for r in selected if r.package != META_PACKAGE]
        if not any(r.id == Problem.UNUSED.value for r in selected):
            return rules
        have = {r.id for r in rules}
        for record in (*unit_suppressions, *self.config_suppressions):
            rule = self.catalogue.get(record.rule_id)
            if (rule is not None and rule.id not in have and rule.id not in self.skip_rules
                    and rule.package != META_PACKAGE):
                rules.append(rule)
                have.add(rule.id)
        return rules

    def _override(self, finding: Finding) -> Finding:
        severity = self.severity_overrides.get(finding.rule_id)
        if severity is None or severity is finding.severity:
            return finding
        return finding.model_copy(update={"severity": severity})

    def add_unit(self, model: Model, findings: Iterable[Finding],
                 unit_suppressions: Iterable[SuppressionRecord],
                 evaluated: Iterable[RuleMeta], reported: Set[str]) -> None:
        """One unit's findings (of the ``evaluated`` rules; only ``reported`` rule ids
        reach the reports) and the suppressions written in its files."""
        own = stage.attach(unit_suppressions, model)
        evaluated_ids = {r.id for r in evaluated}
        self._evaluated |= evaluated_ids
        known = self.catalogue.keys()
        self.problems += stage.static_problems(own, known, self.as_of)
        records = stage.active(own, known, self.as_of) + stage.active(
            self.config_suppressions, known, self.as_of)
        open_findings, intended = apply_intents(
            (self._override(f) for f in findings), (*self.intents, *tag_intents(model)), model)
        self.suppressed += [s for s in intended if s.finding.rule_id in reported]
        outcome = stage.apply(open_findings, records)
        self.kept += [f for f in outcome.kept if f.rule_id in reported]
        self.suppressed += [s for s in outcome.suppressed if s.finding.rule_id in reported]
        self.problems += stage.unused(stage.active(own, known, self.as_of), outcome.used,
                                      evaluated_ids)
        self._config_used |= outcome.used

    def finish(self, reported: Set[str]) -> list[SuppressionProblem]:
        """Every problem found, including unused configuration suppressions, restricted
        to the meta rules that are ``reported``."""
        active = stage.active(self.config_suppressions, self.catalogue.keys(), self.as_of)
        problems = self.problems + stage.unused(active, self._config_used, self._evaluated)
        unique = {(p.problem, p.suppression): p for p in problems}
        return [p for p in unique.values() if p.problem.value in reported]

    def meta_findings(self, findings: Iterable[Finding]) -> None:
        self.kept += (self._override(f) for f in findings)


def split_baselined(findings: list[Finding], baseline: Set[str] | None
                    ) -> tuple[list[Finding], list[Finding]]:
    """(new findings, findings already in the baseline)."""
    if baseline is None:
        return findings, []
    return ([f for f in findings if f.fingerprint not in baseline],
            [f for f in findings if f.fingerprint in baseline])
