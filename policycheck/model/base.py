"""Building blocks shared by every model object: source references and unknowns."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict


class SourceRef(BaseModel):
    """Where a model object was declared, so every finding points at the line to fix."""

    model_config = ConfigDict(frozen=True)

    file: str
    """Path relative to the scanned folder."""
    line: int
    """1-based line of the declaration (the resource block, rule block or attribute)."""
    address: str
    """Terraform address (``module.net.aws_subnet.public[0]``) or CloudFormation logical id."""
    resource_type: str
    """Native type: ``aws_subnet`` or ``AWS::EC2::Subnet``."""


class Unknown(BaseModel):
    """A value that cannot be known before deploy, with the reason.

    Analyses treat an Unknown permissively (it may allow traffic) and name it in the
    finding, so a conditional result is never presented as certain.
    """

    model_config = ConfigDict(frozen=True)

    unknown: Literal[True] = True
    reason: str
    """Human-readable cause, e.g. ``var.admin_cidr has no value``."""

    def __str__(self) -> str:
        return f"unknown ({self.reason})"


def is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)


class ModelObject(BaseModel):
    """Base of every modelled resource."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    """Unique id within one model: the address (Terraform) or logical id (CloudFormation).
    References between objects use these ids."""
    source: SourceRef
    tags: dict[str, str] = {}
    """Resource tags with known values."""

    @property
    def kind(self) -> str:
        return type(self).__name__


Ref = str | Unknown
"""A reference to another model object by id, or Unknown when it cannot be resolved
(a data source, an id of a resource outside the configuration, an unset variable)."""


class Suppression(BaseModel):
    """A suppression written in the template itself (an HCL ``# policycheck:ignore`` comment,
    a CloudFormation ``Metadata: policycheck: ignore`` entry)."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    reason: str | None = None
    """None when the author gave no reason (reported as a finding of its own)."""
    file: str
    line: int
    """The line the suppression is written on."""
    applies_to: str | None = None
    """The resource id it is attached to (CloudFormation Metadata), or None for a comment
    that applies to the finding or path hop on the same or next line."""
    target_line: int | None = None
    """For a comment: the code line it annotates (its own line, or the first code line
    below a block of comment lines); findings and path hops on that line match."""
    until: date | None = None
    """Expiry: from this date on the suppression no longer applies (and is reported)."""
