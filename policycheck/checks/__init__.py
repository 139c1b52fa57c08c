"""Check functions, registered explicitly under their rule ids."""

from __future__ import annotations

from policycheck.checks import (
    cis_iam,
    cis_logging,
    cis_networking,
    cis_storage,
    cve,
    cve_software,
    insecure_protocols,
    network_reachability,
    policycheck_meta,
    stale_intent,
)
from policycheck.checks.registry import Check, CheckContext

CHECKS: dict[str, Check] = {
    "CVE001": cve.lambda_runtime_deprecated,
    "CVE002": cve.engine_version_end_of_life,
    "CVE003": cve.operating_system_end_of_life,
    "CVE004": cve_software.package_known_vulnerability,
    "CVE005": cve_software.container_image_known_vulnerability,
    "IPR001": insecure_protocols.cleartext_service_installed,
    "IPR002": insecure_protocols.cleartext_port_reachable,
    "IPR003": insecure_protocols.http_listener_without_redirect,
    "IPR004": insecure_protocols.tls_listener_outdated_policy,
    "NET001": network_reachability.recognized_port_with_listener,
    "NET002": network_reachability.recognized_port_no_listener,
    "NET003": network_reachability.recognized_port_no_agent,
    "NET004": network_reachability.unrecognized_port_with_listener,
    "NET005": network_reachability.network_exposure,
    "NET006": stale_intent.stale_intended_exposure,
    "CIS106": cis_iam.instance_without_role,
    "CIS204": cis_storage.rds_encryption,
    "CIS205": cis_storage.rds_auto_minor_upgrade,
    "CIS206": cis_storage.rds_publicly_accessible,
    "CIS207": cis_storage.rds_multi_az,
    "CIS208": cis_storage.efs_encryption,
    "CIS306": cis_logging.kms_key_rotation,
    "CIS307": cis_logging.vpc_flow_logs,
    "CIS502": cis_networking.sg_cifs,
    "CIS503": cis_networking.nacl_admin_ports,
    "CIS504": cis_networking.sg_admin_ports,
    "CIS505": cis_networking.default_sg_restricts_all,
    "CIS506": cis_networking.peering_least_access,
    "CIS507": cis_networking.imdsv2_required,
    "PC001": policycheck_meta.suppression_without_reason,
    "PC002": policycheck_meta.suppression_unknown_rule,
    "PC003": policycheck_meta.suppression_unused,
    "PC004": policycheck_meta.suppression_expired,
}

__all__ = ["CHECKS", "Check", "CheckContext"]
