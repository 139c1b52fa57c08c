"""A stack tree — a template and the nested stacks it opens — resolved into one model
under one assignment of the open conditions.

A nested stack (``AWS::CloudFormation::Stack``) whose ``TemplateURL`` is a local path,
or whose CDK ``aws:asset:path`` metadata names a file next to the parent, is read too:
its parameters are the parent's resolved ``Parameters`` property, its objects are
modelled with ids ``<StackLogicalId>.<LogicalId>`` and their own file and lines, and
``Fn::GetAtt Stack.Outputs.Name`` in the parent resolves to the child's output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policycheck.frontends.cloudformation.conditions import Atoms, Conditions
from policycheck.frontends.cloudformation.declarations import (
    ResourceDecl,
    resource_declarations,
    section,
)
from policycheck.frontends.cloudformation.decode import decode_template
from policycheck.frontends.cloudformation.dependencies import report_cycles
from policycheck.frontends.cloudformation.intrinsics import Resolver
from policycheck.frontends.cloudformation.parameters import resolve_parameters
from policycheck.frontends.cloudformation.resources import Scope, build_model
from policycheck.frontends.cloudformation.sink import DiagnosticSink
from policycheck.frontends.cloudformation.suppressions import resource_suppressions
from policycheck.frontends.cloudformation.transforms import apply_transforms
from policycheck.frontends.cloudformation.values import Obj, Value, as_text
from policycheck.model import Model, Suppression, Unknown

MAX_NESTING = 8
"""Nested stacks deeper than this are not opened (a notice says so)."""

STACK = "AWS::CloudFormation::Stack"


@dataclass
class TemplateCache:
    """Decoded and transformed templates by path, shared by every build of one unit;
    each template's decoding diagnostics are kept with it."""

    templates: dict[Path, tuple[dict[str, Any] | None, DiagnosticSink]] = field(
        default_factory=dict
    )

    def read(self, path: Path, file: str, region: str) -> tuple[dict[str, Any] | None,
                                                                 DiagnosticSink]:
        key = path.resolve()
        if key not in self.templates:
            sink = DiagnosticSink(file)
            decoded = decode_template(path, sink)
            if decoded is not None:
                decoded = apply_transforms(decoded, region, sink)
            self.templates[key] = (decoded, sink)
        return self.templates[key]


@dataclass
class BuiltStack:
    model: Model
    sinks: list[DiagnosticSink]
    atoms: Atoms


class StackTree:
    """Opens the templates of one stack tree; the resolver's hook for nested stacks."""

    def __init__(self, scan_root: Path, region: str, overrides: tuple[tuple[str, str], ...],
                 atoms: Atoms, cache: TemplateCache) -> None:
        self._root = scan_root
        self._region = region
        self._overrides = overrides
        self._atoms = atoms
        self._cache = cache
        self._types: dict[str, str] = {}
        self._children: dict[str, Resolver | None] = {}
        self._paths: dict[int, Path] = {}
        self._depths: dict[int, int] = {}
        self._sinks: dict[int, DiagnosticSink] = {}
        self.scopes: list[Scope] = []
        self.sinks: list[DiagnosticSink] = []
        self.suppressions: list[Suppression] = []

    def open(self, path: Path, prefix: str = "", passed: dict[str, Value] | None = None,
             depth: int = 0) -> Resolver | None:
        """Read one template of the tree; None when it cannot be read (errors recorded)."""
        file = relative(path, self._root)
        decoded, decode_sink = self._cache.read(path, file, self._region)
        sink = DiagnosticSink(file)
        self.sinks += [decode_sink, sink]
        if decoded is None:
            return None
        overrides = self._overrides if passed is None else ()
        parameters = resolve_parameters(section(decoded, "Parameters", sink), overrides, sink,
                                        passed=passed, report_unmatched=passed is None)
        declarations = resource_declarations(decoded, sink)
        report_cycles(section(decoded, "Resources", DiagnosticSink(file)), sink)
        resolver = Resolver(
            sink=sink, region=self._region, parameters=parameters,
            mappings=section(decoded, "Mappings", sink),
            resources={decl.logical_id: decl for decl in declarations},
            conditions=Conditions(section(decoded, "Conditions", sink), sink, self._atoms,
                                  prefix),
            prefix=prefix, types=self._types, nested=self,
        )
        resolver.outputs = section(decoded, "Outputs", sink)
        self._paths[id(resolver)] = path
        self._depths[id(resolver)] = depth
        self._sinks[id(resolver)] = sink
        self.scopes.append(Scope(declarations, resolver, file, sink))
        for decl in declarations:
            self.suppressions += resource_suppressions(decl, prefix + decl.logical_id, file, sink)
        for decl in declarations:
            if decl.type == STACK and resolver.resource_is_active(decl):
                self.child(decl, resolver)
        return resolver

    def child(self, decl: ResourceDecl, parent: Resolver) -> Resolver | None:
        """The resolver of the nested stack ``decl`` of ``parent`` (opened once)."""
        model_id = parent.prefix + decl.logical_id
        if model_id in self._children:
            return self._children[model_id]
        self._children[model_id] = None  # a cycle through outputs resolves to Unknown
        sink = self._sinks[id(parent)]
        depth = self._depths.get(id(parent), 0) + 1
        if depth > MAX_NESTING:
            sink.notice(decl.line, f"{decl.logical_id}: nested deeper than {MAX_NESTING} "
                                   "stacks; not opened")
            return None
        props = parent.resolve(decl.properties, decl.line)
        props = props if isinstance(props, Obj) else Obj()
        path = self._template_path(decl, props, self._paths[id(parent)], sink)
        if path is None:
            return None
        passed_raw = props.get("Parameters")
        passed = dict(passed_raw) if isinstance(passed_raw, Obj) else {}
        child = self.open(path, f"{model_id}.", passed, depth)
        self._children[model_id] = child
        return child

    def _template_path(self, decl: ResourceDecl, props: Obj, parent: Path,
                       sink: DiagnosticSink) -> Path | None:
        url = as_text(props.get("TemplateURL"))
        candidate: str | None = None
        if isinstance(url, str) and "://" not in url:
            candidate = url
        elif isinstance(decl.metadata, dict) and isinstance(
                decl.metadata.get("aws:asset:path"), str):
            candidate = str(decl.metadata["aws:asset:path"])  # CDK nested stack asset
        if candidate is None:
            reason = url.reason if isinstance(url, Unknown) else "it is not a local path"
            sink.notice(decl.line, f"{decl.logical_id}: nested stack template not read "
                                   f"({reason}); its resources are not modelled")
            return None
        path = (parent.parent / candidate)
        if not path.is_file():
            sink.notice(decl.line, f"{decl.logical_id}: nested stack template {candidate} "
                                   "not found; its resources are not modelled")
            return None
        return path

    def build(self, unit: str) -> BuiltStack:
        draft = build_model(self.scopes)
        model = draft.to_model(unit).model_copy(update={"suppressions": self.suppressions})
        return BuiltStack(model=model, sinks=self.sinks, atoms=self._atoms)


def build_stack(template: Path, scan_root: Path, region: str,
                overrides: tuple[tuple[str, str], ...], atoms: Atoms,
                cache: TemplateCache) -> BuiltStack:
    """The model of ``template`` and its nested stacks under the atoms' assignment."""
    tree = StackTree(scan_root, region, overrides, atoms, cache)
    tree.open(template)
    return tree.build(relative(template, scan_root))


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
