"""The interval-set and service-line primitives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policycheck.reachability.sets import (
    ALL_SERVICES,
    IntervalSet,
    cidrs_of,
    internet_addresses,
    ip_set,
    protocols_of,
    return_ports,
    rule_services,
    split_by_protocol,
)

spans = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=5)


def _points(value: IntervalSet) -> set[int]:
    return {point for start, end in value.spans for point in range(start, end)}


@settings(max_examples=200, derandomize=True, deadline=None)
@given(spans, spans)
def test_interval_set_matches_python_sets(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    left, right = IntervalSet(a), IntervalSet(b)
    assert _points(left | right) == _points(left) | _points(right)
    assert _points(left & right) == _points(left) & _points(right)
    assert _points(left - right) == _points(left) - _points(right)
    # canonical: equal sets have equal spans
    assert IntervalSet((left | right).spans) == left | right


def test_adjacent_ranges_merge() -> None:
    assert IntervalSet.closed(0, 4) | IntervalSet.closed(5, 9) == IntervalSet.closed(0, 9)


def test_service_line() -> None:
    assert rule_services("all") == ALL_SERVICES
    tcp22 = rule_services("tcp", 22, 22)
    assert [(p, list(ports.closed_ranges())) for p, ports in split_by_protocol(tcp22)] == [
        (6, [(22, 22)])
    ]
    assert rule_services("icmp", -1) == rule_services("icmp")
    assert protocols_of(tcp22) == rule_services("tcp")
    replies = return_ports()
    assert 6 * 65536 + 1023 not in replies and 6 * 65536 + 1024 in replies
    assert 47 * 65536 in replies


def test_internet_and_cidr_rendering() -> None:
    internet = internet_addresses()
    assert "8.8.8.8" in internet and "10.1.1.1" not in internet and "fd00::1" not in internet
    assert cidrs_of(ip_set(["::/0", "10.0.0.0/9", "10.128.0.0/9"])) == ("10.0.0.0/8", "::/0")
