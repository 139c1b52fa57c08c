"""Listeners declared for a host.

Until user-data analysis lands, the one source is an explicit tag on the instance or
interface: ``policycheck:listeners = "tcp/22, tcp/8000-8010, udp/53"`` (a bare port
means tcp; ``none`` declares that nothing listens). No tag means the host's listeners
are not known (Inspector's "no agent" case).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

LISTENERS_TAG = "policycheck:listeners"
_ITEM = re.compile(r"^(?:(tcp|udp)/)?(\d{1,5})(?:-(\d{1,5}))?$")


class Listener(BaseModel):
    model_config = ConfigDict(frozen=True)

    protocol: Literal["tcp", "udp"]
    from_port: int
    to_port: int


class DeclaredListeners(BaseModel):
    model_config = ConfigDict(frozen=True)

    listeners: tuple[Listener, ...]
    problems: tuple[str, ...] = ()
    """Items of the tag that could not be read (reported as notices)."""


def declared_listeners(tags: dict[str, str]) -> DeclaredListeners | None:
    """The listeners the tags declare, or None when the host does not declare any."""
    raw = tags.get(LISTENERS_TAG)
    if raw is None:
        return None
    listeners: list[Listener] = []
    problems: list[str] = []
    for item in re.split(r"[,\s]+", raw.strip().lower()):
        if not item or item == "none":
            continue
        match = _ITEM.match(item)
        if not match:
            problems.append(f"cannot read listener {item!r} in tag {LISTENERS_TAG}")
            continue
        protocol, first, last = match.groups()
        low, high = int(first), int(last or first)
        if not 0 <= low <= high <= 65535:
            problems.append(f"port range out of bounds: {item!r} in tag {LISTENERS_TAG}")
            continue
        listeners.append(Listener(protocol="udp" if protocol == "udp" else "tcp",
                                  from_port=low, to_port=high))
    return DeclaredListeners(listeners=tuple(listeners), problems=tuple(problems))
