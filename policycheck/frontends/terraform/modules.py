"""Module calls: sources, inputs, outputs, and ``count``/``for_each`` on modules.

A local source (``./``, ``../``) is read from disk; any other source is looked up in
``.terraform/modules/modules.json`` (written by ``terraform init``) and never fetched.
Each module instance gets its own :class:`ModuleContext` whose objects' addresses
start with ``module.NAME[KEY].``; inputs are evaluated lazily in the caller.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from policycheck.diagnostics import DiagnosticLevel
from policycheck.frontends.terraform.context import (
    Declarations,
    ModuleContext,
    ModulePlace,
    Reporter,
    Shared,
)
from policycheck.frontends.terraform.data_sources import data_value
from policycheck.frontends.terraform.expand import resource_value
from policycheck.frontends.terraform.load import collect, read_module
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
from policycheck.frontends.terraform.var_types import convert, evaluate_constant, type_constraint
from policycheck.model import Unknown

_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
_MAX_DEPTH = 24
_MANIFEST_KEY = "#modules.json"


def new_context(
    decls: Declarations,
    variables: Mapping[str, Value],
    reporter: Reporter,
    place: ModulePlace | None = None,
    shared: Shared | None = None,
) -> ModuleContext:
    """A module context wired to resource expansion and module calls."""
    ctx = ModuleContext(decls, variables, reporter, place, shared)
    ctx.resource_value = lambda kind, name, loc: resource_value(ctx, kind, name, loc)
    ctx.module_value = lambda name, loc: module_value(ctx, name, loc)
    ctx.data_value = lambda kind, name, loc: data_value(ctx, kind, name, loc)
    return ctx


@dataclass
class ModuleExpansion:
    contexts: list[ModuleContext] = field(default_factory=list)
    shape: str = "single"
    """``single``, ``count``, ``for_each``, ``unknown`` or ``unresolved``."""
    keys: list[Value] = field(default_factory=list)
    unresolved: Unknown | None = None


class ModuleInputs(Mapping[str, Value]):
    """A child module's variables: the call's arguments, evaluated in the caller on demand."""

    def __init__(
        self, caller: ModuleContext, call: Block, decls: Declarations, bindings: dict[str, Value]
    ) -> None:
        self.caller = caller
        self.call = call
        self.decls = decls
        self.bindings = bindings
        self.prefix = ""

    def __getitem__(self, name: str) -> Value:
        if name not in self.decls.variables:
            raise KeyError(name)
        attr = self.call.attributes.get(name)
        loc = Loc(attr.file, attr.line) if attr else Loc(self.call.file, self.call.line)
        return self.caller.memo(f"{self.prefix}var.{name}", lambda: self._value(name), loc)

    def _value(self, name: str) -> Value:
        declared = self.decls.variables[name]
        attr = self.call.attributes.get(name)
        value: Value = None
        if attr is not None:
            value = self.caller.eval_attr(attr, self.bindings)
        nullable = declared.attributes.get("nullable")
        keeps_null = nullable is None or _constant(nullable.expr) is not False
        if attr is None or (value is None and not keeps_null):
            default = declared.attributes.get("default")
            if default is None:
                if attr is None:
                    message = f"module {self.call.labels[0]}: required input {name} is not set"
                    self.caller.report_error(Loc(self.call.file, self.call.line), message)
                    return Unknown(reason=message)
            else:
                try:
                    value = evaluate_constant(default.expr, default.file)
                except EvalError as exc:
                    return Unknown(reason=f"invalid default of var.{name}: {exc}")
        converted = convert(value, type_constraint(declared))
        if isinstance(converted, EvalError):
            message = f"invalid value for module input {name}: {converted}"
            at = attr or declared
            self.caller.report_error(Loc(at.file, at.line), message)
            return Unknown(reason=message)
        return converted

    def __iter__(self) -> Iterator[str]:
        return iter(self.decls.variables)

    def __len__(self) -> int:
        return len(self.decls.variables)


def _constant(tree: object) -> Value:
    try:
        return evaluate_constant(tree, "")  # type: ignore[arg-type]
    except EvalError:
        return None


class ModuleValue(Lazy):
    """What ``module.app`` (or ``module.app["blue"]``) evaluates to: its outputs."""

    def __init__(self, child: ModuleContext, unexpanded: bool = False) -> None:
        self.child = child
        self.unexpanded = unexpanded

    def describe(self) -> str:
        return self.child.prefix.rstrip(".")

    def get_attr(self, name: str, loc: Loc) -> Value:
        block = self.child.decls.outputs.get(name)
        value_attr = block.attributes.get("value") if block is not None else None
        if value_attr is None:
            raise EvalError(f"{self.describe()} has no output {name!r}")
        key = f"{self.child.prefix}output.{name}"
        return self.child.memo(
            key, lambda: self.child.eval_attr(value_attr, {}), Loc(value_attr.file, value_attr.line)
        )

    def index(self, key: Value, loc: Loc) -> Value:
        if self.unexpanded:
            return self
        return super().index(key, loc)


def module_value(ctx: ModuleContext, name: str, loc: Loc) -> Value:
    """The value of ``module.NAME`` in ``ctx``: one instance, a list or a map of them."""
    if name not in ctx.decls.modules:
        reason = f"reference to undeclared module module.{name}"
        ctx.notice(loc, reason)
        return Unknown(reason=reason)
    expansion = expand_module(ctx, name)
    if expansion.unresolved is not None:
        return expansion.unresolved
    values = [ModuleValue(child, expansion.shape == "unknown") for child in expansion.contexts]
    if expansion.shape == "count":
        return values
    if expansion.shape == "for_each":
        return dict(zip([to_str(k) for k in expansion.keys], values, strict=True))
    return values[0] if values else Unknown(reason=f"module.{name} has no instance")


def all_contexts(root: ModuleContext) -> list[ModuleContext]:
    """The root module and every module instance under it, depth first, in call order."""
    result = [root]
    for name in root.decls.modules:
        for child in expand_module(root, name).contexts:
            result.extend(all_contexts(child))
    return result


def expand_module(ctx: ModuleContext, name: str) -> ModuleExpansion:
    """The instances of one module call (memoised)."""
    block = ctx.decls.modules[name]
    loc = Loc(block.file, block.line)
    cached = ctx.memo(
        f"{ctx.prefix}module.{name}#instances", lambda: _expand(ctx, name, block), loc
    )
    if isinstance(cached, ModuleExpansion):
        return cached
    return ModuleExpansion(shape="unresolved", unresolved=cached)


def _expand(ctx: ModuleContext, name: str, block: Block) -> ModuleExpansion:
    loc = Loc(block.file, block.line)
    folder = _resolve_source(ctx, name, block)
    if isinstance(folder, Unknown):
        return ModuleExpansion(shape="unresolved", unresolved=folder)
    assert ctx.shared.scan_root is not None
    decls = collect(read_module(folder, ctx.shared.scan_root, ctx.reporter), ctx.reporter)
    for arg, attr in block.attributes.items():
        if arg not in _META_ARGUMENTS and arg not in decls.variables:
            ctx.report_error(Loc(attr.file, attr.line), f"module {name} has no variable {arg}")
    base = f"{ctx.prefix}module.{name}"
    keyed: list[tuple[Value, dict[str, Value]]]
    shape = "single"
    if "count" in block.attributes:
        count = ctx.eval_attr(block.attributes["count"], {})
        if isinstance(count, Unknown):
            return _unexpanded(ctx, name, block, folder, decls, "count", count)
        try:
            keyed = [(i, {"count": {"index": i}}) for i in range(max(to_int(count), 0))]
        except EvalError as exc:
            ctx.report_error(loc, f"invalid count for {base}: {exc}")
            return ModuleExpansion(shape="count")
        shape = "count"
    elif "for_each" in block.attributes:
        collection = ctx.eval_attr(block.attributes["for_each"], {})
        pairs = _pairs(collection)
        if isinstance(pairs, Unknown):
            return _unexpanded(ctx, name, block, folder, decls, "for_each", pairs)
        keyed = [(k, {"each": {"key": k, "value": v}}) for k, v in pairs]
        shape = "for_each"
    else:
        keyed = [(None, {})]
    contexts = [
        _child(ctx, name, block, folder, decls, base + ("" if key is None else address_key(key)), b)
        for key, b in keyed
    ]
    return ModuleExpansion(contexts, shape, [key for key, _ in keyed])


def _unexpanded(
    ctx: ModuleContext,
    name: str,
    block: Block,
    folder: Path,
    decls: Declarations,
    argument: str,
    value: Unknown,
) -> ModuleExpansion:
    base = f"{ctx.prefix}module.{name}"
    message = f"{argument} of {base} is unknown ({value.reason}): assessed as one instance"
    ctx.notice(Loc(block.file, block.line), message)
    bindings: dict[str, Value] = {"count": {"index": value}}
    if argument == "for_each":
        bindings = {"each": {"key": value, "value": value}}
    return ModuleExpansion([_child(ctx, name, block, folder, decls, base, bindings)], "unknown")


def _pairs(collection: Value) -> list[tuple[str, Value]] | Unknown:
    if isinstance(collection, Unknown):
        return collection
    if isinstance(collection, dict):
        return [(key, collection[key]) for key in sorted(collection)]
    if isinstance(collection, list):
        unknown = deep_unknown(collection)
        if unknown is not None:
            return unknown
        return [(key, key) for key in sorted({to_str(item) for item in collection})]
    if collection is None:
        return []
    return Unknown(reason="for_each is not a map or a set")


def _child(
    ctx: ModuleContext,
    name: str,
    block: Block,
    folder: Path,
    decls: Declarations,
    address: str,
    bindings: dict[str, Value],
) -> ModuleContext:
    inputs = ModuleInputs(ctx, block, decls, bindings)
    inputs.prefix = address + "."
    root = ctx.shared.root_folder or folder
    place = ModulePlace(
        prefix=address + ".",
        call_path=(*ctx.place.call_path, name),
        folder=folder,
        path_module=Path(os.path.relpath(folder, root)).as_posix(),
        ancestors=(*ctx.place.ancestors, _folder_of(ctx)),
    )
    child = new_context(decls, inputs, ctx.reporter, place, ctx.shared)
    child.cache["providers"] = _provider_map(ctx, block)
    return child


def _provider_map(ctx: ModuleContext, block: Block) -> dict[str, tuple[ModuleContext, Block]]:
    """Provider names in the child → (context declaring the configuration, its block)."""
    from policycheck.frontends.terraform.providers import inherited_providers

    return inherited_providers(ctx, block)


def _folder_of(ctx: ModuleContext) -> Path:
    folder = ctx.place.folder or ctx.shared.root_folder or Path(".")
    return folder.resolve()


def _resolve_source(ctx: ModuleContext, name: str, block: Block) -> Path | Unknown:
    loc = Loc(block.file, block.line)
    attr = block.attributes.get("source")
    source = ctx.eval_attr(attr, {}) if attr is not None else None
    if not isinstance(source, str):
        message = f"module {name} has no literal source"
        ctx.report_error(loc, message)
        return Unknown(reason=message)
    if source.startswith(("./", "../")):
        folder = _folder_of(ctx) / source
    else:
        cached = _manifest(ctx).get(".".join((*ctx.place.call_path, name)))
        if cached is None:
            message = f"module {name} not resolved: run terraform init (source {source})"
            ctx.notice(loc, message)
            return Unknown(reason=message)
        folder = (ctx.shared.root_folder or Path(".")) / cached
    if not folder.is_dir():
        message = f"module {name}: source folder {source} not found"
        ctx.report_error(loc, message)
        return Unknown(reason=message)
    repo = ctx.shared.repo_root
    if repo is not None and not folder.resolve().is_relative_to(repo.resolve()):
        message = f"module {name}: source {source} is outside the scanned repository; not read"
        ctx.report_error(loc, message)
        return Unknown(reason=message)
    chain = [*ctx.place.ancestors, _folder_of(ctx)]
    if folder.resolve() in chain or len(chain) > _MAX_DEPTH:
        names = " -> ".join([*ctx.place.call_path, name])
        message = f"module cycle: module {names} calls a module already being loaded"
        ctx.report_error(loc, message)
        return Unknown(reason=message)
    return folder


def _manifest(ctx: ModuleContext) -> dict[str, str]:
    """``modules.json`` of the root module: module key → cached folder."""
    if _MANIFEST_KEY in ctx.shared.memo:
        cached: dict[str, str] = ctx.shared.memo[_MANIFEST_KEY]
        return cached
    table: dict[str, str] = {}
    root = ctx.shared.root_folder
    path = root / ".terraform" / "modules" / "modules.json" if root else None
    if path is not None and path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            for entry in data.get("Modules", []):
                if isinstance(entry, dict) and entry.get("Key") and entry.get("Dir"):
                    table[str(entry["Key"])] = str(entry["Dir"])
        except (OSError, ValueError, AttributeError):
            ctx.reporter.report(
                DiagnosticLevel.NOTICE, ".terraform/modules/modules.json", None, "cannot be read"
            )
    ctx.shared.memo[_MANIFEST_KEY] = table
    return table
