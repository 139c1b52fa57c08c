"""Differential test: the set analysis agrees with the packet-by-packet oracle."""

from __future__ import annotations

import ipaddress
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netaddr import IPAddress, IPSet

from policycheck.model import (
    LbListener,
    ListenerAction,
    LoadBalancer,
    Model,
    TargetGroup,
    TargetGroupAttachment,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)
from policycheck.model.addresses import protocol_number
from policycheck.reachability import ReachabilityResult, analyse
from policycheck.reachability.result import Exposure, PathKind
from tests.reachability.builders import Net, add, entry, ingress, route, src
from tests.reachability.oracle import NOT_INTERNET_V4, is_internet
from tests.reachability.oracle_paths import PathOracle

V4 = [
    "0.0.0.0/0",
    "0.0.0.0/1",
    "128.0.0.0/1",
    "203.0.113.0/24",
    "203.0.113.128/25",
    "203.0.113.7/32",
    "198.51.100.0/24",
    "8.0.0.0/8",
    "10.0.0.0/8",
    "10.0.0.0/16",
    "100.64.0.0/10",
    "10.0.1.0/24",
    "10.1.0.0/16",
    "192.168.0.0/16",
    "192.168.10.0/24",
]
V6 = ["::/0", "2000::/3", "2001:db8::/32", "2001:db8:1::/48", "2600::/16", "8000::/1", "fc00::/7"]
CIDRS = V4 + V6
PORTS = [0, 1, 21, 22, 23, 80, 443, 1023, 8080, 1024, 1025, 3389, 32767, 32768, 65534, 65535]
ICMP_TYPES = [-1, 0, 3, 8]
PROTOCOLS = ["all", "tcp", "udp", "icmp", "icmpv6", "47"]
PACKET_PROTOCOLS = [6, 17, 1, 58, 47, 50]
ON_PREMISES = ["192.168.0.0/16", "192.168.10.0/24", "172.16.0.0/12", "203.0.113.0/24"]
TOWARD_VPC = ["10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24", "10.0.0.0/8", "0.0.0.0/0"]
LB_PORTS = [22, 80, 443, 8080]
# Wide CIDRs come up often so that plenty of packets get through.
CIDR_CHOICES = st.one_of(st.sampled_from(["0.0.0.0/0", "::/0"]), st.sampled_from(CIDRS))
LIKELY = [True, True, True, False]


@st.composite
def port_range(draw: Any) -> tuple[int, int]:
    low, high = sorted((draw(st.sampled_from(PORTS)), draw(st.sampled_from(PORTS))))
    return low, high


@st.composite
def nacl_entries(draw: Any, egress: bool) -> list[Any]:
    numbers = draw(st.lists(st.integers(1, 12), min_size=1, max_size=5, unique=True))
    entries = []
    for number in numbers:
        protocol = draw(st.sampled_from(PROTOCOLS))
        ports = draw(port_range()) if protocol in ("tcp", "udp") else None
        icmp_type = draw(st.sampled_from(ICMP_TYPES)) if protocol in ("icmp", "icmpv6") else None
        entries.append(
            entry(
                number * 10,
                draw(st.sampled_from(["allow", "allow", "allow", "deny"])),
                protocol,
                draw(CIDR_CHOICES),
                ports,
                egress=egress,
                icmp_type=icmp_type,
            )
        )
    return entries


@st.composite
def sg_rules(draw: Any) -> list[Any]:
    rules = []
    for _ in range(draw(st.integers(1, 4))):
        protocol = draw(st.sampled_from(PROTOCOLS))
        if protocol in ("tcp", "udp"):
            ports: tuple[int, int] | None = draw(port_range())
        elif protocol in ("icmp", "icmpv6"):
            ports = (draw(st.sampled_from(ICMP_TYPES)), -1)
        else:
            ports = None
        if draw(st.integers(0, 5)) == 5:
            rules.append(ingress(protocol, ports, group="sg-0"))
        else:
            rules.append(ingress(protocol, ports, draw(CIDR_CHOICES)))
    return rules


@st.composite
def networks(draw: Any) -> tuple[Model, list[str]]:
    net = Net()
    net.vpc(ipv6="2600:1f18:1::/56" if draw(st.sampled_from(LIKELY)) else None)
    subnets = []
    for index in range(draw(st.integers(1, 2))):
        has_v6 = draw(st.sampled_from(LIKELY))
        subnets.append(
            net.subnet(
                f"subnet-{index}",
                cidr=f"10.0.{index}.0/24",
                map_public_ip_on_launch=draw(st.sampled_from(LIKELY)),
                ipv6_cidr_block=f"2600:1f18:1:{index}::/64" if has_v6 else None,
                assign_ipv6_address_on_creation=draw(st.sampled_from(LIKELY)),
            )
        )
    igw_state = draw(st.sampled_from(["attached"] * 8 + ["detached", "absent"]))
    if igw_state != "absent":
        net.igw("igw", vpc="vpc" if igw_state == "attached" else None)
    gateways = ["igw", "igw", "igw", "nat", "eigw"]
    vgw = draw(st.booleans()) and draw(vpn_gateway(net))
    peering = draw(st.booleans()) and draw(peer_vpc(net))
    gateways += ["vgw"] * bool(vgw) + ["pcx"] * bool(peering)
    tables = []
    for index in range(draw(st.integers(1, 2))):
        defaults = [d for d in ("0.0.0.0/0", "::/0") if draw(st.sampled_from(LIKELY))]
        others = draw(st.lists(st.sampled_from(CIDRS), max_size=3, unique=True))
        destinations = list(dict.fromkeys(defaults + others))
        routes = [
            route(dest, draw(st.sampled_from(gateways if ":" not in dest else gateways[:5])))
            for dest in destinations
        ]
        propagating = ["vgw"] if vgw and draw(st.booleans()) else []
        tables.append(net.route_table(f"rt-{index}", routes=routes, is_main=draw(st.booleans()),
                                      propagating_vgws=propagating))
    for subnet in subnets:
        choice = draw(st.sampled_from([*tables, *tables, None]))
        if choice is not None:
            net.associate(choice, subnet)
    if tables and draw(st.booleans()):
        net.main_association(draw(st.sampled_from(tables)))
    unguarded = list(subnets)
    for index in range(draw(st.sampled_from([0, 0, 1, 2]))):
        guarded = [s for s in unguarded if draw(st.booleans())]
        unguarded = [s for s in unguarded if s not in guarded]
        entries = draw(nacl_entries(False)) + draw(nacl_entries(True))
        net.nacl(
            f"acl-{index}",
            subnets=guarded,
            entries=entries,
            is_default=draw(st.integers(0, 3)) == 3,
        )
    groups = []
    for index in range(draw(st.integers(1, 3))):
        groups.append(net.sg(f"sg-{index}", rules=draw(sg_rules()), is_default=index == 2))
    interfaces = []
    for index in range(draw(st.integers(1, 3))):
        instance = net.instance(
            f"i-{index}",
            subnet=draw(st.sampled_from(subnets)),
            sgs=draw(
                st.lists(
                    st.sampled_from(groups),
                    min_size=draw(st.sampled_from([1, 0])),
                    max_size=2,
                    unique=True,
                )
            ),
            associate_public_ip_address=draw(st.sampled_from([True, True, None, False])),
            ipv6_address_count=draw(st.sampled_from([1, None, 0])),
        )
        interfaces.append(instance)
        if draw(st.integers(0, 3)) == 0:
            net.eip(f"eip-{index}", instance=instance)
    if draw(st.booleans()):
        eni = net.eni(
            "eni-x",
            subnet=draw(st.sampled_from(subnets)),
            sgs=draw(st.lists(st.sampled_from(groups), max_size=2, unique=True)),
            ipv6_address_count=draw(st.sampled_from([1, 0])),
        )
        interfaces.append(eni)
        if draw(st.booleans()):
            net.eip("eip-eni", eni=eni)
    if draw(st.sampled_from(LIKELY)):
        draw(load_balancer(net, subnets, groups, [i for i in interfaces if i.startswith("i-")]))
    return net.build(), interfaces


@st.composite
def vpn_gateway(draw: Any, net: Net) -> bool:
    """VPN gateway ``vgw`` (usually attached) with up to two connections, static or BGP."""
    add(net, "vpn_gateways", VpnGateway(
        id="vgw", source=src("vgw"), vpc="vpc" if draw(st.sampled_from(LIKELY)) else None))
    for index in range(draw(st.integers(0, 2))):
        add(net, "vpn_connections", VpnConnection(
            id=f"vpn-{index}", source=src(f"vpn-{index}"), vpn_gateway="vgw",
            static_routes_only=draw(st.sampled_from(LIKELY)),
            static_routes=draw(st.lists(st.sampled_from(ON_PREMISES), max_size=2, unique=True))))
    return True


@st.composite
def peer_vpc(draw: Any, net: Net) -> bool:
    """VPC ``vpc-peer`` (10.1.0.0/16) peered by ``pcx``; its subnets' tables send some of
    this VPC's addresses (all, one subnet's, or none) to the peering connection."""
    net.vpc("vpc-peer", cidr="10.1.0.0/16")
    add(net, "vpc_peering_connections", VpcPeeringConnection(
        id="pcx", source=src("pcx"), vpc="vpc", peer_vpc="vpc-peer"))
    for index in range(draw(st.integers(1, 2))):
        subnet = net.subnet(f"peer-{index}", vpc="vpc-peer", cidr=f"10.1.{index}.0/24")
        destinations = draw(st.lists(st.sampled_from(TOWARD_VPC), max_size=2, unique=True))
        routes = [route(d, draw(st.sampled_from(["pcx", "pcx", "igw"]))) for d in destinations]
        net.route_table(f"rt-peer-{index}", vpc="vpc-peer", routes=routes, subnets=[subnet])
    return True


@st.composite
def load_balancer(draw: Any, net: Net, subnets: list[str], groups: list[str],
                  instances: list[str]) -> None:
    """Load balancer ``lb``: an ALB, an NLB with groups or an NLB without, usually
    internet-facing, with one or two listeners forwarding to one target group whose
    attachments are some of the instances (sometimes with their own port)."""
    kind = draw(st.sampled_from(["application", "network", "network"]))
    lb_groups = draw(st.lists(st.sampled_from(groups), max_size=2, unique=True))
    add(net, "load_balancers", LoadBalancer(
        id="lb", source=src("lb", "aws_lb"), load_balancer_type=kind,
        scheme=draw(st.sampled_from(["internet-facing"] * 3 + ["internal"])),
        subnets=draw(st.lists(st.sampled_from(subnets), min_size=1, max_size=2, unique=True)),
        security_groups=lb_groups if kind == "network" else lb_groups or [groups[0]]))
    protocols = ["HTTP", "HTTPS"] if kind == "application" else ["TCP", "UDP", "TCP_UDP"]
    listener_ports = draw(st.lists(st.sampled_from(LB_PORTS), min_size=1, max_size=2,
                                   unique=True))
    for index, port in enumerate(listener_ports):
        add(net, "lb_listeners", LbListener(
            id=f"listener-{index}", source=src(f"listener-{index}", "aws_lb_listener"),
            load_balancer="lb", protocol=draw(st.sampled_from(protocols)), port=port,
            default_actions=[ListenerAction(type="forward", target_groups=["tg"])]))
    add(net, "target_groups", TargetGroup(
        id="tg", source=src("tg", "aws_lb_target_group"), vpc="vpc",
        port=draw(st.sampled_from(LB_PORTS))))
    for instance in draw(st.lists(st.sampled_from(instances), max_size=2, unique=True)):
        add(net, "target_group_attachments", TargetGroupAttachment(
            id=f"tga-{instance}", source=src(f"tga-{instance}"), target_group="tg",
            target=instance, port=draw(st.sampled_from([None, None, *LB_PORTS]))))


def _near(cidr: str) -> list[str]:
    network = ipaddress.ip_network(cidr)
    first, last = int(network.network_address), int(network.broadcast_address)
    top = 2**network.max_prefixlen - 1
    cls = ipaddress.IPv4Address if network.version == 4 else ipaddress.IPv6Address
    return [
        str(cls(value))
        for value in (first - 1, first, first + 1, last - 1, last, last + 1)
        if 0 <= value <= top
    ]


PUBLIC_SOURCES = ["1.2.3.4", "8.8.8.8", "203.0.113.7", "198.51.100.1", "2001:db8::1", "2a00::1"]


def rule_cidrs(model: Model) -> list[str]:
    """The CIDRs the model's SG rules, NACL entries, routes, subnets and VPN connections
    name."""
    cidrs = {rule.cidr for group in model.security_groups for rule in group.rules}
    cidrs |= {item.cidr for acl in model.network_acls for item in acl.entries}
    cidrs |= {r.destination for table in model.route_tables for r in table.routes}
    cidrs |= {subnet.cidr_block for subnet in model.subnets}
    cidrs |= {cidr for connection in model.vpn_connections for cidr in connection.static_routes}
    return sorted(cidr for cidr in cidrs if isinstance(cidr, str))


@st.composite
def packets(draw: Any, model: Model) -> tuple[str, int, int]:
    """A packet biased toward the model's own CIDR boundaries and rule ports."""
    ipv6 = draw(st.booleans())
    boundaries = sorted(
        {
            address
            for cidr in rule_cidrs(model)
            for address in _near(cidr)
            if (":" in address) == ipv6
        }
    )
    publics = [address for address in PUBLIC_SOURCES if (":" in address) == ipv6]
    choices = [st.sampled_from(publics)]
    if boundaries:
        choices.insert(0, st.sampled_from(boundaries))
    source = draw(st.one_of(*choices))
    protocol = draw(st.sampled_from(PACKET_PROTOCOLS))
    if protocol in (1, 58):
        port = draw(st.sampled_from([0, 3, 8, 11]))
    else:
        port = draw(st.one_of(st.sampled_from(PORTS), st.integers(0, 65535)))
    return source, protocol, port


class Coverage:
    """The analysis's exposures indexed by (interface, path kind), sources as sets."""

    def __init__(self, result: ReachabilityResult, vpc: IPSet) -> None:
        self.vpc = ranges(vpc)
        self.index: dict[tuple[str, PathKind], list[tuple[Exposure, list[Span]]]] = {}
        for exposure in result.exposures:
            key = (exposure.interface, exposure.path_kind)
            self.index.setdefault(key, []).append((exposure, ranges(IPSet(exposure.sources))))

    def covered(self, interface: str, source: str, protocol: int, port: int,
                kind: PathKind = PathKind.IGW) -> bool:
        """Whether an exposure of path kind ``kind`` covers the packet: protocol, port, and
        source in the exposure's sources outside the VPC's own blocks (and, from the
        internet, a public address)."""
        parsed = ipaddress.ip_address(source)
        address = (parsed.version, int(parsed))
        if inside(address, self.vpc):
            return False
        if kind in (PathKind.IGW, PathKind.ELB) and not is_internet(parsed):
            return False
        for exposure, sources in self.index.get((interface, kind), []):
            if exposure.protocol != "all" and protocol_number(exposure.protocol) != protocol:
                continue
            in_ports = any(low <= port <= high for low, high in exposure.ports)
            if exposure.protocol != "all" and exposure.ports and not in_ports:
                continue
            if inside(address, sources):
                return True
        return False


Span = tuple[int, int, int]
"""(IP version, first, last) of a CIDR."""


def ranges(addresses: IPSet) -> list[Span]:
    return [(cidr.version, cidr.first, cidr.last) for cidr in addresses.iter_cidrs()]


def inside(address: tuple[int, int], spans: list[Span]) -> bool:
    version, value = address
    return any(v == version and first <= value <= last for v, first, last in spans)


def exposure_probes(result: ReachabilityResult) -> list[tuple[str, str, int, int]]:
    """Packets at and just beyond the corners of every exposure: its first and last
    internet source addresses (and their neighbours), its first and last ports."""
    probes = []
    internet = IPSet([str(net) for net in NOT_INTERNET_V4])
    for exposure in [e for e in result.exposures if e.path_kind is PathKind.IGW][:40]:
        reached = IPSet(exposure.sources) - internet
        cidrs = list(reached.iter_cidrs())[:3]
        addresses = set()
        for cidr in cidrs:
            for value in (cidr.first - 1, cidr.first, cidr.last, cidr.last + 1):
                if 0 <= value < 2 ** (32 if cidr.version == 4 else 128):
                    addresses.add(str(IPAddress(value, cidr.version)))
        if exposure.protocol == "all":
            protocols = [6, 58 if any(":" in a for a in addresses) else 1, 47]
        else:
            protocols = [protocol_number(exposure.protocol) or 0]
        ports = {0}
        for low, high in exposure.ports:
            ports |= {low - 1, low, high, high + 1}
        for address in sorted(addresses):
            for protocol in protocols:
                top = 255 if protocol in (1, 58) else 65535
                for port in sorted(p for p in ports if 0 <= p <= top):
                    probes.append((exposure.interface, address, protocol, port))
    return probes


def lb_nodes(model: Model) -> list[str]:
    """The interface names of the load balancers' nodes."""
    names = []
    for lb in model.load_balancers:
        refs = [s for s in lb.subnets if isinstance(s, str)]
        names += [lb.id if len(refs) == 1 else f"{lb.id} ({ref})" for ref in refs]
    return names


def private_probes(model: Model, result: ReachabilityResult
                   ) -> list[tuple[str, str, int, int]]:
    """Packets at the corners of every ELB, VGW and PEERING exposure, and toward every
    load balancer target port from a few clients."""
    probes = []
    for exposure in result.exposures:
        if exposure.path_kind is PathKind.IGW:
            continue
        cidrs = list(IPSet(exposure.sources).iter_cidrs())[:3]
        protocol = 6 if exposure.protocol == "all" else protocol_number(exposure.protocol) or 0
        ports = {port for low, high in exposure.ports for port in (low - 1, low, high, high + 1)}
        for cidr in cidrs:
            for value in (cidr.first - 1, cidr.first, cidr.last, cidr.last + 1):
                if 0 <= value < 2**32 and cidr.version == 4:
                    top = 255 if protocol in (1, 58) else 65535
                    for port in sorted(p for p in ports or {0} if 0 <= p <= top):
                        probes.append((exposure.interface, str(IPAddress(value)), protocol, port))
    for attachment in model.target_group_attachments:
        for source in ("8.8.8.8", "203.0.113.7", "198.51.100.1"):
            for port in LB_PORTS:
                for protocol in (6, 17):
                    probes.append((str(attachment.target), source, protocol, port))
    return probes


KINDS = {
    PathKind.IGW: "reaches",
    PathKind.ELB: "reaches_via_lb",
    PathKind.VGW: "reaches_via_vgw",
    PathKind.PEERING: "reaches_via_peering",
}


def agree(coverage: Coverage, oracle: PathOracle, interface: str,
          packet: tuple[str, int, int], kinds: list[PathKind], label: str) -> None:
    source, protocol, port = packet
    for kind in kinds:
        expected = getattr(oracle, KINDS[kind])(interface, source, protocol, port)
        assert coverage.covered(interface, source, protocol, port, kind) == expected, (
            label, kind.value, interface, source, protocol, port)


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_analysis_matches_packet_oracle(data: st.DataObject) -> None:
    model, interfaces = data.draw(networks())
    sample = data.draw(st.lists(packets(model), min_size=12, max_size=12))
    result = analyse(model)
    oracle = PathOracle(model)
    vpc = IPSet([c for v in model.vpcs if v.id == "vpc"
                 for c in [*v.cidr_blocks, *v.ipv6_cidr_blocks]])
    coverage = Coverage(result, vpc)
    kinds = list(KINDS)
    for interface in interfaces:
        for packet in sample:
            agree(coverage, oracle, interface, packet, kinds, "sample")
    for interface, source, protocol, port in exposure_probes(result):
        agree(coverage, oracle, interface, (source, protocol, port), [PathKind.IGW], "probe")
    for interface, source, protocol, port in private_probes(model, result):
        agree(coverage, oracle, interface, (source, protocol, port), kinds[1:], "probe")
    for node in lb_nodes(model):
        for packet in sample:
            source, protocol, port = packet
            expected = oracle.reaches(node, source, protocol, port)
            assert coverage.covered(node, source, protocol, port) == expected, (
                "lb node", node, source, protocol, port)
    for verdict in result.verdicts:
        has_exposure = any(
            e.interface == verdict.interface and e.path_kind == verdict.path_kind
            and any((":" in s) == (verdict.address_family == "ipv6") for s in e.sources)
            for e in result.exposures
        )
        assert verdict.reachable == has_exposure
        assert verdict.reachable or verdict.blockers, verdict
