"""Helpers: write small HCL modules to tmp_path and load or evaluate them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from policycheck.diagnostics import Diagnostic
from policycheck.frontends.interface import FrontendResult, TerraformInputs
from policycheck.frontends.terraform import load_terraform
from policycheck.frontends.terraform.context import ModulePlace, Reporter, Shared
from policycheck.frontends.terraform.load import collect, read_module
from policycheck.frontends.terraform.modules import new_context
from policycheck.frontends.terraform.values import Loc
from policycheck.frontends.terraform.variables import resolve_variables

Loader = Callable[..., FrontendResult]
Evaluator = Callable[..., tuple[Any, list[Diagnostic]]]


def write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def load(tmp_path: Path) -> Loader:
    """``load(main_tf_text)`` or ``load({"a.tf": ..., ...}, inputs=...)``."""

    def run(files: str | dict[str, str], inputs: TerraformInputs | None = None) -> FrontendResult:
        folder = tmp_path / "stack"
        write(folder, {"main.tf": files} if isinstance(files, str) else files)
        return load_terraform(folder, tmp_path, inputs or TerraformInputs())

    return run


@pytest.fixture
def evaluate(tmp_path: Path) -> Evaluator:
    """``evaluate(expr, prelude="")``: the value of ``expr`` as a local, plus diagnostics."""

    def run(expr: str, prelude: str = "", inputs: TerraformInputs | None = None) -> Any:
        folder = tmp_path / "expr"
        write(folder, {"main.tf": f"{prelude}\nlocals {{\n  result = {expr}\n}}\n"})
        reporter = Reporter()
        decls = collect(read_module(folder, tmp_path, reporter), reporter)
        variables = resolve_variables(
            decls.variables, folder, tmp_path, inputs or TerraformInputs(), reporter
        )
        shared = Shared(reporter, scan_root=tmp_path, root_folder=folder, repo_root=tmp_path)
        ctx = new_context(decls, variables, reporter, ModulePlace(folder=folder), shared)
        local = ctx.root("local", Loc("expr/main.tf", 0))
        return local.get_attr("result", Loc("expr/main.tf", 0)), reporter.diagnostics

    return run
