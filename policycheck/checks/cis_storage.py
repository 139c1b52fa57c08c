"""CIS AWS Foundations, section 2 (Storage: S3, RDS, EFS), from templates."""

from __future__ import annotations

from collections.abc import Iterable

from policycheck.checks.cis_aws_foundations import make_finding, unknown_note
from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding
from policycheck.model import (
    DbCluster,
    DbInstance,
    PolicyDocument,
    PublicAccessBlock,
    Statement,
    Unknown,
)

# 2.1.1: bucket policy denies HTTP ---------------------------------------------------


def _denies_insecure_transport(statement: Statement) -> bool:
    if statement.effect != "Deny":
        return False
    principals = statement.principals
    everyone = (not principals and not statement.not_principals) or "*" in principals or \
        any("*" in ids for ids in principals.values())
    actions_all = any(a in ("*", "s3:*") for a in statement.actions)
    return everyone and actions_all and any(
        c.key.lower() == "aws:securetransport" and c.operator.startswith("Bool")
        and "false" in [str(v).lower() for v in c.values]
        for c in statement.conditions)


def _policy_denies_http(policy: PolicyDocument | None) -> bool | Unknown:
    if policy is None:
        return False
    if any(_denies_insecure_transport(s) for s in policy.statements):
        return True
    return policy.unknown if policy.unknown is not None else False


def bucket_denies_http(ctx: CheckContext) -> Iterable[Finding]:
    for bucket in ctx.model.s3_buckets:
        verdict = _policy_denies_http(bucket.policy)
        if verdict is True:
            continue
        if bucket.policy is None:
            why = "has no bucket policy"
        else:
            why = "has a bucket policy without a Deny for aws:SecureTransport = false"
        yield make_finding(ctx, bucket, f"Bucket {bucket.id} {why}, so requests over plain "
                           f"HTTP are accepted{unknown_note(verdict)}.")


# 2.1.2: MFA delete -----------------------------------------------------------------


def bucket_mfa_delete(ctx: CheckContext) -> Iterable[Finding]:
    for bucket in ctx.model.s3_buckets:
        if bucket.mfa_delete is True:
            continue
        state = "unknown" if isinstance(bucket.mfa_delete, Unknown) else "not enabled"
        yield make_finding(ctx, bucket, f"MFA delete is {state} on bucket {bucket.id}: a "
                           f"stolen credential can delete object versions or suspend "
                           f"versioning{unknown_note(bucket.mfa_delete)}.")


# 2.1.4: Block Public Access ---------------------------------------------------------

_BPA_FLAGS = ("block_public_acls", "ignore_public_acls", "block_public_policy",
              "restrict_public_buckets")


def _blocks_all(settings: PublicAccessBlock | None) -> tuple[bool, list[str], list[Unknown]]:
    """(all four on, the flags not known to be on, the unknown flags)."""
    if settings is None:
        return False, list(_BPA_FLAGS), []
    off = [flag for flag in _BPA_FLAGS if getattr(settings, flag) is not True]
    unknown = [getattr(settings, flag) for flag in _BPA_FLAGS
               if isinstance(getattr(settings, flag), Unknown)]
    return not off, off, unknown


def bucket_public_access_block(ctx: CheckContext) -> Iterable[Finding]:
    if any(_blocks_all(a.settings)[0] for a in ctx.model.account_public_access_blocks):
        return
    for bucket in ctx.model.s3_buckets:
        ok, off, unknown = _blocks_all(bucket.public_access_block)
        if ok:
            continue
        if bucket.public_access_block is None:
            what = "declares no Block Public Access settings"
        else:
            what = "does not turn on " + ", ".join(off)
        yield make_finding(ctx, bucket, f"Bucket {bucket.id} {what} (and the unit sets no "
                           f"account-level Block Public Access){unknown_note(*unknown)}.")


# 2.2.x: RDS ------------------------------------------------------------------------


def _encryption_source(ctx: CheckContext, db: DbInstance) -> DbInstance | DbCluster:
    cluster = ctx.model.get(db.cluster) if db.cluster is not None else None
    return cluster if isinstance(cluster, DbCluster) else db


def rds_encryption(ctx: CheckContext) -> Iterable[Finding]:
    """2.2.1: storage encrypted; an Aurora member inherits its cluster's setting, so
    the cluster is reported once instead of each member."""
    reported: set[str] = set()
    for db in ctx.model.db_instances:
        holder = _encryption_source(ctx, db)
        if holder.storage_encrypted is True or holder.id in reported:
            continue
        reported.add(holder.id)
        yield make_finding(ctx, holder, f"{holder.id} does not encrypt its storage at rest"
                           f"{unknown_note(holder.storage_encrypted)}.")
    for cluster in ctx.model.db_clusters:
        if cluster.storage_encrypted is not True and cluster.id not in reported:
            reported.add(cluster.id)
            yield make_finding(ctx, cluster, f"{cluster.id} does not encrypt its storage at "
                               f"rest{unknown_note(cluster.storage_encrypted)}.")


def rds_auto_minor_upgrade(ctx: CheckContext) -> Iterable[Finding]:
    """2.2.2: unset means enabled (the AWS default in both formats)."""
    for db in ctx.model.db_instances:
        value = db.auto_minor_version_upgrade
        if value is False or isinstance(value, Unknown):
            yield make_finding(ctx, db, f"{db.id} turns automatic minor version upgrades "
                               f"off, so engine security patches wait for a manual "
                               f"upgrade{unknown_note(value)}.")


def rds_publicly_accessible(ctx: CheckContext) -> Iterable[Finding]:
    """2.2.3."""
    for db in ctx.model.db_instances:
        value = db.publicly_accessible
        if value is True or isinstance(value, Unknown):
            yield make_finding(ctx, db, f"{db.id} is publicly accessible: it gets a public "
                               f"address and DNS name{unknown_note(value)}.")


def rds_multi_az(ctx: CheckContext) -> Iterable[Finding]:
    """2.2.4: instances outside a cluster (Aurora spreads a cluster's members itself)."""
    for db in ctx.model.db_instances:
        if db.cluster is not None or db.multi_az is True:
            continue
        yield make_finding(ctx, db, f"{db.id} is a single-AZ deployment: an Availability "
                           f"Zone outage takes the database down"
                           f"{unknown_note(db.multi_az)}.")


# 2.3.1: EFS ------------------------------------------------------------------------


def efs_encryption(ctx: CheckContext) -> Iterable[Finding]:
    for fs in ctx.model.efs_file_systems:
        if fs.encrypted is not True:
            yield make_finding(ctx, fs, f"EFS file system {fs.id} is not encrypted at rest; "
                               f"encryption can only be chosen at creation"
                               f"{unknown_note(fs.encrypted)}.")

