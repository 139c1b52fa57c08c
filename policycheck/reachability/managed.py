"""Managed public endpoints: reachable from the internet without any VPC path.

* an EKS cluster's public API endpoint (``endpoint_public_access``), from its
  ``public_access_cidrs`` on tcp 443;
* an OpenSearch/Elasticsearch domain outside a VPC, from anywhere on tcp 443 (and 80
  unless HTTPS is enforced); its access policy decides who is *authorised*, not who can
  connect;
* a Lambda function URL with ``authorization_type = NONE``, from anywhere on tcp 443.

Each is one exposure of path kind IGW whose single hop names the setting to change.
"""

from __future__ import annotations

from collections.abc import Iterator

from policycheck.model import (
    EksCluster,
    LambdaFunctionUrl,
    Model,
    ModelObject,
    OpenSearchDomain,
    Unknown,
    canonical_cidr,
)
from policycheck.reachability.result import Exposure, Hop, PathKind

_ANYWHERE = ("0.0.0.0/0", "::/0")


def _exposure(obj: ModelObject, interface: str, ports: tuple[tuple[int, int], ...],
              sources: tuple[str, ...], detail: str, assumptions: tuple[str, ...] = (),
              target: ModelObject | None = None) -> Exposure:
    owner = target or obj
    return Exposure(
        target=owner.id, target_source=owner.source, interface=interface,
        path_kind=PathKind.IGW, protocol="tcp", ports=ports, sources=sources,
        path=(Hop(type=obj.kind, resource=obj.id, detail=detail, source=obj.source),),
        assumptions=assumptions)


def _eks(cluster: EksCluster) -> Iterator[Exposure]:
    public = cluster.endpoint_public_access
    if public is False:
        return
    assumptions = [public.reason] if isinstance(public, Unknown) else []
    cidrs: set[str] = set()
    for value in cluster.public_access_cidrs or ["0.0.0.0/0"]:
        canonical = canonical_cidr(value)
        if isinstance(canonical, Unknown):
            assumptions.append(f"public_access_cidrs entry unknown, assumed 0.0.0.0/0: "
                               f"{canonical.reason}")
            canonical = "0.0.0.0/0"
        cidrs.add(canonical)
    yield _exposure(cluster, f"{cluster.id} public endpoint", ((443, 443),), tuple(sorted(cidrs)),
                    f"public API endpoint open to {', '.join(sorted(cidrs))} "
                    "(endpoint_public_access, public_access_cidrs)", tuple(assumptions))


def _opensearch(domain: OpenSearchDomain) -> Iterator[Exposure]:
    if domain.subnets:
        return
    https_only = domain.enforce_https is True
    ports = ((443, 443),) if https_only else ((80, 80), (443, 443))
    yield _exposure(domain, f"{domain.id} public endpoint", ports, _ANYWHERE,
                    "domain endpoint outside a VPC (no vpc_options): reachable from anywhere; "
                    "the access policy only decides who is authorised")


def _function_url(model: Model, url: LambdaFunctionUrl) -> Iterator[Exposure]:
    auth = url.authorization_type
    if auth == "AWS_IAM":
        return
    assumptions = (auth.reason,) if isinstance(auth, Unknown) else ()
    function = model.get(url.function)
    yield _exposure(url, f"{url.id}", ((443, 443),), _ANYWHERE,
                    "function URL with authorization_type NONE: anyone may invoke it",
                    assumptions, target=function)


def managed_exposures(model: Model) -> list[Exposure]:
    """Exposures of EKS public endpoints, public OpenSearch domains and Lambda URLs."""
    found: list[Exposure] = []
    for cluster in model.eks_clusters:
        found.extend(_eks(cluster))
    for domain in model.opensearch_domains:
        found.extend(_opensearch(domain))
    for url in model.lambda_function_urls:
        found.extend(_function_url(model, url))
    return found
