# ruff: noqa: E501  (one case a line: the table reads better unwrapped)
"""The expression table: 142 HCL expressions and the values Terraform computes.

Every expected value was printed by Terraform 1.11.4 itself (``terraform console``,
offline, ``jsonencode(EXPR)``); the suite does not need Terraform. Together with the
cases in ``test_expressions.py`` and ``test_functions.py`` this is the expression
table of issue 3.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

Evaluator = Callable[..., Any]

# fmt: off
TERRAFORM_VALUES: list[tuple[str, object]] = [
        ('2 - 3 - 4', -5),
        ('2 * 3 % 4', 2),
        ('10 / 4 * 2', 5),
        ('-3 + 5', 2),
        ('1 + 2 == 3 && !(4 < 3)', True),
        ('true || false && false', True),
        ('!true || true', True),
        ('5 >= 5', True),
        ('"abc" != "abd"', True),
        ('null == null', True),
        ('1.0 == 1', True),
        ('true ? 1 : 2', 1),
        ('false ? "a" : null', None),
        ('"x" == "x" ? [1] : [2]', [1]),
        ('[for s in ["a", "b"] : upper(s)]', ['A', 'B']),
        ('{for s in ["a", "bb"] : s => length(s)}', {'a': 1, 'bb': 2}),
        ('[for k, v in {a = 1, b = 2} : "${k}=${v}"]', ['a=1', 'b=2']),
        ('{for k, v in {a = 1, b = 2} : k => v * 10 if v > 1}', {'b': 20}),
        ('[for x in [[1, 2], [3]] : length(x)]', [2, 1]),
        ('{for p in [{n = "a", g = "x"}, {n = "b", g = "x"}, {n = "c", g = "y"}] : p.g => p.n...}', {'x': ['a', 'b'], 'y': ['c']}),
        ('[for i, v in ["x", "y", "z"] : i if v != "y"]', [0, 2]),
        ('[{a = {b = 1}}, {a = {b = 2}}][*].a.b', [1, 2]),
        ('[[1, 2], [3, 4]][1][0]', 3),
        ('{a = [1, 2, 3]}.a[2]', 3),
        ('"pre-%{ for i in [1, 2, 3] }${i}%{ endfor }-post"', 'pre-123-post'),
        ('"%{ if 1 > 2 }big%{ else }small%{ endif }"', 'small'),
        ('"a ${"nested ${1 + 1}"} b"', 'a nested 2 b'),
        ('"%{ for k, v in {a = 1, b = 2} }${k}${v};%{ endfor }"', 'a1;b2;'),
        ('"x%{ if false }y%{ endif }z"', 'xz'),
        ('"A  %{~ if true ~}  B  %{~ endif ~}  C"', 'ABC'),
        ('abs(-3.5)', 3.5),
        ('ceil(1.2)', 2),
        ('floor(-1.2)', -2),
        ('log(8, 2)', 3),
        ('max(1, 5, 3)', 5),
        ('min(4, -1)', -1),
        ('parseint("ff", 16)', 255),
        ('parseint("-101", 2)', -5),
        ('pow(2, 10)', 1024),
        ('signum(-9)', -1),
        ('chomp("hi\\n\\n")', 'hi'),
        ('endswith("hello", "lo")', True),
        ('format("%d-%s-%t", 7, "x", true)', '7-x-true'),
        ('format("%05.1f", 3.14159)', '003.1'),
        ('format("%q", "q")', '"q"'),
        ('format("%v and %v", 1, "a")', '1 and a'),
        ('formatlist("%s-%d", ["a", "b"], [1, 2])', ['a-1', 'b-2']),
        ('indent(2, "a\\nb")', 'a\n  b'),
        ('join("-", ["a", "b", "c"])', 'a-b-c'),
        ('lower("ABC")', 'abc'),
        ('regex("[a-z]+", "123abc456")', 'abc'),
        ('regex("(\\\\d+)-(\\\\d+)", "10-20")', ['10', '20']),
        ('regex("(?P<major>\\\\d+)\\\\.(?P<minor>\\\\d+)", "v1.22")', {'major': '1', 'minor': '22'}),
        ('regexall("\\\\d", "a1b2c3")', ['1', '2', '3']),
        ('replace("hello world", "/o(.)/", "0$1")', 'hell0 w0rld'),
        ('replace("aaa", "a", "b")', 'bbb'),
        ('split(",", "a,b,,c")', ['a', 'b', '', 'c']),
        ('startswith("hello", "he")', True),
        ('strcontains("hello", "ell")', True),
        ('strrev("abc")', 'cba'),
        ('substr("hello world", 6, 5)', 'world'),
        ('substr("hello", -3, -1)', 'llo'),
        ('title("web server")', 'Web Server'),
        ('trim("?!hello?!", "!?")', 'hello'),
        ('trimprefix("helloworld", "hello")', 'world'),
        ('trimsuffix("helloworld", "world")', 'hello'),
        ('trimspace("  x \\n")', 'x'),
        ('upper("abc")', 'ABC'),
        ('alltrue([true, true])', True),
        ('anytrue([false])', False),
        ('chunklist([1, 2, 3, 4, 5], 2)', [[1, 2], [3, 4], [5]]),
        ('coalescelist([], [1], [2])', [1]),
        ('compact(["a", "", "b", null])', ['a', 'b']),
        ('concat([1], [2, 3], [])', [1, 2, 3]),
        ('contains(["a", "b"], "b")', True),
        ('distinct([1, 2, 1, 3, 2])', [1, 2, 3]),
        ('element(["a", "b", "c"], 4)', 'b'),
        ('flatten([[1, [2]], [], [3]])', [1, 2, 3]),
        ('index(["a", "b", "c"], "b")', 1),
        ('keys({b = 1, a = 2})', ['a', 'b']),
        ('length("héllo")', 5),
        ('length({a = 1, b = 2})', 2),
        ('lookup({a = 1}, "b", "dflt")', 'dflt'),
        ('matchkeys(["i1", "i2", "i3"], ["us", "eu", "us"], ["us"])', ['i1', 'i3']),
        ('merge({a = 1, b = 2}, {b = 3}, {c = 4})', {'a': 1, 'b': 3, 'c': 4}),
        ('one([])', None),
        ('one(["x"])', 'x'),
        ('range(3)', [0, 1, 2]),
        ('range(1, 10, 3)', [1, 4, 7]),
        ('range(5, 1, -2)', [5, 3]),
        ('reverse([1, 2, 3])', [3, 2, 1]),
        ('setintersection(["a", "b"], ["b", "c"])', ['b']),
        ('setproduct(["a", "b"], [1, 2])', [['a', 1], ['a', 2], ['b', 1], ['b', 2]]),
        ('setsubtract(["a", "b", "c"], ["b"])', ['a', 'c']),
        ('setunion(["b"], ["a", "b"])', ['a', 'b']),
        ('slice(["a", "b", "c", "d"], 1, 3)', ['b', 'c']),
        ('sort(["b", "a", "10", "9"])', ['10', '9', 'a', 'b']),
        ('sum([1, 2, 3.5])', 6.5),
        ('transpose({a = ["1", "2"], b = ["2"]})', {'1': ['a'], '2': ['a', 'b']}),
        ('values({b = 1, a = 2})', [2, 1]),
        ('zipmap(["a", "b"], [1, 2])', {'a': 1, 'b': 2}),
        ('base64encode("hello")', 'aGVsbG8='),
        ('base64decode("aGVsbG8=")', 'hello'),
        ('jsonencode({b = [1, true, null], a = "x"})', '{"a":"x","b":[1,true,null]}'),
        ('jsondecode("{\\"a\\": [1, 2], \\"b\\": null}")', {'a': [1, 2], 'b': None}),
        ('urlencode("a b&c=d/é")', 'a+b%26c%3Dd%2F%C3%A9'),
        ('yamlencode({a = 1, b = ["x"]})', '"a": 1\n"b":\n- "x"\n'),
        ('yamldecode("- 1\\n- two\\n- true\\n")', [1, 'two', True]),
        ('md5("abc")', '900150983cd24fb0d6963f7d28e17f72'),
        ('sha1("abc")', 'a9993e364706816aba3e25717850c26c9cd0d89d'),
        ('sha256("abc")', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'),
        ('base64sha256("abc")', 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='),
        ('cidrhost("10.0.0.0/16", 258)', '10.0.1.2'),
        ('cidrhost("10.0.0.0/24", -1)', '10.0.0.255'),
        ('cidrnetmask("172.16.0.0/12")', '255.240.0.0'),
        ('cidrsubnet("10.0.0.0/16", 8, 3)', '10.0.3.0/24'),
        ('cidrsubnet("10.0.0.0/8", 16, 258)', '10.1.2.0/24'),
        ('cidrsubnets("10.0.0.0/16", 4, 4, 8)', ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/24']),
        ('cidrsubnet("fd00::/56", 8, 1)', 'fd00:0:0:1::/64'),
        ('tobool("true")', True),
        ('tonumber("42")', 42),
        ('tostring(5)', '5'),
        ('tolist(["a", "b"])', ['a', 'b']),
        ('toset(["b", "a", "b"])', ['a', 'b']),
        ('tomap({a = "1", b = "2"})', {'a': '1', 'b': '2'}),
        ('try(tonumber("x"), -1)', -1),
        ('can(regex("^a", "abc"))', True),
        ('can(regex("^z", "abc"))', False),
        ('coalesce(null, "", "x")', 'x'),
        ('coalesce(null, 2)', 2),
        ('lookup({a = {b = 1}}, "a")', {'b': 1}),
        ('nonsensitive(sensitive(3))', 3),
        ('[for x in toset(["b", "a"]) : x]', ['a', 'b']),
        ('length(["a", null])', 2),
        ('concat(["a"], tolist(["b"]))', ['a', 'b']),
        ('"${upper("a")}${lower("B")}"', 'Ab'),
        ('!contains([1, 2], 3) && length([]) == 0', True),
        ('flatten([for k, v in {a = [1, 2], b = [3]} : [for n in v : "${k}${n}"]])', ['a1', 'a2', 'b3']),
        ('merge([for i in [1, 2] : {"k${i}" = i}]...)', {'k1': 1, 'k2': 2}),
        ('max([3, 9, 1]...)', 9),
        ('{for k, v in {x = {port = 80}, y = {port = 443}} : k => v.port}', {'x': 80, 'y': 443}),
        ('[for s in ["10.0.0.0/24", "10.0.1.0/24"] : cidrhost(s, 10)]', ['10.0.0.10', '10.0.1.10']),
]
# fmt: on


def _json(value: Any) -> Any:
    """As ``jsonencode`` sees it (numbers compare by value, sets are lists)."""
    return json.loads(json.dumps(value))


@pytest.mark.parametrize(("expr", "expected"), TERRAFORM_VALUES, ids=[e for e, _ in TERRAFORM_VALUES])
def test_expression_value_equals_terraforms(
    evaluate: Evaluator, expr: str, expected: object
) -> None:
    value, diagnostics = evaluate(expr)
    assert not diagnostics
    assert _json(value) == expected
