"""Fuzzing the front doors with mutated real inputs: whatever bytes arrive, a front-end
returns a result (errors as diagnostics), never raises and never hangs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policycheck.frontends.cloudformation import load_cloudformation
from policycheck.frontends.interface import (
    CloudFormationInputs,
    FrontendResult,
    TerraformInputs,
)
from policycheck.frontends.terraform import load_terraform
from policycheck.limits import deadline

EXAMPLES = Path(__file__).parents[2] / "examples"
SEEDS = {
    "main.tf": [p.read_bytes() for p in sorted(EXAMPLES.glob("*/*.tf"))],
    "template.yaml": [p.read_bytes() for p in sorted(EXAMPLES.glob("*-cfn/template.yaml"))],
}

mutation = st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]),
                     st.integers(0, 1 << 30), st.binary(min_size=1, max_size=8))


def _mutate(data: bytes, steps: list[tuple[str, int, bytes]]) -> bytes:
    for kind, where, chunk in steps:
        at = where % (len(data) + 1)
        if kind == "flip" and data:
            at %= len(data)
            data = data[:at] + bytes([data[at] ^ chunk[0]]) + data[at + 1:]
        elif kind == "insert":
            data = data[:at] + chunk + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + len(chunk) * 8:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "repeat":
            data = data[:at] + data[at:at + 64] * (chunk[0] % 8) + data[at:]
    return data


def _load(folder: Path, name: str) -> FrontendResult:
    with deadline(20):
        if name == "main.tf":
            return load_terraform(folder, folder, TerraformInputs())
        return load_cloudformation(folder / name, folder, CloudFormationInputs())


@pytest.fixture(scope="module", autouse=True)
def _imported() -> None:
    """Load each format once unbounded: first use imports cfn-lint and its friends."""
    load_cloudformation(EXAMPLES / "insecure-web-cfn" / "template.yaml",
                        EXAMPLES / "insecure-web-cfn", CloudFormationInputs())
    load_terraform(EXAMPLES / "insecure-web", EXAMPLES / "insecure-web", TerraformInputs())


@given(st.sampled_from(sorted(SEEDS)), st.integers(0, 10), st.lists(mutation, max_size=6))
def test_mutated_inputs_never_raise(tmp_path_factory: object, name: str, seed: int,
                                    steps: list[tuple[str, int, bytes]]) -> None:
    folder = tmp_path_factory.mktemp("fuzz")  # type: ignore[attr-defined]
    seeds = SEEDS[name]
    (folder / name).write_bytes(_mutate(seeds[seed % len(seeds)], steps))
    result = _load(folder, name)
    assert isinstance(result, FrontendResult)
