"""IAM: policy documents parsed into statements, principals and their attachments."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from policycheck.model.base import ModelObject, Ref, SourceRef, Unknown


class PolicyCondition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    operator: str
    """e.g. ``StringEquals``, ``Bool``, ``IpAddress``."""
    key: str
    """e.g. ``aws:SecureTransport``."""
    values: list[str | Unknown]


class Statement(BaseModel):
    """One statement; lists are normalised (a single string becomes a one-item list)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sid: str | None = None
    effect: Literal["Allow", "Deny"] | Unknown
    actions: list[str | Unknown] = []
    not_actions: list[str | Unknown] = []
    resources: list[str | Unknown] = []
    not_resources: list[str | Unknown] = []
    principals: dict[str, list[str | Unknown]] = {}
    """Principal type (``AWS``, ``Service``, ``Federated``, ``*``) to identifiers."""
    not_principals: dict[str, list[str | Unknown]] = {}
    conditions: list[PolicyCondition] = []
    source: SourceRef | None = None


class PolicyDocument(BaseModel):
    """A parsed IAM policy (identity, resource or trust policy)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str | None = None
    statements: list[Statement] = []
    unknown: Unknown | None = None
    """Set when the document as a whole could not be read (a data source, an unresolved
    ``jsonencode``): the statements are then incomplete."""


class IamPolicy(ModelObject):
    """A customer-managed policy (``aws_iam_policy``, ``AWS::IAM::ManagedPolicy``)."""

    name: str | Unknown | None = None
    document: PolicyDocument


class IamRole(ModelObject):
    name: str | Unknown | None = None
    assume_role_policy: PolicyDocument | None = None
    inline_policies: list[PolicyDocument] = []
    managed_policies: list[Ref] = []
    """Model ids of IamPolicy objects, or AWS-managed policy ARNs as plain strings."""
    permissions_boundary: Ref | None = None


class IamUser(ModelObject):
    name: str | Unknown | None = None
    inline_policies: list[PolicyDocument] = []
    managed_policies: list[Ref] = []
    groups: list[Ref] = []


class IamGroup(ModelObject):
    name: str | Unknown | None = None
    inline_policies: list[PolicyDocument] = []
    managed_policies: list[Ref] = []


class IamPolicyAttachment(ModelObject):
    """A separate attachment resource; front-ends also merge it into the principal's
    ``managed_policies`` so rules can read either."""

    policy: Ref
    roles: list[Ref] = []
    users: list[Ref] = []
    groups: list[Ref] = []


class IamInstanceProfile(ModelObject):
    role: Ref | None = None


class PasswordPolicy(ModelObject):
    """The account password policy (``aws_iam_account_password_policy``)."""

    minimum_length: int | Unknown | None = None
    require_uppercase: bool | Unknown | None = None
    require_lowercase: bool | Unknown | None = None
    require_numbers: bool | Unknown | None = None
    require_symbols: bool | Unknown | None = None
    max_age_days: int | Unknown | None = None
    reuse_prevention: int | Unknown | None = None
    hard_expiry: bool | Unknown | None = None
