"""Canonical forms for CIDRs and IP protocols, shared by the front-ends.

EC2 canonicalises a CIDR by dropping host bits (``192.168.1.7/0`` is ``0.0.0.0/0``), so
does policycheck. Protocols are normalised to names for tcp, udp, icmp, icmpv6 and
``all``; any other protocol keeps its IANA number as a string.
"""

from __future__ import annotations

from netaddr import AddrFormatError, IPNetwork

from policycheck.model.base import Unknown

PROTOCOL_NUMBERS: dict[str, int] = {"icmp": 1, "tcp": 6, "udp": 17, "icmpv6": 58}
_NAMES_BY_NUMBER = {number: name for name, number in PROTOCOL_NUMBERS.items()}


def canonical_cidr(value: object) -> str | Unknown:
    """Return ``value`` as a canonical CIDR string, or Unknown saying why it is not one."""
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, str) or not value.strip():
        return Unknown(reason=f"not a CIDR block: {value!r}")
    text = value.strip()
    if "/" not in text:
        return Unknown(reason=f"not a CIDR block (no prefix length): {text!r}")
    try:
        network = IPNetwork(text)
    except (AddrFormatError, ValueError, TypeError):
        return Unknown(reason=f"not a CIDR block: {text!r}")
    return str(network.cidr)


def is_ipv6_cidr(cidr: str) -> bool:
    return ":" in cidr


def canonical_protocol(value: object) -> str | Unknown:
    """Normalise ``tcp``/``6``/``-1``/``all``/``icmp``... to a canonical protocol.

    Canonical: tcp, udp, icmp, icmpv6, all, or another IANA number as a string.
    """
    if isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return Unknown(reason=f"not a protocol: {value!r}")
    text = str(value).strip().lower()
    if text in ("-1", "all"):
        return "all"
    if text in PROTOCOL_NUMBERS:
        return text
    if text == "icmp-v6" or text == "ipv6-icmp":
        return "icmpv6"
    try:
        number = int(text)
    except ValueError:
        return Unknown(reason=f"not a protocol: {value!r}")
    if not 0 <= number <= 255:
        return Unknown(reason=f"protocol number out of range: {value!r}")
    return _NAMES_BY_NUMBER.get(number, str(number))


def protocol_number(protocol: str) -> int | None:
    """IANA number of a canonical protocol name; None for ``all``."""
    if protocol == "all":
        return None
    if protocol in PROTOCOL_NUMBERS:
        return PROTOCOL_NUMBERS[protocol]
    return int(protocol)
