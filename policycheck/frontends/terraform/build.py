"""Shared machinery for turning resource instances into model objects.

Area modules (``build_network``, ``build_routing``, ``build_security``,
``build_compute``) register one function per resource type. Objects are frozen, so
contributions from separate resources (rules, routes, associations) are collected
here and merged into their parent once every resource has been seen.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from policycheck.frontends.terraform.context import ModuleContext
from policycheck.frontends.terraform.expand import BlockView, Instance
from policycheck.frontends.terraform.values import Lazy, Value, is_number, to_int
from policycheck.model import Ref, SourceRef, Unknown

_COMPUTED = re.compile(r"computed attribute (?:arn|id|name|bucket|key_id) of (.+)")

# Which VPC attribute each default/main object is reached by.
_DEFAULT_TOKEN_NAMES = {
    "default_route_table_id": "default route table",
    "main_route_table_id": "main route table",
    "default_network_acl_id": "default network ACL",
    "default_security_group_id": "default security group",
}


@dataclass
class Build:
    """State shared by the builders of one unit."""

    ctx: ModuleContext
    known_ids: set[str]
    """Addresses of every modelled resource instance."""
    iam_names: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    """Names → id for resources referenced by name (IAM principals, subnet groups,
    buckets, functions...)."""
    sg_names: dict[str, str] = field(default_factory=dict)
    """Security-group ``name`` → id, to resolve instances' ``security_groups``."""
    default_objects: dict[str, str] = field(default_factory=dict)
    """VPC default-object token (``aws_vpc.main.default_route_table_id``) → managing object."""
    objects: dict[str, list[object]] = field(default_factory=lambda: defaultdict(list))
    """Model list name (``vpcs``...) → objects in declaration order."""
    additions: dict[tuple[str, str], list[object]] = field(
        default_factory=lambda: defaultdict(list)
    )
    """(parent id, field) → items contributed by separate resources."""
    updates: dict[str, dict[str, object]] = field(default_factory=lambda: defaultdict(dict))
    """Parent id → scalar fields set by separate resources (attachments, associations)."""

    def add(self, kind: str, obj: object) -> None:
        self.objects[kind].append(obj)

    def contribute(self, parent: Ref, field_name: str, item: object) -> bool:
        """Add ``item`` to a list field of the object ``parent``; False if unresolved."""
        if isinstance(parent, str):
            self.additions[(parent, field_name)].append(item)
            return True
        return False

    def set_later(self, parent: Ref, field_name: str, value: object) -> None:
        if isinstance(parent, str):
            self.updates[parent][field_name] = value

    # -- sources ----------------------------------------------------------------

    @staticmethod
    def source(instance: Instance) -> SourceRef:
        return SourceRef(
            file=instance.file,
            line=instance.line,
            address=instance.address,
            resource_type=instance.type,
        )

    @staticmethod
    def nested_source(instance: Instance, view: BlockView) -> SourceRef:
        """A sub-object's source: its own block's line, its resource's address."""
        return SourceRef(
            file=view.file, line=view.line, address=instance.address, resource_type=instance.type
        )

    # -- values -------------------------------------------------------------------

    def ref(self, value: Value) -> Ref:
        """A reference to a model object, or Unknown saying why it is not one."""
        if isinstance(value, Unknown):
            # `aws_iam_policy.p.arn` is only known after apply, but names the object.
            match = _COMPUTED.fullmatch(value.reason)
            if match and match.group(1) in self.known_ids:
                return match.group(1)
            return value
        if isinstance(value, Lazy):
            return Unknown(reason=f"{value.describe()} is not an id")
        if not isinstance(value, str):
            return Unknown(reason=f"not an id: {value!r}")
        if value in self.known_ids:
            return value
        if len(self.iam_names.get(value, ())) == 1:
            return self.iam_names[value][0][1]
        if value in self.default_objects:
            return self.default_objects[value]
        for suffix, description in _DEFAULT_TOKEN_NAMES.items():
            if value.endswith("." + suffix):
                vpc = value[: -len(suffix) - 1]
                return Unknown(reason=f"the {description} of {vpc} is not managed here")
        return Unknown(reason=f"{value} is not declared in this configuration")

    def named(self, value: Value, *types: str) -> Ref:
        """A reference by id or by name, the name looked up among ``types`` only."""
        if isinstance(value, str):
            for kind, address in self.iam_names.get(value, ()):
                if kind in types:
                    return address
        return self.ref(value)

    def optional_ref(self, value: Value) -> Ref | None:
        return None if value is None else self.ref(value)

    def refs(self, value: Value) -> list[Ref]:
        if value is None:
            return []
        if isinstance(value, list):
            return [self.ref(item) for item in value if item is not None]
        return [self.ref(value)]

    def vpc_of_token(self, value: Value, suffix: str) -> Ref:
        """The VPC a ``<vpc>.<suffix>`` token names (default route table, NACL...)."""
        if isinstance(value, str) and value.endswith("." + suffix):
            return self.ref(value[: -len(suffix) - 1])
        return (
            self.ref(value)
            if isinstance(value, Unknown)
            else Unknown(reason=f"{value!r} does not name a VPC's {_DEFAULT_TOKEN_NAMES[suffix]}")
        )


def text(value: Value) -> str | Unknown | None:
    """A string field: None when absent, Unknown when not a string."""
    if value is None or isinstance(value, Unknown | str):
        return value
    if is_number(value) or isinstance(value, bool):
        return str(value).lower() if isinstance(value, bool) else str(value)
    return Unknown(reason=f"not a string: {value!r}")


def text_list(value: Value) -> list[str | Unknown]:
    if value is None:
        return []
    if isinstance(value, Unknown):
        return [value]
    if not isinstance(value, list):
        value = [value]
    return [t for t in (text(item) for item in value) if t is not None]


def flag(value: Value, default: bool | None = None) -> bool | Unknown | None:
    """A boolean field; Terraform also accepts the strings ``true``/``false``."""
    if value is None:
        return default
    if isinstance(value, bool | Unknown):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    return Unknown(reason=f"not a bool: {value!r}")


def integer(value: Value) -> int | Unknown | None:
    if value is None or isinstance(value, Unknown):
        return value
    try:
        return to_int(value)
    except Exception:
        return Unknown(reason=f"not a whole number: {value!r}")


def tags(view: BlockView) -> dict[str, str]:
    """Tags with known string values, over the provider's ``default_tags`` (``tags_all``).

    Values that are not known strings are dropped: tags are informational.
    """
    from policycheck.frontends.terraform.providers import default_tags

    value = view.get("tags")
    merged = dict(default_tags(view.ctx, view.block)) if view.memo_prefix is not None else {}
    if isinstance(value, dict):
        merged.update(value)
    return {k: t for k, v in merged.items() if isinstance(t := text(v), str)}


Builder = Callable[[Build, Instance], None]
