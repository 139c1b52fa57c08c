"""Resolving intrinsic functions (``Ref``, ``Fn::GetAtt``, ``Fn::Sub``, ``Fn::If``...).

The resolver turns a decoded node into a plain value (see ``values``). What cannot be
known before deploy — pseudo parameters such as the account id, most resource
attributes, imports — is an ``Unknown`` with the reason, and propagates through
every function that uses it. Nothing in the template is executed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from policycheck.frontends.cloudformation import functions
from policycheck.frontends.cloudformation.conditions import Conditions
from policycheck.frontends.cloudformation.declarations import ResourceDecl
from policycheck.frontends.cloudformation.decode import line_of
from policycheck.frontends.cloudformation.sink import DiagnosticSink
from policycheck.frontends.cloudformation.values import (
    NO_VALUE,
    ArnOf,
    LogicalId,
    Obj,
    Value,
    as_text,
)
from policycheck.model import Unknown

MAX_DEPTH = 100
"""Deeper nesting is reported instead of recursed into."""

ID_ATTRIBUTES: dict[str, frozenset[str]] = {
    "AWS::EC2::VPC": frozenset({"VpcId"}),
    "AWS::EC2::Subnet": frozenset({"SubnetId"}),
    "AWS::EC2::SecurityGroup": frozenset({"GroupId"}),
    "AWS::EC2::RouteTable": frozenset({"RouteTableId"}),
    "AWS::EC2::InternetGateway": frozenset({"InternetGatewayId"}),
    "AWS::EC2::EgressOnlyInternetGateway": frozenset({"Id"}),
    "AWS::EC2::NatGateway": frozenset({"NatGatewayId"}),
    "AWS::EC2::NetworkAcl": frozenset({"Id"}),
    "AWS::EC2::NetworkInterface": frozenset({"Id"}),
    "AWS::EC2::EIP": frozenset({"AllocationId"}),
    "AWS::EC2::Instance": frozenset({"InstanceId"}),
}
"""``Fn::GetAtt`` attributes that return the resource's own id: the logical id."""

ARN_ATTRIBUTES = frozenset({"Arn", "KeyArn", "LoadBalancerArn", "TargetGroupArn",
                            "ListenerArn", "FunctionArn"})
"""ARN attributes: a reference to the resource where one is expected (``Role:
!GetAtt Role.Arn``), Unknown text elsewhere."""

PROPERTY_ATTRIBUTES: dict[tuple[str, str], str] = {
    ("AWS::EC2::VPC", "CidrBlock"): "CidrBlock",
    ("AWS::EC2::Subnet", "CidrBlock"): "CidrBlock",
    ("AWS::EC2::Subnet", "VpcId"): "VpcId",
    ("AWS::EC2::Subnet", "AvailabilityZone"): "AvailabilityZone",
    ("AWS::EC2::SecurityGroup", "VpcId"): "VpcId",
    ("AWS::EC2::NetworkInterface", "PrimaryPrivateIpAddress"): "PrivateIpAddress",
    ("AWS::EC2::Instance", "PrivateIp"): "PrivateIpAddress",
    ("AWS::EC2::Instance", "AvailabilityZone"): "AvailabilityZone",
}
"""``Fn::GetAtt`` attributes that repeat a property of the resource as written."""

DEFAULT_OBJECT_ATTRIBUTES = frozenset({"DefaultSecurityGroup", "DefaultNetworkAcl"})
"""VPC attributes naming the VPC's default objects: ``<VpcLogicalId>.<attribute>``."""

NOT_MODELLED_FUNCTIONS = frozenset({"Fn::Transform", "Fn::ForEach", "Fn::Equals",
                                    "Fn::And", "Fn::Or", "Fn::Not"})
"""CloudFormation functions that are valid somewhere but have no value here: a notice.
Any other unknown ``Fn::`` is an error (CloudFormation rejects the template)."""

_SUB_PLACEHOLDER = re.compile(r"\$\{(!?)([^}]*)\}")


def default_object_id(vpc: str, attribute: str) -> str:
    """Model id of a VPC's default security group or network ACL."""
    return f"{vpc}.{attribute}"


class NestedStacks(Protocol):
    """Opens the template of a nested stack (``AWS::CloudFormation::Stack``)."""

    def child(self, decl: ResourceDecl, parent: Resolver) -> Resolver | None: ...


class Resolver:
    """Resolves the values of one template."""

    def __init__(
        self,
        *,
        sink: DiagnosticSink,
        region: str,
        parameters: dict[str, Value],
        mappings: object,
        resources: dict[str, ResourceDecl],
        conditions: Conditions,
        prefix: str = "",
        types: dict[str, str] | None = None,
        nested: NestedStacks | None = None,
    ) -> None:
        self._sink = sink
        self.prefix = prefix
        """Prepended to logical ids to form model ids (a nested stack's ``Parent.``)."""
        self._types = types if types is not None else {}
        for decl in resources.values():
            self._types[prefix + decl.logical_id] = decl.type
        self._nested = nested
        self.outputs: dict[str, object] = {}
        """The template's Outputs section, read by a parent stack."""
        self._region = region
        self._parameters = parameters
        self._raw_mappings = mappings
        self._mappings: Value = None
        self._resources = resources
        self.conditions = conditions
        conditions.resolver = self
        self._attributes_in_progress: set[tuple[str, str]] = set()
        self._functions: dict[str, Callable[[object, int | None, int], Value]] = {
            "Ref": self._ref,
            "Fn::GetAtt": self._get_att,
            "Fn::Sub": self._sub,
            "Fn::If": self._if,
            "Fn::Join": lambda a, ln, d: functions.join(self._resolve(a, ln, d)),
            "Fn::Select": lambda a, ln, d: functions.select(self._resolve(a, ln, d)),
            "Fn::Split": lambda a, ln, d: functions.split(self._resolve(a, ln, d)),
            "Fn::FindInMap": lambda a, ln, d: functions.find_in_map(
                self._resolved_mappings(), self._resolve(a, ln, d)
            ),
            "Fn::GetAZs": lambda a, ln, d: functions.get_azs(self._resolve(a, ln, d), region),
            "Fn::Cidr": lambda a, ln, d: functions.cidr(self._resolve(a, ln, d)),
            "Fn::Base64": self._resolve,
            "Fn::ImportValue": self._import_value,
            "Fn::Length": lambda a, ln, d: functions.length(self._resolve(a, ln, d)),
            "Fn::ToJsonString": lambda a, ln, d: functions.to_json_string(
                self._resolve(a, ln, d)
            ),
        }

    def _resolved_mappings(self) -> Value:
        if self._mappings is None:
            self._mappings = self.resolve(self._raw_mappings)
        return self._mappings

    def resource_type(self, model_id: str) -> str | None:
        """The type of the resource with this model id (in any template of the stack tree)."""
        return self._types.get(model_id)

    def output(self, name: str, line: int | None) -> Value:
        """The value of this template's output ``name`` (for a parent stack)."""
        body = self.outputs.get(name)
        if not isinstance(body, dict) or "Value" not in body:
            self._sink.notice(line, f"output {name} is not defined in this template")
            return Unknown(reason=f"output {name} is not defined")
        if body.get("Condition") is not None and not self.conditions.is_true(
            str(body["Condition"]), line
        ):
            return Unknown(reason=f"output {name} is not created (its condition is false)")
        return self.resolve(body["Value"], line_of(body) or line)

    def resource_is_active(self, decl: ResourceDecl) -> bool:
        """Whether the resource is deployed: it has no Condition, or a true one."""
        return decl.condition is None or self.conditions.is_true(decl.condition, decl.line)

    def resolve(self, node: object, line: int | None = None) -> Value:
        """The value of a decoded node; ``line`` locates notices for nodes without marks."""
        return self._resolve(node, line, 0)

    def _resolve(self, node: object, line: int | None, depth: int) -> Value:
        line = line_of(node) or line
        if depth > MAX_DEPTH:
            self._sink.error(line, "value is nested too deeply; not resolved")
            return Unknown(reason="value nested too deeply")
        if isinstance(node, dict):
            if len(node) == 1:
                ((key, args),) = node.items()
                if key in self._functions:
                    return self._functions[key](args, line, depth + 1)
                if isinstance(key, str) and key.startswith("Fn::"):
                    return self._unsupported(key, line)
            resolved = Obj(line=line)
            for key, item in node.items():
                value = self._resolve(item, line, depth + 1)
                if value is not NO_VALUE:
                    resolved[str(key)] = value
            return resolved
        if isinstance(node, list):
            items = [self._resolve(item, line, depth + 1) for item in node]
            return [item for item in items if item is not NO_VALUE]
        if isinstance(node, str):
            return str(node)
        if node is None or isinstance(node, bool | int | float):
            return node
        return Unknown(reason=f"unsupported value {node!r}")

    def _unsupported(self, key: str, line: int | None) -> Unknown:
        if key in NOT_MODELLED_FUNCTIONS:
            self._sink.notice(line, f"{key} is not supported; its value is unknown")
            return Unknown(reason=f"{key} is not supported")
        # Not a CloudFormation function: CloudFormation rejects the template.
        self._sink.error(line, f"{key} is not an intrinsic function; its value is unknown")
        return Unknown(reason=f"{key} is not an intrinsic function")

    # -- Ref and attributes -------------------------------------------------------

    def _ref(self, args: object, line: int | None, depth: int) -> Value:
        name = self._resolve(args, line, depth)
        if not isinstance(name, str):
            self._sink.error(line, f"Ref needs a name, not {name!r}")
            return Unknown(reason="malformed Ref")
        return self.reference(name, line)

    def reference(self, name: str, line: int | None) -> Value:
        """What ``Ref: name`` yields: a parameter's value, a pseudo parameter, a logical id."""
        if name in self._parameters:
            return self._parameters[name]
        if name.startswith("AWS::"):
            return self._pseudo(name, line)
        decl = self._resources.get(name)
        if decl is None:
            self._sink.error(line, f"Ref to {name}, which is not a parameter or resource of "
                                   "this template (CloudFormation rejects it); its value is "
                                   "unknown")
            return Unknown(reason=f"{name} is not defined in this template")
        if not self.resource_is_active(decl):
            return self._inactive(decl, line)
        return LogicalId(self.prefix + name)

    def _pseudo(self, name: str, line: int | None) -> Value:
        known: dict[str, Value] = {
            "AWS::Region": self._region,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": NO_VALUE,
        }
        if name in known:
            return known[name]
        if name in ("AWS::AccountId", "AWS::StackId", "AWS::StackName", "AWS::NotificationARNs"):
            return Unknown(reason=f"{name} is known only at deploy")
        self._sink.error(line, f"Ref to unknown pseudo parameter {name} (CloudFormation "
                               "rejects it); its value is unknown")
        return Unknown(reason=f"unknown pseudo parameter {name}")

    def _inactive(self, decl: ResourceDecl, line: int | None) -> Unknown:
        message = f"{decl.logical_id} is not created (condition {decl.condition} is false)"
        self._sink.notice(line, f"reference to {message}")
        return Unknown(reason=message)

    def _get_att(self, args: object, line: int | None, depth: int) -> Value:
        resolved = self._resolve(args, line, depth)
        if isinstance(resolved, str) and "." in resolved:
            resolved = list[Value](resolved.split(".", 1))
        if not isinstance(resolved, list) or len(resolved) != 2:
            self._sink.error(line, f"Fn::GetAtt needs [resource, attribute], not {resolved!r}")
            return Unknown(reason="malformed Fn::GetAtt")
        name, attribute = as_text(resolved[0]), as_text(resolved[1])
        if isinstance(attribute, Unknown):
            return attribute
        if not isinstance(name, str) or not isinstance(attribute, str):
            self._sink.error(line, f"Fn::GetAtt needs [resource, attribute], not {resolved!r}")
            return Unknown(reason="malformed Fn::GetAtt")
        return self.attribute(name, attribute, line)

    def attribute(self, name: str, attribute: str, line: int | None) -> Value:
        """What ``Fn::GetAtt [name, attribute]`` yields, where it can be known pre-deploy."""
        decl = self._resources.get(name)
        if decl is None:
            self._sink.error(line, f"Fn::GetAtt of {name}, which is not a resource of this "
                                   "template (CloudFormation rejects it); its value is unknown")
            return Unknown(reason=f"{name} is not defined in this template")
        if not self.resource_is_active(decl):
            return self._inactive(decl, line)
        if attribute in ID_ATTRIBUTES.get(decl.type, frozenset()):
            return LogicalId(self.prefix + name)
        if attribute in ARN_ATTRIBUTES:
            return ArnOf(self.prefix + name)
        if decl.type == "AWS::EC2::VPC" and attribute in DEFAULT_OBJECT_ATTRIBUTES:
            return LogicalId(default_object_id(self.prefix + name, attribute))
        copied = PROPERTY_ATTRIBUTES.get((decl.type, attribute))
        if copied is not None:
            return self._property(decl, copied, line)
        if decl.type == "AWS::CloudFormation::Stack" and attribute.startswith("Outputs."):
            child = None if self._nested is None else self._nested.child(decl, self)
            if child is None:
                return Unknown(reason=f"nested stack {name} is not available locally")
            return child.output(attribute.removeprefix("Outputs."), line)
        return Unknown(reason=f"attribute {attribute} of {name} is known only after deploy")

    def _property(self, decl: ResourceDecl, prop: str, line: int | None) -> Value:
        key = (decl.logical_id, prop)
        if key in self._attributes_in_progress:
            self._sink.error(line, f"{decl.logical_id}.{prop} depends on itself")
            return Unknown(reason=f"{decl.logical_id}.{prop} depends on itself")
        self._attributes_in_progress.add(key)
        try:
            props = self.resolve(decl.properties, decl.line)
        finally:
            self._attributes_in_progress.discard(key)
        value = props.get(prop) if isinstance(props, Obj) else None
        if value is None:
            return Unknown(reason=f"{decl.logical_id} has no {prop}")
        return value

    def _import_value(self, args: object, line: int | None, depth: int) -> Value:
        name = as_text(self._resolve(args, line, depth))
        label = name if isinstance(name, str) else "a value"
        return Unknown(reason=f"Fn::ImportValue {label} is resolved only at deploy")

    # -- Fn::If and Fn::Sub ---------------------------------------------------------

    def _if(self, args: object, line: int | None, depth: int) -> Value:
        if not isinstance(args, list) or len(args) != 3 or not isinstance(args[0], str):
            self._sink.error(line, "Fn::If needs [condition, value if true, value if false]")
            return Unknown(reason="malformed Fn::If")
        chosen = args[1] if self.conditions.is_true(str(args[0]), line) else args[2]
        return self._resolve(chosen, line, depth)

    def _sub(self, args: object, line: int | None, depth: int) -> Value:
        variables: dict[str, Value] = {}
        text_node = args
        if isinstance(args, list):
            if len(args) != 2 or not isinstance(args[1], dict):
                self._sink.error(line, "Fn::Sub needs a string or [string, {variables}]")
                return Unknown(reason="malformed Fn::Sub")
            text_node = args[0]
            resolved_vars = self._resolve(args[1], line, depth)
            if isinstance(resolved_vars, Obj):
                variables = dict(resolved_vars)
        text = self._resolve(text_node, line, depth)
        if not isinstance(text, str):
            return text if isinstance(text, Unknown) else Unknown(reason="Fn::Sub needs a string")
        return self._substitute(text, variables, line)

    def _substitute(self, text: str, variables: dict[str, Value], line: int | None) -> Value:
        parts: list[str] = []
        values: list[Value] = []
        position = 0
        for match in _SUB_PLACEHOLDER.finditer(text):
            parts.append(text[position : match.start()])
            position = match.end()
            if match.group(1):  # ${!Literal} stands for the text ${Literal}
                parts.append("${" + match.group(2) + "}")
                continue
            value = self._placeholder(match.group(2).strip(), variables, line)
            values.append(value)
            piece = as_text(value)
            if isinstance(piece, Unknown):
                return piece
            if piece is None:
                return Unknown(reason=f"Fn::Sub cannot substitute {match.group(0)}")
            parts.append(piece)
        parts.append(text[position:])
        whole = "".join(parts)
        if len(values) == 1 and isinstance(values[0], LogicalId) and whole == values[0]:
            return values[0]  # "${Vpc}" is still a reference to Vpc
        return whole

    def _placeholder(self, name: str, variables: dict[str, Value], line: int | None) -> Value:
        if name in variables:
            return variables[name]
        if "." in name and not name.startswith("AWS::"):
            resource, attribute = name.split(".", 1)
            return self.attribute(resource, attribute, line)
        return self.reference(name, line)
