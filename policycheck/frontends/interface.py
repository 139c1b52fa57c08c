"""The boundary every front-end implements: one unit in, one model plus diagnostics out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from policycheck.diagnostics import Diagnostic
from policycheck.model import Model


class ModelVariant(BaseModel):
    """The model of a unit under one assignment of its open conditions."""

    model_config = ConfigDict(frozen=True)

    conditions: dict[str, bool]
    """Each open condition (nested-stack conditions as ``Stack.Name``) and its value."""
    model: Model


class FrontendResult(BaseModel):
    """The model of one unit, and every problem met while building it.

    A front-end never raises for bad input: a file it cannot parse becomes an error
    diagnostic (file and line) and the rest of the unit is still modelled; a value it
    cannot know becomes ``Unknown`` plus a notice.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model: Model
    diagnostics: list[Diagnostic] = []
    variants: list[ModelVariant] = []
    """Empty, or the model under every assignment of the conditions that depend on a
    value known only at deploy (CloudFormation); ``model`` is the first of them."""


@dataclass(frozen=True)
class TerraformInputs:
    """Variable values from the command line and environment (DESIGN §1)."""

    var_files: tuple[Path, ...] = ()
    """``--var-file`` files, applied in order after the auto-loaded ones."""
    vars: tuple[tuple[str, str], ...] = ()
    """``--var NAME=VALUE`` pairs, in command-line order (later wins)."""
    environ: Mapping[str, str] = field(default_factory=dict)
    """Environment for ``TF_VAR_*`` (pass ``os.environ`` from the CLI, ``{}`` in tests)."""


@dataclass(frozen=True)
class CloudFormationInputs:
    parameters: tuple[tuple[str, str], ...] = ()
    """``--param Name=Value`` overrides, later wins."""
    region: str = "us-east-1"
    parameter_files: tuple[Path, ...] = ()
    """``--param-file`` files (CLI ``[{"ParameterKey", "ParameterValue"}]`` or
    ``{"Parameters": {...}}``), applied in order before ``parameters``."""
