"""The pure intrinsic functions: their arguments are already resolved values.

Each returns a value or an Unknown saying why it could not be computed; an Unknown
argument makes the result Unknown (it propagates).
"""

from __future__ import annotations

import json

from netaddr import AddrFormatError, IPNetwork

from policycheck.frontends.cloudformation.values import (
    NO_VALUE,
    Obj,
    Value,
    as_int,
    as_text,
    first_unknown,
)
from policycheck.model import Unknown


def join(args: Value) -> Value:
    """``Fn::Join [delimiter, [values...]]``; ``AWS::NoValue`` items are skipped."""
    if not isinstance(args, list) or len(args) != 2:
        return Unknown(reason="Fn::Join needs [delimiter, list]")
    delimiter, items = args
    if isinstance(items, Unknown):
        return items
    if not isinstance(items, list):
        return Unknown(reason="Fn::Join needs a list of values")
    texts: list[str] = []
    for item in items:
        if item is NO_VALUE:
            continue
        text = as_text(item)
        if isinstance(text, Unknown):
            return text
        if text is None:
            return Unknown(reason=f"Fn::Join cannot join {item!r}")
        texts.append(text)
    separator = as_text(delimiter)
    if isinstance(separator, Unknown):
        return separator
    return (separator or "").join(texts)


def select(args: Value) -> Value:
    """``Fn::Select [index, list]``."""
    if not isinstance(args, list) or len(args) != 2:
        return Unknown(reason="Fn::Select needs [index, list]")
    index, items = as_int(args[0]), args[1]
    if isinstance(index, Unknown):
        return index
    if isinstance(items, Unknown):
        return items
    if not isinstance(items, list) or index is None:
        return Unknown(reason="Fn::Select needs an index and a list")
    if not 0 <= index < len(items):
        return Unknown(reason=f"Fn::Select index {index} is outside a list of {len(items)}")
    return items[index]


def split(args: Value) -> Value:
    """``Fn::Split [delimiter, string]``."""
    if not isinstance(args, list) or len(args) != 2:
        return Unknown(reason="Fn::Split needs [delimiter, string]")
    unknown = first_unknown(args)
    if unknown is not None:
        return unknown
    delimiter, text = as_text(args[0]), as_text(args[1])
    if not isinstance(delimiter, str) or not delimiter or not isinstance(text, str):
        return Unknown(reason="Fn::Split needs a delimiter and a string")
    return list(text.split(delimiter))


def find_in_map(mappings: Value, args: Value) -> Value:
    """``Fn::FindInMap [map, top-level key, second-level key]`` (and ``DefaultValue``)."""
    if not isinstance(args, list) or len(args) not in (3, 4):
        return Unknown(reason="Fn::FindInMap needs [map, key, key]")
    default: Value = NO_VALUE
    if len(args) == 4 and isinstance(args[3], Obj) and "DefaultValue" in args[3]:
        default = args[3]["DefaultValue"]
    unknown = first_unknown(args[:3])
    if unknown is not None:
        return unknown
    keys = [as_text(arg) for arg in args[:3]]
    node: Value = mappings
    for key in keys:
        if not isinstance(node, Obj) or not isinstance(key, str) or key not in node:
            if default is not NO_VALUE:
                return default
            path = ".".join(str(k) for k in keys)
            return Unknown(reason=f"Fn::FindInMap: no mapping entry {path}")
        node = node[key]
    return node


def get_azs(region: Value, default_region: str) -> Value:
    """``Fn::GetAZs``: the first three zones of the region (``<region>a`` .. ``c``)."""
    if isinstance(region, Unknown):
        return region
    name = as_text(region) or default_region
    if isinstance(name, Unknown):
        return name
    return [f"{name}{suffix}" for suffix in "abc"]


def cidr(args: Value) -> Value:
    """``Fn::Cidr [ipBlock, count, cidrBits]``: ``count`` subnets of ``cidrBits`` host bits."""
    if not isinstance(args, list) or len(args) != 3:
        return Unknown(reason="Fn::Cidr needs [ipBlock, count, cidrBits]")
    unknown = first_unknown(args)
    if unknown is not None:
        return unknown
    block, count, bits = as_text(args[0]), as_int(args[1]), as_int(args[2])
    if not isinstance(block, str) or not isinstance(count, int) or not isinstance(bits, int):
        return Unknown(reason="Fn::Cidr needs a CIDR block and two numbers")
    try:
        network = IPNetwork(block)
    except (AddrFormatError, ValueError, TypeError):
        return Unknown(reason=f"Fn::Cidr: not a CIDR block: {block!r}")
    width = 128 if network.version == 6 else 32
    prefix = width - bits
    if not network.prefixlen <= prefix <= width or count < 1:
        return Unknown(reason=f"Fn::Cidr cannot cut {count} /{prefix} blocks from {block}")
    subnets = [str(subnet) for subnet in network.cidr.subnet(prefix, count=count)]
    if len(subnets) < count:
        return Unknown(reason=f"Fn::Cidr: {block} holds fewer than {count} /{prefix} blocks")
    return list[Value](subnets)


def length(items: Value) -> Value:
    """``Fn::Length``: the number of items of a list (LanguageExtensions transform)."""
    if isinstance(items, Unknown):
        return items
    if not isinstance(items, list):
        return Unknown(reason="Fn::Length needs a list")
    return len(items)  # an unknown item still counts as one item


def to_json_string(value: Value) -> Value:
    """``Fn::ToJsonString``: a mapping or list as compact JSON (LanguageExtensions)."""
    unknown = first_unknown([value])
    if unknown is not None:
        return unknown
    if not isinstance(value, Obj | list):
        return Unknown(reason="Fn::ToJsonString needs a mapping or a list")
    return json.dumps(_plain(value), separators=(",", ":"))


def _plain(value: Value) -> object:
    if isinstance(value, Obj):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value
