"""Package ``cve``: end-of-life and deprecated platform versions declared in templates.

Lambda runtimes, managed engine versions (RDS, Aurora, ElastiCache, OpenSearch, EKS)
and the operating systems behind AMI lookups are compared with the dated data files in
``policies/cve/data/`` on the assessment date (``--as-of``, default today). Versions
pinned in user data and container image tags are in ``cve_software``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from policycheck.checks.cve_data import (
    EngineVersion,
    OperatingSystem,
    assessment_date,
    engine_version,
    lambda_runtimes,
    operating_systems,
)
from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding, fingerprint
from policycheck.model import (
    CacheCluster,
    DbCluster,
    DbInstance,
    EksCluster,
    ImageDescription,
    Instance,
    LaunchTemplate,
    ModelObject,
    OpenSearchDomain,
    SourceRef,
)


def finding(ctx: CheckContext, obj: ModelObject, message: str, *details: str,
            at: tuple[str, int] | None = None) -> Finding:
    """A finding of ``ctx.rule`` about ``obj``, at ``at`` (file, line) or at ``obj``."""
    file, line = at or (obj.source.file, obj.source.line)
    return Finding(
        rule_id=ctx.rule.id, package=ctx.rule.package, severity=ctx.rule.severity,
        title=ctx.rule.title, message=message, resource=obj.id,
        resource_type=obj.source.resource_type, file=file, line=line,
        remediation=ctx.rule.docs.remediation.strip(), frameworks=ctx.rule.frameworks,
        fingerprint=fingerprint(ctx.rule.id, obj.id, *details),
    )


def _when(day: date, today: date) -> str:
    return f"on {day.isoformat()} (assessed as of {today.isoformat()})"


# CVE001 ---------------------------------------------------------------------------


def lambda_runtime_deprecated(ctx: CheckContext) -> Iterable[Finding]:
    today = assessment_date(ctx)
    runtimes = lambda_runtimes()
    for function in ctx.model.lambda_functions:
        if not isinstance(function.runtime, str):
            continue
        entry = runtimes.get(function.runtime)
        if entry is None or entry.deprecated > today:
            continue
        yield finding(ctx, function, (
            f"Lambda function {function.id} uses runtime {entry.runtime}, deprecated "
            f"{_when(entry.deprecated, today)}: it no longer receives security patches. "
            f"Move to {entry.upgrade_to}. Source: {entry.source}"), entry.runtime)


# CVE002 ---------------------------------------------------------------------------

_ENGINE_NAMES = {"mysql": "MySQL", "postgres": "PostgreSQL", "aurora-mysql": "Aurora MySQL",
                 "aurora": "Aurora MySQL", "aurora-postgresql": "Aurora PostgreSQL",
                 "redis": "ElastiCache for Redis OSS", "elasticsearch": "Elasticsearch",
                 "opensearch": "OpenSearch", "eks": "Kubernetes on EKS"}


def _search_engine(version: str) -> tuple[str, str]:
    """``OpenSearch_1.2`` -> (opensearch, 1.2); a bare ``7.10`` is Elasticsearch."""
    if "_" in version:
        family, number = version.split("_", 1)
        return family.lower(), number
    return "elasticsearch", version


def _engines(ctx: CheckContext) -> Iterator[tuple[ModelObject, str, str]]:
    """(object, engine, version) of every managed engine with a known version."""
    databases: list[DbInstance | DbCluster] = [*ctx.model.db_instances,
                                               *ctx.model.db_clusters]
    for db in databases:
        if isinstance(db, DbInstance) and db.cluster is not None:
            continue  # an Aurora member: its cluster carries the version
        if isinstance(db.engine, str) and isinstance(db.engine_version, str):
            yield db, db.engine.lower(), db.engine_version
    for cache in ctx.model.cache_clusters:
        engine = cache.engine if isinstance(cache.engine, str) else "redis"
        if isinstance(cache.engine_version, str):
            yield cache, engine.lower(), cache.engine_version
    for domain in ctx.model.opensearch_domains:
        if isinstance(domain.engine_version, str):
            yield domain, *_search_engine(domain.engine_version)
    for cluster in ctx.model.eks_clusters:
        if isinstance(cluster.version, str):
            yield cluster, "eks", cluster.version


def _engine_message(obj: ModelObject, engine: str, version: str, entry: EngineVersion,
                    today: date) -> str:
    kind = {DbInstance: "RDS instance", DbCluster: "RDS cluster",
            CacheCluster: "ElastiCache cluster", OpenSearchDomain: "OpenSearch domain",
            EksCluster: "EKS cluster"}.get(type(obj), obj.kind)
    name = _ENGINE_NAMES.get(engine, engine)
    return (f"{kind} {obj.id} runs {name} {version}; standard support for {entry.version} "
            f"ended {_when(entry.end_of_support, today)}: no more fixes without paid "
            f"extended support, then a forced upgrade. Upgrade to {entry.upgrade_to}. "
            f"Source: {entry.source}")


def engine_version_end_of_life(ctx: CheckContext) -> Iterable[Finding]:
    today = assessment_date(ctx)
    for obj, engine, version in _engines(ctx):
        entry = engine_version(engine, version)
        if entry is None or entry.end_of_support > today:
            continue
        yield finding(ctx, obj, _engine_message(obj, engine, version, entry, today),
                      engine, entry.version)


# CVE003 ---------------------------------------------------------------------------


def _os_of(texts: Iterable[str]) -> tuple[OperatingSystem, str] | None:
    for text in texts:
        for system in operating_systems():
            if system.matches(text):
                return system, text
    return None


def _image_texts(ctx: CheckContext, ami: object) -> tuple[list[str], SourceRef | None]:
    """What names the image: an AMI lookup's name filters (located at the lookup), or an
    ``ImageId`` written as a public SSM parameter path (located at the host)."""
    image = ctx.model.get(ami) if isinstance(ami, str) else None
    if isinstance(image, ImageDescription):
        return [f for f in image.name_filters if isinstance(f, str)], image.source
    if isinstance(ami, str) and ("/aws/service/" in ami or "resolve:ssm" in ami):
        return [ami], None
    return [], None


def operating_system_end_of_life(ctx: CheckContext) -> Iterable[Finding]:
    today = assessment_date(ctx)
    hosts: list[Instance | LaunchTemplate] = [*ctx.model.instances, *ctx.model.launch_templates]
    for host in hosts:
        texts, where = _image_texts(ctx, host.ami)
        found = _os_of(texts)
        if found is None:
            continue
        system, text = found
        if system.end_of_life > today:
            continue
        at = (where.file, where.line) if where is not None else None
        yield finding(ctx, host, (
            f"{host.id} boots {system.name} (image {text!r}), which reached end of life "
            f"{_when(system.end_of_life, today)}: the vendor no longer publishes security "
            f"updates. Move to {system.upgrade_to}. Source: {system.source}"),
            system.name, at=at)
