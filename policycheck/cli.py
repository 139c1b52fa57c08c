"""The command line: parse options, call the library once, render, map to an exit code.

Exit codes (scan): 0 nothing at or above --fail-on; 1 a finding at or above it;
2 a usage error or an input that could not be assessed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policycheck import __version__

if TYPE_CHECKING:
    from policycheck.scan import ScanOptions
    from policycheck.settings import Run

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Pre-deployment security assessment of AWS infrastructure-as-code.")
rules_app = typer.Typer(no_args_is_help=True, help="The rule catalogue.")
app.add_typer(rules_app, name="rules")
baseline_app = typer.Typer(no_args_is_help=True, help="Baselines of accepted findings.")
app.add_typer(baseline_app, name="baseline")

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT_ERROR = 0, 1, 2

PathsArg = Annotated[list[Path], typer.Argument(help="Folders or files to assess.")]
VarOpt = Annotated[list[str], typer.Option("--var", help="Terraform variable NAME=VALUE.")]
VarFileOpt = Annotated[list[Path], typer.Option("--var-file", help="Terraform .tfvars file.")]
ParamOpt = Annotated[list[str], typer.Option("--param",
                                             help="CloudFormation parameter Name=Value.")]
ParamFileOpt = Annotated[list[Path], typer.Option(
    "--param-file", help="CloudFormation parameter file (CLI list or {\"Parameters\": {...}}).")]
NoDefaultVpcOpt = Annotated[bool, typer.Option(
    "--no-default-vpc", help="Do not assume resources without a VPC land in a default VPC.")]
TargetsArg = Annotated[list[Path] | None, typer.Argument(
    help="Folders or files to assess (default: the configuration's targets, or .).",
    show_default=False)]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="Configuration file (default: the nearest .policycheck.yaml or "
                     "pyproject.toml [tool.policycheck] up to the git root).")]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Date (YYYY-MM-DD) the assessment is judged on: suppression expiry, "
                    "end-of-life and deprecation dates (default: today).")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"policycheck {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version,
                                               is_eager=True)] = False) -> None:
    """policycheck: what the internet can reach, and why, before you deploy."""


def _pairs(values: list[str], option: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint=option)
        pairs.append((name.strip(), rest))
    return tuple(pairs)


def _options(var: list[str], var_file: list[Path], param: list[str], no_default_vpc: bool,
             packages: list[str] | None = None,
             skip_rules: list[str] | None = None,
             param_files: list[Path] | None = None) -> ScanOptions:
    from policycheck.frontends.interface import CloudFormationInputs, TerraformInputs
    from policycheck.reachability import ReachabilityOptions
    from policycheck.scan import ScanOptions

    return ScanOptions(
        terraform=TerraformInputs(var_files=tuple(var_file), vars=_pairs(var, "--var"),
                                  environ=dict(os.environ)),
        cloudformation=CloudFormationInputs(parameters=_pairs(param, "--param"),
                                            parameter_files=tuple(param_files or ())),
        packages=tuple(packages or ()), skip_rules=tuple(skip_rules or ()),
        reachability=ReachabilityOptions(assume_default_vpc=not no_default_vpc),
    )


FormatOpt = Annotated[list[str], typer.Option(
    "--format", "-f",
    help="Report format (repeatable): text, json, sarif, junit, gitlab, markdown, github. "
         "Paired in order with --output; "
         "at most one format without an output file goes to stdout.")]
OutputOpt = Annotated[list[Path], typer.Option(
    "--output", "-o", help="File for the report of the --format at the same position.")]


def _outputs(formats: list[str], outputs: list[Path]) -> list[tuple[str, Path | None]]:
    """Pair formats with output files in order; the unpaired format (if any) is stdout."""
    from policycheck.report import RENDERERS

    formats = [name.lower() for name in formats] or ["text"]
    for name in formats:
        if name not in RENDERERS:
            raise typer.BadParameter(
                f"unknown format {name!r}; use one of {', '.join(RENDERERS)}",
                param_hint="--format")
    if len(outputs) > len(formats):
        raise typer.BadParameter("more --output files than --format options",
                                 param_hint="--output")
    if len(formats) - len(outputs) > 1:
        raise typer.BadParameter("only one --format may go to stdout; give the others "
                                 "an --output file", param_hint="--output")
    paired: list[tuple[str, Path | None]] = list(zip(formats, outputs, strict=False))
    paired += [(name, None) for name in formats[len(outputs):]]
    return paired


@app.command()
def scan(
    paths: TargetsArg = None,
    output_format: FormatOpt = [],  # noqa: B006 - typer reads the default, never mutates it
    output: OutputOpt = [],  # noqa: B006
    fail_on: Annotated[str | None, typer.Option(
        help="Exit 1 when a finding at or above this severity remains "
             "(default: the configuration's fail_on, or high).")] = None,
    var: VarOpt = [],  # noqa: B006
    var_file: VarFileOpt = [],  # noqa: B006
    param: ParamOpt = [],  # noqa: B006
    param_file: ParamFileOpt = [],  # noqa: B006
    packages: Annotated[list[str], typer.Option(
        "--packages", help="Only rules of this package (repeatable).")] = [],  # noqa: B006
    skip_rules: Annotated[list[str], typer.Option(
        "--skip-rules", help="Skip this rule id (repeatable).")] = [],  # noqa: B006
    no_default_vpc: NoDefaultVpcOpt = False,
    config: ConfigOpt = None,
    baseline: Annotated[Path | None, typer.Option(
        help="Report and fail only on findings not in this baseline file.")] = None,
    as_of: AsOfOpt = None,
    policies: Annotated[list[Path], typer.Option(
        "--policies", help="Folder of custom JMESPath policies (rule.yaml files; "
                           "repeatable).")] = [],  # noqa: B006
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes parsing units (default: the "
                                    "configuration's jobs, or the core count).")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the parse cache.")] = False,
    unit_timeout: Annotated[float | None, typer.Option(
        "--unit-timeout", min=0, help="Seconds a unit may take to parse, and again to "
                                      "analyse (default 120; 0: no limit).")] = None,
    max_file_size: Annotated[float | None, typer.Option(
        "--max-file-size", min=0.001, help="Larger input files (MB) are reported, not "
                                           "read (default 10).")] = None,
) -> None:
    """Assess Terraform root modules and CloudFormation templates; report findings."""
    from policycheck.findings import Severity
    from policycheck.report import renderer
    from policycheck.scan import scan as run_scan

    targets = _outputs(output_format, output)
    options = _options(var, var_file, param, no_default_vpc, packages, skip_rules,
                       param_file)
    if policies:
        from dataclasses import replace

        options = replace(options, custom_policies=tuple(policies))
    run = _prepare(paths, options, config, fail_on, as_of, baseline)
    threshold: Severity = run.fail_on
    from policycheck.parallel import speed_options

    settled = speed_options(run.options, run.config, jobs=jobs, cache=not no_cache,
                            unit_timeout=unit_timeout, max_file_size_mb=max_file_size)
    try:
        result = run_scan(run.paths, settled)
    except Exception as exc:  # a bug: say so in one line and exit 2, no traceback
        typer.echo(f"policycheck: internal error: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    for name, path in targets:
        report = renderer(name)(result)
        if path is None:
            sys.stdout.write(report)
        else:
            path.write_text(report, encoding="utf-8")
    if os.environ.get("GITHUB_ACTIONS") == "true" and ("github", None) not in targets:
        from policycheck.report.github import render_github

        sys.stderr.write(render_github(result))  # workflow annotations on the run and PR
    if result.errors:
        raise typer.Exit(EXIT_INPUT_ERROR)
    if any(f.severity.at_least(threshold) for f in result.findings):
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_OK)


def _prepare(paths: list[Path] | None, options: ScanOptions, config: Path | None,
             fail_on: str | None, as_of: str | None, baseline: Path | None) -> Run:
    """Merge the configuration file into the command line's options; exit 2 (with the
    file and line) when the file, the baseline or a value is invalid."""
    from dataclasses import replace
    from datetime import date

    from policycheck.baseline import BaselineError, load_baseline
    from policycheck.config import ConfigError
    from policycheck.settings import prepare

    try:
        if as_of is not None:
            options = replace(options, as_of=date.fromisoformat(as_of))
        if baseline is not None:
            options = replace(options, baseline=load_baseline(baseline))
        return prepare(list(paths or []), options, config_file=config, fail_on=fail_on)
    except (ConfigError, BaselineError, ValueError) as exc:
        typer.echo(f"policycheck: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from None


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="File to write.")] = Path(".policycheck.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starting .policycheck.yaml (the assessment template)."""
    from policycheck.config import write_init

    try:
        write_init(path, force=force)
    except FileExistsError as exc:
        typer.echo(f"policycheck: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    typer.echo(f"wrote {path}")


@baseline_app.command("create")
def baseline_create(
    paths: TargetsArg = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Baseline file to write.")] = Path(
        ".policycheck-baseline.json"),
    var: VarOpt = [],  # noqa: B006
    var_file: VarFileOpt = [],  # noqa: B006
    param: ParamOpt = [],  # noqa: B006
    no_default_vpc: NoDefaultVpcOpt = False,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Accept every current finding: write their fingerprints to a baseline file."""
    from dataclasses import replace

    from policycheck.baseline import write_baseline
    from policycheck.scan import scan as run_scan

    run = _prepare(paths, _options(var, var_file, param, no_default_vpc), config, None,
                   as_of, None)
    result = run_scan(run.paths, replace(run.options, baseline=None))
    count = write_baseline(result.findings, output)
    typer.echo(f"wrote {count} fingerprint{'s' if count != 1 else ''} to {output}")
    raise typer.Exit(EXIT_INPUT_ERROR if result.errors else EXIT_OK)


@app.command()
def model(
    paths: PathsArg,
    var: VarOpt = [],  # noqa: B006
    var_file: VarFileOpt = [],  # noqa: B006
    param: ParamOpt = [],  # noqa: B006
    no_default_vpc: NoDefaultVpcOpt = False,
) -> None:
    """Print the model of each unit as JSON, with each interface's reachability verdict
    (why it is, or is not, reachable from the internet)."""
    from policycheck.scan import scan as run_scan

    result = run_scan(paths, _options(var, var_file, param, no_default_vpc,
                                      skip_rules=list(_all_rule_ids())))
    document = {
        "units": [
            {"unit": unit.model.unit,
             "model": unit.model.model_dump(mode="json"),
             "reachability": unit.reachability.model_dump(mode="json")}
            for unit in result.units
        ],
        "errors": [d.model_dump(mode="json", exclude={"level"}) for d in result.errors],
    }
    sys.stdout.write(json.dumps(document, indent=2) + "\n")
    raise typer.Exit(EXIT_INPUT_ERROR if result.errors else EXIT_OK)


def _all_rule_ids() -> list[str]:
    from policycheck.rules.catalogue import load_catalogue

    return list(load_catalogue())


@rules_app.command("show")
def rules_show(rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. NET003.")]) -> None:
    """Show a rule's documentation: what it does, why, examples from its fixtures, fix."""
    from policycheck.rules.catalogue import load_catalogue
    from policycheck.rules.docs import rule_markdown

    rule = load_catalogue().get(rule_id.upper())
    if rule is None:
        raise typer.BadParameter(f"no rule {rule_id!r}; see 'policycheck rules list'",
                                 param_hint="RULE_ID")
    sys.stdout.write(rule_markdown(rule))


@rules_app.command("list")
def rules_list(
    package: Annotated[str | None, typer.Option(help="Only this package.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """List the rules: id, package, severity, title."""
    from policycheck.rules.catalogue import load_catalogue

    rules = [r for r in load_catalogue().values() if package in (None, r.package)]
    if output_format == "json":
        sys.stdout.write(json.dumps([
            {"id": r.id, "name": r.name, "package": r.package, "severity": r.severity.value,
             "title": r.title, "resource_types": r.resource_types,
             "frameworks": r.frameworks} for r in rules], indent=2) + "\n")
        return
    for r in rules:
        typer.echo(f"{r.id}  {r.package:<22} {r.severity.value:<13} {r.title}")


def _register_exposure_commands() -> None:
    from policycheck import cli_exposure

    app.command("reach")(cli_exposure.reach)
    app.command("diff")(cli_exposure.diff)
    app.command("graph")(cli_exposure.graph)


_register_exposure_commands()
