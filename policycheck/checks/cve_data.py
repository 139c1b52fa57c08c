"""The dated data files of the ``cve`` package (``policies/cve/data/``), typed.

Every fact carries the day it was checked (``as_of``) and its source, so a finding can
say where its date or CVE id comes from; the assessment date (``--as-of``) decides
which end-of-life dates have passed, which makes results reproducible.
"""

from __future__ import annotations

import fnmatch
from datetime import date
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from policycheck.checks.registry import CheckContext
from policycheck.rules.catalogue import package_data
from policycheck.versions import VersionRange, version_prefix_matches

PACKAGE = "cve"
AS_OF_KEY = "assessment.as_of"
"""Key of the assessment date in ``CheckContext.shared`` (seeded by the scan)."""


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: date
    """The day the fact was checked against its source."""
    source: str


class LambdaRuntime(_Fact):
    runtime: str
    deprecated: date
    upgrade_to: str


class EngineVersion(_Fact):
    version: str
    end_of_support: date
    upgrade_to: str


class OperatingSystem(_Fact):
    name: str
    end_of_life: date
    upgrade_to: str
    patterns: list[str]

    def matches(self, text: str) -> bool:
        return any(fnmatch.fnmatch(text.lower(), p.lower()) for p in self.patterns)


class TlsPolicy(_Fact):
    policy: str
    min_tls: str


class TlsPolicies(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    default_policy: str
    default_source: str
    recommended: str
    entries: list[TlsPolicy]

    def weak(self, name: str) -> TlsPolicy | None:
        return next((p for p in self.entries if p.policy.lower() == name.lower()), None)


class AffectedRange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    introduced: str | None = None
    fixed: str | None = None
    last_affected: str | None = None

    def as_range(self) -> VersionRange:
        return VersionRange(self.introduced, self.fixed, self.last_affected)


class Vulnerability(_Fact):
    id: str
    summary: str
    affected: list[AffectedRange]
    fixed_in: str


class Product(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    product: str
    packages: list[str] = []
    images: list[str] = []
    vulnerabilities: list[Vulnerability]


def _load(name: str) -> Any:
    return package_data(PACKAGE, f"data/{name}")


@lru_cache(maxsize=1)
def lambda_runtimes() -> dict[str, LambdaRuntime]:
    entries = [LambdaRuntime.model_validate(e) for e in _load("lambda-runtimes.yaml")["entries"]]
    return {e.runtime: e for e in entries}


@lru_cache(maxsize=1)
def engine_versions() -> dict[str, list[EngineVersion]]:
    raw = _load("engine-versions.yaml")["engines"]
    return {engine: [EngineVersion.model_validate(e) for e in entries]
            for engine, entries in raw.items()}


def engine_version(engine: str, version: str) -> EngineVersion | None:
    """The data entry whose version prefix ``version`` starts with (longest first)."""
    entries = sorted(engine_versions().get(engine, []), key=lambda e: -len(e.version))
    return next((e for e in entries if version_prefix_matches(version, e.version)), None)


@lru_cache(maxsize=1)
def operating_systems() -> list[OperatingSystem]:
    return [OperatingSystem.model_validate(e) for e in _load("operating-systems.yaml")["entries"]]


@lru_cache(maxsize=1)
def tls_policies() -> TlsPolicies:
    return TlsPolicies.model_validate(_load("tls-policies.yaml"))


@lru_cache(maxsize=1)
def known_vulnerabilities() -> list[Product]:
    return [Product.model_validate(p) for p in _load("known-vulnerabilities.yaml")["products"]]


def assessment_date(ctx: CheckContext) -> date:
    """The day the assessment judges dates on: ``--as-of`` when given, else today."""
    value = ctx.shared.get(AS_OF_KEY)
    return value if isinstance(value, date) else date.today()
