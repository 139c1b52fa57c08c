"""Terraform's IP network functions, computed with netaddr (never by hand)."""

from __future__ import annotations

from netaddr import AddrFormatError, IPAddress, IPNetwork

from policycheck.frontends.terraform.values import EvalError, Value, to_int, to_str


def _network(prefix: Value) -> IPNetwork:
    text = to_str(prefix)
    try:
        network = IPNetwork(text)
    except (AddrFormatError, ValueError, TypeError) as exc:
        raise EvalError(f"invalid CIDR address {text!r}") from exc
    if "/" not in text:
        raise EvalError(f"invalid CIDR address {text!r}: no prefix length")
    return network.cidr


def _max_bits(network: IPNetwork) -> int:
    return 32 if network.version == 4 else 128


def _block(version: int, first: int, prefixlen: int) -> IPNetwork:
    return IPNetwork(f"{IPAddress(first, version)}/{prefixlen}")


def cidrsubnet(prefix: Value, newbits: Value, netnum: Value) -> Value:
    """The ``netnum``-th subnet of ``prefix`` with ``newbits`` more prefix bits."""
    network = _network(prefix)
    extra, number = to_int(newbits), to_int(netnum)
    length = network.prefixlen + extra
    if extra < 0 or length > _max_bits(network):
        raise EvalError(f"cannot extend prefix {network} by {extra} bits")
    if not 0 <= number < 2**extra:
        raise EvalError(f"prefix extension of {extra} bits does not accommodate subnet {number}")
    first = int(network.first) + (number << (_max_bits(network) - length))
    return str(_block(network.version, first, length))


def cidrhost(prefix: Value, hostnum: Value) -> Value:
    """The address of host ``hostnum`` in ``prefix``; negative numbers count from the end."""
    network = _network(prefix)
    number = to_int(hostnum)
    size = network.size
    if not -size <= number < size:
        raise EvalError(f"prefix {network} does not accommodate host number {number}")
    offset = number if number >= 0 else size + number
    return str(IPAddress(int(network.first) + offset, network.version))


def cidrnetmask(prefix: Value) -> Value:
    """The dotted netmask of an IPv4 prefix."""
    network = _network(prefix)
    if network.version != 4:
        raise EvalError("cidrnetmask only supports IPv4 prefixes")
    return str(network.netmask)


def cidrsubnets(prefix: Value, *newbits: Value) -> Value:
    """Consecutive subnets of ``prefix``, one per newbits, each aligned to its own size.

    Mirrors go-cidr's NextSubnet walk, which Terraform uses: start just before the
    base network, then take the next aligned block of each requested size.
    """
    network = _network(prefix)
    if not newbits:
        return []
    bits = _max_bits(network)
    lengths = [network.prefixlen + to_int(extra) for extra in newbits]
    for extra, length in zip(newbits, lengths, strict=True):
        if to_int(extra) < 1 or length > bits:
            raise EvalError(f"invalid new bits {extra} for prefix {network}")
    # The block of the first size that ends right before the network starts.
    current_last = int(network.first) - 1
    results: list[str] = []
    for length in lengths:
        step = 1 << (bits - length)
        start = (current_last // step) * step + step if current_last >= 0 else 0
        end = start + step - 1
        if start < int(network.first) or end > int(network.last):
            raise EvalError(f"not enough remaining address space in {network} for /{length}")
        results.append(str(_block(network.version, start, length)))
        current_last = end
    return results
