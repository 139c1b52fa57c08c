"""The model under construction, and what each resource builder is given."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from policycheck.frontends.cloudformation.declarations import ResourceDecl
from policycheck.frontends.cloudformation.intrinsics import Resolver
from policycheck.frontends.cloudformation.sink import DiagnosticSink
from policycheck.frontends.cloudformation.values import Obj, Value
from policycheck.model import (
    EgressOnlyInternetGateway,
    ElasticIp,
    Instance,
    InternetGateway,
    Model,
    ModelObject,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    RouteTable,
    RouteTableAssociation,
    SecurityGroup,
    SourceRef,
    Subnet,
    Vpc,
)
from policycheck.model.estate import collection_for

T = TypeVar("T", bound=ModelObject)


@dataclass
class ModelDraft:
    """Model objects by id, in template order; later resources replace merged copies."""

    vpcs: dict[str, Vpc] = field(default_factory=dict)
    subnets: dict[str, Subnet] = field(default_factory=dict)
    route_tables: dict[str, RouteTable] = field(default_factory=dict)
    route_table_associations: dict[str, RouteTableAssociation] = field(default_factory=dict)
    internet_gateways: dict[str, InternetGateway] = field(default_factory=dict)
    egress_only_internet_gateways: dict[str, EgressOnlyInternetGateway] = field(
        default_factory=dict
    )
    nat_gateways: dict[str, NatGateway] = field(default_factory=dict)
    elastic_ips: dict[str, ElasticIp] = field(default_factory=dict)
    network_acls: dict[str, NetworkAcl] = field(default_factory=dict)
    security_groups: dict[str, SecurityGroup] = field(default_factory=dict)
    network_interfaces: dict[str, NetworkInterface] = field(default_factory=dict)
    instances: dict[str, Instance] = field(default_factory=dict)
    group_names: dict[str, str] = field(default_factory=dict)
    """Security-group GroupName → logical id, for references by name (default VPC)."""
    others: dict[str, ModelObject] = field(default_factory=dict)
    """Every other kind of object by id; ``to_model`` files each in its collection."""

    def add(self, obj: ModelObject) -> None:
        """Add (or replace, when merging a separate resource in) an object of another kind."""
        self.others[obj.id] = obj

    def get_other(self, ref: object, kind: type[T]) -> T | None:
        """The object of ``kind`` with id ``ref``, None when absent or of another kind."""
        obj = self.others.get(ref) if isinstance(ref, str) else None
        return obj if isinstance(obj, kind) else None

    def to_model(self, unit: str) -> Model:
        """The finished model of the template."""
        grouped: dict[str, list[ModelObject]] = {}
        for obj in self.others.values():
            grouped.setdefault(collection_for(type(obj)), []).append(obj)
        return Model(
            **grouped,
            unit=unit,
            vpcs=list(self.vpcs.values()),
            subnets=list(self.subnets.values()),
            route_tables=list(self.route_tables.values()),
            route_table_associations=list(self.route_table_associations.values()),
            internet_gateways=list(self.internet_gateways.values()),
            egress_only_internet_gateways=list(self.egress_only_internet_gateways.values()),
            nat_gateways=list(self.nat_gateways.values()),
            elastic_ips=list(self.elastic_ips.values()),
            network_acls=list(self.network_acls.values()),
            security_groups=list(self.security_groups.values()),
            network_interfaces=list(self.network_interfaces.values()),
            instances=list(self.instances.values()),
        )


@dataclass
class BuildContext:
    """One resource being mapped: its declaration, resolved properties and the draft."""

    decl: ResourceDecl
    props: Obj
    file: str
    draft: ModelDraft
    sink: DiagnosticSink
    resolver: Resolver

    @property
    def id(self) -> str:
        """The model id: the logical id, after the nested-stack prefix if any."""
        return self.resolver.prefix + self.decl.logical_id

    @property
    def source(self) -> SourceRef:
        """The SourceRef of the resource: the line of its logical-id key."""
        return self.source_at(self.decl.line)

    def source_at(self, line: int | None) -> SourceRef:
        """A SourceRef for a sub-object (rule, route) declared at ``line``."""
        return SourceRef(
            file=self.file,
            line=line or self.decl.line,
            address=self.id,
            resource_type=self.decl.type,
        )

    def get(self, name: str) -> Value:
        """A resolved property, None when absent."""
        return self.props.get(name)

    def get_raw(self, name: str) -> object:
        """A property as written (before intrinsics are resolved), None when absent."""
        props = self.decl.properties
        return props.get(name) if isinstance(props, dict) else None

    def notice(self, message: str, line: int | None = None) -> None:
        self.sink.notice(line or self.decl.line, f"{self.id}: {message}")
