"""Which object an after-apply value names, from a plan's ``configuration`` references.

Without the ``.tf`` files, a plan still records, per configured argument, the
references its expression makes (``["aws_vpc.main.id", "aws_vpc.main"]``). When those
name objects unambiguously (an indexed instance, a single-instance resource, a module
input or output followed to its own references) the value becomes the model id of
that object, as on the HCL path; otherwise it stays Unknown. Never a guess: a reference
through ``count.index``, ``each`` or a local is not followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from policycheck.frontends.terraform.expand import VPC_DEFAULT_ATTRIBUTES
from policycheck.frontends.terraform.values import Value
from policycheck.model import Unknown

_RESOURCE = re.compile(r'([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)((?:\[[^\]]*\])?)\.([a-z0-9_]+)')
_VARIABLE = re.compile(r"var\.([A-Za-z_][\w-]*)")
_OUTPUT = re.compile(r'module\.([A-Za-z_][\w-]*)((?:\[[^\]]*\])?)\.([A-Za-z_][\w-]*)')


@dataclass
class ConfigModule:
    """One module of the plan's ``configuration`` (shared by all its instances)."""

    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Resource address within the module (``aws_vpc.main``) → its expressions."""
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Module call name → the call (expressions, count/for_each, ``module``)."""
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    parent: ConfigModule | None = None
    call_name: str = ""


def config_module(raw: dict[str, Any], parent: ConfigModule | None = None,
                  call_name: str = "") -> ConfigModule:
    module = ConfigModule(parent=parent, call_name=call_name)
    for resource in raw.get("resources", []):
        if resource.get("mode") == "managed":
            module.resources[resource["address"]] = resource.get("expressions", {})
    module.outputs = raw.get("outputs", {})
    module.calls = raw.get("module_calls", {})
    return module


def child(module: ConfigModule, name: str) -> ConfigModule | None:
    call = module.calls.get(name)
    if call is None:
        return None
    return config_module(call.get("module", {}), module, name)


def _parent_prefix(prefix: str) -> str:
    """``module.a.module.b["k"].`` → ``module.a.``."""
    cut = prefix.rstrip(".").rfind(".module.")
    return prefix[: cut + 1] if cut >= 0 else ""


def _maximal(references: list[str]) -> list[str]:
    """Drop references another one refines (``aws_vpc.main`` beside ``aws_vpc.main.id``)."""
    return [
        ref for ref in dict.fromkeys(references)
        if not any(o != ref and (o.startswith(ref + ".") or o.startswith(ref + "["))
                   for o in references)
    ]


@dataclass
class Resolver:
    """Resolves references in the module instance with address prefix ``prefix``."""

    addresses: set[str]
    """Every planned managed resource instance."""

    def expression(self, module: ConfigModule, prefix: str, expr: Any,
                   depth: int = 0) -> list[Value] | None:
        """What the expression's references name, or None when not decidable."""
        if not isinstance(expr, dict) or depth > 16:
            return None
        references = expr.get("references")
        if not isinstance(references, list) or not references:
            return None
        found: list[Value] = []
        for ref in _maximal([r for r in references if isinstance(r, str)]):
            named = self._reference(module, prefix, ref, depth)
            if named is None:
                return None
            found.extend(named)
        return found

    def _reference(self, module: ConfigModule, prefix: str, ref: str,
                   depth: int) -> list[Value] | None:
        if match := _VARIABLE.fullmatch(ref):
            return self._input(module, prefix, match.group(1), depth)
        if match := _OUTPUT.fullmatch(ref):
            name, key, output = match.groups()
            sub = child(module, name)
            call_prefix = f"{prefix}module.{name}{key}."
            if sub is None or (not key and self._has_instances(f"{prefix}module.{name}[")):
                return None
            expr = sub.outputs.get(output, {}).get("expression")
            return self.expression(sub, call_prefix, expr, depth + 1)
        if ref.startswith(("data.", "local.", "count.", "each.", "self.", "path.")):
            return None
        if match := _RESOURCE.fullmatch(ref):
            kind, name, key, attr = match.groups()
            address = f"{prefix}{kind}.{name}{key}"
            if address not in self.addresses:
                return None
            if attr == "id":
                return [address]
            if kind in ("aws_vpc", "aws_default_vpc") and attr in VPC_DEFAULT_ATTRIBUTES:
                return [f"{address}.{attr}"]
            return [Unknown(reason=f"computed attribute {attr} of {address}")]
        return None

    def _input(self, module: ConfigModule, prefix: str, name: str,
               depth: int) -> list[Value] | None:
        parent = module.parent
        if parent is None:
            return None  # a root variable's value is known, or it is a plan-time Unknown
        call = parent.calls.get(module.call_name, {})
        if "count_expression" in call or "for_each_expression" in call:
            return None  # each instance may pass something else
        expr = call.get("expressions", {}).get(name)
        return self.expression(parent, _parent_prefix(prefix), expr, depth + 1)

    def _has_instances(self, start: str) -> bool:
        return any(a.startswith(start) for a in self.addresses)


def after_apply_value(resolver: Resolver, module: ConfigModule | None, prefix: str,
                      resource: str, address: str, name: str, is_list: bool) -> Value:
    """The value of an after-apply argument ``name`` of the instance ``address`` of
    ``resource`` (its module-relative address, as the configuration names it)."""
    where = f"{address}.{name}"
    if module is None:
        return Unknown(reason=f"{where} is known after apply")
    expressions = module.resources.get(resource)
    if expressions is None or name not in expressions:
        return None  # not written in the configuration: computed by the provider
    named = resolver.expression(module, prefix, expressions[name])
    if named is None or not named:
        return Unknown(reason=f"{where} is known after apply")
    if is_list:
        return named
    return named[0] if len(named) == 1 else Unknown(reason=f"{where} is known after apply")
