"""``count``, ``for_each`` and ``dynamic``: resources into instances, blocks into views.

A resource with ``count`` becomes ``type.name[0]``..., one with ``for_each``
``type.name["key"]``; when the count or collection is Unknown the resource is
assessed as one instance without an index (and a notice says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Token, Tree

from policycheck.frontends.terraform.context import ModuleContext
from policycheck.frontends.terraform.parse import Block
from policycheck.frontends.terraform.values import (
    EvalError,
    Lazy,
    Loc,
    Value,
    address_key,
    deep_unknown,
    to_int,
    to_str,
)
from policycheck.model import Unknown

# VPC attributes naming the VPC's default objects: they evaluate to
# "<vpc address>.<attribute>" so the default/main objects attach to that VPC.
VPC_DEFAULT_ATTRIBUTES = (
    "default_route_table_id",
    "main_route_table_id",
    "default_network_acl_id",
    "default_security_group_id",
)
_VPC_TYPES = ("aws_vpc", "aws_default_vpc")
_SELF_BLOCKS = frozenset({"provisioner", "connection"})


@dataclass
class BlockView:
    """A block as the mapping code sees it: attributes evaluated on demand."""

    ctx: ModuleContext
    block: Block
    bindings: dict[str, Value]
    line: int
    type: str
    memo_prefix: str | None = None
    """Set for a resource instance: its attributes are memoised under this address."""

    @property
    def file(self) -> str:
        return self.block.file

    def has(self, name: str) -> bool:
        return name in self.block.attributes

    def get(self, name: str, default: Value = None) -> Value:
        """The evaluated attribute, ``default`` when it is absent (or null)."""
        attr = self.block.attributes.get(name)
        if attr is None:
            return default
        if self.memo_prefix is None:
            value = self.ctx.eval_attr(attr, self.bindings)
        else:
            value = self.ctx.memo(
                f"{self.memo_prefix}.{name}",
                lambda: self.ctx.eval_attr(attr, self.bindings),
                Loc(attr.file, attr.line),
            )
        return default if value is None else value

    def line_of(self, name: str) -> int:
        attr = self.block.attributes.get(name)
        return attr.line if attr is not None else self.line

    def children(self, name: str) -> list[BlockView]:
        """Nested blocks of this type, static and ``dynamic`` ones, in order."""
        views: list[BlockView] = []
        bindings = self.bindings
        if name in _SELF_BLOCKS and self.memo_prefix is not None and "self" not in bindings:
            # Terraform allows ``self`` (the resource instance) in these blocks only.
            kind, label = self.block.labels[0], self.block.labels[1]
            this = InstanceValue(Instance(self.memo_prefix, kind, label, self))
            bindings = {**bindings, "self": this}
        for child in self.block.blocks:
            if child.type == name:
                views.append(BlockView(self.ctx, child, bindings, child.line, name))
            elif child.type == "dynamic" and child.labels[:1] == (name,):
                views.extend(self._dynamic(child, name))
        return views

    def _dynamic(self, dyn: Block, name: str) -> list[BlockView]:
        content = next((b for b in dyn.blocks if b.type == "content"), None)
        for_each = dyn.attributes.get("for_each")
        if content is None or for_each is None:
            return []
        iterator = name
        if "iterator" in dyn.attributes:
            iterator = _bare_name(dyn.attributes["iterator"].expr) or name
        collection = self.ctx.eval_attr(for_each, self.bindings)
        loc = Loc(dyn.file, dyn.line)
        items: list[tuple[Value, Value]]
        if isinstance(collection, Unknown):
            self.ctx.notice(loc, f"dynamic {name} for_each is unknown ({collection.reason})")
            items = [(collection, collection)]
        elif isinstance(collection, dict):
            items = sorted(collection.items())
        elif isinstance(collection, list):
            items = list(enumerate(collection))
        elif collection is None:
            items = []
        else:
            self.ctx.notice(loc, f"dynamic {name} for_each is not a collection")
            items = []
        return [
            BlockView(
                self.ctx,
                content,
                {**self.bindings, iterator: {"key": key, "value": value}},
                dyn.line,
                name,
            )
            for key, value in items
        ]


def _bare_name(tree: Tree[Token]) -> str | None:
    """The name in ``iterator = rule`` (a bare identifier, not a reference)."""
    names = [sub for sub in tree.iter_subtrees() if sub.data == "identifier"]
    return str(names[0].children[0]) if len(names) == 1 else None


@dataclass
class Instance:
    """One instance of a resource, with its own ``count.index`` / ``each``."""

    address: str
    type: str
    name: str
    view: BlockView
    unexpanded: bool = False
    """True when count/for_each was Unknown (assessed as one instance)."""

    @property
    def line(self) -> int:
        return self.view.block.line

    @property
    def file(self) -> str:
        return self.view.block.file


@dataclass
class Expansion:
    instances: list[Instance] = field(default_factory=list)
    shape: str = "single"
    """``single``, ``count``, ``for_each`` or ``unknown``."""
    keys: list[Value] = field(default_factory=list)


def _view(ctx: ModuleContext, block: Block, address: str, bindings: dict[str, Value]) -> BlockView:
    return BlockView(ctx, block, bindings, block.line, block.labels[0], memo_prefix=address)


def expand(ctx: ModuleContext, block: Block) -> Expansion:
    """The instances of a resource block (memoised per resource)."""
    kind, name = block.labels[0], block.labels[1]
    base = f"{ctx.prefix}{kind}.{name}"
    loc = Loc(block.file, block.line)
    memo_key = f"{base}#instances"
    cached = ctx.memo(memo_key, lambda: _compute(ctx, block, base, loc), loc)
    if isinstance(cached, Expansion):
        return cached
    # A cycle through count/for_each: assess as one instance.
    return Expansion([Instance(base, kind, name, _view(ctx, block, base, {}), True)], "unknown")


def _compute(ctx: ModuleContext, block: Block, base: str, loc: Loc) -> Expansion:
    kind, name = block.labels[0], block.labels[1]
    if "count" in block.attributes:
        count = ctx.eval_attr(block.attributes["count"], {})
        if isinstance(count, Unknown):
            return _unknown(ctx, block, base, loc, "count", count, {"count": {"index": count}})
        try:
            number = to_int(count)
        except EvalError as exc:
            ctx.report_error(loc, f"invalid count for {base}: {exc}")
            return Expansion([], "count")
        instances = [
            Instance(
                f"{base}[{i}]",
                kind,
                name,
                _view(ctx, block, f"{base}[{i}]", {"count": {"index": i}}),
            )
            for i in range(max(number, 0))
        ]
        return Expansion(instances, "count", list(range(max(number, 0))))
    if "for_each" in block.attributes:
        collection = ctx.eval_attr(block.attributes["for_each"], {})
        pairs = for_each_pairs(collection)
        if isinstance(pairs, Unknown):
            each = {"key": pairs, "value": pairs}
            return _unknown(ctx, block, base, loc, "for_each", pairs, {"each": each})
        instances = []
        for key, value in pairs:
            address = base + address_key(key)
            bindings = {"each": {"key": key, "value": value}}
            instances.append(Instance(address, kind, name, _view(ctx, block, address, bindings)))
        return Expansion(instances, "for_each", [key for key, _ in pairs])
    return Expansion([Instance(base, kind, name, _view(ctx, block, base, {}))])


def for_each_pairs(collection: Value) -> list[tuple[str, Value]] | Unknown:
    if isinstance(collection, Unknown):
        return collection
    if isinstance(collection, dict):
        return [(key, collection[key]) for key in sorted(collection)]
    if isinstance(collection, list):
        # A set of strings: each.key and each.value are both the element.
        unknown = deep_unknown(collection)
        if unknown is not None:
            return unknown
        keys = sorted({to_str(item) for item in collection})
        return [(key, key) for key in keys]
    if collection is None:
        return []
    return Unknown(reason="for_each is not a map or a set")


def _unknown(
    ctx: ModuleContext,
    block: Block,
    base: str,
    loc: Loc,
    argument: str,
    value: Unknown,
    bindings: dict[str, Value],
) -> Expansion:
    ctx.notice(loc, f"{argument} of {base} is unknown ({value.reason}): assessed as one instance")
    kind, name = block.labels[0], block.labels[1]
    return Expansion(
        [Instance(base, kind, name, _view(ctx, block, base, bindings), True)], "unknown"
    )


class InstanceValue(Lazy):
    """What ``aws_vpc.main`` (or ``aws_subnet.x[0]``) evaluates to in an expression."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance

    def describe(self) -> str:
        return self.instance.address

    def get_attr(self, name: str, loc: Loc) -> Value:
        instance = self.instance
        if name == "id":
            return instance.address
        if instance.type in _VPC_TYPES and name in VPC_DEFAULT_ATTRIBUTES:
            return f"{instance.address}.{name}"
        if instance.view.has(name):
            return instance.view.get(name)
        return Unknown(reason=f"computed attribute {name} of {instance.address}")

    def index(self, key: Value, loc: Loc) -> Value:
        if self.instance.unexpanded:
            return self  # count/for_each unknown: every index is the one assessed instance
        return super().index(key, loc)


def resource_value(ctx: ModuleContext, kind: str, name: str, loc: Loc) -> Value:
    """The value of ``kind.name`` in an expression: one instance, a list or a map."""
    block = ctx.decls.resources.get(kind, {}).get(name)
    if block is None:
        reason = f"reference to undeclared resource {kind}.{name}"
        ctx.notice(loc, reason)
        return Unknown(reason=reason)
    expansion = expand(ctx, block)
    values = [InstanceValue(instance) for instance in expansion.instances]
    if expansion.shape == "count":
        return values
    if expansion.shape == "for_each":
        return dict(zip([str(k) for k in expansion.keys], values, strict=True))
    return values[0]
