"""The cis-aws-foundations package: shared helpers for the CIS checks.

The checks themselves live in one module per benchmark section (``cis_iam``,
``cis_storage``, ``cis_logging``, ``cis_monitoring``, ``cis_networking``). Each reads
only the model and yields findings whose ``frameworks`` name exactly the controls that
finding violates.

Account-wide controls (CloudTrail in all regions, AWS Config, EBS encryption by default,
the password policy, the support role...) cannot be judged from one application stack:
the account's baseline may live in another repository. Their rules take an
``account_scope`` parameter:

- ``auto`` (default): a unit is judged only when it declares at least one account-level
  resource of the control's *area* (see ``AREAS``), i.e. when it looks like (part of)
  an account baseline;
- ``always``: every unit is judged (a repository that is the whole account);
- ``never``: the control is satisfied elsewhere; only resources the unit declares are
  judged (a declared password policy that is too short is still reported).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum

from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding, fingerprint
from policycheck.model import Model, ModelObject, SourceRef, Unknown

PACKAGE = "cis-aws-foundations"
V5 = "cis-aws-foundations-v5.0.0"
V3 = "cis-aws-foundations-v3.0.0"


class AccountScope(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


AREAS: dict[str, tuple[str, ...]] = {
    "identity": ("password_policies", "iam_users", "iam_groups"),
    "logging": ("cloudtrails", "config_recorders"),
    "account-defaults": ("ebs_encryption_by_default", "account_public_access_blocks"),
    "monitoring": ("log_metric_filters", "metric_alarms"),
}
"""Model collections whose presence marks a unit as an account baseline of an area."""


def controls(ctx: CheckContext, *v5_ids: str) -> dict[str, list[str]]:
    """The framework mapping of a finding violating the given v5.0.0 controls: those ids
    and the v3.0.0 ids the rule maps them to (same position in the rule's lists)."""
    v5_all = ctx.rule.frameworks.get(V5, [])
    v3_all = ctx.rule.frameworks.get(V3, [])
    result: dict[str, list[str]] = {V5: [c for c in v5_ids if c in v5_all]}
    if v3_all and len(v3_all) == len(v5_all):
        result[V3] = [v3 for v5, v3 in zip(v5_all, v3_all, strict=True) if v5 in v5_ids]
    elif v3_all and set(v5_ids) >= set(v5_all):
        result[V3] = list(v3_all)
    return {name: ids for name, ids in result.items() if ids}


def make_finding(ctx: CheckContext, obj: ModelObject, message: str, *details: str,
                 at: SourceRef | None = None,
                 frameworks: dict[str, list[str]] | None = None) -> Finding:
    """A finding about ``obj``, located at ``at`` (a nested rule or entry) or at ``obj``."""
    where = at or obj.source
    return Finding(
        rule_id=ctx.rule.id, package=ctx.rule.package, severity=ctx.rule.severity,
        title=ctx.rule.title, message=message, resource=obj.id,
        resource_type=obj.source.resource_type, file=where.file, line=where.line,
        remediation=ctx.rule.docs.remediation.strip(),
        frameworks=ctx.rule.frameworks if frameworks is None else frameworks,
        fingerprint=fingerprint(ctx.rule.id, obj.id, *details),
    )


def account_scope(ctx: CheckContext) -> AccountScope:
    value = str(ctx.params.get("account_scope", AccountScope.AUTO.value)).lower()
    try:
        return AccountScope(value)
    except ValueError:
        raise ValueError(f"{ctx.rule.id}: parameter account_scope must be auto, always or "
                         f"never, not {value!r}") from None


def _first(objects: Iterable[ModelObject]) -> ModelObject | None:
    return min(objects, key=lambda o: (o.source.file, o.source.line, o.id), default=None)


def area_objects(model: Model, area: str) -> list[ModelObject]:
    found: list[ModelObject] = []
    for collection in AREAS[area]:
        found.extend(getattr(model, collection))
    return found


def missing_anchor(ctx: CheckContext, area: str,
                   preferred: Sequence[ModelObject] = ()) -> ModelObject | None:
    """Where to report that an account-wide control is not met in this unit, or None
    when the unit is not judged (``account_scope``). The anchor is the first of
    ``preferred``, else the first account-level object of the area, else (``always``)
    the unit's first object."""
    scope = account_scope(ctx)
    if scope is AccountScope.NEVER:
        return None
    markers = area_objects(ctx.model, area)
    if scope is AccountScope.AUTO and not markers:
        return None
    return _first(preferred) or _first(markers) or _first(ctx.model.objects())


SATISFY_ELSEWHERE = ("If the account's baseline lives outside this unit, set the rule's "
                     "parameter account_scope: never (or skip the rule) in the "
                     "configuration.")


def unknown_note(*values: object) -> str:
    """' (conditional: ...)' naming the unknown values a verdict rests on, or ''."""
    reasons = [v.reason for v in values if isinstance(v, Unknown)]
    if not reasons:
        return ""
    return f" (conditional: {'; '.join(dict.fromkeys(reasons))})"


def is_true(value: object) -> bool:
    return value is True


def known_false_or_unset(value: object) -> bool:
    """True unless the value is True (None, False, Unknown all count as not enabled)."""
    return value is not True


def iter_known(values: Iterable[str | Unknown]) -> Iterator[str]:
    return (v for v in values if isinstance(v, str))
