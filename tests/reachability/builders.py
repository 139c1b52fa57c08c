"""A small builder for hand-made models in reachability tests."""

from __future__ import annotations

from typing import Any

from policycheck.model import (
    EgressOnlyInternetGateway,
    ElasticIp,
    Instance,
    InterfaceAttachment,
    InternetGateway,
    MainRouteTableAssociation,
    Model,
    NaclEntry,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    Route,
    RouteTable,
    RouteTableAssociation,
    RouteTargetKind,
    SecurityGroup,
    SgRule,
    SourceRef,
    Subnet,
    Unknown,
    Vpc,
)

_line = 0


def src(address: str, resource_type: str = "aws_thing") -> SourceRef:
    """A distinct source reference for ``address``."""
    global _line
    _line += 1
    return SourceRef(file="main.tf", line=_line, address=address, resource_type=resource_type)


def unknown(reason: str = "var.x has no value") -> Unknown:
    return Unknown(reason=reason)


_KINDS = {
    "igw": RouteTargetKind.INTERNET_GATEWAY,
    "nat": RouteTargetKind.NAT_GATEWAY,
    "eigw": RouteTargetKind.EGRESS_ONLY_INTERNET_GATEWAY,
    "local": RouteTargetKind.LOCAL,
    "pcx": RouteTargetKind.VPC_PEERING,
    "vgw": RouteTargetKind.VPN_GATEWAY,
    "tgw": RouteTargetKind.TRANSIT_GATEWAY,
    "unknown": RouteTargetKind.UNKNOWN,
}


def route(destination: Any, target: Any, kind: str | None = None, prefix_list: Any = None) -> Route:
    """A route; ``kind`` defaults to the prefix of the target id (``igw``, ``nat``, ``eigw``)."""
    if kind is None:
        kind = str(target).split(".")[0].split("-")[0]
    return Route(
        destination=destination,
        destination_prefix_list=prefix_list,
        target_kind=_KINDS[kind],
        target=target,
        source=src(f"route {destination}"),
    )


def entry(
    number: Any,
    action: Any,
    protocol: Any,
    cidr: Any,
    ports: tuple[Any, Any] | None = None,
    *,
    egress: bool = False,
    icmp_type: Any = None,
) -> NaclEntry:
    return NaclEntry(
        rule_number=number,
        egress=egress,
        protocol=protocol,
        action=action,
        cidr=cidr,
        from_port=ports[0] if ports else None,
        to_port=ports[1] if ports else None,
        icmp_type=icmp_type,
        source=src(f"nacl entry {number}"),
    )


def ingress(
    protocol: Any,
    ports: tuple[Any, Any] | None = None,
    cidr: Any = None,
    *,
    group: Any = None,
    prefix_list: Any = None,
) -> SgRule:
    return SgRule(
        direction="ingress",
        protocol=protocol,
        from_port=ports[0] if ports else None,
        to_port=ports[1] if ports else None,
        cidr=cidr,
        security_group=group,
        prefix_list=prefix_list,
        source=src(f"sg rule {protocol} {ports} {cidr}"),
    )


class Net:
    """Collects model objects; ``build()`` returns the Model."""

    def __init__(self) -> None:
        self.parts: dict[str, list[Any]] = {}

    def _add(self, field: str, obj: Any) -> str:
        self.parts.setdefault(field, []).append(obj)
        return str(obj.id)

    def vpc(self, id: str = "vpc", cidr: str = "10.0.0.0/16", ipv6: Any = None) -> str:
        ipv6_blocks = [ipv6] if ipv6 is not None else []
        obj = Vpc(id=id, source=src(id), cidr_blocks=[cidr], ipv6_cidr_blocks=ipv6_blocks)
        return self._add("vpcs", obj)

    def subnet(
        self, id: str = "subnet", vpc: Any = "vpc", cidr: str = "10.0.1.0/24", **kw: Any
    ) -> str:
        return self._add("subnets", Subnet(id=id, source=src(id), vpc=vpc, cidr_block=cidr, **kw))

    def igw(self, id: str = "igw", vpc: Any = "vpc") -> str:
        return self._add("internet_gateways", InternetGateway(id=id, source=src(id), vpc=vpc))

    def eigw(self, id: str = "eigw", vpc: str = "vpc") -> str:
        obj = EgressOnlyInternetGateway(id=id, source=src(id), vpc=vpc)
        return self._add("egress_only_internet_gateways", obj)

    def nat(self, id: str = "nat", subnet: str = "subnet") -> str:
        return self._add("nat_gateways", NatGateway(id=id, source=src(id), subnet=subnet))

    def route_table(
        self,
        id: str = "rt",
        vpc: Any = "vpc",
        routes: list[Route] | None = None,
        subnets: list[Any] | None = None,
        is_main: bool = False,
        propagating_vgws: list[Any] | None = None,
    ) -> str:
        table = RouteTable(id=id, source=src(id), vpc=vpc, routes=routes or [], is_main=is_main,
                           propagating_vgws=propagating_vgws or [])
        for subnet in subnets or []:
            self.associate(id, subnet)
        return self._add("route_tables", table)

    def associate(self, table: Any, subnet: Any) -> str:
        assoc_id = f"assoc-{table}-{subnet}"
        obj = RouteTableAssociation(
            id=assoc_id, source=src(assoc_id), route_table=table, subnet=subnet
        )
        return self._add("route_table_associations", obj)

    def main_association(self, table: str, vpc: str = "vpc") -> str:
        obj = MainRouteTableAssociation(
            id=f"main-{table}", source=src(table), vpc=vpc, route_table=table
        )
        return self._add("main_route_table_associations", obj)

    def nacl(
        self,
        id: str = "acl",
        vpc: str = "vpc",
        subnets: list[Any] | None = None,
        entries: list[NaclEntry] | None = None,
        is_default: bool = False,
    ) -> str:
        obj = NetworkAcl(
            id=id,
            source=src(id),
            vpc=vpc,
            subnets=subnets if subnets is not None else ["subnet"],
            entries=entries or [],
            is_default=is_default,
        )
        return self._add("network_acls", obj)

    def sg(
        self,
        id: str = "sg",
        rules: list[SgRule] | None = None,
        vpc: Any = "vpc",
        is_default: bool = False,
    ) -> str:
        obj = SecurityGroup(
            id=id, source=src(id), vpc=vpc, rules=rules or [], is_default=is_default
        )
        return self._add("security_groups", obj)

    def instance(
        self, id: str = "web", subnet: Any = "subnet", sgs: list[Any] | None = None, **kw: Any
    ) -> str:
        obj = Instance(
            id=id, source=src(id, "aws_instance"), subnet=subnet, security_groups=sgs or [], **kw
        )
        return self._add("instances", obj)

    def eni(
        self, id: str = "eni", subnet: Any = "subnet", sgs: list[Any] | None = None, **kw: Any
    ) -> str:
        obj = NetworkInterface(
            id=id, source=src(id), subnet=subnet, security_groups=sgs or [], **kw
        )
        return self._add("network_interfaces", obj)

    def eip(self, id: str = "eip", instance: Any = None, eni: Any = None) -> str:
        obj = ElasticIp(id=id, source=src(id), instance=instance, network_interface=eni)
        return self._add("elastic_ips", obj)

    def build(self) -> Model:
        return Model(unit=".", **self.parts)


def attachment(eni: str, index: int = 0) -> InterfaceAttachment:
    return InterfaceAttachment(device_index=index, network_interface=eni, source=src(eni))


def public_net(
    *,
    sg_rules: list[SgRule] | None = None,
    routes: list[Route] | None = None,
    map_public: bool = True,
    ipv6: bool = False,
) -> Net:
    """VPC 10.0.0.0/16 with an IGW, public subnet, route table 0.0.0.0/0 -> igw and a
    group ``sg`` (ssh from anywhere unless ``sg_rules``); no instance yet."""
    net = Net()
    net.vpc(ipv6="2600:1f18:1::/56" if ipv6 else None)
    net.subnet(
        map_public_ip_on_launch=map_public,
        ipv6_cidr_block="2600:1f18:1:1::/64" if ipv6 else None,
        assign_ipv6_address_on_creation=ipv6,
    )
    net.igw()
    default_routes = [route("0.0.0.0/0", "igw")] + ([route("::/0", "igw")] if ipv6 else [])
    net.route_table(routes=routes if routes is not None else default_routes, subnets=["subnet"])
    net.sg(rules=sg_rules if sg_rules is not None else [ingress("tcp", (22, 22), "0.0.0.0/0")])
    return net


def reaches(result: Any, interface: str, source: str, protocol: int, port: int = 0) -> bool:
    """Whether some exposure of ``interface`` covers the packet (source must be internet)."""
    from netaddr import IPAddress, IPSet

    from policycheck.model.addresses import protocol_number
    from policycheck.reachability.sets import internet_addresses

    address = IPAddress(source)
    if address not in internet_addresses():
        return False
    for exposure in result.exposures:
        if exposure.interface != interface:
            continue
        if exposure.protocol != "all" and protocol_number(exposure.protocol) != protocol:
            continue
        in_ports = any(low <= port <= high for low, high in exposure.ports)
        if exposure.protocol != "all" and exposure.ports and not in_ports:
            continue
        if address in IPSet(exposure.sources):
            return True
    return False


def verdict(result: Any, interface: str, family: str = "ipv4") -> Any:
    return next(
        v for v in result.verdicts if v.interface == interface and v.address_family == family
    )


def codes(result: Any, interface: str, family: str = "ipv4") -> list[str]:
    return sorted({b.code for b in verdict(result, interface, family).blockers})


def add(net: Net, field: str, obj: Any) -> str:
    """Add any model object to ``field`` of the model being built."""
    return net._add(field, obj)


def lb_net(*, lb_type: str = "application", lb_groups: list[str] | None = None,
           web_rules: list[SgRule] | None = None, target_port: int = 8080,
           listener_port: int = 443, protocol: str = "HTTPS") -> Net:
    """A public subnet ``public`` (10.0.1.0/24, routed to the IGW) holding load balancer
    ``lb`` with a listener forwarding to target group ``tg`` (port ``target_port``), and a
    private subnet ``private`` (10.0.2.0/24, no IGW route) holding instance ``web``."""
    from policycheck.model import (
        LbListener,
        ListenerAction,
        LoadBalancer,
        TargetGroup,
        TargetGroupAttachment,
    )

    net = Net()
    net.vpc()
    net.subnet("public", cidr="10.0.1.0/24")
    net.subnet("private", cidr="10.0.2.0/24")
    net.igw()
    net.route_table("rt-public", routes=[route("0.0.0.0/0", "igw")], subnets=["public"])
    net.route_table("rt-private", routes=[], subnets=["private"])
    groups = lb_groups if lb_groups is not None else ["sg-lb"]
    if groups:
        net.sg("sg-lb", rules=[ingress("tcp", (listener_port, listener_port), "0.0.0.0/0")])
    net.sg("sg-web", rules=web_rules if web_rules is not None
           else [ingress("tcp", (target_port, target_port), group="sg-lb")])
    net.instance("web", subnet="private", sgs=["sg-web"])
    add(net, "load_balancers", LoadBalancer(
        id="lb", source=src("lb", "aws_lb"), load_balancer_type=lb_type,
        subnets=["public"], security_groups=groups))
    add(net, "lb_listeners", LbListener(
        id="listener", source=src("listener", "aws_lb_listener"), load_balancer="lb",
        protocol=protocol, port=listener_port,
        default_actions=[ListenerAction(type="forward", target_groups=["tg"])]))
    add(net, "target_groups", TargetGroup(id="tg", source=src("tg", "aws_lb_target_group"),
                                          vpc="vpc", protocol="HTTP", port=target_port))
    add(net, "target_group_attachments", TargetGroupAttachment(
        id="tga", source=src("tga"), target_group="tg", target="web"))
    return net
