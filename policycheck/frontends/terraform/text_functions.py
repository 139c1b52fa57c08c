"""More of Terraform's built-ins: YAML, regular expressions, sets, hashes, numbers, strings.

Regular expressions are RE2 in Terraform; Python's ``re`` agrees on the syntax
configurations use (classes, groups, named groups ``(?P<n>)``, anchors, repetition).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import math
import re
import urllib.parse
from collections.abc import Callable

import yaml

from policycheck.frontends.terraform.values import (
    EvalError,
    Value,
    equal,
    normalise_number,
    to_int,
    to_json,
    to_number,
    to_str,
    type_name,
)
from policycheck.model import Unknown


def _compile(pattern: Value) -> re.Pattern[str]:
    text = to_str(pattern)
    # RE2's \z (end of text) is Python's \Z; RE2 has no backreferences or lookaround.
    text = text.replace(r"\z", r"\Z")
    try:
        return re.compile(text)
    except re.error as exc:
        raise EvalError(f"invalid regular expression {to_str(pattern)!r}: {exc}") from exc


def _match_value(match: re.Match[str]) -> Value:
    if match.re.groupindex:
        return {name: match.group(name) or "" for name in match.re.groupindex}
    if match.re.groups:
        return [group or "" for group in match.groups()]
    return match.group(0)


def regex(pattern: Value, text: Value) -> Value:
    match = _compile(pattern).search(to_str(text))
    if match is None:
        raise EvalError(f"regex: pattern {to_str(pattern)!r} did not match")
    return _match_value(match)


def regexall(pattern: Value, text: Value) -> Value:
    return [_match_value(m) for m in _compile(pattern).finditer(to_str(text))]


class _Yaml11Loader(yaml.SafeLoader):
    """Safe loading with YAML 1.1 booleans as Terraform reads them (``y``/``n`` too)."""


_Yaml11Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"), list("yYnN")
)
_Yaml11Loader.add_constructor(
    "tag:yaml.org,2002:bool",
    lambda loader, node: (
        str(loader.construct_scalar(node)).lower()  # type: ignore[arg-type]
        in ("y", "yes", "true", "on")
    ),
)


def yamldecode(text: Value) -> Value:
    try:
        return _plain(yaml.load(to_str(text), Loader=_Yaml11Loader))
    except yaml.YAMLError as exc:
        raise EvalError(f"yamldecode: {str(exc).splitlines()[0]}") from exc


def _plain(value: object) -> Value:
    """YAML values as Terraform values (dates and other scalars become strings)."""
    if value is None or isinstance(value, bool | int | float | str):
        return normalise_number(value) if isinstance(value, float) else value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


class _TerraformYamlDumper(yaml.SafeDumper):
    """Terraform's yamlencode writes every string (keys too) double-quoted."""


def _quoted(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')


_TerraformYamlDumper.add_representer(str, _quoted)


def yamlencode(value: Value) -> Value:
    return yaml.dump(
        to_json(value), Dumper=_TerraformYamlDumper, sort_keys=True,
        default_flow_style=False, allow_unicode=True, width=1 << 30,
    )


def setproduct(*sets: Value) -> Value:
    for item in sets:
        if not isinstance(item, list):
            raise EvalError(f"setproduct: expected lists or sets, got {type_name(item)}")
    return [list(combo) for combo in itertools.product(*sets)]


def _unique(items: list[Value]) -> list[Value]:
    result: list[Value] = []
    for item in items:
        if not any(equal(item, seen) for seen in result):
            result.append(item)
    return result


def _sorted_set(items: list[Value]) -> list[Value]:
    unique = _unique(items)
    if all(isinstance(i, str) for i in unique):
        return sorted(unique)
    return unique


def setunion(*sets: Value) -> Value:
    return _sorted_set([item for s in sets for item in s])


def setintersection(first: Value, *rest: Value) -> Value:
    return _sorted_set([i for i in first if all(any(equal(i, o) for o in s) for s in rest)])


def setsubtract(first: Value, second: Value) -> Value:
    return _sorted_set([i for i in first if not any(equal(i, o) for o in second)])


def chunklist(items: Value, size: Value) -> Value:
    count = to_int(size)
    if count <= 0:
        return [items]
    return [items[i : i + count] for i in range(0, len(items), count)]


def transpose(mapping: Value) -> Value:
    result: dict[str, list[str]] = {}
    for key, values in mapping.items():
        for value in values:
            result.setdefault(to_str(value), []).append(key)
    return {k: sorted(v) for k, v in sorted(result.items())}


def matchkeys(values: Value, keys: Value, search: Value) -> Value:
    if len(values) != len(keys):
        raise EvalError("matchkeys: values and keys must have the same length")
    return [v for v, k in zip(values, keys, strict=True) if any(equal(k, s) for s in search)]


def indent(spaces: Value, text: Value) -> Value:
    pad = " " * to_int(spaces)
    return to_str(text).replace("\n", "\n" + pad)


def trim(text: Value, characters: Value) -> Value:
    return to_str(text).strip(to_str(characters))


def parseint(text: Value, base: Value) -> Value:
    try:
        return int(to_str(text), to_int(base))
    except ValueError as exc:
        raise EvalError(f"parseint: cannot parse {to_str(text)!r}") from exc


def log(number: Value, base: Value) -> Value:
    return normalise_number(math.log(to_number(number), to_number(base)))


def _hash(name: str) -> Callable[[Value], Value]:
    return lambda text: hashlib.new(name, to_str(text).encode()).hexdigest()


def _after_apply(name: str) -> Callable[..., Value]:
    return lambda *args: Unknown(reason=f"{name}() is only known at apply time")


FUNCTIONS: dict[str, Callable[..., Value]] = {
    "regex": regex,
    "regexall": regexall,
    "yamldecode": yamldecode,
    "yamlencode": yamlencode,
    "setproduct": setproduct,
    "setunion": setunion,
    "setintersection": setintersection,
    "setsubtract": setsubtract,
    "chunklist": chunklist,
    "transpose": transpose,
    "matchkeys": matchkeys,
    "indent": indent,
    "trim": trim,
    "trimright": lambda s, c: to_str(s).rstrip(to_str(c)),
    "trimleft": lambda s, c: to_str(s).lstrip(to_str(c)),
    "strrev": lambda s: to_str(s)[::-1],
    "strcontains": lambda s, x: to_str(x) in to_str(s),
    "parseint": parseint,
    "pow": lambda a, b: normalise_number(to_number(a) ** to_number(b)),
    "log": log,
    "signum": lambda x: (to_number(x) > 0) - (to_number(x) < 0),
    "md5": _hash("md5"),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "sha512": _hash("sha512"),
    "base64sha256": lambda s: base64.b64encode(
        hashlib.sha256(to_str(s).encode()).digest()
    ).decode(),
    # Go's url.QueryEscape: spaces become "+".
    "urlencode": lambda s: urllib.parse.quote_plus(to_str(s), safe=""),
    "sensitive": lambda x: x,
    "nonsensitive": lambda x: x,
    "uuid": _after_apply("uuid"),
    "timestamp": _after_apply("timestamp"),
    "bcrypt": _after_apply("bcrypt"),
}
