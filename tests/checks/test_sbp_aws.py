"""security-best-practices SBP010-SBP019 on hand-built models."""

from __future__ import annotations

from policycheck.checks import security_best_practices_aws as aws
from policycheck.checks import security_best_practices_ecs as ecs
from policycheck.model import (
    BlockDevice,
    ContainerDefinition,
    EbsEncryptionByDefault,
    EbsVolume,
    EcsTaskDefinition,
    IamInstanceProfile,
    IamPolicy,
    IamPolicyAttachment,
    IamRole,
    Instance,
    LambdaFunction,
    LambdaFunctionUrl,
    MetadataOptions,
    Model,
    MountPoint,
    PolicyDocument,
    Statement,
    TaskVolume,
    Unknown,
)
from tests.checks.cis_helpers import run, src

UNKNOWN = Unknown(reason="var.x has no value")


def _instance(name: str = "web", **fields: object) -> Instance:
    return Instance(id=f"aws_instance.{name}", source=src(f"aws_instance.{name}", 3),
                    **fields)


def _device(encrypted: bool | Unknown | None, root: bool = False) -> BlockDevice:
    return BlockDevice(root=root, encrypted=encrypted, device_name="/dev/sdf",
                       source=src("dev", 7))


# SBP010 ------------------------------------------------------------------------------


def test_hop_limit_above_the_parameter_is_reported() -> None:
    model = Model(unit="u", instances=[
        _instance("two", metadata_options=MetadataOptions(http_put_response_hop_limit=2)),
        _instance("one", metadata_options=MetadataOptions(http_put_response_hop_limit=1)),
        _instance("unset", metadata_options=MetadataOptions(http_tokens="required")),
        _instance("unknown", metadata_options=MetadataOptions(
            http_put_response_hop_limit=UNKNOWN)),
        _instance("off", metadata_options=MetadataOptions(
            http_endpoint="disabled", http_put_response_hop_limit=9)),
    ])
    assert [f.resource for f in run(aws.imds_hop_limit, model, max_hop_limit=1)] == [
        "aws_instance.two"]
    assert run(aws.imds_hop_limit, model, max_hop_limit=2) == []


# SBP011 ------------------------------------------------------------------------------


def test_only_explicitly_unencrypted_volumes_by_default() -> None:
    model = Model(unit="u", instances=[
        _instance(block_devices=[_device(False, root=True), _device(None), _device(True),
                                 _device(UNKNOWN)])],
        ebs_volumes=[EbsVolume(id="v1", source=src("v1", 20), encrypted=False),
                     EbsVolume(id="v2", source=src("v2", 30))])
    quiet = run(aws.unencrypted_volume, model, require_explicit=False)
    assert [(f.resource, f.line) for f in quiet] == [("aws_instance.web", 7), ("v1", 20)]
    assert "root volume" in quiet[0].message
    strict = run(aws.unencrypted_volume, model, require_explicit=True)
    assert [(f.resource, f.line) for f in strict] == [
        ("aws_instance.web", 7), ("aws_instance.web", 7), ("v1", 20), ("v2", 30)]
    assert "account's EBS encryption by default decides" in strict[1].message


def test_unit_turning_on_default_encryption_silences_volumes() -> None:
    model = Model(unit="u", instances=[_instance(block_devices=[_device(False)])],
                  ebs_encryption_by_default=[EbsEncryptionByDefault(id="d", source=src("d"))])
    assert run(aws.unencrypted_volume, model, require_explicit=True) == []


# SBP012 ------------------------------------------------------------------------------


def _doc(actions: list[str], resources: list[str], **more: object) -> PolicyDocument:
    return PolicyDocument(statements=[Statement(effect="Allow", actions=actions,
                                                resources=resources, **more)])


def _role_model(role: IamRole, *extra: IamPolicy | IamPolicyAttachment) -> Model:
    policies = [p for p in extra if isinstance(p, IamPolicy)]
    attachments = [a for a in extra if isinstance(a, IamPolicyAttachment)]
    return Model(unit="u", instances=[_instance(iam_instance_profile="profile")],
                 iam_instance_profiles=[IamInstanceProfile(id="profile", source=src("p"),
                                                           role=role.id)],
                 iam_roles=[role], iam_policies=policies,
                 iam_policy_attachments=attachments)


ADMINS = ["AdministratorAccess", "IAMFullAccess"]


def test_instance_role_wildcards_and_pass_role() -> None:
    for actions, expected in ((["*"], "every action"), (["iam:*"], "every IAM action"),
                              (["ec2:*", "iam:Pass*"], "iam:PassRole")):
        role = IamRole(id="role", source=src("r"), inline_policies=[_doc(actions, ["*"])])
        found = run(aws.instance_role_admin, _role_model(role),
                    admin_managed_policies=ADMINS)
        assert len(found) == 1 and expected in found[0].message, actions


def test_instance_role_scoped_or_conditional_is_not_admin() -> None:
    scoped = IamRole(id="role", source=src("r"), inline_policies=[
        _doc(["iam:PassRole"], ["arn:aws:iam::1:role/worker"]),
        _doc(["s3:*"], ["*"]),
        _doc(["*"], [UNKNOWN]),  # type: ignore[list-item]
    ])
    assert run(aws.instance_role_admin, _role_model(scoped),
               admin_managed_policies=ADMINS) == []


def test_instance_role_managed_admin_by_list_or_attachment_or_customer_policy() -> None:
    gov = IamRole(id="role", source=src("r"),
                  managed_policies=["arn:aws-us-gov:iam::aws:policy/AdministratorAccess"])
    assert len(run(aws.instance_role_admin, _role_model(gov),
                   admin_managed_policies=ADMINS)) == 1
    plain = IamRole(id="role", source=src("r"))
    attachment = IamPolicyAttachment(id="att", source=src("a"), policy="custom",
                                     roles=["role"])
    custom = IamPolicy(id="custom", source=src("c"), document=_doc(["*:*"], ["*"]))
    found = run(aws.instance_role_admin, _role_model(plain, attachment, custom),
                admin_managed_policies=ADMINS)
    assert len(found) == 1 and "policy custom grants every action" in found[0].message


# SBP013 ------------------------------------------------------------------------------


def test_plain_secrets_names_values_and_references() -> None:
    found = aws.plain_secrets({
        "DB_PASSWORD": "hunter2hunter2",
        "ANY_NAME": "AKIAIOSFODNN7EXAMPLE",
        "API_KEY_PARAM": "/prod/api-key",
        "DB_PASSWORD_ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:x",
        "API_TOKEN": "{{resolve:secretsmanager:api}}",
        "TOKEN_TTL": "3600",
        "AUTH_TOKEN": UNKNOWN,
        "LOG_LEVEL": "debug",
    })
    assert found == [("ANY_NAME", "aws-access-key", "AKIA…"),
                     ("DB_PASSWORD", "password", "hunt…")]


def test_secrets_in_lambda_and_container_environment() -> None:
    model = Model(unit="u", lambda_functions=[
        LambdaFunction(id="fn", source=src("fn", 2), environment={"SECRET": "s3cr3tv4lue"})],
        ecs_task_definitions=[EcsTaskDefinition(id="td", source=src("td", 10), containers=[
            ContainerDefinition(name="app", environment={"API_KEY": "abcdef123456"},
                                secrets={"DB_PASSWORD": "arn:aws:ssm:x"})])])
    found = run(ecs.secrets_in_environment, model)
    assert [(f.resource, f.line) for f in found] == [("fn", 2), ("td", 10)]
    assert "s3cr3tv4lue" not in found[0].message


# SBP014 ------------------------------------------------------------------------------


def test_function_url_without_auth() -> None:
    model = Model(unit="u", lambda_function_urls=[
        LambdaFunctionUrl(id="open", source=src("open"), function="fn",
                          authorization_type="NONE"),
        LambdaFunctionUrl(id="iam", source=src("iam"), function="fn",
                          authorization_type="AWS_IAM"),
        LambdaFunctionUrl(id="unknown", source=src("unknown"), function="fn",
                          authorization_type=UNKNOWN)])
    assert [f.resource for f in run(aws.lambda_url_without_auth, model)] == ["open"]


# SBP015-SBP019 -----------------------------------------------------------------------


def _task(*containers: ContainerDefinition, **fields: object) -> Model:
    task = EcsTaskDefinition(id="td", source=src("td", 4), containers=list(containers),
                             **fields)
    return Model(unit="u", ecs_task_definitions=[task])


def test_privileged_and_root_users() -> None:
    model = _task(ContainerDefinition(name="a", privileged=True, user="root"),
                  ContainerDefinition(name="b", privileged=False, user="0:1000"),
                  ContainerDefinition(name="c", user="1000:0"),
                  ContainerDefinition(name="d"),
                  ContainerDefinition(name="e", user=UNKNOWN))
    assert [f.fingerprint for f in run(ecs.privileged_container, model)] == [
        f.fingerprint for f in run(ecs.privileged_container, _task(
            ContainerDefinition(name="a", privileged=True)))]
    rooted = run(ecs.container_runs_as_root, model)
    assert [f.message.split()[1] for f in rooted] == ["a", "b", "d"]
    assert "sets no user" in rooted[2].message


def test_host_network_mode() -> None:
    assert len(run(ecs.host_network_mode, _task(network_mode="host"))) == 1
    assert run(ecs.host_network_mode, _task(network_mode="awsvpc")) == []
    assert run(ecs.host_network_mode, _task(network_mode=UNKNOWN)) == []


def test_sensitive_host_paths_only_when_mounted() -> None:
    paths = ["/", "/etc", "/var/run/docker.sock"]
    volumes = [TaskVolume(name="root", host_path="/"), TaskVolume(name="srv", host_path="/srv"),
               TaskVolume(name="conf", host_path="/etc/nginx/"),
               TaskVolume(name="sock", host_path="/var/run/docker.sock"),
               TaskVolume(name="unused", host_path="/etc")]
    container = ContainerDefinition(name="a", mount_points=[
        MountPoint(source_volume=v, read_only=True) for v in ("root", "srv", "conf", "sock")])
    found = run(ecs.sensitive_host_path, _task(container, volumes=volumes),
                sensitive_paths=paths)
    assert sorted(f.message.split("host's ")[1].split(" (")[0] for f in found) == [
        "/", "/etc/nginx/", "/var/run/docker.sock"]
    assert all("read-only" in f.message for f in found)


def test_writable_root_filesystem() -> None:
    model = _task(ContainerDefinition(name="a", readonly_root_filesystem=True),
                  ContainerDefinition(name="b", readonly_root_filesystem=False),
                  ContainerDefinition(name="c"),
                  ContainerDefinition(name="d", readonly_root_filesystem=UNKNOWN))
    assert [f.message.split()[1] for f in run(ecs.writable_root_filesystem, model)] == [
        "b", "c"]
