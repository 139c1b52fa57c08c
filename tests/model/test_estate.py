"""The Model container holds every kind of object, and round-trips through JSON."""

from __future__ import annotations

import policycheck.model as model_package
from policycheck.model import (
    IamRole,
    LoadBalancer,
    Model,
    ModelObject,
    PolicyDocument,
    SourceRef,
    Statement,
    Unknown,
    collection_for,
)

SRC = SourceRef(file="main.tf", line=3, address="x", resource_type="t")


def _kinds() -> list[type[ModelObject]]:
    return [obj for obj in vars(model_package).values()
            if isinstance(obj, type) and issubclass(obj, ModelObject) and obj is not ModelObject]


def test_every_model_object_kind_has_a_collection() -> None:
    collections = {collection_for(kind) for kind in _kinds()}
    assert len(collections) == len(_kinds()), "two kinds share a collection"


def test_model_round_trips_through_json_with_unknowns() -> None:
    role = IamRole(id="aws_iam_role.app", source=SRC, inline_policies=[PolicyDocument(
        statements=[Statement(effect="Allow", actions=["*"], resources=[
            Unknown(reason="data.aws_s3_bucket.logs is read at plan time")])])])
    lb = LoadBalancer(id="aws_lb.web", source=SRC, load_balancer_type="application",
                      subnets=["aws_subnet.a", Unknown(reason="var.subnet has no value")])
    model = Model(unit=".", iam_roles=[role], load_balancers=[lb])
    again = Model.model_validate_json(model.model_dump_json())
    assert again == model
    assert again.get("aws_lb.web") == lb and again.get(Unknown(reason="x")) is None
    assert [obj.id for obj in again.objects()] == ["aws_lb.web", "aws_iam_role.app"]
