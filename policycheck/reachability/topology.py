"""The network as a graph, and the lookups every path needs.

Nodes are model objects by id (VPCs, subnets, route tables, gateways, NACLs, security
groups, interfaces); edges say how they relate (``in``, ``attached``, ``associated``,
``main``, ``guards``...). AWS fills gaps with implicit objects — the implicit main route
table, the default NACL and security group, the account's default VPC — so the topology
adds *synthetic* model objects for them, marked by ``IMPLICIT`` as their source, and
later analyses need not special-case them.
"""

from __future__ import annotations

from dataclasses import dataclass

from policycheck.model import (
    InternetGateway,
    Model,
    ModelObject,
    NaclEntry,
    NetworkAcl,
    Route,
    RouteTable,
    RouteTargetKind,
    SecurityGroup,
    SgRule,
    SourceRef,
    Subnet,
    Unknown,
    Vpc,
)

IMPLICIT_TYPE = "(implicit)"
DEFAULT_VPC_ID = "default VPC"
DEFAULT_VPC_SUBNET_ID = "default VPC subnet"
DEFAULT_VPC_IGW_ID = "default VPC internet gateway"
DEFAULT_VPC_ASSUMPTION = "default VPC assumed (resource has no subnet)"


def implicit_source(address: str) -> SourceRef:
    """The source of an object AWS creates implicitly (no line to point at)."""
    return SourceRef(file="", line=0, address=address, resource_type=IMPLICIT_TYPE)


def declared_source(source: SourceRef) -> SourceRef | None:
    """``source``, or None for implicit AWS defaults."""
    return None if source.resource_type == IMPLICIT_TYPE else source


def is_implicit(obj: ModelObject) -> bool:
    return obj.source.resource_type == IMPLICIT_TYPE


@dataclass(frozen=True)
class GatewayChoice:
    """The internet gateway attached to a VPC, and what was assumed to find it."""

    gateway: InternetGateway | None
    assumptions: tuple[str, ...] = ()


class Topology:
    """The model as a networkx graph plus the AWS defaults it implies."""

    def __init__(self, model: Model) -> None:
        self.model = model
        import networkx as nx  # a large import: only when a unit is analysed

        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        for obj in model.objects():
            self.graph.add_node(obj.id, kind=obj.kind, obj=obj)
        self._add_default_vpc()
        self._link()
        self._table_of: dict[str, object] = {}
        for assoc in model.route_table_associations:
            if isinstance(assoc.subnet, str):
                self._table_of.setdefault(assoc.subnet, assoc.route_table)
        self._main_of: dict[str, object] = {}
        for main in model.main_route_table_associations:
            if isinstance(main.vpc, str):
                self._main_of.setdefault(main.vpc, main.route_table)
        self._default_groups: dict[str, SecurityGroup] = {}

    # -- construction -------------------------------------------------------------

    def _add_default_vpc(self) -> None:
        """The account's default VPC, for resources placed in no VPC."""
        vpc = Vpc(
            id=DEFAULT_VPC_ID,
            source=implicit_source(DEFAULT_VPC_ID),
            cidr_blocks=["172.31.0.0/16"],
            is_default=True,
        )
        subnet = Subnet(
            id=DEFAULT_VPC_SUBNET_ID,
            source=implicit_source(DEFAULT_VPC_SUBNET_ID),
            vpc=DEFAULT_VPC_ID,
            cidr_block="172.31.0.0/20",
            map_public_ip_on_launch=True,
        )
        igw = InternetGateway(
            id=DEFAULT_VPC_IGW_ID, source=implicit_source(DEFAULT_VPC_IGW_ID), vpc=DEFAULT_VPC_ID
        )
        table_id = f"{DEFAULT_VPC_ID} main route table"
        table = RouteTable(
            id=table_id,
            source=implicit_source(table_id),
            vpc=DEFAULT_VPC_ID,
            is_main=True,
            routes=[
                Route(
                    destination="0.0.0.0/0",
                    target_kind=RouteTargetKind.INTERNET_GATEWAY,
                    target=DEFAULT_VPC_IGW_ID,
                    source=implicit_source(table_id),
                )
            ],
        )
        for obj in (vpc, subnet, igw, table):
            self.graph.add_node(obj.id, kind=obj.kind, obj=obj)

    def _edge(self, source: object, target: object, relation: str) -> None:
        if isinstance(source, str) and isinstance(target, str):
            self.graph.add_edge(source, target, key=relation, relation=relation)

    def _link(self) -> None:
        model = self.model
        for subnet in model.subnets:
            self._edge(subnet.id, subnet.vpc, "in")
        self._edge(DEFAULT_VPC_SUBNET_ID, DEFAULT_VPC_ID, "in")
        for igw in [*model.internet_gateways, self.obj(DEFAULT_VPC_IGW_ID)]:
            if isinstance(igw, InternetGateway):
                self._edge(igw.id, igw.vpc, "attached")
        for eigw in model.egress_only_internet_gateways:
            self._edge(eigw.id, eigw.vpc, "attached")
        for table in [*model.route_tables, self.obj(f"{DEFAULT_VPC_ID} main route table")]:
            if isinstance(table, RouteTable):
                self._edge(table.id, table.vpc, "in")
                if table.is_main:
                    self._edge(table.vpc, table.id, "main")
        for main in model.main_route_table_associations:
            self._edge(main.vpc, main.route_table, "main_association")
        for assoc in model.route_table_associations:
            self._edge(assoc.subnet, assoc.route_table, "associated")
        for acl in model.network_acls:
            self._edge(acl.id, acl.vpc, "in")
            for subnet_ref in acl.subnets:
                self._edge(acl.id, subnet_ref, "guards")
        for group in model.security_groups:
            self._edge(group.id, group.vpc or DEFAULT_VPC_ID, "in")

    # -- lookups ------------------------------------------------------------------

    def obj(self, ref: object) -> ModelObject | None:
        """The (possibly synthetic) object with id ``ref``."""
        if isinstance(ref, str) and ref in self.graph:
            found = self.graph.nodes[ref].get("obj")
            return found if isinstance(found, ModelObject) else None
        return None

    def _related(self, node: str, relation: str, *, incoming: bool) -> list[str]:
        if node not in self.graph:
            return []
        edges = (
            self.graph.in_edges(node, keys=True)
            if incoming
            else self.graph.out_edges(node, keys=True)
        )
        return [(a if incoming else b) for a, b, key in edges if key == relation]

    def subnet(self, ref: object) -> Subnet | None:
        found = self.obj(ref)
        return found if isinstance(found, Subnet) else None

    def vpc(self, vpc_id: str) -> Vpc:
        """The VPC ``vpc_id``; an undeclared one is modelled as a VPC with no known blocks."""
        found = self.obj(vpc_id)
        if isinstance(found, Vpc):
            return found
        return Vpc(id=vpc_id, source=implicit_source(vpc_id))

    def internet_gateway(self, vpc_id: str) -> GatewayChoice:
        """The IGW attached to the VPC; one whose VPC is unknown is assumed attached."""
        for igw_id in sorted(self._related(vpc_id, "attached", incoming=True)):
            igw = self.obj(igw_id)
            if isinstance(igw, InternetGateway):
                return GatewayChoice(igw)
        for igw in self.model.internet_gateways:
            if isinstance(igw.vpc, Unknown):
                return GatewayChoice(igw, (igw.vpc.reason,))
        return GatewayChoice(None)

    def route_table(self, subnet: Subnet) -> RouteTable:
        """Explicit association, else the main table (association, ``is_main``, implicit)."""
        if subnet.id in self._table_of:
            return self._table(self._table_of[subnet.id], subnet.vpc)
        vpc_id = subnet.vpc if isinstance(subnet.vpc, str) else ""
        if vpc_id in self._main_of:
            return self._table(self._main_of[vpc_id], vpc_id)
        for table_id in self._related(vpc_id, "main", incoming=False):
            table = self.obj(table_id)
            if isinstance(table, RouteTable):
                return table
        table_id = f"{vpc_id} implicit main route table"
        return RouteTable(id=table_id, source=implicit_source(table_id), vpc=vpc_id, is_main=True)

    def _table(self, ref: object, vpc: object) -> RouteTable:
        table = self.obj(ref)
        if isinstance(table, RouteTable):
            return table
        reason = (
            ref.reason if isinstance(ref, Unknown) else f"route table {ref} is not in the model"
        )
        unknown = Unknown(reason=reason)
        table_id = f"unknown route table ({reason})"
        routes = [
            Route(
                destination=destination,
                target_kind=RouteTargetKind.UNKNOWN,
                target=unknown,
                source=implicit_source(table_id),
            )
            for destination in ("0.0.0.0/0", "::/0")
        ]
        return RouteTable(
            id=table_id,
            source=implicit_source(table_id),
            vpc=vpc if isinstance(vpc, str) else "",
            routes=routes,
        )

    def network_acl(self, subnet: Subnet) -> NetworkAcl:
        """The NACL guarding the subnet, else the VPC's default NACL (declared or implicit)."""
        for acl_id in self._related(subnet.id, "guards", incoming=True):
            acl = self.obj(acl_id)
            if isinstance(acl, NetworkAcl):
                return acl
        vpc_id = subnet.vpc if isinstance(subnet.vpc, str) else ""
        for acl in self.model.network_acls:
            if acl.is_default and acl.vpc == vpc_id:
                return acl
        return self._implicit_default_acl(self.vpc(vpc_id))

    def _implicit_default_acl(self, vpc: Vpc) -> NetworkAcl:
        acl_id = f"{vpc.id} default network ACL"
        source = implicit_source(acl_id)
        cidrs = ["0.0.0.0/0"] + (["::/0"] if vpc.ipv6_cidr_blocks else [])
        entries = [
            NaclEntry(
                rule_number=100 + offset,
                egress=egress,
                protocol="all",
                action="allow",
                cidr=cidr,
                source=source,
            )
            for egress in (False, True)
            for offset, cidr in enumerate(cidrs)
        ]
        return NetworkAcl(id=acl_id, source=source, vpc=vpc.id, entries=entries, is_default=True)

    def security_group(self, ref: str | Unknown) -> SecurityGroup:
        """The group ``ref``; an unknown or undeclared group may allow anything."""
        group = self.obj(ref)
        if isinstance(group, SecurityGroup):
            return group
        reason = (
            ref.reason if isinstance(ref, Unknown) else f"security group {ref} is not in the model"
        )
        group_id = ref if isinstance(ref, str) else f"unknown security group ({reason})"
        unknown = Unknown(reason=reason)
        rule = SgRule(
            direction="ingress", protocol=unknown, cidr=unknown, source=implicit_source(group_id)
        )
        return SecurityGroup(id=group_id, source=implicit_source(group_id), rules=[rule])

    def default_security_group(self, vpc_id: str) -> SecurityGroup:
        """The VPC's default group: declared with ``is_default``, else AWS's implicit one,
        which admits traffic only from itself."""
        known = self._default_groups.get(vpc_id)
        if known is None:
            known = self._default_groups[vpc_id] = self._find_default_group(vpc_id)
        return known

    def _find_default_group(self, vpc_id: str) -> SecurityGroup:
        in_default_vpc = vpc_id == DEFAULT_VPC_ID
        for group in self.model.security_groups:
            if group.is_default and (group.vpc == vpc_id or (in_default_vpc and group.vpc is None)):
                return group
        group_id = f"{vpc_id} default security group"
        rule = SgRule(
            direction="ingress",
            protocol="all",
            security_group=group_id,
            source=implicit_source(group_id),
        )
        return SecurityGroup(
            id=group_id, source=implicit_source(group_id), vpc=vpc_id, rules=[rule], is_default=True
        )
