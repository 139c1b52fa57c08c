"""Provider configurations: aliases, inheritance into modules, ``default_tags``, region.

Each module sees provider configurations by name (``aws``, ``aws.west``): its own
``provider`` blocks, the caller's default configurations (inherited implicitly) and
those passed with ``providers = { aws = aws.west }``.
"""

from __future__ import annotations

from lark import Token, Tree

from policycheck.frontends.terraform.context import ModuleContext
from policycheck.frontends.terraform.parse import Block
from policycheck.frontends.terraform.values import Loc, Value
from policycheck.model import Unknown

ProviderTable = dict[str, tuple[ModuleContext, Block]]


def traversal_text(tree: Tree[Token]) -> str:
    """``aws.west`` written as a bare reference (``provider = aws.west``)."""
    names = [str(t.children[0]) for t in _preorder(tree) if t.data == "identifier"]
    return ".".join(names)


def _preorder(tree: Tree[Token]) -> list[Tree[Token]]:
    result = [tree]
    for child in tree.children:
        if isinstance(child, Tree):
            result.extend(_preorder(child))
    return result


def provider_table(ctx: ModuleContext) -> ProviderTable:
    """Provider configurations visible in ``ctx`` (memoised per module)."""
    cached = ctx.cache.get("provider_table")
    if isinstance(cached, dict):
        return cached
    inherited = ctx.cache.get("providers")
    table: ProviderTable = dict(inherited) if isinstance(inherited, dict) else {}
    for block in ctx.decls.providers:
        name = block.labels[0]
        alias_attr = block.attributes.get("alias")
        if alias_attr is not None:
            alias = ctx.eval_attr(alias_attr, {})
            if isinstance(alias, str):
                name = f"{name}.{alias}"
        table[name] = (ctx, block)
    ctx.cache["provider_table"] = table
    return table


def inherited_providers(caller: ModuleContext, call: Block) -> ProviderTable:
    """What a module call passes to its child: default configurations plus ``providers``."""
    parent = provider_table(caller)
    table = {name: entry for name, entry in parent.items() if "." not in name}
    mapping = call.attributes.get("providers")
    if mapping is None:
        return table
    for element in _preorder(mapping.expr):
        if element.data != "object_elem":
            continue
        key_tree, value_tree = [c for c in element.children if isinstance(c, Tree)][:2]
        key, value = traversal_text(key_tree), traversal_text(value_tree)
        if value in parent:
            table[key] = parent[value]
        else:
            caller.notice(
                Loc(call.file, call.line), f"provider configuration {value} is not declared"
            )
    return table


def _provider_of(ctx: ModuleContext, block: Block) -> tuple[ModuleContext, Block] | None:
    attr = block.attributes.get("provider")
    name = traversal_text(attr.expr) if attr is not None else block.labels[0].split("_", 1)[0]
    return provider_table(ctx).get(name)


def default_tags(ctx: ModuleContext, block: Block) -> dict[str, Value]:
    """The ``default_tags`` of the provider configuration a resource uses."""
    found = _provider_of(ctx, block)
    if found is None:
        return {}
    owner, provider = found
    settings = next((b for b in provider.blocks if b.type == "default_tags"), None)
    attr = settings.attributes.get("tags") if settings is not None else None
    if attr is None:
        return {}
    key = f"{owner.prefix}provider.{provider.line}.{provider.file}.default_tags"
    value = owner.memo(key, lambda: owner.eval_attr(attr, {}), Loc(attr.file, attr.line))
    return value if isinstance(value, dict) else {}


def region(ctx: ModuleContext, block: Block) -> str | Unknown:
    """The region of the provider configuration a resource uses."""
    found = _provider_of(ctx, block)
    if found is None:
        return Unknown(reason="no provider configuration declares the region")
    owner, provider = found
    attr = provider.attributes.get("region")
    if attr is None:
        return Unknown(reason="the provider region comes from the environment")
    value = owner.eval_attr(attr, {})
    return value if isinstance(value, str | Unknown) else Unknown(reason="region is not a string")
