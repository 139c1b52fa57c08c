"""Load and validate ``policies/<package>/<ID>-<name>/rule.yaml`` files.

Rule metadata is data (id, severity, docs, framework mappings, parameters); the logic is
a typed function in ``policycheck.checks`` registered under the same id.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from policycheck.findings import Severity


def _policies_dir() -> Path:
    """The bundled rule packages: ``policycheck/policies`` in an installed wheel, else the
    repository's ``policies/`` folder (a checkout or an editable install)."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "policies"
    # resolve(): in a checkout policycheck/policies is a link to the repository's folder,
    # whose parent holds docs/ (rules.docs writes there).
    return installed.resolve() if installed.is_dir() else package.parent / "policies"


POLICIES_DIR = _policies_dir()
"""The bundled rule packages (rules as data with their fixtures)."""

_ID_PATTERN = re.compile(r"^[A-Z]{2,5}\d{3}$")

_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (same documents, ~10x faster)."""


def _read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)


class RuleDocs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    what: str
    why: str
    remediation: str
    references: list[str] = []


class RuleMeta(BaseModel):
    """The validated content of one ``rule.yaml``; unknown keys are rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    title: str
    package: str
    severity: Severity
    """Default severity; reachability rules derive theirs from the severity table."""
    resource_types: list[str] = Field(min_length=1)
    """Model kinds the rule reads (``Instance``, ``NetworkInterface``...)."""
    parameters: dict[str, Any] = {}
    docs: RuleDocs
    frameworks: dict[str, list[str]] = {}
    folder: Path = Field(default=Path(), exclude=True)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID_PATTERN.match(value):
            raise ValueError(f"rule id {value!r} must be an area prefix and three digits")
        return value

    @property
    def fixtures(self) -> Path:
        return self.folder / "fixtures"


class CatalogueError(Exception):
    """A rule.yaml is malformed; names the file."""


def load_rule(path: Path) -> RuleMeta:
    try:
        raw = _read_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise CatalogueError(f"{path}: expected a mapping")
    try:
        rule = RuleMeta.model_validate({**raw, "folder": path.parent})
    except ValidationError as exc:
        raise CatalogueError(f"{path}: {exc}") from exc
    expected_prefix = f"{rule.id}-{rule.name}"
    if path.parent.name != expected_prefix:
        raise CatalogueError(f"{path}: folder must be named {expected_prefix!r}")
    if path.parent.parent.name != rule.package:
        raise CatalogueError(f"{path}: package {rule.package!r} but folder is in "
                             f"{path.parent.parent.name!r}")
    return rule


@lru_cache(maxsize=4)
def load_catalogue(root: Path = POLICIES_DIR) -> dict[str, RuleMeta]:
    """Every rule under ``root`` by id, sorted by id; duplicate ids are an error."""
    rules: dict[str, RuleMeta] = {}
    for path in sorted(root.glob("*/*/rule.yaml")):
        rule = load_rule(path)
        if rule.id in rules:
            raise CatalogueError(f"{path}: duplicate rule id {rule.id}")
        rules[rule.id] = rule
    return dict(sorted(rules.items()))


def package_data(package: str, name: str, root: Path = POLICIES_DIR) -> Any:
    """A package-level data file such as ``network-reachability/recognized-ports.yaml``."""
    path = root / package / name
    try:
        return _read_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path}: {exc}") from exc
