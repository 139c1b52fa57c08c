"""Built-in functions, checked against the results documented by Terraform."""

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
        ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
        ('cidrsubnet("10.1.2.3/16", 8, 255)', "10.1.255.0/24"),
        ('cidrsubnet("172.16.0.0/12", 4, 2)', "172.18.0.0/16"),
        ('cidrsubnet("10.1.2.0/24", 4, 15)', "10.1.2.240/28"),
        ('cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)', "fd00:fd12:3456:7800:a200::/72"),
        ('cidrsubnet("10.0.0.0/16", 0, 0)', "10.0.0.0/16"),
        ('cidrhost("10.12.112.0/20", 16)', "10.12.112.16"),
        ('cidrhost("10.12.112.0/20", 268)', "10.12.113.12"),
        ('cidrhost("10.0.0.0/24", -1)', "10.0.0.255"),
        ('cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)', "fd00:fd12:3456:7890::22"),
        ('cidrnetmask("172.16.0.0/12")', "255.240.0.0"),
        (
            'cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)',
            ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"],
        ),
        (
            'cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)',
            [
                "fd00:fd12:3456:7800::/72",
                "fd00:fd12:3456:7800:100::/72",
                "fd00:fd12:3456:7800:200::/72",
                "fd00:fd12:3456:7800:300::/88",
            ],
        ),
        ("concat([1], [2, 3], [])", [1, 2, 3]),
        ("merge({a = 1, b = 2}, {b = 3}, null)", {"a": 1, "b": 3}),
        ('lookup({a = 1}, "a")', 1),
        ('lookup({a = 1}, "b", "d")', "d"),
        ('element(["a", "b", "c"], 1)', "b"),
        ('element(["a", "b", "c"], 3)', "a"),
        ('element(["a", "b", "c"], 7)', "b"),
        ("length([1, 2])", 2),
        ('length("héllo")', 5),
        ("length({a = 1})", 1),
        ("tolist([1])", [1]),
        ('toset(["b", "a", "b"])', ["a", "b"]),
        ('toset([2, "1"])', ["1", "2"]),
        ("tomap({a = 1})", {"a": 1}),
        ('format("%s-%d-%v-%q-%%", "a", 5, true, "q")', 'a-5-true-"q"-%'),
        ('format("%03d|%-4s|%5s", 7, "ab", "cd")', "007|ab  |   cd"),
        ('format("%.2f", 3.14159)', "3.14"),
        ('join(",", ["a", "b"])', "a,b"),
        ('split(",", "a,b,,c")', ["a", "b", "", "c"]),
        ('upper("ab")', "AB"),
        ('lower("AB")', "ab"),
        ('replace("a-b-c", "-", "_")', "a_b_c"),
        ('replace("hello world", "/w(or)ld/", "W$1")', "hello Wor"),
        ('coalesce(null, "", "x")', "x"),
        ('compact(["a", "", null, "b"])', ["a", "b"]),
        ("distinct([1, 2, 1, 3])", [1, 2, 3]),
        ("flatten([[1, [2]], 3, []])", [1, 2, 3]),
        ("keys({b = 1, a = 2})", ["a", "b"]),
        ("values({b = 1, a = 2})", [2, 1]),
        ('contains(["a", "b"], "b")', True),
        ('contains([1], "1")', False),
        ("range(3)", [0, 1, 2]),
        ("range(1, 4)", [1, 2, 3]),
        ("range(10, 0, -3)", [10, 7, 4, 1]),
        ("min(3, 1, 2)", 1),
        ("max(3, 1, 2)", 3),
        ("abs(-4)", 4),
        ("tostring(5)", "5"),
        ("tostring(null)", None),
        ('tonumber("1.5")', 1.5),
        ("jsonencode({b = [1, true], a = null})", '{"a":null,"b":[1,true]}'),
        ('base64encode("hello")', "aGVsbG8="),
        ('trimspace("  x ")', "x"),
        ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
        ('substr("hello", 1, 3)', "ell"),
        ("max([1, 5]...)", 5),
    ],
)
def test_function(evaluate: Evaluator, expr: str, expected: object) -> None:
    value, diagnostics = evaluate(expr)
    assert value == expected
    assert not diagnostics


@pytest.mark.parametrize(
    "expr",
    [
        'cidrsubnet("10.0.0.0/16", 8, 256)',
        'cidrsubnet("10.0.0.0/30", 8, 0)',
        'cidrsubnet("not-a-cidr", 8, 0)',
        'cidrhost("10.0.0.0/24", 256)',
        'cidrhost("10.0.0.0/24", -257)',
        'cidrnetmask("fd00::/8")',
        'cidrsubnets("10.0.0.0/24", 1, 1, 1)',
        "element([], 0)",
        'lookup({}, "x")',
        'coalesce(null, "")',
    ],
)
def test_function_errors(evaluate: Evaluator, expr: str) -> None:
    value, diagnostics = evaluate(expr)
    assert isinstance(value, Unknown)
    assert [d.level for d in diagnostics] == [DiagnosticLevel.ERROR]


def test_unknown_arguments(evaluate: Evaluator) -> None:
    prelude = 'variable "v" {}\n'
    assert evaluate('length(["a", var.v])', prelude)[0] == 2
    assert evaluate("cidrsubnet(var.v, 8, 1)", prelude)[0] == Unknown(
        reason="variable v has no value"
    )
    value, _ = evaluate('concat(["a"], [var.v])', prelude)
    assert value[0] == "a" and isinstance(value[1], Unknown)
    assert isinstance(evaluate('join(",", ["a", var.v])', prelude)[0], Unknown)


def test_unsupported_function_is_a_notice(evaluate: Evaluator) -> None:
    value, diagnostics = evaluate('plantimestamp_v2("x.txt")')
    assert value == Unknown(reason="function plantimestamp_v2 is not supported")
    assert diagnostics[0].level == DiagnosticLevel.NOTICE
    assert diagnostics[0].message == "function plantimestamp_v2 is not supported"
