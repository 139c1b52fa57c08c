"""The whole model of one assessed unit (a Terraform root module or a template)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from policycheck.model.base import ModelObject, Suppression
from policycheck.model.compute import Instance, NetworkInterface
from policycheck.model.network import (
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
    Vpc,
)


class Model(BaseModel):
    """Every modelled object of one unit, by kind, in declaration order."""

    model_config = ConfigDict(extra="forbid")

    unit: str
    """The assessed unit, relative to the scanned folder (``.`` for the folder itself)."""
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
    network_interfaces: list[NetworkInterface] = []
    instances: list[Instance] = []
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
