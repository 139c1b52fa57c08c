"""The suppression stage: after the checks, before the reports (DESIGN §1, §4).

Suppressions hide findings but never drop them: each hidden finding is kept with the
suppression that hid it. Suppressions that are themselves wrong — no reason, an unknown
rule, expired, or matching nothing — are recorded as problems, which the
``policycheck-meta`` rules turn into findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from datetime import date

from policycheck.findings import Finding
from policycheck.model import Model
from policycheck.suppressions.records import (
    Problem,
    SuppressedFinding,
    SuppressionProblem,
    SuppressionRecord,
)


@dataclass
class Outcome:
    """The findings of one application of the stage."""

    kept: list[Finding] = field(default_factory=list)
    suppressed: list[SuppressedFinding] = field(default_factory=list)
    used: set[SuppressionRecord] = field(default_factory=set)


def static_problems(records: Iterable[SuppressionRecord], known_rules: Set[str],
                    as_of: date) -> list[SuppressionProblem]:
    """What is wrong with suppressions regardless of the findings: no reason, unknown
    rule, expired."""
    problems: list[SuppressionProblem] = []
    for record in records:
        if not record.reason:
            problems.append(SuppressionProblem(problem=Problem.NO_REASON, suppression=record))
        if record.rule_id not in known_rules:
            problems.append(SuppressionProblem(problem=Problem.UNKNOWN_RULE,
                                               suppression=record))
        elif record.expired(as_of):
            problems.append(SuppressionProblem(problem=Problem.EXPIRED, suppression=record))
    return problems


def active(records: Iterable[SuppressionRecord], known_rules: Set[str],
           as_of: date) -> list[SuppressionRecord]:
    """The suppressions that take effect: known rule, not expired. A missing reason is
    reported but does not disable the suppression (the author's intent is clear)."""
    return [r for r in records if r.rule_id in known_rules and not r.expired(as_of)]


def apply(findings: Iterable[Finding], records: Iterable[SuppressionRecord]) -> Outcome:
    """Split findings into kept and suppressed; the first matching suppression (in the
    order given: the unit's own before the configuration's) is the one recorded, but
    every matching suppression counts as used."""
    records = list(records)
    outcome = Outcome()
    for finding in findings:
        matching = [r for r in records if r.matches(finding)]
        if matching:
            outcome.suppressed.append(SuppressedFinding(finding=finding,
                                                        suppression=matching[0]))
            outcome.used.update(matching)
        else:
            outcome.kept.append(finding)
    return outcome


def unused(records: Iterable[SuppressionRecord], used: Set[SuppressionRecord],
           evaluated_rules: Set[str]) -> list[SuppressionProblem]:
    """Active suppressions of a rule that ran and matched none of its findings (a
    suppression of a rule that did not run, e.g. skipped, cannot be judged)."""
    return [SuppressionProblem(problem=Problem.UNUSED, suppression=r) for r in records
            if r not in used and r.rule_id in evaluated_rules]


def attach(records: Iterable[SuppressionRecord], model: Model) -> list[SuppressionRecord]:
    """Name the resource declared on each comment's annotated line, for messages and
    stable fingerprints of the meta findings."""
    declared = {(obj.source.file, obj.source.line): obj.id for obj in model.objects()}
    result = []
    for record in records:
        if record.target_line is not None and record.attached_to is None:
            address = declared.get((record.file, record.target_line))
            if address is not None:
                record = record.model_copy(update={"attached_to": address})
        result.append(record)
    return result
