"""One typed model of the virtual AWS network and hosts, whatever format it came from."""

from policycheck.model.addresses import canonical_cidr, canonical_protocol, is_ipv6_cidr
from policycheck.model.base import (
    ModelObject,
    Ref,
    SourceRef,
    Suppression,
    Unknown,
    is_unknown,
)
from policycheck.model.compute import Instance, InterfaceAttachment, NetworkInterface
from policycheck.model.estate import Model
from policycheck.model.network import (
    EgressOnlyInternetGateway,
    ElasticIp,
    InternetGateway,
    MainRouteTableAssociation,
    NaclEntry,
    NatGateway,
    NetworkAcl,
    Route,
    RouteTable,
    RouteTableAssociation,
    RouteTargetKind,
    SecurityGroup,
    SgRule,
    Subnet,
    Vpc,
)

__all__ = [
    "EgressOnlyInternetGateway",
    "ElasticIp",
    "Instance",
    "InterfaceAttachment",
    "InternetGateway",
    "MainRouteTableAssociation",
    "Model",
    "ModelObject",
    "NaclEntry",
    "NatGateway",
    "NetworkAcl",
    "NetworkInterface",
    "Ref",
    "Route",
    "RouteTable",
    "RouteTableAssociation",
    "RouteTargetKind",
    "SecurityGroup",
    "SgRule",
    "SourceRef",
    "Subnet",
    "Suppression",
    "Unknown",
    "Vpc",
    "canonical_cidr",
    "canonical_protocol",
    "is_ipv6_cidr",
    "is_unknown",
]
