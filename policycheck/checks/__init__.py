"""Check functions, registered explicitly under their rule ids."""

from __future__ import annotations

from policycheck.checks import (
    cis_networking,
    cve,
    network_reachability,
    policycheck_meta,
    stale_intent,
)
from policycheck.checks.registry import Check, CheckContext

CHECKS: dict[str, Check] = {
    "CVE001": cve.lambda_runtime_deprecated,
    "CVE002": cve.engine_version_end_of_life,
    "CVE003": cve.operating_system_end_of_life,
    "NET001": network_reachability.recognized_port_with_listener,
    "NET002": network_reachability.recognized_port_no_listener,
    "NET003": network_reachability.recognized_port_no_agent,
    "NET004": network_reachability.unrecognized_port_with_listener,
    "NET005": network_reachability.network_exposure,
    "NET006": stale_intent.stale_intended_exposure,
    "CIS502": cis_networking.sg_cifs,
    "CIS503": cis_networking.nacl_admin_ports,
    "CIS504": cis_networking.sg_admin_ports,
    "CIS505": cis_networking.default_sg_restricts_all,
    "CIS506": cis_networking.peering_least_access,
    "PC001": policycheck_meta.suppression_without_reason,
    "PC002": policycheck_meta.suppression_unknown_rule,
    "PC003": policycheck_meta.suppression_unused,
    "PC004": policycheck_meta.suppression_expired,
}

__all__ = ["CHECKS", "Check", "CheckContext"]
