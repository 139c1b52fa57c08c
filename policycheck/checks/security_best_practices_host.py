"""Findings about what a host's user data states (HostConfig facts), shared by the
security-best-practices and cis-os packages.

A host is an instance or a launch template with user data (an autoscaling group runs
its template's; an instance started from a template without user data of its own is
judged on the template). Findings point at the template line the fact maps to.
"""

from __future__ import annotations

from collections.abc import Iterator

from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding, fingerprint
from policycheck.hostconfig.extract import hosts_with_user_data
from policycheck.hostconfig.model import Fact, HostConfig, SshdSetting
from policycheck.model import Instance, LaunchTemplate

Host = Instance | LaunchTemplate


def hosts(ctx: CheckContext) -> Iterator[tuple[Host, HostConfig]]:
    yield from hosts_with_user_data(ctx.model.instances, ctx.model.launch_templates)


def fact_finding(ctx: CheckContext, host: Host, fact: Fact, message: str,
                 *details: str) -> Finding:
    """A finding at the template line of ``fact`` (the host's line when not known)."""
    file = fact.at.template_file or host.source.file
    line = fact.at.template_line or host.source.line
    return Finding(
        rule_id=ctx.rule.id, package=ctx.rule.package, severity=ctx.rule.severity,
        title=ctx.rule.title, message=f"{message} (user data line {fact.at.line}, "
                                      f"{fact.how or fact.at.part}).",
        resource=host.id, resource_type=host.source.resource_type, file=file, line=line,
        remediation=ctx.rule.docs.remediation.strip(), frameworks=ctx.rule.frameworks,
        fingerprint=fingerprint(ctx.rule.id, host.id, *details))


def where(setting: SshdSetting) -> str:
    return "cloud-init" if setting.path == "cloud-init" else setting.path


def sshd_check(ctx: CheckContext) -> Iterator[Finding]:
    """A written sshd setting outside what the rule allows.

    Parameters: ``keyword``; then one of ``allowed`` (values, case-insensitive),
    ``maximum`` (a number; ``zero_unlimited`` makes 0 a violation) or ``weak`` (algorithm
    names any of which may not appear in the comma-separated list)."""
    keyword = str(ctx.params["keyword"]).lower()
    for host, config in hosts(ctx):
        setting = config.sshd_effective(keyword)
        if setting is None:
            continue
        problem = _violation(ctx, setting.value)
        if problem is not None:
            yield fact_finding(ctx, host, setting,
                               f"{host.id} sets sshd {ctx.params['keyword']} {setting.value!r} "
                               f"in {where(setting)}: {problem}", keyword)


def _violation(ctx: CheckContext, value: str) -> str | None:
    params = ctx.params
    text = value.strip().strip("\"'").lower()
    if "allowed" in params:
        allowed = [str(v).lower() for v in params["allowed"]]
        return None if text in allowed else f"expected {' or '.join(allowed)}"
    if "maximum" in params:
        number = _seconds(text)
        if number is None:
            return None
        limit = int(params["maximum"])
        if number > limit or (number == 0 and params.get("zero_unlimited", False)):
            return f"expected at most {limit}" + (" (0 is unlimited)" if number == 0 else "")
        return None
    weak = {str(w).lower() for w in params.get("weak", [])}
    used = {item.strip().lstrip("+") for item in text.split(",")}
    found = sorted(used & weak)
    return f"weak algorithms {', '.join(found)}" if found else None


def _seconds(text: str) -> int | None:
    """A number, or an sshd time (``1m``, ``90s``, ``1h``) in seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    if text.isdigit():
        return int(text)
    if text[:-1].isdigit() and text[-1:] in units:
        return int(text[:-1]) * units[text[-1]]
    return None
