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
from policycheck.frontends.terraform.context import ModuleContext, ModulePlace, Reporter, Shared
from policycheck.frontends.terraform.files import repository_root
from policycheck.frontends.terraform.load import collect, read_module, relative_path
from policycheck.frontends.terraform.modules import new_context
from policycheck.frontends.terraform.variables import resolve_variables
from policycheck.model import Model

__all__ = ["load_terraform", "root_context"]


def root_context(
    folder: Path, scan_root: Path, inputs: TerraformInputs, reporter: Reporter
) -> ModuleContext:
    """The evaluation context of a root module (modules, resources and data on demand)."""
    files = read_module(folder, scan_root, reporter)
    decls = collect(files, reporter)
    variables = resolve_variables(decls.variables, folder, scan_root, inputs, reporter)
    shared = Shared(
        reporter, scan_root=scan_root, root_folder=folder, repo_root=repository_root(scan_root)
    )
    return new_context(decls, variables, reporter, ModulePlace(folder=folder), shared)


def load_terraform(folder: Path, scan_root: Path, inputs: TerraformInputs) -> FrontendResult:
    """Model the root module in ``folder``; paths in the result are relative to ``scan_root``.

    Never raises for bad input: problems become diagnostics (errors with file and
    line for what could not be read, notices for what is unknown or not modelled).
    """
    reporter = Reporter()
    unit = relative_path(folder, scan_root)
    try:
        ctx = root_context(folder, scan_root, inputs, reporter)
        model = build_model(ctx, unit)
    except RecursionError:
        reporter.report(DiagnosticLevel.ERROR, unit, None, "configuration nested too deeply")
        model = Model(unit=unit)
    except OSError as exc:
        reporter.report(DiagnosticLevel.ERROR, unit, None, f"cannot read module: {exc}")
        model = Model(unit=unit)
    diagnostics = sorted(reporter.diagnostics, key=lambda d: d.sort_key())
    return FrontendResult(model=model, diagnostics=diagnostics)
