"""construct builds the same records as pydantic's model_construct."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from policycheck.model.base import SourceRef
from policycheck.reachability.result import EndpointVerdict, Exposure, Hop, PathKind
from policycheck.reachability.trusted import construct


def _exposure_values() -> dict[str, object]:
    source = SourceRef(file="main.tf", line=3, address="aws_instance.web",
                       resource_type="aws_instance")
    hop = Hop(type="SecurityGroup", resource="sg", detail="allow tcp 22")
    return {"target": "aws_instance.web", "target_source": source, "interface": "eni",
            "path_kind": PathKind.IGW, "protocol": "tcp", "ports": ((22, 22),),
            "sources": ("0.0.0.0/0",), "path": (hop,)}


def test_same_record_as_model_construct() -> None:
    values = _exposure_values()
    built = construct(Exposure, **values)
    expected = Exposure.model_construct(**values)  # type: ignore[arg-type]
    assert built == expected
    assert built.model_dump_json() == expected.model_dump_json()
    assert built.model_fields_set == expected.model_fields_set
    assert built.listener is None and built.assumptions == ()


def test_verdict_defaults() -> None:
    verdict = construct(EndpointVerdict, target="t", interface="i", path_kind=PathKind.IGW,
                        address_family="ipv4", reachable=True)
    assert verdict.blockers == ()
    assert verdict == EndpointVerdict(target="t", interface="i", path_kind=PathKind.IGW,
                                      address_family="ipv4", reachable=True)


def test_missing_required_value_is_an_error() -> None:
    with pytest.raises(TypeError, match="reachable"):
        construct(EndpointVerdict, target="t", interface="i", path_kind=PathKind.IGW,
                  address_family="ipv4")


def test_models_with_factories_fall_back() -> None:
    from pydantic import Field

    class WithFactory(BaseModel):
        items: list[int] = Field(default_factory=list)

    first, second = construct(WithFactory), construct(WithFactory)
    assert first.items == [] and first.items is not second.items
