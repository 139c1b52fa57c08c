"""The policycheck-meta package: findings about suppressions themselves.

A check over one unit's model cannot see other rules' findings, so the suppression stage
(``policycheck.suppressions``) does the judging and records ``SuppressionProblem``s; the
scan pipeline then runs these checks once, with the problems in ``ctx.shared`` under
``AUDIT_KEY``. The checks only turn the recorded problems of their rule into findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding, fingerprint
from policycheck.suppressions.records import Problem, SuppressionProblem, SuppressionRecord

PACKAGE = "policycheck-meta"
AUDIT_KEY = "policycheck-meta.problems"


def _subject(record: SuppressionRecord) -> str:
    what = record.attached_to or record.resource
    target = f" for {what}" if what else ""
    return f"the {record.origin.value} suppression of {record.rule_id}{target}"


def _message(problem: SuppressionProblem, as_of: str) -> str:
    record = problem.suppression
    subject = _subject(record)
    subject = subject[0].upper() + subject[1:]
    match problem.problem:
        case Problem.NO_REASON:
            return f"{subject} gives no reason; say why the finding is accepted."
        case Problem.UNKNOWN_RULE:
            return (f"{subject} names a rule that does not exist, so it suppresses "
                    f"nothing; check the id with `policycheck rules list`.")
        case Problem.UNUSED:
            return f"{subject} matches no finding; remove it or fix what it points at."
        case Problem.EXPIRED:
            return (f"{subject} expired on {record.until} (assessed as of {as_of}); "
                    f"the findings it hid are reported again.")


def _findings(ctx: CheckContext) -> Iterator[Finding]:
    problems: list[SuppressionProblem] = ctx.shared.get(AUDIT_KEY, [])
    as_of = str(ctx.shared.get(f"{AUDIT_KEY}.as_of", "today"))
    for problem in problems:
        if problem.problem.value != ctx.rule.id:
            continue
        record = problem.suppression
        yield Finding(
            rule_id=ctx.rule.id, package=ctx.rule.package, severity=ctx.rule.severity,
            title=ctx.rule.title, message=_message(problem, as_of),
            resource=record.attached_to or record.resource or record.where(),
            resource_type="Suppression", file=record.file, line=record.line or 1,
            remediation=ctx.rule.docs.remediation.strip(), frameworks=ctx.rule.frameworks,
            fingerprint=fingerprint(ctx.rule.id, *record.identity()),
        )


def suppression_without_reason(ctx: CheckContext) -> Iterable[Finding]:
    return _findings(ctx)


def suppression_unknown_rule(ctx: CheckContext) -> Iterable[Finding]:
    return _findings(ctx)


def suppression_unused(ctx: CheckContext) -> Iterable[Finding]:
    return _findings(ctx)


def suppression_expired(ctx: CheckContext) -> Iterable[Finding]:
    return _findings(ctx)
