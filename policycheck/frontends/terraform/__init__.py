"""The Terraform front-end: one root module (a folder of ``.tf`` files) into the model.

Parsing uses python-hcl2's lark tree (so every value keeps its line); expressions,
variables, locals, ``count``/``for_each``/``dynamic`` are evaluated here, lazily and
without executing anything or touching the network.
"""

from __future__ import annotations

from pathlib import Path

from policycheck.diagnostics import DiagnosticLevel
from policycheck.frontends.interface import FrontendResult, TerraformInputs
from policycheck.frontends.terraform.assemble import build_model
from policycheck.frontends.terraform.context import ModuleContext, Reporter
from policycheck.frontends.terraform.expand import resource_value
from policycheck.frontends.terraform.load import collect, read_module, relative_path
from policycheck.frontends.terraform.values import Loc, Value
from policycheck.frontends.terraform.variables import resolve_variables
from policycheck.model import Model

__all__ = ["load_terraform"]


def load_terraform(folder: Path, scan_root: Path, inputs: TerraformInputs) -> FrontendResult:
    """Model the root module in ``folder``; paths in the result are relative to ``scan_root``.

    Never raises for bad input: problems become diagnostics (errors with file and
    line for what could not be read, notices for what is unknown or not modelled).
    """
    reporter = Reporter()
    unit = relative_path(folder, scan_root)
    try:
        files = read_module(folder, scan_root, reporter)
        decls = collect(files, reporter)
        variables = resolve_variables(decls.variables, folder, scan_root, inputs, reporter)
        ctx = ModuleContext(decls, variables, reporter)

        def lookup(kind: str, name: str, loc: Loc) -> Value:
            return resource_value(ctx, kind, name, loc)

        ctx.resource_value = lookup
        model = build_model(ctx, unit)
    except RecursionError:
        reporter.report(DiagnosticLevel.ERROR, unit, None, "configuration nested too deeply")
        model = Model(unit=unit)
    except OSError as exc:
        reporter.report(DiagnosticLevel.ERROR, unit, None, f"cannot read module: {exc}")
        model = Model(unit=unit)
    diagnostics = sorted(reporter.diagnostics, key=lambda d: d.sort_key())
    return FrontendResult(model=model, diagnostics=diagnostics)
