"""The contract between the rules engine and a check function."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from policycheck.findings import Finding
from policycheck.model import Model
from policycheck.reachability.result import ReachabilityResult
from policycheck.rules.catalogue import RuleMeta


@dataclass
class CheckContext:
    """What a check may read: the model, the reachability result and its own rule."""

    model: Model
    reachability: ReachabilityResult
    rule: RuleMeta
    params: Mapping[str, Any]
    """The rule's parameters: rule.yaml defaults merged with configuration overrides."""
    shared: dict[str, Any] = field(default_factory=dict)
    """Per-unit memo shared by the checks of one package (e.g. classified exposures)."""


Check = Callable[[CheckContext], Iterable[Finding]]
