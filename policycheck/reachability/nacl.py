"""Network ACLs: numbered entries, lowest number first, first match wins, then deny.

NACLs are stateless, so a path needs both directions:

* **inbound** — the packet itself: source address, protocol, destination port (or ICMP
  type);
* **outbound** — the reply: to the source address, same protocol, to the client's
  source port. A client (an attacker) picks its own source port, so the reply path is
  open when the egress entries allow a reply to **at least one** ephemeral port
  1024-65535 for TCP/UDP; for ICMP to at least one ICMP type; for other protocols ports
  do not exist. The outbound side is therefore computed in the reply space and then
  widened to whole protocols (``protocols_of``) before it is combined with inbound
  packets.

Unknown values are read permissively: an entry with an unknown action is an allow; an
allow's unknown CIDR, protocol or ports match everything; a deny with anything unknown
matches nothing, and the allows after it record that they relied on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from policycheck.model import NaclEntry, NetworkAcl, Unknown
from policycheck.reachability.boxes import (
    Box,
    Piece,
    intersect,
    subtract,
    universe,
)
from policycheck.reachability.result import Hop
from policycheck.reachability.sets import (
    ALL_SERVICES,
    IntervalSet,
    all_addresses,
    cidr_set,
    describe_services,
    protocols_of,
    return_ports,
    rule_services,
)
from policycheck.reachability.topology import declared_source, is_implicit


@dataclass(frozen=True, eq=False)
class Denial:
    """Packets a deny entry (or the implicit final deny) stops."""

    boxes: tuple[Box, ...]
    rule: str
    """``#100 deny tcp 22 from 0.0.0.0/0`` or ``implicit deny``."""
    entry: NaclEntry | None


def entry_number(denial: Denial) -> int | None:
    """The rule number of the entry that denies (None: implicit deny or unknown number)."""
    number = denial.entry.rule_number if denial.entry is not None else None
    return number if isinstance(number, int) else None


@dataclass(frozen=True, eq=False)
class Direction:
    """One direction of a NACL: what its entries allow (with hops) and what they deny."""

    allowed: tuple[Piece, ...]
    denied: tuple[Denial, ...]


@dataclass(frozen=True, eq=False)
class NaclPaths:
    """A NACL's inbound packets and the outbound replies it lets back (as whole protocols)."""

    acl: NetworkAcl
    inbound: Direction
    outbound: Direction


def _int_or_none(value: int | Unknown | None) -> int | None:
    return value if isinstance(value, int) else None


def _ports(entry: NaclEntry) -> tuple[int | None, int | None]:
    if entry.protocol in ("icmp", "icmpv6"):
        return _int_or_none(entry.icmp_type), None
    return _int_or_none(entry.from_port), _int_or_none(entry.to_port)


def _unknowns(entry: NaclEntry) -> list[str]:
    fields = (entry.rule_number, entry.action, entry.protocol, entry.cidr, *_port_fields(entry))
    return [field.reason for field in fields if isinstance(field, Unknown)]


def _port_fields(entry: NaclEntry) -> tuple[object, ...]:
    if entry.protocol in ("icmp", "icmpv6"):
        return (entry.icmp_type,)
    if entry.protocol in ("tcp", "udp") or isinstance(entry.protocol, Unknown):
        return (entry.from_port, entry.to_port)
    return ()


def _match(entry: NaclEntry) -> Box:
    """The packets an allow entry matches, unknown parts matching everything."""
    addresses = cidr_set(entry.cidr) if isinstance(entry.cidr, str) else all_addresses()
    if isinstance(entry.protocol, Unknown):
        return Box(addresses, ALL_SERVICES)
    low, high = _ports(entry)
    if any(isinstance(field, Unknown) for field in _port_fields(entry)):
        low = high = None
    return Box(addresses, rule_services(entry.protocol, low, high))


def describe_entry(entry: NaclEntry) -> str:
    """``#100 allow tcp 22 from 0.0.0.0/0`` (``to`` for egress entries)."""
    number = entry.rule_number if isinstance(entry.rule_number, int) else "?"
    action = entry.action if isinstance(entry.action, str) else "allow?"
    if isinstance(entry.protocol, Unknown):
        services = "unknown protocol"
    else:
        services = describe_services(entry.protocol, *_ports(entry))
    cidr = entry.cidr if isinstance(entry.cidr, str) else "unknown CIDR"
    return f"#{number} {action} {services} {'to' if entry.egress else 'from'} {cidr}"


def _ordered(entries: list[NaclEntry]) -> list[NaclEntry]:
    """Entries in evaluation order; an allow with an unknown number is assumed first."""
    keyed = [
        ((entry.rule_number if isinstance(entry.rule_number, int) else -1), index, entry)
        for index, entry in enumerate(entries)
    ]
    return [entry for _, _, entry in sorted(keyed, key=lambda item: (item[0], item[1]))]


def _evaluate(acl: NetworkAcl, egress: bool, space: Box) -> Direction:
    remaining: list[Box] = [space]
    allowed: list[Piece] = []
    denied: list[Denial] = []
    skipped: list[str] = []
    implicit = is_implicit(acl)
    for entry in _ordered([entry for entry in acl.entries if entry.egress == egress]):
        unknowns = _unknowns(entry)
        if entry.action == "deny" and unknowns:
            skipped.extend(f"{describe_entry(entry)} assumed not to match: {u}" for u in unknowns)
            continue
        match = _match(entry)
        matched = intersect(remaining, match)
        remaining = subtract(remaining, match)
        if not matched:
            continue
        if entry.action == "deny":
            denied.append(Denial(tuple(matched), describe_entry(entry), entry))
            continue
        detail = "default NACL allows all" if implicit else describe_entry(entry)
        if egress:
            detail += " (return traffic)"
        hop = Hop(type="NetworkAcl", resource=acl.id, detail=detail, source=None)
        if not implicit:
            hop = hop.model_copy(update={"source": declared_source(entry.source)})
        assumptions = (*skipped, *unknowns)
        allowed.extend(Piece(box, (hop,), assumptions) for box in matched)
    if remaining:
        denied.append(Denial(tuple(remaining), "implicit deny", None))
    return Direction(tuple(allowed), tuple(denied))


def _widen_to_protocols(direction: Direction) -> Direction:
    """Replies allowed to some port become the whole protocol; the first allowing entry
    (in rule order) gets the credit, so pieces stay disjoint."""
    widened: list[Piece] = []
    covered: list[Box] = []
    for piece in direction.allowed:
        box = Box(piece.box.addresses, protocols_of(piece.box.services))
        fresh = [box]
        for earlier in covered:
            fresh = subtract(fresh, earlier)
        covered.append(box)
        widened.extend(Piece(part, piece.hops, piece.assumptions) for part in fresh)
    return Direction(tuple(widened), direction.denied)


def nacl_paths(acl: NetworkAcl) -> NaclPaths:
    """Evaluate both directions of ``acl`` once, for every address and service."""
    inbound = _evaluate(acl, egress=False, space=universe())
    replies = _evaluate(acl, egress=True, space=Box(all_addresses(), return_ports()))
    return NaclPaths(acl, inbound, _widen_to_protocols(replies))


def reply_space(services: IntervalSet) -> IntervalSet:
    """The reply services for inbound ``services``: same protocols, client ports."""
    return protocols_of(services) & return_ports()
