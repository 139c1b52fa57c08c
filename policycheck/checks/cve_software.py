"""Package ``cve``: software versions with known CVEs, pinned in user data (HostConfig
packages) or named by container image tags, matched against the curated list in
``policies/cve/data/known-vulnerabilities.yaml``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from policycheck.checks.cve import finding
from policycheck.checks.cve_data import Product, Vulnerability, known_vulnerabilities
from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding
from policycheck.hostconfig.extract import hosts_with_user_data
from policycheck.hostconfig.model import Fact
from policycheck.versions import ParsedVersion, image_tag_version, parse_version, split_image


def _affected(product: Product, version: ParsedVersion) -> list[Vulnerability]:
    return [v for v in product.vulnerabilities
            if any(r.as_range().contains(version.version) for r in v.affected)]


def _describe(product: Product, version: str, found: list[Vulnerability]) -> str:
    ids = ", ".join(v.id for v in found)
    details = "; ".join(f"{v.id}: {v.summary}" for v in found)
    fixes = [(parsed.version, v.fixed_in) for v in found
             if (parsed := parse_version(v.fixed_in)) is not None]
    upgrade = max(fixes)[1] if fixes else found[-1].fixed_in
    return (f"{product.product} {version} is affected by {ids} ({details}). Upgrade to "
            f"{upgrade} or later. Source: {found[0].source}")


def _at(fact: Fact) -> tuple[str, int] | None:
    where = fact.at
    if where.template_file is None or where.template_line is None:
        return None
    return where.template_file, where.template_line


def _product_of(name: str, field: str) -> Iterator[Product]:
    for product in known_vulnerabilities():
        if name.lower() in (n.lower() for n in getattr(product, field)):
            yield product


# CVE004 ---------------------------------------------------------------------------


def package_known_vulnerability(ctx: CheckContext) -> Iterable[Finding]:
    with_release = bool(ctx.params.get("match_distribution_releases", False))
    for host, config in hosts_with_user_data(ctx.model.instances, ctx.model.launch_templates):
        for package in config.packages:
            if package.version is None:
                continue
            parsed = parse_version(package.version)
            if parsed is None or (parsed.distribution_release and not with_release):
                continue  # distributions backport fixes without changing the version
            for product in _product_of(package.name, "packages"):
                found = _affected(product, parsed)
                if found:
                    message = (f"User data of {host.id} installs {package.name} "
                               f"{package.version} ({package.how or package.manager}, user "
                               f"data line {package.at.line}): "
                               + _describe(product, package.version, found))
                    yield finding(ctx, host, message, package.name, package.version,
                                  at=_at(package))


# CVE005 ---------------------------------------------------------------------------


def container_image_known_vulnerability(ctx: CheckContext) -> Iterable[Finding]:
    for task in ctx.model.ecs_task_definitions:
        for container in task.containers:
            if not isinstance(container.image, str):
                continue
            name, tag = split_image(container.image)
            version = image_tag_version(tag) if tag else None
            if version is None:
                continue
            short = name.rsplit("/", 1)[-1]
            for product in _product_of(short, "images"):
                found = _affected(product, version)
                if not found:
                    continue
                where = container.source or task.source
                yield finding(ctx, task, (
                    f"Container {container.name} of task definition {task.id} runs image "
                    f"{container.image}: " + _describe(product, str(version.version), found)),
                    str(container.name), container.image, at=(where.file, where.line))
