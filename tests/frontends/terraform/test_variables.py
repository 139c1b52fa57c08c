"""Variable values from every source, in Terraform's precedence order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from policycheck.diagnostics import DiagnosticLevel
from policycheck.frontends.interface import TerraformInputs
from policycheck.model import Unknown

Evaluator = Callable[..., Any]

DECL = 'variable "v" {\n  default = "default"\n}\n'


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default(evaluate: Evaluator) -> None:
    assert evaluate("var.v", DECL)[0] == "default"


def test_environment_beats_default(evaluate: Evaluator) -> None:
    inputs = TerraformInputs(environ={"TF_VAR_v": "env", "OTHER": "x"})
    assert evaluate("var.v", DECL, inputs)[0] == "env"


def test_precedence_of_every_source(evaluate: Evaluator, tmp_path: Path) -> None:
    folder = tmp_path / "expr"
    inputs = TerraformInputs(environ={"TF_VAR_v": "env"})
    _write(folder, "terraform.tfvars", 'v = "tfvars"\n')
    assert evaluate("var.v", DECL, inputs)[0] == "tfvars"
    _write(folder, "terraform.tfvars.json", '{"v": "tfvars.json"}')
    assert evaluate("var.v", DECL, inputs)[0] == "tfvars.json"
    _write(folder, "b.auto.tfvars", 'v = "b.auto"\n')
    _write(folder, "a.auto.tfvars.json", '{"v": "a.auto.json"}')
    assert evaluate("var.v", DECL, inputs)[0] == "b.auto"  # lexical order: b last
    first = _write(tmp_path, "first.tfvars", 'v = "file1"\n')
    second = _write(tmp_path, "second.tfvars", 'v = "file2"\n')
    inputs = TerraformInputs(var_files=(first, second), environ={"TF_VAR_v": "env"})
    assert evaluate("var.v", DECL, inputs)[0] == "file2"
    inputs = TerraformInputs(var_files=(first,), vars=(("v", "cli1"), ("v", "cli2")))
    assert evaluate("var.v", DECL, inputs)[0] == "cli2"


def test_cli_values_parse_as_hcl_only_for_complex_types(evaluate: Evaluator) -> None:
    prelude = (
        'variable "s" {\n  type = string\n}\n'
        'variable "l" {\n  type = list(string)\n}\n'
        'variable "m" {\n  type = map(number)\n}\n'
        'variable "n" {\n  type = number\n}\n'
        'variable "b" {\n  type = bool\n}\n'
        'variable "u" {}\n'
    )
    inputs = TerraformInputs(
        vars=(
            ("s", '["not", "parsed"]'),
            ("l", '["a", "b"]'),
            ("m", '{ x = "1" }'),
            ("n", "42"),
            ("b", "true"),
            ("u", "[1]"),
        )
    )
    value, diagnostics = evaluate("[var.s, var.l, var.m, var.n, var.b, var.u]", prelude, inputs)
    assert value == ['["not", "parsed"]', ["a", "b"], {"x": 1}, 42, True, "[1]"]
    assert not diagnostics


def test_environment_complex_type(evaluate: Evaluator) -> None:
    prelude = 'variable "l" {\n  type = list(number)\n}\n'
    inputs = TerraformInputs(environ={"TF_VAR_l": "[1, 2]"})
    assert evaluate("var.l", prelude, inputs)[0] == [1, 2]


def test_set_type_deduplicates_and_sorts(evaluate: Evaluator) -> None:
    prelude = 'variable "s" {\n  type = set(string)\n  default = ["b", "a", "b"]\n}\n'
    assert evaluate("var.s", prelude)[0] == ["a", "b"]


def test_missing_value_is_unknown_with_notice(evaluate: Evaluator) -> None:
    value, diagnostics = evaluate("var.x", '\n\nvariable "x" {\n  type = string\n}\n')
    assert value == Unknown(reason="variable x has no value")
    assert diagnostics[0].level == DiagnosticLevel.NOTICE
    assert diagnostics[0].line == 3
    assert diagnostics[0].file == "expr/main.tf"


def test_bad_number_is_an_error(evaluate: Evaluator) -> None:
    prelude = 'variable "n" {\n  type = number\n}\n'
    value, diagnostics = evaluate("var.n", prelude, TerraformInputs(vars=(("n", "abc"),)))
    assert isinstance(value, Unknown)
    assert diagnostics[0].level == DiagnosticLevel.ERROR


def test_bad_tfvars_file_is_an_error_with_line(evaluate: Evaluator, tmp_path: Path) -> None:
    _write(tmp_path / "expr", "terraform.tfvars", 'v = "ok"\nw = [1,\n')
    value, diagnostics = evaluate("var.v", DECL)
    assert value == "default"
    assert diagnostics[0].level == DiagnosticLevel.ERROR
    assert diagnostics[0].file == "expr/terraform.tfvars"
    assert diagnostics[0].line == 3


def test_bad_tfvars_json_is_an_error_with_line(evaluate: Evaluator, tmp_path: Path) -> None:
    _write(tmp_path / "expr", "terraform.tfvars.json", '{\n "v": "x",\n}')
    _, diagnostics = evaluate("var.v", DECL)
    assert diagnostics[0].level == DiagnosticLevel.ERROR
    assert diagnostics[0].line == 3


def test_value_for_undeclared_variable_is_a_notice(evaluate: Evaluator, tmp_path: Path) -> None:
    _write(tmp_path / "expr", "terraform.tfvars", 'zzz = "x"\n')
    _, diagnostics = evaluate("var.v", DECL)
    assert "undeclared variable 'zzz'" in diagnostics[0].message
