"""Check functions, registered explicitly under their rule ids."""

from __future__ import annotations

from policycheck.checks import (
    cis_iam,
    cis_logging,
    cis_networking,
    cis_storage,
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
    "CIS103": cis_iam.user_direct_permissions,
    "CIS104": cis_iam.admin_policy_attached,
    "CIS106": cis_iam.instance_without_role,
    "CIS107": cis_iam.cloudshell_full_access,
    "CIS201": cis_storage.bucket_denies_http,
    "CIS203": cis_storage.bucket_public_access_block,
    "CIS204": cis_storage.rds_encryption,
    "CIS205": cis_storage.rds_auto_minor_upgrade,
    "CIS206": cis_storage.rds_publicly_accessible,
    "CIS207": cis_storage.rds_multi_az,
    "CIS208": cis_storage.efs_encryption,
    "CIS301": cis_logging.cloudtrail_multi_region,
    "CIS302": cis_logging.cloudtrail_log_validation,
    "CIS303": cis_logging.config_recorder,
    "CIS304": cis_logging.cloudtrail_bucket_logging,
    "CIS305": cis_logging.cloudtrail_kms_encryption,
    "CIS306": cis_logging.kms_key_rotation,
    "CIS307": cis_logging.vpc_flow_logs,
    "CIS308": cis_logging.s3_object_level_logging,
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
