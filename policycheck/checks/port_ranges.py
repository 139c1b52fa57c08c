"""Inclusive port-range arithmetic for the checks, on ``portion`` interval sets."""

from __future__ import annotations

from collections.abc import Iterable

import portion

PortRanges = tuple[tuple[int, int], ...]


def to_interval(ranges: Iterable[tuple[int, int]]) -> portion.Interval:
    """Inclusive integer ranges as a closed-open interval set, so adjacent ranges merge."""
    result = portion.empty()
    for low, high in ranges:
        result |= portion.closedopen(low, high + 1)
    return result


def to_ranges(interval: portion.Interval) -> PortRanges:
    """Back to sorted inclusive ranges."""
    ranges: list[tuple[int, int]] = []
    for atomic in interval:
        if atomic.empty:
            continue
        low = atomic.lower if atomic.left == portion.CLOSED else atomic.lower + 1
        high = atomic.upper - 1 if atomic.right == portion.OPEN else atomic.upper
        ranges.append((int(low), int(high)))
    return tuple(ranges)


def intersect(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> PortRanges:
    return to_ranges(to_interval(a) & to_interval(b))


def subtract(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> PortRanges:
    return to_ranges(to_interval(a) - to_interval(b))


def union(*parts: Iterable[tuple[int, int]]) -> PortRanges:
    result = portion.empty()
    for part in parts:
        result |= to_interval(part)
    return to_ranges(result)


def describe(ranges: PortRanges) -> str:
    """``22``, ``20-21``, ``22, 80-81``."""
    return ", ".join(str(low) if low == high else f"{low}-{high}" for low, high in ranges)
