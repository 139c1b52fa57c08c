"""CIS AWS Foundations, section 1 (Identity and Access Management), from templates."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from policycheck.checks.cis_aws_foundations import (
    SATISFY_ELSEWHERE,
    make_finding,
    missing_anchor,
    unknown_note,
)
from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding
from policycheck.model import (
    IamGroup,
    IamPolicy,
    IamRole,
    IamUser,
    Model,
    ModelObject,
    PolicyDocument,
    Ref,
    Statement,
    Unknown,
)

Principal = IamRole | IamUser | IamGroup


def _principals(model: Model) -> Iterator[Principal]:
    yield from model.iam_roles
    yield from model.iam_users
    yield from model.iam_groups


def _attached_policies(model: Model) -> dict[str, list[Principal]]:
    """Policy reference (model id or AWS-managed ARN) -> principals it is attached to,
    from the principals' own lists and from separate attachment resources."""
    attached: dict[str, list[Principal]] = {}
    for principal in _principals(model):
        for ref in principal.managed_policies:
            if isinstance(ref, str):
                attached.setdefault(ref, []).append(principal)
    for attachment in model.iam_policy_attachments:
        if not isinstance(attachment.policy, str):
            continue
        for ref in (*attachment.roles, *attachment.users, *attachment.groups):
            target = model.get(ref)
            if isinstance(target, IamRole | IamUser | IamGroup):
                holders = attached.setdefault(attachment.policy, [])
                if target not in holders:
                    holders.append(target)
    return attached


def _is_aws_managed(ref: str, name: str) -> bool:
    return ref.startswith("arn:") and ref.endswith(f":policy/{name}")


# 1.7 and 1.8: the account password policy ------------------------------------------


def _password_policy(ctx: CheckContext, field: str, threshold: int,
                     what: str) -> Iterable[Finding]:
    policies = ctx.model.password_policies
    for policy in policies:
        value = getattr(policy, field)
        if isinstance(value, Unknown):
            yield make_finding(ctx, policy, f"The password policy's {what} is unknown; it "
                               f"must be at least {threshold}{unknown_note(value)}.", field)
        elif value is None or value < threshold:
            shown = "not set" if value is None else str(value)
            yield make_finding(ctx, policy, f"The password policy's {what} is {shown}; "
                               f"CIS requires at least {threshold}.", field)
    if policies:
        return
    anchor = missing_anchor(ctx, "identity")
    if anchor is not None:
        yield make_finding(ctx, anchor, f"This unit manages IAM identities but declares no "
                           f"account password policy, so the {what} is not enforced "
                           f"(AWS default: none). {SATISFY_ELSEWHERE}", "missing")


def password_policy_min_length(ctx: CheckContext) -> Iterable[Finding]:
    """1.7: the password policy requires at least 14 characters."""
    yield from _password_policy(ctx, "minimum_length", int(ctx.params["minimum_length"]),
                                "minimum password length")


def password_policy_reuse(ctx: CheckContext) -> Iterable[Finding]:
    """1.8: the password policy prevents reuse of the last 24 passwords."""
    yield from _password_policy(ctx, "reuse_prevention", int(ctx.params["reuse_prevention"]),
                                "number of remembered passwords (reuse prevention)")


# 1.14: users receive permissions only through groups --------------------------------


def user_direct_permissions(ctx: CheckContext) -> Iterable[Finding]:
    attached = _attached_policies(ctx.model)
    for user in ctx.model.iam_users:
        direct = [ref for ref, holders in attached.items() if user in holders]
        parts = []
        if user.inline_policies:
            parts.append(f"{len(user.inline_policies)} inline polic"
                         f"{'y' if len(user.inline_policies) == 1 else 'ies'}")
        if direct:
            parts.append("attached policies " + ", ".join(sorted(direct)))
        if parts:
            yield make_finding(ctx, user, f"IAM user {user.id} has permissions of its own "
                               f"({'; '.join(parts)}) instead of receiving them only "
                               f"through groups.")


# 1.15: no policy allowing "*:*" is attached -------------------------------------------


def _admin_statement(statement: Statement) -> tuple[bool, list[object]]:
    """Whether the statement allows every action on every resource; Unknown effect or
    resources count (conservatively) and are returned for the message."""
    unknowns: list[object] = []
    if statement.conditions:
        return False, unknowns
    if isinstance(statement.effect, Unknown):
        unknowns.append(statement.effect)
    elif statement.effect != "Allow":
        return False, unknowns
    if not any(a in ("*", "*:*") for a in statement.actions if isinstance(a, str)):
        return False, unknowns
    if "*" in statement.resources:
        return True, unknowns
    unknown_resources = [r for r in statement.resources if isinstance(r, Unknown)]
    if unknown_resources:
        return True, [*unknowns, *unknown_resources]
    return False, unknowns


def _admin_in(document: PolicyDocument) -> tuple[bool, list[object]]:
    for statement in document.statements:
        found, unknowns = _admin_statement(statement)
        if found:
            return True, unknowns
    return False, []


def admin_policy_attached(ctx: CheckContext) -> Iterable[Finding]:
    model = ctx.model
    admin_arns = [str(name) for name in ctx.params["aws_managed_admin_policies"]]
    attached = _attached_policies(model)
    for ref, holders in sorted(attached.items()):
        names = ", ".join(sorted(h.id for h in holders))
        policy = model.get(ref)
        if isinstance(policy, IamPolicy):
            found, unknowns = _admin_in(policy.document)
            if found:
                yield make_finding(ctx, policy, f"Policy {policy.id} allows \"*:*\" (every "
                                   f"action on every resource) and is attached to {names}"
                                   f"{unknown_note(*unknowns)}.")
        elif any(_is_aws_managed(ref, name) for name in admin_arns):
            for holder in holders:
                yield make_finding(ctx, holder, f"{holder.id} has the AWS-managed policy "
                                   f"{ref} attached, which allows \"*:*\".", ref)
    for principal in _principals(model):
        for index, document in enumerate(principal.inline_policies):
            found, unknowns = _admin_in(document)
            if found:
                yield make_finding(ctx, principal, f"An inline policy of {principal.id} "
                                   f"allows \"*:*\" (every action on every resource)"
                                   f"{unknown_note(*unknowns)}.", f"inline-{index}")


# 1.16: a support role exists ---------------------------------------------------------


def support_role(ctx: CheckContext) -> Iterable[Finding]:
    policy_name = str(ctx.params["support_policy"])
    attached = _attached_policies(ctx.model)
    if any(_is_aws_managed(ref, policy_name) for ref in attached):
        return
    anchor = missing_anchor(ctx, "identity")
    if anchor is not None:
        yield make_finding(ctx, anchor, f"No role, user or group in this unit has the "
                           f"{policy_name} policy attached, so nobody is set up to manage "
                           f"incidents with AWS Support. {SATISFY_ELSEWHERE}", "missing")


# 1.17: instances use instance roles ---------------------------------------------------


def instance_without_role(ctx: CheckContext) -> Iterable[Finding]:
    hosts: list[tuple[ModelObject, Ref | None]] = [
        *((i, i.iam_instance_profile) for i in ctx.model.instances),
        *((t, t.iam_instance_profile) for t in ctx.model.launch_templates),
    ]
    for host, profile in hosts:
        if profile is None:
            yield make_finding(ctx, host, f"{host.id} has no IAM instance profile, so "
                               f"software on it needs long-term credentials to call AWS.")


# 1.21: AWSCloudShellFullAccess is restricted -----------------------------------------


def cloudshell_full_access(ctx: CheckContext) -> Iterable[Finding]:
    policy_name = str(ctx.params["cloudshell_policy"])
    for ref, holders in sorted(_attached_policies(ctx.model).items()):
        if _is_aws_managed(ref, policy_name):
            for holder in holders:
                yield make_finding(ctx, holder, f"{holder.id} has {policy_name} attached, "
                                   f"which allows file transfer in and out of the "
                                   f"account through CloudShell.", ref)
