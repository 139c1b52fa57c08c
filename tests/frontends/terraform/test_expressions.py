"""The HCL expression language: literals, templates, operators, for, splats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from policycheck.diagnostics import DiagnosticLevel
from policycheck.model import Unknown

Evaluator = Callable[..., Any]


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("1", 1),
        ("1.5", 1.5),
        ("true", True),
        ("null", None),
        ('"a\\tb\\"c\\u00e9"', 'a\tb"cé'),
        ('"lit $${x} %%{y}"', "lit ${x} %{y}"),
        ('"n=${1 + 2}"', "n=3"),
        ('"${true}-${2.5}"', "true-2.5"),
        ('[1, "a", [true]]', [1, "a", [True]]),
        ('{ a = 1, "b" : 2 }', {"a": 1, "b": 2}),
        ("{ (local.k) = 1 }", {"kk": 1}),
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("7 / 2", 3.5),
        ("7 % 3", 1),
        ("-7 % 3", -1),
        ('"5" + 1', 6),
        ("-(2)", -2),
        ("!false", True),
        ("1 < 2 && 2 >= 2", True),
        ("1 > 2 || false", False),
        ('1 == "1"', False),
        ("[1, 2] == [1, 2]", True),
        ("{a = 1} != {a = 2}", True),
        ('true ? "y" : "n"', "y"),
        ('1 > 2 ? "y" : "n"', "n"),
        ("[for x in [1, 2, 3] : x * 2]", [2, 4, 6]),
        ('[for i, x in ["a", "b"] : "${i}${x}"]', ["0a", "1b"]),
        ("[for x in [1, 2, 3, 4] : x if x % 2 == 0]", [2, 4]),
        ("{for k, v in {b = 1, a = 2} : v => k}", {"2": "a", "1": "b"}),
        ('{for x in ["a", "b", "a"] : x => 1...}', {"a": [1, 1], "b": [1]}),
        ("[{a = 1}, {a = 2}][*].a", [1, 2]),
        ("[{a = 1}, {a = 2}].*.a", [1, 2]),
        ("{a = 1}[*].a", [1]),
        ("null[*]", []),
        ("[[1, 2]][0][1]", 2),
        ("[10, 20].1", 20),
        ('{a = {b = "x"}}.a.b', "x"),
        ('{a = {b = "x"}}["a"]["b"]', "x"),
        ('"%{if true}yes%{else}no%{endif}"', "yes"),
        ('"%{for x in [1, 2]}<${x}>%{endfor}"', "<1><2>"),
        ("path.module", "."),
        ("terraform.workspace", "default"),
    ],
)
def test_expression(evaluate: Evaluator, expr: str, expected: object) -> None:
    value, diagnostics = evaluate(expr, 'locals {\n  k = "kk"\n}\n')
    assert value == expected
    assert not diagnostics


def test_heredoc_with_interpolation_and_trim(evaluate: Evaluator) -> None:
    expr = "<<-EOT\n    a ${local.k}\n      b $${raw}\n    EOT\n"
    value, _ = evaluate(expr, 'locals {\n  k = "kk"\n}\n')
    assert value == "a kk\n  b ${raw}\n"


def test_plain_heredoc_keeps_indentation(evaluate: Evaluator) -> None:
    value, _ = evaluate("<<EOT\n  x %{ if true }y%{ endif }\nEOT\n")
    assert value == "  x y\n"


def test_unknown_propagates_through_operators_and_templates(evaluate: Evaluator) -> None:
    prelude = 'variable "v" {}\n'
    for expr in ("var.v + 1", '"x-${var.v}"', "var.v ? 1 : 2", "!var.v", "var.v.attr", "var.v[0]"):
        value, _ = evaluate(expr, prelude)
        assert value == Unknown(reason="variable v has no value"), expr


def test_short_circuit_with_unknown(evaluate: Evaluator) -> None:
    value, _ = evaluate("false && var.v", 'variable "v" {}\n')
    assert value is False
    value, _ = evaluate("true || var.v", 'variable "v" {}\n')
    assert value is True


def test_collection_with_unknown_element_stays_a_list(evaluate: Evaluator) -> None:
    value, _ = evaluate('["a", var.v]', 'variable "v" {}\n')
    assert value[0] == "a"
    assert isinstance(value[1], Unknown)


def test_type_error_is_an_error_diagnostic(evaluate: Evaluator) -> None:
    value, diagnostics = evaluate('"a" + 1')
    assert isinstance(value, Unknown)
    assert [d.level for d in diagnostics] == [DiagnosticLevel.ERROR]
    assert diagnostics[0].line == 3


def test_undeclared_references_are_notices(evaluate: Evaluator) -> None:
    for expr, text in [
        ("var.nope", "undeclared variable var.nope"),
        ("local.nope", "undeclared local value local.nope"),
        ("aws_vpc.nope.id", "undeclared resource aws_vpc.nope"),
        ("data.aws_ami.nope.id", "undeclared data source data.aws_ami.nope"),
        ("module.nope.x", "undeclared module module.nope"),
    ]:
        value, diagnostics = evaluate(expr)
        assert isinstance(value, Unknown)
        assert text in value.reason
        assert diagnostics[0].level == DiagnosticLevel.NOTICE
        assert diagnostics[0].line == 3
        assert text in diagnostics[0].message


def test_data_sources_and_modules_are_unknown(evaluate: Evaluator) -> None:
    prelude = 'data "aws_vpc" "d" {}\nmodule "m" {\n  source = "./m"\n}\n'
    value, _ = evaluate("data.aws_vpc.d.cidr_block", prelude)
    assert value == Unknown(
        reason="data.aws_vpc.d.cidr_block: an existing VPC looked up at plan time"
    )
    value, _ = evaluate("module.m.out", prelude)
    assert isinstance(value, Unknown)


def test_locals_cycle_reported(evaluate: Evaluator) -> None:
    prelude = "locals {\n  a = local.b\n  b = local.a\n}\n"
    value, diagnostics = evaluate("local.a", prelude)
    assert isinstance(value, Unknown)
    errors = [d for d in diagnostics if d.level == DiagnosticLevel.ERROR]
    assert len(errors) == 1
    assert "local.a -> local.b -> local.a" in errors[0].message


def test_try_and_can(evaluate: Evaluator) -> None:
    assert evaluate('try({}.missing, "fallback")')[0] == "fallback"
    assert evaluate("can([1][5])")[0] is False
    assert evaluate("can([1][0])")[0] is True
