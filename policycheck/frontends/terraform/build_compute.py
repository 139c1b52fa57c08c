"""EC2 instances and network interfaces (with their attachments)."""

from __future__ import annotations

import base64

from policycheck.frontends.terraform.build import (
    Build,
    Builder,
    flag,
    integer,
    tags,
    text,
    text_list,
)
from policycheck.frontends.terraform.build_services import (
    devices,
    instance_profile_ref,
    metadata_options,
    user_data_origin,
)
from policycheck.frontends.terraform.expand import BlockView, Instance
from policycheck.frontends.terraform.values import Value
from policycheck.model import Instance as Ec2Instance
from policycheck.model import InterfaceAttachment, NetworkInterface, Ref, Unknown


def _group_by_name(build: Build, value: Value) -> Ref:
    """``security_groups`` on an instance holds names: find the group declaring it."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, str) and value in build.known_ids:
        return value
    if isinstance(value, str) and value in build.sg_names:
        return build.sg_names[value]
    return Unknown(reason=f"no security group named {value!r} in this configuration")


def instance(build: Build, inst: Instance) -> None:
    view = inst.view
    groups = build.refs(view.get("vpc_security_group_ids"))
    names = view.get("security_groups")
    if isinstance(names, Unknown):
        groups.append(names)
    elif isinstance(names, list):
        groups.extend(_group_by_name(build, name) for name in names)
    attachments = [
        InterfaceAttachment(
            device_index=_device_index(nic.get("device_index")),
            network_interface=build.ref(nic.get("network_interface_id")),
            source=build.nested_source(inst, nic),
        )
        for nic in view.children("network_interface")
    ]
    public_ip = flag(view.get("associate_public_ip_address"))
    build.add(
        "instances",
        Ec2Instance(
            id=inst.address,
            source=build.source(inst),
            tags=tags(view),
            subnet=build.optional_ref(view.get("subnet_id")),
            security_groups=groups,
            associate_public_ip_address=public_ip,
            ipv6_address_count=integer(view.get("ipv6_address_count")),
            ipv6_addresses=text_list(view.get("ipv6_addresses")),
            network_interfaces=attachments,
            ami=text(view.get("ami")),
            instance_type=text(view.get("instance_type")),
            user_data=_user_data(view),
            user_data_origin=user_data_origin(view, build.source(inst)),
            launch_template=_template(build, view),
            metadata_options=metadata_options(view),
            block_devices=devices(build, inst),
            iam_instance_profile=instance_profile_ref(build, view.get("iam_instance_profile")),
        ),
    )


def _user_data(view: BlockView) -> str | Unknown | None:
    if view.has("user_data_base64"):
        value = text(view.get("user_data_base64"))
        if isinstance(value, str):
            try:
                return base64.b64decode(value, validate=True).decode()
            except ValueError:
                return Unknown(reason="user_data_base64 is not valid base64")
        return value
    return text(view.get("user_data"))


def _template(build: Build, view: BlockView) -> Ref | None:
    for block in view.children("launch_template"):
        return build.ref(block.get("id") or block.get("name"))
    return None


def _device_index(value: Value) -> int | Unknown:
    number = integer(value)
    return Unknown(reason="device_index is not set") if number is None else number


def network_interface(build: Build, inst: Instance) -> None:
    view = inst.view
    private_ips = text_list(view.get("private_ips"))
    if not private_ips and view.has("private_ip"):
        private_ips = text_list(view.get("private_ip"))
    attached: Ref | None = None
    device_index: int | Unknown | None = None
    for attachment in view.children("attachment"):
        attached = build.ref(attachment.get("instance"))
        device_index = _device_index(attachment.get("device_index"))
    count = integer(view.get("ipv6_address_count"))
    build.add(
        "network_interfaces",
        NetworkInterface(
            id=inst.address,
            source=build.source(inst),
            tags=tags(view),
            subnet=build.ref(view.get("subnet_id")),
            security_groups=build.refs(view.get("security_groups")),
            private_ips=private_ips,
            ipv6_address_count=0 if count is None else count,
            ipv6_addresses=text_list(view.get("ipv6_addresses")),
            attached_instance=attached,
            device_index=device_index,
        ),
    )


def network_interface_attachment(build: Build, inst: Instance) -> None:
    view = inst.view
    interface = build.ref(view.get("network_interface_id"))
    build.set_later(interface, "attached_instance", build.ref(view.get("instance_id")))
    build.set_later(interface, "device_index", _device_index(view.get("device_index")))


def network_interface_sg_attachment(build: Build, inst: Instance) -> None:
    view = inst.view
    build.contribute(
        build.ref(view.get("network_interface_id")),
        "security_groups",
        build.ref(view.get("security_group_id")),
    )


BUILDERS: dict[str, Builder] = {
    "aws_instance": instance,
    "aws_network_interface": network_interface,
    "aws_network_interface_attachment": network_interface_attachment,
    "aws_network_interface_sg_attachment": network_interface_sg_attachment,
}
