"""Shared fixture: write a template to tmp_path and load it with the front-end."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from policycheck.frontends.cloudformation import load_cloudformation
from policycheck.frontends.interface import CloudFormationInputs, FrontendResult

Loader = Callable[..., FrontendResult]


@pytest.fixture
def load(tmp_path: Path) -> Loader:
    """``load(text, name="template.yaml", parameters=(), region="us-east-1")``."""

    def _load(
        text: str,
        name: str = "template.yaml",
        parameters: tuple[tuple[str, str], ...] = (),
        region: str = "us-east-1",
    ) -> FrontendResult:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        inputs = CloudFormationInputs(parameters=parameters, region=region)
        return load_cloudformation(path, tmp_path, inputs)

    return _load
