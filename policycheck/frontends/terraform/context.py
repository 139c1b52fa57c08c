"""One root module's declarations and the lazy, memoised evaluation of its names.

Locals, resource attributes and instance expansions are evaluated when first
referenced and remembered; a name met again while it is being evaluated is a cycle,
reported once as an error and valued Unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.frontends.terraform.evaluate import Env, evaluate
from policycheck.frontends.terraform.parse import Attribute, Block
from policycheck.frontends.terraform.values import EvalError, Lazy, Loc, Value
from policycheck.model import Unknown


@dataclass
class Reporter:
    """Collects diagnostics, dropping exact duplicates."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    _seen: set[tuple[str, str, int | None, str]] = field(default_factory=set)

    def report(self, level: DiagnosticLevel, file: str, line: int | None, message: str) -> None:
        key = (str(level), file, line, message)
        if key not in self._seen:
            self._seen.add(key)
            self.diagnostics.append(
                Diagnostic(level=level, file=file, line=line or None, message=message)
            )


@dataclass
class Declarations:
    """The blocks of one module, by kind, in declaration order."""

    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    resources: dict[str, dict[str, Block]] = field(default_factory=dict)
    """Resource type → name → block."""
    resource_order: list[Block] = field(default_factory=list)
    data: dict[str, dict[str, Block]] = field(default_factory=dict)
    modules: dict[str, Block] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)


@dataclass
class Shared:
    """State shared by every module of one root module's evaluation."""

    reporter: Reporter
    scan_root: Path | None = None
    """Reported file paths are relative to this folder."""
    root_folder: Path | None = None
    """The root module's folder (``file()`` paths and ``.terraform`` are relative to it)."""
    repo_root: Path | None = None
    """Files read by ``file()``/``templatefile()`` must lie inside this folder."""
    memo: dict[str, Value] = field(default_factory=dict)
    stack: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ModulePlace:
    """Where a module instance sits in the module tree."""

    prefix: str = ""
    """Address prefix of its objects: ``""`` or ``module.app["blue"].``."""
    call_path: tuple[str, ...] = ()
    """Module call names from the root (the ``modules.json`` key, dot-joined)."""
    folder: Path | None = None
    path_module: str = "."
    """``path.module``: the module's folder relative to the root module."""
    ancestors: tuple[Path, ...] = ()
    """Folders of the calling modules (to report source cycles)."""


class ModuleContext:
    """Evaluates the names of one module (implements the evaluator's Scope)."""

    def __init__(
        self,
        decls: Declarations,
        variables: Mapping[str, Value],
        reporter: Reporter,
        place: ModulePlace | None = None,
        shared: Shared | None = None,
    ):
        self.decls = decls
        self.variables = variables
        self.reporter = reporter
        self.place = place or ModulePlace()
        self.shared = shared or Shared(reporter)
        self.prefix = self.place.prefix
        self._memo = self.shared.memo
        self._stack = self.shared.stack
        self.cache: dict[str, object] = {}
        """Per-module caches of other stages (module expansions, provider settings)."""
        # Set by the expansion module, which knows how resources become instances.
        self.resource_value: Callable[[str, str, Loc], Value] = _no_resources
        # Set by the module loader, which knows how calls become child modules.
        self.module_value: Callable[[str, Loc], Value] = self._no_module
        # Set by the data-source module.
        self.data_value: Callable[[str, str, Loc], Value] = _no_data

    def report(self, level: DiagnosticLevel, loc: Loc, message: str) -> None:
        self.reporter.report(level, loc.file, loc.line, message)

    def notice(self, loc: Loc, message: str) -> None:
        self.report(DiagnosticLevel.NOTICE, loc, message)

    def report_error(self, loc: Loc, message: str) -> None:
        self.report(DiagnosticLevel.ERROR, loc, message)

    def memo(self, key: str, compute: Callable[[], Value], loc: Loc) -> Value:
        """``compute()`` once per key; a key needed while computing itself is a cycle."""
        if key in self._memo:
            return self._memo[key]
        if key in self._stack:
            cycle = " -> ".join([*self._stack[self._stack.index(key) :], key])
            message = f"reference cycle: {cycle}"
            self.report(DiagnosticLevel.ERROR, loc, message)
            return Unknown(reason=message)
        self._stack.append(key)
        try:
            value = compute()
        finally:
            self._stack.pop()
        self._memo[key] = value
        return value

    def eval_attr(self, attr: Attribute, bindings: dict[str, Value]) -> Value:
        """Evaluate an attribute; an invalid expression is an ERROR and an Unknown."""
        return self.eval_tree(attr, bindings)

    def eval_tree(self, attr: Attribute, bindings: dict[str, Value]) -> Value:
        try:
            return evaluate(attr.expr, Env(self, attr.file, bindings))
        except EvalError as exc:
            message = f"cannot evaluate {attr.name}: {exc}"
            self.reporter.report(DiagnosticLevel.ERROR, attr.file, attr.line, message)
            return Unknown(reason=message)
        except RecursionError:
            message = f"cannot evaluate {attr.name}: expression nested too deeply"
            self.reporter.report(DiagnosticLevel.ERROR, attr.file, attr.line, message)
            return Unknown(reason=message)

    def root(self, name: str, loc: Loc) -> Value:
        """The value of a top-level name in an expression."""
        if name == "var":
            return _Namespace("var", self._variable)
        if name == "local":
            return _Namespace("local", self._local)
        if name == "data":
            return _Namespace("data", lambda kind, at: _Namespace(f"data.{kind}", self._data(kind)))
        if name == "module":
            return _Namespace("module", lambda mod, at: self.module_value(mod, at))
        if name == "path":
            return {"module": self.place.path_module, "root": ".", "cwd": "."}
        if name == "terraform":
            return {"workspace": "default"}
        if name in ("count", "each"):
            raise EvalError(f"{name} is only available in a resource that sets {name}")
        if name == "self":
            raise EvalError("self is only available in provisioner and connection blocks")
        return _Namespace(name, lambda rname, at: self.resource_value(name, rname, at))

    def _variable(self, name: str, loc: Loc) -> Value:
        if name in self.variables:
            return self.variables[name]
        reason = f"reference to undeclared variable var.{name}"
        self.notice(loc, reason)
        return Unknown(reason=reason)

    def _local(self, name: str, loc: Loc) -> Value:
        attr = self.decls.locals.get(name)
        if attr is None:
            reason = f"reference to undeclared local value local.{name}"
            self.notice(loc, reason)
            return Unknown(reason=reason)
        loc = Loc(attr.file, attr.line)
        return self.memo(f"{self.prefix}local.{name}", lambda: self.eval_attr(attr, {}), loc)

    def _data(self, kind: str) -> Callable[[str, Loc], Value]:
        def lookup(name: str, loc: Loc) -> Value:
            if name in self.decls.data.get(kind, {}):
                return self.data_value(kind, name, loc)
            reason = f"reference to undeclared data source data.{kind}.{name}"
            self.notice(loc, reason)
            return Unknown(reason=reason)

        return lookup

    def _no_module(self, name: str, loc: Loc) -> Value:
        if name in self.decls.modules:
            return Unknown(reason=f"outputs of module.{name} are not assessed here")
        reason = f"reference to undeclared module module.{name}"
        self.notice(loc, reason)
        return Unknown(reason=reason)


class _Namespace(Lazy):
    """``var``, ``local``, ``data.TYPE``, a resource type...: attributes looked up on demand."""

    def __init__(self, name: str, lookup: Callable[[str, Loc], Value]) -> None:
        self._name = name
        self._lookup = lookup

    def get_attr(self, name: str, loc: Loc) -> Value:
        return self._lookup(name, loc)

    def describe(self) -> str:
        return self._name


def _no_data(kind: str, name: str, loc: Loc) -> Value:
    return Unknown(reason=f"data source data.{kind}.{name} is read at plan time")


def _no_resources(kind: str, name: str, loc: Loc) -> Value:
    return Unknown(reason=f"{kind}.{name} cannot be evaluated here")
