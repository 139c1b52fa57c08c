"""security-best-practices: what the template declares around a host or workload —
instance metadata, volume encryption, the instance role, secrets in environment
variables, Lambda function URLs. ECS task definitions are judged in
``security_best_practices_ecs``.

Values that cannot be known before deploy (``Unknown``) are not reported: these rules
state what the template itself makes insecure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from fnmatch import fnmatchcase

from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding, fingerprint
from policycheck.hostconfig.secrets import access_keys, preview, secret_kind
from policycheck.model import (
    BlockDevice,
    IamInstanceProfile,
    IamPolicy,
    IamRole,
    Instance,
    LaunchTemplate,
    Model,
    ModelObject,
    PolicyDocument,
    SourceRef,
    Statement,
    Unknown,
)

Host = Instance | LaunchTemplate


def finding(ctx: CheckContext, obj: ModelObject, message: str, *details: str,
            at: SourceRef | None = None) -> Finding:
    """A finding about ``obj`` at ``at`` (a nested block) or at ``obj``'s declaration."""
    where = at or obj.source
    return Finding(
        rule_id=ctx.rule.id, package=ctx.rule.package, severity=ctx.rule.severity,
        title=ctx.rule.title, message=message, resource=obj.id,
        resource_type=obj.source.resource_type, file=where.file, line=where.line,
        remediation=ctx.rule.docs.remediation.strip(), frameworks=ctx.rule.frameworks,
        fingerprint=fingerprint(ctx.rule.id, obj.id, *details))


def _hosts(model: Model) -> Iterator[Host]:
    yield from model.instances
    yield from model.launch_templates


# IMDS hop limit ----------------------------------------------------------------------


def imds_hop_limit(ctx: CheckContext) -> Iterator[Finding]:
    """A PUT response hop limit above ``max_hop_limit`` lets containers (or anything one
    network hop beyond the host) fetch IMDSv2 tokens and so the role's credentials."""
    limit = int(ctx.params.get("max_hop_limit", 1))
    for host in _hosts(ctx.model):
        options = host.metadata_options
        if options is None or options.http_endpoint == "disabled":
            continue
        hops = options.http_put_response_hop_limit
        if isinstance(hops, int) and hops > limit:
            yield finding(ctx, host, f"{host.id} lets metadata tokens travel {hops} network "
                          f"hops (http_put_response_hop_limit {hops}; at most {limit} "
                          f"expected), so containers and forwarded traffic on the host can "
                          f"obtain the instance role's credentials.", str(hops))


# Volume encryption -------------------------------------------------------------------


def _default_encryption_on(model: Model) -> bool:
    return any(s.enabled is True for s in model.ebs_encryption_by_default)


def _encryption_problem(encrypted: bool | Unknown | None, explicit: bool) -> str | None:
    if encrypted is False:
        return "encrypted = false"
    if encrypted is None and explicit:
        return ("encryption not set (the account's EBS encryption by default decides; "
                "require_explicit is on)")
    return None


def _device_name(device: BlockDevice) -> str:
    kind = "root volume" if device.root else "data volume"
    name = device.device_name if isinstance(device.device_name, str) else None
    return f"{kind} {name}" if name else kind


def unencrypted_volume(ctx: CheckContext) -> Iterator[Finding]:
    """Explicitly unencrypted volumes; with ``require_explicit``, also volumes that leave
    encryption to the account default. Nothing is reported when the unit itself turns
    on EBS encryption by default (AWS then encrypts every new volume)."""
    if _default_encryption_on(ctx.model):
        return
    explicit = bool(ctx.params.get("require_explicit", False))
    for host in _hosts(ctx.model):
        for device in host.block_devices:
            problem = _encryption_problem(device.encrypted, explicit)
            if problem is not None:
                what = _device_name(device)
                yield finding(ctx, host, f"{host.id} declares its {what} unencrypted "
                              f"({problem}).", what, at=device.source)
    for volume in ctx.model.ebs_volumes:
        problem = _encryption_problem(volume.encrypted, explicit)
        if problem is not None:
            yield finding(ctx, volume, f"EBS volume {volume.id} is unencrypted ({problem}).")


# Instance roles ----------------------------------------------------------------------

_PASS_ROLE = "iam:passrole"


def _covers(patterns: Iterable[str | Unknown], action: str) -> bool:
    return any(isinstance(p, str) and fnmatchcase(action, p.lower()) for p in patterns)


def _statement_grant(statement: Statement) -> str | None:
    """What an Allow statement on every resource grants that makes a role an
    administrator: every action, every IAM action, or iam:PassRole."""
    if statement.effect != "Allow" or statement.conditions or statement.not_actions:
        return None
    if "*" not in statement.resources:
        return None
    actions = statement.actions
    if _covers(actions, "anyservice:anyaction"):
        return "every action (*) on every resource"
    if _covers(actions, "iam:anyaction"):
        return "every IAM action (iam:*) on every resource"
    if _covers(actions, _PASS_ROLE):
        return "iam:PassRole on every role (Resource *)"
    return None


def _document_grants(document: PolicyDocument) -> list[str]:
    return [g for s in document.statements if (g := _statement_grant(s)) is not None]


def _managed_name(ref: str, admin_names: list[str]) -> str | None:
    for name in admin_names:
        if ref.startswith("arn:") and ref.endswith(f":policy/{name}"):
            return name
    return None


def _role_policies(model: Model, role: IamRole) -> list[str]:
    """Managed policy references of ``role``: its own list and attachment resources."""
    refs = [r for r in role.managed_policies if isinstance(r, str)]
    for attachment in model.iam_policy_attachments:
        if role.id in attachment.roles and isinstance(attachment.policy, str):
            refs.append(attachment.policy)
    return list(dict.fromkeys(refs))


def role_admin_grants(model: Model, role: IamRole, admin_names: list[str]) -> list[str]:
    """Why ``role`` is an administrator (empty when it is not, as far as known)."""
    grants: list[str] = []
    for document in role.inline_policies:
        grants += [f"inline policy grants {g}" for g in _document_grants(document)]
    for ref in _role_policies(model, role):
        name = _managed_name(ref, admin_names)
        if name is not None:
            grants.append(f"AWS managed policy {name} is attached")
            continue
        policy = model.get(ref)
        if isinstance(policy, IamPolicy):
            grants += [f"policy {policy.id} grants {g}" for g in
                       _document_grants(policy.document)]
    return list(dict.fromkeys(grants))


def instance_role_admin(ctx: CheckContext) -> Iterator[Finding]:
    model = ctx.model
    admin_names = [str(n) for n in ctx.params.get("admin_managed_policies", [])]
    for host in _hosts(model):
        if not isinstance(host.iam_instance_profile, str):
            continue
        profile = model.get(host.iam_instance_profile)
        if not isinstance(profile, IamInstanceProfile) or not isinstance(profile.role, str):
            continue
        role = model.get(profile.role)
        if not isinstance(role, IamRole):
            continue
        grants = role_admin_grants(model, role, admin_names)
        if grants:
            yield finding(ctx, host, f"{host.id} runs with role {role.id} (instance profile "
                          f"{profile.id}) that is an administrator: {'; '.join(grants)}. "
                          f"Any process on the host, or an SSRF bug reaching the metadata "
                          f"service, gets these permissions.", role.id)


# Secrets in environment variables ----------------------------------------------------


_LOCATION_NAME = re.compile(r"[_-](param|parameter|ref|location)s?$", re.IGNORECASE)
"""Names of where a secret is kept (``API_KEY_PARAM=/prod/api-key``), beyond those
``secret_kind`` already leaves out (``..._ARN``, ``..._NAME``, ``..._PATH``)."""


def plain_secrets(environment: Mapping[str, str | Unknown]) -> list[tuple[str, str, str]]:
    """(name, kind, masked preview) of each variable holding a literal secret: a secret
    name with a literal value, or an AWS access key id under any name. Values that refer
    to a secret store (ARNs, ``{{resolve:...}}``) and unknown values are not secrets."""
    found: list[tuple[str, str, str]] = []
    for name, value in sorted(environment.items()):
        if not isinstance(value, str):
            continue
        kind: str | None = "aws-access-key" if access_keys(value) else None
        if kind is None and not _LOCATION_NAME.search(name):
            kind = secret_kind(name, value)
        if kind is not None:
            found.append((name, kind, preview(value.strip())))
    return found


def lambda_env_secrets(ctx: CheckContext) -> Iterator[Finding]:
    """Literal secrets in Lambda environment variables (SBP013 adds ECS containers)."""
    for function in ctx.model.lambda_functions:
        for name, kind, shown in plain_secrets(function.environment):
            yield finding(ctx, function, f"Lambda function {function.id} holds a {kind} in "
                          f"plain environment variable {name} ({shown}); {ENV_HINT}.", name)


ENV_HINT = ("environment variables are readable by anyone allowed to read the "
            "configuration, and land in templates and state")


# Lambda function URLs ----------------------------------------------------------------


def lambda_url_without_auth(ctx: CheckContext) -> Iterator[Finding]:
    for url in ctx.model.lambda_function_urls:
        if isinstance(url.authorization_type, str) and url.authorization_type.upper() == "NONE":
            function = url.function if isinstance(url.function, str) else "a function"
            yield finding(ctx, url, f"Function URL {url.id} invokes {function} for anyone on "
                          f"the internet (authorization type NONE).")
