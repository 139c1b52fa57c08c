"""Instances and network interfaces.

An instance's ``NetworkInterfaces`` entry with ``DeviceIndex`` 0 and no
``NetworkInterfaceId`` creates its primary interface: its subnet, groups and
addressing are written on the Instance itself. Entries naming an existing interface
become InterfaceAttachments; other entries create an interface at launch, modelled
as a NetworkInterface ``<Instance>.NetworkInterfaces[<position>]``.
"""

from __future__ import annotations

import base64
import binascii

from policycheck.frontends.cloudformation.build_network import optional_ref, required_ref
from policycheck.frontends.cloudformation.build_security import group_by_name
from policycheck.frontends.cloudformation.decode import line_of
from policycheck.frontends.cloudformation.draft import BuildContext
from policycheck.frontends.cloudformation.values import (
    LogicalId,
    Obj,
    Value,
    as_bool,
    as_int,
    as_list,
    as_ref,
    as_refs,
    as_text,
    tags_of,
)
from policycheck.model import (
    BlockDevice,
    Instance,
    InterfaceAttachment,
    MetadataOptions,
    NetworkInterface,
    Unknown,
)
from policycheck.model.compute import UserDataOrigin


def _ipv6_addresses(value: Value) -> list[str | Unknown]:
    items = as_list(value)
    if isinstance(items, Unknown):
        return [items]
    addresses: list[str | Unknown] = []
    for item in items:
        text = as_text(item.get("Ipv6Address")) if isinstance(item, Obj) else as_text(item)
        addresses.append(text if text is not None else Unknown(reason="no IPv6 address"))
    return addresses


def _group_names(ctx: BuildContext, value: Value) -> list[str | Unknown]:
    """``SecurityGroups`` (names, or Refs to groups of the template) as group ids."""
    items = as_list(value)
    if isinstance(items, Unknown):
        return [items]
    return [
        str(item) if isinstance(item, LogicalId) else group_by_name(ctx.draft, item)
        for item in items
    ]


def _user_data(ctx: BuildContext) -> str | Unknown | None:
    """The user data as plain text (``Fn::Base64`` input, or decoded base64)."""
    raw = ctx.decl.properties.get("UserData") if isinstance(ctx.decl.properties, dict) else None
    text = as_text(ctx.get("UserData"))
    if not isinstance(text, str) or (isinstance(raw, dict) and "Fn::Base64" in raw):
        return text
    try:
        return base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return text


def _raw_text_node(node: object) -> tuple[object, str] | None:
    """The node around user data's text as written, and that text: through ``Fn::Base64``
    and ``Fn::Sub`` (a string, or the string of ``[string, variables]``)."""
    for _ in range(3):
        if isinstance(node, str):
            return node, node
        if isinstance(node, dict) and len(node) == 1:
            (key, inner), = node.items()
            if key == "Fn::Base64" or (key == "Fn::Sub" and isinstance(inner, str)):
                if isinstance(inner, str):
                    return node, inner
                node = inner
                continue
            if key == "Fn::Sub" and isinstance(inner, list) and inner \
                    and isinstance(inner[0], str):
                return inner[0], inner[0]
        return None
    return None


def user_data_origin(ctx: BuildContext, parent: object, key: str = "UserData"
                     ) -> UserDataOrigin | None:
    """Where ``parent[key]`` (user data) is written: the line of its text's first line when
    it is a YAML block scalar (the text ends where the node ends), else the key's line."""
    if not isinstance(parent, dict):
        return None
    name = next((k for k in parent if k == key), None)
    if name is None:
        return None
    key_line = line_of(name) or ctx.decl.line
    found = _raw_text_node(parent[name])
    if found is not None:
        node, text = found
        end = getattr(getattr(node, "end_mark", None), "line", None)
        start = getattr(getattr(node, "start_mark", None), "line", None)
        count = len(text.splitlines())
        if "\n" in text and isinstance(end, int) and isinstance(start, int) \
                and end - start >= count:
            return UserDataOrigin(source=ctx.source_at(end - count + 1), inline=True)
    return UserDataOrigin(source=ctx.source_at(key_line), inline=False)


def build_instance(ctx: BuildContext) -> None:
    """``AWS::EC2::Instance``."""
    fields: dict[str, object] = {
        "subnet": optional_ref(ctx, "SubnetId", "subnet"),
        "security_groups": [
            *as_refs(ctx.get("SecurityGroupIds"), "security group"),
            *_group_names(ctx, ctx.get("SecurityGroups")),
        ],
        "ipv6_address_count": as_int(ctx.get("Ipv6AddressCount")),
        "ipv6_addresses": _ipv6_addresses(ctx.get("Ipv6Addresses")),
    }
    attachments: list[InterfaceAttachment] = []
    interfaces = as_list(ctx.get("NetworkInterfaces"))
    if isinstance(interfaces, Unknown):
        ctx.notice(f"NetworkInterfaces is unknown ({interfaces.reason}); not modelled")
        interfaces = []
    for position, item in enumerate(interfaces):
        if not isinstance(item, Obj):
            continue
        index = as_int(item.get("DeviceIndex"))
        if index is None:
            index = Unknown(reason="interface has no DeviceIndex")
        source = ctx.source_at(item.line)
        if item.get("NetworkInterfaceId") is not None:
            eni = as_ref(item.get("NetworkInterfaceId"), "network interface")
            attachments.append(
                InterfaceAttachment(device_index=index, network_interface=eni, source=source)
            )
        elif index == 0:
            fields["subnet"] = optional_ref_of(item, "SubnetId", "subnet")
            fields["security_groups"] = as_refs(item.get("GroupSet"), "security group")
            fields["associate_public_ip_address"] = as_bool(item.get("AssociatePublicIpAddress"))
            fields["ipv6_address_count"] = as_int(item.get("Ipv6AddressCount"))
            fields["ipv6_addresses"] = _ipv6_addresses(item.get("Ipv6Addresses"))
        else:
            eni_id = f"{ctx.id}.NetworkInterfaces[{position}]"
            ctx.draft.network_interfaces[eni_id] = _interface(
                eni_id, item, source, attached_instance=ctx.id, device_index=index
            )
            attachments.append(
                InterfaceAttachment(device_index=index, network_interface=eni_id, source=source)
            )
    ctx.draft.instances[ctx.id] = Instance.model_validate(
        {
            "id": ctx.id,
            "source": ctx.source,
            "tags": tags_of(ctx.get("Tags")),
            **fields,
            "network_interfaces": attachments,
            "ami": as_text(ctx.get("ImageId")),
            "instance_type": as_text(ctx.get("InstanceType")),
            "user_data": _user_data(ctx),
            "user_data_origin": user_data_origin(ctx, ctx.decl.properties),
            "metadata_options": metadata_options(ctx.get("MetadataOptions")),
            "block_devices": block_devices(ctx, ctx.get("BlockDeviceMappings")),
            "iam_instance_profile": optional_ref(ctx, "IamInstanceProfile", "instance profile"),
            "launch_template": _launch_template(ctx.get("LaunchTemplate")),
        }
    )


def optional_ref_of(item: Obj, name: str, what: str) -> str | Unknown | None:
    """A reference inside a sub-object, None when absent."""
    value = item.get(name)
    return None if value is None else as_ref(value, what)


def _interface(
    eni_id: str,
    props: Obj,
    source: object,
    attached_instance: str | None = None,
    device_index: int | Unknown | None = None,
) -> NetworkInterface:
    private_ips = _private_ips(props)
    subnet = props.get("SubnetId")
    return NetworkInterface.model_validate(
        {
            "id": eni_id,
            "source": source,
            "tags": tags_of(props.get("Tags")),
            "subnet": as_ref(subnet, "subnet")
            if subnet is not None
            else Unknown(reason=f"{eni_id} has no SubnetId"),
            "security_groups": as_refs(props.get("GroupSet"), "security group"),
            "private_ips": private_ips,
            "ipv6_address_count": as_int(props.get("Ipv6AddressCount")) or 0,
            "ipv6_addresses": _ipv6_addresses(props.get("Ipv6Addresses")),
            "attached_instance": attached_instance,
            "device_index": device_index,
        }
    )


def _private_ips(props: Obj) -> list[str | Unknown]:
    """``PrivateIpAddress`` and ``PrivateIpAddresses``, each address once, in order."""
    candidates: list[Value] = [props.get("PrivateIpAddress")]
    listed = as_list(props.get("PrivateIpAddresses"))
    if isinstance(listed, Unknown):
        candidates.append(listed)
    else:
        candidates.extend(item.get("PrivateIpAddress") for item in listed if isinstance(item, Obj))
    addresses: list[str | Unknown] = []
    for candidate in candidates:
        address = as_text(candidate)
        if address is not None and address not in addresses:
            addresses.append(address)
    return addresses


def build_network_interface(ctx: BuildContext) -> None:
    """``AWS::EC2::NetworkInterface``."""
    ctx.draft.network_interfaces[ctx.id] = _interface(ctx.id, ctx.props, ctx.source)


def build_network_interface_attachment(ctx: BuildContext) -> None:
    """``AWS::EC2::NetworkInterfaceAttachment``: records the instance on the interface."""
    eni_id = required_ref(ctx, "NetworkInterfaceId", "network interface")
    eni = ctx.draft.network_interfaces.get(eni_id) if isinstance(eni_id, str) else None
    if eni is None:
        ctx.notice(f"network interface {eni_id} is not in this template; not modelled")
        return
    index = as_int(ctx.get("DeviceIndex"))
    ctx.draft.network_interfaces[eni.id] = eni.model_copy(
        update={
            "attached_instance": required_ref(ctx, "InstanceId", "instance"),
            "device_index": index if index is not None else Unknown(reason="no DeviceIndex"),
        }
    )


def user_data_text(value: Value) -> str | Unknown | None:
    """User data nested in another property (launch templates): ``Fn::Base64`` resolves
    to its plain input, while a literal is base64 and is decoded when it decodes."""
    text = as_text(value)
    if not isinstance(text, str):
        return text
    try:
        return base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return text


ROOT_DEVICE_NAMES = frozenset({"/dev/xvda", "/dev/sda1"})
"""The root device of Amazon Linux and of Ubuntu/Windows AMIs: a mapping for one of
them sets the root volume (the AMI's own root device name is not in the template)."""


def _obj_items(value: Value) -> list[Obj]:
    items = as_list(value)
    return [] if isinstance(items, Unknown) else [i for i in items if isinstance(i, Obj)]


def metadata_options(value: Value) -> MetadataOptions | None:
    """``MetadataOptions`` of an instance or launch template."""
    if not isinstance(value, Obj):
        return None
    return MetadataOptions(
        http_endpoint=as_text(value.get("HttpEndpoint")),
        http_tokens=as_text(value.get("HttpTokens")),
        http_put_response_hop_limit=as_int(value.get("HttpPutResponseHopLimit")))


def block_devices(ctx: BuildContext, value: Value) -> list[BlockDevice]:
    """``BlockDeviceMappings`` with their EBS settings."""
    devices = []
    for item in _obj_items(value):
        ebs = item.get("Ebs")
        if not isinstance(ebs, Obj):
            continue
        key = ebs.get("KmsKeyId")
        name = as_text(item.get("DeviceName"))
        devices.append(BlockDevice(
            device_name=name, root=name in ROOT_DEVICE_NAMES,
            encrypted=as_bool(ebs.get("Encrypted")),
            kms_key=None if key is None else as_ref(key, "KMS key"),
            volume_type=as_text(ebs.get("VolumeType")), source=ctx.source_at(item.line)))
    return devices


def _launch_template(value: Value) -> str | Unknown | None:
    if not isinstance(value, Obj):
        return None
    ref = value.get("LaunchTemplateId") or value.get("LaunchTemplateName")
    return as_ref(ref, "launch template")
