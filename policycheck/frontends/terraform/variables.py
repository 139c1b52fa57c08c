"""Input variable values from every source, in Terraform's precedence order.

default < ``TF_VAR_*`` < ``terraform.tfvars`` < ``terraform.tfvars.json`` <
``*.auto.tfvars(.json)`` (lexical) < ``--var-file`` < ``--var``.
"""

from __future__ import annotations

import json
from pathlib import Path

from lark import Token, Tree
from lark.exceptions import LarkError

from policycheck.diagnostics import DiagnosticLevel
from policycheck.frontends.interface import TerraformInputs
from policycheck.frontends.terraform.context import Reporter
from policycheck.frontends.terraform.evaluate import Env, evaluate
from policycheck.frontends.terraform.parse import Block, ParsedFile, parse_expression, parse_text
from policycheck.frontends.terraform.values import EvalError, Loc, Value
from policycheck.frontends.terraform.var_types import convert, type_constraint
from policycheck.model import Unknown

_AUTO_SUFFIXES = (".auto.tfvars", ".auto.tfvars.json")


class _ConstantScope:
    """Scope for defaults and tfvars, where references are not allowed."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter

    def root(self, name: str, loc: Loc) -> Value:
        raise EvalError(f"variables cannot refer to {name}")

    def report(self, level: DiagnosticLevel, loc: Loc, message: str) -> None:
        self.reporter.report(level, loc.file, loc.line, message)


def _relative(path: Path, scan_root: Path) -> str:
    try:
        return path.resolve().relative_to(scan_root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class VariableResolver:
    """Collects values per variable, later sources overriding earlier ones."""

    def __init__(self, declared: dict[str, Block], scan_root: Path, reporter: Reporter) -> None:
        self.declared = declared
        self.scan_root = scan_root
        self.reporter = reporter
        self.scope = _ConstantScope(reporter)
        self.values: dict[str, Value] = {}
        self.types = {name: type_constraint(block) for name, block in declared.items()}

    def _eval(self, expr: Tree[Token], file: str) -> Value:
        return evaluate(expr, Env(self.scope, file))

    def _set(self, name: str, value: Value, file: str, line: int | None) -> None:
        if name not in self.declared:
            self.reporter.report(
                DiagnosticLevel.NOTICE, file, line, f"value for undeclared variable {name!r}"
            )
            return
        self.values[name] = value

    def defaults(self) -> None:
        for name, block in self.declared.items():
            attr = block.attributes.get("default")
            if attr is None:
                continue
            try:
                self.values[name] = self._eval(attr.expr, attr.file)
            except EvalError as exc:
                self.reporter.report(
                    DiagnosticLevel.ERROR, attr.file, attr.line, f"invalid default: {exc}"
                )
                self.values[name] = Unknown(reason=f"invalid default of var.{name}")

    def raw(self, name: str, text: str, file: str, line: int | None) -> None:
        """A value given as text (``--var``, ``TF_VAR_``): HCL only for complex types."""
        if name not in self.declared:
            self._set(name, text, file, line)
            return
        kind = self.types[name]
        if kind is None or isinstance(kind, str):
            self._set(name, text, file, line)
            return
        try:
            self._set(name, self._eval(parse_expression(text), file), file, line)
        except (EvalError, LarkError, ValueError) as exc:
            message = f"invalid value for variable {name}: {str(exc).splitlines()[0]}"
            self.reporter.report(DiagnosticLevel.ERROR, file, line, message)

    def tfvars(self, path: Path) -> None:
        file = _relative(path, self.scan_root)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.reporter.report(DiagnosticLevel.ERROR, file, None, f"cannot read: {exc}")
            return
        if path.name.endswith(".json"):
            self._json(text, file)
            return
        parsed = parse_text(text, file)
        if not isinstance(parsed, ParsedFile):
            self.reporter.diagnostics.append(parsed)
            return
        for name, attr in parsed.attributes.items():
            try:
                self._set(name, self._eval(attr.expr, file), file, attr.line)
            except EvalError as exc:
                self.reporter.report(DiagnosticLevel.ERROR, file, attr.line, str(exc))

    def _json(self, text: str, file: str) -> None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            message = f"invalid JSON: {exc.msg}"
            self.reporter.report(DiagnosticLevel.ERROR, file, exc.lineno, message)
            return
        if not isinstance(data, dict):
            self.reporter.report(DiagnosticLevel.ERROR, file, 1, "a JSON object is expected")
            return
        for name, value in data.items():
            self._set(name, value, file, None)

    def finish(self) -> dict[str, Value]:
        """Converted values; a variable with no value is Unknown plus a notice."""
        result: dict[str, Value] = {}
        for name, block in self.declared.items():
            if name not in self.values:
                reason = f"variable {name} has no value"
                self.reporter.report(DiagnosticLevel.NOTICE, block.file, block.line, reason)
                result[name] = Unknown(reason=reason)
                continue
            converted = convert(self.values[name], self.types[name])
            if isinstance(converted, EvalError):
                message = f"invalid value for variable {name}: {converted}"
                self.reporter.report(DiagnosticLevel.ERROR, block.file, block.line, message)
                result[name] = Unknown(reason=message)
            else:
                result[name] = converted
        return result


def resolve_variables(
    declared: dict[str, Block],
    folder: Path,
    scan_root: Path,
    inputs: TerraformInputs,
    reporter: Reporter,
) -> dict[str, Value]:
    """Every declared variable's value (Unknown when none is given)."""
    resolver = VariableResolver(declared, scan_root, reporter)
    resolver.defaults()
    env_file = "<environment>"
    for key in sorted(inputs.environ):
        if key.startswith("TF_VAR_") and key[7:] in declared:
            resolver.raw(key[7:], inputs.environ[key], env_file, None)
    files = [folder / n for n in ("terraform.tfvars", "terraform.tfvars.json")]
    files.extend(
        sorted(
            (p for p in folder.glob("*.auto.tfvars*") if p.name.endswith(_AUTO_SUFFIXES)),
            key=lambda p: p.name,
        )
    )
    for path in files:
        if path.is_file():
            resolver.tfvars(path)
    for path in inputs.var_files:
        resolver.tfvars(path)
    for assignment_name, text in inputs.vars:
        resolver.raw(assignment_name, text, "<command line>", None)
    return resolver.finish()
