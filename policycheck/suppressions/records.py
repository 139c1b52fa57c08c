"""The suppression records every source is turned into, and what the stage reports."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from fnmatch import fnmatchcase

from pydantic import BaseModel, ConfigDict

from policycheck.findings import Finding
from policycheck.model.base import Suppression


class Origin(StrEnum):
    INLINE = "inline"
    """A ``# policycheck:ignore`` comment in a template."""
    METADATA = "metadata"
    """A CloudFormation ``Metadata: policycheck: ignore`` entry."""
    CONFIG = "config"
    """An entry of ``suppressions`` in the configuration file."""
    INTENT = "intended-exposure"
    """An ``intended_exposure`` declaration of the configuration file."""


class SuppressionRecord(BaseModel):
    """One suppression, whatever its source; JSON reports show it next to what it hid."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    origin: Origin
    reason: str | None = None
    file: str
    """Where it is written (template or configuration file), relative to the scan root."""
    line: int | None = None
    until: date | None = None
    """Last day it applies (inclusive)."""
    resource: str | None = None
    """Resource id or glob it is bound to (Metadata, configuration); None for comments."""
    file_glob: str | None = None
    """Configuration only: findings in files matching this glob."""
    target_line: int | None = None
    """Comments only: the annotated line in ``file``."""
    attached_to: str | None = None
    """Comments only: the resource declared on the annotated line, when there is one."""

    def expired(self, as_of: date) -> bool:
        return self.until is not None and self.until < as_of

    def matches(self, finding: Finding) -> bool:
        if finding.rule_id != self.rule_id:
            return False
        hops = finding.path or []
        if self.origin is Origin.INLINE:
            return (finding.file == self.file and finding.line == self.target_line) or any(
                hop.file == self.file and hop.line == self.target_line for hop in hops)
        if self.file_glob is not None and not fnmatchcase(finding.file, self.file_glob):
            return False
        if self.resource is None:
            return True
        if self.origin is Origin.METADATA:
            return finding.file == self.file and (
                finding.resource == self.resource
                or any(hop.resource == self.resource for hop in hops))
        return fnmatchcase(finding.resource, self.resource) or any(
            fnmatchcase(hop.resource, self.resource) for hop in hops)

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def identity(self) -> tuple[str, ...]:
        """What names this suppression across runs (no line numbers)."""
        return (self.origin.value, self.rule_id, self.file, self.resource or "",
                self.file_glob or "", self.attached_to or "")


def from_model(suppression: Suppression) -> SuppressionRecord:
    """A front-end's (or the comment collector's) record in the stage's vocabulary."""
    origin = Origin.METADATA if suppression.applies_to is not None else Origin.INLINE
    return SuppressionRecord(
        rule_id=suppression.rule_id, origin=origin, reason=suppression.reason,
        file=suppression.file, line=suppression.line, until=suppression.until,
        resource=suppression.applies_to, target_line=suppression.target_line)


class SuppressedFinding(BaseModel):
    """A finding a suppression hid: kept, reported apart, never silently dropped."""

    model_config = ConfigDict(frozen=True)

    finding: Finding
    suppression: SuppressionRecord


class Problem(StrEnum):
    """What is wrong with a suppression; each is a rule of the policycheck-meta package."""

    NO_REASON = "PC001"
    UNKNOWN_RULE = "PC002"
    UNUSED = "PC003"
    EXPIRED = "PC004"


class SuppressionProblem(BaseModel):
    model_config = ConfigDict(frozen=True)

    problem: Problem
    suppression: SuppressionRecord
