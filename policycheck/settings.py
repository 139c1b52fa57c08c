"""From the command line and the configuration file to one scan's settings.

Precedence: command-line options, then the configuration file (``--config FILE``, or the
nearest ``.policycheck.yaml`` / ``pyproject.toml [tool.policycheck]`` from the first
scanned path up to the git root), then the defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from policycheck.config import Config, find_config, load_config, parameter_file_pairs, port_range
from policycheck.findings import Severity
from policycheck.scan import ScanOptions
from policycheck.suppressions.records import Origin, SuppressionRecord


def _text(value: str | int | float | bool) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def suppression_records(config: Config, root: Path) -> tuple[SuppressionRecord, ...]:
    """The file's suppressions as stage records, located in the file for the reports."""
    file = os.path.relpath(config.path.resolve(), root.resolve())
    return tuple(
        SuppressionRecord(rule_id=entry.rule.upper(), origin=Origin.CONFIG,
                          reason=entry.reason, file=Path(file).as_posix(),
                          line=config.lines.get(f"suppressions.{index}"), until=entry.until,
                          resource=entry.resource, file_glob=entry.file)
        for index, entry in enumerate(config.suppressions))


def _extra_services(config: Config) -> dict[str, dict[str, Any]]:
    from policycheck.checks.severity_table import PACKAGE, RecognizedService
    from policycheck.rules.catalogue import load_catalogue

    if not config.recognized_ports:
        return {}
    services = tuple(
        RecognizedService(name=item.name, protocol=item.protocol, severity=item.severity,
                          ports=tuple(port_range(p) for p in item.ports))
        for item in config.recognized_ports)
    return {rule.id: {"extra_services": services}
            for rule in load_catalogue().values() if rule.package == PACKAGE}


def _configured_parameters(config: Config) -> dict[str, dict[str, Any]]:
    """``rule_parameters`` of the file, each checked against what the rule declares."""
    from policycheck.config import ConfigError
    from policycheck.rules.catalogue import load_catalogue

    catalogue = load_catalogue()
    checked: dict[str, dict[str, Any]] = {}
    for rule_id, values in config.rule_parameters.items():
        rule = catalogue.get(rule_id.upper())
        if rule is None:
            raise ConfigError(config.path, None, f"rule_parameters: unknown rule {rule_id!r}")
        unknown = sorted(set(values) - set(rule.parameters))
        if unknown:
            declared = ", ".join(sorted(rule.parameters)) or "none"
            raise ConfigError(config.path, None,
                              f"rule_parameters.{rule_id}: {rule.id} has no parameter "
                              f"{', '.join(unknown)} (it declares: {declared})")
        checked[rule.id] = dict(values)
    return checked


def _merge_parameters(*layers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per-rule parameter dicts merged key by key (later layers win per parameter)."""
    merged: dict[str, dict[str, Any]] = {}
    for layer in layers:
        for rule_id, values in layer.items():
            merged[rule_id] = {**merged.get(rule_id, {}), **values}
    return merged


def merged_options(cli: ScanOptions, config: Config, root: Path) -> ScanOptions:
    """``cli`` holds the command line's values; the file fills in what it left empty
    (lists replace, variables and parameters merge with the command line winning)."""
    from policycheck.baseline import load_baseline
    from policycheck.checks.stale_intent import intent_parameters

    tf_vars = tuple((name, _text(value)) for name, value in config.terraform.vars.items())
    cf_params = [pair for file in config.cloudformation.parameter_files
                 for pair in parameter_file_pairs(config.resolve(file))]
    cf_params += [(k, _text(v)) for k, v in config.cloudformation.parameters.items()]
    baseline = cli.baseline
    if baseline is None and config.baseline is not None:
        baseline = load_baseline(config.resolve(config.baseline))
    return replace(
        cli,
        terraform=replace(
            cli.terraform, vars=tf_vars + cli.terraform.vars,
            var_files=tuple(config.resolve(f) for f in config.terraform.var_files)
            + cli.terraform.var_files),
        cloudformation=replace(cli.cloudformation,
                               parameters=tuple(cf_params) + cli.cloudformation.parameters),
        packages=cli.packages or tuple(config.packages),
        skip_rules=cli.skip_rules or tuple(r.upper() for r in config.skip_rules),
        suppressions=suppression_records(config, root) + cli.suppressions,
        as_of=cli.as_of or config.as_of,
        severity_overrides={**{k.upper(): v for k, v in config.severity_overrides.items()},
                            **cli.severity_overrides},
        rule_parameters=_merge_parameters(
            _extra_services(config),
            intent_parameters((*config.intended_exposure, *cli.intended_exposure)),
            _configured_parameters(config), dict(cli.rule_parameters)),
        custom_policies=tuple(config.resolve(p) for p in config.policies)
        + cli.custom_policies,
        baseline=baseline,
        intended_exposure=tuple(config.intended_exposure) + cli.intended_exposure,
    )


@dataclass(frozen=True)
class Run:
    """What the CLI needs to run one scan."""

    paths: list[Path]
    options: ScanOptions
    fail_on: Severity
    config: Config | None


def repository_root(start: Path) -> Path | None:
    """The nearest folder above ``start`` holding ``.git``."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def report_root(paths: list[Path]) -> Path | None:
    """When invoked on files (pre-commit passes changed files), report paths relative to
    the repository root so that the output is clickable; otherwise the default."""
    if not paths or not all(p.is_file() for p in paths):
        return None
    return repository_root(paths[0].parent)


def prepare(paths: list[Path], cli: ScanOptions, *, config_file: Path | None = None,
            fail_on: str | None = None) -> Run:
    """Settle paths, options and threshold. ConfigError for a bad file, ValueError for a
    bad command-line value."""
    start = paths[0] if paths else Path.cwd()
    found = config_file or find_config(start)
    config = load_config(found) if found is not None else None
    if not paths:
        paths = [config.resolve(t) for t in config.targets] if config and config.targets \
            else [Path(".")]
    root = cli.root or report_root(paths)
    options = replace(cli, root=root)
    if config is not None:
        from policycheck.discover import scan_root

        options = merged_options(options, config, root or scan_root(paths))
    if fail_on is not None:
        try:
            threshold = Severity(fail_on.upper())
        except ValueError:
            raise ValueError(f"unknown severity {fail_on!r}") from None
    else:
        threshold = config.fail_on if config and config.fail_on else Severity.HIGH
    return Run(paths=paths, options=options, fail_on=threshold, config=config)
