"""Commands about exposure rather than findings: ``reach``, ``diff`` and ``graph``.

Registered on the application by ``policycheck.cli`` (explicitly, not on import).

Exit codes: ``reach`` 0 reachable, 1 not reachable, 2 usage or input error; ``diff`` 0
nothing became reachable, 1 something did, 2 usage or input error; ``graph`` 0, or 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from policycheck.reachability import ReachabilityResult
    from policycheck.scan import ScanResult

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT_ERROR = 0, 1, 2

PathsOpt = Annotated[list[Path] | None, typer.Argument(
    help="Folders or files to assess (default: .).", show_default=False)]
VarOpt = Annotated[list[str], typer.Option("--var", help="Terraform variable NAME=VALUE.")]
VarFileOpt = Annotated[list[Path], typer.Option("--var-file", help="Terraform .tfvars file.")]
ParamOpt = Annotated[list[str], typer.Option("--param",
                                             help="CloudFormation parameter Name=Value.")]
NoDefaultVpcOpt = Annotated[bool, typer.Option(
    "--no-default-vpc", help="Do not assume resources without a VPC land in a default VPC.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"policycheck: {message}", err=True)
    return typer.Exit(EXIT_INPUT_ERROR)


def assess(paths: list[Path], var: list[str], var_file: list[Path], param: list[str],
           no_default_vpc: bool) -> ScanResult:
    """Models and reachability of every unit (no rules run); exit 2 on input errors."""
    from policycheck.cli import _all_rule_ids, _options
    from policycheck.scan import scan

    options = _options(var, var_file, param, no_default_vpc, skip_rules=_all_rule_ids())
    result = scan(paths, options)
    if result.errors:
        for error in result.errors:
            typer.echo(f"policycheck: {error.file}: {error.message}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR)
    return result


def reach(
    paths: PathsOpt = None,
    source: Annotated[str, typer.Option(
        "--from", help="internet, vgw, peering, tgw, or an IP address or CIDR.")] = "internet",
    target: Annotated[str, typer.Option(
        "--to", help="Resource address or logical id (instance, ASG, load balancer, DB...).")
    ] = "",
    port: Annotated[int | None, typer.Option(help="Destination port (default: any).")] = None,
    protocol: Annotated[str, typer.Option(help="tcp, udp, icmp, all...")] = "tcp",
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    var: VarOpt = [],  # noqa: B006 - typer reads the default, never mutates it
    var_file: VarFileOpt = [],  # noqa: B006
    param: ParamOpt = [],  # noqa: B006
    no_default_vpc: NoDefaultVpcOpt = False,
) -> None:
    """Can SOURCE reach RESOURCE? Print the path, or every component that blocks it
    (AWS Reachability Analyzer explanation codes)."""
    from policycheck.queries import (
        QueryError,
        ReachQuery,
        reach_in_units,
        render_json,
        render_text,
    )
    from policycheck.reachability import ReachabilityOptions

    if not target:
        raise _fail("--to RESOURCE is required")
    if output_format not in ("text", "json"):
        raise _fail(f"unknown format {output_format!r}; use text or json")
    result = assess(list(paths or [Path(".")]), var, var_file, param, no_default_vpc)
    query = ReachQuery(source=source, target=target, port=port, protocol=protocol.lower())
    try:
        answer = reach_in_units(
            [(unit.model, unit.reachability) for unit in result.units], query,
            ReachabilityOptions(assume_default_vpc=not no_default_vpc))
    except QueryError as exc:
        raise _fail(str(exc)) from None
    sys.stdout.write(render_json(answer) if output_format == "json" else render_text(answer))
    raise typer.Exit(EXIT_OK if answer.reachable else EXIT_FINDINGS)


def _units(result: ScanResult) -> list[tuple[str, ReachabilityResult]]:
    return [(unit.model.unit, unit.reachability) for unit in result.units]


def diff(
    base: Annotated[Path | None, typer.Argument(
        help="Base folder (omit with --base-ref).", show_default=False)] = None,
    head: Annotated[Path | None, typer.Argument(
        help="Head folder (with --base-ref: the path, default .).", show_default=False)] = None,
    base_ref: Annotated[str | None, typer.Option(
        "--base-ref", help="Git revision of the base: PATH as it is at REF (a temporary "
                           "worktree).")] = None,
    output_format: Annotated[str, typer.Option(
        "--format", help="text, json or markdown.")] = "text",
    var: VarOpt = [],  # noqa: B006
    var_file: VarFileOpt = [],  # noqa: B006
    param: ParamOpt = [],  # noqa: B006
    no_default_vpc: NoDefaultVpcOpt = False,
) -> None:
    """What a change makes reachable: ``diff BASE HEAD`` or ``diff --base-ref REF PATH``."""
    from policycheck.exposure_diff import RENDERERS, diff_exposures, revision_checkout

    if output_format not in RENDERERS:
        raise _fail(f"unknown format {output_format!r}; use {', '.join(RENDERERS)}")
    if base_ref is not None:
        if head is not None:
            raise _fail("with --base-ref give one PATH")
        path = base or Path(".")
        try:
            with revision_checkout(path, base_ref) as old:
                before = assess([old], var, var_file, param, no_default_vpc)
        except ValueError as exc:
            raise _fail(str(exc)) from None
        after = assess([path], var, var_file, param, no_default_vpc)
        names = (base_ref, path.as_posix())
    else:
        if base is None or head is None:
            raise _fail("give BASE and HEAD folders, or --base-ref REF PATH")
        before = assess([base], var, var_file, param, no_default_vpc)
        after = assess([head], var, var_file, param, no_default_vpc)
        names = (base.as_posix(), head.as_posix())
    result = diff_exposures(_units(before), _units(after), *names)
    sys.stdout.write(RENDERERS[output_format](result))
    raise typer.Exit(EXIT_FINDINGS if result.opened else EXIT_OK)


def graph(
    paths: PathsOpt = None,
    output_format: Annotated[str, typer.Option(
        "--format", help="dot, mermaid or json.")] = "dot",
    var: VarOpt = [],  # noqa: B006
    var_file: VarFileOpt = [],  # noqa: B006
    param: ParamOpt = [],  # noqa: B006
    no_default_vpc: NoDefaultVpcOpt = False,
) -> None:
    """The network topology of each unit with its exposure paths highlighted."""
    from policycheck.reachability import ReachabilityOptions
    from policycheck.reachability.exposure_graph import RENDERERS, exposure_graph

    if output_format not in RENDERERS:
        raise _fail(f"unknown format {output_format!r}; use {', '.join(RENDERERS)}")
    result = assess(list(paths or [Path(".")]), var, var_file, param, no_default_vpc)
    options = ReachabilityOptions(assume_default_vpc=not no_default_vpc)
    for unit in result.units:
        if len(result.units) > 1 and output_format != "json":
            sys.stdout.write(f"{'//' if output_format == 'dot' else '%%'} unit {unit.model.unit}\n")
        sys.stdout.write(RENDERERS[output_format](
            exposure_graph(unit.model, unit.reachability, options)))
    raise typer.Exit(EXIT_OK)
