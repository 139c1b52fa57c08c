"""Address, protocol and port spaces as real sets: never one port or address at a time.

Addresses are ``netaddr.IPSet`` (IPv4 and IPv6 may share one set). Protocols and ports
share one integer line, the *service line*: the packet ``(protocol p, port q)`` is the
point ``p * PORT_SPAN + q``. A rule such as "tcp 22-25" is then one interval, "all" is
the whole line and "icmp type 8" is a single point, so every rule's service match is an
``IntervalSet``. For ICMP the "port" is the ICMP type; for protocols without ports every
rule matches the protocol's whole stretch of the line, so the port part never matters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import cast

from netaddr import IPNetwork, IPSet

from policycheck.model.addresses import PROTOCOL_NUMBERS

PORT_SPAN = 65536
"""Ports (or ICMP types) per protocol on the service line."""
PROTOCOL_COUNT = 256
SERVICE_END = PROTOCOL_COUNT * PORT_SPAN
TCP, UDP, ICMP, ICMPV6 = 6, 17, 1, 58
PORTED_PROTOCOLS = frozenset({TCP, UDP})
TYPED_PROTOCOLS = frozenset({ICMP, ICMPV6})
EPHEMERAL_PORTS = (1024, 65535)
"""Client ports a reply may be sent to; an attacker chooses its own source port."""


class IntervalSet:
    """An immutable set of integers as sorted, disjoint, non-adjacent closed-open intervals.

    ``[a, b)`` intervals make adjacent ranges merge: ``[0, 5) | [5, 9) == [0, 9)``.
    """

    __slots__ = ("_spans",)

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans: tuple[tuple[int, int], ...] = _normalise(spans)

    @classmethod
    def closed(cls, low: int, high: int) -> IntervalSet:
        """The integers ``low..high`` inclusive (empty when high < low)."""
        return cls(((low, high + 1),))

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """Closed-open ``(start, end)`` pairs in increasing order."""
        return self._spans

    def __bool__(self) -> bool:
        return bool(self._spans)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IntervalSet) and self._spans == other._spans

    def __hash__(self) -> int:
        return hash(self._spans)

    def __repr__(self) -> str:
        return f"IntervalSet({list(self._spans)!r})"

    def __contains__(self, value: int) -> bool:
        return any(start <= value < end for start, end in self._spans)

    def __or__(self, other: IntervalSet) -> IntervalSet:
        return IntervalSet(self._spans + other._spans)

    def __and__(self, other: IntervalSet) -> IntervalSet:
        result: list[tuple[int, int]] = []
        i = j = 0
        mine, theirs = self._spans, other._spans
        while i < len(mine) and j < len(theirs):
            start = max(mine[i][0], theirs[j][0])
            end = min(mine[i][1], theirs[j][1])
            if start < end:
                result.append((start, end))
            if mine[i][1] < theirs[j][1]:
                i += 1
            else:
                j += 1
        return IntervalSet(result)

    def __sub__(self, other: IntervalSet) -> IntervalSet:
        if not self._spans or not other._spans:
            return self
        low = min(self._spans[0][0], other._spans[0][0])
        end = max(self._spans[-1][1], other._spans[-1][1])
        return self & other.complement(low, end)

    def complement(self, low: int, end: int) -> IntervalSet:
        """``[low, end)`` minus this set."""
        result: list[tuple[int, int]] = []
        cursor = low
        for start, stop in self._spans:
            if start > cursor:
                result.append((cursor, min(start, end)))
            cursor = max(cursor, stop)
        if cursor < end:
            result.append((cursor, end))
        return IntervalSet(result)

    def closed_ranges(self) -> Iterator[tuple[int, int]]:
        """The set as inclusive ``(low, high)`` ranges."""
        for start, end in self._spans:
            yield start, end - 1


def _normalise(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    ordered = sorted((start, end) for start, end in spans if start < end)
    merged: list[tuple[int, int]] = []
    for start, end in ordered:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


ALL_SERVICES = IntervalSet(((0, SERVICE_END),))


def protocol_services(protocol: int, low: int = 0, high: int = PORT_SPAN - 1) -> IntervalSet:
    """The service-line points of ``protocol`` with ports (or ICMP types) ``low..high``."""
    low, high = max(low, 0), min(high, PORT_SPAN - 1)
    base = protocol * PORT_SPAN
    return IntervalSet.closed(base + low, base + high)


def protocols_of(services: IntervalSet) -> IntervalSet:
    """Every protocol's whole stretch of the line, for the protocols ``services`` touches."""
    return IntervalSet(
        ((start // PORT_SPAN) * PORT_SPAN, ((end - 1) // PORT_SPAN + 1) * PORT_SPAN)
        for start, end in services.spans
    )


def return_ports() -> IntervalSet:
    """Where replies may go: ephemeral ports for TCP/UDP, any type or port otherwise."""
    low, high = EPHEMERAL_PORTS
    result = ALL_SERVICES
    for protocol in PORTED_PROTOCOLS:
        ephemeral = protocol_services(protocol, low, high)
        result = (result - protocols_of(ephemeral)) | ephemeral
    return result


def split_by_protocol(services: IntervalSet) -> Iterator[tuple[int, IntervalSet]]:
    """``(protocol, ports)`` for every protocol the services touch, ports on 0..65535."""
    for start, end in services.spans:
        for protocol in range(start // PORT_SPAN, (end - 1) // PORT_SPAN + 1):
            base = protocol * PORT_SPAN
            ports = IntervalSet(((max(start, base) - base, min(end, base + PORT_SPAN) - base),))
            yield protocol, ports


def ip_set(cidrs: Iterable[str] = ()) -> IPSet:
    """An address set of canonical CIDRs (IPv4 and IPv6 may mix)."""
    return IPSet(list(cidrs))


def cidr_set(cidr: str) -> IPSet:
    """The addresses of one CIDR, host bits dropped as EC2 does."""
    return IPSet([IPNetwork(cidr).cidr])


ALL_IPV4 = "0.0.0.0/0"
ALL_IPV6 = "::/0"
NON_INTERNET_IPV4 = (
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
INTERNET_IPV6 = "2000::/3"


def all_addresses() -> IPSet:
    """Every IPv4 and IPv6 address."""
    return ip_set((ALL_IPV4, ALL_IPV6))


def family_addresses(family: str) -> IPSet:
    """Every address of ``ipv4`` or ``ipv6``."""
    return ip_set((ALL_IPV4,) if family == "ipv4" else (ALL_IPV6,))


_INTERNET: list[IPSet] = []


def internet_addresses() -> IPSet:
    """Public IPv4 addresses and IPv6 global unicast: where internet traffic comes from."""
    if not _INTERNET:  # computed once: a dozen set operations every call add up at scale
        _INTERNET.append(cast(IPSet, ip_set((ALL_IPV4,)) - ip_set(NON_INTERNET_IPV4)
                              | ip_set((INTERNET_IPV6,))))
    return _INTERNET[0].copy()


def cidrs_of(addresses: IPSet) -> tuple[str, ...]:
    """Compact canonical CIDRs, IPv4 before IPv6, each in address order."""
    networks = sorted(
        addresses.iter_cidrs(), key=lambda net: (net.version, net.first, net.prefixlen)
    )
    return tuple(str(net) for net in networks)


def rule_services(protocol: str, low: int | None = None, high: int | None = None) -> IntervalSet:
    """The services a rule matches: ``protocol`` (canonical name or number) with ports or
    ICMP types ``low..high``. None or -1 bounds mean "all"; ports are ignored for
    ``all`` and for protocols other than tcp, udp, icmp and icmpv6."""
    if protocol == "all":
        return ALL_SERVICES
    number = PROTOCOL_NUMBERS.get(protocol)
    number = int(protocol) if number is None else number
    if number in PORTED_PROTOCOLS or number in TYPED_PROTOCOLS:
        if low is None or low < 0:
            return protocol_services(number)
        return protocol_services(number, low, low if high is None or high < 0 else high)
    return protocol_services(number)


def describe_services(protocol: str, low: int | None = None, high: int | None = None) -> str:
    """``tcp 22``, ``udp 1024-65535``, ``icmp type 8``, ``icmp all types``, ``all``, ``47``."""
    if protocol == "all":
        return "all"
    number = PROTOCOL_NUMBERS.get(protocol)
    if number in TYPED_PROTOCOLS:
        return f"{protocol} all types" if low is None or low < 0 else f"{protocol} type {low}"
    if number in PORTED_PROTOCOLS:
        if low is None or low < 0:
            return f"{protocol} all ports"
        high = low if high is None or high < 0 else high
        return f"{protocol} {low}" if low == high else f"{protocol} {low}-{high}"
    return protocol
