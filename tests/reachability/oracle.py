"""A packet-by-packet simulator of the IGW path, written independently of the set analysis.

It walks one concrete packet (source address, protocol number, destination port or ICMP
type) through AWS's checks with the standard library's ``ipaddress`` — no interval or
address sets, no code shared with ``policycheck.reachability`` — so that the property
test can compare the two.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable

from policycheck.model import (
    Instance,
    Model,
    NaclEntry,
    NetworkAcl,
    NetworkInterface,
    RouteTargetKind,
    SecurityGroup,
    Subnet,
)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

NUMBERS = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}
NOT_INTERNET_V4 = [
    ipaddress.ip_network(cidr)
    for cidr in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
]
GLOBAL_V6 = ipaddress.ip_network("2000::/3")


def is_internet(address: Address) -> bool:
    if address.version == 4:
        return not any(address in net for net in NOT_INTERNET_V4)
    return address in GLOBAL_V6


@functools.cache
def parse(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(cidr, strict=False)


def contains(cidr: str, address: Address) -> bool:
    network = parse(cidr)
    return network.version == address.version and address in network


def protocol_matches(rule_protocol: str, protocol: int) -> bool:
    if rule_protocol == "all":
        return True
    return NUMBERS.get(rule_protocol) == protocol or rule_protocol == str(protocol)


def port_matches(
    protocol: int, port: int, low: int | None, high: int | None, rule_protocol: str
) -> bool:
    """tcp/udp: low..high; icmp: low is the type (-1/None: all); otherwise no ports."""
    if rule_protocol == "all":
        return True
    if protocol in (6, 17):
        return (low is None or low <= port) and (high is None or port <= high)
    if protocol in (1, 58):
        return low is None or low == -1 or low == port
    return True


def entry_matches(entry: NaclEntry, address: Address, protocol: int, port: int) -> bool:
    assert isinstance(entry.protocol, str) and isinstance(entry.cidr, str)
    if not contains(entry.cidr, address) or not protocol_matches(entry.protocol, protocol):
        return False
    if protocol in (1, 58):
        low = entry.icmp_type if isinstance(entry.icmp_type, int) else None
        return port_matches(protocol, port, low, None, entry.protocol)
    low = entry.from_port if isinstance(entry.from_port, int) else None
    high = entry.to_port if isinstance(entry.to_port, int) else None
    return port_matches(protocol, port, low, high, entry.protocol)


def first_match_allows(
    entries: Iterable[NaclEntry], address: Address, protocol: int, port: int
) -> bool:
    for entry in sorted(entries, key=lambda e: e.rule_number):  # type: ignore[arg-type,return-value]
        if entry_matches(entry, address, protocol, port):
            return entry.action == "allow"
    return False


def reply_candidates(entries: list[NaclEntry], protocol: int) -> list[int]:
    """Every client port (or ICMP type) a reply could go to that can change the outcome.

    For TCP/UDP, which egress entries match port q depends only on where q lies relative
    to each entry's from_port and to_port + 1; between two consecutive such boundaries the
    set of matching entries — and so the first match — is constant. The left end of every
    such piece of 1024..65535 is 1024 or a boundary inside the range, so checking those
    (plus their neighbours and 65535, harmlessly) decides "allowed for at least one port".
    For ICMP an entry matches one type or all, so the entries' types plus one type no
    entry names cover every case. Other protocols have no ports.
    """
    if protocol in (6, 17):
        points = {1024, 65535}
        for entry in entries:
            for value in (entry.from_port, entry.to_port):
                if isinstance(value, int):
                    points.update({value - 1, value, value + 1})
        return sorted(point for point in points if 1024 <= point <= 65535)
    if protocol in (1, 58):
        named = {entry.icmp_type for entry in entries if isinstance(entry.icmp_type, int)}
        spare = next(value for value in range(300) if value not in named)
        return sorted({value for value in named if isinstance(value, int) and value >= 0} | {spare})
    return [0]


class Oracle:
    """Answers "does this packet from the internet reach this interface?"."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def _subnet(self, ref: object) -> Subnet | None:
        return next((s for s in self.model.subnets if s.id == ref), None)

    def _interface(self, interface: str) -> tuple[Subnet | None, list[str], bool, bool]:
        """(subnet, groups, has public IPv4, has IPv6)."""
        model = self.model
        for eni in model.network_interfaces:
            if eni.id == interface:
                return self._eni(eni)
        instance = next(i for i in model.instances if i.id == interface)
        return self._instance(instance)

    def _eni(self, eni: NetworkInterface) -> tuple[Subnet | None, list[str], bool, bool]:
        eip = any(e.network_interface == eni.id for e in self.model.elastic_ips)
        count = eni.ipv6_address_count
        ipv6 = bool(eni.ipv6_addresses) or (isinstance(count, int) and count > 0)
        groups = [g for g in eni.security_groups if isinstance(g, str)]
        return self._subnet(eni.subnet), groups, eip, ipv6

    def _instance(self, instance: Instance) -> tuple[Subnet | None, list[str], bool, bool]:
        subnet = self._subnet(instance.subnet)
        if any(e.instance == instance.id for e in self.model.elastic_ips):
            public = True
        elif instance.associate_public_ip_address is not None:
            public = instance.associate_public_ip_address is True
        else:
            public = subnet is not None and subnet.map_public_ip_on_launch is True
        count = instance.ipv6_address_count
        if instance.ipv6_addresses or (isinstance(count, int) and count > 0):
            ipv6 = True
        elif count is None and subnet is not None:
            ipv6 = (
                subnet.assign_ipv6_address_on_creation is True
                and subnet.ipv6_cidr_block is not None
            )
        else:
            ipv6 = False
        groups = [g for g in instance.security_groups if isinstance(g, str)]
        return subnet, groups, public, ipv6

    def _routes_to_igw(self, subnet: Subnet, igw: str, address: Address) -> bool:
        model = self.model
        table_id = next(
            (a.route_table for a in model.route_table_associations if a.subnet == subnet.id),
            None,
        )
        if table_id is None:
            table_id = next(
                (m.route_table for m in model.main_route_table_associations if m.vpc == subnet.vpc),
                None,
            )
        if table_id is None:
            table_id = next(
                (t.id for t in model.route_tables if t.is_main and t.vpc == subnet.vpc), None
            )
        table = next((t for t in model.route_tables if t.id == table_id), None)
        vpc = next(v for v in model.vpcs if v.id == subnet.vpc)
        best: tuple[int, bool] = (-1, False)
        for cidr in [*vpc.cidr_blocks, *vpc.ipv6_cidr_blocks]:
            if isinstance(cidr, str) and contains(cidr, address):
                best = max(best, (ipaddress.ip_network(cidr).prefixlen, False))
        for route in table.routes if table is not None else []:
            assert isinstance(route.destination, str)
            if contains(route.destination, address):
                length = ipaddress.ip_network(route.destination).prefixlen
                to_igw = (
                    route.target_kind is RouteTargetKind.INTERNET_GATEWAY and route.target == igw
                )
                if length > best[0]:
                    best = (length, to_igw)
        return best[1]

    def _acl_entries(self, subnet: Subnet) -> list[NaclEntry]:
        model = self.model
        acl: NetworkAcl | None = next(
            (a for a in model.network_acls if subnet.id in a.subnets), None
        )
        if acl is None:
            acl = next(
                (a for a in model.network_acls if a.is_default and a.vpc == subnet.vpc), None
            )
        if acl is not None:
            return list(acl.entries)
        vpc = next(v for v in model.vpcs if v.id == subnet.vpc)
        cidrs = ["0.0.0.0/0"] + (["::/0"] if vpc.ipv6_cidr_blocks else [])
        return [
            NaclEntry(
                rule_number=100 + i,
                egress=egress,
                protocol="all",
                action="allow",
                cidr=cidr,
                source=vpc.source,
            )
            for egress in (False, True)
            for i, cidr in enumerate(cidrs)
        ]

    def _groups(self, subnet: Subnet, groups: list[str]) -> list[SecurityGroup]:
        model = self.model
        if groups:
            return [g for g in model.security_groups if g.id in groups]
        return [g for g in model.security_groups if g.is_default and g.vpc == subnet.vpc]

    def reaches(self, interface: str, source: str, protocol: int, port: int) -> bool:
        """Whether the packet ``source -> interface`` (protocol, port or ICMP type) arrives."""
        address = ipaddress.ip_address(source)
        if not is_internet(address):
            return False
        subnet, groups, public_v4, has_v6 = self._interface(interface)
        if subnet is None or not (public_v4 if address.version == 4 else has_v6):
            return False
        vpc = next(v for v in self.model.vpcs if v.id == subnet.vpc)
        if any(
            contains(cidr, address)
            for cidr in [*vpc.cidr_blocks, *vpc.ipv6_cidr_blocks]
            if isinstance(cidr, str)
        ):
            return False  # the VPC's own addresses are not internet sources
        igw = next((g.id for g in self.model.internet_gateways if g.vpc == subnet.vpc), None)
        if igw is None or not self._routes_to_igw(subnet, igw, address):
            return False
        entries = self._acl_entries(subnet)
        inbound = [e for e in entries if not e.egress]
        outbound = [e for e in entries if e.egress]
        if not first_match_allows(inbound, address, protocol, port):
            return False
        if not any(
            first_match_allows(outbound, address, protocol, reply)
            for reply in reply_candidates(outbound, protocol)
        ):
            return False
        for group in self._groups(subnet, groups):
            for rule in group.rules:
                if rule.direction != "ingress" or not isinstance(rule.cidr, str):
                    continue
                assert isinstance(rule.protocol, str)
                low = rule.from_port if isinstance(rule.from_port, int) else None
                high = rule.to_port if isinstance(rule.to_port, int) else None
                if (
                    contains(rule.cidr, address)
                    and protocol_matches(rule.protocol, protocol)
                    and port_matches(protocol, port, low, high, rule.protocol)
                ):
                    return True
        return False
