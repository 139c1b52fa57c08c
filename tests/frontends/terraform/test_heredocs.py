"""Heredocs with strip markers: values Terraform 1.11.4 printed (``terraform console``).

A heredoc's literal text is one token per line, so ``~`` trims only the adjacent line;
a flush heredoc (``<<-``) removes the indentation after stripping, and a line emptied by
a strip marker counts as unindented (Terraform then keeps the indentation).
"""

from __future__ import annotations

import pytest

from tests.frontends.terraform.conftest import Evaluator

_PRELUDE = 'locals {\n  xs = ["a", "b"]\n}\n'

CASES = [
    (
        "<<-EOT\n    %{~ for n in local.xs ~}\n    ${n}:x\n    %{~ endfor ~}\n  EOT",
        "    a:x\n    b:x\n",
    ),
    ("<<-EOT\n    %{ for n in local.xs ~}\n    ${n}\n    %{ endfor ~}\n  EOT", "    a\n    b\n"),
    (
        "<<-EOT\n    head\n    %{~ for n in local.xs }\n    ${n}\n"
        "    %{~ endfor }\n    tail\n  EOT",
        "    head\n\n    a\n\n    b\n\n    tail\n",
    ),
    ("<<-EOT\n    %{ for n in local.xs }\n      ${n}\n    %{ endfor }\n  EOT", "\n  a\n\n  b\n\n"),
    (
        "<<-EOT\n    a\n    %{~ if true ~}\n    b\n    %{~ endif ~}\n    c\n  EOT",
        "    a\n    b\n    c\n",
    ),
    (
        '<<-EOT\n    x ${"y"} %{~ if true ~}  z\n      w\n    %{~ endif }\n  EOT',
        "    x yz\n      w\n\n",
    ),
    ("<<EOT\na\n\n%{~ if true}b%{ endif ~}\n\nc\nEOT", "a\nb\nc\n"),
    ('"a\\n\\n%{~ if true}b%{ endif ~}\\n\\nc"', "abc"),
    ("<<-EOT\n    one\n\n      two\n  EOT", "one\n\n  two\n"),
]


@pytest.mark.parametrize(("expr", "expected"), CASES)
def test_heredoc_strip_markers_as_terraform(evaluate: Evaluator, expr: str, expected: str) -> None:
    value, diagnostics = evaluate(expr, _PRELUDE)
    assert not diagnostics
    assert value == expected
