"""Inclusive port-range arithmetic for the checks, on the reachability IntervalSet."""

from __future__ import annotations

from collections.abc import Iterable

from policycheck.reachability.sets import IntervalSet

PortRanges = tuple[tuple[int, int], ...]


def to_interval(ranges: Iterable[tuple[int, int]]) -> IntervalSet:
    """Inclusive integer ranges as an interval set (adjacent ranges merge)."""
    return IntervalSet((low, high + 1) for low, high in ranges)


def to_ranges(interval: IntervalSet) -> PortRanges:
    """Back to sorted inclusive ranges."""
    return tuple(interval.closed_ranges())


def intersect(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> PortRanges:
    return to_ranges(to_interval(a) & to_interval(b))


def subtract(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> PortRanges:
    return to_ranges(to_interval(a) - to_interval(b))


def union(*parts: Iterable[tuple[int, int]]) -> PortRanges:
    result = IntervalSet()
    for part in parts:
        result |= to_interval(part)
    return to_ranges(result)


def describe(ranges: PortRanges) -> str:
    """``22``, ``20-21``, ``22, 80-81``."""
    return ", ".join(str(low) if low == high else f"{low}-{high}" for low, high in ranges)
