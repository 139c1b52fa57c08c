"""The whole model of one assessed unit (a Terraform root module or a template)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from policycheck.model.audit import (
    CloudTrail,
    ConfigRecorder,
    FlowLog,
    KmsKey,
    LogMetricFilter,
    MetricAlarm,
    SecurityHubAccount,
)
from policycheck.model.base import ModelObject, Suppression
from policycheck.model.compute import (
    AutoScalingGroup,
    EbsEncryptionByDefault,
    EbsVolume,
    ImageDescription,
    Instance,
    LaunchTemplate,
    NetworkInterface,
)
from policycheck.model.containers import EcsCluster, EcsService, EcsTaskDefinition, EksCluster
from policycheck.model.datastores import (
    AccountPublicAccessBlock,
    CacheCluster,
    DbCluster,
    DbInstance,
    DbSubnetGroup,
    EfsFileSystem,
    OpenSearchDomain,
    RedshiftCluster,
    S3Bucket,
)
from policycheck.model.iam import (
    IamGroup,
    IamInstanceProfile,
    IamPolicy,
    IamPolicyAttachment,
    IamRole,
    IamUser,
    PasswordPolicy,
)
from policycheck.model.load_balancing import (
    LbListener,
    LoadBalancer,
    TargetGroup,
    TargetGroupAttachment,
)
from policycheck.model.network import (
    CustomerGateway,
    EgressOnlyInternetGateway,
    ElasticIp,
    InternetGateway,
    MainRouteTableAssociation,
    NatGateway,
    NetworkAcl,
    RouteTable,
    RouteTableAssociation,
    SecurityGroup,
    Subnet,
    TransitGateway,
    TransitGatewayAttachment,
    Vpc,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)
from policycheck.model.serverless import LambdaFunction, LambdaFunctionUrl


class Model(BaseModel):
    """Every modelled object of one unit, by kind, in declaration order."""

    model_config = ConfigDict(extra="forbid")

    unit: str
    """The assessed unit, relative to the scanned folder (``.`` for the folder itself)."""
    # Network
    vpcs: list[Vpc] = []
    subnets: list[Subnet] = []
    route_tables: list[RouteTable] = []
    route_table_associations: list[RouteTableAssociation] = []
    main_route_table_associations: list[MainRouteTableAssociation] = []
    internet_gateways: list[InternetGateway] = []
    egress_only_internet_gateways: list[EgressOnlyInternetGateway] = []
    nat_gateways: list[NatGateway] = []
    elastic_ips: list[ElasticIp] = []
    network_acls: list[NetworkAcl] = []
    security_groups: list[SecurityGroup] = []
    vpn_gateways: list[VpnGateway] = []
    customer_gateways: list[CustomerGateway] = []
    vpn_connections: list[VpnConnection] = []
    vpc_peering_connections: list[VpcPeeringConnection] = []
    transit_gateways: list[TransitGateway] = []
    transit_gateway_attachments: list[TransitGatewayAttachment] = []
    vpc_endpoints: list[VpcEndpoint] = []
    # Compute
    network_interfaces: list[NetworkInterface] = []
    instances: list[Instance] = []
    images: list[ImageDescription] = []
    launch_templates: list[LaunchTemplate] = []
    autoscaling_groups: list[AutoScalingGroup] = []
    ebs_volumes: list[EbsVolume] = []
    ebs_encryption_by_default: list[EbsEncryptionByDefault] = []
    # Load balancing
    load_balancers: list[LoadBalancer] = []
    lb_listeners: list[LbListener] = []
    target_groups: list[TargetGroup] = []
    target_group_attachments: list[TargetGroupAttachment] = []
    # Containers and serverless
    ecs_clusters: list[EcsCluster] = []
    ecs_task_definitions: list[EcsTaskDefinition] = []
    ecs_services: list[EcsService] = []
    eks_clusters: list[EksCluster] = []
    lambda_functions: list[LambdaFunction] = []
    lambda_function_urls: list[LambdaFunctionUrl] = []
    # Data stores
    db_subnet_groups: list[DbSubnetGroup] = []
    db_instances: list[DbInstance] = []
    db_clusters: list[DbCluster] = []
    cache_clusters: list[CacheCluster] = []
    redshift_clusters: list[RedshiftCluster] = []
    opensearch_domains: list[OpenSearchDomain] = []
    efs_file_systems: list[EfsFileSystem] = []
    s3_buckets: list[S3Bucket] = []
    account_public_access_blocks: list[AccountPublicAccessBlock] = []
    # Identity
    iam_roles: list[IamRole] = []
    iam_users: list[IamUser] = []
    iam_groups: list[IamGroup] = []
    iam_policies: list[IamPolicy] = []
    iam_policy_attachments: list[IamPolicyAttachment] = []
    iam_instance_profiles: list[IamInstanceProfile] = []
    password_policies: list[PasswordPolicy] = []
    # Logging and keys
    cloudtrails: list[CloudTrail] = []
    config_recorders: list[ConfigRecorder] = []
    kms_keys: list[KmsKey] = []
    flow_logs: list[FlowLog] = []
    log_metric_filters: list[LogMetricFilter] = []
    metric_alarms: list[MetricAlarm] = []
    security_hub_accounts: list[SecurityHubAccount] = []

    suppressions: list[Suppression] = []
    """Suppressions written in the unit's files (not model objects: ``objects()`` skips them)."""

    def objects(self) -> Iterator[ModelObject]:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, list):
                yield from (item for item in value if isinstance(item, ModelObject))

    @cached_property
    def by_id(self) -> dict[str, ModelObject]:
        return {obj.id: obj for obj in self.objects()}

    def get(self, ref: object) -> ModelObject | None:
        """The object a reference names, or None (Unknown, dangling or not a reference)."""
        if isinstance(ref, str):
            return self.by_id.get(ref)
        return None


def collection_for(kind: type[ModelObject]) -> str:
    """The Model field that holds objects of ``kind`` (for front-ends adding objects)."""
    for name, field in Model.model_fields.items():
        annotation = field.annotation
        if getattr(annotation, "__args__", (None,))[0] is kind:
            return name
    raise KeyError(kind.__name__)
