"""Network reachability over the model: which packets reach which interfaces, by what path."""

from policycheck.reachability.analysis import ReachabilityOptions, analyse
from policycheck.reachability.result import (
    Blocker,
    EndpointVerdict,
    Exposure,
    Hop,
    PathKind,
    ReachabilityResult,
)

__all__ = [
    "Blocker",
    "EndpointVerdict",
    "Exposure",
    "Hop",
    "PathKind",
    "ReachabilityOptions",
    "ReachabilityResult",
    "analyse",
]
