"""Check functions, registered explicitly under their rule ids."""

from __future__ import annotations

from policycheck.checks import network_reachability, policycheck_meta
from policycheck.checks.registry import Check, CheckContext

CHECKS: dict[str, Check] = {
    "NET001": network_reachability.recognized_port_with_listener,
    "NET002": network_reachability.recognized_port_no_listener,
    "NET003": network_reachability.recognized_port_no_agent,
    "NET004": network_reachability.unrecognized_port_with_listener,
    "NET005": network_reachability.network_exposure,
    "PC001": policycheck_meta.suppression_without_reason,
    "PC002": policycheck_meta.suppression_unknown_rule,
    "PC003": policycheck_meta.suppression_unused,
    "PC004": policycheck_meta.suppression_expired,
}

__all__ = ["CHECKS", "Check", "CheckContext"]
