"""Check functions, registered explicitly under their rule ids."""

from __future__ import annotations

from policycheck.checks import network_reachability
from policycheck.checks.registry import Check, CheckContext

CHECKS: dict[str, Check] = {
    "NET001": network_reachability.recognized_port_with_listener,
    "NET002": network_reachability.recognized_port_no_listener,
    "NET003": network_reachability.recognized_port_no_agent,
    "NET004": network_reachability.unrecognized_port_with_listener,
    "NET005": network_reachability.network_exposure,
}

__all__ = ["CHECKS", "Check", "CheckContext"]
