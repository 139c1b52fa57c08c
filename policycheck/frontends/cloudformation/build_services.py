"""Lambda, ECS, EKS and the data stores (RDS, ElastiCache, Redshift, OpenSearch, EFS,
S3, EBS)."""

from __future__ import annotations

from policycheck.frontends.cloudformation.draft import BuildContext
from policycheck.frontends.cloudformation.policies import policy_document
from policycheck.frontends.cloudformation.values import (
    Obj,
    Value,
    as_bool,
    as_int,
    as_list,
    as_ref,
    as_refs,
    as_text,
    tags_of,
)
from policycheck.model import (
    CacheCluster,
    ContainerDefinition,
    DbCluster,
    DbInstance,
    DbSubnetGroup,
    EbsVolume,
    EcsCluster,
    EcsLoadBalancerBinding,
    EcsService,
    EcsTaskDefinition,
    EfsFileSystem,
    EksCluster,
    LambdaFunction,
    LambdaFunctionUrl,
    MountPoint,
    OpenSearchDomain,
    PortMapping,
    PublicAccessBlock,
    RedshiftCluster,
    S3Bucket,
    TaskVolume,
    Unknown,
)


def _obj(value: Value) -> Obj:
    return value if isinstance(value, Obj) else Obj()


def _objs(value: Value) -> list[Obj]:
    items = as_list(value)
    return [] if isinstance(items, Unknown) else [item for item in items if isinstance(item, Obj)]


def _ref(value: Value, what: str) -> str | Unknown | None:
    return None if value is None else as_ref(value, what)


def _default(value: bool | Unknown | None, default: bool) -> bool | Unknown:
    """AWS's value for a setting the template leaves out."""
    return default if value is None else value


def _vpc_config(value: Value) -> tuple[list[str | Unknown], list[str | Unknown]]:
    config = _obj(value)
    return (as_refs(config.get("SubnetIds"), "subnet"),
            as_refs(config.get("SecurityGroupIds"), "security group"))


def _env(value: Value) -> dict[str, str | Unknown]:
    found: dict[str, str | Unknown] = {}
    for key, item in _obj(value).items():
        text = as_text(item)
        found[key] = text if text is not None else Unknown(reason=f"{key} is not text")
    return found


def build_lambda_function(ctx: BuildContext) -> None:
    """``AWS::Lambda::Function``."""
    subnets, groups = _vpc_config(ctx.get("VpcConfig"))
    code = _obj(ctx.get("Code"))
    ctx.draft.add(LambdaFunction(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        function_name=as_text(ctx.get("FunctionName")), runtime=as_text(ctx.get("Runtime")),
        package_type=as_text(ctx.get("PackageType")), image_uri=as_text(code.get("ImageUri")),
        role=_ref(ctx.get("Role"), "role"), subnets=subnets, security_groups=groups,
        environment=_env(_obj(ctx.get("Environment")).get("Variables")),
        kms_key=_ref(ctx.get("KmsKeyArn"), "KMS key"),
        tracing_mode=as_text(_obj(ctx.get("TracingConfig")).get("Mode"))))


def build_lambda_url(ctx: BuildContext) -> None:
    """``AWS::Lambda::Url``."""
    cors = _obj(ctx.get("Cors"))
    origins = as_list(cors.get("AllowOrigins"))
    ctx.draft.add(LambdaFunctionUrl(
        id=ctx.id, source=ctx.source,
        function=as_ref(ctx.get("TargetFunctionArn"), "function"),
        authorization_type=as_text(ctx.get("AuthType")) or Unknown(reason="no AuthType"),
        cors_allow_origins=[origins] if isinstance(origins, Unknown)
        else [t if (t := as_text(o)) is not None else Unknown(reason="origin") for o in origins]))


def _container(ctx: BuildContext, item: Obj) -> ContainerDefinition:
    capabilities = _obj(_obj(item.get("LinuxParameters")).get("Capabilities"))
    adds = as_list(capabilities.get("Add"))
    return ContainerDefinition(
        name=as_text(item.get("Name")), image=as_text(item.get("Image")),
        essential=as_bool(item.get("Essential")), privileged=as_bool(item.get("Privileged")),
        user=as_text(item.get("User")),
        readonly_root_filesystem=as_bool(item.get("ReadonlyRootFilesystem")),
        port_mappings=[PortMapping(
            container_port=as_int(m.get("ContainerPort")), host_port=as_int(m.get("HostPort")),
            protocol=as_text(m.get("Protocol")) or "tcp") for m in _objs(item.get("PortMappings"))],
        environment={str(as_text(e.get("Name"))): as_text(e.get("Value")) or ""
                     for e in _objs(item.get("Environment"))},
        secrets={str(as_text(e.get("Name"))): as_text(e.get("ValueFrom")) or ""
                 for e in _objs(item.get("Secrets"))},
        mount_points=[MountPoint(
            source_volume=as_text(m.get("SourceVolume")),
            container_path=as_text(m.get("ContainerPath")),
            read_only=as_bool(m.get("ReadOnly"))) for m in _objs(item.get("MountPoints"))],
        linux_capabilities_add=[adds] if isinstance(adds, Unknown)
        else [t if (t := as_text(a)) is not None else Unknown(reason="capability") for a in adds],
        source=ctx.source_at(item.line))


def build_task_definition(ctx: BuildContext) -> None:
    """``AWS::ECS::TaskDefinition``."""
    containers = as_list(ctx.get("ContainerDefinitions"))
    compat = as_list(ctx.get("RequiresCompatibilities"))
    ctx.draft.add(EcsTaskDefinition(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        family=as_text(ctx.get("Family")), network_mode=as_text(ctx.get("NetworkMode")),
        requires_compatibilities=[compat] if isinstance(compat, Unknown)
        else [t for c in compat if (t := as_text(c)) is not None],
        containers=[] if isinstance(containers, Unknown)
        else [_container(ctx, c) for c in containers if isinstance(c, Obj)],
        containers_unknown=containers if isinstance(containers, Unknown) else None,
        volumes=[TaskVolume(
            name=as_text(v.get("Name")) or Unknown(reason="volume has no name"),
            host_path=as_text(_obj(v.get("Host")).get("SourcePath")))
            for v in _objs(ctx.get("Volumes"))],
        task_role=_ref(ctx.get("TaskRoleArn"), "role"),
        execution_role=_ref(ctx.get("ExecutionRoleArn"), "role"),
        pid_mode=as_text(ctx.get("PidMode")), ipc_mode=as_text(ctx.get("IpcMode"))))


def build_ecs_service(ctx: BuildContext) -> None:
    """``AWS::ECS::Service``."""
    network = _obj(_obj(ctx.get("NetworkConfiguration")).get("AwsvpcConfiguration"))
    public = as_text(network.get("AssignPublicIp"))
    ctx.draft.add(EcsService(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        cluster=_ref(ctx.get("Cluster"), "cluster"),
        task_definition=_ref(ctx.get("TaskDefinition"), "task definition"),
        launch_type=as_text(ctx.get("LaunchType")),
        subnets=as_refs(network.get("Subnets"), "subnet"),
        security_groups=as_refs(network.get("SecurityGroups"), "security group"),
        assign_public_ip=public if isinstance(public, Unknown)
        else None if public is None else public.upper() == "ENABLED",
        load_balancers=[EcsLoadBalancerBinding(
            target_group=_ref(b.get("TargetGroupArn"), "target group"),
            classic_load_balancer=_ref(b.get("LoadBalancerName"), "load balancer"),
            container_name=as_text(b.get("ContainerName")),
            container_port=as_int(b.get("ContainerPort")))
            for b in _objs(ctx.get("LoadBalancers"))]))


def build_ecs_cluster(ctx: BuildContext) -> None:
    """``AWS::ECS::Cluster``."""
    insights = None
    for item in _objs(ctx.get("ClusterSettings")):
        if as_text(item.get("Name")) == "containerInsights":
            value = as_text(item.get("Value"))
            insights = value if isinstance(value, Unknown) else value in ("enabled", "enhanced")
    ctx.draft.add(EcsCluster(id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
                             container_insights=insights))


def build_eks_cluster(ctx: BuildContext) -> None:
    """``AWS::EKS::Cluster``."""
    vpc = _obj(ctx.get("ResourcesVpcConfig"))
    public = as_bool(vpc.get("EndpointPublicAccess"))
    private = as_bool(vpc.get("EndpointPrivateAccess"))
    cidrs = as_list(vpc.get("PublicAccessCidrs"))
    logging = _obj(_obj(ctx.get("Logging")).get("ClusterLogging"))
    types = [t for item in _objs(logging.get("EnabledTypes"))
             if (t := as_text(item.get("Type"))) is not None]
    encryption = _objs(ctx.get("EncryptionConfig"))
    ctx.draft.add(EksCluster(
        id=ctx.id, source=ctx.source, version=as_text(ctx.get("Version")),
        role=_ref(ctx.get("RoleArn"), "role"),
        subnets=as_refs(vpc.get("SubnetIds"), "subnet"),
        security_groups=as_refs(vpc.get("SecurityGroupIds"), "security group"),
        endpoint_public_access=True if public is None else public,
        endpoint_private_access=False if private is None else private,
        public_access_cidrs=["0.0.0.0/0"] if cidrs == [] else [cidrs]
        if isinstance(cidrs, Unknown) else [t for c in cidrs if (t := as_text(c)) is not None],
        enabled_log_types=types,
        secrets_encryption_key=_ref(_obj(encryption[0].get("Provider")).get("KeyArn"), "KMS key")
        if encryption else None))


def build_db_subnet_group(ctx: BuildContext) -> None:
    """``AWS::RDS::DBSubnetGroup`` (also used for ElastiCache/Redshift subnet groups)."""
    ctx.draft.add(DbSubnetGroup(id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
                                subnets=as_refs(ctx.get("SubnetIds"), "subnet")))


def build_db_instance(ctx: BuildContext) -> None:
    """``AWS::RDS::DBInstance``: ``PubliclyAccessible`` defaults to false in a VPC."""
    public = as_bool(ctx.get("PubliclyAccessible"))
    ctx.draft.add(DbInstance(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        engine=as_text(ctx.get("Engine")), engine_version=as_text(ctx.get("EngineVersion")),
        cluster=_ref(ctx.get("DBClusterIdentifier"), "DB cluster"),
        publicly_accessible=False if public is None else public,
        subnet_group=_ref(ctx.get("DBSubnetGroupName"), "DB subnet group"),
        security_groups=as_refs(ctx.get("VPCSecurityGroups"), "security group"),
        port=as_int(ctx.get("Port")), storage_encrypted=as_bool(ctx.get("StorageEncrypted")),
        kms_key=_ref(ctx.get("KmsKeyId"), "KMS key"), multi_az=as_bool(ctx.get("MultiAZ")),
        auto_minor_version_upgrade=_default(as_bool(ctx.get("AutoMinorVersionUpgrade")), True),
        iam_database_authentication=as_bool(ctx.get("EnableIAMDatabaseAuthentication")),
        backup_retention_days=as_int(ctx.get("BackupRetentionPeriod")),
        deletion_protection=as_bool(ctx.get("DeletionProtection"))))


def build_db_cluster(ctx: BuildContext) -> None:
    """``AWS::RDS::DBCluster``."""
    ctx.draft.add(DbCluster(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        engine=as_text(ctx.get("Engine")), engine_version=as_text(ctx.get("EngineVersion")),
        subnet_group=_ref(ctx.get("DBSubnetGroupName"), "DB subnet group"),
        security_groups=as_refs(ctx.get("VpcSecurityGroupIds"), "security group"),
        port=as_int(ctx.get("Port")), storage_encrypted=as_bool(ctx.get("StorageEncrypted")),
        kms_key=_ref(ctx.get("KmsKeyId"), "KMS key"),
        iam_database_authentication=as_bool(ctx.get("EnableIAMDatabaseAuthentication")),
        backup_retention_days=as_int(ctx.get("BackupRetentionPeriod")),
        deletion_protection=as_bool(ctx.get("DeletionProtection"))))


def build_cache_cluster(ctx: BuildContext) -> None:
    """``AWS::ElastiCache::CacheCluster`` and ``ReplicationGroup``."""
    groups = ctx.get("VpcSecurityGroupIds") or ctx.get("SecurityGroupIds")
    ctx.draft.add(CacheCluster(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        engine=as_text(ctx.get("Engine")), engine_version=as_text(ctx.get("EngineVersion")),
        subnet_group=_ref(ctx.get("CacheSubnetGroupName"), "subnet group"),
        security_groups=as_refs(groups, "security group"), port=as_int(ctx.get("Port")),
        at_rest_encryption=as_bool(ctx.get("AtRestEncryptionEnabled")),
        transit_encryption=as_bool(ctx.get("TransitEncryptionEnabled")),
        auth_token_set=None if ctx.get("AuthToken") is None else True))


def build_redshift_cluster(ctx: BuildContext) -> None:
    """``AWS::Redshift::Cluster``: ``PubliclyAccessible`` defaults to true."""
    public = as_bool(ctx.get("PubliclyAccessible"))
    ctx.draft.add(RedshiftCluster(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        publicly_accessible=True if public is None else public,
        encrypted=as_bool(ctx.get("Encrypted")),
        subnet_group=_ref(ctx.get("ClusterSubnetGroupName"), "subnet group"),
        security_groups=as_refs(ctx.get("VpcSecurityGroupIds"), "security group"),
        port=as_int(ctx.get("Port")),
        logging_enabled=None if ctx.get("LoggingProperties") is None else True))


def build_opensearch_domain(ctx: BuildContext) -> None:
    """``AWS::OpenSearchService::Domain`` and ``AWS::Elasticsearch::Domain``."""
    subnets, groups = _vpc_config(ctx.get("VPCOptions"))
    endpoint = _obj(ctx.get("DomainEndpointOptions"))
    version = ctx.get("EngineVersion") or ctx.get("ElasticsearchVersion")
    ctx.draft.add(OpenSearchDomain(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        engine_version=as_text(version), subnets=subnets, security_groups=groups,
        encrypt_at_rest=_default(
            as_bool(_obj(ctx.get("EncryptionAtRestOptions")).get("Enabled")), False),
        node_to_node_encryption=_default(
            as_bool(_obj(ctx.get("NodeToNodeEncryptionOptions")).get("Enabled")), False),
        enforce_https=as_bool(endpoint.get("EnforceHTTPS")),
        tls_security_policy=as_text(endpoint.get("TLSSecurityPolicy")),
        access_policy=policy_document(ctx, ctx.get("AccessPolicies"))))


def build_efs(ctx: BuildContext) -> None:
    """``AWS::EFS::FileSystem``."""
    ctx.draft.add(EfsFileSystem(
        id=ctx.id, source=ctx.source, encrypted=as_bool(ctx.get("Encrypted")),
        kms_key=_ref(ctx.get("KmsKeyId"), "KMS key")))


def build_ebs_volume(ctx: BuildContext) -> None:
    """``AWS::EC2::Volume``."""
    ctx.draft.add(EbsVolume(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        encrypted=as_bool(ctx.get("Encrypted")), kms_key=_ref(ctx.get("KmsKeyId"), "KMS key"),
        availability_zone=as_text(ctx.get("AvailabilityZone"))))


def build_s3_bucket(ctx: BuildContext) -> None:
    """``AWS::S3::Bucket`` with its embedded configuration."""
    rules = _objs(_obj(ctx.get("BucketEncryption")).get("ServerSideEncryptionConfiguration"))
    default = _obj(rules[0].get("ServerSideEncryptionByDefault")) if rules else Obj()
    versioning = _obj(ctx.get("VersioningConfiguration")).get("Status")
    status = as_text(versioning)
    block = ctx.get("PublicAccessBlockConfiguration")
    logging = _obj(ctx.get("LoggingConfiguration"))
    ctx.draft.add(S3Bucket(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        bucket_name=as_text(ctx.get("BucketName")), acl=as_text(ctx.get("AccessControl")),
        versioning_enabled=None if status is None
        else status if isinstance(status, Unknown) else status == "Enabled",
        encryption_algorithm=as_text(default.get("SSEAlgorithm")),
        kms_key=_ref(default.get("KMSMasterKeyID"), "KMS key"),
        logging_target=_ref(logging.get("DestinationBucketName"), "bucket"),
        public_access_block=None if not isinstance(block, Obj) else PublicAccessBlock(**{
            field: as_bool(block.get(name)) or False for field, name in (
                ("block_public_acls", "BlockPublicAcls"),
                ("block_public_policy", "BlockPublicPolicy"),
                ("ignore_public_acls", "IgnorePublicAcls"),
                ("restrict_public_buckets", "RestrictPublicBuckets"))}),
        object_lock_enabled=as_bool(ctx.get("ObjectLockEnabled"))))


def build_bucket_policy(ctx: BuildContext) -> None:
    """``AWS::S3::BucketPolicy``: merged into its bucket."""
    ref = as_ref(ctx.get("Bucket"), "bucket")
    bucket = ctx.draft.get_other(ref, S3Bucket)
    if bucket is None:
        ctx.notice(f"bucket {ref} is not in this template; its policy is not modelled")
        return
    ctx.draft.add(bucket.model_copy(
        update={"policy": policy_document(ctx, ctx.get("PolicyDocument"))}))
