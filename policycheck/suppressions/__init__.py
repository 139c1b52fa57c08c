"""Suppressions: inline comments, CloudFormation Metadata and configuration entries,
applied at the findings stage (after the checks, before the reports)."""

from policycheck.suppressions.records import (
    Origin,
    Problem,
    SuppressedFinding,
    SuppressionProblem,
    SuppressionRecord,
)

__all__ = ["Origin", "Problem", "SuppressedFinding", "SuppressionProblem",
           "SuppressionRecord"]
