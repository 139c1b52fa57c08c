"""The network-reachability severity table and recognized ports, loaded from policies/."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from policycheck.findings import Severity
from policycheck.rules.catalogue import package_data

PACKAGE = "network-reachability"


class RecognizedService(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    protocol: Literal["tcp", "udp"]
    ports: tuple[tuple[int, int], ...]
    severity: Severity


class SeverityTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path_kind_steps: dict[str, int]
    finding_type_steps: dict[str, int]
    fixed: dict[str, Severity]

    def severity(self, finding_type: str, path_kind: str, base: Severity | None) -> Severity:
        if finding_type in self.fixed:
            return self.fixed[finding_type]
        if base is None:
            raise ValueError(f"{finding_type} needs a service severity")
        steps = self.path_kind_steps.get(path_kind, 0) + self.finding_type_steps.get(
            finding_type, 0)
        return base.lowered(steps)


class _ServiceList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    services: list[RecognizedService]


@lru_cache(maxsize=1)
def recognized_services() -> tuple[RecognizedService, ...]:
    raw = package_data(PACKAGE, "recognized-ports.yaml")
    return tuple(_ServiceList.model_validate(raw).services)


@lru_cache(maxsize=1)
def severity_table() -> SeverityTable:
    return SeverityTable.model_validate(package_data(PACKAGE, "severity.yaml"))
