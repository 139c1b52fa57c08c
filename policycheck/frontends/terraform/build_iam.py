"""IAM roles, users, groups, policies, attachments and the account password policy.

Policy arguments hold JSON text (``jsonencode(...)``, a heredoc, or an
``aws_iam_policy_document``'s ``json``); they are parsed into statements here.
"""

from __future__ import annotations

import json
from typing import Literal, cast

from policycheck.frontends.terraform.build import Build, Builder, flag, integer, tags, text
from policycheck.frontends.terraform.expand import Instance
from policycheck.frontends.terraform.partial_text import PartialText, parse_json
from policycheck.frontends.terraform.values import Loc, Value
from policycheck.model import (
    IamGroup,
    IamInstanceProfile,
    IamPolicy,
    IamPolicyAttachment,
    IamRole,
    IamUser,
    PasswordPolicy,
    PolicyCondition,
    PolicyDocument,
    SourceRef,
    Statement,
    Unknown,
)


def _strings(value: Value) -> list[str | Unknown]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [item if isinstance(item, Unknown) else str(item) for item in items]


def _principals(value: Value) -> dict[str, list[str | Unknown]]:
    if value is None:
        return {}
    if value == "*":
        return {"*": ["*"]}
    if isinstance(value, dict):
        return {str(k): _strings(v) for k, v in value.items()}
    return {"AWS": _strings(value)}


class _UnreadableStatement(Exception):
    """A statement (or its conditions) is unknown as a whole: so is the document."""

    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


def _conditions(raw: Value) -> list[PolicyCondition]:
    if isinstance(raw, Unknown):
        raise _UnreadableStatement(raw)
    conditions = []
    for operator, entries in (raw or {}).items():
        if isinstance(entries, Unknown):
            raise _UnreadableStatement(entries)
        if isinstance(entries, dict):
            conditions += [
                PolicyCondition(operator=str(operator), key=str(key), values=_strings(values))
                for key, values in entries.items()
            ]
    return conditions


def _effect(effect: Value) -> Literal["Allow", "Deny"] | Unknown:
    if effect == "Allow" or effect == "Deny":
        return cast(Literal["Allow", "Deny"], effect)
    if isinstance(effect, Unknown):
        return effect
    return Unknown(reason=f"effect {effect!r} is not Allow or Deny")


def _statement(raw: Value, source: SourceRef | None) -> Statement:
    if isinstance(raw, Unknown):
        raise _UnreadableStatement(raw)
    if not isinstance(raw, dict):
        return Statement(effect=Unknown(reason="statement is not an object"), source=source)
    sid = raw.get("Sid")
    return Statement(
        sid=sid if isinstance(sid, str) and sid else None,
        effect=_effect(raw.get("Effect")),
        actions=_strings(raw.get("Action")),
        not_actions=_strings(raw.get("NotAction")),
        resources=_strings(raw.get("Resource")),
        not_resources=_strings(raw.get("NotResource")),
        principals=_principals(raw.get("Principal")),
        not_principals=_principals(raw.get("NotPrincipal")),
        conditions=_conditions(raw.get("Condition")),
        source=source,
    )


def policy_document(value: Value, source: SourceRef | None = None) -> PolicyDocument | None:
    """A policy document from JSON text or an object; Unknown documents keep the reason."""
    if value is None:
        return None
    if isinstance(value, PartialText):
        # JSON known but for some values: Unknown leaves, statements kept.
        parsed = parse_json(value)
        value = parsed if isinstance(parsed, dict) else Unknown(reason=value.reason)
    if isinstance(value, Unknown):
        return PolicyDocument(unknown=value)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return PolicyDocument(unknown=Unknown(reason="the policy is not valid JSON"))
    if not isinstance(value, dict):
        return PolicyDocument(unknown=Unknown(reason="the policy is not a JSON object"))
    raw = value.get("Statement", [])
    if isinstance(raw, Unknown):
        return PolicyDocument(unknown=raw)
    raw_list = raw if isinstance(raw, list) else [raw]
    version = value.get("Version")
    try:
        statements = [_statement(item, source) for item in raw_list]
    except _UnreadableStatement as exc:
        return PolicyDocument(unknown=exc.unknown)
    return PolicyDocument(
        version=version if isinstance(version, str) else None, statements=statements
    )


def _inline(build: Build, inst: Instance) -> list[PolicyDocument]:
    docs = []
    for block in inst.view.children("inline_policy"):
        doc = policy_document(block.get("policy"), build.nested_source(inst, block))
        if doc is not None:
            docs.append(doc)
    return docs


def role(build: Build, inst: Instance) -> None:
    view = inst.view
    build.add(
        "iam_roles",
        IamRole(
            id=inst.address,
            source=build.source(inst),
            tags=tags(view),
            name=text(view.get("name")),
            assume_role_policy=policy_document(view.get("assume_role_policy"), build.source(inst)),
            inline_policies=_inline(build, inst),
            managed_policies=[
                _policy_ref(build, p) for p in _list(view.get("managed_policy_arns"))
            ],
            permissions_boundary=_optional_policy(build, view.get("permissions_boundary")),
        ),
    )


def _list(value: Value) -> list[Value]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _policy_ref(build: Build, value: Value) -> str | Unknown:
    """A policy in this configuration, else the ARN as given (AWS-managed policies)."""
    ref = build.ref(value)
    if isinstance(ref, str) or not isinstance(value, str):
        return ref
    return value


def _optional_policy(build: Build, value: Value) -> str | Unknown | None:
    return None if value is None else _policy_ref(build, value)


def user(build: Build, inst: Instance) -> None:
    view = inst.view
    build.add(
        "iam_users",
        IamUser(
            id=inst.address, source=build.source(inst), tags=tags(view), name=text(view.get("name"))
        ),
    )


def group(build: Build, inst: Instance) -> None:
    view = inst.view
    build.add(
        "iam_groups",
        IamGroup(id=inst.address, source=build.source(inst), name=text(view.get("name"))),
    )


def policy(build: Build, inst: Instance) -> None:
    view = inst.view
    document = policy_document(view.get("policy"), build.source(inst))
    build.add(
        "iam_policies",
        IamPolicy(
            id=inst.address,
            source=build.source(inst),
            tags=tags(view),
            name=text(view.get("name")),
            document=document or PolicyDocument(unknown=Unknown(reason="no policy")),
        ),
    )


def _inline_policy(field_owner: str) -> Builder:
    """``aws_iam_role_policy`` and friends: an inline policy merged into its principal."""

    def build_it(build: Build, inst: Instance) -> None:
        view = inst.view
        document = policy_document(view.get("policy"), build.source(inst))
        owner = _principal_ref(build, view.get(field_owner))
        if document is not None and not build.contribute(owner, "inline_policies", document):
            build.ctx.notice(_loc(inst), f"{inst.address}: the {field_owner} is not modelled here")

    return build_it


def _principal_ref(build: Build, value: Value) -> str | Unknown:
    """Roles, users and groups are referenced by name (``role = aws_iam_role.x.name``)."""
    return build.named(value, "aws_iam_role", "aws_iam_user", "aws_iam_group")


def _loc(inst: Instance) -> Loc:
    return Loc(inst.file, inst.line)


def _attachment(kind: str) -> Builder:
    """Managed-policy attachments: an object of their own, merged into the principals."""

    def build_it(build: Build, inst: Instance) -> None:
        view = inst.view
        policy_ref = _policy_ref(build, view.get("policy_arn"))
        principals: dict[str, list[str | Unknown]] = {"roles": [], "users": [], "groups": []}
        for field_name in principals:
            singular = field_name[:-1]
            values = _list(view.get(field_name)) + _list(view.get(singular))
            principals[field_name] = [_principal_ref(build, v) for v in values]
        for refs in principals.values():
            for ref in refs:
                build.contribute(ref, "managed_policies", policy_ref)
        build.add(
            "iam_policy_attachments",
            IamPolicyAttachment(
                id=inst.address, source=build.source(inst), policy=policy_ref, **principals
            ),
        )

    return build_it


def instance_profile(build: Build, inst: Instance) -> None:
    view = inst.view
    build.add(
        "iam_instance_profiles",
        IamInstanceProfile(
            id=inst.address,
            source=build.source(inst),
            tags=tags(view),
            role=None if view.get("role") is None else _principal_ref(build, view.get("role")),
        ),
    )


def group_membership(build: Build, inst: Instance) -> None:
    view = inst.view
    group_ref = _principal_ref(build, view.get("group"))
    for member in _list(view.get("users")):
        build.contribute(_principal_ref(build, member), "groups", group_ref)


def password_policy(build: Build, inst: Instance) -> None:
    view = inst.view
    build.add(
        "password_policies",
        PasswordPolicy(
            id=inst.address,
            source=build.source(inst),
            minimum_length=integer(view.get("minimum_password_length", 6)),
            require_uppercase=flag(view.get("require_uppercase_characters"), False),
            require_lowercase=flag(view.get("require_lowercase_characters"), False),
            require_numbers=flag(view.get("require_numbers"), False),
            require_symbols=flag(view.get("require_symbols"), False),
            max_age_days=integer(view.get("max_password_age")),
            reuse_prevention=integer(view.get("password_reuse_prevention")),
            hard_expiry=flag(view.get("hard_expiry"), False),
        ),
    )


BUILDERS: dict[str, Builder] = {
    "aws_iam_role": role,
    "aws_iam_user": user,
    "aws_iam_group": group,
    "aws_iam_policy": policy,
    "aws_iam_role_policy": _inline_policy("role"),
    "aws_iam_user_policy": _inline_policy("user"),
    "aws_iam_group_policy": _inline_policy("group"),
    "aws_iam_role_policy_attachment": _attachment("role"),
    "aws_iam_user_policy_attachment": _attachment("user"),
    "aws_iam_group_policy_attachment": _attachment("group"),
    "aws_iam_policy_attachment": _attachment("any"),
    "aws_iam_instance_profile": instance_profile,
    "aws_iam_user_group_membership": lambda b, i: _membership(b, i),
    "aws_iam_group_membership": group_membership,
    "aws_iam_account_password_policy": password_policy,
}


def _membership(build: Build, inst: Instance) -> None:
    view = inst.view
    user_ref = _principal_ref(build, view.get("user"))
    for name in _list(view.get("groups")):
        build.contribute(user_ref, "groups", _principal_ref(build, name))
