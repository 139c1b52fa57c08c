"""Data stores (RDS, ElastiCache, Redshift, OpenSearch, EFS, S3, EBS), audit and keys
(CloudTrail, Config, KMS, flow logs), and VPN, peering and transit gateways.

S3 follows provider v4+ semantics: versioning, encryption, logging, policy, ACL and
public access block live in separate resources, merged into the bucket here.
"""

from __future__ import annotations

from typing import Any

from policycheck.frontends.terraform.build import Build, Builder, flag, integer, tags, text
from policycheck.frontends.terraform.build_iam import policy_document
from policycheck.frontends.terraform.expand import Instance
from policycheck.frontends.terraform.values import Value
from policycheck.model import (
    AccountPublicAccessBlock,
    CacheCluster,
    CloudTrail,
    ConfigRecorder,
    CustomerGateway,
    DataEventSelector,
    DbCluster,
    DbInstance,
    DbSubnetGroup,
    EbsEncryptionByDefault,
    EbsVolume,
    EfsFileSystem,
    EksCluster,
    FlowLog,
    KmsKey,
    OpenSearchDomain,
    PublicAccessBlock,
    RedshiftCluster,
    S3Bucket,
    TransitGateway,
    TransitGatewayAttachment,
    Unknown,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)


def _base(build: Build, inst: Instance) -> dict[str, Any]:
    return {"id": inst.address, "source": build.source(inst), "tags": tags(inst.view)}


def _simple(kind: str, model: Any, **fields: tuple[str, Any]) -> Builder:
    """A builder copying arguments: ``field=(argument, converter)``."""

    def build_it(build: Build, inst: Instance) -> None:
        values: dict[str, Any] = {}
        for field_name, (argument, convert) in fields.items():
            raw = inst.view.get(argument)
            value = convert(build, raw)
            if value is not None:
                values[field_name] = value
        build.add(kind, model(**_base(build, inst), **values))

    return build_it


def _t(build: Build, raw: Value) -> Any:
    return text(raw)


def _b(build: Build, raw: Value) -> Any:
    return flag(raw)


def _i(build: Build, raw: Value) -> Any:
    return integer(raw)


def _r(build: Build, raw: Value) -> Any:
    return build.optional_ref(raw)


def _rs(build: Build, raw: Value) -> Any:
    return build.refs(raw)


def _policy(build: Build, raw: Value) -> Any:
    return policy_document(raw)


def _b_default(default: bool) -> Any:
    return lambda build, raw: flag(raw, default)


_DB = {
    "engine": ("engine", _t),
    "engine_version": ("engine_version", _t),
    "subnet_group": ("db_subnet_group_name", _r),
    "security_groups": ("vpc_security_group_ids", _rs),
    "port": ("port", _i),
    "storage_encrypted": ("storage_encrypted", _b),
    "kms_key": ("kms_key_id", _r),
    "iam_database_authentication": ("iam_database_authentication_enabled", _b),
    "backup_retention_days": ("backup_retention_period", _i),
    "deletion_protection": ("deletion_protection", _b),
}


def _bucket_update(field_name: str, compute: Any) -> Builder:
    """A separate S3 configuration resource: sets ``field_name`` on its bucket."""

    def build_it(build: Build, inst: Instance) -> None:
        bucket = build.ref(inst.view.get("bucket"))
        if isinstance(bucket, str) and bucket in build.known_ids:
            build.set_later(bucket, field_name, compute(build, inst))
        else:
            build.ctx.notice(
                _loc(inst), f"{inst.address}: its bucket is not modelled here ({bucket})"
            )

    return build_it


def _loc(inst: Instance) -> Any:
    from policycheck.frontends.terraform.values import Loc

    return Loc(inst.file, inst.line)


def _versioning(build: Build, inst: Instance) -> Any:
    blocks = inst.view.children("versioning_configuration")
    status = blocks[0].get("status") if blocks else None
    return status if isinstance(status, Unknown) else status == "Enabled"


def _mfa_delete(build: Build, inst: Instance) -> Any:
    blocks = inst.view.children("versioning_configuration")
    status = blocks[0].get("mfa_delete") if blocks else None
    return status if isinstance(status, Unknown) or status is None else status == "Enabled"


def _versioning_parts(build: Build, inst: Instance) -> None:
    _bucket_update("versioning_enabled", _versioning)(build, inst)
    _bucket_update("mfa_delete", _mfa_delete)(build, inst)


def _encryption(build: Build, inst: Instance) -> Any:
    for rule in inst.view.children("rule"):
        for default in rule.children("apply_server_side_encryption_by_default"):
            return text(default.get("sse_algorithm"))
    return None


def _encryption_key(build: Build, inst: Instance) -> Any:
    for rule in inst.view.children("rule"):
        for default in rule.children("apply_server_side_encryption_by_default"):
            return build.optional_ref(default.get("kms_master_key_id"))
    return None


def _encryption_parts(build: Build, inst: Instance) -> None:
    _bucket_update("encryption_algorithm", _encryption)(build, inst)
    _bucket_update("kms_key", _encryption_key)(build, inst)


def _access_block(build: Build, inst: Instance) -> PublicAccessBlock:
    view = inst.view
    return PublicAccessBlock(
        **{name: flag(view.get(name), False) for name in PublicAccessBlock.model_fields}
    )


def s3_bucket(build: Build, inst: Instance) -> None:
    view = inst.view
    versioning = view.children("versioning")
    encryption, key = None, None
    for config in view.children("server_side_encryption_configuration"):
        for rule in config.children("rule"):
            for default in rule.children("apply_server_side_encryption_by_default"):
                encryption = text(default.get("sse_algorithm"))
                key = build.optional_ref(default.get("kms_master_key_id"))
    logging = view.children("logging")
    build.add(
        "s3_buckets",
        S3Bucket(
            **_base(build, inst),
            bucket_name=text(view.get("bucket")),
            acl=text(view.get("acl")),
            versioning_enabled=flag(versioning[0].get("enabled"), False) if versioning else None,
            mfa_delete=flag(versioning[0].get("mfa_delete")) if versioning else None,
            encryption_algorithm=encryption,
            kms_key=key,
            logging_target=build.optional_ref(logging[0].get("target_bucket")) if logging else None,
            policy=policy_document(view.get("policy")),
            object_lock_enabled=flag(view.get("object_lock_enabled")),
        ),
    )


def cloudtrail(build: Build, inst: Instance) -> None:
    view = inst.view
    selectors = [
        DataEventSelector(
            read_write_type=text(selector.get("read_write_type", "All")) or "All",
            resource_type=text(resource.get("type")) or "",
            values=[v for v in (text(x) for x in resource.get("values", [])) if v is not None],
        )
        for selector in view.children("event_selector")
        for resource in selector.children("data_resource")
    ]
    build.add(
        "cloudtrails",
        CloudTrail(
            **_base(build, inst),
            is_multi_region=flag(view.get("is_multi_region_trail"), False),
            include_global_service_events=flag(view.get("include_global_service_events"), True),
            log_file_validation=flag(view.get("enable_log_file_validation"), False),
            kms_key=build.optional_ref(view.get("kms_key_id")),
            s3_bucket=build.optional_ref(view.get("s3_bucket_name")),
            cloudwatch_log_group=build.optional_ref(view.get("cloud_watch_logs_group_arn")),
            is_logging=flag(view.get("enable_logging"), True),
            data_events=selectors,
        ),
    )


def config_recorder(build: Build, inst: Instance) -> None:
    groups = inst.view.children("recording_group")
    group = groups[0] if groups else None
    build.add(
        "config_recorders",
        ConfigRecorder(
            **_base(build, inst),
            all_supported=flag(group.get("all_supported"), True) if group else True,
            include_global_resource_types=flag(group.get("include_global_resource_types"), False)
            if group
            else False,
        ),
    )


def config_status(build: Build, inst: Instance) -> None:
    name = inst.view.get("name")
    for recorder in build.objects.get("config_recorders", []):
        if isinstance(recorder, ConfigRecorder):
            build.set_later(recorder.id, "enabled", flag(inst.view.get("is_enabled")))
            return
    build.ctx.notice(_loc(inst), f"{inst.address}: recorder {name} is not modelled here")


def flow_log(build: Build, inst: Instance) -> None:
    view = inst.view
    target = next(
        (
            view.get(a)
            for a in ("vpc_id", "subnet_id", "eni_id", "transit_gateway_id")
            if view.has(a)
        ),
        None,
    )
    build.add(
        "flow_logs",
        FlowLog(
            **_base(build, inst),
            resource=build.ref(target),
            traffic_type=text(view.get("traffic_type")),
            destination_type=text(view.get("log_destination_type", "cloud-watch-logs")),
        ),
    )


def vpn_connection(build: Build, inst: Instance) -> None:
    view = inst.view
    build.add(
        "vpn_connections",
        VpnConnection(
            **_base(build, inst),
            vpn_gateway=build.optional_ref(view.get("vpn_gateway_id")),
            transit_gateway=build.optional_ref(view.get("transit_gateway_id")),
            customer_gateway=build.optional_ref(view.get("customer_gateway_id")),
            static_routes_only=flag(view.get("static_routes_only"), False),
        ),
    )


def vpn_route(build: Build, inst: Instance) -> None:
    view = inst.view
    cidr = text(view.get("destination_cidr_block"))
    if cidr is not None:
        build.contribute(build.ref(view.get("vpn_connection_id")), "static_routes", cidr)


def peering(build: Build, inst: Instance) -> None:
    view = inst.view
    build.add(
        "vpc_peering_connections",
        VpcPeeringConnection(
            **_base(build, inst),
            vpc=build.ref(view.get("vpc_id")),
            peer_vpc=build.ref(view.get("peer_vpc_id")),
        ),
    )


BUILDERS: dict[str, Builder] = {
    "aws_db_subnet_group": _simple("db_subnet_groups", DbSubnetGroup, subnets=("subnet_ids", _rs)),
    "aws_elasticache_subnet_group": _simple(
        "db_subnet_groups", DbSubnetGroup, subnets=("subnet_ids", _rs)
    ),
    "aws_redshift_subnet_group": _simple(
        "db_subnet_groups", DbSubnetGroup, subnets=("subnet_ids", _rs)
    ),
    "aws_db_instance": _simple(
        "db_instances",
        DbInstance,
        **_DB,
        cluster=("cluster_identifier", _r),
        publicly_accessible=("publicly_accessible", _b_default(False)),
        multi_az=("multi_az", _b),
        auto_minor_version_upgrade=("auto_minor_version_upgrade", _b_default(True)),
    ),
    "aws_rds_cluster_instance": _simple(
        "db_instances",
        DbInstance,
        engine=("engine", _t),
        cluster=("cluster_identifier", _r),
        publicly_accessible=("publicly_accessible", _b_default(False)),
        subnet_group=("db_subnet_group_name", _r),
        auto_minor_version_upgrade=("auto_minor_version_upgrade", _b_default(True)),
    ),
    "aws_rds_cluster": _simple("db_clusters", DbCluster, **_DB),
    "aws_elasticache_cluster": _simple(
        "cache_clusters",
        CacheCluster,
        engine=("engine", _t),
        engine_version=("engine_version", _t),
        subnet_group=("subnet_group_name", _r),
        security_groups=("security_group_ids", _rs),
        port=("port", _i),
    ),
    "aws_elasticache_replication_group": _simple(
        "cache_clusters",
        CacheCluster,
        engine=("engine", _t),
        engine_version=("engine_version", _t),
        subnet_group=("subnet_group_name", _r),
        security_groups=("security_group_ids", _rs),
        port=("port", _i),
        at_rest_encryption=("at_rest_encryption_enabled", _b),
        transit_encryption=("transit_encryption_enabled", _b),
        auth_token_set=("auth_token", lambda b, raw: None if raw is None else True),
    ),
    "aws_redshift_cluster": _simple(
        "redshift_clusters",
        RedshiftCluster,
        publicly_accessible=("publicly_accessible", _b_default(True)),
        encrypted=("encrypted", _b),
        subnet_group=("cluster_subnet_group_name", _r),
        security_groups=("vpc_security_group_ids", _rs),
        port=("port", _i),
    ),
    "aws_efs_file_system": _simple(
        "efs_file_systems", EfsFileSystem, encrypted=("encrypted", _b), kms_key=("kms_key_id", _r)
    ),
    "aws_ebs_volume": _simple(
        "ebs_volumes",
        EbsVolume,
        encrypted=("encrypted", _b),
        kms_key=("kms_key_id", _r),
        availability_zone=("availability_zone", _t),
    ),
    "aws_ebs_encryption_by_default": _simple(
        "ebs_encryption_by_default", EbsEncryptionByDefault, enabled=("enabled", _b_default(True))
    ),
    "aws_kms_key": _simple(
        "kms_keys",
        KmsKey,
        key_spec=("customer_master_key_spec", lambda b, raw: text(raw) or "SYMMETRIC_DEFAULT"),
        enable_key_rotation=("enable_key_rotation", _b_default(False)),
        policy=("policy", _policy),
        deletion_window_days=("deletion_window_in_days", _i),
    ),
    "aws_s3_bucket": s3_bucket,
    "aws_s3_bucket_versioning": _versioning_parts,
    "aws_s3_bucket_server_side_encryption_configuration": _encryption_parts,
    "aws_s3_bucket_logging": _bucket_update(
        "logging_target", lambda b, i: b.optional_ref(i.view.get("target_bucket"))
    ),
    "aws_s3_bucket_policy": _bucket_update(
        "policy", lambda b, i: policy_document(i.view.get("policy"), b.source(i))
    ),
    "aws_s3_bucket_acl": _bucket_update("acl", lambda b, i: text(i.view.get("acl"))),
    "aws_s3_bucket_public_access_block": _bucket_update("public_access_block", _access_block),
    "aws_s3_account_public_access_block": lambda b, i: b.add(
        "account_public_access_blocks",
        AccountPublicAccessBlock(**_base(b, i), settings=_access_block(b, i)),
    ),
    "aws_cloudtrail": cloudtrail,
    "aws_config_configuration_recorder": config_recorder,
    "aws_config_configuration_recorder_status": config_status,
    "aws_flow_log": flow_log,
    "aws_vpn_gateway": _simple("vpn_gateways", VpnGateway, vpc=("vpc_id", _r)),
    "aws_vpn_gateway_attachment": lambda b, i: b.set_later(
        b.ref(i.view.get("vpn_gateway_id")), "vpc", b.ref(i.view.get("vpc_id"))
    ),
    "aws_customer_gateway": _simple(
        "customer_gateways", CustomerGateway, ip_address=("ip_address", _t), bgp_asn=("bgp_asn", _i)
    ),
    "aws_vpn_connection": vpn_connection,
    "aws_vpn_connection_route": vpn_route,
    "aws_vpc_peering_connection": peering,
    "aws_ec2_transit_gateway": _simple(
        "transit_gateways",
        TransitGateway,
        default_route_table_association=(
            "default_route_table_association",
            lambda b, raw: None if raw is None else raw != "disable",
        ),
        default_route_table_propagation=(
            "default_route_table_propagation",
            lambda b, raw: None if raw is None else raw != "disable",
        ),
    ),
    "aws_ec2_transit_gateway_vpc_attachment": _simple(
        "transit_gateway_attachments",
        TransitGatewayAttachment,
        transit_gateway=("transit_gateway_id", lambda b, raw: b.ref(raw)),
        vpc=("vpc_id", _r),
        subnets=("subnet_ids", _rs),
    ),
    "aws_opensearch_domain": lambda b, i: search_domain(b, i, "engine_version"),
    "aws_elasticsearch_domain": lambda b, i: search_domain(b, i, "elasticsearch_version"),
    "aws_eks_cluster": lambda b, i: eks_cluster(b, i),
}


def search_domain(build: Build, inst: Instance, version_argument: str) -> None:
    view = inst.view
    vpc = view.children("vpc_options")
    rest = view.children("encrypt_at_rest")
    n2n = view.children("node_to_node_encryption")
    endpoint = view.children("domain_endpoint_options")
    build.add(
        "opensearch_domains",
        OpenSearchDomain(
            **_base(build, inst),
            engine_version=text(view.get(version_argument)),
            subnets=build.refs(vpc[0].get("subnet_ids")) if vpc else [],
            security_groups=build.refs(vpc[0].get("security_group_ids")) if vpc else [],
            encrypt_at_rest=flag(rest[0].get("enabled"), False) if rest else False,
            node_to_node_encryption=flag(n2n[0].get("enabled"), False) if n2n else False,
            enforce_https=flag(endpoint[0].get("enforce_https"), True) if endpoint else None,
            tls_security_policy=text(endpoint[0].get("tls_security_policy")) if endpoint else None,
            access_policy=policy_document(view.get("access_policies")),
        ),
    )


def eks_cluster(build: Build, inst: Instance) -> None:
    view = inst.view
    vpc = view.children("vpc_config")
    config = vpc[0] if vpc else None
    key = None
    for encryption in view.children("encryption_config"):
        for provider in encryption.children("provider"):
            key = build.optional_ref(provider.get("key_arn"))
    cidrs = config.get("public_access_cidrs") if config else None
    build.add(
        "eks_clusters",
        EksCluster(
            **_base(build, inst),
            version=text(view.get("version")),
            role=build.optional_ref(view.get("role_arn")),
            subnets=build.refs(config.get("subnet_ids")) if config else [],
            security_groups=build.refs(config.get("security_group_ids")) if config else [],
            endpoint_public_access=flag(config.get("endpoint_public_access"), True)
            if config
            else True,
            endpoint_private_access=flag(config.get("endpoint_private_access"), False)
            if config
            else False,
            public_access_cidrs=[c for c in (text(x) for x in cidrs) if c is not None]
            if isinstance(cidrs, list)
            else ["0.0.0.0/0"],
            enabled_log_types=[
                t
                for t in (text(x) for x in view.get("enabled_cluster_log_types", []) or [])
                if t is not None
            ],
            secrets_encryption_key=key,
        ),
    )
