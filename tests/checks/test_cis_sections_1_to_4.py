"""CIS sections 1-4 checks on hand-built models."""

from __future__ import annotations

from policycheck.checks import cis_iam, cis_logging, cis_monitoring, cis_storage
from policycheck.checks.cis_aws_foundations import V3, V5
from policycheck.model import (
    CloudTrail,
    DataEventSelector,
    DbCluster,
    DbInstance,
    IamGroup,
    IamPolicy,
    IamRole,
    IamUser,
    KmsKey,
    LogMetricFilter,
    MetricAlarm,
    Model,
    PasswordPolicy,
    PolicyCondition,
    PolicyDocument,
    PublicAccessBlock,
    S3Bucket,
    Statement,
    Unknown,
    Vpc,
)
from tests.checks.cis_helpers import run, src

ADMIN = PolicyDocument(statements=[Statement(effect="Allow", actions=["*"], resources=["*"])])
AWS_ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def test_password_policy_content_and_account_scope() -> None:
    short = Model(unit=".", password_policies=[PasswordPolicy(id="pp", source=src("pp"),
                                                              minimum_length=8)])
    assert "is 8" in run(cis_iam.password_policy_min_length, short, minimum_length=14)[0].message
    users = Model(unit=".", iam_users=[IamUser(id="u", source=src("u"))])
    assert run(cis_iam.password_policy_min_length, users, minimum_length=14)
    assert not run(cis_iam.password_policy_min_length, users, minimum_length=14,
                   account_scope="never")
    app = Model(unit=".", iam_roles=[IamRole(id="r", source=src("r"))])
    assert not run(cis_iam.password_policy_reuse, app, reuse_prevention=24)


def test_admin_policies_attached_inline_and_aws_managed() -> None:
    model = Model(
        unit=".",
        iam_policies=[IamPolicy(id="p", source=src("p"), document=ADMIN),
                      IamPolicy(id="unattached", source=src("x"), document=ADMIN)],
        iam_roles=[IamRole(id="r", source=src("r"), managed_policies=["p", AWS_ADMIN])],
        iam_groups=[IamGroup(id="g", source=src("g"), inline_policies=[ADMIN])])
    found = run(cis_iam.admin_policy_attached, model,
                aws_managed_admin_policies=["AdministratorAccess"])
    assert sorted(f.resource for f in found) == ["g", "p", "r"]


def test_conditional_or_scoped_statements_are_not_admin() -> None:
    scoped = PolicyDocument(statements=[
        Statement(effect="Allow", actions=["*"], resources=["arn:aws:s3:::b"]),
        Statement(effect="Allow", actions=["*"], resources=["*"], conditions=[
            PolicyCondition(operator="Bool", key="aws:MultiFactorAuthPresent",
                            values=["true"])])])
    model = Model(unit=".", iam_roles=[IamRole(id="r", source=src("r"),
                                               inline_policies=[scoped])])
    assert not run(cis_iam.admin_policy_attached, model, aws_managed_admin_policies=[])


def test_users_groups_support_role_and_cloudshell() -> None:
    support = "arn:aws:iam::aws:policy/AWSSupportAccess"
    shell = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"
    model = Model(unit=".", iam_users=[IamUser(id="u", source=src("u"),
                                               managed_policies=[shell])],
                  iam_groups=[IamGroup(id="g", source=src("g"), managed_policies=[support])])
    assert [f.resource for f in run(cis_iam.user_direct_permissions, model)] == ["u"]
    assert not run(cis_iam.support_role, model, support_policy="AWSSupportAccess")
    assert [f.resource for f in run(cis_iam.cloudshell_full_access, model,
                                    cloudshell_policy="AWSCloudShellFullAccess")] == ["u"]
    no_support = Model(unit=".", iam_groups=[IamGroup(id="g", source=src("g"))])
    assert run(cis_iam.support_role, no_support, support_policy="AWSSupportAccess")


def _bucket(**fields: object) -> S3Bucket:
    return S3Bucket(id="b", source=src("b"), **fields)


def test_s3_checks() -> None:
    deny = PolicyDocument(statements=[Statement(
        effect="Deny", actions=["s3:*"], resources=["*"], principals={"AWS": ["*"]},
        conditions=[PolicyCondition(operator="Bool", key="aws:SecureTransport",
                                    values=["false"])])])
    assert not run(cis_storage.bucket_denies_http, Model(unit=".", s3_buckets=[
        _bucket(policy=deny)]))
    assert run(cis_storage.bucket_denies_http, Model(unit=".", s3_buckets=[_bucket()]))
    on = PublicAccessBlock(block_public_acls=True, block_public_policy=True,
                           ignore_public_acls=True, restrict_public_buckets=True)
    partial = on.model_copy(update={"restrict_public_buckets": Unknown(reason="var.r")})
    assert not run(cis_storage.bucket_public_access_block,
                   Model(unit=".", s3_buckets=[_bucket(public_access_block=on)]))
    found = run(cis_storage.bucket_public_access_block,
                Model(unit=".", s3_buckets=[_bucket(public_access_block=partial)]))
    assert "restrict_public_buckets" in found[0].message and "var.r" in found[0].message
    assert run(cis_storage.bucket_mfa_delete, Model(unit=".", s3_buckets=[_bucket()]))


def test_rds_checks() -> None:
    model = Model(unit=".", db_clusters=[DbCluster(id="c", source=src("c"))],
                  db_instances=[
                      DbInstance(id="m1", source=src("m1"), cluster="c"),
                      DbInstance(id="m2", source=src("m2"), cluster="c"),
                      DbInstance(id="solo", source=src("solo"), storage_encrypted=True,
                                 publicly_accessible=True, auto_minor_version_upgrade=False)])
    assert [f.resource for f in run(cis_storage.rds_encryption, model)] == ["c"]
    assert [f.resource for f in run(cis_storage.rds_publicly_accessible, model)] == ["solo"]
    assert [f.resource for f in run(cis_storage.rds_auto_minor_upgrade, model)] == ["solo"]
    assert [f.resource for f in run(cis_storage.rds_multi_az, model)] == ["solo"]


def _trail(**fields: object) -> CloudTrail:
    return CloudTrail(id="t", source=src("t"), **fields)


def test_cloudtrail_checks() -> None:
    single = Model(unit=".", cloudtrails=[_trail()])
    assert run(cis_logging.cloudtrail_multi_region, single)
    assert run(cis_logging.cloudtrail_log_validation, single)
    assert run(cis_logging.cloudtrail_kms_encryption, single)
    assert run(cis_logging.config_recorder, single)  # a logging baseline without Config
    assert not run(cis_logging.cloudtrail_multi_region,
                   Model(unit=".", cloudtrails=[_trail(is_multi_region=True)]))
    assert not run(cis_logging.cloudtrail_multi_region, Model(unit="."))


def test_s3_object_logging_names_one_control_per_finding() -> None:
    write_only = DataEventSelector(read_write_type="WriteOnly", resource_type="AWS::S3::Object",
                                   values=["arn:aws:s3"])
    model = Model(unit=".", cloudtrails=[_trail(is_multi_region=True, data_events=[write_only])])
    (finding,) = run(cis_logging.s3_object_level_logging, model, ("3.8", "3.9"), ("3.8", "3.9"))
    assert finding.frameworks == {V5: ["3.9"], V3: ["3.9"]} and "read" in finding.message


def test_kms_and_flow_logs() -> None:
    keys = [KmsKey(id="k", source=src("k")), KmsKey(id="rsa", source=src("rsa"),
                                                       key_spec="RSA_2048")]
    assert [f.resource for f in run(cis_logging.kms_key_rotation,
                                    Model(unit=".", kms_keys=keys))] == ["k"]
    assert run(cis_logging.vpc_flow_logs, Model(unit=".", vpcs=[Vpc(id="v", source=src("v"))]))


def test_metric_filters_and_alarms() -> None:
    pattern = ('{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || '
               '($.eventName = DeleteTrail) || ($.eventName = StartLogging) || '
               '($.eventName = StopLogging) }')
    model = Model(
        unit=".", cloudtrails=[_trail(is_multi_region=True, cloudwatch_log_group="lg")],
        log_metric_filters=[LogMetricFilter(id="f", source=src("f"), log_group="lg",
                                            pattern=pattern, metric_name="Trail",
                                            metric_namespace="CIS")],
        metric_alarms=[MetricAlarm(id="a", source=src("a"), metric_name="Trail",
                                   metric_namespace="CIS", alarm_actions=["topic"])])
    controls = [f"4.{i}" for i in range(1, 16)]
    found = run(cis_monitoring.metric_filters_and_alarms, model, tuple(controls),
                tuple(controls), monitors=controls)
    assert len(found) == 14
    assert {c for f in found for c in f.frameworks[V5]} == set(controls) - {"4.5"}
    assert not run(cis_monitoring.metric_filters_and_alarms, Model(unit="."),
                   monitors=controls)
