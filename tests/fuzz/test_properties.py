"""Property tests: port interval sets against Python sets, the Terraform evaluator and
the CloudFormation intrinsics against Python's own arithmetic and joins."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from policycheck.frontends.cloudformation import load_cloudformation
from policycheck.frontends.interface import CloudFormationInputs, TerraformInputs
from policycheck.frontends.terraform import load_terraform
from policycheck.reachability.sets import IntervalSet

ranges = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=5)


def _interval(pairs: list[tuple[int, int]]) -> IntervalSet:
    result = IntervalSet()
    for low, high in pairs:
        result = result | IntervalSet.closed(low, high)
    return result


def _members(pairs: list[tuple[int, int]]) -> set[int]:
    return {n for low, high in pairs for n in range(low, high + 1)}


def _as_set(interval: IntervalSet) -> set[int]:
    return {n for start, end in interval.spans for n in range(start, end)}


@given(ranges, ranges)
def test_interval_sets_behave_as_sets(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> None:
    left, right = _interval(a), _interval(b)
    assert _as_set(left) == _members(a)
    assert _as_set(left | right) == _members(a) | _members(b)
    assert _as_set(left & right) == _members(a) & _members(b)
    assert _as_set(left - right) == _members(a) - _members(b)
    assert all(n in left for n in _members(a))
    spans = (left | right).spans
    assert all(s1[1] < s2[0] for s1, s2 in pairwise(spans))  # disjoint, not adjacent


def _bucket_tag(tmp: Path, expression: str) -> object:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "main.tf").write_text(
        'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n'
        f'  tags = {{ v = {expression} }}\n}}\n', encoding="utf-8")
    model = load_terraform(tmp, tmp, TerraformInputs()).model
    return model.s3_buckets[0].tags.get("v")


@given(st.integers(-10**6, 10**6), st.integers(-10**6, 10**6),
       st.sampled_from(["+", "-", "*"]))
def test_terraform_arithmetic_matches_python(tmp_path_factory: object, a: int, b: int,
                                             op: str) -> None:
    folder = tmp_path_factory.mktemp("tf")  # type: ignore[attr-defined]
    expected = {"+": a + b, "-": a - b, "*": a * b}[op]
    assert _bucket_tag(folder, f"tostring({a} {op} {b})") == str(expected)


words = st.lists(st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=6),
                 min_size=1, max_size=5)


@given(words, st.sampled_from(["-", ",", "", "::"]))
def test_terraform_join_and_template(tmp_path_factory: object, items: list[str],
                                     separator: str) -> None:
    folder = tmp_path_factory.mktemp("tf")  # type: ignore[attr-defined]
    listed = ", ".join(f'"{w}"' for w in items)
    assert _bucket_tag(folder, f'join("{separator}", [{listed}])') == separator.join(items)
    assert _bucket_tag(folder, f'"<${{join("{separator}", [{listed}])}}>"') == (
        f"<{separator.join(items)}>")


@given(words, st.sampled_from(["-", ",", "", "::"]), st.integers(0, 4))
def test_cloudformation_join_and_select(tmp_path_factory: object, items: list[str],
                                        separator: str, index: int) -> None:
    folder = tmp_path_factory.mktemp("cfn")  # type: ignore[attr-defined]
    listed = ", ".join(f'"{w}"' for w in items)
    template = folder / "t.yaml"
    template.write_text(
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n"
        f'        - {{Key: j, Value: {{"Fn::Join": ["{separator}", [{listed}]]}}}}\n'
        f'        - {{Key: s, Value: {{"Fn::Select": [{index}, [{listed}]]}}}}\n',
        encoding="utf-8")
    result = load_cloudformation(template, folder, CloudFormationInputs())
    tags = result.model.s3_buckets[0].tags
    assert tags["j"] == separator.join(items)
    if index < len(items):
        assert tags["s"] == items[index]
    else:
        assert not isinstance(tags.get("s"), str) or tags.get("s") is None
