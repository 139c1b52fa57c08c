"""The assessment template: ``.policycheck.yaml`` or ``[tool.policycheck]`` in
``pyproject.toml``, validated strictly (unknown keys are errors naming file and line).

Paths inside the file are relative to the file's folder. Command-line options override
the file; see docs/configuration.md.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from policycheck.findings import Severity

CONFIG_NAMES = (".policycheck.yaml", ".policycheck.yml")


class ConfigError(Exception):
    """The configuration file is unreadable or invalid; names the file (and line)."""

    def __init__(self, file: Path, line: int | None, message: str) -> None:
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: {message}")
        self.file = file
        self.line = line


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


PortSpec = int | str
"""A port (``22``) or an inclusive range (``"8000-8080"``)."""


def port_range(spec: PortSpec) -> tuple[int, int]:
    low_text, _, high_text = str(spec).partition("-")
    low, high = int(low_text), int(high_text or low_text)
    if not 0 <= low <= high <= 65535:
        raise ValueError(f"{spec!r} is not a port or port range within 0-65535")
    return low, high


def _check_ports(values: list[PortSpec]) -> list[PortSpec]:
    for value in values:
        try:
            port_range(value)
        except ValueError as exc:
            raise ValueError(str(exc) if "within" in str(exc)
                             else f"{value!r} is not a port or range like 8000-8080") from None
    return values


class TerraformSettings(_Strict):
    vars: dict[str, str | int | float | bool] = {}
    """Variable values, as with ``--var`` (the command line wins per name)."""
    var_files: list[Path] = []


class CloudFormationSettings(_Strict):
    parameters: dict[str, str | int | float | bool] = {}
    parameter_files: list[Path] = []
    """JSON files in the ``aws cloudformation`` format ([{ParameterKey, ParameterValue}])
    or ``{"Parameters": {Name: Value}}``."""


class LimitsSettings(_Strict):
    """What one input may cost (docs/performance.md); the command line wins."""

    max_file_size_mb: float | None = Field(default=None, gt=0)
    max_depth: int | None = Field(default=None, gt=0)
    unit_timeout: float | None = Field(default=None, ge=0)
    """Seconds per unit for parsing, and again for analysis; 0 for no limit."""


class RecognizedPort(_Strict):
    """An extra service for the network-reachability package's recognized-port list."""

    name: str
    protocol: Literal["tcp", "udp"] = "tcp"
    ports: list[PortSpec] = Field(min_length=1)
    severity: Severity

    _ports = field_validator("ports")(_check_ports)


class ConfigSuppression(_Strict):
    rule: str
    resource: str | None = None
    """Resource address or id, or an fnmatch glob (``aws_instance.bastion*``)."""
    file: str | None = None
    """Only findings in files matching this glob (relative to the scan root)."""
    reason: str | None = None
    """Required: a suppression without one is reported (PC001)."""
    until: date | None = None
    """Last day the suppression applies; after it, it is reported (PC004)."""


class IntentMatch(_Strict):
    tag: dict[str, str] | None = None
    resource: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> IntentMatch:
        if (self.tag is None) == (self.resource is None):
            raise ValueError("match needs exactly one of 'tag' or 'resource'")
        return self


class IntendedExposure(_Strict):
    """Exposure that is by design (a public web tier): covered reachability findings are
    reported as suppressed, with this declaration as the reason."""

    match: IntentMatch
    from_: Literal["internet"] = Field(default="internet", alias="from")
    protocol: Literal["tcp", "udp"] = "tcp"
    ports: list[PortSpec] = Field(min_length=1)
    via: list[Literal["IGW", "ELB"]] = ["IGW", "ELB"]
    reason: str | None = None

    _ports = field_validator("ports")(_check_ports)


class Config(_Strict):
    """Every key of the assessment template."""

    packages: list[str] = []
    skip_rules: list[str] = []
    fail_on: Severity | None = None
    targets: list[Path] = []
    """Paths assessed when none are given on the command line."""
    as_of: date | None = None
    baseline: Path | None = None
    terraform: TerraformSettings = TerraformSettings()
    cloudformation: CloudFormationSettings = CloudFormationSettings()
    recognized_ports: list[RecognizedPort] = []
    severity_overrides: dict[str, Severity] = {}
    intended_exposure: list[IntendedExposure] = []
    suppressions: list[ConfigSuppression] = []
    rule_parameters: dict[str, dict[str, Any]] = {}
    """Rule id -> parameter values overriding the rule.yaml defaults (checked against the
    parameters each rule declares)."""
    policies: list[Path] = []
    """Folders of custom JMESPath policies, like ``--policies`` (relative to this file)."""
    limits: LimitsSettings = LimitsSettings()
    jobs: int | None = Field(default=None, ge=1)
    """Worker processes (default: the core count)."""
    cache: bool = True
    """Use the parse cache (docs/performance.md)."""
    path: Path = Field(default=Path(), exclude=True)
    """The file it was read from (set by the loader)."""
    lines: dict[str, int] = Field(default={}, exclude=True)
    """Line of each ``suppressions[i]`` entry (``"suppressions.0"`` -> line), YAML only."""

    @field_validator("fail_on", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("severity_overrides", mode="before")
    @classmethod
    def _upper_values(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: v.upper() if isinstance(v, str) else v for k, v in value.items()}
        return value

    def resolve(self, path: Path) -> Path:
        """A path written in the file, relative to the file's folder."""
        return path if path.is_absolute() else self.path.parent / path


def _node_lines(node: yaml.Node, prefix: str, lines: dict[str, int]) -> None:
    lines[prefix] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                name = f"{prefix}.{key.value}" if prefix else str(key.value)
                lines[name] = key.start_mark.line + 1
                _node_lines(value, name, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _node_lines(item, f"{prefix}.{index}" if prefix else str(index), lines)


def _read(path: Path) -> tuple[Any, dict[str, int]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    if path.name == "pyproject.toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(path, None, str(exc)) from exc
        return data.get("tool", {}).get("policycheck", {}), {}
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(path, mark.line + 1 if mark else None, str(exc)) from exc
    lines: dict[str, int] = {}
    if node is not None:
        _node_lines(node, "", lines)
    return ({} if data is None else data), lines


def load_config(path: Path) -> Config:
    """Read and validate one configuration file; ConfigError on any problem."""
    data, lines = _read(path)
    if not isinstance(data, dict):
        raise ConfigError(path, lines.get(""), "expected a mapping of settings")
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"])
        line = next((lines[key] for key in _prefixes(loc) if key in lines), None)
        count = exc.error_count()
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        raise ConfigError(path, line, f"{loc or 'settings'}: {first['msg']}{more}") from exc
    return config.model_copy(update={"path": path, "lines": lines})


def _prefixes(loc: str) -> list[str]:
    parts = loc.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


def _pyproject_has_section(path: Path) -> bool:
    try:
        return "policycheck" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False


def find_config(start: Path) -> Path | None:
    """The nearest configuration from ``start`` upward, stopping at the git root (the
    folder holding ``.git``) or the filesystem root."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _pyproject_has_section(pyproject):
            return pyproject
        if (candidate / ".git").exists():
            return None
    return None


def parameter_file_pairs(path: Path) -> list[tuple[str, str]]:
    """Parameters of a CloudFormation parameter file (either common JSON shape)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(path, None, f"not a readable JSON parameter file: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("Parameters"), dict):
        return [(str(k), str(v)) for k, v in data["Parameters"].items()]
    if isinstance(data, list) and all(isinstance(item, dict) and "ParameterKey" in item
                                      for item in data):
        return [(str(item["ParameterKey"]), str(item.get("ParameterValue", "")))
                for item in data]
    raise ConfigError(path, None, "expected [{ParameterKey, ParameterValue}] or "
                                  "{\"Parameters\": {...}}")



INIT_TEMPLATE = """\
# policycheck assessment template: see docs/configuration.md for every key.
# Command-line options override these settings.

# Rule packages to run (all when empty); the policycheck-meta rules always run.
packages: []
#  - network-reachability

# Rules to skip, by id.
skip_rules: []

# Exit 1 when a finding at or above this severity remains:
# CRITICAL, HIGH, MEDIUM, LOW or INFORMATIONAL.
fail_on: HIGH

# Paths assessed when none are given on the command line (relative to this file).
targets: []
#  - infra/

# Accepted findings by fingerprint (policycheck baseline create . -o FILE).
# baseline: .policycheck-baseline.json

terraform:
  vars: {}
  #  environment: prod
  var_files: []
  #  - env/prod.tfvars

cloudformation:
  parameters: {}
  #  VpcCidr: 10.0.0.0/16
  parameter_files: []

# Extra services for the network-reachability package.
recognized_ports: []
#  - name: Internal admin console
#    protocol: tcp
#    ports: [8443, "9000-9010"]
#    severity: HIGH

# Rule id -> severity.
severity_overrides: {}
#  NET005: LOW

# Exposure that is by design: covered reachability findings are reported as suppressed.
intended_exposure: []
#  - match: {tag: {Role: public-web}}
#    from: internet
#    ports: [80, 443]
#    via: [ELB]
#    reason: public website behind the load balancer

# Accepted findings, each with a reason (and preferably an expiry date).
suppressions: []
#  - rule: NET003
#    resource: aws_instance.bastion*
#    file: infra/*.tf
#    reason: bastion host; SSH restricted to the VPN range in production
#    until: 2030-12-31
"""


def write_init(path: Path, force: bool = False) -> None:
    """Write the commented starting configuration; FileExistsError unless ``force``."""
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; use --force to overwrite it")
    path.write_text(INIT_TEMPLATE, encoding="utf-8")
