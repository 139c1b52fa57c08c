"""Data stores: RDS, ElastiCache, Redshift, OpenSearch, EFS and S3."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from policycheck.model.base import ModelObject, Ref, Unknown
from policycheck.model.iam import PolicyDocument


class DbSubnetGroup(ModelObject):
    """An RDS, ElastiCache or Redshift subnet group."""

    subnets: list[Ref] = []


class DbInstance(ModelObject):
    """An RDS DB instance (a cluster member when ``cluster`` is set)."""

    engine: str | Unknown | None = None
    engine_version: str | Unknown | None = None
    cluster: Ref | None = None
    publicly_accessible: bool | Unknown = False
    subnet_group: Ref | None = None
    """None means the default VPC's default subnets."""
    security_groups: list[Ref] = []
    port: int | Unknown | None = None
    storage_encrypted: bool | Unknown | None = None
    kms_key: Ref | None = None
    multi_az: bool | Unknown | None = None
    auto_minor_version_upgrade: bool | Unknown | None = None
    iam_database_authentication: bool | Unknown | None = None
    backup_retention_days: int | Unknown | None = None
    deletion_protection: bool | Unknown | None = None


class DbCluster(ModelObject):
    engine: str | Unknown | None = None
    engine_version: str | Unknown | None = None
    subnet_group: Ref | None = None
    security_groups: list[Ref] = []
    port: int | Unknown | None = None
    storage_encrypted: bool | Unknown | None = None
    kms_key: Ref | None = None
    iam_database_authentication: bool | Unknown | None = None
    backup_retention_days: int | Unknown | None = None
    deletion_protection: bool | Unknown | None = None


class CacheCluster(ModelObject):
    """An ElastiCache cluster or replication group."""

    engine: str | Unknown | None = None
    engine_version: str | Unknown | None = None
    subnet_group: Ref | None = None
    security_groups: list[Ref] = []
    port: int | Unknown | None = None
    at_rest_encryption: bool | Unknown | None = None
    transit_encryption: bool | Unknown | None = None
    auth_token_set: bool | Unknown | None = None


class RedshiftCluster(ModelObject):
    publicly_accessible: bool | Unknown = True
    encrypted: bool | Unknown | None = None
    subnet_group: Ref | None = None
    security_groups: list[Ref] = []
    port: int | Unknown | None = None
    logging_enabled: bool | Unknown | None = None


class OpenSearchDomain(ModelObject):
    """An OpenSearch or Elasticsearch domain; outside a VPC when ``subnets`` is empty."""

    engine_version: str | Unknown | None = None
    subnets: list[Ref] = []
    security_groups: list[Ref] = []
    encrypt_at_rest: bool | Unknown | None = None
    node_to_node_encryption: bool | Unknown | None = None
    enforce_https: bool | Unknown | None = None
    tls_security_policy: str | Unknown | None = None
    access_policy: PolicyDocument | None = None


class EfsFileSystem(ModelObject):
    encrypted: bool | Unknown | None = None
    kms_key: Ref | None = None


class PublicAccessBlock(BaseModel):
    """S3 Block Public Access settings (bucket or account level)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    block_public_acls: bool | Unknown = False
    block_public_policy: bool | Unknown = False
    ignore_public_acls: bool | Unknown = False
    restrict_public_buckets: bool | Unknown = False


class S3Bucket(ModelObject):
    """A bucket with its configuration, whether inline or in separate resources."""

    bucket_name: str | Unknown | None = None
    acl: str | Unknown | None = None
    versioning_enabled: bool | Unknown | None = None
    mfa_delete: bool | Unknown | None = None
    encryption_algorithm: str | Unknown | None = None
    """``AES256``, ``aws:kms``, ``aws:kms:dsse``; None when not declared (S3 encrypts
    with SSE-S3 by default since 2023)."""
    kms_key: Ref | None = None
    logging_target: Ref | None = None
    public_access_block: PublicAccessBlock | None = None
    policy: PolicyDocument | None = None
    object_lock_enabled: bool | Unknown | None = None


class AccountPublicAccessBlock(ModelObject):
    settings: PublicAccessBlock
