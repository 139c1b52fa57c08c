"""From declarations to the model: expand, build each instance, merge contributions."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, ValidationError

from policycheck.frontends.terraform import (
    build_compute,
    build_iam,
    build_monitoring,
    build_network,
    build_routing,
    build_security,
    build_services,
    build_stores,
)
from policycheck.frontends.terraform.build import Build, Builder, flag, text_list
from policycheck.frontends.terraform.context import ModuleContext
from policycheck.frontends.terraform.data_sources import data_instances
from policycheck.frontends.terraform.expand import BlockView, Instance, expand
from policycheck.frontends.terraform.modules import all_contexts
from policycheck.frontends.terraform.parse import Block
from policycheck.frontends.terraform.values import Loc, Value
from policycheck.model import ImageDescription, Model, SourceRef, Unknown

BUILDERS: dict[str, Builder] = {
    **build_network.BUILDERS,
    **build_routing.BUILDERS,
    **build_security.BUILDERS,
    **build_compute.BUILDERS,
    **build_iam.BUILDERS,
    **build_services.BUILDERS,
    **build_stores.BUILDERS,
    **build_monitoring.BUILDERS,
}

# Where each default object is reached from its VPC (see expand.VPC_DEFAULT_ATTRIBUTES).
_DEFAULT_ID_ARGUMENTS = {
    "aws_default_route_table": "default_route_table_id",
    "aws_default_network_acl": "default_network_acl_id",
}


# Resources other resources name by name rather than id (``role = aws_iam_role.r.name``).
_NAME_ARGUMENTS = {
    "aws_iam_role": "name",
    "aws_iam_user": "name",
    "aws_iam_group": "name",
    "aws_iam_instance_profile": "name",
    "aws_db_subnet_group": "name",
    "aws_elasticache_subnet_group": "name",
    "aws_redshift_subnet_group": "name",
    "aws_launch_template": "name",
    "aws_launch_configuration": "name",
    "aws_autoscaling_group": "name",
    "aws_lambda_function": "function_name",
    "aws_s3_bucket": "bucket",
    "aws_ecs_cluster": "name",
    "aws_elb": "name",
    "aws_cloudwatch_log_group": "name",
    "aws_config_configuration_recorder": "name",
}


def _instances(root: ModuleContext) -> list[Instance]:
    instances: list[Instance] = []
    for ctx in all_contexts(root):
        for block in ctx.decls.resource_order:
            instances.extend(expand(ctx, block).instances)
    return instances


def _index_defaults(build: Build, instances: list[Instance]) -> None:
    """Map VPC default-object tokens and security-group names to managed objects."""
    for inst in instances:
        view = inst.view
        if inst.type in _DEFAULT_ID_ARGUMENTS:
            token = view.get(_DEFAULT_ID_ARGUMENTS[inst.type])
            if isinstance(token, str):
                build.default_objects.setdefault(token, inst.address)
                # The main route table starts out as the default route table.
                for old, new in (
                    ("default_route_table_id", "main_route_table_id"),
                    ("main_route_table_id", "default_route_table_id"),
                ):
                    if token.endswith("." + old):
                        alias = token[: -len(old)] + new
                        build.default_objects.setdefault(alias, inst.address)
        elif inst.type == "aws_default_security_group":
            vpc = view.get("vpc_id")
            if isinstance(vpc, str):
                token = f"{vpc}.default_security_group_id"
                build.default_objects.setdefault(token, inst.address)
        elif inst.type in _NAME_ARGUMENTS:
            name = view.get(_NAME_ARGUMENTS[inst.type])
            if isinstance(name, str):
                build.iam_names[name].append((inst.type, inst.address))
        if inst.type == "aws_security_group":
            name = view.get("name")
            if isinstance(name, str):
                build.sg_names.setdefault(name, inst.address)


def _merge(build: Build, ctx: ModuleContext) -> dict[str, list[BaseModel]]:
    """Apply contributions from separate resources to their parents."""
    claimed: set[tuple[str, str]] = set()
    merged: dict[str, list[BaseModel]] = {}
    for kind, objects in build.objects.items():
        result: list[BaseModel] = []
        for obj in objects:
            assert isinstance(obj, BaseModel)
            obj_id = str(getattr(obj, "id", ""))
            update: dict[str, object] = dict(build.updates.get(obj_id, {}))
            for (parent, field_name), items in build.additions.items():
                if parent == obj_id and field_name in type(obj).model_fields:
                    update[field_name] = [*getattr(obj, field_name), *items]
                    claimed.add((parent, field_name))
            result.append(obj.model_copy(update=update) if update else obj)
        merged[kind] = result
    for (parent, field_name), items in build.additions.items():
        if (parent, field_name) not in claimed:
            first = items[0]
            source = getattr(first, "source", None)
            loc = Loc(source.file, source.line) if source is not None else Loc("", 0)
            ctx.notice(loc, f"{field_name} for {parent} not assessed: {parent} is not modelled")
    return merged


def build_model(ctx: ModuleContext, unit: str) -> Model:
    """The model of one module, objects in declaration order."""
    return model_from_instances(ctx, _instances(ctx), unit, image_contexts=all_contexts(ctx))


def model_from_instances(
    ctx: ModuleContext, instances: list[Instance], unit: str, image_contexts: list[ModuleContext]
) -> Model:
    """The model of resource instances (from HCL or from a plan); ``ctx`` takes notices."""
    build = Build(ctx, {inst.address for inst in instances})
    _index_defaults(build, instances)
    unmodelled: Counter[str] = Counter()
    first_seen: dict[str, Instance] = {}
    for inst in instances:
        builder = BUILDERS.get(inst.type)
        if builder is None:
            unmodelled[inst.type] += 1
            first_seen.setdefault(inst.type, inst)
            continue
        try:
            builder(build, inst)
        except ValidationError as exc:
            ctx.report_error(
                Loc(inst.file, inst.line),
                f"cannot model {inst.address}: {exc.errors()[0].get('msg', exc)}",
            )
    for kind, count in unmodelled.items():
        inst = first_seen[kind]
        noun = "resource" if count == 1 else "resources"
        ctx.notice(
            Loc(inst.file, inst.line),
            f"resource type {kind} is not modelled yet ({count} {noun})",
        )
    for module in image_contexts:
        _images(build, module)
    return Model(unit=unit, **_merge(build, ctx))


def _images(build: Build, ctx: ModuleContext) -> None:
    """Each ``data "aws_ami"`` becomes an ImageDescription (instances refer to its id)."""
    for block in ctx.decls.data.get("aws_ami", {}).values():
        for address, _, bindings in data_instances(ctx, block):
            _image(build, ctx, block, address, bindings)


def _image(
    build: Build, ctx: ModuleContext, block: Block, address: str, bindings: dict[str, Value]
) -> None:
    view = BlockView(ctx, block, bindings, block.line, "aws_ami", memo_prefix=None)
    filters = [
        value
        for f in view.children("filter")
        if f.get("name") == "name"
        for value in (f.get("values") or [])
    ]
    build.add(
        "images",
        ImageDescription(
            id=address,
            source=SourceRef(
                file=block.file, line=block.line, address=address, resource_type="aws_ami"
            ),
            owners=text_list(view.get("owners")),
            name_filters=text_list(filters),
            most_recent=flag(view.get("most_recent")),
            image_id=Unknown(reason=f"{address} is looked up at plan time"),
        ),
    )
