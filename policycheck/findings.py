"""Findings: the immutable records every analysis produces and every report renders."""

from __future__ import annotations

import hashlib
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    CRITICAL = "CRITICAL"
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"
    INFORMATIONAL = "INFORMATIONAL"

    @property
    def rank(self) -> int:
        """0 for CRITICAL up to 4 for INFORMATIONAL: sorts most severe first."""
        return list(Severity).index(self)

    def at_least(self, threshold: Severity) -> bool:
        return self.rank <= threshold.rank

    def lowered(self, steps: int) -> Severity:
        """This severity ``steps`` levels lower, never below LOW (INFORMATIONAL stays)."""
        if self is Severity.INFORMATIONAL:
            return self
        members = list(Severity)
        return members[min(self.rank + steps, Severity.LOW.rank)]


class PathHop(BaseModel):
    """One hop of a reachability path as reported: what it is and what let traffic through."""

    model_config = ConfigDict(frozen=True)

    type: str
    resource: str
    detail: str
    file: str | None = None
    line: int | None = None


class Finding(BaseModel):
    """One finding. JSON field names are a contract: change them only additively."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    package: str
    severity: Severity
    title: str
    message: str
    resource: str
    resource_type: str
    file: str
    line: int
    remediation: str
    frameworks: dict[str, list[str]] = {}
    fingerprint: str
    # Reachability findings only.
    finding_type: str | None = None
    path_kind: str | None = None
    protocol: str | None = None
    ports: list[tuple[int, int]] | None = None
    sources: list[str] | None = None
    path: list[PathHop] | None = None
    assumptions: list[str] | None = None

    def sort_key(self) -> tuple[int, str, int, str, str, str, tuple[int, int], str]:
        first_port = self.ports[0] if self.ports else (-1, -1)
        return (self.severity.rank, self.file, self.line, self.rule_id, self.resource,
                self.protocol or "", first_port, self.fingerprint)


def fingerprint(rule_id: str, resource: str, *details: str) -> str:
    """Stable identity of a finding: rule, resource address and discriminating detail.

    Line numbers and messages are deliberately left out so that unrelated edits do not
    change it (baselines match on it).
    """
    text = "\x1f".join((rule_id, resource, *details))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then by file and line (the order every report uses)."""
    return sorted(findings, key=Finding.sort_key)
