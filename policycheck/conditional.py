"""Findings of a unit assessed under several assignments of its open conditions.

A CloudFormation condition that compares a value known only at deploy (a parameter
without a value, an SSM parameter) is assessed both ways: the front-end builds one
model per assignment (``FrontendResult.variants``) and each is analysed. A finding
present under every assignment is reported as is; one present under only some says
which: ``if condition AllowSsh is true`` is added to its message and assumptions, and
to its fingerprint, so accepting it in a baseline does not accept the other branch.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from policycheck.findings import Finding, fingerprint

Assignment = dict[str, bool]


def conditional_findings(variants: Sequence[tuple[Assignment, list[Finding]]]) -> list[Finding]:
    """The findings of all variants, each once, conditional ones saying on what."""
    first_seen: dict[str, Finding] = {}
    where: dict[str, set[int]] = {}
    for index, (_, findings) in enumerate(variants):
        for finding in findings:
            key = finding.model_dump_json()
            first_seen.setdefault(key, finding)
            where.setdefault(key, set()).add(index)
    assignments = [assignment for assignment, _ in variants]
    merged: list[Finding] = []
    for key, finding in first_seen.items():
        present = where[key]
        if len(present) == len(variants):
            merged.append(finding)
            continue
        merged.append(_conditional(finding, describe(assignments, present)))
    return merged


def describe(assignments: Sequence[Assignment], present: set[int]) -> str:
    """The simplest statement true exactly of the assignments in ``present``: one
    condition, two conditions together, else every assignment spelled out."""
    names = sorted({name for assignment in assignments for name in assignment})
    literals = [(name, value) for name in names for value in (True, False)]
    for size in (1, 2):
        for chosen in combinations(literals, size):
            matching = {i for i, assignment in enumerate(assignments)
                        if all(assignment.get(name) == value for name, value in chosen)}
            if matching == present:
                return "if " + " and ".join(_literal(name, value) for name, value in chosen)
    cases = [" and ".join(_literal(name, value) for name, value in sorted(assignments[i].items()))
             for i in sorted(present)]
    return "if " + " or ".join(f"({case})" for case in cases)


def _literal(name: str, value: bool) -> str:
    return f"condition {name} is {'true' if value else 'false'}"


def _conditional(finding: Finding, condition: str) -> Finding:
    return finding.model_copy(update={
        "message": f"{finding.message} Only {condition}.",
        "assumptions": [*(finding.assumptions or []), condition],
        "fingerprint": fingerprint(finding.rule_id, finding.resource, finding.fingerprint,
                                   condition),
    })
